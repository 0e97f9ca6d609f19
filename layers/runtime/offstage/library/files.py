"""Files: DAFile (one stored file), DAFileCollection (a document in several formats), DAFileList,
and DAEmail (an e-mail received by the session). Bytes live in the FileStore port, not in the answers.
"""

from __future__ import annotations

import contextlib
import mimetypes
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, cast

from offstage.answers.registry import register
from offstage.context import current
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
    """The app's download route for a file of the current session (only its owner can open it).

    The file's current name goes last, so the URL ends as docassemble's do (`.../letter.pdf`): packages
    read the type from it (AssemblyLine shows a View button only for URLs ending in .pdf), and the
    route names the download after it (a name set after writing, with set_attributes, counts)."""
    from urllib.parse import urlencode

    ctx = current()
    query = {"i": ctx.interview_name, "file": file_id}
    if ctx.interface == "api":
        query["session"] = ctx.session_id  # the API caller adds its key and the session's secret
    if attachment:
        query["download"] = "1"
    if filename:
        query["filename"] = filename
    return f"{ctx.url_root}/interview/file?{urlencode(query)}"


class _Shown:
    """A file as text is its show() (Markdown, or the picture in a DOCX template); its alt text is kept."""

    alt_text: str | None

    def show(self, **kwargs: Any) -> str:
        raise NotImplementedError

    def set_alt_text(self, alt_text: str) -> None:
        self.alt_text = alt_text

    def get_alt_text(self) -> str | None:
        return self.__dict__.get("alt_text")

    def __str__(self) -> str:
        return self.show()

    def content(self) -> bytes:
        raise NotImplementedError

    def get_docx_variables(self) -> list[str]:
        """The variables the DOCX template uses (its Jinja2's undefined names), sorted."""
        from offstage.documents.docx_template import template_variables
        from offstage.library import exports

        library = exports()  # the functions a template calls are not its variables (as docassemble leaves them out)
        return [name for name in template_variables(self.content(), name=str(self.__dict__.get("filename") or "the DOCX file"))
                if name not in library]

    def get_pdf_fields(self) -> list[tuple[Any, ...]]:
        """The PDF's form fields: (name, value, page, rectangle, type, checkbox on-value) each."""
        from offstage.documents.pdf_fill import field_details

        return field_details(self.content())


