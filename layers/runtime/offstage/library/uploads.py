"""Storing a question's uploads: each file checked against its field (type, `accept`, size), then kept
as a DAFile in the session's file store, sealed like the session's other files.

A `file`/`files`/`camera`/`microphone` field gives a DAFileList (as docassemble's do, even for one
file); a `signature:` question gives a DAFile (signature.png). Nothing is stored unless every upload
of the request is taken, so a refused file leaves the other answers to be shown again.
"""

from __future__ import annotations

from typing import Any

from offstage.documents.uploads import SIGNATURE, Pending, Refused, Upload, accept_list, check, named_for


def pending_in(value: Any) -> Pending | None:
    """The uploads a value holds: a field's (converted by engine.posted) or an API client's files sent
    for a variable that is not on screen (a DAFileList, as docassemble's API makes)."""
    if isinstance(value, Pending):
        return value
    items = value if isinstance(value, list | tuple) else [value]
    uploads = tuple(item for item in items if isinstance(item, Upload))
    return Pending("files", uploads) if uploads and len(uploads) == len(items) else None


def store_uploads(evaluation: Any, block: Any, bindings: Any, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(values with uploads stored as files, errors by variable); on any error nothing is stored."""
    fields = {bindings.apply(f.variable): f for f in getattr(block, "fields", None) or [] if f.variable}
    checked: dict[str, tuple[Pending, list[str]]] = {}
    errors: dict[str, str] = {}
    for name, value in values.items():
        pending = pending_in(value)
        if pending is None:
            if any(isinstance(item, Upload) for item in (value if isinstance(value, list | tuple) else [value])):
                errors[name] = f"{name} is given both files and other values; send only files for it."
            continue
        try:
            accept = _accept(evaluation, fields.get(name), bindings)
            kinds = [check(u, pending.datatype, accept) for u in pending.uploads]
            checked[name] = _fitted(pending, kinds, fields.get(name))
        except Refused as exc:
            errors[name] = str(exc)
    if errors:
        return values, errors
    stored = dict(values)
    for name, (pending, kinds) in checked.items():
        stored[name] = _stored(name, pending, kinds)
    return stored, {}


def _accept(evaluation: Any, spec: Any, bindings: Any) -> str | None:
    """The field's `accept` (Python code giving HTML's accept list, as in docassemble)."""
    code = (getattr(spec, "extras", None) or {}).get("accept")
    if not code:
        return None
    try:
        return accept_list(code, lambda text: evaluation.evaluate_bound(text, bindings))
    except Exception as exc:  # noqa: BLE001 - the author's code: its error is the field's message
        raise Refused(f"The types this question takes cannot be worked out ({type(exc).__name__}).") from None


def _fitted(pending: Pending, kinds: list[str], spec: Any) -> tuple[Pending, list[str]]:
    """The field's `maximum image size` and `image upload type` applied to its pictures."""
    extras = getattr(spec, "extras", None) or {}
    max_size, upload_type = extras.get("maximum image size"), extras.get("image upload type")
    if not max_size and not upload_type:
        return pending, kinds
    from dataclasses import replace

    from offstage.documents.images import ImageRefused, fitted_image

    uploads, fitted_kinds = [], []
    for upload, kind in zip(pending.uploads, kinds, strict=True):
        try:
            data, new_kind = fitted_image(upload.data, kind, int(max_size) if max_size else None, upload_type)
        except (ImageRefused, TypeError, ValueError) as exc:
            raise Refused(f"The file {upload.filename} cannot be taken: {exc}") from None
        name = upload.filename if new_kind == kind else named_for(upload.filename.rsplit(".", 1)[0], new_kind)
        uploads.append(replace(upload, filename=name, data=data, size=len(data)))
        fitted_kinds.append(new_kind)
    return replace(pending, uploads=tuple(uploads)), fitted_kinds


def _stored(name: str, pending: Pending, kinds: list[str]) -> Any:
    from offstage.library.files import DAFile, DAFileList

    if pending.datatype == SIGNATURE:
        return _written(DAFile(name), pending.uploads[0], kinds[0])
    files = DAFileList(name)
    for upload, kind in zip(pending.uploads, kinds, strict=True):
        _written(files.appendObject(), upload, kind)
    return files


def _written(target: Any, upload: Upload, kind: str) -> Any:
    target.initialize(filename=named_for(upload.filename, kind), mimetype=kind)
    target.write(upload.data, binary=True)
    return target
