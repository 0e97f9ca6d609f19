"""Answers as offstage stored them before format 2 (answers format 1, sealing kinds 1 and 2).

`stored_v1.json` beside this file was written once by that code (commit 34a5bc2) from `sample()`:
the codec's bytes (small: JSON, large: zlib-compressed JSON) and whole sealed blobs, encrypted and
plain, for SESSION_ID / SECRET. Tests open them with today's code to prove old sessions still load.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import zoneinfo
from pathlib import Path
from typing import Any

SESSION_ID = "0123456789abcdef0123456789abcdef"
SECRET = "old-format-secret"
FIXTURE = Path(__file__).with_name("stored_v1.json")


def sample() -> dict[str, Any]:
    """Every kind of value format 1 could hold: plain data, library objects, shared and cyclic references."""
    from offstage.engine.tasks import TaskHandle
    from offstage.library.dates import as_datetime
    from offstage.library.interval import date_interval
    from offstage.library.objects import DADict, DAList, DAObject

    client = DAObject("client")
    client.initializeAttribute("name", DAObject)
    client.name.first = "Ann"
    client.me = client
    people = DAList("people", object_type=DAObject)
    for index in range(3):
        person = people.appendObject()
        person.first_name, person.age, person.score = f"P{index}", index, index / 2
    people.gathered = True
    shared = [1, 2]
    loop: list[Any] = []
    loop.append(loop)
    handle = TaskHandle("t-1", "flash")
    handle.final = {"task_id": "t-1", "status": "done", "value": 5}
    return {
        "n": 3, "f": 2.5, "s": "é", "b": True, "none": None, "big": 10**30, "nan": float("nan"),
        "inf": float("-inf"), "t": (1, "a", (2,)), "set": {1, 2}, "fs": frozenset({"a"}), "by": b"\x00\xff",
        "dec": decimal.Decimal("1.10"), "td": dt.timedelta(days=1, seconds=3, microseconds=4),
        "date": dt.date(2024, 1, 5), "time": dt.time(10, 30, 1),
        "ny": dt.datetime(2024, 7, 1, 9, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
        "naive": dt.datetime(2024, 1, 1, 1, 2), "da": as_datetime("2024-01-05 10:30"),
        "nk": {1: "a", (1, 2): "b"}, "at": {"@x": 1}, "a": shared, "b_same": shared, "loop": loop,
        "client": client, "people": people, "pets": DADict("pets", elements={"rex": "dog"}),
        "iv": date_interval(months=1), "the_task": handle,
        "_internal": {"tasks": {"x": 2}, "accesstime": {"-1": "2024-01-05T10:30:00+00:00"}},
    }


def large_sample() -> dict[str, Any]:
    """Big enough that format 1 compressed it inside the codec too ('OA1z:')."""
    from offstage.library.objects import DAList, DAObject

    people = DAList("people", object_type=DAObject)
    for index in range(300):
        people.appendObject(first_name=f"First {index}", last_name="Last", age=index)
    people.gathered = True
    return {"people": people, "note": "x" * 100}


def blobs() -> dict[str, bytes]:
    """The stored bytes by name: codec_small, codec_large, sealed_encrypted, sealed_plain."""
    data = json.loads(FIXTURE.read_text())
    return {name: base64.b64decode(text) for name, text in data.items()}
