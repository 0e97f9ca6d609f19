"""Variable and action names as data: one strict grammar, read by hand, resolved without eval.

Every name that comes from a request (an action in a link, a check-in or a task, a posted field or API
variable, a stored pending action) is read here, and so are the names the author functions take
(`value()`, `define()` ...). A name is an identifier followed by any number of `.identifier` and
`[index]` steps; an index is an integer, a quoted string with simple escapes, True / False / None, or a
plain identifier whose value the answers hold (`i`, `j` ... bound by the engine), looked up, never
evaluated. Identifiers starting with `_` (private and dunder) and Python keywords are refused in every
part, and so are names over MAX_LENGTH characters or MAX_STEPS steps. Nothing here calls eval, exec,
compile or ast.parse, so no text, however long or nested, can run code or exhaust the parser.
"""

from __future__ import annotations

import functools
import keyword
import re
import types
import unicodedata
from typing import Any

MAX_LENGTH = 500
MAX_STEPS = 32
_IDENTIFIER = re.compile(r"[^\W\d]\w*")
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,17})(?![0-9])")
_SPACES = " \t"
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "t": "\t", "r": "\r"}
_LITERALS: dict[str, bool | None] = {"True": True, "False": False, "None": None}
# what an attribute or item is never set on: code and classes, which every session of the process shares
_SHARED = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
           types.CodeType, functools.partial)


class NotAName(ValueError):
    """Text that is not a variable name of this grammar; `reason` says which rule it breaks."""

    def __init__(self, text: Any, reason: str) -> None:
        super().__init__(f"{shown(text)} is not a variable name: {reason}")
        self.reason = reason


def shown(text: Any, limit: int = 60) -> str:
    """Text quoted for a message: repr (control and invisible characters escaped), cut to `limit`."""
    if not isinstance(text, str):
        return f"a {type(text).__name__}"
    return repr(text[:limit]) + ("..." if len(text) > limit else "")


class _Part:
    """A value object: equal by kind and content, hashable, shared by the parse cache (never changed).

    Written by hand rather than as dataclasses: this module is imported on every cold start.
    """

    __slots__ = ()

    def _content(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._content() == self._content()

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self._content()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self._content()!r}"


class Attribute(_Part):
    """`.name`"""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def _content(self) -> tuple[Any, ...]:
        return (self.name,)

    @property
    def spelling(self) -> str:
        return "." + self.name


class Item(_Part):
    """A subscript written as a literal: `[0]`, `[-1]`, `['key']`, `[True]`."""

    __slots__ = ("key",)

    def __init__(self, key: int | str | bool | None) -> None:
        self.key = key

    def _content(self) -> tuple[Any, ...]:
        return (type(self.key), self.key)  # [True] is not [1], though True == 1

    @property
    def spelling(self) -> str:
        return f"[{self.key!r}]"


class IndexVariable(_Part):
    """A subscript naming a variable (`[i]`): its value is looked up in the answers."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def _content(self) -> tuple[Any, ...]:
        return (self.name,)

    @property
    def spelling(self) -> str:
        return f"[{self.name}]"


Step = Attribute | Item | IndexVariable


class VarPath(_Part):
    """A parsed name: the root variable and the steps from it."""

    __slots__ = ("root", "steps")

    def __init__(self, root: str, steps: tuple[Step, ...] = ()) -> None:
        self.root, self.steps = root, steps

    def _content(self) -> tuple[Any, ...]:
        return (self.root, self.steps)

    @property
    def spelling(self) -> str:
        """The canonical text of the name (strings quoted as repr does)."""
        return self.root + spell(self.steps)

    def prefix(self, count: int) -> VarPath:
        return VarPath(self.root, self.steps[:count])


def spell(steps: tuple[Step, ...]) -> str:
    return "".join(step.spelling for step in steps)


# --- reading ---------------------------------------------------------------------------------------


def parse_name(text: Any) -> VarPath:
    """The name in `text`, or NotAName saying why it is not one."""
    if not isinstance(text, str):
        raise NotAName(text, "a name is text")
    if len(text) > MAX_LENGTH:  # checked before the cache, so no long text is ever kept as a key
        raise NotAName(text, f"it is longer than {MAX_LENGTH} characters")
    found = _parse(text)
    if isinstance(found, str):
        raise NotAName(text, found)
    return found


def as_name(text: Any) -> VarPath | None:
    """The name in `text`, or None when it is not one (an expression, say)."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return None
    found = _parse(text)
    return None if isinstance(found, str) else found


