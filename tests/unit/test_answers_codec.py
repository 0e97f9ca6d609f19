"""The answers codec: what goes in comes out, and nothing foreign or damaged is accepted."""

from __future__ import annotations

import datetime as dt
import decimal
import threading
import time
import zoneinfo
from typing import Any

import pytest
from offstage.answers import registry
from offstage.answers.codec import dumps, loads
from offstage.errors import AnswersCorrupt
from offstage.library.dates import DADateTime, as_datetime
from offstage.library.interval import date_interval
from offstage.library.objects import DADict, DAList, DAObject


def round_trip(answers, **kwargs):
    return loads(dumps(answers, **kwargs), **kwargs)


@registry.register
class TaskHandleLike:
    """Stands for the engine's TaskHandle: a registered plain class."""

    def __init__(self, task_id: str) -> None:
        self.task_id = task_id
        self.cached = None

    def ready(self) -> bool:
        return self.cached is not None


class Unregistered:
    pass


def test_plain_values_come_back_equal_and_of_the_same_type():
    answers = {"n": 3, "f": 2.5, "s": "é", "b": True, "none": None, "l": [1, [2]], "t": (1, "a"),
               "d": {"k": {"j": 1}}, "nk": {1: "a", (1, 2): "b"}, "at": {"@x": 1}, "set": {1, 2},
               "fs": frozenset({"a"}), "dec": decimal.Decimal("1.10"), "bytes": b"\x00\xff",
               "td": dt.timedelta(days=1, seconds=3, microseconds=4), "date": dt.date(2024, 1, 5),
               "time": dt.time(10, 30, 1), "inf": float("inf"), "big": 10**30}
    back = round_trip(answers)
    assert back == answers
    for name, value in answers.items():
        assert type(back[name]) is type(value), name


def test_datetimes_keep_their_zone_and_class():
    ny = zoneinfo.ZoneInfo("America/New_York")
    answers = {"naive": dt.datetime(2024, 1, 1, 1, 2), "utc": dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
               "ny": dt.datetime(2024, 7, 1, 9, tzinfo=ny), "da": as_datetime("2024-01-05 10:30")}
    back = round_trip(answers)
    assert back == answers
    assert back["naive"].tzinfo is None
    assert back["ny"].tzinfo.key == "America/New_York"
    assert back["ny"].hour == 9
    assert type(back["da"]) is DADateTime
    assert str(back["da"]) == "January 5, 2024"


def test_objects_come_back_with_their_names_and_attributes():
    client = DAObject("client")
    client.initializeAttribute("name", DAObject)
    client.name.first = "Ann"
    fruits = DAList("fruits", elements=["apple", "pear"])
    pets = DADict("pets", elements={"rex": "dog"})
    back = round_trip({"client": client, "fruits": fruits, "pets": pets, "iv": date_interval(months=1)})
    assert back["client"].name.first == "Ann"
    assert back["client"].name.instanceName == "client.name"
    assert list(back["fruits"]) == ["apple", "pear"]
    assert back["pets"]["rex"] == "dog"
    assert back["iv"] == date_interval(months=1)
    with pytest.raises(AttributeError) as missing:
        back["client"].name.last  # noqa: B018
    assert missing.value.offstage_name == "client.name.last"


def test_shared_references_and_cycles_stay_shared():
    shared = [1, 2]
    loop: list = []
    loop.append(loop)
    person = DAObject("person")
    person.me = person
    person.friends = {person}
    back = round_trip({"a": shared, "b": shared, "loop": loop, "person": person, "again": person})
    assert back["a"] is back["b"]
    assert back["loop"][0] is back["loop"]
    assert back["person"].me is back["person"] is back["again"]
    assert back["person"] in back["person"].friends


