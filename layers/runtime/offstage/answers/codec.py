"""The stored form of a session's answers: versioned, type-tagged JSON.

Not pickle: loading only ever rebuilds plain data and instances of known classes (the library's,
those registered with `offstage.answers.registry.register`, and those of the interview's own
`modules:`), so stored answers cannot run code. Values that cannot be stored (modules, functions,
open files, locks, instances of unknown classes) are left out, as docassemble leaves out what it
cannot pickle; their names are reported to the caller for logging.

Layout (format 2): b"OA2j:" then the JSON object {"c": [class keys], "a": {answers}}. Inside the
answers, str-keyed dicts are JSON objects and lists are arrays; everything else is an object whose
first key is a tag starting with "@", and a class is named by its index in "c" (each class is
checked once per load). Shared and cyclic references: every list, dict, set and object gets a number
in the order it is first met, and a later meeting is written {"@r": number}.

Speed is the point of this layout (issue 13): orjson writes and reads the JSON, and a list, dict or
object's attributes holding only str / int / bool / None are handed to orjson as they are and taken
back as orjson made them, so Python touches each object once. Such an object is {"@p": class, "s":
attributes} (its attributes need no decoding; "@o" when they do), and a list of them, all of one
class and none met before (a DAList's elements), is {"@l": class, "s": [attributes, ...]}. orjson
refuses what JSON cannot hold exactly (an int past 64 bits, a non-str key, a lone surrogate); the
encoder then starts again in its careful mode, which checks every value. Compression and encryption
are the sealing's (offstage.sessions.sealing).

Format 1 (b"OA1j:", or b"OA1z:" with zlib) is still read: the same tags, classes named by key.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import importlib
import json
import re
import zlib
from collections.abc import Iterable
from typing import Any

from offstage.answers import registry
from offstage.errors import AnswersCorrupt

VERSION = 2  # format 1 is still read (loads)
_HEADER = re.compile(rb"OA(\d{1,6})([jz]):")
_SKIP = object()
_NOT_VALID = "answers are not valid offstage data"
_PLAIN = frozenset({str, int, bool, type(None)})  # what orjson writes exactly (ints within 64 bits)
_SCALARS = _PLAIN | {float}  # encode() handles these before looking for a handler
_CONTAINERS = frozenset({list, dict})
_set_attribute = object.__setattr__
_INT_RANGE = (-(2**63), 2**64 - 1)

# how a skipped value's place is named: a path is a top-level name or (parent path, key, style)
_KEY, _INDEX, _ATTR, _DICT_KEY, _ITEM = range(5)


def _path_text(path: Any) -> str:
    if type(path) is str:
        return path
    parent, key, style = path
    text = _path_text(parent)
    if style == _KEY:
        return f"{text}[{key!r}]"
    if style == _INDEX:
        return f"{text}[{key}]"
    if style == _ATTR:
        return f"{text}.{key}"
    return f"{text} key" if style == _DICT_KEY else f"{text} item"


def _zone_key(moment: Any) -> str | None:
    return getattr(moment.tzinfo, "key", None) if moment.tzinfo is not None else None


_FUNCTION = type(_path_text)  # a plain function (def), as pickle stores it: by its module and name
_PLAIN_STATE: set[type] = set()  # classes whose state is their __dict__ (no __getstate__ of their own)


def _handler_for(kind: type) -> Any:
    """How values of a class met for the first time are encoded."""
    if issubclass(kind, dt.datetime):
        return _datetime
    if issubclass(kind, type):
        return _Encoder.encode_class
    if kind is _FUNCTION:
        return _Encoder.encode_function
    if getattr(kind, "__getstate__", None) is object.__getstate__:
        _PLAIN_STATE.add(kind)
    return _Encoder.encode_object


class _Encoder:
    """One dumps(): `careful` checks every value, else plain containers go to orjson untouched."""

    def __init__(self, allowed_modules: frozenset[str], careful: bool) -> None:
        self.allowed = allowed_modules
        self.careful = careful
        self.plain = frozenset({str, bool, type(None)}) if careful else _PLAIN
        self.seen: dict[int, int] = {}
        self.in_progress: set[int] = set()
        self.skipped: list[str] = []
        self.classes: list[str] = []
        self.class_index: dict[type, int | None] = {}  # None: the class cannot be loaded back
        self.kept: list[Any] = []  # states built by __getstate__: alive until the end, so ids stay unique

    def index_of(self, cls: type) -> int | None:
        """The class's number in the class table, added on first use; None when it cannot come back."""
        if cls in self.class_index:
            return self.class_index[cls]
        key = registry.class_key(cls)
        known = registry.lookup(key) is cls or (cls.__module__ in self.allowed and "<locals>" not in cls.__qualname__)
        index = None
        if known:
            index = len(self.classes)
            self.classes.append(key)
        self.class_index[cls] = index
        return index

    def remember(self, value: Any) -> dict[str, int] | None:
        number = self.seen.get(id(value))
        if number is not None:
            return {"@r": number}
        self.seen[id(value)] = len(self.seen)
        return None

    def skip(self, path: Any) -> Any:
        self.skipped.append(_path_text(path))
        return _SKIP

    def encode(self, value: Any, path: Any) -> Any:
        kind = type(value)
        if kind in self.plain:
            return value if not self.careful or kind is not str else _checked_text(value)
        if kind is float:
            return value if value - value == 0.0 else {"@f": repr(value)}  # inf - inf and nan - nan are nan
        if kind is int:  # careful mode only: orjson refuses ints past 64 bits
            return value if _INT_RANGE[0] <= value <= _INT_RANGE[1] else {"@i": str(value)}
        handler = _HANDLERS.get(kind)
        if handler is None:
            handler = _HANDLERS[kind] = _handler_for(kind)
        return handler(self, value, path)

    def encode_class(self, value: type, path: Any) -> Any:
        index = self.index_of(value)
        return self.skip(path) if index is None else {"@cls": index}

    def encode_function(self, value: Any, path: Any) -> Any:
        """A module-level function of the library or of the interview's modules (AssemblyLine keeps
        `auto_labeler = alpha`), by name; lambdas and nested functions are left out, as pickle would."""
        module, name = getattr(value, "__module__", None) or "", value.__qualname__
        if "<" in name or not _function_module(module, self.allowed):
            return self.skip(path)
        return {"@fn": f"{module}:{name}"}

    def encode_list(self, value: list[Any], path: Any) -> Any:
        ref = self.remember(value)
        if ref is not None:
            return ref
        plain = self.plain
        if not self.careful:
            if plain.issuperset(map(type, value)):
                return value
            batch = self.plain_objects(value)
            if batch is not None:
                return batch
        out = []
        careful = self.careful
        for index, item in enumerate(value):
            kind = type(item)
            if not careful and kind in plain:
                out.append(item)
                continue
            handler = _HANDLERS.get(kind)  # a list of objects: straight to their handler
            if handler is None:
                encoded = self.encode(item, (path, index, _INDEX))
            else:
                encoded = handler(self, item, (path, index, _INDEX))
            out.append(None if encoded is _SKIP else encoded)
        return out

    def plain_objects(self, value: list[Any]) -> Any:
        """A list of objects of one class, none met before, each with only plain attributes (a DAList's
        elements): {"@l": class, "s": [attributes, ...]}, or None when the list is not one."""
        cls = type(value[0]) if value else None
        if cls is None or cls in _SCALARS or cls in _ENCODERS:
            return None
        handler = _HANDLERS.get(cls)
        if handler is None:
            handler = _HANDLERS[cls] = _handler_for(cls)
        if handler is not _Encoder.encode_object:
            return None
        index = self.class_index.get(cls, -1)
        if index == -1:
            index = self.index_of(cls)
        if index is None or cls not in _PLAIN_STATE:
            return None
        seen, superset = self.seen, self.plain.issuperset
        states: list[dict[str, Any]] = []
        for item in value:
            state = getattr(item, "__dict__", None)
            if type(item) is not cls or id(item) in seen or type(state) is not dict or not superset(map(type, state.values())):
                for counted in value[:len(states)]:  # not one after all: their numbers are given back
                    del seen[id(counted)]
                return None
            seen[id(item)] = len(seen)
            states.append(state)
        return {"@l": index, "s": states}

    def encode_dict(self, value: dict[Any, Any], path: Any) -> Any:
        ref = self.remember(value)
        if ref is not None:
            return ref
        if not value:
            return {}
        first = next(iter(value))
        if type(first) is not str or first[:1] == "@" or (self.careful and not all(map(_key_text, value))):
            return self.encode_pairs(value, path)
        return self.encode_state(value, path, _KEY)

    def encode_state(self, value: dict[str, Any], path: Any, style: int) -> dict[str, Any]:
        """A str-keyed dict (a plain dict, or an object's attributes): as it is when all of it is plain."""
        plain = self.plain
        if not self.careful:
            if plain.issuperset(map(type, value.values())):
                return value
            out = {}
            for key, item in value.items():
                if type(item) in plain:
                    out[key] = item
                else:
                    encoded = self.encode(item, (path, key, style))
                    if encoded is not _SKIP:
                        out[key] = encoded
            return out
        out = {}
        for key, item in value.items():
            if _key_text(key):  # attributes only: a non-str key in __dict__ is left out
                encoded = self.encode(item, (path, key, style))
                if encoded is not _SKIP:
                    out[key] = encoded
        return out

    def encode_pairs(self, value: dict[Any, Any], path: Any) -> Any:
        pairs: list[Any] = []
        for key, item in value.items():
            encoded_key = self.encode(key, (path, None, _DICT_KEY))
            encoded = self.encode(item, (path, key, _KEY))
            if encoded_key is not _SKIP and encoded is not _SKIP:
                pairs += [encoded_key, encoded]
        return {"@d": pairs}

    def encode_immutable(self, value: Any, path: Any, tag: str) -> Any:
        if id(value) in self.in_progress:
            return self.skip(path)  # a tuple inside itself (through a list) cannot be rebuilt
        self.in_progress.add(id(value))
        try:
            items = [self.encode(item, (path, index, _INDEX)) for index, item in enumerate(value)]
        finally:
            self.in_progress.discard(id(value))
        if tag == "@t":
            return {tag: [None if item is _SKIP else item for item in items]}
        return {tag: [item for item in items if item is not _SKIP]}

    def encode_set(self, value: set[Any], path: Any) -> Any:
        ref = self.remember(value)
        if ref is not None:
            return ref
        items = [self.encode(item, (path, None, _ITEM)) for item in value]
        return {"@s": [item for item in items if item is not _SKIP]}

    def encode_object(self, value: Any, path: Any) -> Any:
        # the hot path of a big session (thousands of objects): written out rather than in helpers
        cls = type(value)
        index = self.class_index.get(cls, -1)
        if index == -1:
            index = self.index_of(cls)
        if index is None:
            return self.skip(path)
        if cls in _PLAIN_STATE:
            state = getattr(value, "__dict__", None)
        else:
            state = value.__getstate__()
            self.kept.append(state)
        if type(state) is not dict:
            return self.skip(path)
        seen = self.seen
        number = seen.get(id(value))
        if number is not None:
            return {"@r": number}
        seen[id(value)] = len(seen)
        if not self.careful and self.plain.issuperset(map(type, state.values())):
            return {"@p": index, "s": state}  # "@p": the attributes need no decoding
        return {"@o": index, "s": self.encode_state(state, path, _ATTR)}