@register
class DAFile(_Shown, DAObject):
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
                   mimetype: str | None = None, **kwargs: Any) -> None:  # noqa: ARG002 - docassemble's signature
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

    def write(self, content: Any, binary: bool = False) -> None:  # noqa: ARG002 - docassemble's signature
        """Store the content (text or bytes) as the file's data."""
        from offstage.documents.sealed import SessionFile, seal_file

        data = content if isinstance(content, bytes) else str(content).encode("utf-8")
        key = self._require_storage()
        secret, encrypted = _sealed_for_session()
        blob = seal_file(key, SessionFile(data, self.filename, self.mimetype), secret=secret, encrypted=encrypted)
        _store().put(key, blob, "application/octet-stream")
        forget_copies(key)
        self.ok = True

    def commit(self) -> None:
        """Store the changes code made to the file at .path() (reading or linking the file does it too)."""
        key = self._require_storage()
        changed = changed_copy(key)
        if changed is not None:
            self.write(changed)

    def retrieve(self) -> None:
        """docassemble fetches the file to local disk here; offstage's .path() does that when asked."""

    def make_ocr_pdf(self, *_pargs: Any, **_kwargs: Any) -> None:
        """Not provided: offstage has no OCR (docassemble runs Tesseract here)."""
        raise NotImplementedError("DAFile.make_ocr_pdf is not provided by offstage (it has no OCR)")

    def make_ocr_pdf_in_background(self, *_pargs: Any, **_kwargs: Any) -> None:
        """Not provided: offstage has no OCR (docassemble runs Tesseract in a background task here)."""
        raise NotImplementedError("DAFile.make_ocr_pdf_in_background is not provided by offstage (it has no OCR)")

    def bates_number(self, *files: Any, **kwargs: Any) -> None:
        """Stamp Bates numbers (`prefix` 'TEST', `digits` 5, `start` 1, `area` 'BOTTOM_RIGHT', `font_size`
        10, `offset_horizontal` / `offset_vertical` 15) on this PDF, or make this file the numbered PDF of
        `files` joined (as docassemble: anything not a PDF is converted first)."""
        from offstage.library.bates import bates_stamp

        if files or self.__dict__.get("extension") != "pdf":
            data = pdf_concatenate(*(files or (self,))).content()
        else:
            data = self.content()
        options = {key: kwargs[key] for key in ("prefix", "digits", "start", "area", "font_size",
                                                "offset_horizontal", "offset_vertical") if kwargs.get(key)}
        stamped = bates_stamp(data, **options)
        name = kwargs.get("filename") or self.__dict__.get("filename") or "file.pdf"
        self.initialize(filename=name if name.lower().endswith(".pdf") else f"{name}.pdf", extension="pdf",
                        mimetype="application/pdf")
        self.write(stamped)

    def set_mimetype(self, mimetype: str) -> None:
        self.mimetype = mimetype

    def content(self) -> bytes:
        """The stored bytes."""
        from offstage.documents.sealed import unseal_file

        key = self._require_storage()
        changed = changed_copy(key)
        if changed is not None:
            self.write(changed)
            return changed
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
        """A local copy of the file (in this process's temporary folder, bounded) for code that needs a
        file name."""
        return local_copy(self._require_storage(), self.filename, self.content)

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
        """A URL from which the session's owner can download the file (`attachment=True`: as a download;
        `display_filename`: the name the download gets)."""
        self.commit()  # a change made at .path() is what the link must give
        if "file_id" not in self.__dict__:
            self.file_id = self.storage_key.split("/", 1)[1]
        return file_url(self.file_id, attachment=bool(kwargs.get("attachment")),
                        filename=kwargs.get("display_filename") or self.__dict__.get("filename"))

    def show(self, **kwargs: Any) -> str:
        """Markdown for the file: an image for images, a link otherwise (in a DOCX template: the picture)."""
        if "storage_key" not in self.__dict__:
            return ""
        shown: str = _shown(self.filename, self.mimetype, self.url_for(),
                            kwargs.get("alt_text", self.__dict__.get("alt_text")), self, kwargs.get("width"))
        return shown

    def set_attributes(self, **kwargs: Any) -> None:
        """docassemble's `private`, `persistent` and `filename` (the type stays: the extension is kept).
        offstage records private and persistent; a file stays its session's, whatever they say."""
        for key in ("private", "persistent"):
            if key in kwargs:
                setattr(self, key, bool(kwargs[key]))
        if kwargs.get("filename"):
            name = str(kwargs["filename"]).replace("\\", "/").rsplit("/", 1)[-1]
            if self.__dict__.get("extension") and not name.lower().endswith("." + self.extension):
                name = f"{name}.{self.extension}"
            self.filename = name

    def __html__(self) -> str:
        """What Jinja2 autoescaping shows (DOCX templates): the picture there, escaped text elsewhere."""
        from markupsafe import escape

        from offstage.documents.docx_template import file_in_template

        inserted = file_in_template(self, None)
        return str(inserted) if inserted is not None else str(escape(self.show()))

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

    def path(self) -> str:
        """A local copy of the first file."""
        return self.elements[0].path() if self.elements else ""

    def size_in_bytes(self) -> int:
        """The size of the first file."""
        return self.elements[0].size_in_bytes() if self.elements else 0

    def num_pages(self) -> int:
        """The pages of every file (one for a file that is not a PDF)."""
        return sum(file.num_pages() for file in self.elements)

    def show(self, **kwargs: Any) -> str:
        return " ".join(file.show(**kwargs) for file in self.elements)

    def set_attributes(self, **kwargs: Any) -> None:
        for file in self.elements:
            file.set_attributes(**kwargs)

    def __str__(self) -> str:
        return self.show()

    def __html__(self) -> str:
        """In a DOCX template: each file's picture, one after the other."""
        from markupsafe import Markup, escape

        return Markup("".join(item.__html__() if isinstance(item, DAFile) else str(escape(item))  # noqa: S704 - each part is escaped or a DAFile's own escaped HTML
                              for item in self.elements))

    def as_serializable(self) -> dict[str, Any]:
        return {"_class": type(self).__name__, "instanceName": self.instanceName,
                "elements": [item.as_serializable() if isinstance(item, DAFile) else str(item)
                             for item in self.elements]}


