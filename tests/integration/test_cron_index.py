"""The sharded, sparse cron index of the SessionsTable: who is listed, where, and old items' migration."""

from __future__ import annotations

import boto3
import pytest
from offstage.aws.sessions import DynamoSessionStore, cron_shard


@pytest.fixture
def store(aws):
    return DynamoSessionStore(table=aws.names["SessionsTable"], bucket=aws.names["PayloadBucket"], cron_shards=8)


def test_either_flag_with_multi_user_lists_the_session_and_nothing_else_is_listed(store):
    seed = store.create("r.yml", {"use_cron": True}, secret=None, multi_user=True)
    today = store.create("r.yml", {"allow_cron": True}, secret=None, multi_user=True)
    store.create("r.yml", {"use_cron": True}, secret="k")  # encrypted: never listed, never opened
    store.create("r.yml", {"name": "no flag"}, secret=None, multi_user=True)
    assert sorted(store.cron_sessions("r.yml")) == sorted([seed.session_id, today.session_id])
    assert store.cron_eligible(seed.session_id)
    assert not store.cron_eligible("nope")


def test_sessions_spread_over_the_shards_and_each_page_names_its_interview(store):
    ids = [store.create(f"i{n % 3}.yml", {"use_cron": True}, secret=None, multi_user=True).session_id
           for n in range(60)]
    seen: dict[int, list[tuple[str, str]]] = {}
    for shard in range(8):
        start = None
        while True:
            page, start = store.cron_page(shard, start, limit=4)
            seen.setdefault(shard, []).extend(page)
            if start is None:
                break
    assert sorted(sid for entries in seen.values() for _, sid in entries) == sorted(ids)
    assert sum(1 for entries in seen.values() if entries) >= 6  # no one hot partition
    for shard, entries in seen.items():
        assert all(cron_shard(sid, 8) == shard for _, sid in entries)
    assert {name for entries in seen.values() for name, _ in entries} == {"i0.yml", "i1.yml", "i2.yml"}


def test_an_item_keyed_the_old_way_moves_to_the_shards_on_its_next_save(store, aws):
    record = store.create("old.yml", {"allow_cron": True}, secret=None, multi_user=True)
    table = boto3.client("dynamodb", region_name="us-east-1")
    table.update_item(TableName=aws.names["SessionsTable"],  # as the index before shards wrote it
                      Key={"pk": {"S": record.session_id}, "sk": {"S": "current"}},
                      UpdateExpression="SET cron_key = :i REMOVE cron_shard, cron_sort",
                      ExpressionAttributeValues={":i": {"S": "old.yml"}})
    assert store.cron_sessions("old.yml") == []
    store.save(store.load(record.session_id, secret=None), {"allow_cron": True}, secret=None)
    assert store.cron_sessions("old.yml") == [record.session_id]
    item = table.get_item(TableName=aws.names["SessionsTable"],
                          Key={"pk": {"S": record.session_id}, "sk": {"S": "current"}})["Item"]
    assert "cron_key" not in item  # the old index no longer lists it


def test_opting_out_removes_the_session_from_the_index(store):
    record = store.create("r.yml", {"use_cron": True}, secret=None, multi_user=True)
    store.save(record, {"use_cron": False}, secret=None)
    assert store.cron_sessions("r.yml") == []
    assert not store.cron_eligible(record.session_id)
