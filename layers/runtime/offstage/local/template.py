"""template.yaml read the way the local stack needs it: functions, routes, SQS sources, and values.

CloudFormation's short tags (`!Ref X`, `!GetAtt X.Arn`, `!Sub ...`, `!If [...]`) become their long
forms ({"Ref": "X"}, {"Fn::GetAtt": ["X", "Arn"]} ...), so the rest of the stack handles one shape.
`resolve` turns such values into what the local resources are called, as CloudFormation would.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[4]
TEMPLATE = REPO / "template.yaml"

PSEUDO = {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::URLSuffix": "amazonaws.com",
          "AWS::Partition": "aws", "AWS::StackName": "offstage-local", "AWS::NoValue": ""}


def load(path: str | Path = TEMPLATE) -> dict[str, Any]:
    """The template as plain data, short tags included."""
    import yaml

    class CloudFormationLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no types here
        pass

    def construct(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        key = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if suffix == "GetAtt":  # `!GetAtt X.Arn` is the list form ["X", "Arn"]
                value = str(value).split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {key: value}

    CloudFormationLoader.add_multi_constructor("!", construct)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=CloudFormationLoader) or {}  # noqa: S506 - a SafeLoader that also reads CloudFormation's tags


def parameter_defaults(data: Mapping[str, Any]) -> dict[str, str]:
    return {name: str(spec.get("Default", "")) for name, spec in (data.get("Parameters") or {}).items()}


def resolve(value: Any, ref: Callable[[str], str], attribute: Callable[[str, str], str],
            conditions: Mapping[str, Any] | None = None) -> Any:
    """A template value with its intrinsic functions worked out (ref/attribute name local resources)."""
    conditions = conditions or {}

    def again(v: Any) -> Any:
        return resolve(v, ref, attribute, conditions)

    if isinstance(value, list):
        return [again(v) for v in value]
    if not (isinstance(value, dict) and len(value) == 1):
        return value
    (kind, arg), = value.items()
    if kind in _CONDITION_FUNCTIONS:
        return _condition(kind, arg, again, conditions)
    if kind == "Ref":
        return PSEUDO[arg] if arg in PSEUDO else ref(arg)
    if kind == "Fn::GetAtt":
        logical, name = arg if isinstance(arg, list) else str(arg).split(".", 1)
        return attribute(logical, name)
    if kind == "Fn::Sub":
        text, extra = (arg[0], again(arg[1])) if isinstance(arg, list) else (arg, {})
        return re.sub(r"\$\{([^}!]+)\}", lambda m: str(_sub_name(m.group(1), extra, again)), text)
    if kind == "Fn::Join":
        return str(arg[0]).join(str(again(v)) for v in again(arg[1]))
    if kind == "Fn::Select":
        return again(again(arg[1])[int(again(arg[0]))])
    return {kind: again(arg)}


_CONDITION_FUNCTIONS = ("Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition", "Fn::If")


def _condition(kind: str, arg: Any, again: Callable[[Any], Any], conditions: Mapping[str, Any]) -> Any:
    """The condition functions (and Fn::If, which picks by a named condition)."""
    if kind == "Fn::Equals":
        return again(arg[0]) == again(arg[1])
    if kind == "Fn::Not":
        return not again(arg[0])
    if kind == "Condition":
        return bool(again(conditions[arg]))
    if kind == "Fn::If":
        name, yes, no = arg
        return again(yes if again(conditions[name]) else no)
    values = [again(v) for v in arg]  # Fn::And, Fn::Or
    return all(values) if kind == "Fn::And" else any(values)


def _sub_name(name: str, extra: Mapping[str, Any], again: Callable[[Any], Any]) -> Any:
    if name in extra:
        return extra[name]
    if "." in name and not name.startswith("AWS::"):
        return again({"Fn::GetAtt": name.split(".", 1)})
    return again({"Ref": name})


def functions(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The template's functions: logical id -> {code_uri, handler, timeout, memory, events, environment}.

    A container-image function's code is the folder of its Dockerfile, its handler the image's Command."""
    glob = (data.get("Globals") or {}).get("Function") or {}
    out = {}
    for logical, spec in (data.get("Resources") or {}).items():
        if spec.get("Type") != "AWS::Serverless::Function":
            continue
        props = spec.get("Properties") or {}
        environment = dict((glob.get("Environment") or {}).get("Variables") or {})
        environment.update((props.get("Environment") or {}).get("Variables") or {})
        code_uri, handler = props.get("CodeUri", glob.get("CodeUri", ".")), props.get("Handler", glob.get(
            "Handler", "app.lambda_handler"))
        if props.get("PackageType") == "Image":  # the Dockerfile's folder, and the image's Command
            meta = spec.get("Metadata") or {}
            code_uri = str(Path(str(meta.get("DockerContext", "."))) / Path(str(meta.get("Dockerfile", "Dockerfile"))).parent)
            handler = str(((props.get("ImageConfig") or {}).get("Command") or ["app.lambda_handler"])[0])
        out[logical] = {"code_uri": code_uri, "handler": handler,
                        "timeout": int(props.get("Timeout", glob.get("Timeout", 3))),
                        "memory": int(props.get("MemorySize", glob.get("MemorySize", 128))),
                        "events": props.get("Events") or {}, "environment": environment}
    return out


def http_routes(data: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(METHOD, path, function logical id) for every HttpApi event of the template."""
    routes = []
    for logical, spec in functions(data).items():
        for event in spec["events"].values():
            if event.get("Type") == "HttpApi":
                p = event.get("Properties") or {}
                routes.append((str(p.get("Method", "ANY")).upper(), str(p.get("Path", "/$default")), logical))
    return routes


def sqs_events(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every SQS event source: {function, queue (logical id), batch_size, batching_window, report_failures}."""
    found = []
    for logical, spec in functions(data).items():
        for event in spec["events"].values():
            if event.get("Type") != "SQS":
                continue
            p = event.get("Properties") or {}
            queue = p.get("Queue")
            queue = queue.get("Fn::GetAtt") or queue.get("Ref") if isinstance(queue, dict) else queue
            queue = queue[0] if isinstance(queue, list) else str(queue).split(".", 1)[0]
            found.append({"function": logical, "queue": queue, "batch_size": int(p.get("BatchSize", 10)),
                          "batching_window": float(p.get("MaximumBatchingWindowInSeconds", 0)),
                          "report_failures": "ReportBatchItemFailures" in (p.get("FunctionResponseTypes") or [])})
    return found
