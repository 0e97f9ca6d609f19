"""docassemble's base objects: DAObject and the groups DAList, DADict, DASet.

An object knows the name it lives under in the answers (`instanceName`). When interview code reads
an attribute or item that is not there yet, the object raises AttributeError / IndexError / KeyError
carrying `offstage_name` (e.g. "client.name.first", "fruits[0]", "pets['rex']"): the evaluation loop
catches it and looks for a block that defines that name, which is how docassemble asks questions
about objects and gathers groups.
"""

from __future__ import annotations

import random
import string
import sys
import types
from collections.abc import Iterator
from typing import Any, cast

from offstage.answers import tracking
from offstage.answers.registry import register


def _missing_attribute(name: str | None, attribute: str) -> AttributeError:
    error = AttributeError(f"name '{name}.{attribute}' is not defined" if name else attribute)
    error.offstage_name = f"{name}.{attribute}" if name else None  # type: ignore[attr-defined]
    return error


def _reconsider(name: str) -> None:
    """Forget `name` so that reading it again runs its block; nothing to forget outside an interview."""
    from offstage.context import maybe_current

    ctx = maybe_current()
    if ctx is not None and ctx.evaluator is not None:
        ctx.evaluator.reconsider_once(name)


_ABSENT = object()


def _anonymous_name() -> str:
    return "_anon_" + "".join(random.choices(string.ascii_lowercase, k=10))  # noqa: S311 - a unique-enough placeholder name, not a secret


_LOADS = {"LOAD_NAME", "LOAD_GLOBAL", "LOAD_FAST", "LOAD_DEREF"}
_STORES = {"STORE_NAME", "STORE_GLOBAL", "STORE_FAST", "STORE_DEREF"}
_TARGETS: dict[tuple[types.CodeType, int], str | None] = {}


def _assignment_target(code: types.CodeType, offset: int) -> str | None:
    """The variable the value made by the call at `offset` is stored in: 'client', 'case.judge'.

    Read from the bytecode that follows the call (a STORE_NAME, or loads ending in STORE_ATTR), so
    `client = Individual()` in a code block names the object 'client' as docassemble does.
    """
    key = (code, offset)
    if key not in _TARGETS:
        import dis  # only for objects made without a name

        following = [i for i in dis.get_instructions(code) if i.offset > offset and i.opname != "CACHE"]
        found: str | None = None
        if following and following[0].opname in _STORES:
            found = following[0].argval
        elif following and following[0].opname in _LOADS:
            path = [str(following[0].argval)]
            for instruction in following[1:]:
                if instruction.opname == "LOAD_ATTR":
                    path.append(str(instruction.argval))
                    continue
                if instruction.opname == "STORE_ATTR":
                    found = ".".join([*path, str(instruction.argval)])
                break
        if len(_TARGETS) > 4096:
            _TARGETS.clear()
        _TARGETS[key] = found
    return _TARGETS[key]


def _name_from_assignment(made: Any) -> str | None:
    """The name an object created without one will be stored under, when the creating line says."""
    frame = sys._getframe(2)
    # a subclass's own __init__ calling super().__init__() is not the creating line: look past it
    while frame is not None and frame.f_code.co_name == "__init__" and frame.f_locals.get("self") is made:
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None or frame.f_globals.get("__name__", "").startswith("offstage."):
        return None  # objects the library makes for itself stay anonymous
    try:
        target = _assignment_target(frame.f_code, frame.f_lasti)
    except Exception:  # noqa: BLE001 - unusual bytecode: the object stays anonymous, as before
        return None
    if target and "." in target:  # `x.pets = DAList()` in a generic block: named after what x stands for
        head, rest = target.split(".", 1)
        owner = frame.f_locals.get(head, frame.f_globals.get(head))
        owner_name = getattr(owner, "__dict__", {}).get("instanceName")
        if isinstance(owner_name, str) and owner_name != head:
            target = f"{owner_name}.{rest}"
    return target


@register
class ObjectFactory:
    """What `SomeClass.using(**kw)` returns: builds `SomeClass(name, **kw)` for `objects:` blocks."""

    def __init__(self, object_type: type, parameters: dict[str, Any]) -> None:
        self.object_type = object_type
        self.parameters = parameters

    def __call__(self, *pargs: Any, **kwargs: Any) -> Any:
        return self.object_type(*pargs, **{**self.parameters, **kwargs})

    def using(self, **kwargs: Any) -> ObjectFactory:
        return ObjectFactory(self.object_type, {**self.parameters, **kwargs})


