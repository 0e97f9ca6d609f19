"""Attachments in the engine: evaluate an `attachment` spec, render it, store its files, and describe it.

`assemble()` evaluates the Mako parts with the session's answers (a missing variable is sought, as for a
question's text), reads the template next to the interview, calls offstage.documents.render (pure) and
stores each format through the FileStore as a DAFile; the DAFileCollection goes to `variable name`.
`describe()` gives the screen's (and the JSON API's) entry for one document, in docassemble's shape.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from typing import TYPE_CHECKING, Any

from offstage.documents import DocumentError
from offstage.engine.seek import Bindings

if TYPE_CHECKING:
    from pathlib import Path

    from offstage.library.package_files import Home

SOURCES = {"content": "content", "content file": "content", "docx template file": "docx",
           "pdf template file": "pdf"}
_CACHE_ENTRIES = 20  # documents of question screens kept for reuse while their inputs do not change
_UNSAFE_FILENAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def _kind(ev: Any, spec: dict[str, Any], bindings: Bindings) -> str:
    """What the attachment is made from: content (or its text as is, `raw`), a DOCX or a PDF template."""
    kind = next((k for key, k in SOURCES.items() if spec.get(key) is not None), None)
    if kind is None:
        raise DocumentError("an attachment needs content, content file, docx template file or pdf template file")
    if kind == "content" and _flag(ev, spec, "raw", bindings):
        return "raw"  # the text as assembled, as docassemble's `raw: True`
    return kind


def assemble(ev: Any, spec: dict[str, Any], bindings: Bindings, home: Home | None = None) -> Any:
    """The DAFileCollection of one attachment (also assigned to its `variable name`, if any); `home` is
    where its block's file names are looked up (the interview's when None)."""
    from offstage.documents.render import Document, formats_for, render
    from offstage.engine import render_plan
    from offstage.library.files import DAFile, DAFileCollection

    kind = _kind(ev, spec, bindings)
    skip_undefined = _flag(ev, spec, "skip undefined", bindings)
    pdfa, tagged = _flag(ev, spec, "pdf/a", bindings), _flag(ev, spec, "tagged pdf", bindings)
    if kind == "pdf" and (pdfa or tagged):
        raise DocumentError(f"{spec['pdf template file']}: `pdf/a` and `tagged pdf` are made by LibreOffice from "
                            "content and DOCX templates; offstage does not turn a filled PDF form into PDF/A or "
                            "tagged PDF")
    name = _text(ev, spec.get("name"), bindings)
    filename = _filename(_text(ev, spec.get("filename"), bindings) or name or "file")
    formats = formats_for(kind, _formats(ev, spec, bindings))
    document = Document(kind=kind, filename=filename, formats=formats, name=name,
                        description=_text(ev, spec.get("description"), bindings),
                        content=_content(ev, spec, bindings, home) if kind in ("content", "raw") else None,
                        fields=_fields(ev, spec, bindings, skip_undefined), editable=_editable(ev, spec, bindings),
                        skip_undefined=skip_undefined, raw_extension=_raw_extension(spec), pdfa=pdfa, tagged=tagged)
    if kind == "content" and "[FILE " in (document.content or ""):
        from dataclasses import replace

        from offstage.library.files import pictures_for

        document = replace(document, pictures=pictures_for(document.content or ""))
    if kind in ("docx", "pdf"):
        template_name = str(spec["docx template file" if kind == "docx" else "pdf template file"])
        document = _with_template(document, template_name, home)
    variable = bindings.apply(str(spec["variable name"])) if spec.get("variable name") else None
    collection = DAFileCollection(variable or _anonymous())
    collection.info = {"name": name, "filename": filename, "description": document.description,
                       "valid_formats": list(formats), "kind": kind}
    if kind == "content":
        collection.info["markdown"] = document.content
    digest = None if kind == "docx" else _digest(document)  # a DOCX template reads every answer
    stored = _cached(ev, digest)
    if stored is None:
        # through render_plan: a bundle's planning pass records the slow step, its real pass finds it done
        files = _render_seeking(ev, document, functools.partial(render_plan.render, render))
        stored = {}
        for fmt in formats if set(formats) <= set(files) else files:
            data = files[fmt]
            file = DAFile(f"{collection.instanceName}.{fmt}")
            extension = document.raw_extension if fmt == "raw" else fmt
            file.initialize(filename=f"{filename}.{extension}", mimetype=None if fmt == "raw" else _mimetype(fmt))
            file.write(data)
            stored[fmt] = {"storage_key": file.storage_key, "file_id": file.file_id,
                           "filename": file.filename, "mimetype": file.mimetype}
        _remember(ev, digest, stored)
    for fmt, saved in stored.items():
        file = DAFile(f"{collection.instanceName}.{fmt}")
        file.filename, file.mimetype, file.extension = saved["filename"], saved["mimetype"], \
            saved["filename"].rsplit(".", 1)[-1]
        file.storage_key, file.file_id, file.ok, file.has_specific_filename = \
            saved["storage_key"], saved["file_id"], True, True
        setattr(collection, fmt, file)
    if variable:
        ev.assign(variable, collection)
    return collection


def _render_seeking(ev: Any, document: Any, render: Any) -> dict[str, bytes]:
    """render(), seeking each variable a DOCX template finds undefined (a question may be shown); one
    that nothing defines is an error naming the template."""
    rendered: dict[str, bytes] = _seeking(
        ev, lambda: dict(render(document, ev.ns)), seeks=document.kind == "docx",
        unknown=lambda wanted: f"The DOCX template {document.template_name} uses '{wanted}', "
                               "which no question or code block defines")
    return rendered


def _seeking(ev: Any, make: Any, *, seeks: bool, unknown: Any) -> Any:
    """make(), seeking each variable it finds undefined and trying again; a variable nothing defines is a
    DocumentError with the text unknown(name) gives."""
    from offstage.engine.evaluate import MISSING, Undefined, missing_name

    while True:
        try:
            return make()
        except MISSING as exc:
            wanted = missing_name(exc)
            if wanted is None or not seeks:
                raise
            try:
                ev.seek(wanted)
            except Undefined as undefined:
                if undefined.name != wanted:
                    raise
                raise DocumentError(unknown(wanted)) from None


def describe(collection: Any) -> dict[str, Any]:
    """One document on a screen, in docassemble's `attachments` shape (plus the HTML preview)."""
    from offstage.text import markdown_to_html

    info = dict(getattr(collection, "info", {}) or {})
    formats = [f for f in collection._formats()]
    name = str(info.get("name") or info.get("filename") or "Document")
    entry: dict[str, Any] = {
        "name": markdown_to_html(name, trim=True), "filename": str(info.get("filename") or ""),
        "description": markdown_to_html(info["description"]) if info.get("description") else "",
        "valid_formats": list(info.get("valid_formats") or formats),
        "url": {f: getattr(collection, f).url_for() for f in formats},
        "download_url": {f: getattr(collection, f).url_for(attachment=True) for f in formats},
        "filename_with_extension": {f: getattr(collection, f).filename for f in formats},
        "number": {f: getattr(collection, f).file_id for f in formats},
    }
    if info.get("markdown") is not None:
        entry["markdown"] = {"md": info["markdown"]}
        from offstage.documents.markup import for_preview

        entry["content"] = {"html": markdown_to_html(for_preview(info["markdown"]))}
    return entry


