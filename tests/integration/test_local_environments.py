"""The local stack keeps the promises of AWS that the functions rely on: a function's execution
environment takes one request at a time, a function has several environments (one runaway request
does not stall the others), and a DynamoDB request (a conditional write above all) happens at once,
while other services' requests (SQS long polls) still overlap."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from offstage.local.emulator import DynamoAtomic


class Overlaps:
    """A stand-in that takes a while and counts how many calls were inside it at once, at most."""

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self.lock = threading.Lock()

    def enter(self) -> None:
        with self.lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
        time.sleep(0.05)
        with self.lock:
            self.inside -= 1


def test_each_environment_gets_one_request_at_a_time_and_two_functions_run_side_by_side():
    from offstage.local.stack import LocalStack

    stack = LocalStack(with_http=False, with_poller=False, environments=1)  # not started: only the functions
    screen, checkin = Overlaps(), Overlaps()
    inside = {"ScreenFunction": threading.Event(), "CheckinFunction": threading.Event()}
    met = []

    def handler(own, mine, other):
        def handle(event, context):
            inside[mine].set()
            met.append(inside[other].wait(timeout=30))  # the other function can be inside meanwhile
            own.enter()
        return handle

    handlers = {"ScreenFunction": handler(screen, "ScreenFunction", "CheckinFunction"),
                "CheckinFunction": handler(checkin, "CheckinFunction", "ScreenFunction")}
    stack.new_environment = lambda logical_id, index: handlers[logical_id]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda logical_id: stack.invoke(logical_id, {}), ["ScreenFunction", "CheckinFunction"] * 4))
    assert screen.most == 1
    assert checkin.most == 1
    assert all(met)  # each function has its own environment: neither waited for the other to finish


def test_a_busy_environment_does_not_hold_up_the_functions_other_requests():
    """One request that never ends (a runaway) keeps its environment; the next ones get another."""
    from offstage.local.stack import LocalStack

    stack = LocalStack(with_http=False, with_poller=False, environments=3)
    made, per_environment, release = [], {}, threading.Event()

    def new_environment(logical_id, index):
        made.append(index)
        overlaps = per_environment[index] = Overlaps()

        def handle(event, context):
            if event.get("runaway"):
                release.wait(60)
                return "released"
            overlaps.enter()
            return "answered"
        return handle

    stack.new_environment = new_environment
    with ThreadPoolExecutor(8) as pool:
        runaway = pool.submit(stack.invoke, "ScreenFunction", {"runaway": True})
        answered = list(pool.map(lambda _: stack.invoke("ScreenFunction", {}), range(12)))
        assert not runaway.done()  # it still holds its environment while the others were answered
        release.set()
        assert runaway.result(timeout=60) == "released"
    assert answered == ["answered"] * 12
    assert len(made) <= 3  # never more environments than the function may have
    assert all(overlaps.most <= 1 for overlaps in per_environment.values())


def test_a_function_has_the_templates_reserved_concurrency_or_four_environments():
    from offstage.local.stack import DEFAULT_ENVIRONMENTS, LocalStack

    stack = LocalStack(with_http=False, with_poller=False)
    for logical_id in stack.functions:
        reserved = stack.template["Resources"][logical_id]["Properties"].get("ReservedConcurrentExecutions")
        expected = reserved if isinstance(reserved, int) else DEFAULT_ENVIRONMENTS
        assert stack.environment_count(logical_id) == expected


def test_dynamodb_requests_do_not_overlap_and_others_do():
    dynamodb = Overlaps()
    polls = threading.Barrier(6, timeout=30)  # six SQS calls can only all get here if they overlap

    def app(environ, start_response):
        if environ["HTTP_X_AMZ_TARGET"].startswith("DynamoDB"):
            dynamodb.enter()
        else:
            polls.wait()
        return [b"{}"]

    middleware = DynamoAtomic(app)
    targets = ["DynamoDB_20120810.PutItem", "AmazonSQS.ReceiveMessage"] * 6
    with ThreadPoolExecutor(12) as pool:
        list(pool.map(lambda t: middleware({"HTTP_X_AMZ_TARGET": t}, None), targets))  # a broken barrier raises
    assert dynamodb.most == 1


def test_environments_answering_at_once_each_answer_their_own_request(tmp_path):
    """Several environments of one function share this process; each must still see its own event."""
    import urllib.request

    from offstage.local.stack import LocalStack

    for fruit in ("apples", "pears"):
        (tmp_path / f"{fruit}.yml").write_text(f"mandatory: True\nquestion: All about {fruit}\n"
                                               "fields:\n  - Name: name\n")

    def show(fruit):
        with urllib.request.urlopen(f"{stack.url}/interview?i={fruit}.yml", timeout=120) as response:
            page = response.read().decode()
        return fruit, ("All about apples" in page, "All about pears" in page)

    with LocalStack(interviews=[tmp_path], with_poller=False, environments=4) as stack, ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(show, ["apples", "pears"] * 12))
    assert all(shown == (fruit == "apples", fruit == "pears") for fruit, shown in seen)


def test_a_request_past_the_functions_timeout_ends_its_environment_and_the_next_gets_a_fresh_one():
    """As Lambda does at the function's Timeout: the caller gets an error, the environment is dropped
    (with the stuck call still in it) and the function goes on serving with new environments."""
    import pytest
    from offstage.local.invoke import FakeContext
    from offstage.local.stack import FunctionTimedOut, LocalStack

    stack = LocalStack(with_http=False, with_poller=False, environments=1)
    stuck, made = threading.Event(), []

    def new_environment(logical_id, index):
        made.append(index)

        def handle(event, context):
            if event.get("stuck"):
                stuck.wait(120)  # a call that never returns by itself
            return f"answered by environment {index}"
        return handle

    stack.new_environment = new_environment
    try:
        with pytest.raises(FunctionTimedOut, match="ScreenFunction timed out"):
            stack.handler_for("ScreenFunction")({"stuck": True}, FakeContext("ScreenFunction", 0.5, 512))
        assert stack.invoke("ScreenFunction", {}) == "answered by environment 2"
        assert made == [1, 2]
    finally:
        stuck.set()