def _build(object_type: Any, name: str, /, *pargs: Any, **kwargs: Any) -> Any:
    return object_type(name, *pargs, **kwargs)


@register
class DAObject:
    """The base of every docassemble object: named after the variable that holds it.

    `DAObject('client')` makes an object whose missing attributes are asked as `client.xyz`.
    Keyword arguments become attributes; subclasses customise `init()`, not `__init__`.
    """

    def __init__(self, *pargs: Any, **kwargs: Any) -> None:
        if pargs and isinstance(pargs[0], str):
            self.instanceName = pargs[0]
            self.has_nonrandom_instance_name = True
            pargs = pargs[1:]
        else:
            assigned = _name_from_assignment(self)
            self.instanceName = assigned or _anonymous_name()
            self.has_nonrandom_instance_name = assigned is not None
        self.init(*pargs, **kwargs)

    def init(self, *pargs: Any, **kwargs: Any) -> None:  # noqa: ARG002 - docassemble's signature
        """Set the keyword arguments as attributes (subclasses extend this)."""
        for key, value in kwargs.items():
            setattr(self, key, value)

    @classmethod
    def using(cls, **kwargs: Any) -> ObjectFactory:
        """A factory for `objects:` blocks and `object_type=`: `DAList.using(object_type=Thing)`."""
        return ObjectFactory(cls, kwargs)

    def __getattr__(self, attribute: str) -> Any:
        # only called when normal lookup failed: this is where docassemble asks a question
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        known = self.__dict__
        name = known.get("instanceName") if known.get("has_nonrandom_instance_name", False) else None
        raise _missing_attribute(name, attribute)

    # every attribute write is counted, so that a request that changed nothing skips encoding the
    # answers (offstage.answers.tracking); a write straight into __dict__ must call tracking.changed()
    __setattr__ = tracking.object_set
    __delattr__ = tracking.object_delete

    def attr(self, attribute: str) -> Any:
        """The attribute's value, or None when it is not defined (asking no question, as docassemble's)."""
        try:
            return object.__getattribute__(self, attribute)
        except AttributeError:
            return None

    def attr_name(self, attribute: str) -> str:
        """The full variable name of an attribute: `client.attr_name('phone')` is 'client.phone'."""
        return f"{self.instanceName}.{attribute}"

    def getattr_fresh(self, attribute: str) -> Any:
        """The attribute recomputed by its `code` block (once per request), as docassemble's reconsider()."""
        if attribute in self.__dict__:
            _reconsider(self.attr_name(attribute))
        return getattr(self, attribute)

    def object_name(self, **kwargs: Any) -> str:
        """A readable version of the variable name: 'client.home_address' -> 'home address of client'."""
        from offstage.library.words import capitalize_text

        text = readable_name(self.instanceName)
        return capitalize_text(text) if kwargs.get("capitalize") else text

    # --- language (an object that is not a person is 'it') -----------------------------------------

    def object_possessive(self, target: Any, **kwargs: Any) -> str:
        """'the client's fish'; for an attribute 'the latch of the front gate in the park'."""
        from offstage.library.grammar import capitalize_if, possessify

        name = self.object_name()
        if "." in self.instanceName:
            return capitalize_if(f"the {target} of the {name}", kwargs)
        return possessify(f"the {name}", target, **kwargs)

    def pronoun(self, **kwargs: Any) -> str:
        from offstage.library.grammar import capitalize_if

        return capitalize_if("it", kwargs)

    pronoun_objective = pronoun
    pronoun_subjective = pronoun

    def pronoun_possessive(self, target: Any, **kwargs: Any) -> str:
        from offstage.library.grammar import its

        return its(target, **kwargs)

    def initializeAttribute(self, attribute: str, object_type: Any, *pargs: Any, **kwargs: Any) -> Any:
        """Make attribute `attribute` an object named `<this>.<attribute>`, unless it already exists."""
        if attribute in self.__dict__:
            return self.__dict__[attribute]
        return self.reInitializeAttribute(attribute, object_type, *pargs, **kwargs)

    def reInitializeAttribute(self, attribute: str, object_type: Any, *pargs: Any, **kwargs: Any) -> Any:
        """Like initializeAttribute, but replaces an existing value."""
        made = _build(object_type, self.attr_name(attribute), *pargs, **kwargs)
        setattr(self, attribute, made)
        return made

    def as_serializable(self) -> Any:
        """Plain data for JSON (the API's view of the answers): the attributes that are set."""
        return {key: value for key, value in self.__dict__.items()
                if not key.startswith("_") and key not in _BOOKKEEPING}

    def set_instance_name(self, name: str) -> None:
        """Rename the object (and so the names its missing attributes are asked under)."""
        self.instanceName = name
        self.has_nonrandom_instance_name = True

    def fix_instance_name(self, old_name: str, new_name: str) -> None:
        """Rename the object and the objects it holds from the prefix `old_name` to `new_name` (its
        `name`, a list's items ...), so that their missing attributes are asked under the new name."""
        self._renamed(old_name, new_name, set())

    def _renamed(self, old_name: str, new_name: str, seen: set[int]) -> None:
        if id(self) in seen:  # objects may hold each other
            return
        seen.add(id(self))
        if self.instanceName.startswith(old_name):
            self.instanceName = new_name + self.instanceName[len(old_name):]
        self.has_nonrandom_instance_name = True
        for value in _held(self):
            if isinstance(value, DAObject) and value.instanceName.startswith(old_name):
                value._renamed(old_name, new_name, seen)

    def delattr(self, *attributes: str) -> None:
        """Forget attributes so that they are asked again."""
        for attribute in attributes:
            if self.__dict__.pop(attribute, _ABSENT) is not _ABSENT:
                tracking.changed()

    def __str__(self) -> str:
        if "name" in self.__dict__:
            return str(self.__dict__["name"])
        return self.object_name()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.instanceName!r})"


