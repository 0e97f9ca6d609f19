"""The template's state machines, executed by moto's Step Functions interpreter in the local stack.

moto 5 carries LocalStack's ASL interpreter: with `execute_state_machine` on, an execution really runs
(Map, Retry, Catch ...) in a thread of moto's server, and its Lambda tasks call moto's Lambda. Here:
- each function a definition names gets a moto Lambda function (a placeholder package: moto only needs
  it to exist), invoked in-process through the stack's own function environments instead of docker;
- DefinitionUri's file is read and its DefinitionSubstitutions applied (moto does not apply them).
An error raised by a handler reaches the execution as the Lambda runtime reports it:
{"errorType": the exception's class name, "errorMessage": its text}.
"""

from __future__ import annotations

import functools
import io
import json
import re
import threading
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

_routes: dict[str, Callable[[dict[str, Any]], Any]] = {}  # moto function name -> in-process invoke
_routes_lock = threading.Lock()
_patched = False


def create(data: dict[str, Any], session: Any, found: Any, root: Path, prefix: str) -> list[str]:
    """Create the template's AWS::Serverless::StateMachine resources; the logical ids of the functions
    they call (their moto names are `<prefix>-<logical id>`)."""
    machines = {k: v for k, v in (data.get("Resources") or {}).items()
                if v.get("Type") == "AWS::Serverless::StateMachine"}
    if not machines:
        return []
    _enable_execution()
    role = session.client("iam").create_role(
        RoleName=f"{prefix}-statemachines"[:64], AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17"}))
    role_arn = role["Role"]["Arn"]
    functions = [k for k, v in (data.get("Resources") or {}).items() if v.get("Type") == "AWS::Serverless::Function"]
    lam = session.client("lambda")
    for logical in functions:  # every function gets its ARN, so any substitution naming one resolves
        name = f"{prefix}-{logical}"[:64]
        arn = lam.create_function(FunctionName=name, Runtime="python3.12", Role=role_arn, Handler="app.handler",
                                  Code={"ZipFile": _placeholder_package()})["FunctionArn"]
        found.names.setdefault(logical, name)
        found.arns[logical] = arn
    sfn = session.client("stepfunctions")
    for logical, spec in machines.items():
        props = spec.get("Properties") or {}
        definition = (root / str(props["DefinitionUri"])).read_text(encoding="utf-8")
        definition = _substitute(definition, {key: str(found.resolve(value)) for key, value in
                                              (props.get("DefinitionSubstitutions") or {}).items()})
        arn = sfn.create_state_machine(name=f"{prefix}-{logical}"[:80], definition=definition, roleArn=role_arn,
                                       type=str(props.get("Type", "STANDARD")))["stateMachineArn"]
        found.names[logical] = arn  # !Ref of a state machine is its ARN
        found.arns[logical] = arn
    return functions


def _substitute(definition: str, values: dict[str, str]) -> str:
    """DefinitionSubstitutions applied as CloudFormation applies them: ${Name} -> its value."""
    return re.sub(r"\$\{([A-Za-z0-9_]+)\}", lambda m: values.get(m.group(1), m.group(0)), definition)


def route(prefix: str, functions: list[str], invoke: Callable[[str, dict[str, Any]], Any]) -> None:
    """Send moto's invocations of these functions to invoke(logical id, event), in this process."""
    _patch()
    with _routes_lock:
        for logical in functions:
            _routes[f"{prefix}-{logical}"[:64]] = functools.partial(invoke, logical)


def unroute(prefix: str) -> None:
    with _routes_lock:
        for name in [n for n in _routes if n.startswith(prefix + "-")]:
            del _routes[name]


def _invoke_in_process(self: Any, event: Any = None) -> tuple[str, bool, str]:
    """moto's LambdaFunction._invoke_lambda, without docker: (payload JSON, errored, log text)."""
    with _routes_lock:
        target = _routes.get(self.function_name)
    if target is None:
        return json.dumps({"errorType": "ResourceNotFoundException",
                           "errorMessage": f"{self.function_name} is not a function of a running local stack"}), True, ""
    payload = json.loads(event) if isinstance(event, str | bytes) else dict(event or {})
    try:
        return json.dumps(target(payload)), False, ""
    except Exception as exc:  # noqa: BLE001 - reported as the Lambda runtime reports a handler's error
        return json.dumps({"errorType": type(exc).__name__, "errorMessage": str(exc),
                           "stackTrace": traceback.format_exception_only(exc)}), True, ""


def _patch() -> None:
    global _patched
    if _patched:
        return
    from moto.awslambda.models import LambdaFunction

    LambdaFunction._invoke_lambda = _invoke_in_process  # type: ignore[method-assign]
    _patched = True


def _enable_execution() -> None:
    """moto's server runs executions only when told to (POST /moto-api/config)."""
    import urllib.request

    from offstage.settings import Settings

    endpoint = Settings.from_env().endpoint_url  # the stack has just set it: not the cached settings
    body = json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode()
    request = urllib.request.Request(f"{endpoint}/moto-api/config", data=body, method="POST",  # noqa: S310 - moto's local endpoint
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - the local moto server
        answer.read()


def _placeholder_package() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("app.py", "# the local stack runs the function's own code in-process\n")
    return out.getvalue()
