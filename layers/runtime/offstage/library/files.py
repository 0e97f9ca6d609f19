"""Files: DAFile (one stored file), DAFileCollection (a document in several formats), DAFileList,
and DAEmail (an e-mail received by the session). Bytes live in the FileStore port, not in the answers.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from offstage.answers.registry import register
from offstage.engine.context import current
from offstage.library.objects import DAList, DAObject


def _store() -> Any:
    files = current().ports.files
    if files is None:
        raise RuntimeError("no file store is configured for this interview run")
    return files


@register
class DAFile(DAObject):
    """A file of the session: `.filename`, `.mimetype`, `.extension`; `.url_for()`, `.slurp()`, `.write()`."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        self.ok = False
        super().init(*pargs, **kwargs)
        if "filename" in kwargs:
            self.initialize(filename=kwargs["filename"], mimetype=kwargs.get("mimetype"))

    def initialize(self, filename: str | None = None, extension: str | None = None,
                   mimetype: str | None = None, **kwargs: Any) -> None:
        """Give the file a name and a place in the file store (before writing to it)."""
        if filename is None:
            filename = "file." + (extension or "txt")
        self.filename = filename
        self.extension = extension or (filename.rsplit(".", 1)[1].lower() if "." in filename else "")
        self.mimetype = mimetype or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        if "storage_key" not in self.__dict__:
            ctx = current()
            import secrets  # lazy: costs ~7 ms at import

            self.storage_key = f"{ctx.session_id}/{secrets.token_urlsafe(12)}/{filename}"
        self.has_specific_filename = True

    def _require_storage(self) -> str:
        if "storage_key" not in self.__dict__:
            self.initialize()
        return self.storage_key

    def write(self, content: Any, binary: bool = False) -> None:
        """Store the content (text or bytes) as the file's data."""
        data = content if isinstance(content, bytes) else str(content).encode("utf-8")
        _store().put(self._require_storage(), data, self.mimetype)
        self.ok = True

    def set_mimetype(self, mimetype: str) -> None:
        self.mimetype = mimetype

    def content(self) -> bytes:
        """The stored bytes."""
        return _store().get(self._require_storage())

    def slurp(self, auto_decode: bool = True) -> Any:
        """The file's content: text for text files (when auto_decode), bytes otherwise."""
        data = self.content()
        if auto_decode and (self.mimetype.startswith("text/") or self.extension in ("txt", "md", "html", "csv")):
            return data.decode("utf-8", errors="replace")
        return data

    def readlines(self) -> list[str]:
        return str(self.slurp()).splitlines(keepends=True)

    def url_for(self, **kwargs: Any) -> str:
        """A URL from which the user can download the file."""
        return _store().url(self._require_storage(), kwargs.get("filename") or self.__dict__.get("filename"))

    def show(self, **kwargs: Any) -> str:
        return str(self)

    def __str__(self) -> str:
        if "storage_key" not in self.__dict__:
            return ""
        return f"[{self.filename}]({self.url_for()})"


@register
class DAFileList(DAList):
    """A list of DAFile objects (what a `datatype: files` upload gives)."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        kwargs.setdefault("object_type", DAFile)
        super().init(*pargs, **kwargs)
        self.gathered = True

    def url_for(self, **kwargs: Any) -> str:
        """The URL of the first file."""
        return self.elements[0].url_for(**kwargs) if self.elements else ""

    def slurp(self, auto_decode: bool = True) -> Any:
        return self.elements[0].slurp(auto_decode=auto_decode) if self.elements else ""


@register
class DAFileCollection(DAObject):
    """One document in several formats: `.pdf`, `.docx`, `.rtf`, `.html`... each a DAFile; `.info` describes it."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        self.info: dict[str, Any] = {}
        super().init(*pargs, **kwargs)

    def _formats(self) -> list[str]:
        return [key for key, value in self.__dict__.items() if isinstance(value, DAFile)]

    def url_for(self, format: str | None = None, **kwargs: Any) -> str:  # noqa: A002
        """The URL of the document in `format` (default: the first format available, PDF first)."""
        formats = self._formats()
        if not formats:
            return ""
        chosen = format if format in formats else ("pdf" if "pdf" in formats else formats[0])
        return self.__dict__[chosen].url_for(**kwargs)

    def __str__(self) -> str:
        return ", ".join(str(self.__dict__[key]) for key in self._formats())


@register
class DAEmail(DAObject):
    """An e-mail the session received: address_from, address_to, subject, body_text, body_html (a DAFile),
    attachment (a DAFileList), headers, datetime_message, datetime_received."""
