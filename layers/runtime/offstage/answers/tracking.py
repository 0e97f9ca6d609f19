"""Whether a request changed the answers it loaded, without encoding them again (issue 13).

Two lines of watch, both set up when the answers are decoded (offstage.answers.codec.loads_watched):

- Objects of the library (DAObject and its subclasses) announce every attribute set and delete
  through hooks (`object_set` / `object_delete`, installed as their __setattr__ / __delattr__) that
  advance WRITES, a process-wide counter. The watch reads it when made and when asked: any write
  in between, by this request or another thread's, counts as a change.
- Everything that can change without a hook (the answers dict itself, every list, dict and set the
  decoder built, including DAList.elements and the like, and the attributes of objects whose class
  has no hooks) is compared, when asked, with a shallow copy taken when it was decoded: same length
  and the very same items (`is`, not `==`: 1 == 1.0 == True, but they are stored differently).

Tuples, frozensets, str, numbers, dates, Decimal and bytes cannot change in place, and whatever is
new in the answers got there through one of the watched paths. A class whose state cannot be proved
this way (its own __getstate__ / __setstate__, or no instance __dict__) makes the watch say "changed"
always: the store then encodes and compares bytes as before. So does a watch nobody vouched for
(`trusted`): the app trusts it only for an interview whose code and modules cannot write into an
object's __dict__ directly (offstage.app.evaluation.watch_changes). A wrong "changed" costs one
encode; a wrong "unchanged" would lose data, so every doubt answers "changed".
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Callable, Iterable
from operator import is_
from typing import Any

WRITES = itertools.count()  # advanced by every hooked write; next() on it is atomic in CPython
_ABSENT = object()
_set_attribute = object.__setattr__
_delete_attribute = object.__delattr__

_SETTERS: set[Callable[..., None]] = set()
_DELETERS: set[Callable[..., None]] = set()
_TRACKED, _BY_DICT, _OPAQUE = range(3)
_KINDS: dict[type, int] = {}


def object_set(self: Any, attribute: str, value: Any) -> None:
    """__setattr__ of hooked classes: a write unless the attribute already holds this very value (or an
    equal str / int / float / bool / None of the same type: `x.age = int(text)` again)."""
    old = self.__dict__.get(attribute, _ABSENT)
    if old is not value and (type(old) is not type(value) or not _alike(old, value)):
        next(WRITES)
    _set_attribute(self, attribute, value)


def object_delete(self: Any, attribute: str) -> None:
    """__delattr__ of hooked classes."""
    next(WRITES)
    _delete_attribute(self, attribute)


def changed() -> None:
    """Call after writing into a hooked object's __dict__ directly (the library's own pops)."""
    next(WRITES)


def hooked(method: Callable[..., None]) -> Callable[..., None]:
    """Marks a class's own __setattr__ / __delattr__ as one that ends in object_set / object_delete
    (calls super() for every change it makes), so its instances stay tracked by hooks."""
    (_DELETERS if method.__name__ == "__delattr__" else _SETTERS).add(method)
    return method


_SETTERS.add(object_set)
_DELETERS.add(object_delete)


def _kind(cls: type) -> int:
    found = _KINDS.get(cls)
    if found is None:
        found = _KINDS[cls] = _classify(cls)
    return found


def _classify(cls: type) -> int:
    if issubclass(cls, _dt.date | _dt.time | _dt.timedelta):
        return _TRACKED  # stored as a value (DADateTime's attributes are not stored): never changes
    if getattr(cls, "__getstate__", None) is not object.__getstate__ or hasattr(cls, "__setstate__"):
        return _OPAQUE  # its stored state is whatever its own method says
    if cls.__setattr__ in _SETTERS and cls.__delattr__ in _DELETERS:
        return _TRACKED
    return _BY_DICT if getattr(cls, "__dictoffset__", 0) else _OPAQUE


class Watch:
    """The answers of one load, and what they looked like then."""

    __slots__ = ("_answers", "_dicts", "_lists", "_objects", "_sets", "_start", "opaque", "trusted")

    def __init__(self, answers: dict[str, Any], containers: Iterable[Any], made: list[Any],
                 classes: Iterable[type]) -> None:
        self._answers = answers
        self._lists: list[tuple[list[Any], list[Any]]] = []
        self._dicts: list[tuple[dict[Any, Any], tuple[Any, ...], tuple[Any, ...]]] = []
        self._sets: list[tuple[set[Any], frozenset[int], tuple[Any, ...]]] = []
        self._objects: list[tuple[Any, dict[str, Any], tuple[Any, ...], tuple[Any, ...]]] = []
        self.opaque = False
        # set by the app once it knows the interview's code cannot write past the hooks
        # (offstage.app.evaluation.watch_changes); until then unchanged() says False
        self.trusted = False
        for container in containers:
            kind = type(container)
            if kind is list:
                self._lists.append((container, container.copy()))
            elif kind is dict:
                self._dicts.append((container, tuple(container), tuple(container.values())))
            else:  # a set (the items are kept so that their ids stay theirs)
                self._sets.append((container, frozenset(map(id, container)), tuple(container)))
        untracked = {cls: how for cls in classes if (how := _kind(cls)) != _TRACKED}
        if untracked:
            self._watch_untracked(made, untracked)
        self._start = next(WRITES)

    def _watch_untracked(self, made: list[Any], untracked: dict[type, int]) -> None:
        for item in made:
            kind = untracked.get(type(item))
            if kind == _OPAQUE:
                self.opaque = True
                return
            if kind == _BY_DICT:
                state = item.__dict__
                self._objects.append((item, state, tuple(state), tuple(state.values())))

    def unchanged(self, answers: dict[str, Any]) -> bool:
        """True only when nothing the answers hold was changed since the load."""
        if self.opaque or not self.trusted or answers is not self._answers:
            return False
        now = next(WRITES)
        if now != self._start + 1:
            return False
        same = (_same_list(*each) for each in self._lists)
        if not (all(same) and all(_same_dict(*each) for each in self._dicts)
                and all(_same_set(*each) for each in self._sets)
                and all(item.__dict__ is state and _same_dict(state, keys, values)
                        for item, state, keys, values in self._objects)):
            return False
        self._start = now  # asked again later: only writes after this answer count
        return True


def same(one: Any, other: Any) -> bool:
    """Whether two values would be stored alike: plain data compared by type and value (1, 1.0 and
    True differ), anything else by identity. For writers that would put back an equal value."""
    kind = type(one)
    if kind is not type(other):
        return False
    if kind in (str, int, bool, type(None)):
        return bool(one == other)
    if kind is float:
        return repr(one) == repr(other)  # -0.0 == 0.0, and nan is not nan
    if kind is list:
        return len(one) == len(other) and all(map(same, one, other))
    if kind is dict:
        return len(one) == len(other) and all(map(same, one, other)) and all(map(same, one.values(), other.values()))
    return one is other


_EQUAL_ALIKE = frozenset({str, int, bool, type(None)})  # of one type, == means stored alike (not float: -0.0)


def _alike(one: Any, other: Any) -> bool:
    """Two immutable scalars that are stored alike: the same type and value (floats by repr)."""
    kind = type(one)
    if kind is not type(other):
        return False
    if kind in _EQUAL_ALIKE:
        return bool(one == other)
    return kind is float and repr(one) == repr(other)


def _same_items(now: Any, then: Any) -> bool:
    """The same items in the same order: the very same objects (fast), else alike where not."""
    return all(map(is_, now, then)) or all(a is b or _alike(a, b) for a, b in zip(now, then, strict=True))


def _same_list(now: list[Any], then: list[Any]) -> bool:
    return len(now) == len(then) and _same_items(now, then)


def _same_dict(now: dict[Any, Any], keys: tuple[Any, ...], values: tuple[Any, ...]) -> bool:
    return len(now) == len(keys) and _same_items(now, keys) and _same_items(now.values(), values)


def _same_set(now: set[Any], ids: frozenset[int], _kept: tuple[Any, ...]) -> bool:
    return len(now) == len(ids) and frozenset(map(id, now)) == ids