def _key_text(key: Any) -> bool:
    """Whether a key can be a JSON object's key: text, and UTF-8 (no lone surrogates)."""
    return type(key) is str and (key.isascii() or type(_checked_text(key)) is str)


def _checked_text(text: str) -> Any:
    """Text as it is, unless it holds lone surrogates (a JSON "\\ud800" can post one): then tagged."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return {"@u": base64.b64encode(text.encode("utf-8", "surrogatepass")).decode("ascii")}
    return text


def _datetime(encoder: _Encoder, value: dt.datetime, path: Any) -> Any:
    out: dict[str, Any] = {"@dt": value.isoformat()}
    zone = _zone_key(value)
    if zone:
        out["z"] = zone
    if type(value) is not dt.datetime:  # DADateTime and other registered subclasses keep their class
        index = encoder.index_of(type(value))
        if index is None:
            return encoder.skip(path)
        out["c"] = index
    return out


_ENCODERS: dict[type, Any] = {
    list: _Encoder.encode_list,
    dict: _Encoder.encode_dict,
    tuple: lambda self, value, path: self.encode_immutable(value, path, "@t"),
    frozenset: lambda self, value, path: self.encode_immutable(value, path, "@fs"),
    set: _Encoder.encode_set,
    dt.datetime: _datetime,
    dt.date: lambda _self, value, _path: {"@date": value.isoformat()},
    dt.time: lambda _self, value, _path: {"@time": value.isoformat()},
    dt.timedelta: lambda _self, value, _path: {"@td": [value.days, value.seconds, value.microseconds]},
    decimal.Decimal: lambda _self, value, _path: {"@dec": str(value)},
    bytes: lambda _self, value, _path: {"@b": base64.b64encode(value).decode("ascii")},
}
_HANDLERS = dict(_ENCODERS)  # and each class met since, with _handler_for's answer


def _encode(answers: dict[str, Any], allowed: frozenset[str], careful: bool) -> tuple[bytes, list[str]]:
    import orjson

    encoder = _Encoder(allowed, careful)
    encoder.seen[id(answers)] = 0
    body = {}
    for name, value in answers.items():
        if type(name) is not str or (careful and not _key_text(name)):
            encoder.skipped.append(repr(name))
            continue
        encoded = encoder.encode(value, name)
        if encoded is not _SKIP:
            body[name] = encoded
    whole = {"c": encoder.classes, "a": body}
    if not careful:
        return orjson.dumps(whole), encoder.skipped
    try:
        return orjson.dumps(whole), encoder.skipped
    except TypeError:  # nested past orjson's 255 levels: the standard library's encoder goes deeper
        text = json.dumps(whole, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return text.encode("utf-8"), encoder.skipped


def dumps(answers: dict[str, Any], *, allowed_modules: Iterable[str] = (),
          skipped: list[str] | None = None) -> bytes:
    """The answers as bytes. Names of values that could not be stored are appended to `skipped`."""
    if not isinstance(answers, dict):
        raise TypeError("answers must be a dict")
    allowed = frozenset(allowed_modules)
    try:
        text, left_out = _encode(answers, allowed, careful=False)
    except TypeError:  # orjson met what JSON cannot hold as it is: check every value this time
        text, left_out = _encode(answers, allowed, careful=True)
    if skipped is not None:
        skipped.extend(left_out)
    return b"OA%dj:" % VERSION + text


class _Decoder:
    """One loads(): rebuilds in place the lists and dicts the JSON parser made."""

    def __init__(self, allowed_modules: Iterable[str], class_keys: list[Any] | None) -> None:
        self.allowed = frozenset(allowed_modules)
        self.keys = class_keys  # None in format 1, which names each class by its key
        self.classes: dict[Any, type] = {}
        self.own_setstate: set[type] = set()
        self.made: list[Any] = []
        self.containers: list[Any] = []  # every list, dict and set made (what offstage.answers.tracking watches)

    def cls(self, ref: Any) -> type:
        found = self.classes.get(ref)
        if found is not None:
            return found
        if self.keys is None:
            key = ref
        elif type(ref) is int and 0 <= ref < len(self.keys):
            key = self.keys[ref]
        else:
            raise AnswersCorrupt(_NOT_VALID)
        found = self.classes[ref] = self.resolve(key)
        if getattr(found, "__setstate__", None) is not None:
            self.own_setstate.add(found)
        return found

    def resolve(self, key: Any) -> type:
        if type(key) is not str:
            raise AnswersCorrupt(_NOT_VALID)
        cls = registry.lookup(key) or _offstage_class(key)
        if cls is not None:
            return cls
        module_name, _, qualname = key.rpartition(".")
        while module_name and module_name not in self.allowed:
            module_name, _, head = module_name.rpartition(".")
            qualname = f"{head}.{qualname}"
        if not module_name:
            raise AnswersCorrupt(f"unknown class '{key}' in answers")
        found: Any = importlib.import_module(module_name)  # one of the interview's own modules
        for part in qualname.split("."):
            found = getattr(found, part, None)
        if not isinstance(found, type) or registry.class_key(found) != key:
            raise AnswersCorrupt(f"unknown class '{key}' in answers")
        return found

    def decode(self, value: Any) -> Any:
        kind = type(value)
        if kind is dict:
            if value:
                tag = next(iter(value))
                if tag == "@p":
                    return self.plain_object(value["@p"], value)
                if tag[:1] == "@":
                    return _TAGS[tag](self, value[tag], value)
            self.made.append(value)
            self.containers.append(value)
            return self.in_place(value)
        if kind is list:
            return self.a_list(value)
        return value

    def a_list(self, items: list[Any]) -> list[Any]:
        self.made.append(items)
        self.containers.append(items)
        if not _CONTAINERS.isdisjoint(map(type, items)):
            for index, item in enumerate(items):
                kind = type(item)
                if kind is dict and item and next(iter(item)) == "@p":  # a list of objects: straight there
                    items[index] = self.plain_object(item["@p"], item)
                elif kind is list:
                    items[index] = self.a_list(item)
                elif kind is dict:
                    items[index] = self.decode(item)
        return items

    def in_place(self, state: dict[str, Any]) -> dict[str, Any]:
        """A str-keyed dict whose containers are decoded where they stand (the keys stay as they are)."""
        if not _CONTAINERS.isdisjoint(map(type, state.values())):
            for key, item in state.items():
                if type(item) in _CONTAINERS:
                    state[key] = self.decode(item)
        return state

    def pairs(self, items: list[Any], _: Any) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        self.made.append(out)
        self.containers.append(out)
        for index in range(0, len(items), 2):
            out[self.decode(items[index])] = self.decode(items[index + 1])
        return out

    def a_set(self, items: list[Any], _: Any) -> set[Any]:
        out: set[Any] = set()
        self.made.append(out)
        self.containers.append(out)
        for item in items:
            out.add(self.decode(item))
        return out

    def an_object(self, ref: Any, whole: dict[str, Any]) -> Any:
        cls: Any = self.classes.get(ref) or self.cls(ref)  # Any: mypy cannot check cls.__new__(cls)
        made = cls.__new__(cls)
        self.made.append(made)
        state = whole["s"]
        if type(state) is not dict:
            raise AnswersCorrupt(_NOT_VALID)
        self.in_place(state)
        return self.fill(cls, made, state)

    def plain_object(self, ref: Any, whole: dict[str, Any]) -> Any:
        """An object whose attributes are all str / int / bool / None: they are used as parsed."""
        cls: Any = self.classes.get(ref) or self.cls(ref)
        made = cls.__new__(cls)
        self.made.append(made)
        state = whole["s"]
        if type(state) is not dict:
            raise AnswersCorrupt(_NOT_VALID)
        return self.fill(cls, made, state)

    def plain_objects(self, ref: Any, whole: dict[str, Any]) -> list[Any]:
        """A list of objects of one class with plain attributes: made in one loop, in the parsed list."""
        cls: Any = self.classes.get(ref) or self.cls(ref)
        items = whole["s"]
        if type(items) is not list:
            raise AnswersCorrupt(_NOT_VALID)
        made = self.made
        made.append(items)
        self.containers.append(items)
        new, fill = cls.__new__, self.fill
        for index, state in enumerate(items):
            if type(state) is not dict:
                raise AnswersCorrupt(_NOT_VALID)
            one = new(cls)
            made.append(one)
            items[index] = fill(cls, one, state)
        return items

    def fill(self, cls: type, made: Any, state: dict[str, Any]) -> Any:
        if cls in self.own_setstate:
            made.__setstate__(state)
        elif made.__dict__:  # __new__ set something: keep it, as pickle does
            made.__dict__.update(state)
        else:  # the parsed dict itself: no copy (and not through a tracking hook: loading is no change)
            _set_attribute(made, "__dict__", state)
        return made

    def a_datetime(self, text: str, whole: dict[str, Any]) -> dt.datetime:
        moment = dt.datetime.fromisoformat(text)
        if "z" in whole:
            import zoneinfo

            moment = moment.astimezone(zoneinfo.ZoneInfo(whole["z"]))
        if "c" in whole:
            cls = self.cls(whole["c"])
            if not issubclass(cls, dt.datetime):
                raise AnswersCorrupt(_NOT_VALID)
            moment = cls(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
                         moment.microsecond, moment.tzinfo, fold=moment.fold)
        return moment

    def a_reference(self, number: int, _: Any) -> Any:
        if type(number) is not int or not 0 <= number < len(self.made):
            raise AnswersCorrupt(_NOT_VALID)
        return self.made[number]


def _function_module(module: str, allowed: frozenset[str]) -> bool:
    return module in allowed or module.startswith("offstage.library.")


def _function(decoder: Any, text: Any, _whole: Any) -> Any:
    """The function a "@fn" names, from a module the answers may use; it is looked up, never called."""
    module, _, name = text.partition(":") if type(text) is str else ("", "", "")
    if not _function_module(module, decoder.allowed) or not name:
        raise AnswersCorrupt(f"unknown function {text!r} in answers")
    found: Any = importlib.import_module(module)
    for part in name.split("."):
        found = getattr(found, part, None)
    if type(found) is not _FUNCTION or found.__module__ != module or found.__qualname__ != name:
        raise AnswersCorrupt(f"unknown function {text!r} in answers")
    return found


def _offstage_class(key: str) -> type | None:
    """A class offstage registers in a module of its own not imported yet (a fresh process that loads
    answers before the library): that module is imported, and only the registry answers."""
    if not key.startswith("offstage."):
        return None
    module_name = key.rpartition(".")[0]
    while module_name.count(".") >= 1:
        try:
            importlib.import_module(module_name)
            break
        except ImportError:
            module_name = module_name.rpartition(".")[0]
    return registry.lookup(key)


def _float(text: str) -> float:
    if text not in ("nan", "inf", "-inf"):
        raise AnswersCorrupt(_NOT_VALID)
    return float(text)


def _big_int(text: str) -> int:
    if type(text) is not str or len(text) > 4000:  # Python's own limit on int() of text
        raise AnswersCorrupt(_NOT_VALID)
    return int(text)


_TAGS: dict[str, Any] = {
    "@r": _Decoder.a_reference,
    "@d": _Decoder.pairs,
    "@s": _Decoder.a_set,
    "@o": _Decoder.an_object,
    "@p": _Decoder.plain_object,
    "@l": _Decoder.plain_objects,
    "@dt": _Decoder.a_datetime,
    "@t": lambda self, items, _: tuple(self.decode(item) for item in items),
    "@fs": lambda self, items, _: frozenset(self.decode(item) for item in items),
    "@date": lambda _self, text, _: dt.date.fromisoformat(text),
    "@time": lambda _self, text, _: dt.time.fromisoformat(text),
    "@td": lambda _self, parts, _: dt.timedelta(days=parts[0], seconds=parts[1], microseconds=parts[2]),
    "@dec": lambda _self, text, _: decimal.Decimal(text),
    "@b": lambda _self, text, _: base64.b64decode(text.encode("ascii"), validate=True),
    "@f": lambda _self, text, _: _float(text),
    "@i": lambda _self, text, _: _big_int(text),
    "@u": lambda _self, text, _: base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8", "surrogatepass"),
    "@cls": lambda self, ref, _: self.cls(ref),
    "@fn": _function,
}


def _body(data: bytes) -> tuple[int, Any]:
    """The format version and the parsed JSON."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise AnswersCorrupt(_NOT_VALID)
    data = bytes(data)
    match = _HEADER.match(data)
    if match is None:
        raise AnswersCorrupt(_NOT_VALID)
    version = int(match.group(1))
    if version == VERSION and match.group(2) != b"j":  # format 2 is never compressed inside
        raise AnswersCorrupt(_NOT_VALID)
    if version not in (1, VERSION):
        raise AnswersCorrupt(f"answers were written by format version {version}; "
                             f"this offstage reads versions 1 to {VERSION}")
    payload = data[match.end():]
    try:
        if version == 1:  # the standard library's parser: format 1 wrote ints past 64 bits as they are
            return version, json.loads(zlib.decompress(payload) if match.group(2) == b"z" else payload)
        import orjson

        try:
            return version, orjson.loads(payload)
        except orjson.JSONDecodeError:  # deeper than orjson's 1,024 levels, or not JSON at all
            return version, json.loads(payload)
    except (zlib.error, ValueError, RecursionError):
        raise AnswersCorrupt(_NOT_VALID) from None


