"""Filling a fillable PDF (AcroForm) with pypdf: text fields and checkboxes; `editable: False` flattens.

A name in `fields` that the PDF does not have (a misspelt field) is left out, as docassemble does, so
the document is still made; a warning in the log names the template, the name and the fields it has.
A checkbox takes a true/false value and is
set to its own "on" state, whatever the form calls it (/Yes, /On, /1 ...).
"""

from __future__ import annotations

import io
import logging
from typing import Any

from offstage.documents import DocumentError

log = logging.getLogger(__name__)
TRUE_WORDS = {"true", "yes", "on", "1", "y", "x", "checked"}


def field_names(template: bytes) -> list[str]:
    from pypdf import PdfReader

    return sorted((PdfReader(io.BytesIO(template)).get_fields() or {}).keys())


def field_details(template: bytes) -> list[tuple[Any, ...]]:
    """Each form field as docassemble's get_pdf_fields() gives it: (name, value, page number, rectangle,
    type such as /Tx or /Btn, the checkbox's "on" value)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(template))
    found: list[tuple[Any, ...]] = []
    for number, page in enumerate(reader.pages, start=1):
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            parent = annotation.get("/Parent")
            field = parent.get_object() if parent is not None and "/T" not in annotation else annotation
            if "/T" not in field:
                continue
            kind = field.get("/FT")
            states = [str(k) for k in (annotation.get("/AP") or {}).get("/N", {}) if str(k) != "/Off"]
            value = field.get("/V")
            found.append((str(field["/T"]), "" if value is None else str(value), number,
                          [float(x) for x in annotation.get("/Rect") or []], None if kind is None else str(kind),
                          states[0].lstrip("/") if kind == "/Btn" and states else None))
    return found


def fill_pdf(template: bytes, values: dict[str, Any], *, editable: bool = True, name: str = "the PDF") -> bytes:
    """The template with `values` in its fields; flattened (no form left) when not editable."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(template))
        fields = reader.get_fields() or {}
    except (PdfReadError, ValueError, OSError) as exc:
        raise DocumentError(f"The PDF template {name} cannot be read: {exc}") from None
    unknown = [key for key in values if key not in fields]
    if unknown:
        known = ", ".join(repr(k) for k in sorted(fields)) or "none"
        log.warning("The PDF template %s has no field named %s (left out; its fields: %s)", name,
                    ", ".join(repr(k) for k in unknown), known)
        values = {key: value for key, value in values.items() if key in fields}
    writer = PdfWriter(clone_from=reader)
    filled = {key: _value(fields[key], value) for key, value in values.items()}
    for page in writer.pages:
        on_page = {key: value for key, value in filled.items() if key in _names_on(page)}
        if on_page:
            writer.update_page_form_field_values(page, on_page, auto_regenerate=False, flatten=not editable)
    if editable:
        writer.set_need_appearances_writer(True)  # viewers redraw the boxes with the values
    else:
        _drop_form(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _names_on(page: Any) -> set[str]:
    names = set()
    for annotation in page.get("/Annots") or []:
        widget = annotation.get_object()
        name = widget.get("/T")
        if name is None and "/Parent" in widget:
            name = widget["/Parent"].get_object().get("/T")
        if name is not None:
            names.add(str(name))
    return names


def _value(field: Any, value: Any) -> str:
    """The text to put in a field: a checkbox's on/off state name, or the value as text."""
    if field.get("/FT") == "/Btn":
        on = next((s for s in field.get("/_States_", []) if s != "/Off"), "/Yes")
        truthy = value if isinstance(value, bool) else str(value).strip().lower() in TRUE_WORDS
        return on if truthy else "/Off"
    return "" if value is None else str(value)


def _drop_form(writer: Any) -> None:
    """After flattening, the widgets and the form go: the values are page content now."""
    from pypdf.generic import NameObject

    for page in writer.pages:
        annotations = page.get("/Annots")
        if annotations is None:
            continue
        kept = [a for a in annotations if a.get_object().get("/Subtype") != "/Widget"]
        if kept:
            page[NameObject("/Annots")] = type(annotations)(kept)
        else:
            del page["/Annots"]
    if "/AcroForm" in writer._root_object:
        del writer._root_object["/AcroForm"]
