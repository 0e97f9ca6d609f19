"""Change tracking on the local stack (issue 13): every kind of change interview code makes is saved,
and a request that changes nothing neither encodes the answers nor writes them.

Real requests over HTTP to the in-process local stack (moto's DynamoDB behind it); the answers codec's
dumps() is counted where the store calls it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import boto3
import pytest

from tests.support.api import api_call as call

pytestmark = pytest.mark.integration
CRON_INTERVIEWS = Path(__file__).parent / "cron_interviews"

INTERVIEW = """\
mandatory: True
code: |
  built
  ready
  done
---
event: done
question: Done
---
code: |
  client = DAObject('client', name='Ann', age=30)
  client.address = DAObject('client.address', city='Lyon')
  people = DAList('people', auto_gather=False)
  people.append(DAObject('people[0]', age=0, tags=[]))
  people.append(DAObject('people[1]', age=1, tags=[]))
  people.gathered = True
  pets = DADict('pets', auto_gather=False, gathered=True)
  pets['rex'] = 'dog'
  pets['tom'] = 'cat'
  colours = DASet('colours', auto_gather=False, gathered=True)
  colours.add('red')
  notes = ['one']
  table = {'k': 1, 'nested': {'deep': []}}
  count = 1
  seen
  built = True
---
code: |
  seen = action_argument('value') or 'none'
---
question: Ready
field: ready
---
event: change
code: |
  exec(CHANGES[action_argument('kind')])
---
event: big
code: |
  crowd = DAList('crowd', auto_gather=False, gathered=True)
  for i in range(5000):
    crowd.append(DAObject('crowd[%d]' % i, first='a%d' % i, last='b', age=i))
---
event: nothing
code: |
  str(client) + str(len(people)) + str(pets.get('rex'))
---
code: |
  # each kind of change by its name (run by exec in the `change` event above)
  CHANGES = {
    'namespace set': 'added = 1',
    'namespace del': 'del count',
    'attribute set': 'client.age = 31',
    'attribute delete': 'del client.age',
    'nested attribute': 'client.address.city = "Nice"',
    'list item attribute': 'people[0].age = 9',
    'item plain list': 'people[1].tags.append("x")',
    'append': 'people.append(DAObject("people[2]", age=2, tags=[]))',
    'extend': 'people.extend([7, 8])',
    'insert': 'people.insert(0, 5)',
    'pop': 'people.pop()',
    'remove': 'people.remove(people[0])',
    'sort': 'people.sort(key=lambda p: -p.age)',
    'setitem': 'people[0] = 4',
    'clear': 'people.clear()',
    'gathered': 'people.gathered = False',
    'there_is_another': 'people.there_is_another = False',
    'reset_gathered': 'people.reset_gathered()',
    'dict set': 'pets["rex"] = "wolf"',
    'dict del': 'del pets["tom"]',
    'dict pop': 'pets.pop("tom")',
    'set add': 'colours.add("green")',
    'set discard': 'colours.discard("red")',
    'plain list': 'notes.append("two")',
    'plain dict': 'table["k"] = 2',
    'nested plain dict': 'table["nested"]["deep"].append(1)',
    'undefine': 'undefine("client.age")',
    'delattr': 'client.delattr("age")',
    'reconsider': 'reconsider("seen")',
  }