def test_registered_classes_round_trip():
    handle: Any = TaskHandleLike("t-1")
    handle.cached = {"value": 5}
    back = round_trip({"the_task": handle, "_internal": {"tasks": {"x": 2}}})
    assert isinstance(back["the_task"], TaskHandleLike)
    assert back["the_task"].ready()
    assert back["the_task"].cached == {"value": 5}
    assert back["_internal"] == {"tasks": {"x": 2}}


def test_classes_of_the_interview_modules_are_allowed_only_when_named():
    allowed = (__name__,)
    value = Unregistered()
    value.x = 1
    back = round_trip({"v": value}, allowed_modules=allowed)
    assert back["v"].x == 1
    skipped: list[str] = []
    data = dumps({"v": value, "keep": 1}, skipped=skipped)
    assert skipped == ["v"]
    assert loads(data) == {"keep": 1}


def test_values_that_cannot_be_stored_are_left_out_and_named():
    skipped: list[str] = []
    with open(__file__) as handle:
        answers = {"fn": len, "mod": time, "lock": threading.Lock(), "file": handle, "ok": 1,
                   "nested": {"f": print, "g": 2}, "lst": [1, len]}
        data = dumps(answers, skipped=skipped)
    assert loads(data) == {"ok": 1, "nested": {"g": 2}, "lst": [1, None]}
    assert sorted(skipped) == sorted(["fn", "mod", "lock", "file", "nested['f']", "lst[1]"])


def test_large_answers_load_and_are_left_to_the_sealing_to_compress():
    answers = {f"v{i}": "text " * 50 for i in range(100)}
    data = dumps(answers)
    assert data.startswith(b"OA2j:")  # compressed once, by offstage.sessions.sealing (zstd)
    assert loads(data) == answers


@pytest.mark.parametrize(("data", "message"), [
    (b"OA7j:{}", "answers were written by format version 7; this offstage reads versions 1 to 2"),
    (b"\x80\x04K\x01.", "answers are not valid offstage data"),
    (b"OA1j:{not json", "answers are not valid offstage data"),
    (b"OA1j:[1]", "answers are not valid offstage data"),
    (b'OA1j:{"x":{"@o":"os.system","s":{}}}', "unknown class 'os.system' in answers"),
    (b'OA1j:{"x":{"@cls":"subprocess.Popen"}}', "unknown class 'subprocess.Popen' in answers"),
    (b'OA1j:{"x":{"@r":5}}', "answers are not valid offstage data"),
    (b'OA1j:{"x":{"@nope":1}}', "answers are not valid offstage data"),
    (b'OA1j:{"x":{"@td":"x"}}', "answers are not valid offstage data"),
    (b"OA1z:garbage", "answers are not valid offstage data"),
    (b"OA2j:{not json", "answers are not valid offstage data"),
    (b'OA2j:{"a":{}}', "answers are not valid offstage data"),
    (b'OA2j:{"c":[],"a":[1]}', "answers are not valid offstage data"),
    (b'OA2j:{"c":["os.system"],"a":{"x":{"@o":0,"s":{}}}}', "unknown class 'os.system' in answers"),
    (b'OA2j:{"c":["os.system"],"a":{"x":{"@p":0,"s":{}}}}', "unknown class 'os.system' in answers"),
    (b'OA2j:{"c":["subprocess.Popen"],"a":{"x":{"@cls":0}}}', "unknown class 'subprocess.Popen' in answers"),
    (b'OA2j:{"c":[],"a":{"x":{"@o":"os.system","s":{}}}}', "answers are not valid offstage data"),
    (b'OA2j:{"c":[],"a":{"x":{"@o":0,"s":{}}}}', "answers are not valid offstage data"),
    (b'OA2j:{"c":[],"a":{"x":{"@p":-1,"s":{}}}}', "answers are not valid offstage data"),
    (b'OA2j:{"c":[],"a":{"x":{"@r":5}}}', "answers are not valid offstage data"),
    (b'OA2j:{"c":[],"a":{"x":{"@i":"12x"}}}', "answers are not valid offstage data"),
    (b"OA2z:garbage", "answers are not valid offstage data"),
])
def test_foreign_or_damaged_data_is_refused_with_a_clear_message(data, message):
    with pytest.raises(AnswersCorrupt) as refused:
        loads(data)
    assert refused.value.message == message


