"""The stored form of a session's answers: versioned, type-tagged JSON (optionally zlib-compressed).

Not pickle: loading only ever rebuilds plain data and instances of known classes (the library's,
those registered with `offstage.answers.registry.register`, and those of the interview's own
`modules:`), so stored answers cannot run code. Values that cannot be stored (modules, functions,
open files, locks, instances of unknown classes) are left out, as docassemble leaves out what it
cannot pickle; their names are reported to the caller for logging.

Layout: b"OA<version><j|z>:" then JSON (z: zlib-compressed JSON). Inside the JSON, plain str-keyed
dicts are JSON objects and lists are arrays; everything else is an object whose first key is a tag
starting with "@". Shared and cyclic references: every list, dict, set and object gets a number in
the order it is first met, and a later meeting is written {"@r": number}.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import importlib
import json
import math
import re
import zlib
from collections.abc import Iterable
from typing import Any

from offstage.answers import registry
from offstage.errors import AnswersCorrupt

VERSION = 1
_HEADER = re.compile(rb"OA(\d{1,6})([jz]):")
_COMPRESS_ABOVE = 4096
_SKIP = object()
_NOT_VALID = "answers are not valid offstage data"


def _zone_key(moment: Any) -> str | None:
    return getattr(moment.tzinfo, "key", None) if moment.tzinfo is not None else None


class _Encoder:
    def __init__(self, allowed_modules: Iterable[str]) -> None:
        self.allowed = frozenset(allowed_modules)
        self.seen: dict[int, int] = {}
        self.in_progress: set[int] = set()
        self.skipped: list[str] = []

    def loadable(self, cls: type) -> bool:
        key = registry.class_key(cls)
        if registry.lookup(key) is cls:
            return True
        return cls.__module__ in self.allowed and "<locals>" not in cls.__qualname__

    def remember(self, value: Any) -> dict[str, int] | None:
        number = self.seen.get(id(value))
        if number is not None:
            return {"@r": number}
        self.seen[id(value)] = len(self.seen)
        return None

    def skip(self, path: str) -> Any:
        self.skipped.append(path)
        return _SKIP

    def encode(self, value: Any, path: str) -> Any:
        kind = type(value)
        if kind is str or kind is int or kind is bool or value is None:
            return value
        if kind is float:
            return value if math.isfinite(value) else {"@f": repr(value)}
        handler = _ENCODERS.get(kind)
        if handler is not None:
            return handler(self, value, path)
        if isinstance(value, dt.datetime):
            return _datetime(self, value, path)
        if isinstance(value, type):
            return {"@cls": registry.class_key(value)} if self.loadable(value) else self.skip(path)
        return self.encode_object(value, path)

    def encode_list(self, value: list[Any], path: str) -> Any:
        ref = self.remember(value)
        if ref is not None:
            return ref
        out = []
        for index, item in enumerate(value):
            encoded = self.encode(item, f"{path}[{index}]")
            out.append(None if encoded is _SKIP else encoded)
        return out

    def encode_dict(self, value: dict[Any, Any], path: str) -> Any:
        ref = self.remember(value)
        if ref is not None:
            return ref
        if all(type(key) is str and not key.startswith("@") for key in value):
            out = {}
            for key, item in value.items():
                encoded = self.encode(item, f"{path}[{key!r}]")
                if encoded is not _SKIP:
                    out[key] = encoded
            return out
        pairs: list[Any] = []
        for key, item in value.items():
            encoded_key = self.encode(key, f"{path} key")
            encoded = self.encode(item, f"{path}[{key!r}]")
            if encoded_key is not _SKIP and encoded is not _SKIP:
                pairs += [encoded_key, encoded]
        return {"@d": pairs}

    def encode_immutable(self, value: Any, path: str, tag: str) -> Any:
        if id(value) in self.in_progress:
            return self.skip(path)  # a tuple inside itself (through a list) cannot be rebuilt
        self.in_progress.add(id(value))
        try:
            items = [self.encode(item, f"{path}[{index}]") for index, item in enumerate(value)]
        finally:
            self.in_progress.discard(id(value))
        if tag == "@t":
            return {tag: [None if item is _SKIP else item for item in items]}
        return {tag: [item for item in items if item is not _SKIP]}

    def encode_set(self, value: set[Any], path: str) -> Any:
        ref = self.remember(value)
        if ref is not None:
            return ref
        items = [self.encode(item, f"{path} item") for item in value]
        return {"@s": [item for item in items if item is not _SKIP]}

    def encode_object(self, value: Any, path: str) -> Any:
        cls = type(value)
        if not self.loadable(cls):
            return self.skip(path)
        custom = getattr(cls, "__getstate__", None) is not object.__getstate__
        if custom:
            state = value.__getstate__()
        else:
            state = getattr(value, "__dict__", None)
        if not isinstance(state, dict):
            return self.skip(path)
        ref = self.remember(value)
        if ref is not None:
            return ref
        out = {}
        for key, item in state.items():
            if type(key) is str:
                encoded = self.encode(item, f"{path}.{key}")
                if encoded is not _SKIP:
                    out[key] = encoded
        return {"@o": registry.class_key(cls), "s": out}


def _datetime(encoder: _Encoder, value: dt.datetime, path: str) -> Any:
    out: dict[str, Any] = {"@dt": value.isoformat()}
    zone = _zone_key(value)
    if zone:
        out["z"] = zone
    if type(value) is not dt.datetime:  # DADateTime and other registered subclasses keep their class
        if not encoder.loadable(type(value)):
            return encoder.skip(path)
        out["c"] = registry.class_key(type(value))
    return out


_ENCODERS: dict[type, Any] = {
    list: _Encoder.encode_list,
    dict: _Encoder.encode_dict,
    tuple: lambda self, value, path: self.encode_immutable(value, path, "@t"),
    frozenset: lambda self, value, path: self.encode_immutable(value, path, "@fs"),
    set: _Encoder.encode_set,
    dt.datetime: _datetime,
    dt.date: lambda self, value, path: {"@date": value.isoformat()},
    dt.time: lambda self, value, path: {"@time": value.isoformat()},
    dt.timedelta: lambda self, value, path: {"@td": [value.days, value.seconds, value.microseconds]},
    decimal.Decimal: lambda self, value, path: {"@dec": str(value)},
    bytes: lambda self, value, path: {"@b": base64.b64encode(value).decode("ascii")},
}


def dumps(answers: dict[str, Any], *, allowed_modules: Iterable[str] = (),
          skipped: list[str] | None = None) -> bytes:
    """The answers as bytes. Names of values that could not be stored are appended to `skipped`."""
    if not isinstance(answers, dict):
        raise TypeError("answers must be a dict")
    encoder = _Encoder(allowed_modules)
    encoder.seen[id(answers)] = 0
    body = {}
    for name, value in answers.items():
        if type(name) is not str:
            encoder.skipped.append(repr(name))
            continue
        encoded = encoder.encode(value, name)
        if encoded is not _SKIP:
            body[name] = encoded
    if skipped is not None:
        skipped.extend(encoder.skipped)
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
    if len(text) > _COMPRESS_ABOVE:
        packed = zlib.compress(text, 1)
        if len(packed) < len(text):
            return b"OA%dz:" % VERSION + packed
    return b"OA%dj:" % VERSION + text


class _Decoder:
    def __init__(self, allowed_modules: Iterable[str]) -> None:
        self.allowed = frozenset(allowed_modules)
        self.made: list[Any] = []

    def resolve(self, key: Any) -> type:
        if type(key) is not str:
            raise AnswersCorrupt(_NOT_VALID)
        cls = registry.lookup(key)
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
        if kind is list:
            out: list[Any] = []
            self.made.append(out)
            out.extend(self.decode(item) for item in value)
            return out
        if kind is dict:
            if value:
                tag = next(iter(value))
                if tag[:1] == "@":
                    return _TAGS[tag](self, value[tag], value)
            plain: dict[str, Any] = {}
            self.made.append(plain)
            for key, item in value.items():
                plain[key] = self.decode(item)
            return plain
        return value

    def pairs(self, items: list[Any], _: Any) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        self.made.append(out)
        for index in range(0, len(items), 2):
            out[self.decode(items[index])] = self.decode(items[index + 1])
        return out

    def a_set(self, items: list[Any], _: Any) -> set[Any]:
        out: set[Any] = set()
        self.made.append(out)
        for item in items:
            out.add(self.decode(item))
        return out

    def an_object(self, key: str, whole: dict[str, Any]) -> Any:
        cls: Any = self.resolve(key)  # Any: mypy cannot check cls.__new__(cls) on a bare `type`
        made = cls.__new__(cls)
        self.made.append(made)
        state = {name: self.decode(item) for name, item in whole["s"].items()}
        if getattr(cls, "__setstate__", None) is not None:
            made.__setstate__(state)
        else:
            made.__dict__.update(state)
        return made

    def a_datetime(self, text: str, whole: dict[str, Any]) -> dt.datetime:
        moment = dt.datetime.fromisoformat(text)
        if "z" in whole:
            import zoneinfo

            moment = moment.astimezone(zoneinfo.ZoneInfo(whole["z"]))
        if "c" in whole:
            cls = self.resolve(whole["c"])
            if not issubclass(cls, dt.datetime):
                raise AnswersCorrupt(_NOT_VALID)
            moment = cls(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
                         moment.microsecond, moment.tzinfo, fold=moment.fold)
        return moment

    def a_reference(self, number: int, _: Any) -> Any:
        if type(number) is not int or not 0 <= number < len(self.made):
            raise AnswersCorrupt(_NOT_VALID)
        return self.made[number]


def _float(text: str, _: Any) -> float:
    if text not in ("nan", "inf", "-inf"):
        raise AnswersCorrupt(_NOT_VALID)
    return float(text)


_TAGS: dict[str, Any] = {
    "@r": _Decoder.a_reference,
    "@d": _Decoder.pairs,
    "@s": _Decoder.a_set,
    "@o": _Decoder.an_object,
    "@dt": _Decoder.a_datetime,
    "@t": lambda self, items, _: tuple(self.decode(item) for item in items),
    "@fs": lambda self, items, _: frozenset(self.decode(item) for item in items),
    "@date": lambda self, text, _: dt.date.fromisoformat(text),
    "@time": lambda self, text, _: dt.time.fromisoformat(text),
    "@td": lambda self, parts, _: dt.timedelta(days=parts[0], seconds=parts[1], microseconds=parts[2]),
    "@dec": lambda self, text, _: decimal.Decimal(text),
    "@b": lambda self, text, _: base64.b64decode(text.encode("ascii"), validate=True),
    "@f": lambda self, text, _: _float(text, _),
    "@cls": lambda self, key, _: self.resolve(key),
}


def _body(data: bytes) -> Any:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise AnswersCorrupt(_NOT_VALID)
    data = bytes(data)
    match = _HEADER.match(data)
    if match is None:
        raise AnswersCorrupt(_NOT_VALID)
    version = int(match.group(1))
    if version != VERSION:
        raise AnswersCorrupt(f"answers were written by format version {version}; "
                             f"this offstage reads version {VERSION}")
    payload = data[match.end():]
    try:
        if match.group(2) == b"z":
            payload = zlib.decompress(payload)
        return json.loads(payload)
    except (zlib.error, ValueError, RecursionError):
        raise AnswersCorrupt(_NOT_VALID) from None


def loads(data: bytes, *, allowed_modules: Iterable[str] = ()) -> dict[str, Any]:
    """The answers stored by dumps(). Raises AnswersCorrupt for foreign, damaged or newer data."""
    body = _body(data)
    if type(body) is not dict:
        raise AnswersCorrupt(_NOT_VALID)
    decoder = _Decoder(allowed_modules)
    answers: dict[str, Any] = {}
    decoder.made.append(answers)
    try:
        for name, value in body.items():
            answers[name] = decoder.decode(value)
    except AnswersCorrupt:
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ImportError, RecursionError,
            OverflowError, zlib.error):
        raise AnswersCorrupt(_NOT_VALID) from None
    return answers
