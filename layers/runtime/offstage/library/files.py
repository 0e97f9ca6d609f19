"""Files: DAFile (one stored file), DAFileCollection (a document in several formats), DAFileList,
and DAEmail (an e-mail received by the session). Bytes live in the FileStore port, not in the answers.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from offstage.answers.registry import register
from offstage.engine.context import current
from offstage.library.objects import DAList, DAObject

FILE_ID_LENGTH = 16  # bytes of randomness in a file's id (token_urlsafe: 22 characters)


def _store() -> Any:
    files = current().ports.files
    if files is None:
        raise RuntimeError("no file store is configured for this interview run")
    return files


def _sealed_for_session() -> tuple[str | None, bool]:
    """The secret and whether to encrypt: as the session's answers are (multi_user ones are not)."""
    ctx = current()
    encrypted = bool(ctx.secret) and not ctx.answers.get("multi_user")
    return (ctx.secret if encrypted else None), encrypted


def file_url(file_id: str, *, attachment: bool = False, filename: str | None = None) -> str:
    """The app's download route for a file of the current session (only its owner can open it)."""
    from urllib.parse import urlencode

    ctx = current()
    query = {"i": ctx.interview_name, "file": file_id}
    if ctx.interface == "api":
        query["session"] = ctx.session_id  # the API caller adds its key and the session's secret
    if attachment:
        query["download"] = "1"
    return f"{ctx.url_root}/interview/file?{urlencode(query)}"


@register
class DAFile(DAObject):
    """A file of the session: `.filename`, `.mimetype`, `.extension`; `.url_for()`, `.slurp()`, `.write()`,
    `.path()`, `.size_in_bytes()`, `.num_pages()`, `.show()`.

    Its bytes live in the file store under files/<session id>/<file id>, sealed as the session's answers
    are; `.url_for()` is the app's download route, which only the session's owner can open.
    """

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

            self.file_id = secrets.token_urlsafe(FILE_ID_LENGTH)
            self.storage_key = f"{ctx.session_id}/{self.file_id}"
        self.has_specific_filename = True

    def _require_storage(self) -> str:
        if "storage_key" not in self.__dict__:
            self.initialize()
        return self.storage_key

    def write(self, content: Any, binary: bool = False) -> None:
        """Store the content (text or bytes) as the file's data."""
        from offstage.documents.sealed import SessionFile, seal_file

        data = content if isinstance(content, bytes) else str(content).encode("utf-8")
        key = self._require_storage()
        secret, encrypted = _sealed_for_session()
        blob = seal_file(key, SessionFile(data, self.filename, self.mimetype), secret=secret, encrypted=encrypted)
        _store().put(key, blob, "application/octet-stream")
        self.ok = True

    def set_mimetype(self, mimetype: str) -> None:
        self.mimetype = mimetype

    def content(self) -> bytes:
        """The stored bytes."""
        from offstage.documents.sealed import unseal_file

        key = self._require_storage()
        return unseal_file(key, _store().get(key), secret=current().secret).data

    def slurp(self, auto_decode: bool = True) -> Any:
        """The file's content: text for text files (when auto_decode), bytes otherwise."""
        data = self.content()
        if auto_decode and (self.mimetype.startswith("text/") or self.extension in ("txt", "md", "html", "csv")):
            return data.decode("utf-8", errors="replace")
        return data

    def readlines(self) -> list[str]:
        return str(self.slurp()).splitlines(keepends=True)

    def path(self) -> str:
        """A local copy of the file (in the temporary folder) for code that needs a file name."""
        import tempfile
        from pathlib import Path

        folder = Path(tempfile.gettempdir()) / "offstage-files" / self._require_storage().replace("/", "-")
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / Path(self.filename).name
        if not target.exists():
            target.write_bytes(self.content())
        return str(target)

    def size_in_bytes(self) -> int:
        return len(self.content())

    def num_pages(self) -> int:
        """Pages of a PDF (1 for any other file, as docassemble counts)."""
        if self.extension != "pdf":
            return 1
        import io

        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(self.content())).pages)

    def url_for(self, **kwargs: Any) -> str:
        """A URL from which the session's owner can download the file (`attachment=True`: as a download)."""
        self._require_storage()
        if "file_id" not in self.__dict__:
            self.file_id = self.storage_key.split("/", 1)[1]
        return file_url(self.file_id, attachment=bool(kwargs.get("attachment")))

    def show(self, **kwargs: Any) -> str:
        """Markdown for the file: an image for images, a link otherwise (in a DOCX template: the picture)."""
        if "storage_key" not in self.__dict__:
            return ""
        from offstage.documents.images import in_template, template_picture

        if in_template():
            return template_picture(self, kwargs.get("width"))
        if self.mimetype.startswith("image/"):
            # a width rides in the link's fragment, for a picture in a Markdown document (documents/images.py)
            from urllib.parse import quote

            width = f"#width={quote(str(kwargs['width']))}" if kwargs.get("width") else ""
            return f"![{self.filename}]({self.url_for()}{width})"
        return f"[{self.filename}]({self.url_for()})"

    def __str__(self) -> str:
        return self.show()

    def __html__(self) -> str:
        """What Jinja2 autoescaping shows (DOCX templates): the picture there, escaped text elsewhere."""
        from markupsafe import escape

        from offstage.documents.images import in_template

        return self.show() if in_template() else str(escape(self.show()))

    def as_serializable(self) -> dict[str, Any]:
        """The file's description as the API shows it among the variables (never its bytes)."""
        known = self.__dict__
        return {"_class": type(self).__name__, "instanceName": self.instanceName, "ok": bool(known.get("ok")),
                **{key: known[key] for key in ("filename", "mimetype", "extension", "file_id") if key in known}}


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

    def __html__(self) -> str:
        """In a DOCX template: each file's picture, one after the other."""
        from markupsafe import Markup, escape

        return Markup("".join(str(escape(item)) for item in self.elements))

    def as_serializable(self) -> dict[str, Any]:
        return {"_class": type(self).__name__, "instanceName": self.instanceName,
                "elements": [item.as_serializable() if isinstance(item, DAFile) else str(item)
                             for item in self.elements]}