def _held(obj: DAObject) -> list[Any]:
    """The values an object holds: its attributes, and a group's items."""
    held = list(obj.__dict__.values())
    elements = obj.__dict__.get("elements")
    if isinstance(elements, dict):
        held.extend(elements.values())
    elif isinstance(elements, (list, set)):
        held.extend(elements)
    return held


_BOOKKEEPING = frozenset({"instanceName", "has_nonrandom_instance_name", "auto_gather", "ask_number",
                          "minimum_number", "object_type", "object_type_parameters", "complete_attribute",
                          "ask_object_type"})


def readable_name(instance_name: str) -> str:
    """docassemble's object_name(): 'park.front_gate' -> 'front gate in the park', 'fruits[0]' -> 'first
    fruits', "player['trustee']" -> 'trustee player'."""
    from offstage.library.words import ordinal

    words = []
    for part in reversed(instance_name.split(".")):
        base, bracket, index = part.partition("[")
        text = base.replace("_", " ")
        if bracket:
            index = index.rstrip("]").strip("'\"")
            text = f"{ordinal(int(index)) if index.isdigit() else index} {text}"
        words.append(text)
    return " in the ".join(words)


class _Group(DAObject):
    """What DAList, DADict and DASet share: gathering with there_are_any / there_is_another."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        self.auto_gather = True
        self.ask_number = False
        self.minimum_number = None
        self.object_type = None
        self.object_type_parameters: dict[str, Any] = {}
        self.complete_attribute = None
        self.ask_object_type = False
        super().init(*pargs, **kwargs)

    def _is_gathered(self) -> bool:
        return bool(self.__dict__.get("gathered", False))

    def _gathering(self) -> set[str] | None:
        from offstage.context import maybe_current

        ctx = maybe_current()
        return ctx.gathering if ctx is not None else None

    def _trigger_gather(self) -> None:
        if self._is_gathered() or self.instanceName in (self._gathering() or ()):
            return
        if self.auto_gather:
            self.gather()
        else:
            self.gathered  # noqa: B018 - asks for `<name>.gathered` when it is not set

    def _complete(self, item: Any) -> None:
        attribute = self.complete_attribute
        if attribute is not None:
            for each in attribute if isinstance(attribute, list) else [attribute]:
                getattr(item, each)
        elif isinstance(item, DAObject):
            str(item)

    def _wants_another(self, count: int, number: int | None, minimum: int | None) -> bool:
        if number is not None:
            return count < number
        if minimum and count < minimum:
            return True
        if count == 0 or self._pending():
            return True  # there_are_any was True: at least one; or a new item is half given
        if self.__dict__.pop("there_is_one_other", False):
            return True  # an Add button: exactly one more item, without asking whether there is another
        if self.there_is_another:
            del self.there_is_another
            return True
        return False

    def gather(self, number: int | None = None, minimum: int | None = None) -> bool:
        """Ask for the items until the group is complete, then set `.gathered = True`."""
        if self._is_gathered():
            return True
        if minimum is None:
            minimum = self.minimum_number
        if number is None and self.ask_number:
            number = int(self.target_number)
        if number is None and not minimum and not self._items() and not self.there_are_any:
            self.gathered = True
            return True
        gathering = self._gathering()
        if gathering is not None:  # stays set if a question interrupts: the rest of the request sees it
            gathering.add(self.instanceName)
        for item in list(self._items()):
            self._complete(item)
        while self._wants_another(len(self._items()), number, minimum):
            self._complete(self._new_item())
        self.gathered = True
        if gathering is not None:
            gathering.discard(self.instanceName)
        return True

    def reset_gathered(self, recursive: bool = False, only_if_empty: bool = False) -> None:  # noqa: ARG002 - docassemble's signature
        """Forget that the group was gathered, so that it is gathered (and asked) again."""
        if only_if_empty and len(self._items()):
            return
        for attribute in ("gathered", "there_is_another", "new_item_name", "new_item"):
            if self.__dict__.pop(attribute, _ABSENT) is not _ABSENT:
                tracking.changed()

    def number(self) -> int:
        """How many items there are, after gathering."""
        self._trigger_gather()
        return len(self._items())

    def number_as_word(self, **kwargs: Any) -> str:
        from offstage.library.words import nice_number

        return nice_number(self.number(), **kwargs)

    def _items(self) -> Any:
        return self.elements

    def _new_item(self) -> Any:
        raise NotImplementedError

    def has_been_gathered(self) -> bool:
        """Whether gathering finished (now, or before an Add button opened the group again)."""
        return "gathered" in self.__dict__ or bool(self.__dict__.get("was_gathered"))

    def add_action(self, label: str | None = None, message: str | None = None, url_only: bool = False,
                   icon: str = "plus-circle", color: str | None = None, size: str = "sm",
                   block: bool | None = None, classname: str | None = None) -> str:
        """A button that adds an item to the group (docassemble's `add_action()`)."""
        from offstage.library.group_buttons import add_action

        return add_action(self, label, message, url_only, icon, color, size, block, classname)

    def item_actions(self, item: Any, index: Any, *follow: str, **options: Any) -> str:
        """The Edit and Delete buttons of one item (docassemble's `item_actions()`)."""
        from offstage.library.group_buttons import item_actions

        known = {k: v for k, v in options.items() if k in ("edit", "delete", "confirm", "read_only_attribute",
                                                            "edit_url_only", "delete_url_only", "reorder")}
        return item_actions(self, item, index, *follow, **known)

    def gathering_started(self) -> bool:
        return bool(self.__dict__.get("gathered")) or "there_are_any" in self.__dict__ or bool(self._items())

    # --- language: one item speaks as that item, several as 'they' ------------------------------------

    def _single(self) -> Any:
        items = list(self._items())
        return items[0] if self.number() == 1 else None

    def _last_word(self) -> str:
        """The group's own name as a noun: 'case.plaintiff' -> 'plaintiff'."""
        return self.instanceName.split(".")[-1].partition("[")[0].replace("_", " ")

    def as_noun(self, target: Any = None, **kwargs: Any) -> str:
        """'plaintiffs', or 'plaintiff' when there is one ('ox' -> 'oxen' with a noun given)."""
        from offstage.library.words import capitalize_text, noun_plural, noun_singular

        noun = str(target) if target is not None else self._last_word()
        text = noun_singular(noun) if self.number() == 1 else noun_plural(noun)
        return capitalize_text(text) if kwargs.get("capitalize") else text

    def as_singular_noun(self, **kwargs: Any) -> str:
        from offstage.library.words import capitalize_text, noun_singular

        text = noun_singular(self._last_word())
        return capitalize_text(text) if kwargs.get("capitalize") else text

    def quantity_noun(self, noun: Any, **kwargs: Any) -> str:
        from offstage.library.words import quantity_noun

        return quantity_noun(self.number(), noun, **kwargs)

    def comma_and_list(self, **kwargs: Any) -> str:
        from offstage.library.words import comma_and_list

        self._trigger_gather()
        return comma_and_list(list(self._items()), **kwargs)

    def possessive(self, target: Any, **kwargs: Any) -> str:
        from offstage.library.grammar import capitalize_if

        one = self._single()
        if one is not None and hasattr(one, "possessive"):
            return str(one.possessive(target, **kwargs))
        owner = self.as_noun()
        return capitalize_if(f"{owner}' {target}" if owner.endswith("s") else f"{owner}'s {target}", kwargs)

    def _plural_or(self, method: str, plural: str, *pargs: Any, **kwargs: Any) -> str:
        from offstage.library.grammar import capitalize_if

        one = self._single()
        if one is not None and hasattr(one, method):
            return str(getattr(one, method)(*pargs, **kwargs))
        return capitalize_if(plural, kwargs)

    def pronoun(self, **kwargs: Any) -> str:
        return self._plural_or("pronoun", "them", **kwargs)

    pronoun_objective = pronoun

    def pronoun_subjective(self, **kwargs: Any) -> str:
        return self._plural_or("pronoun_subjective", "they", **kwargs)

    def pronoun_possessive(self, target: Any, **kwargs: Any) -> str:
        return self._plural_or("pronoun_possessive", f"their {target}", target, **kwargs)

    def itself(self, **kwargs: Any) -> str:
        return self._plural_or("itself", "themselves", **kwargs)

    def does_verb(self, verb: str, **kwargs: Any) -> str:
        from offstage.library.grammar import capitalize_if, verb_past, verb_present

        past = kwargs.pop("past", False) or kwargs.pop("present", True) is False
        person = "3" if self.number() == 1 else "p"
        return capitalize_if(verb_past(verb, person) if past else verb_present(verb, person), kwargs)

    def did_verb(self, verb: str, **kwargs: Any) -> str:
        return self.does_verb(verb, past=True, **kwargs)

    def do_question(self, verb: str, **kwargs: Any) -> str:
        return self._plural_or("do_question", f"do {self} {verb}", verb, **kwargs)

    def did_question(self, verb: str, **kwargs: Any) -> str:
        return self._plural_or("did_question", f"did {self} {verb}", verb, **kwargs)

    def were_question(self, word: str, **kwargs: Any) -> str:
        return self._plural_or("were_question", f"were {self} {word}", word, **kwargs)

    def have_question(self, verb: str, **kwargs: Any) -> str:
        return self._plural_or("have_question", f"have {self} {verb}", verb, **kwargs)

    # --- as a set ------------------------------------------------------------------------------------

    # a DASet, as docassemble gives them, so that the result has .number(), comma_and_list() ...
    def union(self, other: Any) -> Any:
        return DASet(elements=set(self._items()).union(_setify(other)))

    def intersection(self, other: Any) -> Any:
        return DASet(elements=set(self._items()).intersection(_setify(other)))

    def difference(self, other: Any) -> Any:
        return DASet(elements=set(self._items()).difference(_setify(other)))

    def isdisjoint(self, other: Any) -> bool:
        return set(self._items()).isdisjoint(other)

    def _pending(self) -> bool:
        """A new item was started (its key or value answered) but is not in the group yet."""
        return False

    def __len__(self) -> int:
        return self.number()

    def __bool__(self) -> bool:
        return True  # a group is an object: truth is existence, not emptiness (as in docassemble)

    def __contains__(self, item: Any) -> bool:
        self._trigger_gather()
        return item in self.elements

    def __str__(self) -> str:
        from offstage.library.words import comma_and_list

        self._trigger_gather()
        return comma_and_list(list(self.elements))

    def __repr__(self) -> str:
        """The elements' repr, gathered first, as docassemble writes a group (`{'apple': True}`)."""
        self._trigger_gather()
        return repr(self.elements)


_FILL_LIMIT = 10


def _missing(error_type: type[LookupError], name: str | None, what: str) -> LookupError:
    error = error_type(f"name '{name}' is not defined" if name else what)
    error.offstage_name = name  # type: ignore[attr-defined]
    return error


def _setify(other: Any) -> set[Any]:
    """The items of a group (DAList, DADict values, DASet) or of any iterable, as a set."""
    if isinstance(other, _Group):
        return set(other._items())
    return set(other)


@register
class DAList(_Group):
    """A list gathered by asking: `.there_are_any`, then items `x[0]`, `x[1]`... and `.there_is_another`."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        self.elements: list[Any] = []
        elements = kwargs.pop("elements", None)
        super().init(*pargs, **kwargs)
        if elements is not None:
            self.elements.extend(elements)
            self.gathered = True

    def _item_name(self, index: Any) -> str | None:
        if not self.__dict__.get("has_nonrandom_instance_name", False):
            return None
        return f"{self.instanceName}[{index}]"

    def _new_item(self) -> Any:
        if self.ask_object_type:
            # asks `x.new_object_type` (a class, or None for a plain item) before each new item
            chosen = self.new_object_type
            del self.new_object_type
            if chosen is not None:
                parameters = self.__dict__.pop("new_object_parameters", None) or {}
                tracking.changed()
                return self.appendObject(chosen, **parameters)
            return self[len(self.elements)]
        if self.object_type is not None:
            return self.appendObject()
        return self[len(self.elements)]  # raises IndexError naming `x[n]`: the loop asks for it

    def current_index(self) -> int:
        """The index of the last item (0 when there is none): where `i` is not available."""
        return max(len(self.elements) - 1, 0) if self._is_gathered() else len(self.elements)

    def number_gathered(self) -> int:
        return len(self.elements)

    def item_name(self, index: Any) -> str:
        return f"{self.instanceName}[{index!r}]"

    def delitem(self, *indexes: int) -> None:
        for index in sorted(indexes, reverse=True):
            del self.elements[index]

    def insert(self, index: int, item: Any) -> None:
        self.elements.insert(index, item)

    def reverse(self) -> None:
        self.elements.reverse()

    def count(self, item: Any) -> int:
        return self.elements.count(item)

    def sort(self, *pargs: Any, **kwargs: Any) -> DAList:
        """Gather, then sort the items in place (keyword arguments as for sorted()); returns the list."""
        self._trigger_gather()
        return self.sort_elements(*pargs, **kwargs)

    def sort_elements(self, *pargs: Any, **kwargs: Any) -> DAList:
        self.elements = sorted(self.elements, *pargs, **kwargs)
        return self

    def filter(self, *pargs: Any, **kwargs: Any) -> DAList:  # noqa: ARG002 - docassemble's signature
        """A new (gathered) DAList of the items whose attributes have the given values."""
        self._trigger_gather()
        kept = [item for item in self.elements
                if all(getattr(item, key, None) == wanted for key, wanted in kwargs.items())]
        return DAList(f"{self.instanceName}.filtered", elements=kept, object_type=self.object_type)

    def set_object_type(self, object_type: Any) -> None:
        self.object_type = object_type

    def appendObject(self, object_type: Any = None, *pargs: Any, **kwargs: Any) -> Any:
        """Append a new object named `<list>[n]` of `object_type` (default: the list's object_type)."""
        object_type = object_type or self.object_type or DAObject
        parameters = {**self.object_type_parameters, **kwargs}
        made = _build(object_type, f"{self.instanceName}[{len(self.elements)}]", *pargs, **parameters)
        self.elements.append(made)
        return made

    append_object = appendObject

    def __add__(self, other: Any) -> DAList:
        """Both lists gathered, their items in a new (gathered) DAList, as docassemble's `+` gives."""
        self._trigger_gather()
        if isinstance(other, DAList):
            other._trigger_gather()
        more = other.elements if isinstance(other, DAList) else list(other)
        return DAList(f"{self.instanceName}.joined", elements=self.elements + more, object_type=self.object_type)

    def append(self, *items: Any, set_instance_name: bool = False) -> None:
        """Add items at the end (without asking anything). An object without a name of its own (or
        any object, with `set_instance_name=True`) is renamed after its place: `x[n]`, as docassemble does."""
        for item in items:
            if isinstance(item, DAObject) and (set_instance_name or not item.has_nonrandom_instance_name):
                item.fix_instance_name(item.instanceName, f"{self.instanceName}[{len(self.elements)}]")
            self.elements.append(item)
        if items:
            self.there_are_any = True

    def extend(self, items: Any) -> None:
        self.elements.extend(items)

    def remove(self, *items: Any) -> None:
        for item in items:
            if item in self.elements:
                self.elements.remove(item)

    def pop(self, *pargs: Any) -> Any:
        return self.elements.pop(*pargs)

    def clear(self) -> None:
        self.elements.clear()

    def index(self, item: Any) -> int:
        return self.elements.index(item)

    def complete_elements(self) -> list[Any]:
        """The items whose completing attribute is defined (no questions asked)."""
        done = []
        for item in self.elements:
            try:
                self._complete(item)
            except (AttributeError, LookupError):
                continue
            done.append(item)
        return done

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return self.elements[index]
        try:
            return self.elements[index]
        except (IndexError, TypeError):
            pass
        if self.object_type is not None and not self._is_gathered() and isinstance(index, int):
            self._fill_up_to(index)  # `people[0].name.first` on an empty list of objects makes people[0]
            return self.elements[index]
        raise _missing(IndexError, self._item_name(index), "list index out of range") from None

    def _fill_up_to(self, index: int) -> None:
        """Add items (objects of object_type, or None) until `index` exists; at most 10 at a time."""
        wanted = index + 1 if index >= 0 else -index
        missing = wanted - len(self.elements)
        if missing > _FILL_LIMIT:
            raise IndexError(f"{self.instanceName}[{index}] is more than {_FILL_LIMIT} items past the end")
        for _ in range(max(missing, 0)):
            if self.object_type is None:
                self.elements.append(None)
            else:
                self.appendObject()

    def __setitem__(self, index: int, value: Any) -> None:
        if isinstance(index, int):
            self._fill_up_to(index)  # `x[n] = ...` past the end extends the list, as in docassemble
        if isinstance(value, DAObject) and not value.has_nonrandom_instance_name:
            value.set_instance_name(f"{self.instanceName}[{index}]")
        self.elements[index] = value

    def as_serializable(self) -> Any:
        return list(self.elements)

    def item(self, index: Any) -> Any:
        """After gathering, the item at `index`, or an empty DAEmpty when there is none."""
        self._trigger_gather()
        try:
            return self.elements[index]
        except (IndexError, TypeError):
            return DAEmpty()

    def first(self) -> Any:
        return self[0]

    def last(self) -> Any:
        return self[-1] if self.elements else self[0]

    def __delitem__(self, index: Any) -> None:
        del self.elements[index]

    def __iter__(self) -> Iterator[Any]:
        self._trigger_gather()
        return iter(self.elements)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, DAList):
            return self.elements == other.elements
        return self.elements == other if isinstance(other, list) else NotImplemented

    __hash__ = DAObject.__hash__


@register
class DADict(_Group):
    """A dictionary gathered by asking `.there_are_any`, `.new_item_name`, the value, `.there_is_another`."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        self.elements: dict[Any, Any] = {}
        elements = kwargs.pop("elements", None)
        keys = kwargs.pop("keys", None)
        super().init(*pargs, **kwargs)
        if elements is not None:
            self.elements.update(elements)
            self.gathered = True
        if keys is not None and not isinstance(keys, str):  # `keys=[...]`: an item made for each key
            self.new(*keys)

    def _key_name(self, key: Any) -> str | None:
        if not self.__dict__.get("has_nonrandom_instance_name", False):
            return None
        return f"{self.instanceName}[{key!r}]"

    def _items(self) -> Any:
        try:  # in the order of the keys, as docassemble gathers and shows them
            return [self.elements[key] for key in sorted(self.elements)]
        except TypeError:
            return list(self.elements.values())

    def _pending(self) -> bool:
        return "new_item_name" in self.__dict__

    def _new_item(self) -> Any:
        key = self.new_item_name
        if self.object_type is None and "new_item_value" in self.__dict__:  # name and value on one screen
            self.elements[key] = self.new_item_value
            del self.new_item_value
        # without an object type, raises KeyError naming `x['key']` until a question defines it
        item = self.initializeObject(key) if self.object_type is not None else self[key]
        del self.new_item_name
        return item

    def initializeObject(self, key: Any, object_type: Any = None, *pargs: Any, **kwargs: Any) -> Any:
        """Make `self[key]` an object named `<dict>['key']`, unless it already exists."""
        if key in self.elements:
            return self.elements[key]
        object_type = object_type or self.object_type or DAObject
        parameters = {**self.object_type_parameters, **kwargs}
        made = _build(object_type, f"{self.instanceName}[{key!r}]", *pargs, **parameters)
        self.elements[key] = made
        return made

    def new(self, *keys: Any) -> None:
        """Create object items for the given keys (a list of keys counts as its keys)."""
        for key in keys:
            for each in key if isinstance(key, (list, tuple, set, DAList, DASet)) else [key]:
                self.initializeObject(each)

    initialize_object = initializeObject

    def keys(self) -> Any:
        """The keys, sorted (as docassemble gives them) when they can be compared."""
        self._trigger_gather()
        try:
            return sorted(self.elements.keys())
        except TypeError:
            return list(self.elements.keys())

    def values(self) -> Any:
        self._trigger_gather()
        return self.elements.values()

    def items(self) -> Any:
        self._trigger_gather()
        return self.elements.items()

    def get(self, key: Any, default: Any = None) -> Any:
        return self.elements.get(key, default)

    def getitem_fresh(self, key: Any) -> Any:
        """The item recomputed by its `code` block (once per request), as docassemble's reconsider()."""
        if key in self.elements:
            _reconsider(f"{self.instanceName}[{key!r}]")
        return self[key]

    def pop(self, key: Any, *default: Any) -> Any:
        return self.elements.pop(key, *default)

    def __getitem__(self, key: Any) -> Any:
        try:
            return self.elements[key]
        except KeyError:
            raise _missing(KeyError, self._key_name(key), repr(key)) from None

    def __setitem__(self, key: Any, value: Any) -> None:
        if isinstance(value, DAObject) and not value.has_nonrandom_instance_name:
            value.set_instance_name(f"{self.instanceName}[{key!r}]")
        self.elements[key] = value

    def __delitem__(self, key: Any) -> None:
        del self.elements[key]

    def as_serializable(self) -> Any:
        return dict(self.elements)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, DADict):
            return self.elements == other.elements
        return self.elements == other if isinstance(other, dict) else NotImplemented

    __hash__ = DAObject.__hash__

    def item(self, key: Any) -> Any:
        """After gathering, the value at `key`, or an empty DAEmpty when there is none."""
        self._trigger_gather()
        return self.elements[key] if key in self.elements else DAEmpty()

    # --- checkbox results: {option: True/False} ------------------------------------------------------

    def true_values(self, insertion_order: bool = False) -> DAList:  # noqa: ARG002 - docassemble's signature
        """The keys whose value is true (what was ticked), as a DAList."""
        return DAList(elements=[key for key, value in self.elements.items() if value])

    def false_values(self, insertion_order: bool = False) -> DAList:  # noqa: ARG002 - docassemble's signature
        return DAList(elements=[key for key, value in self.elements.items() if not value])

    def all_true(self, *keys: Any, exclusive: bool = False) -> bool:
        """Whether every key given (or every key) is true; exclusive: and nothing else is."""
        return self._all(keys, True, exclusive)

    def all_false(self, *keys: Any, exclusive: bool = False) -> bool:
        """Whether every key given (or every key) is false (nothing ticked); exclusive: and nothing else is."""
        return self._all(keys, False, exclusive)

    def any_true(self, *keys: Any, exclusive: bool = False) -> bool:
        chosen = keys or tuple(self.elements)
        found = any(bool(self.elements.get(key)) for key in chosen)
        return found and (not exclusive or self._others(chosen, False))

    def any_false(self, *keys: Any, exclusive: bool = False) -> bool:
        chosen = keys or tuple(self.elements)
        found = any(not self.elements.get(key) for key in chosen)
        return found and (not exclusive or self._others(chosen, True))

    def _all(self, keys: tuple[Any, ...], wanted: bool, exclusive: bool) -> bool:
        self._trigger_gather()
        chosen = keys or tuple(self.elements)
        if any(bool(self.elements.get(key)) is not wanted for key in chosen):
            return False
        return not exclusive or self._others(chosen, not wanted)

    def _others(self, keys: tuple[Any, ...], wanted: bool) -> bool:
        return all(bool(value) is wanted for key, value in self.elements.items() if key not in keys)

    def __iter__(self) -> Iterator[Any]:
        self._trigger_gather()
        return iter(self.elements)

    def __str__(self) -> str:
        from offstage.library.words import comma_and_list

        self._trigger_gather()
        return comma_and_list([str(key) for key in self.elements])


