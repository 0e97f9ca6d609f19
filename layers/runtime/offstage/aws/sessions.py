"""Sessions in DynamoDB (pynamodb): one `current` item per session plus bounded step items for Back.

A save of answers that the request did not change (the record's watch, offstage.answers.tracking)
neither encodes nor writes; one whose answers encode to the bytes that were read (as_read) writes nothing.
Every write names the version it read (a condition expression), so two writers never silently
overwrite each other: the loser gets SessionConflict and re-reads (offstage.app.locking). A save
that adds a step writes the step item and the new current item in one transaction. Blobs over
~350 KB go to S3 under a fresh key each time (a losing writer's upload never replaces the winner's)
and the item keeps that key. Items past `expires_at` read as gone: DynamoDB deletes them up to two
days late, and moto never does.
"""

from __future__ import annotations

import datetime as _dt
import functools
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from offstage.aws.payloads import PayloadBucket, payload_prefix
from offstage.errors import CannotGoBack, SessionConflict, SessionNotFound
from offstage.ports import SessionRecord
from offstage.sessions.cron import allows_cron
from offstage.sessions.ids import new_session_id
from offstage.sessions.sealing import PLAIN, SEALED, seal, unseal
from offstage.settings import CRON_SHARDS

CURRENT = "current"
STEP = "step#"
MAX_STEPS = 50
INLINE_LIMIT = 350_000
CRON_INDEX = "cron_shards"
_CONFLICT = "the session was changed by another request; reload it and try again"

log = logging.getLogger(__name__)


@functools.cache
def session_model(table: str, region: str, host: str | None) -> Any:
    """The pynamodb model of the sessions table (built on first use: table names come from settings)."""
    from pynamodb.attributes import BinaryAttribute, BooleanAttribute, NumberAttribute, UnicodeAttribute
    from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection
    from pynamodb.models import Model

    class CronShardIndex(GlobalSecondaryIndex[Any]):  # type: ignore[no-untyped-call]  # pynamodb's Index.__init_subclass__ has no annotations
        """Sparse and sharded: only sessions cron may open carry cron_shard ("cron#<n>") and cron_sort
        ("<interview>#<session>"); both stay the same from save to save, so saves do not rewrite it."""

        class Meta:
            index_name = CRON_INDEX
            projection = KeysOnlyProjection()

        cron_shard = UnicodeAttribute(hash_key=True)
        cron_sort = UnicodeAttribute(range_key=True)

    class SessionItem(Model):
        class Meta:
            table_name = table
            region: str | None = None  # both set after the class (`region = region` here misses the argument)
            host: str | None = None

        pk = UnicodeAttribute(hash_key=True)
        sk = UnicodeAttribute(range_key=True)
        interview = UnicodeAttribute(null=True)
        blob = BinaryAttribute(null=True, legacy_encoding=False)
        s3_key = UnicodeAttribute(null=True)
        version = NumberAttribute(default=0)
        multi_user = BooleanAttribute(default=False)
        created = UnicodeAttribute(null=True)
        modified = UnicodeAttribute(null=True)
        expires_at = NumberAttribute(null=True)
        steps = NumberAttribute(default=0)  # step items that exist (Back is offered when > 0)
        step_seq = NumberAttribute(default=0)  # number of the newest step item; they are contiguous
        cron_shard = UnicodeAttribute(null=True)
        cron_sort = UnicodeAttribute(null=True)
        cron = CronShardIndex()

    SessionItem.Meta.region = region
    SessionItem.Meta.host = host
    return SessionItem


