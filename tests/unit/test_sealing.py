"""Answers at rest: a wrong secret, a copied or altered blob are refused with a clear error."""

import pytest
from offstage.errors import AnswersCorrupt, WrongSecret
from offstage.sessions.ids import new_secret, new_session_id
from offstage.sessions.sealing import seal, unseal


def test_encrypted_answers_open_only_with_their_secret_and_session():
    sid, secret = new_session_id(), new_secret()
    blob = seal(b"answers", session_id=sid, secret=secret, encrypted=True)
    assert b"answers" not in blob
    assert unseal(blob, session_id=sid, secret=secret) == b"answers"
    with pytest.raises(WrongSecret, match="cannot be decrypted"):
        unseal(blob, session_id=sid, secret=new_secret())
    with pytest.raises(WrongSecret):
        unseal(blob, session_id=new_session_id(), secret=secret)


def test_a_flipped_byte_is_refused():
    sid, secret = new_session_id(), new_secret()
    blob = bytearray(seal(b"answers" * 10, session_id=sid, secret=secret, encrypted=True))
    blob[-3] ^= 0x01
    with pytest.raises(WrongSecret, match="altered"):
        unseal(bytes(blob), session_id=sid, secret=secret)


def test_multi_user_answers_are_compressed_not_encrypted():
    blob = seal(b"x" * 1000, session_id="s", secret=None, encrypted=False)
    assert len(blob) < 100
    assert unseal(blob, session_id="s", secret=None) == b"x" * 1000


def test_unknown_format_is_refused():
    with pytest.raises(AnswersCorrupt, match="format"):
        unseal(b"\x09junk", session_id="s", secret="k")


def test_ids_are_128_bit_random():
    ids = {new_session_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(len(i) == 32 for i in ids)


def test_task_ids_and_secrets_are_unguessable():
    from offstage.sessions.ids import new_task_id

    assert len({new_task_id() for _ in range(100)}) == 100
    assert all(len(new_task_id()) == 32 for _ in range(5))
    assert len({new_secret() for _ in range(100)}) == 100
    assert len(new_secret()) >= 22  # 128 bits, urlsafe