def loads(data: bytes, *, allowed_modules: Iterable[str] = ()) -> dict[str, Any]:
    """The answers stored by dumps(). Raises AnswersCorrupt for foreign, damaged or newer data."""
    return _decoded(data, allowed_modules)[0]


def loads_watched(data: bytes, *, allowed_modules: Iterable[str] = ()) -> tuple[dict[str, Any], Any]:
    """loads() and an offstage.answers.tracking.Watch that tells whether the answers were changed since."""
    from offstage.answers.tracking import Watch

    answers, decoder = _decoded(data, allowed_modules)
    return answers, Watch(answers, decoder.containers, decoder.made, decoder.classes.values())


def _decoded(data: bytes, allowed_modules: Iterable[str]) -> tuple[dict[str, Any], _Decoder]:
    version, body = _body(data)
    if version == 1:
        keys, answers_in = None, body
    elif type(body) is dict and type(body.get("c")) is list:
        keys, answers_in = body["c"], body.get("a")
    else:
        raise AnswersCorrupt(_NOT_VALID)
    if type(answers_in) is not dict:
        raise AnswersCorrupt(_NOT_VALID)
    decoder = _Decoder(allowed_modules, keys)
    answers: dict[str, Any] = {}
    decoder.made.append(answers)
    decoder.containers.append(answers)
    try:
        for name, value in answers_in.items():
            answers[name] = decoder.decode(value)
    except AnswersCorrupt:
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ImportError, RecursionError,
            OverflowError, zlib.error):
        raise AnswersCorrupt(_NOT_VALID) from None
    return answers, decoder