class DynamoSessionStore:
    """offstage.ports.SessionStore on DynamoDB, with answers sealed by offstage.sessions.sealing."""

    def __init__(self, *, table: str, region: str = "us-east-1", host: str | None = None,
                 bucket: str | None = None, s3: Any = None,
                 modules_for: Callable[[str], Iterable[str]] | None = None,
                 now: Callable[[], float] = time.time, cron_shards: int = CRON_SHARDS) -> None:
        self.model = session_model(table, region, host)
        self.cron_shards = max(1, int(cron_shards))
        self.region, self.host = region, host
        self.bucket = bucket
        self._payloads = PayloadBucket(bucket=bucket or "", client=s3, region=region, endpoint_url=host)
        self.modules_for = modules_for or (lambda _interview: ())
        self.now = now
        self._tx_connection: Any = None

    # ------------------------------------------------------------------ the SessionStore protocol
    def create(self, interview: str, answers: dict[str, Any], *, secret: str | None,
               multi_user: bool = False, delete_days: int = 90) -> SessionRecord:
        sid = new_session_id()
        stamp = self._stamp()
        item = self.model(sid, CURRENT, interview=interview, version=1, multi_user=multi_user,
                          created=stamp, modified=stamp, expires_at=self._expiry(delete_days))
        data = self._encode(interview, answers)
        self._put_answers(item, answers, data, secret)
        item.save(condition=self.model.pk.does_not_exist())
        return self._record(item, answers, data)

    def load(self, session_id: str, *, secret: str | None) -> SessionRecord:
        item = self._current(session_id)
        blob = self._get_blob(item)
        data = unseal(blob, session_id=session_id, secret=secret)  # plain blobs ignore the secret
        answers, watch = self._decode_watched(item.interview, data)
        record = self._record(item, answers, data)
        if blob[:1] not in (PLAIN, SEALED) or self._cron_keys(item, record.answers) != (item.cron_shard, item.cron_sort):
            record.as_read = None  # an older kind of item: its next save rewrites it even if nothing changed
        elif data.startswith(b"OA%dj:" % codec_version()):  # older answers are rewritten in the current format
            record.watch = watch
        return record

    def save(self, record: SessionRecord, answers: dict[str, Any], *, secret: str | None,
             new_step: bool = True, delete_days: int = 90) -> SessionRecord:
        if record.watch is not None and record.as_read is not None and record.as_read[0] == record.multi_user \
                and record.watch.unchanged(answers):
            return record  # nothing changed since the load: nothing to encode, seal or write
        data = self._encode(record.interview, answers)
        if record.as_read == (record.multi_user, data):  # a byte comparison: a hash would cost more
            return record  # nothing changed: nothing to seal or write (a concurrent writer's save stands)
        old = self._current(record.session_id)
        if int(old.version) != record.version:  # fail before uploading anything
            raise SessionConflict(_CONFLICT)
        item = self.model(record.session_id, CURRENT, interview=record.interview, version=record.version + 1,
                          multi_user=record.multi_user, created=old.created, modified=self._stamp(),
                          expires_at=self._expiry(delete_days), steps=int(old.steps or 0),
                          step_seq=int(old.step_seq or 0))
        self._put_answers(item, answers, data, secret)
        writes = [(item, self.model.version == record.version)]
        if new_step:  # the blob being replaced becomes the newest step, in the same transaction
            item.step_seq, item.steps = item.step_seq + 1, min(item.steps + 1, MAX_STEPS)
            writes.append((self.model(record.session_id, _step_key(item.step_seq), blob=old.blob,
                                      s3_key=old.s3_key, expires_at=item.expires_at), None))
        self._transact(writes, [], payload=item.s3_key)
        if not new_step:
            self._drop_payloads([old.s3_key])
        elif int(old.steps or 0) + 1 > MAX_STEPS:  # keep the history bounded: the oldest step goes
            self._drop_step(record.session_id, item.step_seq - MAX_STEPS)
        return self._record(item, answers, data)

    def back(self, session_id: str, *, secret: str | None) -> SessionRecord:
        current = self._current(session_id)
        steps = list(self.model.query(session_id, self.model.sk.startswith(STEP), scan_index_forward=False,
                                      limit=1, consistent_read=True))
        if not steps or not current.steps:
            raise CannotGoBack("Cannot go back: the interview is at its first step")
        step = steps[0]  # (a plain blob ignores the secret: multi_user sessions open without one)
        answers = self._decode(current.interview, unseal(self._get_blob(step), session_id=session_id, secret=secret))
        latest = self._decode(current.interview, unseal(self._get_blob(current), session_id=session_id, secret=secret))
        persistent = latest.get("_internal", {}).get("persistent_tasks")
        if persistent is not None:  # persistent tasks survive Back, like docassemble's DAStore
            answers.setdefault("_internal", {})["persistent_tasks"] = persistent
        item = self.model(session_id, CURRENT, interview=current.interview, version=current.version + 1,
                          multi_user=current.multi_user, created=current.created, modified=self._stamp(),
                          expires_at=current.expires_at, steps=int(current.steps) - 1,
                          step_seq=int(step.sk[len(STEP):]) - 1)
        data = self._encode(current.interview, answers)
        self._put_answers(item, answers, data, secret)
        self._transact([(item, self.model.version == current.version)], [step], payload=item.s3_key)
        self._drop_payloads([current.s3_key, step.s3_key])
        return self._record(item, answers, data)

    def delete(self, session_id: str) -> None:
        with self.model.batch_write() as batch:
            for item in self.model.query(session_id):
                batch.delete(item)
        if self.bucket:
            self._payloads.delete_session(session_id)

    # ------------------------------------------------------------------ beyond the protocol
    def cron_sessions(self, interview: str) -> list[str]:
        """Ids of the interview's sessions cron may open (docassemble: multi_user and use_cron/allow_cron).

        The index holds keys only: an expired session may still be listed, and loading it says so.
        """
        found: list[str] = []
        for shard in range(self.cron_shards):
            start: dict[str, Any] | None = None
            while True:
                page, start = self.cron_page(shard, start, interview=interview)
                found.extend(sid for _, sid in page)
                if start is None:
                    break
        return found

    def cron_eligible(self, session_id: str) -> bool:
        """Whether cron may open the session now (it exists, is unexpired and carries the cron keys),
        read from the item's attributes alone: an encrypted session's answers are never fetched."""
        if not session_id or len(session_id) > 128:
            return False
        found = self.model._get_connection().get_item(
            session_id, CURRENT, consistent_read=True,
            attributes_to_get=["multi_user", "cron_shard", "expires_at"]).get("Item")
        if not found or "cron_shard" not in found or not found.get("multi_user", {}).get("BOOL"):
            return False
        expires = found.get("expires_at", {}).get("N")
        return expires is None or float(expires) > self.now()

    def cron_page(self, shard: int, start: dict[str, Any] | None = None, *, limit: int = 1000,
                  interview: str | None = None) -> tuple[list[tuple[str, str]], dict[str, Any] | None]:
        """One page of a cron shard: [(interview, session id)] and the key to go on from (None at the end)."""
        conditions = self.model.cron_sort.startswith(interview + "#") if interview else None
        result = self.model.cron.query(cron_shard_key(shard), conditions, limit=limit,
                                       last_evaluated_key=start or None, page_size=limit)
        page = []
        for item in result:
            name, _, sid = str(item.cron_sort).rpartition("#")
            page.append((name, sid))
        return page, result.last_evaluated_key

    # ------------------------------------------------------------------ helpers
    def _current(self, session_id: str) -> Any:
        from pynamodb.exceptions import DoesNotExist

        if not session_id or len(session_id) > 128:
            raise SessionNotFound("no such session")
        try:
            item = self.model.get(session_id, CURRENT, consistent_read=True)
        except DoesNotExist:
            raise SessionNotFound(f"no session {session_id} (it may have expired or been deleted)") from None
        if item.expires_at is not None and item.expires_at <= self.now():
            raise SessionNotFound(f"no session {session_id} (it has expired)")
        return item

    def _transact(self, saves: list[tuple[Any, Any]], deletes: list[Any], *, payload: str | None) -> None:
        """All writes or none; a lost version condition is a SessionConflict (and its upload is dropped)."""
        from pynamodb.exceptions import TransactWriteError
        from pynamodb.transactions import TransactWrite

        try:
            with TransactWrite(connection=self._connection()) as tx:
                for item in deletes:
                    tx.delete(item)
                for item, condition in saves:
                    tx.save(item, condition=condition)
        except TransactWriteError as exc:
            self._drop_payloads([payload])
            if _conflict(exc):
                raise SessionConflict(_CONFLICT) from None
            raise

    def _connection(self) -> Any:
        """One connection per store: a new one would build a new botocore client on every save."""
        if self._tx_connection is None:
            from pynamodb.connection import Connection

            self._tx_connection = Connection(region=self.region, host=self.host)
        return self._tx_connection

    def _drop_step(self, session_id: str, seq: int) -> None:
        if seq < 1:
            return
        old = self.model._get_connection().delete_item(session_id, _step_key(seq), return_values="ALL_OLD")
        self._drop_payloads([old.get("Attributes", {}).get("s3_key", {}).get("S")])

    def _drop_payloads(self, keys: Iterable[str | None]) -> None:
        """Best effort: a payload no item points to any more (a failure only leaves garbage behind)."""
        for key in filter(None, keys):
            try:
                self._payloads.delete(key)
            except Exception:  # never fail a save that already succeeded
                log.warning("could not delete the unused payload %s", key, exc_info=True)

    def _put_answers(self, item: Any, answers: dict[str, Any], data: bytes, secret: str | None) -> None:
        # a legacy item's cron_key (the index before shards) is dropped: save writes the whole item
        item.cron_shard, item.cron_sort = self._cron_keys(item, answers)
        self._put_blob(item, seal(data, session_id=item.pk, secret=secret, encrypted=not item.multi_user))

    def _cron_keys(self, item: Any, answers: dict[str, Any]) -> tuple[str | None, str | None]:
        """The item's (cron_shard, cron_sort): both None unless cron may open the session."""
        if not (bool(item.multi_user) and allows_cron({**answers, "multi_user": True})):
            return None, None
        return cron_shard_key(cron_shard(item.pk, self.cron_shards)), f"{item.interview}#{item.pk}"

    def _encode(self, interview: str, answers: dict[str, Any]) -> bytes:
        from offstage.answers.codec import dumps

        return dumps(answers, allowed_modules=tuple(self.modules_for(interview)))

    def _decode_watched(self, interview: str, data: bytes) -> tuple[dict[str, Any], Any]:
        from offstage.answers.codec import loads_watched

        return loads_watched(data, allowed_modules=tuple(self.modules_for(interview)))

    def _decode(self, interview: str, data: bytes) -> dict[str, Any]:
        from offstage.answers.codec import loads

        return loads(data, allowed_modules=tuple(self.modules_for(interview)))

    def _put_blob(self, item: Any, blob: bytes) -> None:
        if len(blob) <= INLINE_LIMIT or not self.bucket:
            item.blob, item.s3_key = blob, None
            return
        key = payload_prefix(item.pk) + new_session_id()
        self._payloads.put(key, blob)
        item.blob, item.s3_key = None, key

    def _get_blob(self, item: Any) -> bytes:
        if item.s3_key:
            return self._payloads.get(item.s3_key)
        return bytes(item.blob or b"")

    def _expiry(self, delete_days: int) -> int | None:
        return int(self.now()) + int(delete_days) * 86400 if delete_days else None

    def _stamp(self) -> str:
        return _dt.datetime.fromtimestamp(self.now(), _dt.UTC).isoformat()

    @staticmethod
    def _record(item: Any, answers: dict[str, Any], data: bytes) -> SessionRecord:
        return SessionRecord(session_id=item.pk, interview=item.interview, answers=answers,
                             version=int(item.version), multi_user=bool(item.multi_user),
                             created=_parse(item.created), modified=_parse(item.modified),
                             steps=int(item.steps or 0), as_read=(bool(item.multi_user), data))


def cron_shard(session_id: str, shards: int) -> int:
    """The cron index partition of a session: a stable hash (not Python's salted hash()) of its id."""
    import zlib

    return zlib.crc32(session_id.encode()) % max(1, shards)


def cron_shard_key(shard: int) -> str:
    return f"cron#{shard}"


def codec_version() -> int:
    from offstage.answers.codec import VERSION

    return VERSION


def _step_key(seq: int) -> str:
    return f"{STEP}{seq:08d}"


def _parse(stamp: str | None) -> _dt.datetime | None:
    return _dt.datetime.fromisoformat(stamp) if stamp else None


def _conflict(exc: Exception) -> bool:
    reasons = getattr(exc, "cancellation_reasons", None) or []
    text = str(exc) + " ".join(str(getattr(r, "code", r)) for r in reasons if r)
    return "ConditionalCheckFailed" in text or "TransactionConflict" in text