def shown_attachments(ev: Any, block: Any, bindings: Bindings) -> list[dict[str, Any]]:
    """A question's documents: its `attachment(s)` assembled, then those `attachment code` gives."""
    from offstage.library.files import DAFileCollection

    collections = [assemble(ev, spec, bindings, block.origin.home) for spec in block.attachments]
    if block.attachment_code:
        found = ev.evaluate_bound(str(block.attachment_code), bindings)
        for item in found if isinstance(found, (list, tuple)) else [found]:
            if not isinstance(item, DAFileCollection):
                raise TypeError(f"attachment code must give DAFileCollection objects, not {type(item).__name__}")
            collections.append(item)
    return [describe(c) for c in collections]


# --- the parts of a spec ------------------------------------------------------------------------------

def _text(ev: Any, value: Any, bindings: Bindings) -> str:
    if value is None:
        return ""
    return str(_bound(ev, bindings, lambda: ev.render(value))).strip()


def _bound(ev: Any, bindings: Bindings, work: Any) -> Any:
    """Run `work` with the block's bindings (x, i ...) in the namespace."""
    saved = {k: ev.ns[k] for k in bindings.values if k in ev.ns}
    ev.ns.update(bindings.values)
    try:
        return work()
    finally:
        for key in bindings.values:
            if key in saved:
                ev.ns[key] = saved[key]
            else:
                ev.ns.pop(key, None)


