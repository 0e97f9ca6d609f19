"""Answers at rest: compressed, and encrypted with a key the server does not keep.

Layout: one kind byte, then either zstd(answers) (multi_user sessions, which docassemble also keeps
unencrypted so that several users and cron can open them) or nonce + AES-256-GCM(zstd(answers)). The key
comes from the session's secret through HKDF with the session id as salt, and the session id is bound
as associated data, so a blob copied into another session does not open either.

Task data (a background task's value, error texts, the notifications for the page) is sealed the same
way with a key of its own (`seal_task_data`): the same secret and salt, a distinct HKDF context, and
the session, the item and the field bound as associated data, so a sealed value moved to another task
or field does not open.

Zstandard at level 1 (kinds 3 and 4) replaced zlib at level 6 (kinds 1 and 2, still read): on a
5,000-object session it compresses 10x faster to a quarter of the size (docs/benchmarks.md).
"""

from __future__ import annotations

import os
import zlib

from offstage.errors import AnswersCorrupt, WrongSecret

PLAIN = b"\x03"  # zstd
SEALED = b"\x04"  # AES-GCM of zstd
_OLD_PLAIN = b"\x01"  # zlib: written before format 2 of the answers, still read
_OLD_SEALED = b"\x02"
_ZSTD_LEVEL = 1
_DAMAGED = "the stored answers are damaged (they do not decompress)"
_NONCE = 12
_ANSWERS = b"offstage answers v1"
_TASK_DATA = b"offstage task data v1"


def _key(secret: str, session_id: str, context: bytes = _ANSWERS) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=session_id.encode(),
                info=context).derive(secret.encode())


def _compress(data: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdCompressor(level=_ZSTD_LEVEL).compress(data)


def _decompress(kind: bytes, packed: bytes) -> bytes:
    """The data; AnswersCorrupt when it does not decompress."""
    if kind in (_OLD_PLAIN, _OLD_SEALED):
        try:
            return zlib.decompress(packed)
        except zlib.error:
            raise AnswersCorrupt(_DAMAGED) from None
    import zstandard

    try:
        return zstandard.ZstdDecompressor().decompress(packed)  # the frame states its size (compress() writes it)
    except zstandard.ZstdError:
        raise AnswersCorrupt(_DAMAGED) from None


def seal(data: bytes, *, session_id: str, secret: str | None, encrypted: bool) -> bytes:
    packed = _compress(data)
    if not encrypted:
        return PLAIN + packed
    if not secret:
        raise WrongSecret("this session is encrypted and needs its secret")
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(_NONCE)
    return SEALED + nonce + AESGCM(_key(secret, session_id)).encrypt(nonce, packed, session_id.encode())


def unseal(blob: bytes, *, session_id: str, secret: str | None) -> bytes:
    kind, body = blob[:1], blob[1:]
    if kind in (PLAIN, _OLD_PLAIN):
        packed = body
    elif kind in (SEALED, _OLD_SEALED):
        if not secret:
            raise WrongSecret("this session is encrypted: give its secret")
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            packed = AESGCM(_key(secret, session_id)).decrypt(body[:_NONCE], body[_NONCE:], session_id.encode())
        except InvalidTag:
            raise WrongSecret("the answers cannot be decrypted with this secret "
                              "(a wrong secret, or the stored data was altered)") from None
    else:
        raise AnswersCorrupt("the stored answers are not in a format this offstage knows")
    return _decompress(kind, packed)


def is_encrypted(blob: bytes) -> bool:
    return blob[:1] in (SEALED, _OLD_SEALED)


def _bound(session_id: str, where: str) -> bytes:
    return f"{session_id}\x00{where}".encode()


def seal_task_data(data: bytes, *, session_id: str, secret: str, where: str) -> bytes:
    """Encrypt one piece of a session's task data; `where` names the item and field it belongs to."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(_NONCE)
    return SEALED + nonce + AESGCM(_key(secret, session_id, _TASK_DATA)).encrypt(nonce, data,
                                                                                  _bound(session_id, where))


def unseal_task_data(blob: bytes, *, session_id: str, secret: str | None, where: str) -> bytes:
    """The task data seal_task_data() sealed; WrongSecret without the session's secret or when altered."""
    if blob[:1] != SEALED:
        raise AnswersCorrupt("the stored task data is not in a format this offstage knows")
    if not secret:
        raise WrongSecret("this session's task data is encrypted: give its secret")
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(_key(secret, session_id, _TASK_DATA)).decrypt(blob[1:1 + _NONCE], blob[1 + _NONCE:],
                                                                     _bound(session_id, where))
    except InvalidTag:
        raise WrongSecret("the task data cannot be decrypted with this secret "
                          "(a wrong secret, or the stored data was altered)") from None
