"""Answers at rest: compressed, and encrypted with a key the server does not keep.

Layout: one version byte, then either zlib(answers) (multi_user sessions, which docassemble also keeps
unencrypted so that several users and cron can open them) or nonce + AES-256-GCM(zlib(answers)). The key
comes from the session's secret through HKDF with the session id as salt, and the session id is bound
as associated data, so a blob copied into another session does not open either.
"""

from __future__ import annotations

import os
import zlib

from offstage.errors import AnswersCorrupt, WrongSecret

PLAIN = b"\x01"
SEALED = b"\x02"
_NONCE = 12


def _key(secret: str, session_id: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=session_id.encode(),
                info=b"offstage answers v1").derive(secret.encode())


def seal(data: bytes, *, session_id: str, secret: str | None, encrypted: bool) -> bytes:
    packed = zlib.compress(data, 6)
    if not encrypted:
        return PLAIN + packed
    if not secret:
        raise WrongSecret("this session is encrypted and needs its secret")
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(_NONCE)
    return SEALED + nonce + AESGCM(_key(secret, session_id)).encrypt(nonce, packed, session_id.encode())


def unseal(blob: bytes, *, session_id: str, secret: str | None) -> bytes:
    kind, body = blob[:1], blob[1:]
    if kind == PLAIN:
        packed = body
    elif kind == SEALED:
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
    try:
        return zlib.decompress(packed)
    except zlib.error:
        raise AnswersCorrupt("the stored answers are damaged (they do not decompress)") from None


def is_encrypted(blob: bytes) -> bool:
    return blob[:1] == SEALED
