"""Person, Individual and Organization: parties with a name, an address and a point of view.

Whether a person is "you" depends on `set_info(user=...)` (an `initial` block calls it, as in
docassemble): methods such as `.possessive('fish')` say "your fish" for the user and "Jane Doe's
fish" for anyone else. Pronouns read `.gender` ('male', 'female', 'other'), asking for it as
docassemble does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from offstage.answers.registry import register
from offstage.library import grammar
from offstage.library.addresses import Address, LatitudeLongitude
from offstage.library.info import user_object
from offstage.library.names import IndividualName, Name
from offstage.library.objects import DAList
from offstage.library.things import Named
from offstage.library.words import capitalize_text


def _cap(text: str, kwargs: dict[str, Any]) -> str:
    return capitalize_text(text) if kwargs.get("capitalize") else text


@register
class Person(Named):
    """A person, natural or legal: `.name` (Name), `.address` (Address), `.location`."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        if "address" not in kwargs:
            self.initializeAttribute("address", Address)
        if "location" not in kwargs:
            self.initializeAttribute("location", LatitudeLongitude)
        super().init(*pargs, **kwargs)

    # --- who is speaking -------------------------------------------------------------------------

    def is_user(self) -> bool:
        return self is user_object()

    def get_point_of_view(self) -> str:
        return "2" if self.is_user() else "3"

    def _second_person(self, kwargs: dict[str, Any]) -> bool:
        if kwargs.pop("third_person", False):
            return False
        person = str(kwargs.pop("person", self.get_point_of_view()))
        return person.startswith("2")

    # --- language --------------------------------------------------------------------------------

    def possessive(self, target: Any, **kwargs: Any) -> str:
        if self._second_person(kwargs):
            return grammar.your(target, **kwargs)
        return grammar.possessify(self.name, target, **kwargs)

    def object_possessive(self, target: Any, **kwargs: Any) -> str:
        if self._second_person(kwargs):
            return grammar.your(target, **kwargs)
        return super().object_possessive(target, **kwargs)

    def subject(self, **kwargs: Any) -> str:
        return _cap("you", kwargs) if self._second_person(kwargs) else _cap(str(self), kwargs)

    def pronoun(self, **kwargs: Any) -> str:
        return _cap("you" if self._second_person(kwargs) else "it", kwargs)

    pronoun_objective = pronoun

    def pronoun_subjective(self, **kwargs: Any) -> str:
        return self.pronoun(**kwargs)

    def pronoun_possessive(self, target: Any, **kwargs: Any) -> str:
        if self._second_person(kwargs):
            return grammar.your(target, **kwargs)
        return grammar.its(target, **kwargs)

    def yourself_or_name(self, **kwargs: Any) -> str:
        return _cap("yourself" if self._second_person(kwargs) else str(self), kwargs)

    def is_are_you(self, **kwargs: Any) -> str:
        return _cap("are you" if self._second_person(kwargs) else f"is {self}", kwargs)

    def do_question(self, verb: str, **kwargs: Any) -> str:
        return _cap(f"do you {verb}" if self._second_person(kwargs) else f"does {self} {verb}", kwargs)

    def did_question(self, verb: str, **kwargs: Any) -> str:
        return _cap(f"did you {verb}" if self._second_person(kwargs) else f"did {self} {verb}", kwargs)

    def were_question(self, word: str, **kwargs: Any) -> str:
        return _cap(f"were you {word}" if self._second_person(kwargs) else f"was {self} {word}", kwargs)

    def have_question(self, verb: str, **kwargs: Any) -> str:
        return _cap(f"have you {verb}" if self._second_person(kwargs) else f"has {self} {verb}", kwargs)

    def does_verb(self, verb: str, **kwargs: Any) -> str:
        past = kwargs.pop("past", False) or kwargs.pop("present", True) is False
        person = "2" if self._second_person(kwargs) else "3"
        result = grammar.verb_past(verb, person) if past else grammar.verb_present(verb, person)
        return _cap(result, kwargs)

    def did_verb(self, verb: str, **kwargs: Any) -> str:
        return self.does_verb(verb, past=True, **kwargs)

    # --- contact ---------------------------------------------------------------------------------

    def address_block(self, language: str | None = None, international: bool = False,
                      show_country: bool | None = None) -> str:
        block: str = self.address.block(language=language, international=international, show_country=show_country)
        return f"[FLUSHLEFT] {self.name} [NEWLINE] " + block

    def email_address(self, include_name: bool | None = None) -> str:
        """'Jane Doe <jane@example.com>' (the address alone while the name is unknown)."""
        email = str(self.email)
        if include_name is True or (include_name is None and self.identified()):
            return f"{self.name} <{email}>"
        return email

    def sms_number(self, country: str | None = None) -> str:  # noqa: ARG002 - docassemble's signature
        number = self.__dict__.get("mobile_number") or self.phone_number
        return str(number)