def _filename(text: str) -> str:
    """docassemble's rule (spaces become underscores), without anything a file name must not hold."""
    cleaned = _UNSAFE_FILENAME.sub("_", text.strip().replace(" ", "_")).strip("._") or "file"
    return cleaned[:120]


def _formats(ev: Any, spec: dict[str, Any], bindings: Bindings) -> list[str] | None:
    wanted = spec.get("valid formats")
    if wanted is None:
        return None
    if isinstance(wanted, dict) and "code" in wanted:
        wanted = ev.evaluate_bound(str(wanted["code"]), bindings)
    items = wanted if isinstance(wanted, (list, tuple)) else [wanted]
    return [str(item).strip().lower() for item in items]


def _content(ev: Any, spec: dict[str, Any], bindings: Bindings, home: Home | None) -> str:
    from offstage.library.files import document_content

    if spec.get("content") is not None:
        source = spec["content"]
    else:
        files = spec["content file"] if isinstance(spec["content file"], list) else [spec["content file"]]
        source = "\n\n".join(_template_path(str(f), home).read_text(encoding="utf-8") for f in files)
    with document_content():  # a picture's show() is a [FILE ...] tag here
        return str(_bound(ev, bindings, lambda: ev.render(source)))


def _fields(ev: Any, spec: dict[str, Any], bindings: Bindings, skip_undefined: bool = False) -> dict[str, Any]:
    """`fields` (a mapping or a list of one-item mappings; text is Mako) and `field code` / `code`.
    With `skip undefined`, a field whose text needs a variable not yet defined is blank (nothing asked)."""
    values = _listed_fields(ev, spec, bindings, skip_undefined)
    for key in ("field variables", "raw field variables"):  # values as they are (docassemble: text unless raw)
        names = spec.get(key) or []
        for name in names if isinstance(names, list) else [names]:
            values[str(name)] = ev.evaluate_bound(str(name), bindings)
    for key in ("field code", "code"):
        if spec.get(key):
            computed = ev.evaluate_bound(str(spec[key]), bindings)
            if not isinstance(computed, dict):
                raise DocumentError(f"an attachment's {key} must give a dict, not {type(computed).__name__}")
            values.update({str(k): v for k, v in computed.items()})
    return values


def _listed_fields(ev: Any, spec: dict[str, Any], bindings: Bindings, skip_undefined: bool) -> dict[str, Any]:
    """`fields`: a mapping or a list of one-item mappings, text values rendered as Mako."""
    from offstage.engine.evaluate import MISSING

    values: dict[str, Any] = {}
    raw = spec.get("fields")
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
    for item in items:
        if not isinstance(item, dict):
            raise DocumentError(f"each item of an attachment's fields must be 'name: value', got {item!r}")
        for key, value in item.items():
            try:
                values[str(key)] = _field_value(ev, spec, str(key), value, bindings, skip_undefined)
            except MISSING:
                if not skip_undefined:
                    raise
                values[str(key)] = ""
    return values


def _field_value(ev: Any, spec: dict[str, Any], key: str, value: Any, bindings: Bindings, skip_undefined: bool) -> Any:
    """A field's value: text rendered as Mako, and so each text inside a list or dict (docassemble
    renders them all: `ingredients: [flour, "${ spice }"]`); other values as they are."""
    if isinstance(value, list):
        return [_field_value(ev, spec, key, v, bindings, skip_undefined) for v in value]
    if isinstance(value, dict):
        return {k: _field_value(ev, spec, key, v, bindings, skip_undefined) for k, v in value.items()}
    if not isinstance(value, str):
        return value
    return _text(ev, value, bindings) if skip_undefined else _field_text(ev, spec, key, value, bindings)


