"""A conversion asked of the render function by a function without LibreOffice (offstage.aws.render).

The request names a folder under assembly/convert/ holding `in.<extension>`; the PDF goes to `out.pdf`
in the same folder. Only that shape of key is read or written: the request cannot point the render
function at any other object.
"""

from __future__ import annotations

import re
import time
from typing import Any

from offstage.app.deps import Deps

_FOLDER = re.compile(r"assembly/convert/[0-9a-f]{32}")


class ConversionInputMissing(RuntimeError):
    """The file to convert is not where the request says (it expired, or the caller gave up)."""


def convert_step(deps: Deps, event: dict[str, Any]) -> dict[str, Any]:
    """Make the PDF of the request's file with LibreOffice in this process; its size and time."""
    from offstage.documents.convert import docx_to_pdf

    folder, extension = str(event.get("folder") or ""), str(event.get("extension") or "")
    if not _FOLDER.fullmatch(folder):
        raise ValueError(f"not a conversion folder: {folder!r}")
    if not extension.isalnum() or len(extension) > 10:
        raise ValueError(f"not a file type: {extension!r}")
    name = str(event.get("name") or "document")[:200]
    files = deps.assembly.files
    source = files.get(f"{folder}/in.{extension}")
    if source is None:
        raise ConversionInputMissing(f"{name}: the file to convert is gone")
    started = time.perf_counter()
    pdf = docx_to_pdf(source, name=name, extension=extension, pdfa=event.get("pdfa") is True,
                      tagged=event.get("tagged") is True)
    files.put(f"{folder}/out.pdf", pdf)
    return {"bytes": len(pdf), "seconds": round(time.perf_counter() - started, 4)}