@register
class Individual(Person):
    """A human being: `.name` is an IndividualName; pronouns follow `.gender`; `age_in_years()`."""

    NameClass = IndividualName

    def identified(self) -> bool:
        name = self.__dict__.get("name")
        return isinstance(name, Name) and name.defined()

    def familiar(self) -> str:
        return cast("str", self.name.familiar())

    def age_in_years(self, decimals: bool = False, as_of: Any = None) -> Any:
        """`.age` when it is set (never asked), else counted from `.birthdate` to today (or `as_of`)."""
        if "age" in self.__dict__:
            return float(self.age) if decimals else int(self.age)
        born, until = self._born_and_until(as_of)
        years = until.year - born.year - ((until.month, until.day) < (born.month, born.day))
        if not decimals:
            return years
        anniversary = _add_years(born, years)
        next_one = _add_years(born, years + 1)
        return years + (until - anniversary).days / max((next_one - anniversary).days, 1)

    def age_in_months(self, decimals: bool = False, as_of: Any = None) -> Any:
        born, until = self._born_and_until(as_of)
        months = (until.year - born.year) * 12 + until.month - born.month - (until.day < born.day)
        return float(months) if decimals else months

    def _born_and_until(self, as_of: Any) -> tuple[dt.date, dt.date]:
        from offstage.library.dates import as_datetime, current_datetime

        born = as_datetime(self.birthdate).date()
        until = (as_datetime(as_of) if as_of is not None else current_datetime()).date()
        return born, until

    def first_name_hint(self) -> str:
        return self._hint("first_name")

    def last_name_hint(self) -> str:
        return self._hint("last_name")

    def _hint(self, part: str) -> str:
        from offstage.context import maybe_current

        ctx = maybe_current()
        if not self.is_user() or ctx is None or not ctx.user.logged_in:
            return ""
        return str(getattr(ctx.user, part, "") or "")

    def salutation(self, with_name: bool = False, with_name_and_punctuation: bool = False, **kwargs: Any) -> str:
        """'Mr.', 'Ms.', 'Dr.', 'Judge' (from .salutation_to_use, .is_doctor, .is_judge, the suffix, .gender)."""
        known = self.__dict__
        suffix = str(self.name.__dict__.get("suffix", "")) if isinstance(self.name, Name) else ""
        if known.get("salutation_to_use"):
            title = str(known["salutation_to_use"])
        elif known.get("is_doctor") or suffix in ("MD", "PhD"):
            title = "Dr."
        elif known.get("is_judge") or suffix == "J":
            title = "Judge"
        elif known.get("gender") == "male":
            title = "Mr."
        elif known.get("gender") == "female":
            title = "Ms."
        else:
            title = ""
        if not (with_name or with_name_and_punctuation):
            return _cap(title or self.name.full(), kwargs)
        last = str(self.name.__dict__.get("last", "")) if isinstance(self.name, IndividualName) else ""
        text = f"{title} {last}".strip() if title and last else str(self.name.full())
        if with_name_and_punctuation:
            text += "," if known.get("is_friendly") else ":"
        return _cap(text, kwargs)

    def _gender(self) -> str:
        return str(self.gender)  # asks for it when it is not known, as docassemble does

    def pronoun(self, **kwargs: Any) -> str:
        if self._second_person(kwargs):
            return _cap("you", kwargs)
        return _cap({"female": "her", "other": "them"}.get(self._gender(), "him"), kwargs)

    pronoun_objective = pronoun

    def pronoun_subjective(self, **kwargs: Any) -> str:
        if self._second_person(kwargs):
            return _cap("you", kwargs)
        return _cap({"female": "she", "other": "they"}.get(self._gender(), "he"), kwargs)

    def pronoun_possessive(self, target: Any, **kwargs: Any) -> str:
        if self._second_person(kwargs):
            return grammar.your(target, **kwargs)
        word = {"female": grammar.her, "other": grammar.their}.get(self._gender(), grammar.his)
        return word(target, **kwargs)

    def itself(self, **kwargs: Any) -> str:
        if self._second_person(kwargs):
            return _cap("yourself", kwargs)
        return _cap({"female": "herself", "other": "themselves"}.get(self._gender(), "himself"), kwargs)

    def __str__(self) -> str:
        name = self.name
        if self.__dict__.get("use_familiar") and isinstance(name, IndividualName) and name._parts():
            return str(name.first)
        return super().__str__()


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@register
class OfficeList(DAList):
    """The offices of an Organization: a list of Address objects."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        kwargs.setdefault("object_type", Address)
        super().init(*pargs, **kwargs)


@register
class Organization(Person):
    """A legal person with `.office` (an OfficeList); `.handles` and `.serves` say what it takes on."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        if "office" not in kwargs:
            self.initializeAttribute("office", OfficeList)
        super().init(*pargs, **kwargs)

    def will_handle(self, problem: Any = None, county: Any = None) -> bool:
        if problem is not None and problem not in self.handles:
            return False
        return not (county is not None and county not in self.serves)


@register
class PartyList(DAList):
    """A list of the parties to a case (Individuals, as docassemble's legal module makes them)."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        kwargs.setdefault("object_type", Individual)
        super().init(*pargs, **kwargs)


@register
class ChildList(DAList):
    """A list of children (Individuals)."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        kwargs.setdefault("object_type", Individual)
        super().init(*pargs, **kwargs)
