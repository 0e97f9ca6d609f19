"""Mako templates rendered against the interview namespace, looking names up lazily.

Real Mako resolves every free name of a template before rendering it, so a name used only in an untaken
`% if` branch would be sought anyway. The subset interviews use (`${ expr }`, `% if/for/while` lines,
`<%doc>`, `<%text>`, `<% code %>`, trailing `\\`) is compiled here into one Python function
whose globals are the namespace: a missing name raises NameError exactly where it is used. Templates with
other `<%` tags (defs, inheritance, namespaces) fall back to the Mako package. A line starting with `##`
is text, as in docassemble's own copy of Mako (a Markdown heading such as `### Note`), not a comment.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Any, cast

# Compiled templates by source, least recently used first: interview texts repeat, but a text built at
# run time (answers in it) is new each time, so the cache is bounded.
_CACHE: OrderedDict[str, Any] = OrderedDict()
_CACHE_SIZE = 1024
_cache_lock = threading.Lock()
_CONTROL = re.compile(r"^[ \t]*%(?!%)(.*)$")
_FALLBACK_TAGS = re.compile(r"<%(def|block|include|namespace|inherit|call|page)\b|</?%[a-z]+:")
_FILTERS = {"h": "__mako_h", "u": "__mako_u", "n": None, "trim": "__mako_trim", "str": None, "unicode": None,
            "x": "__mako_h", "entity": "__mako_h"}


class TemplateError(Exception):
    """A template that cannot be compiled (unbalanced `${`, bad `%` line ...)."""


def render(source: str, namespace: dict[str, Any]) -> str:
    """Render `source` with `namespace` as its globals; NameError/AttributeError propagate to the caller."""
    if "${" not in source and "%" not in source and "\\\n" not in source and "##" not in source:
        return source
    template = _CACHE.get(source)
    if template is None:
        template = _compile(source)
        with _cache_lock:
            _CACHE[source] = template
            if len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    else:
        with _cache_lock:
            if source in _CACHE:
                _CACHE.move_to_end(source)
    return cast("str", template(namespace))


def _compile(source: str) -> Any:
    if _FALLBACK_TAGS.search(source):
        return _mako_package(source)
    python = _translate(source)
    try:
        code = compile(python, "<template>", "exec")
    except SyntaxError as exc:
        raise TemplateError(f"cannot compile template: {exc.msg} in {exc.text!r}") from None

    def run(namespace: dict[str, Any]) -> str:
        out: list[str] = []
        scope: dict[str, Any] = {}
        if "__builtins__" not in namespace:
            namespace["__builtins__"] = with_helpers(__builtins__ if isinstance(__builtins__, dict)
                                                     else vars(__builtins__))
        exec(code, namespace, scope)  # noqa: S102 - interview code is the author's program
        scope["__mako_render"](out)
        return "".join(out)

    return run


def _translate(source: str) -> str:
    source = re.sub(r"<%doc>.*?</%doc>", "", source, flags=re.S)
    body: list[str] = []
    depth = 1
    pending = ""  # text joined by a trailing backslash, or an unclosed `${` continued
    uses_loop = re.search(r"\bloop\b", source) is not None
    for raw in _split_raw_blocks(source):
        if isinstance(raw, tuple):  # ("code", python) or ("text", literal)
            body.extend(_raw_block(raw, depth))
            continue
        for line in raw.splitlines(keepends=True):
            control = _CONTROL.match(line.rstrip("\n"))
            if control and not pending:
                depth = _control(control.group(1).strip(), depth, body, uses_loop)
                continue
            if line.endswith("\\\n"):
                pending += line[:-2]
                continue
            if _unclosed(pending + line):  # Mako lets a `${ ... }` expression run over several lines
                pending += line
                continue
            body.extend("    " * depth + piece for piece in _text_line(pending + line))
            pending = ""
    if pending:
        body.extend("    " * depth + piece for piece in _text_line(pending))  # an unclosed `${` says so
    if depth != 1:
        raise TemplateError("a '%' block in the template is not closed (missing % endif / % endfor?)")
    header = ["def __mako_render(__mako_out):", "    __w = __mako_out.append", "    pass"]
    return "\n".join(header + body) + "\n"


def _raw_block(raw: tuple[str, str], depth: int) -> list[str]:
    """A <%text> block's literal, or a <% %> block's Python, at the current depth."""
    kind, content = raw
    if kind == "text":
        return ["    " * depth + f"__w({content!r})"]
    return ["    " * depth + line for line in _dedent(content)]


def _control(statement: str, depth: int, body: list[str], uses_loop: bool) -> int:
    """A `% if/for/while/else/end...` line: its Python statement added; the new depth returned."""
    word = statement.split(None, 1)[0].rstrip(":") if statement else ""
    if word == "for" and uses_loop:
        statement = _with_loop(statement)
    if word.startswith("end"):
        depth -= 1
    elif word in ("elif", "else", "except", "finally"):
        body.append("    " * (depth - 1) + statement)
    else:
        body.append("    " * depth + statement)
        depth += 1
    if depth < 1:
        raise TemplateError(f"unbalanced '% {word}' in template")
    return depth


_FOR = re.compile(r"^for\s+(.+?)\s+in\s+(.+?)\s*:\s*$", re.S)


def _with_loop(statement: str) -> str:
    """`for x in xs:` -> the same loop with Mako's `loop` (index, first, last, even, odd, parent ...)."""
    match = _FOR.match(statement)
    if match is None:
        return statement
    target, iterable = match.groups()
    return f"for loop, ({target}) in __mako_loop(({iterable}), locals().get('loop')):"


