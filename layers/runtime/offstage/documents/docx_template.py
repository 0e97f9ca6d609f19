"""`docx template file`: Jinja2 inside a DOCX, rendered with docxtpl as docassemble does.

The template sees every interview variable (plus the attachment's `fields`) and docassemble's filters.
A variable the template uses that is not defined yet raises NameError with its full name
("users[0].name.first"), so the engine seeks it (asks its question) exactly as for Mako, unless the
attachment says `skip undefined` (then it is blank); a Jinja2 error in the template is a DocumentError
naming the template, the line and the problem.

Also as docassemble: `{{p include_docx_template(...) }}` puts another DOCX (rendered with the same
variables plus its keyword arguments) in place (docxtpl's subdocument, merged by docxcompose), and the
filters `markdown` (`{{p ... }}`: paragraphs), `inline_markdown` (`{{r ... }}`: bold, italic ... runs),
`manual_line_breaks` and `paragraphs`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

from offstage.documents import DocumentError

# docassemble's Jinja2 filters that are functions of the author's library (looked up in the answers)
LIBRARY_FILTERS = ("comma_and_list", "comma_list", "add_separators", "capitalize", "currency", "nice_number",
                   "ordinal", "ordinal_number", "title_case", "fix_punctuation", "country_name", "verbatim",
                   "single_paragraph", "word", "phone_number_formatted", "salutation", "quote_paragraphs",
                   "indent", "alpha", "roman", "phone_number_in_e164", "redact")
# filters an interview's modules add with register_jinja_filter(), for every template of the process
REGISTERED: dict[str, Any] = {}


def register_filter(name: str, function: Any) -> None:
    if not isinstance(name, str) or not name.isidentifier() or not callable(function):
        raise ValueError("register_jinja_filter() needs a filter name and a function")
    REGISTERED[name] = function
_MISSING = (NameError, AttributeError, KeyError, IndexError)
_rendering: ContextVar[Any] = ContextVar("offstage_docx_rendering", default=None)  # the template being made
MAX_INCLUDE_DEPTH = 10  # documents included in included documents ...: docassemble stops at 10 passes too


def render_docx_template(template: bytes, context: Mapping[str, Any], *, name: str = "the DOCX template",
                         skip_undefined: bool = False, depth: int = 0) -> bytes:
    """The assembled DOCX; NameError for an undefined variable, DocumentError for a broken template."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    context = _with_library(context)
    try:
        document = DocxTemplate(io.BytesIO(template))
        values = dict(context)
        values["include_docx_template"] = _including(document, context, skip_undefined, depth)
        token = _rendering.set(document)
        try:
            document.render(values, _environment(context, document, skip_undefined), autoescape=True)
        finally:
            _rendering.reset(token)
    except DocumentError:
        raise  # an included document's own error, which names it
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line} of the document's XML)" if line else ""
        raise DocumentError(f"The DOCX template {name} has a Jinja2 error{where}: {exc.message or exc}") from None
    except _MISSING:
        raise  # the engine seeks the variable, then assembles again
    except Exception as exc:  # noqa: BLE001 - a corrupt DOCX, or an error of code the template calls
        raise DocumentError(f"The DOCX template {name} could not be assembled: "
                            f"{type(exc).__name__}: {exc}") from None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def template_variables(template: bytes, *, name: str = "the DOCX template") -> list[str]:
    """The names a DOCX template's Jinja2 uses without defining them (docassemble's get_docx_variables),
    sorted; the filters the library gives templates are left out."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    try:
        from jinja2.sandbox import SandboxedEnvironment

        environment = SandboxedEnvironment()  # knowing the filter names is enough to read the template
        environment.filters.update({f: str for f in (*LIBRARY_FILTERS, *REGISTERED)})
        found = DocxTemplate(io.BytesIO(template)).get_undeclared_template_variables(jinja_env=environment)
    except TemplateError as exc:
        raise DocumentError(f"The DOCX template {name} has a Jinja2 error: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - a file that is not a DOCX
        raise DocumentError(f"The DOCX template {name} could not be read: {type(exc).__name__}: {exc}") from None
    return sorted(n for n in found if not n.startswith("_") and n not in LIBRARY_FILTERS)


def _with_library(context: Mapping[str, Any]) -> dict[str, Any]:
    """The variables, plus the author's library (which the engine keeps in the namespace's
    `__builtins__`), without Python's own builtins: a template may call currency(), never open()."""
    import builtins

    behind = context.get("__builtins__")
    python = vars(builtins)
    values = {name: value for name, value in behind.items() if not name.startswith("_")
              and python.get(name) is not value} if isinstance(behind, Mapping) else {}
    values.update((name, value) for name, value in context.items() if name != "__builtins__")
    return values