@register
class DAFileCollection(DAObject):
    """One document in several formats: `.pdf`, `.docx`, `.md` ... each a DAFile; `.info` has its name,
    filename and description."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        self.info: dict[str, Any] = {}
        super().init(*pargs, **kwargs)

    def _formats(self) -> list[str]:
        return [key for key, value in self.__dict__.items() if isinstance(value, DAFile)]

    def _chosen(self, format: str | None) -> DAFile | None:  # noqa: A002
        formats = self._formats()
        if not formats:
            return None
        chosen = format if format in formats else ("pdf" if "pdf" in formats else formats[0])
        return self.__dict__[chosen]

    def url_for(self, format: str | None = None, **kwargs: Any) -> str:  # noqa: A002
        """The URL of the document in `format` (default: the first format available, PDF first)."""
        chosen = self._chosen(format)
        return chosen.url_for(**kwargs) if chosen else ""

    def path(self, format: str | None = None) -> str:  # noqa: A002
        chosen = self._chosen(format)
        return chosen.path() if chosen else ""

    def num_pages(self) -> int:
        chosen = self._chosen("pdf")
        return chosen.num_pages() if chosen else 0

    def size_in_bytes(self, format: str | None = None) -> int:  # noqa: A002
        chosen = self._chosen(format)
        return chosen.size_in_bytes() if chosen else 0

    def show(self, **kwargs: Any) -> str:
        return ", ".join(self.__dict__[key].show(**kwargs) for key in self._formats())

    def __str__(self) -> str:
        return self.show()


@register
class DAEmail(DAObject):
    """An e-mail the session received: address_from, address_to, subject, body_text, body_html (a DAFile),
    attachment (a DAFileList), headers, datetime_message, datetime_received."""