@register
class DAFileCollection(DAObject):
    """One document in several formats: `.pdf`, `.rtf`, `.docx`, `.md` ... each a DAFile; `.info` has its name,
    filename and description."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        self.info: dict[str, Any] = {}
        super().init(*pargs, **kwargs)

    def _formats(self) -> list[str]:
        return [key for key, value in self.__dict__.items() if isinstance(value, DAFile)]

    def _chosen(self, format: str | None) -> DAFile | None:
        formats = self._formats()
        if not formats:
            return None
        chosen = format if format in formats else ("pdf" if "pdf" in formats else formats[0])
        return cast("DAFile | None", self.__dict__[chosen])

    def url_for(self, format: str | None = None, **kwargs: Any) -> str:
        """The URL of the document in `format` (default: the first format available, PDF first)."""
        chosen = self._chosen(format)
        return chosen.url_for(**kwargs) if chosen else ""

    def path(self, format: str | None = None) -> str:
        chosen = self._chosen(format)
        return chosen.path() if chosen else ""

    def num_pages(self) -> int:
        chosen = self._chosen("pdf")
        return chosen.num_pages() if chosen else 0

    def size_in_bytes(self, format: str | None = None) -> int:
        chosen = self._chosen(format)
        return chosen.size_in_bytes() if chosen else 0

    def show(self, **kwargs: Any) -> str:
        return ", ".join(self.__dict__[key].show(**kwargs) for key in self._formats())

    def slurp(self, auto_decode: bool = True) -> Any:
        chosen = self._chosen(None)
        return chosen.slurp(auto_decode=auto_decode) if chosen else ""

    def set_attributes(self, **kwargs: Any) -> None:
        """Each format's file gets the attributes (a new filename keeps each one's extension)."""
        for key in self._formats():
            self.__dict__[key].set_attributes(**kwargs)

    def bates_number(self, **kwargs: Any) -> None:
        """Bates numbers on the collection's PDF (see DAFile.bates_number)."""
        chosen = self.__dict__.get("pdf")
        if not isinstance(chosen, DAFile):
            raise ValueError("bates_number(): this document has no PDF version to number")
        chosen.bates_number(**kwargs)

    def __str__(self) -> str:
        return self.show()


@register
class DAEmail(DAObject):
    """An e-mail the session received: address_from, address_to, subject, body_text, body_html (a DAFile),
    attachment (a DAFileList), headers, datetime_message, datetime_received."""


# --- local copies (`.path()`) ------------------------------------------------------------------------------

LOCAL_COPIES_BYTES = 200 * 1024 * 1024  # Lambda's /tmp is 512 MB by default: copies stay well within it
_copies_folder: str | None = None


def _local_folder() -> Any:
    """This process's folder of local copies, removed when the process ends."""
    global _copies_folder
    from pathlib import Path

    if _copies_folder is None or not Path(_copies_folder).is_dir():
        import atexit
        import shutil
        import tempfile

        _copies_folder = tempfile.mkdtemp(prefix="offstage-files-")
        atexit.register(shutil.rmtree, _copies_folder, ignore_errors=True)
    return Path(_copies_folder)