def _field_text(ev: Any, spec: dict[str, Any], key: str, value: str, bindings: Bindings) -> str:
    """A field's Mako text, seeking what it needs; a variable nothing defines is an error naming the
    template and the field."""
    template = spec.get("pdf template file") or spec.get("docx template file") or spec.get("name")
    return str(_seeking(ev, lambda: _text(ev, value, bindings), seeks=True,
                        unknown=lambda wanted: f"The field {key!r} of {template} uses '{wanted}', which no "
                                               "question or code block defines"))


def _flag(ev: Any, spec: dict[str, Any], key: str, bindings: Bindings) -> bool:
    """A true/false specifier (`raw`, `skip undefined`): a YAML boolean, or Python code giving one."""
    value = spec.get(key, False)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "false", "yes", "no"):
            return lowered in ("true", "yes")
        return bool(ev.evaluate_bound(value, bindings))
    return bool(value)


def _raw_extension(spec: dict[str, Any]) -> str:
    reference = spec.get("content file")
    first = str(reference[0] if isinstance(reference, list) and reference else reference or "")
    extension = first.rsplit("/", 1)[-1].rpartition(".")[2].lower() if "." in first.rsplit("/", 1)[-1] else "txt"
    return extension if extension.isalnum() and len(extension) <= 8 else "txt"


def _editable(ev: Any, spec: dict[str, Any], bindings: Bindings) -> bool:
    value = spec.get("editable", True)
    if isinstance(value, str):
        lowered = value.strip().lower()
        return lowered not in ("false", "no") if lowered in ("true", "false", "yes", "no") \
            else bool(ev.evaluate_bound(value, bindings))
    return bool(value)


def _template_path(reference: str, home: Home | None) -> Path:
    """A template file: `x.docx` in the home's data/templates folder (or beside the interview),
    `pkg:data/templates/x.docx` in an installed package (library/package_files.py has the rules)."""
    from offstage.library.package_files import FileNotProvided, current_home, find

    try:
        return find(reference, "templates", home or current_home())
    except FileNotProvided as exc:
        raise DocumentError(f"the template file {reference!r} cannot be found: {exc}") from None


def _with_template(document: Any, reference: str, home: Home | None) -> Any:
    from dataclasses import replace

    return replace(document, template=_template_path(reference, home).read_bytes(), template_name=reference)


def _mimetype(fmt: str) -> str:
    from offstage.documents.render import MIMETYPES

    return MIMETYPES.get(fmt, "application/octet-stream").split(";")[0]


def _anonymous() -> str:
    import secrets

    return "_attachment_" + secrets.token_hex(6)


# --- reuse of a question's documents --------------------------------------------------------------------

def _digest(document: Any) -> str:
    described = {"kind": document.kind, "filename": document.filename, "formats": list(document.formats),
                 "content": document.content, "editable": document.editable,
                 "skip_undefined": document.skip_undefined, "raw_extension": document.raw_extension,
                 "pdfa": document.pdfa, "tagged": document.tagged,
                 "pictures": {k: hashlib.sha256(v).hexdigest() for k, v in document.pictures.items()},
                 "fields": {k: repr(v) for k, v in document.fields.items()},
                 "template": hashlib.sha256(document.template or b"").hexdigest()}
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode("utf-8")).hexdigest()


def _cached(ev: Any, digest: str | None) -> dict[str, Any] | None:
    if digest is None:
        return None
    found = ev.internal.get("documents", {}).get(digest)
    return dict(found) if isinstance(found, dict) else None


def _remember(ev: Any, digest: str | None, stored: dict[str, Any]) -> None:
    if digest is None:
        return
    documents = ev.internal.setdefault("documents", {})
    documents[digest] = stored
    while len(documents) > _CACHE_ENTRIES:
        documents.pop(next(iter(documents)))