def test_a_class_outside_the_allowed_modules_is_refused_even_if_importable():
    data = dumps({"v": Unregistered()}, allowed_modules=(__name__,))
    with pytest.raises(AnswersCorrupt, match="unknown class"):
        loads(data)


def test_thirty_variables_round_trip_quickly():
    client = DAObject("client")
    client.initializeAttribute("name", DAObject)
    client.name.first = "Ann"
    answers: dict[str, Any] = {f"var{i}": i for i in range(20)}
    answers.update({"client": client, "fruits": DAList("fruits", elements=["a", "b"]), "when": as_datetime("2024-01-05"),
                    "flags": {"a": True}, "s": {1, 2}, "_internal": {"tasks": {}, "accesstime": {}},
                    "text": "hello", "l": [1, 2, 3], "d": dt.date(2024, 1, 1), "n": None})
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        back = loads(dumps(answers))
    per_run = (time.perf_counter() - start) / runs
    assert back["client"].name.first == "Ann"
    print(f"dumps+loads of {len(answers)} variables: {per_run * 1e6:.0f} µs, {len(dumps(answers))} bytes")


def test_answers_stored_in_format_1_still_load():
    """Sessions saved before format 2 open: the fixture was written by format 1's encoder."""
    from tests.support import stored_v1
    from tests.support.sameness import same

    stored = stored_v1.blobs()
    assert stored["codec_small"].startswith(b"OA1j:")
    assert stored["codec_large"].startswith(b"OA1z:")
    back, expected = loads(stored["codec_small"]), stored_v1.sample()
    assert same(back, expected)
    assert back["big"] == 10**30
    assert type(back["t"]) is tuple
    assert type(back["da"]) is DADateTime
    assert back["client"].me is back["client"]
    assert back["a"] is back["b_same"]
    assert back["loop"][0] is back["loop"]
    assert back["people"][2].first_name == "P2"
    assert back["the_task"].final["value"] == 5
    large = loads(stored["codec_large"])
    assert same(large, stored_v1.large_sample())
    assert large["people"][299].instanceName == "people[299]"
    again = loads(dumps(back))  # and they are saved in the current format from then on
    assert dumps(back).startswith(b"OA2j:")
    assert same(again, expected)


def test_sealed_blobs_of_format_1_still_open():
    from offstage.sessions.sealing import is_encrypted, unseal

    from tests.support import stored_v1

    stored = stored_v1.blobs()
    assert is_encrypted(stored["sealed_encrypted"])
    assert not is_encrypted(stored["sealed_plain"])
    opened = unseal(stored["sealed_encrypted"], session_id=stored_v1.SESSION_ID, secret=stored_v1.SECRET)
    assert opened == stored["codec_small"]
    assert unseal(stored["sealed_plain"], session_id=stored_v1.SESSION_ID, secret=None) == stored["codec_large"]


def test_big_ints_non_str_keys_and_lone_surrogates_take_the_careful_path():
    # orjson refuses these: the encoder starts again checking every value, and nothing is lost
    answers = {"big": [2**64, -(2**63) - 1, 2**64 - 1], "keys": {"a": 1, 2: "b"}, "odd": "a\ud800b",
               "odd_key": {"x\udc00": 1, "y": 2}, "fine": {"plain": [1, "x"]}}
    skipped: list[str] = []
    data = dumps({**answers, "\ud801name": 1}, skipped=skipped)
    assert loads(data) == answers
    assert skipped == ["'\\ud801name'"]  # no variable is named so


def test_the_same_answers_encode_to_the_same_bytes():
    # saves compare encoded bytes to skip unchanged sessions: the encoding must not vary run to run
    client = DAObject("client", first="Ann")
    answers = {"client": client, "people": DAList("people", elements=[client]), "when": dt.date(2024, 1, 1)}
    assert dumps(answers) == dumps(loads(dumps(answers)))


