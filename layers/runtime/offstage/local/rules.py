"""The local stack's EventBridge rules on Step Functions executions: when an execution ends, the event
AWS would put on the default bus goes to every function whose `EventBridgeRule` pattern matches it.

moto's Step Functions interpreter sends no events, so a thread watches the stack's state machines'
executions (list_executions, once a second) and builds, for each one that ended, the event
"Step Functions Execution Status Change" from describe_execution. The patterns are the template's own,
matched as EventBridge matches plain values: each key of the pattern must be in the event, and an event
value must be one of the pattern's list (nested objects match key by key). Other pattern operators
(prefix, numeric, exists ...) are refused when the stack starts, so a rule never silently never fires.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from offstage.local.service_thread import ServiceThread

log = logging.getLogger(__name__)

ENDED = ("SUCCEEDED", "FAILED", "ABORTED", "TIMED_OUT")
INTERVAL_SECONDS = 1.0


@dataclass(frozen=True)
class Rule:
    name: str  # "<function>.<event>"
    function: str  # the logical id of the target
    pattern: dict[str, Any]


def rules(stack: Any) -> list[Rule]:
    """The template's EventBridgeRule events, their patterns resolved against the stack's resources."""
    from offstage.local.template import parameter_defaults, resolve

    names = {**parameter_defaults(stack.template), **stack.resources}

    def ref(name: str) -> str:
        return str(names[name])

    found = []
    for logical, spec in stack.functions.items():
        for name, event in spec["events"].items():
            if event.get("Type") != "EventBridgeRule":
                continue
            pattern = _resolved((event.get("Properties") or {}).get("Pattern") or {}, lambda v: resolve(v, ref, _none))
            _check(pattern, f"{logical}.{name}")
            found.append(Rule(f"{logical}.{name}", logical, pattern))
    return found


def _none(*_: str) -> str:
    return ""


def _resolved(value: Any, resolve: Callable[[Any], Any]) -> Any:
    """The pattern with its intrinsic functions (!Ref of the state machine) worked out."""
    intrinsic = isinstance(value, dict) and len(value) == 1 and str(next(iter(value))).startswith(("Ref", "Fn::"))
    if isinstance(value, dict) and not intrinsic:
        return {k: _resolved(v, resolve) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(v, resolve) for v in value]
    return resolve(value)


def _check(pattern: Any, where: str) -> None:
    for value in pattern.values():
        if isinstance(value, dict):
            _check(value, where)
        elif not isinstance(value, list) or any(isinstance(v, dict | list) for v in value):
            raise ValueError(f"{where}: the local stack matches plain values only, not {value!r}")


def matches(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    """Whether EventBridge would deliver `event` to a rule with `pattern` (plain values only)."""
    for key, wanted in pattern.items():
        if key not in event:
            return False
        value = event[key]
        if isinstance(wanted, dict):
            if not isinstance(value, dict) or not matches(wanted, value):
                return False
        elif value not in wanted:
            return False
    return True


def status_change_event(sfn: Any, execution_arn: str) -> dict[str, Any]:
    """The event EventBridge receives from Step Functions when this execution's status changed."""
    described = sfn.describe_execution(executionArn=execution_arn)

    def millis(key: str) -> int | None:
        stamp = described.get(key)
        return int(stamp.timestamp() * 1000) if isinstance(stamp, dt.datetime) else None

    region = execution_arn.split(":")[3]
    return {
        "version": "0", "id": str(uuid.uuid4()), "detail-type": "Step Functions Execution Status Change",
        "source": "aws.states", "account": execution_arn.split(":")[4], "region": region,
        "time": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "resources": [execution_arn],
        "detail": {"executionArn": execution_arn, "stateMachineArn": described["stateMachineArn"],
                   "name": described.get("name"), "status": described["status"],
                   "startDate": millis("startDate"), "stopDate": millis("stopDate"),
                   "input": described.get("input"), "output": described.get("output"),
                   "inputDetails": {"included": True}, "error": described.get("error"),
                   "cause": described.get("cause")},
    }


class ExecutionWatcher(ServiceThread):
    """A thread that delivers each ended execution's event to the rules it matches, once."""

    thread_name = "offstage-execution-rules"

    def __init__(self, stack: Any, machine_arns: list[str], found: list[Rule]) -> None:
        super().__init__()
        self.stack, self.machine_arns, self.rules = stack, machine_arns, found
        self._seen: set[str] = set()

    def deliver_ended(self) -> int:
        """Deliver the events of executions that ended since the last look; how many were delivered."""
        sfn = self.stack.client("stepfunctions")
        delivered = 0
        for machine in self.machine_arns:
            for execution in sfn.list_executions(stateMachineArn=machine)["executions"]:
                arn = execution["executionArn"]
                if execution["status"] not in ENDED or arn in self._seen:
                    continue
                self._seen.add(arn)
                delivered += self._deliver(status_change_event(sfn, arn))
        return delivered

    def _deliver(self, event: dict[str, Any]) -> int:
        delivered = 0
        for rule in self.rules:
            if matches(rule.pattern, event):
                try:
                    self.stack.invoke(rule.function, event)
                    delivered += 1
                except Exception:  # EventBridge would retry; locally the error is logged
                    log.exception("the local rule %s failed on %s", rule.name, event["resources"][0])
        return delivered

    def _loop(self) -> None:
        while not self._stop.wait(INTERVAL_SECONDS):
            try:
                self.deliver_ended()
            except Exception:  # moto stopping under the watcher; the next look tries again
                log.debug("looking for ended executions failed", exc_info=True)


def attach_rules(stack: Any) -> ExecutionWatcher | None:
    """Add the watcher to the stack's services when a function has a rule and the template a state machine."""
    found = rules(stack)
    machines = [str(stack.resources[logical]) for logical, spec in (stack.template.get("Resources") or {}).items()
                if spec.get("Type") == "AWS::Serverless::StateMachine" and logical in stack.resources]
    if not found or not machines:
        return None
    watcher = ExecutionWatcher(stack, machines, found)
    stack.add_service(watcher)
    return watcher