"""

# the stored answers after each change, as the store reads them back
EXPECTED = {
    "namespace set": lambda a: a["added"] == 1,
    "namespace del": lambda a: "count" not in a,
    "attribute set": lambda a: a["client"].age == 31,
    "attribute delete": lambda a: "age" not in vars(a["client"]),
    "nested attribute": lambda a: a["client"].address.city == "Nice",
    "list item attribute": lambda a: a["people"][0].age == 9,
    "item plain list": lambda a: a["people"][1].tags == ["x"],
    "append": lambda a: len(a["people"]) == 3 and a["people"][2].age == 2,
    "extend": lambda a: a["people"].elements[2:] == [7, 8],
    "insert": lambda a: a["people"][0] == 5,
    "pop": lambda a: len(a["people"]) == 1,
    "remove": lambda a: [p.age for p in a["people"]] == [1],
    "sort": lambda a: [p.age for p in a["people"]] == [1, 0],
    "setitem": lambda a: a["people"][0] == 4,
    "clear": lambda a: a["people"].elements == [],
    "gathered": lambda a: a["people"].gathered is False,
    "there_is_another": lambda a: a["people"].there_is_another is False,
    "reset_gathered": lambda a: "gathered" not in vars(a["people"]),
    "dict set": lambda a: a["pets"]["rex"] == "wolf",
    "dict del": lambda a: "tom" not in a["pets"].elements,
    "dict pop": lambda a: "tom" not in a["pets"].elements,
    "set add": lambda a: "green" in a["colours"].elements,
    "set discard": lambda a: "red" not in a["colours"].elements,
    "plain list": lambda a: a["notes"] == ["one", "two"],
    "plain dict": lambda a: a["table"]["k"] == 2,
    "nested plain dict": lambda a: a["table"]["nested"]["deep"] == [1],
    "undefine": lambda a: "age" not in vars(a["client"]),
    "delattr": lambda a: "age" not in vars(a["client"]),
    "reconsider": lambda a: a["seen"] == "again",
}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local.stack import LocalStack

    folder = tmp_path_factory.mktemp("interviews")
    (folder / "tracked.yml").write_text(INTERVIEW)
    (folder / "untracked.yml").write_text(INTERVIEW + "---\nevent: past\ncode: |\n  client.__dict__['age'] = 99\n")
    with LocalStack(interviews=[folder], with_poller=False) as running:
        yield running


@pytest.fixture
def encodes(monkeypatch):
    """How many times the store encoded answers (offstage.answers.codec.dumps, looked up at each call)."""
    from offstage.answers import codec

    calls = []
    real = codec.dumps

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(codec, "dumps", counted)
    return calls


def new(stack, interview="tracked.yml"):
    status, s = call(stack, "GET", f"/api/session/new?i={interview}")
    assert status == 200, s
    return s


def stored(stack, s):
    """The answers as saved, read back through the store itself."""
    from offstage.aws.sessions import DynamoSessionStore

    store = DynamoSessionStore(table=stack.resources["SessionsTable"], host=stack.endpoint,
                               bucket=stack.resources["PayloadBucket"])
    return store.load(s["session"], secret=s["secret"]).answers


def act(stack, s, action, **arguments):
    status, body = call(stack, "POST", "/api/session/action", {"i": s["i"], "session": s["session"],
                                                               "secret": s["secret"], "action": action,
                                                               "arguments": arguments})
    assert status in (200, 204), body


def reload(stack, s):
    status, body = call(stack, "GET", f"/api/session/question?i={s['i']}&session={s['session']}&secret={s['secret']}")
    assert status == 200, body
    assert body["questionText"] == "Ready", body


def version(stack, s):
    table = boto3.resource("dynamodb", endpoint_url=stack.endpoint, region_name="us-east-1").Table(
        stack.resources["SessionsTable"])
    return int(table.get_item(Key={"pk": s["session"], "sk": "current"}, ConsistentRead=True)["Item"]["version"])


@pytest.mark.parametrize("kind", EXPECTED)
def test_every_kind_of_change_is_saved(stack, kind):
    s = new(stack)
    reload(stack, s)
    before = version(stack, s)
    act(stack, s, "change", kind=kind, value="again")
    assert version(stack, s) == before + 1
    assert EXPECTED[kind](stored(stack, s))


def test_answering_a_question_is_saved(stack):
    s = new(stack)
    reload(stack, s)
    before = version(stack, s)
    status, body = call(stack, "POST", "/api/session", {"i": s["i"], "session": s["session"], "secret": s["secret"],
                                                        "variables": {"ready": True}})
    assert status == 200, body
    answers = stored(stack, s)
    assert body["questionText"] == "Done"
    assert version(stack, s) == before + 1
    assert answers["ready"] is True


def test_a_reload_and_an_action_that_changes_nothing_neither_encode_nor_write(stack, encodes):
    s = new(stack)
    reload(stack, s)  # the access time is recorded by the first request after the session was made
    before, encoded = version(stack, s), len(encodes)
    reload(stack, s)
    act(stack, s, "nothing")
    reload(stack, s)
    assert version(stack, s) == before
    assert len(encodes) == encoded
    act(stack, s, "change", kind="plain list")  # and the next change is still written
    assert len(encodes) == encoded + 1
    assert version(stack, s) == before + 1


def test_a_reload_of_an_unchanged_5000_object_session_does_not_encode(stack, encodes):
    s = new(stack)
    act(stack, s, "big")
    reload(stack, s)
    before, encoded = version(stack, s), len(encodes)
    reload(stack, s)
    assert version(stack, s) == before
    assert len(encodes) == encoded
    assert len(stored(stack, s)["crowd"]) == 5000


def test_an_interview_that_writes_past_the_hooks_is_compared_by_bytes(stack, encodes):
    s = new(stack, "untracked.yml")
    reload(stack, s)
    before, encoded = version(stack, s), len(encodes)
    reload(stack, s)
    assert len(encodes) == encoded + 1
    assert version(stack, s) == before  # encoded and compared: no write
    act(stack, s, "past")  # client.__dict__['age'] = 99: no hook saw it, the bytes did
    assert stored(stack, s)["client"].age == 99


# --- a check-in's action and a background callback (docassemble's own examples) --------------------

@pytest.fixture(scope="module")
def examples(corpus):
    from offstage.local.stack import LocalStack

    with LocalStack(interviews=[corpus, CRON_INTERVIEWS]) as running:  # with the poller: background tasks run
        yield running


def test_a_check_in_action_that_changes_nothing_neither_encodes_nor_writes(aws, corpus, encodes):
    from offstage.app.checkin import checkin
    from offstage.app.deps import Deps
    from offstage.app.sessions import new_session
    from offstage.aws.sessions import DynamoSessionStore
    from offstage.context import Ports, UserInfo
    from offstage.interview.registry import InterviewRegistry

    from tests.fakes import FixedClock

    store = DynamoSessionStore(table=aws.names["SessionsTable"], bucket=aws.names["PayloadBucket"])
    deps = Deps(sessions=store, interviews=InterviewRegistry([corpus]), ports=Ports(clock=FixedClock()))
    record, secret = new_session(deps, "ajax-calc.yml")
    user = UserInfo(id="u1")
    fields = {"var_a": "2", "var_b": "3", "var_c": ""}
    first = checkin(deps, record.session_id, secret, "add_numbers", fields, "1", user=user)  # records the access
    assert first["success"] is True
    before, encoded = int(store.model.get(record.session_id, "current").version), len(encodes)
    for _ in range(3):  # the page checking in while the user types
        reply = checkin(deps, record.session_id, secret, "add_numbers", fields, "1", user=user)
        assert reply["success"] is True
    assert len(encodes) == encoded
    assert int(store.model.get(record.session_id, "current").version) == before


def test_a_background_callbacks_change_is_saved_and_a_reload_after_it_encodes_nothing(examples, encodes):
    import time

    s = new(examples, "background_action_with_response_action.yml")
    status, body = call(examples, "POST", "/api/session", {"i": s["i"], "session": s["session"], "secret": s["secret"],
                                                           "variables": {"value_to_add": 2}})
    assert status == 200, body
    question = f"/api/session/question?i={s['i']}&session={s['session']}&secret={s['secret']}"
    for _ in range(600):  # the worker runs the task, then its response action on the live session
        status, body = call(examples, "GET", question)
        if "The answer is 555." in body.get("questionText", ""):
            break
        time.sleep(0.05)
    assert "The answer is 555." in body["questionText"]
    assert stored(examples, s)["answer"] == 555  # the callback's change, saved
    call(examples, "GET", question)  # (one more reload records nothing new)
    before, encoded = version(examples, s), len(encodes)
    status, body = call(examples, "GET", question)
    assert "The answer is 555." in body["questionText"]
    assert len(encodes) == encoded
    assert version(examples, s) == before


def test_a_cron_run_that_changes_nothing_neither_encodes_nor_writes(examples, encodes):
    s = new(examples, "reminder.yml")
    for name, value in (("filing_date", dt.date.today().isoformat()), ("email_address", "filer@example.com")):
        status, body = call(examples, "POST", "/api/session", {"i": s["i"], "session": s["session"],
                                                               "secret": s["secret"], "variables": {name: value}})
        assert status == 200, body
    tick = dt.datetime.combine(dt.date.today(), dt.time(11, 25), dt.UTC) + dt.timedelta(days=1)
    status, report = call(examples, "POST", "/_local/cron", {"type": "cron_daily", "at": tick.isoformat()})
    assert status == 200, report
    before, encoded = version(examples, s), len(encodes)
    later = tick + dt.timedelta(seconds=20)  # within the minute: the cron user's access time stands
    status, report = call(examples, "POST", "/_local/cron", {"type": "cron_daily", "at": later.isoformat()})
    assert status == 200, report
    assert report["messages"] == 1  # the event ran on the session (and changed nothing)
    assert len(encodes) == encoded
    assert version(examples, s) == before