# storage key -> (local copy, its (mtime_ns, size) when written): how a change made through .path() is seen
_copies: dict[str, tuple[str, tuple[int, int]]] = {}


def _stamp(path: str) -> tuple[int, int]:
    import os

    found = os.stat(path)
    return found.st_mtime_ns, found.st_size


def local_copy(key: str, filename: str, content: Any) -> str:
    """The path of a local copy of a stored file, written once; the oldest copies are removed when the
    folder would pass LOCAL_COPIES_BYTES (a removed copy is written again when asked for)."""
    from pathlib import Path

    folder = _local_folder() / key.replace("/", "-")
    target = folder / (Path(filename).name or "file")
    if target.is_file() and _copies.get(key, ("",))[0] == str(target):
        return str(target)  # (not touched: its time is how a change made in place is seen)
    data = content()
    _make_room(len(data))
    folder.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    _copies[key] = (str(target), _stamp(str(target)))
    return str(target)


def changed_copy(key: str) -> bytes | None:
    """The bytes of the file's local copy if code changed it in place (docassemble's packages run
    tools on .path(), e.g. pdf_to_pdfa), else None."""
    known = _copies.get(key)
    if known is None:
        return None
    path, stamp = known
    try:
        if _stamp(path) == stamp:
            return None
        with open(path, "rb") as changed:
            return changed.read()
    except FileNotFoundError:  # removed to make room: nothing changed that was not stored
        _copies.pop(key, None)
        return None


def forget_copies(key: str) -> None:
    """The stored file was written anew: its local copies are out of date."""
    import shutil

    _copies.pop(key, None)
    shutil.rmtree(_local_folder() / key.replace("/", "-"), ignore_errors=True)


def _make_room(needed: int) -> None:
    copies = sorted((p for p in _local_folder().glob("*/*") if p.is_file()), key=lambda p: p.stat().st_mtime)
    total = sum(p.stat().st_size for p in copies)
    while copies and total + needed > LOCAL_COPIES_BYTES:
        oldest = copies.pop(0)
        total -= oldest.stat().st_size
        oldest.unlink(missing_ok=True)


_in_content: ContextVar[bool] = ContextVar("offstage_in_document_content", default=False)


@contextlib.contextmanager
def document_content() -> Iterator[None]:
    """While an attachment's `content` is made: show() of a picture gives docassemble's [FILE ...] tag,
    which the document writer turns into the picture."""
    token = _in_content.set(True)
    try:
        yield
    finally:
        _in_content.reset(token)


def pictures_for(markdown: str) -> dict[str, bytes]:
    """The bytes of each [FILE reference] in content: a file of the session (by its id), or a file
    shipped with the interview. One that cannot be found is left out (the tag stays as text)."""
    import re

    from offstage.documents.markup import file_references

    found: dict[str, bytes] = {}
    for reference in file_references(markdown):
        if reference in found:
            continue
        data = _session_file(reference) if re.fullmatch(r"[A-Za-z0-9_-]{16,64}", reference) else None
        if data is None:
            try:
                data = interview_file(reference).read_bytes()
            except (FileNotFoundError, OSError):
                continue
        found[reference] = data
    return found


def _session_file(file_id: str) -> bytes | None:
    """The bytes of the session's file with this id, or None when it has none."""
    file = DAFile()
    file.storage_key, file.file_id = f"{current().session_id}/{file_id}", file_id
    try:
        return file.content()
    except (FileNotFoundError, KeyError):  # the S3 adapter's "no such key"; a dict's in tests
        return None