def _unclosed(line: str) -> bool:
    """Whether a `${` of the line has no closing brace on it (yet)."""
    position = line.find("${")
    while position >= 0:
        try:
            end = _closing_brace(line, position + 2)
        except TemplateError:
            return True
        position = line.find("${", end + 1)
    return False


class LoopContext:
    """Mako's `loop` inside `% for`: where the iteration is."""

    def __init__(self, length: int, parent: Any) -> None:
        self.length = length
        self.index = 0
        self.parent = parent

    @property
    def first(self) -> bool:
        return self.index == 0

    @property
    def last(self) -> bool:
        return self.index == self.length - 1

    @property
    def even(self) -> bool:
        return self.index % 2 == 0

    @property
    def odd(self) -> bool:
        return not self.even

    @property
    def reverse_index(self) -> int:
        return self.length - self.index - 1

    revindex = reverse_index

    def cycle(self, *values: Any) -> Any:
        if not values:
            raise ValueError("loop.cycle() needs at least one value")
        return values[self.index % len(values)]


def mako_loop(iterable: Any, parent: Any = None) -> Any:
    items = list(iterable)
    context = LoopContext(len(items), parent if isinstance(parent, LoopContext) else None)
    for index, item in enumerate(items):
        context.index = index
        yield context, item


def _split_raw_blocks(source: str) -> list[Any]:
    """Text, with `<%text>` literals and `<% code %>` blocks cut out as tuples."""
    parts: list[Any] = []
    pattern = re.compile(r"<%text>(.*?)</%text>|<%!?(.*?)%>", re.S)
    position = 0
    for match in pattern.finditer(source):
        parts.append(source[position:match.start()])
        parts.append(("text", match.group(1)) if match.group(1) is not None else ("code", match.group(2)))
        position = match.end()
    parts.append(source[position:])
    return parts


def _dedent(code: str) -> list[str]:
    import textwrap

    return [line for line in textwrap.dedent(code.strip("\n")).splitlines() if line.strip()]


def _text_line(line: str) -> list[str]:
    pieces: list[str] = []
    position = 0
    while True:
        start = line.find("${", position)
        if start < 0:
            break
        end = _closing_brace(line, start + 2)
        if start > position:
            pieces.append(f"__w({line[position:start]!r})")
        pieces.append(f"__w({_expression(line[start + 2:end])})")
        position = end + 1
    if position < len(line):
        pieces.append(f"__w({line[position:]!r})")
    return pieces


def _closing_brace(text: str, position: int) -> int:
    depth, quote = 0, None
    while position < len(text):
        char = text[position]
        if quote:
            if char == "\\":
                position += 1
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return position
            depth -= 1
        position += 1
    raise TemplateError(f"'${{' without a closing '}}' in {text.strip()!r}")


def _expression(expression: str) -> str:
    wrappers: list[str] = []
    head, bar, tail = expression.rpartition("|")
    if bar and tail.strip() and all(f.strip() in _FILTERS for f in tail.split(",")):
        expression = head
        wrappers = [w for f in tail.split(",") if (w := _FILTERS[f.strip()])]
    result = f"__mako_str(({expression.strip()}))"
    for wrapper in wrappers:
        result = f"{wrapper}({result})"
    return result


_MAKO_OWN = frozenset({"STOP_RENDERING"})  # names the Mako package gives its templates itself


def _mako_package(source: str) -> Any:
    from mako.template import Template

    # docassemble's Mako takes `##` lines as text (a Markdown heading), not as comments: kept as such here
    source = re.sub(r"(?m)^([ \t]*)##", r"\1${'##'}", source)
    template = Template(source, strict_undefined=True)  # noqa: S702 - Mako makes Markdown source; the HTML is sanitized (text/sanitize.py) before a page shows it

    def run(namespace: dict[str, Any]) -> str:
        try:
            builtins = {k: v for k, v in namespace.get("__builtins__", {}).items() if k not in _MAKO_OWN}
            rendered: str = template.render(**{k: v for k, v in namespace.items() if not k.startswith("__")},
                                            **builtins)
            return rendered
        except NameError as exc:
            if exc.name is None:  # Mako words it as "'x' is not defined"
                match = re.search(r"'([^']+)' is not defined", str(exc))
                exc.name = match.group(1) if match else None
            raise

    return run


def _escape(text: Any) -> str:
    import html

    return html.escape(str(text), quote=True)


def _url_quote(text: Any) -> str:
    from urllib.parse import quote

    return quote(str(text))


def mako_str(value: Any) -> str:
    """What `${ value }` shows: str(value), like Mako's default filter."""
    return value if isinstance(value, str) else str(value)


def with_helpers(builtins: dict[str, Any]) -> dict[str, Any]:
    """A builtins mapping that also holds what compiled templates call (kept out of the answers)."""
    merged = dict(builtins)
    merged.update({"__mako_str": mako_str, "__mako_h": _escape, "__mako_u": _url_quote, "__mako_loop": mako_loop,
                   "__mako_trim": lambda text: str(text).strip(),
                   "STOP_RENDERING": ""})  # Mako's `<% return STOP_RENDERING %>`: the text so far is the output
    return merged