def test_lists_of_objects_are_stored_in_one_piece_and_keep_their_shared_members():
    a, b, c = DAObject("a", x=1), DAObject("b", x=2), DAObject("c", nested=[1])
    people = DAList("people", elements=[DAObject(f"people[{i}]", age=i) for i in range(3)])
    answers = {"first": a, "people": people, "plain": [a, b], "later": [b, DAObject("d")],
               "mixed": [DAObject("e"), DADict("f")], "deep": [DAObject("g", x=1), c], "again": [c, people[1]]}
    data = dumps(answers)
    assert data.count(b'"@l"') == 1  # people's elements: one class, plain attributes, none met before
    back = loads(data)
    assert [p.age for p in back["people"]] == [0, 1, 2]
    assert back["people"][2].instanceName == "people[2]"
    assert back["plain"][0] is back["first"]
    assert back["later"][0] is back["plain"][1]
    assert back["again"][0] is back["deep"][1]
    assert back["again"][1] is back["people"].elements[1]
    assert back["deep"][1].nested == [1]
    assert type(back["mixed"][1]) is DADict


def test_deeply_nested_answers_round_trip_past_orjsons_depth():
    # orjson writes 255 levels and reads 1,024: deeper answers take the standard library's JSON
    head = cur = DAObject("n0")
    for i in range(300):
        cur.next = DAObject(f"n{i + 1}", v=i)
        cur = cur.next
    nested: list = []
    inner = nested
    for _ in range(500):
        inner.append([])
        inner = inner[0]
    back = loads(dumps({"head": head, "nested": nested}))
    assert back["head"].next.next.v == 1
    assert back["nested"] == nested


def test_a_fresh_process_loads_library_objects_before_importing_the_library():
    # a Lambda container may read a session before anything imported offstage.library
    import subprocess
    import sys

    data = dumps({"people": DAList("people", elements=[DAObject("people[0]", age=3)]), "when": as_datetime("2024-01-05")})
    code = ("import sys; from offstage.answers.codec import loads; "
            "assert 'offstage.library.objects' not in sys.modules; "
            "back = loads(sys.stdin.buffer.read()); print(type(back['people']).__name__, back['people'][0].age, "
            "type(back['when']).__name__)")
    done = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True, check=True)
    assert done.stdout.decode().split() == ["DAList", "3", "DADateTime"]


def labeler(index: int) -> str:
    """A module-level function of an interview's module (AssemblyLine's ALExhibitList keeps one)."""
    return f"Exhibit {index}"


def test_module_level_functions_are_stored_by_name_as_pickle_does():
    from offstage.library.labels import alpha

    skipped: list[str] = []
    data = dumps({"exhibits": DAObject("exhibits", auto_labeler=alpha), "own": labeler, "anon": lambda i: i,
                  "foreign": zoneinfo.available_timezones}, allowed_modules=(__name__,), skipped=skipped)
    back = loads(data, allowed_modules=(__name__,))
    assert back["exhibits"].auto_labeler is alpha
    assert back["own"] is labeler
    assert back["own"](2) == "Exhibit 2"
    assert sorted(skipped) == ["anon", "foreign"]
    assert "anon" not in back
    with pytest.raises(AnswersCorrupt, match="unknown function"):
        loads(data)  # the interview's own module is no longer among its modules


@pytest.mark.parametrize("name", ["os:system", "offstage.library.labels:__builtins__", "builtins:eval",
                                  "offstage.library.labels:alpha.__globals__"])
def test_a_function_reference_outside_the_allowed_modules_is_refused(name):
    data = b'OA2j:{"c":[],"a":{"x":{"@fn":"' + name.encode() + b'"}}}'
    with pytest.raises(AnswersCorrupt, match="unknown function"):
        loads(data, allowed_modules=("builtins",))