def _shown(filename: str, mimetype: str, url: str, alt_text: str | None, file: Any = None,
           width: Any = None) -> Any:
    """Markdown for a screen; inside a DOCX template, the picture itself (at `width`, e.g. '2in'); in
    an attachment's content, docassemble's [FILE ...] tag for a picture."""
    from offstage.documents.docx_template import file_in_template

    inserted = file_in_template(file, width)
    if inserted is not None:
        return inserted
    if _in_content.get() and file is not None and mimetype.startswith("image/"):
        reference = file.__dict__.get("file_id") or file.__dict__.get("filename") or filename
        return f"[FILE {reference}{', ' + str(width) if width else ''}]"
    if mimetype.startswith("image/"):
        return f"![{filename if alt_text is None else alt_text}]({url})"
    return f"[{filename}]({url})"


# --- files shipped with the interview -------------------------------------------------------------------------

def interview_file(reference: str) -> Any:
    """A file shipped with the current interview or an installed package: `coins.png`,
    `data/static/coins.png`, `docassemble.demo:data/static/coins.png` (library/package_files.py has
    the rules and keeps the lookup inside the interview's folders and packages' data/ folders)."""
    from offstage.library.package_files import FileNotProvided, find_file

    kind = "templates" if "data/templates/" in str(reference) else "static"
    try:
        return find_file(reference, kind)
    except FileNotProvided as exc:
        raise FileNotFoundError(f"the file {reference!r} is not among the interview's files ({exc})") from None


@register
class DAStaticFile(_Shown, DAObject):
    """A file shipped with the interview (its `filename` as docassemble writes it, e.g. 'coins.png' or
    'docassemble.demo:data/static/coins.png'); read-only."""

    def init(self, *pargs: Any, **kwargs: Any) -> None:
        super().init(*pargs, **kwargs)
        if "package" not in self.__dict__:
            # as docassemble: the package of the block that made it, not of whichever block later reads
            # it (AssemblyLine's bundle code runs from its own package); "" is the interview's own folder
            from offstage.library.package_files import current_home

            home = current_home()
            if home is not None:
                self.package = home.package or ""

    def _file(self) -> Any:
        package, name = self.__dict__.get("package"), str(self.filename)
        if package and ":" not in name:
            return interview_file(f"{package}:{name}")
        if package == "" and ":" not in name:
            from offstage.library.package_files import FileNotProvided, find, interview_home

            kind = "templates" if "data/templates/" in name else "static"
            try:
                return find(name, kind, interview_home())
            except FileNotProvided as exc:
                raise FileNotFoundError(f"the file {name!r} is not among the interview's files ({exc})") from None
        return interview_file(name)

    @property
    def mimetype(self) -> str:
        return mimetypes.guess_type(str(self.filename))[0] or "application/octet-stream"

    @property
    def extension(self) -> str:
        name = str(self.filename).rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[1].lower() if "." in name else ""

    def content(self) -> bytes:
        return bytes(self._file().read_bytes())

    def path(self) -> str:
        return str(self._file())

    def slurp(self, auto_decode: bool = True) -> Any:
        data = self.content()
        if auto_decode and (self.mimetype.startswith("text/") or self.extension in ("txt", "md", "html", "csv")):
            return data.decode("utf-8", errors="replace")
        return data

    def size_in_bytes(self) -> int:
        return int(self._file().stat().st_size)

    def num_pages(self) -> int:
        return _pages(self.content()) if self.extension == "pdf" else 1

    def url_for(self, **kwargs: Any) -> str:
        """offstage serves no interview folders: the file is copied into the session's files and that
        copy's URL is given. The copy's id comes from the session and the file's content, so showing the
        same file on every screen writes the same object, not a new one each time."""
        copy = self.__dict__.get("_copy")
        if copy is None:
            import base64
            import hashlib

            data, ctx = self.content(), current()
            digest = hashlib.sha256(f"{ctx.session_id}\0{self._file().name}\0".encode() + data).digest()
            copy = DAFile()
            copy.file_id = base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")[:22]
            copy.storage_key = f"{ctx.session_id}/{copy.file_id}"
            copy.initialize(filename=self._file().name, mimetype=self.mimetype)
            copy.write(data)
            self._copy = copy
        return str(copy.url_for(**kwargs))

    def show(self, **kwargs: Any) -> str:
        shown: str = _shown(self._file().name, self.mimetype, self.url_for(),
                            kwargs.get("alt_text", self.__dict__.get("alt_text")), self, kwargs.get("width"))
        return shown


