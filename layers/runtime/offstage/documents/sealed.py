"""A session's files at rest: the bytes with their name and type, sealed the way answers are.

The stored object is offstage.sessions.sealing's blob of (4-byte header length, JSON header, bytes):
encrypted with the session's secret unless the session is multi_user (docassemble keeps those
unencrypted too), and bound to the object's key, so a file copied to another key does not open. The
file's name and type are inside the seal: the bucket shows neither.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass


@dataclass(frozen=True)
class SessionFile:
    data: bytes
    filename: str
    content_type: str


def _binding(key: str) -> str:
    return f"file:{key}"  # another salt and associated data than the session's answers


def seal_file(key: str, file: SessionFile, *, secret: str | None, encrypted: bool) -> bytes:
    from offstage.sessions.sealing import seal

    header = json.dumps({"filename": file.filename, "content_type": file.content_type}).encode("utf-8")
    return seal(struct.pack(">I", len(header)) + header + file.data, session_id=_binding(key),
                secret=secret, encrypted=encrypted)


def unseal_file(key: str, blob: bytes, *, secret: str | None) -> SessionFile:
    """Raises WrongSecret (wrong or missing secret, altered data) or AnswersCorrupt."""
    from offstage.errors import AnswersCorrupt
    from offstage.sessions.sealing import unseal

    packed = unseal(blob, session_id=_binding(key), secret=secret)
    try:
        (length,) = struct.unpack(">I", packed[:4])
        header = json.loads(packed[4:4 + length])
        return SessionFile(packed[4 + length:], str(header["filename"]), str(header["content_type"]))
    except (struct.error, ValueError, KeyError, TypeError):
        raise AnswersCorrupt("the stored file is damaged") from None