def _environment(context: Mapping[str, Any], document: Any, skip_undefined: bool) -> Any:
    from jinja2 import ChainableUndefined
    from jinja2.sandbox import SandboxedEnvironment

    # sandboxed: a template's {{ ... }} can call the interview's methods but not reach Python internals
    environment = SandboxedEnvironment(undefined=ChainableUndefined if skip_undefined else _seeking_undefined())
    for filter_name in LIBRARY_FILTERS:
        function = context.get(filter_name)
        if callable(function):
            environment.filters[filter_name] = function
    import itertools

    from docxtpl import RichText

    environment.filters.update({"all": all, "any": any, "chain": lambda items: list(itertools.chain(*items)),
                                "RichText": lambda value: RichText(str(value))})
    environment.filters.update(REGISTERED)
    environment.finalize = lambda value: _file_in_docx(document, value)
    environment.filters["markdown"] = lambda text: _markdown_subdoc(document, text)
    environment.filters["inline_markdown"] = _inline_markdown
    environment.filters["manual_line_breaks"] = _line_breaks
    environment.filters["paragraphs"] = lambda text: "\n\n".join(
        line.strip() for line in str(text).splitlines() if line.strip())
    return environment


def _including(document: Any, context: Mapping[str, Any], skip_undefined: bool, depth: int) -> Any:
    """include_docx_template() as the template calls it: the library's function finds the file (a name
    beside the interview, or a file object), then the file is rendered and becomes a subdocument."""
    find = context.get("include_docx_template")

    def include(reference: Any, change_numbering: bool = True, **params: Any) -> Any:  # noqa: ARG001 - docassemble's signature
        if not callable(find):
            raise DocumentError("include_docx_template() is not available here")
        included = find(reference, **params)
        if depth >= MAX_INCLUDE_DEPTH:
            raise DocumentError(f"include_docx_template({included.name!r}): documents include one another "
                                f"more than {MAX_INCLUDE_DEPTH} levels deep")
        rendered = render_docx_template(included.data, {**context, **included.params}, name=included.name,
                                        skip_undefined=skip_undefined, depth=depth + 1)
        return document.new_subdoc(io.BytesIO(rendered))

    return include


def _file_in_docx(document: Any, value: Any) -> Any:
    """`{{ a_file }}` as docassemble inserts it: an image file (or a list of them) as pictures, a DOCX
    (with `{{p ... }}`) as its paragraphs, a text file as its text; anything else as it is."""
    from jinja2 import Undefined

    if isinstance(value, Undefined):
        return value
    return _inserted(document, value, None)


def file_in_template(file: Any, width: Any) -> Any:
    """`a_file.show(width="2in")` while a DOCX template renders: the picture (or paragraphs, text) to
    put in; None elsewhere, where show() gives Markdown."""
    document = _rendering.get()
    if document is None or file is None:
        return None
    inserted = _inserted(document, file, _length(None if width is None else str(width)))
    return None if inserted is file else inserted


def _inserted(document: Any, value: Any, width: Any) -> Any:
    files = getattr(value, "elements", None) if _is_file_list(value) else [value]
    if not files or not all(_is_file(item) for item in files):
        return value
    kinds = [str(item.mimetype) for item in files]
    if all(kind.startswith("image/") for kind in kinds):
        from docxtpl import InlineImage

        return _Markup("".join(str(InlineImage(document, io.BytesIO(item.content()), width=width))
                               for item in files))
    if len(files) == 1 and str(files[0].extension) == "docx":
        return document.new_subdoc(io.BytesIO(files[0].content()))
    if len(files) == 1 and kinds[0].startswith("text/"):
        return str(files[0].slurp())
    return value


_UNITS = {"in": 914400, "cm": 360000, "mm": 36000, "pt": 12700, "px": 9525}  # EMUs per unit (96 px an inch)


def _length(text: str | None) -> Any:
    """'2in', '5 cm', '150px' as a python-docx length; None (the picture's own size) for anything else."""
    import re

    from docx.shared import Length

    found = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(in|cm|mm|pt|px)\s*", text or "")
    return Length(int(float(found.group(1)) * _UNITS[found.group(2)])) if found else None