def _pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


# --- combining files: pdf_concatenate(), zip_file(), docx_concatenate() -----------------------------------------

WORD_PROCESSING = ("docx", "doc", "rtf", "odt")
IMAGES = ("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff")


def _pieces(items: Any, prefer: str) -> list[tuple[str, str, Any]]:
    """(file name, extension, bytes reader) of each file given: DAFile, DAStaticFile, DAFileList,
    DAFileCollection (its `prefer` format if it has it), a file name beside the interview, or a list."""
    found: list[tuple[str, str, Any]] = []
    for item in items:
        if isinstance(item, (list, tuple)):
            found.extend(_pieces(item, prefer))
        elif isinstance(item, DAFileList):
            found.extend(_pieces(list(item.elements), prefer))
        elif isinstance(item, DAFileCollection):
            chosen = item._chosen(prefer)
            if chosen is None:
                raise ValueError(f"{item.instanceName} has no files yet")
            if prefer == "docx" and chosen.extension != "docx":  # content gives PDF and RTF unless asked
                raise ValueError(f"{item.instanceName} has no DOCX version (it has {', '.join(item._formats())}): "
                                 "add docx to the attachment's `valid formats`")
            found.extend(_pieces([chosen], prefer))
        elif isinstance(item, (DAFile, DAStaticFile)):
            name = item.path().rsplit("/", 1)[-1] if isinstance(item, DAStaticFile) else item.filename
            found.append((name, item.extension, item.content))
        elif isinstance(item, str):
            path = interview_file(item)
            found.append((path.name, path.suffix.lstrip(".").lower(), path.read_bytes))
        else:
            raise TypeError(f"expected a file (DAFile, DAFileList, DAFileCollection, DAStaticFile or a file "
                            f"name), not {type(item).__name__}")
    return found


def _output(output_to: Any, filename: str | None, extension: str, mimetype: str, data: bytes) -> DAFile:
    name = str(filename or f"file.{extension}").replace("\\", "/").rsplit("/", 1)[-1]
    if not name.lower().endswith("." + extension):
        name = f"{name}.{extension}"
    if isinstance(output_to, DAFileList) and output_to.elements:
        output_to = output_to.elements[0]  # as docassemble: the list's first file
    target = output_to if isinstance(output_to, DAFile) else DAFile()
    target.initialize(filename=name, mimetype=mimetype)
    target.write(data)
    return target


def pdf_concatenate(*files: Any, filename: str | None = None, pdfa: bool = False, password: Any = None,
                    output_to: Any = None) -> DAFile:
    """One PDF of the files in order (DOCX, ODT, RTF and images are converted first, with LibreOffice);
    `password` a user password, or [owner, user] / {'owner': ..., 'user': ...}."""
    from offstage.documents.combine import merge_pdfs
    from offstage.documents.convert import to_pdf

    pdfs = []
    for name, extension, read in _pieces(files, "pdf"):
        if extension == "pdf":
            pdfs.append((name, read()))
        elif extension in WORD_PROCESSING + IMAGES:
            pdfs.append((name, to_pdf(read(), name=name, extension=extension)))
        else:
            raise ValueError(f"pdf_concatenate(): {name} is neither a PDF nor a file that can become one")
    user, owner = _passwords(password)
    merged = merge_pdfs(pdfs, password=None if pdfa else user, owner_password=None if pdfa else owner)
    if pdfa:
        merged = _as_pdfa(merged)
        if user is not None or owner is not None:  # docassemble too encrypts after converting
            merged = _encrypted(merged, user, owner)
    return _output(output_to, filename, "pdf", "application/pdf", merged)


