"""docassemble's legal classes (docassemble.base.legal): a Case with its parties and court, a Court, and
the Document / LegalFiling a pleading is. docassemble's question library (basic-questions.yml) makes
`case: Case`, `court: Court` and `pleading: LegalFiling` objects.

Not here: docassemble's caption codes ([BEGIN_CAPTION] ...), which its document converter lays out; a
LegalFiling's `caption()` says so rather than give text offstage's documents would not lay out.
"""

from __future__ import annotations

from typing import Any

from offstage.answers.registry import register
from offstage.library.objects import DAObject
from offstage.library.people import PartyList

# The party lists of each kind of action: (first party, second party or None for a solo action).
_ACTIONS: dict[str, tuple[str, str | None]] = {
    "plaintiff defendant": ("plaintiff", "defendant"),
    "appellee appellant": ("appellee", "appellant"),
    "petition": ("petitioner", "respondent"),
    "solo petition": ("petitioner", None),
    "in re": ("petitioner", None),
}
_PARTY_LISTS = ("plaintiff", "defendant", "petitioner", "respondent", "appellee", "appellant")


@register
class Court(DAObject):
    """A court of law; shown as its name."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        kwargs.setdefault("jurisdiction", [])
        super().init(*pargs, **kwargs)

    def __str__(self) -> str:
        return str(self.name)

    def in_the_court(self, **_: Any) -> str:
        """The top line of a pleading's first page."""
        return f"In the {self.name}"


@register
class Case(DAObject):
    """A case in court: its court and its parties, two PartyLists (plaintiff and defendant at first)."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        self.initializeAttribute("court", Court)
        self.is_solo_action = False
        self.state = None
        self.set_action_type("plaintiff defendant")
        super().init(*pargs, **kwargs)

    def __str__(self) -> str:
        return str(self.case_id)

    def set_action_type(self, the_value: str) -> None:
        """Make the party lists of this kind of action (and drop those of the others)."""
        if the_value not in _ACTIONS:
            raise ValueError(f"unknown action type {the_value!r} (one of {', '.join(_ACTIONS)})")
        first, second = _ACTIONS[the_value]
        for name in _PARTY_LISTS:
            if name not in (first, second):
                self.__dict__.pop(name, None)
        for wanted in (first, second):
            if wanted is not None and wanted not in self.__dict__:
                self.initializeAttribute(wanted, PartyList)
        self.firstParty = getattr(self, first)
        if second is not None:
            self.secondParty = getattr(self, second)
        self.is_solo_action = second is None
        self.action_type = the_value

    def case_id_in_caption(self, **_: Any) -> str:
        return "Case No. " + str(self.case_id) if "case_id" in self.__dict__ else "Case No."

    def determine_court(self, **_: Any) -> None:
        """docassemble runs its package hooks here; offstage has none, so the court stays as set."""

    def _party_lists(self) -> list[PartyList]:
        return [getattr(self, name) for name in _PARTY_LISTS if isinstance(self.__dict__.get(name), PartyList)]

    def role_of(self, party: Any) -> str:
        """The name of the party list the person is in ('plaintiff' ...), else 'third party'."""
        for name in _PARTY_LISTS:
            group = self.__dict__.get(name)
            if isinstance(group, PartyList):
                group._trigger_gather()
                if any(each is party for each in group.elements):
                    return name
        return "third party"

    def parties(self) -> list[Any]:
        """Every party, the lists gathered first."""
        found: list[Any] = []
        for group in self._party_lists():
            group._trigger_gather()
            found += [each for each in group.elements if each not in found]
        return found

    def all_known_people(self) -> list[Any]:
        """The parties given so far and their children (nothing is asked)."""
        found: list[Any] = []
        pending = [each for group in self._party_lists() for each in group.elements]
        while pending:
            person = pending.pop(0)
            if person not in found and person.identified():
                found.append(person)
                child = person.__dict__.get("child")
                pending += list(getattr(child, "elements", []))
        return found


@register
class Document(DAObject):
    """A document; shown as its title."""

    def __str__(self) -> str:
        return str(self.title)


@register
class LegalFiling(Document):
    """A document filed in court."""

    def caption(self) -> str:
        raise NotImplementedError("LegalFiling.caption() is not provided by offstage (docassemble's caption "
                                  "codes need its document converter)")