class _Markup(str):
    """XML made here, which the template's autoescape must keep as it is."""

    def __html__(self) -> str:
        return str(self)


def _is_file(value: Any) -> bool:
    cls = type(value)
    return callable(getattr(cls, "content", None)) and callable(getattr(cls, "slurp", None)) \
        and callable(getattr(cls, "url_for", None))


def _is_file_list(value: Any) -> bool:
    elements = value.__dict__.get("elements") if hasattr(value, "__dict__") else None
    return isinstance(elements, list) and bool(elements) and all(_is_file(item) for item in elements)


def _markdown_subdoc(document: Any, text: Any) -> Any:
    """`{{p text | markdown }}`: the Markdown (with docassemble's markup) as paragraphs of the document."""
    from offstage.documents.docx_writer import markdown_to_docx

    return document.new_subdoc(io.BytesIO(markdown_to_docx(str(text))))


def _inline_markdown(text: Any) -> Any:
    """`{{r text | inline_markdown }}`: bold, italic, code and line breaks as runs of one paragraph."""
    import markdown as md
    from docxtpl import RichText

    rich = RichText()
    _InlineRuns(rich).run(md.markdown(str(text), extensions=["smarty"]))
    return rich


def _line_breaks(text: Any) -> Any:
    """`{{r text | manual_line_breaks }}`: each newline a line break (docxtpl makes one of \\n)."""
    from docxtpl import RichText

    return RichText("\n".join(line.rstrip("\r") for line in str(text).split("\n")))


class _InlineRuns:
    """HTML of inline Markdown -> RichText runs; paragraphs are joined by a line break."""

    def __init__(self, rich: Any) -> None:
        self.rich = rich

    def run(self, html: str) -> None:
        from html.parser import HTMLParser

        styles: list[str] = []
        started = [False]
        rich = self.rich

        class Parser(HTMLParser):
            def handle_starttag(self, tag: str, attrs: Any) -> None:  # noqa: ARG002 - HTMLParser's signature
                if (tag == "p" and started[0]) or tag == "br":
                    rich.add("\n")
                else:
                    styles.append(tag)

            def handle_endtag(self, tag: str) -> None:
                if tag in styles:
                    del styles[len(styles) - 1 - styles[::-1].index(tag)]

            def handle_data(self, data: str) -> None:
                if not data.strip("\n"):
                    return
                started[0] = True
                rich.add(data.replace("\n", " "), bold=bool({"strong", "b"} & set(styles)),
                         italic=bool({"em", "i"} & set(styles)), underline="u" in styles,
                         strike=bool({"s", "del"} & set(styles)), font="Courier New" if "code" in styles else None)

        parser = Parser(convert_charrefs=True)
        parser.feed(html)
        parser.close()


def _seeking_undefined() -> type:
    from jinja2 import StrictUndefined

    class SeekingUndefined(StrictUndefined):
        """Using an undefined value raises NameError naming the variable, which the engine seeks."""

        def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
            wanted = _full_name(self._undefined_obj, self._undefined_name)
            if wanted is None:
                return super()._fail_with_undefined_error(*args, **kwargs)
            raise NameError(f"name '{wanted}' is not defined", name=wanted)

    # jinja2 binds its dunder methods to the base class's function: point them at the override
    for dunder in ("__str__", "__iter__", "__len__", "__eq__", "__ne__", "__bool__", "__hash__", "__contains__",
                   "__add__", "__radd__", "__mul__", "__rmul__", "__int__", "__float__", "__lt__", "__le__",
                   "__gt__", "__ge__", "__getitem__", "__call__", "__mod__", "__sub__", "__truediv__"):
        setattr(SeekingUndefined, dunder, SeekingUndefined._fail_with_undefined_error)
    return SeekingUndefined


def _full_name(owner: Any, name: Any) -> str | None:
    from jinja2.utils import missing

    if name is None:
        return None
    if owner is missing:
        return str(name)
    base = getattr(owner, "instanceName", None)
    if not isinstance(base, str) or not base:
        return None
    if isinstance(name, int):
        return f"{base}[{name}]"
    if isinstance(getattr(owner, "elements", None), dict):
        return f"{base}[{name!r}]"
    return f"{base}.{name}"