def _encrypted(data: bytes, user: str | None, owner: str | None) -> bytes:
    """AES-256 as merge_pdfs encrypts, with pikepdf, which keeps the PDF/A metadata (pypdf rewrites it)."""
    import io

    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user=user or "", owner=owner or user or "", aes=True, R=6))
    return out.getvalue()


def _as_pdfa(data: bytes) -> bytes:
    import tempfile
    from pathlib import Path

    from offstage.library.pdfa import pdf_to_pdfa

    with tempfile.TemporaryDirectory(prefix="offstage-pdfa-") as folder:
        path = Path(folder) / "merged.pdf"
        path.write_bytes(data)
        pdf_to_pdfa(str(path))
        return path.read_bytes()


def _passwords(password: Any) -> tuple[str | None, str | None]:
    """(user, owner) from docassemble's forms: 'pw', [owner, user] or {'owner': ..., 'user': ...}."""
    if password is None:
        return None, None
    if isinstance(password, (list, tuple)) and len(password) == 2:
        return str(password[1]), str(password[0])
    if isinstance(password, dict):
        user, owner = password.get("user"), password.get("owner")
        return (None if user is None else str(user)), (None if owner is None else str(owner))
    return str(password), None


def docx_concatenate(*files: Any, filename: str | None = None, output_to: Any = None) -> DAFile:
    """One DOCX of the DOCX files in order, each from a new page."""
    from offstage.documents.combine import merge_docx

    documents = []
    for name, extension, read in _pieces(files, "docx"):
        if extension != "docx":
            raise ValueError(f"docx_concatenate(): {name} is not a DOCX file (offstage joins DOCX files only)")
        documents.append((name, read()))
    from offstage.documents.render import MIMETYPES

    return _output(output_to, filename, "docx", MIMETYPES["docx"], merge_docx(documents))


def zip_file(*files: Any, filename: str | None = None, output_to: Any = None) -> DAFile:
    """A ZIP of the files; a dict's keys are folder names for its values (nested dicts nest folders)."""
    from offstage.documents.combine import zip_entries

    entries: list[tuple[str, bytes]] = []

    def add(items: Any, folder: str) -> None:
        for item in items:
            if isinstance(item, dict):
                for key, value in item.items():
                    add(value if isinstance(value, (list, tuple)) else [value], f"{folder}{key}/")
            else:
                entries.extend((folder + name, read()) for name, _, read in _pieces([item], "pdf"))

    add(files, "")
    return _output(output_to, filename, "zip", "application/zip", zip_entries(entries))


# --- include_docx_template() -------------------------------------------------------------------------------------

class IncludedDocx:
    """What include_docx_template() found: the DOCX bytes, its name, and the variables it is given."""

    def __init__(self, name: str, data: bytes, params: dict[str, Any]) -> None:
        self.name, self.data, self.params = name, data, params

    def __str__(self) -> str:
        return f"[{self.name}: include_docx_template() works only inside a DOCX template]"


def include_docx_template(template_file: Any, **params: Any) -> IncludedDocx:
    """Inside a DOCX template, `{{p include_docx_template('sub.docx', grantor=father) }}` puts the other
    DOCX there, rendered with the interview's variables plus the keyword arguments."""
    params.pop("change_numbering", None)
    pieces = _pieces([template_file], "docx")
    if len(pieces) != 1 or pieces[0][1] != "docx":
        raise ValueError(f"include_docx_template() needs one DOCX file, got {', '.join(p[0] for p in pieces)}")
    name, _, read = pieces[0]
    return IncludedDocx(name, read(), params)


def register_jinja_filter(name: str, function: Any) -> None:
    """A filter every DOCX template of this process can use: `{{ ssn | no_ssn }}` (docassemble's
    register_jinja_filter, which a module calls when it loads)."""
    from offstage.documents.docx_template import register_filter

    register_filter(name, function)
