"""`docx template file`: Jinja2 inside a DOCX, rendered with docxtpl as docassemble does.

The template sees every interview variable (plus the attachment's `fields`) and docassemble's filters.
A variable the template uses that is not defined yet raises NameError with its full name
("users[0].name.first"), so the engine seeks it (asks its question) exactly as for Mako; a Jinja2
error in the template is a DocumentError naming the template, the line and the problem.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from offstage.documents import DocumentError

# docassemble's Jinja2 filters that are functions of the author's library (looked up in the answers)
LIBRARY_FILTERS = ("comma_and_list", "comma_list", "add_separators", "capitalize", "currency", "nice_number",
                   "ordinal", "ordinal_number", "title_case", "fix_punctuation", "country_name", "verbatim",
                   "single_paragraph", "word", "phone_number_formatted", "salutation", "quote_paragraphs",
                   "indent")
_MISSING = (NameError, AttributeError, KeyError, IndexError)


def render_docx_template(template: bytes, context: Mapping[str, Any], *, name: str = "the DOCX template") -> bytes:
    """The assembled DOCX; NameError for an undefined variable, DocumentError for a broken template."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    try:
        document = DocxTemplate(io.BytesIO(template))
        from offstage.documents.images import rendering_template

        with rendering_template(document):  # a DAFile in the template is a picture (documents/images.py)
            document.render(dict(context), _environment(context), autoescape=True)
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


def _environment(context: Mapping[str, Any]) -> Any:
    from jinja2.sandbox import SandboxedEnvironment

    # sandboxed: a template's {{ ... }} can call the interview's methods but not reach Python internals
    environment = SandboxedEnvironment(undefined=_seeking_undefined())
    for filter_name in LIBRARY_FILTERS:
        function = context.get(filter_name)
        if callable(function):
            environment.filters[filter_name] = function
    return environment


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