@register
class DAOrderedDict(DADict):
    """A DADict whose keys() keep the order the items were added in."""

    def keys(self) -> Any:
        self._trigger_gather()
        return list(self.elements.keys())


@register
class DASet(_Group):
    """A set gathered by asking `.there_are_any`, `.new_item`, `.there_is_another`."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        self.elements: set[Any] = set()
        elements = kwargs.pop("elements", None)
        super().init(*pargs, **kwargs)
        if elements is not None:
            self.elements.update(elements)
            self.gathered = True

    def _pending(self) -> bool:
        return "new_item" in self.__dict__

    def _new_item(self) -> Any:
        item = self.new_item
        self.elements.add(item)
        del self.new_item
        return item

    def add(self, *items: Any) -> None:
        self.elements.update(items)

    def discard(self, *items: Any) -> None:
        for item in items:
            self.elements.discard(item)

    remove = discard

    def __iter__(self) -> Iterator[Any]:
        self._trigger_gather()
        return iter(self.elements)

    def __str__(self) -> str:
        from offstage.library.words import comma_and_list

        self._trigger_gather()
        return comma_and_list(sorted(str(item) for item in self.elements))


@register
class DAEmpty:
    """An object that is empty text and returns itself for any attribute, item or call.

    `DAEmpty(str='n/a')` shows 'n/a' instead of nothing.
    """

    def __init__(self, *pargs: Any, **kwargs: Any) -> None:  # noqa: ARG002 - docassemble's signature
        self.__dict__["str"] = str(kwargs.get("str", ""))

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return self

    def __getitem__(self, key: Any) -> Any:
        return self

    def __call__(self, *pargs: Any, **kwargs: Any) -> Any:  # noqa: ARG002 - docassemble's signature
        return self

    def __str__(self) -> str:
        return cast("str", self.__dict__.get("str", ""))

    def __bool__(self) -> bool:
        return False

    def __len__(self) -> int:
        return 0

    def __iter__(self) -> Iterator[Any]:
        return iter(())