def parse_index(text: Any) -> Item | IndexVariable | None:
    """What `text` is as the inside of a subscript (`0`, `'k'`, `i`), or None."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return None
    found = _parse(f"x[{text}]")
    if isinstance(found, str) or len(found.steps) != 1 or isinstance(found.steps[0], Attribute):
        return None
    return found.steps[0]


class _Refused(Exception):
    pass


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> VarPath | str:
    """The name, or the reason it is not one (cached either way; the cache is bounded)."""
    body = text.strip()
    if not body:
        return "it is empty"
    try:
        root, pos = _identifier(body, 0)
        steps: list[Step] = []
        while pos < len(body):
            if len(steps) == MAX_STEPS:
                raise _Refused(f"it has more than {MAX_STEPS} steps")
            char = body[pos]
            if char == ".":
                name, pos = _identifier(body, pos + 1)
                steps.append(Attribute(name))
            elif char == "[":
                step, pos = _index(body, pos + 1)
                steps.append(step)
            else:
                raise _Refused(f"{char!r} at position {pos + 1} is not allowed (only '.name' and '[index]')")
        return VarPath(root, tuple(steps))
    except _Refused as refused:
        return str(refused)


def _identifier(body: str, pos: int) -> tuple[str, int]:
    found = _IDENTIFIER.match(body, pos)
    if found is None:
        raise _Refused(f"an identifier is expected at position {pos + 1}")
    raw = found.group()
    name = unicodedata.normalize("NFKC", raw)  # as Python reads identifiers: what the code would name
    if not name.isidentifier():
        raise _Refused(f"{raw!r} is not an identifier")
    if name.startswith("_"):
        raise _Refused(f"{raw!r} starts with '_' (private names cannot be used)")
    if keyword.iskeyword(name):
        raise _Refused(f"{name!r} is a Python keyword")
    return name, found.end()


def _index(body: str, pos: int) -> tuple[Step, int]:
    pos = _skip_spaces(body, pos)
    char = body[pos] if pos < len(body) else ""
    step: Step
    if char in ("'", '"'):
        key, pos = _string(body, pos)
        step = Item(key)
    elif char == "-" or "0" <= char <= "9":
        found = _INTEGER.match(body, pos)
        if found is None:
            raise _Refused(f"a whole number (at most 18 digits) is expected at position {pos + 1}")
        step, pos = Item(int(found.group())), found.end()
    elif char:
        word = _IDENTIFIER.match(body, pos)
        if word is not None and word.group() in _LITERALS:
            step, pos = Item(_LITERALS[word.group()]), word.end()
        else:
            name, pos = _identifier(body, pos)
            step = IndexVariable(name)
    else:
        raise _Refused("an index is expected after '['")
    pos = _skip_spaces(body, pos)
    if pos >= len(body) or body[pos] != "]":
        raise _Refused(f"']' is expected at position {pos + 1}")
    return step, pos + 1


def _skip_spaces(body: str, pos: int) -> int:
    while pos < len(body) and body[pos] in _SPACES:
        pos += 1
    return pos


def _string(body: str, pos: int) -> tuple[str, int]:
    quote = body[pos]
    pos += 1
    out: list[str] = []
    while pos < len(body):
        char = body[pos]
        if char == quote:
            return "".join(out), pos + 1
        if char == "\\":
            escaped = _ESCAPES.get(body[pos + 1] if pos + 1 < len(body) else "")
            if escaped is None:
                raise _Refused("only the escapes \\\\, \\', \\\", \\n, \\t and \\r are allowed in a string")
            out.append(escaped)
            pos += 2
            continue
        if not char.isprintable():
            raise _Refused(f"a string holds the invisible character {char!r}")
        out.append(char)
        pos += 1
    raise _Refused("a string is not closed")


# --- resolving ---------------------------------------------------------------------------------------


def get(path: VarPath, answers: dict[str, Any]) -> Any:
    """The value the name stands for: attributes and items walked, nothing called but their lookups.

    A missing root raises NameError(name=root), as Python would, so the engine seeks it; a library
    object's missing attribute or item raises its own error naming the whole variable.
    """
    value = _root(path.root, answers, functions_too=True)
    for step in path.steps:
        value = _step(value, step, answers)
    return value


def assign(path: VarPath, answers: dict[str, Any], value: Any) -> None:
    """Set the variable: a root in the answers, or an attribute or item of an object they hold."""
    if not path.steps:
        answers[path.root] = value
        return
    parent, last = _parent(path, answers)
    if isinstance(last, Attribute):
        setattr(parent, last.name, value)
    else:
        parent[_key(last, answers)] = value


def delete(path: VarPath, answers: dict[str, Any]) -> None:
    """Undefine the variable; a missing one raises NameError / AttributeError / KeyError / IndexError."""
    if not path.steps:
        if path.root not in answers:
            raise NameError(f"name '{path.root}' is not defined", name=path.root)
        del answers[path.root]
        return
    parent, last = _parent(path, answers)
    if isinstance(last, Attribute):
        delattr(parent, last.name)
    else:
        del parent[_key(last, answers)]


def check_settable(path: VarPath, answers: dict[str, Any]) -> None:
    """Raise unless the variable's object is reached through the answers' own data (instance attributes
    and items, not class attributes or properties) and is not code or a class: for names a request
    chose freely, so that nothing shared with other sessions can be changed."""
    if path.steps:
        _parent(path, answers, own_only=True)


def _parent(path: VarPath, answers: dict[str, Any], own_only: bool = False) -> tuple[Any, Step]:
    # the object changed must be one the answers hold, never a function or module of the namespace
    parent = _root(path.root, answers, functions_too=False)
    for step in path.steps[:-1]:
        parent = _own_step(parent, step, answers) if own_only else _step(parent, step, answers)
    if isinstance(parent, _SHARED):
        raise TypeError(f"{path.prefix(len(path.steps) - 1).spelling} is a {type(parent).__name__}, "
                        "which a variable cannot be set on")
    return parent, path.steps[-1]


def _own_step(value: Any, step: Step, answers: dict[str, Any]) -> Any:
    if not isinstance(step, Attribute):
        return value[_key(step, answers)]
    try:
        return vars(value)[step.name]
    except (TypeError, KeyError):
        raise AttributeError(f"{step.name!r} is not an attribute this object holds") from None


def _root(name: str, answers: dict[str, Any], functions_too: bool) -> Any:
    try:
        return answers[name]
    except KeyError:
        pass
    if functions_too:
        functions = answers.get("__builtins__")
        if isinstance(functions, dict) and name in functions:
            return functions[name]
    raise NameError(f"name '{name}' is not defined", name=name)


def _step(value: Any, step: Step, answers: dict[str, Any]) -> Any:
    if isinstance(step, Attribute):
        return getattr(value, step.name)
    return value[_key(step, answers)]


def _key(step: Step, answers: dict[str, Any]) -> Any:
    if isinstance(step, Item):
        return step.key
    assert isinstance(step, IndexVariable)  # noqa: S101 - narrows the type for mypy; the code above guarantees it
    try:
        return answers[step.name]
    except KeyError:
        raise NameError(f"name '{step.name}' is not defined", name=step.name) from None
