"""template.yaml: lints clean, transforms with SAM offline, and follows the house rules.

The SAM transform runs offline: local CodeUri/ContentUri become s3:// locations (what `sam package`
does) and the managed-policy map is samtranslator's bundled copy, so no AWS account is needed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from offstage.local.resources import functions, http_routes, template

REPO = Path(__file__).resolve().parents[2]

ROUTES = [("GET", "/"), ("GET", "/static/{proxy+}"), ("GET", "/interview"), ("POST", "/interview"),
          ("GET", "/api/interviews"), ("GET", "/api/session/new"), ("GET", "/api/session/question"),
          ("GET", "/api/session"), ("POST", "/api/session"), ("DELETE", "/api/session"),
          ("POST", "/api/session/action"), ("POST", "/api/session/back"), ("GET", "/api/openapi.json")]

# Actions that AWS only grants on "*": X-Ray's (from Tracing: Active). No data action may be here.
STAR_ACTIONS_ALLOWED = re.compile(r"^xray:")


@pytest.fixture(scope="module")
def data():
    return template(REPO / "template.yaml")


class _CfnLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no types here
    """YAML with CloudFormation's short tags (!Ref, !GetAtt, !Sub ...) as their long JSON forms."""


def _tag(loader, suffix, node):
    key = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        return {key: value.split(".", 1) if suffix == "GetAtt" else value}
    if isinstance(node, yaml.SequenceNode):
        return {key: loader.construct_sequence(node, deep=True)}
    return {key: loader.construct_mapping(node, deep=True)}


_CfnLoader.add_multi_constructor("!", _tag)


@pytest.fixture(scope="module")
def transformed():
    import os

    from samtranslator.internal.managed_policies import get_bundled_managed_policy_map
    from samtranslator.translator.transform import transform

    class Policies:
        def load(self):
            return get_bundled_managed_policy_map("aws")

    raw = yaml.load((REPO / "template.yaml").read_text(), Loader=_CfnLoader)  # noqa: S506 - a SafeLoader that also reads !Ref
    for spec in raw["Resources"].values():
        props = spec.get("Properties", {})
        for key in ("CodeUri", "ContentUri", "DefinitionUri"):
            if isinstance(props.get(key), str):
                props[key] = f"s3://bucket/{props[key].strip('/')}.zip"
        if props.get("PackageType") == "Image":  # `sam build` + `sam package` give the image's URI
            props["ImageUri"] = "123456789012.dkr.ecr.us-east-1.amazonaws.com/offstage:render"
    saved = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"  # samtranslator asks boto3 for the partition
    try:
        return transform(raw, {}, Policies())
    finally:
        if saved is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = saved


def _of_type(out, kind):
    return {k: v for k, v in out["Resources"].items() if v["Type"] == kind}


def test_cfn_lint_finds_nothing():
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    out = subprocess.run([str(cfn_lint), str(REPO / "template.yaml")], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_sam_makes_the_four_functions_and_the_layers(transformed):
    lambdas = _of_type(transformed, "AWS::Lambda::Function")
    assert set(lambdas) == {"ScreenFunction", "CheckinFunction", "BackgroundFunction", "PayloadCleanupFunction",
                            "CronDispatchFunction", "CronWorkerFunction", "RenderFunction", "AssemblyStepFunction"}
    for logical, spec in lambdas.items():
        props = spec["Properties"]
        assert props["Architectures"] == ["arm64"]
        assert props["TracingConfig"] == {"Mode": "Active"}
        assert props["LoggingConfig"]["LogFormat"] == "JSON"
        if logical in ("RenderFunction", "AssemblyStepFunction"):  # one container image with LibreOffice
            assert props["PackageType"] == "Image"
            assert "Runtime" not in props
            assert "Layers" not in props
        else:
            assert props["Runtime"] == "python3.12"
            assert len(props["Layers"]) == 2
    assert lambdas["CheckinFunction"]["Properties"]["MemorySize"] == 256
    assert lambdas["BackgroundFunction"]["Properties"]["Timeout"] == 120
    assert len(_of_type(transformed, "AWS::Lambda::LayerVersion")) == 2


def _mapping_of(transformed, function):
    (mapping,) = [m for m in _of_type(transformed, "AWS::Lambda::EventSourceMapping").values()
                  if m["Properties"]["FunctionName"] == {"Ref": function}]
    return mapping


def test_the_worker_reports_partial_batch_failures(transformed):
    props = _mapping_of(transformed, "BackgroundFunction")["Properties"]
    assert props["FunctionName"] == {"Ref": "BackgroundFunction"}
    assert props["EventSourceArn"] == {"Fn::GetAtt": ["BackgroundQueue", "Arn"]}
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["BatchSize"] == 10


def test_payloads_of_sessions_the_ttl_removed_are_cleaned_up_from_the_keys_only_stream(transformed, data):
    table = data["Resources"]["SessionsTable"]["Properties"]
    assert table["StreamSpecification"] == {"StreamViewType": "KEYS_ONLY"}  # no answers in the stream
    props = _mapping_of(transformed, "PayloadCleanupFunction")["Properties"]
    assert props["EventSourceArn"] == {"Fn::GetAtt": ["SessionsTable", "StreamArn"]}
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    (only,) = props["FilterCriteria"]["Filters"]
    pattern = json.loads(only["Pattern"])
    assert pattern["eventName"] == ["REMOVE"]
    assert pattern["userIdentity"] == {"type": ["Service"], "principalId": ["dynamodb.amazonaws.com"]}
    assert pattern["dynamodb"]["Keys"]["sk"] == {"S": ["current"]}
    role = transformed["Resources"]["PayloadCleanupFunctionRole"]["Properties"]
    statements = [s for policy in role.get("Policies", []) for s in policy["PolicyDocument"]["Statement"]]
    assert {a for s in statements for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])} \
        == {"s3:ListBucket", "s3:DeleteObject"}  # least privilege: no reads of answers, no writes
    assert any("AWSLambdaDynamoDBExecutionRole" in json.dumps(arn) for arn in role["ManagedPolicyArns"])


def test_the_http_api_routes_every_page_and_api_call(transformed):
    (api,) = _of_type(transformed, "AWS::ApiGatewayV2::Api").values()
    paths = api["Properties"]["Body"]["paths"]
    served = {(method.upper(), path) for path, methods in paths.items() for method in methods}
    assert set(ROUTES) | {("POST", "/checkin")} <= served
    checkin = json.dumps(paths["/checkin"])
    assert "CheckinFunction" in checkin
    assert "ScreenFunction" not in checkin


def test_every_function_has_its_handler(data):
    for logical, spec in functions(data).items():
        module, _, name = spec["handler"].rpartition(".")
        source = (REPO / spec["code_uri"] / f"{module}.py").read_text()
        assert f"{name} =" in source or f"def {name}(" in source, logical


def test_routes_go_to_the_right_function(data):
    routes = {(m, p): f for m, p, f in http_routes(data)}
    for route in ROUTES:
        assert routes[route] == "ScreenFunction", route
    assert routes[("POST", "/checkin")] == "CheckinFunction"


def _statements(out):
    for logical, role in _of_type(out, "AWS::IAM::Role").items():
        props = role["Properties"]
        for arn in props.get("ManagedPolicyArns", []):
            yield logical, {"managed": json.dumps(arn)}
        for policy in props.get("Policies", []):
            for branch in _branches(policy):
                for statement in branch["PolicyDocument"]["Statement"]:
                    yield logical, statement


def _branches(policy):
    """An inline policy, or the policies inside an Fn::If (the SES statement exists only with a sender)."""
    if "Fn::If" in policy:
        return [b for b in policy["Fn::If"][1:] if isinstance(b, dict) and "PolicyDocument" in b]
    return [policy]


def test_no_role_has_full_access_or_data_actions_on_everything(transformed):
    seen = 0
    for logical, statement in _statements(transformed):
        seen += 1
        assert "FullAccess" not in json.dumps(statement), logical
        if "managed" in statement:
            continue
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if "*" in resources:
            assert all(STAR_ACTIONS_ALLOWED.match(a) for a in actions), (logical, actions)
    assert seen > 10


def test_only_the_function_that_serves_the_api_reads_the_api_keys(transformed, data):
    readers = {logical for logical, statement in _statements(transformed)
               if "ssm:GetParameter" in json.dumps(statement.get("Action", ""))}
    assert readers == {"ScreenFunctionRole"}
    # and the check-in function is not told where they are, so it never tries (offstage.aws.wiring)
    assert functions(data)["CheckinFunction"]["environment"]["API_KEYS_PARAMETER"] == ""


def test_e_mail_is_sent_only_as_the_configured_sender(transformed):
    senders = {logical: statement for logical, statement in _statements(transformed)
               if "ses:" in json.dumps(statement.get("Action", ""))}
    assert set(senders) == {"ScreenFunctionRole", "CheckinFunctionRole", "BackgroundFunctionRole",
                            "CronWorkerFunctionRole", "AssemblyStepFunctionRole"}
    for statement in senders.values():
        assert sorted(statement["Action"]) == ["ses:SendEmail", "ses:SendRawEmail"]
        assert all("identity/" in json.dumps(r) for r in statement["Resource"])


def test_parameter_defaults_pass_their_own_patterns(data):
    for name, spec in data["Parameters"].items():
        if "AllowedPattern" in spec:
            assert re.fullmatch(spec["AllowedPattern"], str(spec["Default"])), name
    assert re.fullmatch(data["Parameters"]["MailSender"]["AllowedPattern"], "forms@example.org")
    assert not re.fullmatch(data["Parameters"]["ApiKeysParameterName"]["AllowedPattern"], "offstage/api-keys")


def test_the_queue_outlives_the_worker_and_redrives(data):
    worker = functions(data)["BackgroundFunction"]["timeout"]
    queue = data["Resources"]["BackgroundQueue"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * worker
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 3
    alarm = data["Resources"]["BackgroundDeadLetterAlarm"]["Properties"]
    assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert json.dumps(alarm["Dimensions"]).count("BackgroundDeadLetterQueue") == 1


def test_sessions_and_tasks_expire_by_ttl(data):
    expected = {"SessionsTable": "expires_at", "TasksTable": "expires_at"}
    for table, attribute in expected.items():
        ttl = data["Resources"][table]["Properties"]["TimeToLiveSpecification"]
        assert ttl == {"AttributeName": attribute, "Enabled": True}


def test_the_cron_index_is_sparse_sharded_and_keys_only(data):
    indexes = {i["IndexName"]: i for i in data["Resources"]["SessionsTable"]["Properties"]["GlobalSecondaryIndexes"]}
    index = indexes["cron_shards"]
    assert [k["AttributeName"] for k in index["KeySchema"]] == ["cron_shard", "cron_sort"]
    assert index["Projection"] == {"ProjectionType": "KEYS_ONLY"}


# ---------------------------------------------------------------- hardening (issue 7)
def _actions(statement):
    return [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]


def _policy_of(data, name):
    return data["Resources"][name]["Properties"]["PolicyDocument"]["Statement"]


def test_the_api_is_throttled_by_parameters(data):
    api = data["Resources"]["HttpApi"]["Properties"]["DefaultRouteSettings"]
    assert api["ThrottlingBurstLimit"] == {"Ref": "ApiThrottlingBurstLimit"}
    assert api["ThrottlingRateLimit"] == {"Ref": "ApiThrottlingRateLimit"}
    params = data["Parameters"]
    assert params["ApiThrottlingBurstLimit"]["Default"] >= params["ApiThrottlingRateLimit"]["Default"] > 0


def test_the_api_access_log_has_no_query_string_and_a_retention(data, transformed):
    settings = data["Resources"]["HttpApi"]["Properties"]["AccessLogSettings"]
    assert settings["DestinationArn"] == {"Fn::GetAtt": ["HttpApiAccessLogs", "Arn"]}
    line = json.loads(settings["Format"])  # one JSON object per request
    assert line["path"] == "$context.path"
    assert line["route"] == "$context.routeKey"
    assert line["requestId"] == "$context.requestId"  # the reference our error replies name
    assert "querystring" not in settings["Format"].lower()
    assert "rawQuery" not in settings["Format"]
    (stage,) = _of_type(transformed, "AWS::ApiGatewayV2::Stage").values()
    assert stage["Properties"]["AccessLogSettings"]["DestinationArn"] == {"Fn::GetAtt": ["HttpApiAccessLogs", "Arn"]}
    assert stage["Properties"]["DefaultRouteSettings"]["ThrottlingRateLimit"] == {"Ref": "ApiThrottlingRateLimit"}


def test_every_log_group_has_a_retention_and_every_function_logs_to_its_own(data, transformed):
    groups = {k: v for k, v in data["Resources"].items() if v["Type"] == "AWS::Logs::LogGroup"}
    assert len(groups) == 9
    for spec in groups.values():
        assert spec["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    lambdas = _of_type(transformed, "AWS::Lambda::Function")
    used = {json.dumps(spec["Properties"]["LoggingConfig"]["LogGroup"]) for spec in lambdas.values()}
    assert len(used) == 8
    assert all(json.loads(u)["Ref"] in groups for u in used)


def test_the_background_worker_has_reserved_concurrency_and_the_poller_a_matching_cap(data, transformed):
    props = data["Resources"]["BackgroundFunction"]["Properties"]
    assert props["ReservedConcurrentExecutions"] == {"Fn::If": [
        "HasBackgroundReservation", {"Ref": "BackgroundReservedConcurrency"}, {"Ref": "AWS::NoValue"}]}
    scaling = props["Events"]["Tasks"]["Properties"]["ScalingConfig"]
    assert scaling["Fn::If"][1] == {"MaximumConcurrency": {"Ref": "BackgroundReservedConcurrency"}}
    pattern = data["Parameters"]["BackgroundReservedConcurrency"]["AllowedPattern"]
    assert re.fullmatch(pattern, data["Parameters"]["BackgroundReservedConcurrency"]["Default"])
    for unreserved in ("", "0"):
        assert re.fullmatch(pattern, unreserved)
    assert not re.fullmatch(pattern, "1")  # an SQS source's MaximumConcurrency is at least 2
    assert "ReservedConcurrentExecutions" not in data["Resources"]["ScreenFunction"]["Properties"]
    assert "ReservedConcurrentExecutions" in _of_type(transformed, "AWS::Lambda::Function")[
        "BackgroundFunction"]["Properties"]


def test_no_function_gets_crud_on_whole_tables_or_the_whole_bucket(data, transformed):
    for logical in functions(data):
        policies = json.dumps(data["Resources"][logical]["Properties"].get("Policies", []))
        assert "CrudPolicy" not in policies, logical
        assert "FullAccess" not in policies, logical
    for logical, statement in _statements(transformed):
        if "managed" in statement:
            continue
        for action in _actions(statement):
            assert action not in ("dynamodb:*", "s3:*", "dynamodb:Scan", "dynamodb:DeleteTable"), (logical, action)
            if action.startswith("s3:") and action != "s3:ListBucket":
                assert "/" in json.dumps(statement["Resource"]).split("Arn", 1)[-1], (logical, statement)


def test_interview_functions_touch_only_items_key_prefixes_and_payload_prefixes(data):
    statements = {s["Sid"]: s for s in _policy_of(data, "InterviewDataPolicy")}
    tasks = statements["TaskItems"]
    assert tasks["Resource"] == {"Fn::GetAtt": ["TasksTable", "Arn"]}  # the table, none of its indexes
    assert set(tasks["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]) == {
        "task#*", "session-tasks#*", "notes#*", "kv#*", "progress#*"}
    sessions = statements["SessionItems"]
    assert sessions["Resource"] == {"Fn::GetAtt": ["SessionsTable", "Arn"]}
    for statement in (tasks, sessions):
        assert all(a.startswith("dynamodb:") and "Table" not in a and a != "dynamodb:Scan"
                   for a in _actions(statement))
    assert statements["SessionPayloads"]["Resource"] == {"Fn::Sub": "${PayloadBucket.Arn}/sessions/*"}
    assert statements["InterviewFiles"]["Resource"] == {"Fn::Sub": "${PayloadBucket.Arn}/files/*"}
    listing = statements["SessionPayloadListing"]
    assert listing["Action"] == "s3:ListBucket"
    assert listing["Condition"] == {"StringLike": {"s3:prefix": ["sessions/*", "files/*"]}}
    users = {k for k, v in data["Resources"].items()
             if {"Ref": "InterviewDataPolicy"} in (v.get("Properties") or {}).get("Policies", [])}
    assert users == {"ScreenFunction", "CheckinFunction", "BackgroundFunction", "CronWorkerFunction",
                     "AssemblyStepFunction"}


def test_no_table_is_provisioned_that_no_code_reads(data):
    """A duplicate delivery is stopped by the task's lease in the TasksTable (tests/unit/
    test_background_worker.py::test_duplicate_delivery_has_one_effect): no idempotency table."""
    text = json.dumps(data)
    assert "Idempotency" not in text
    assert "IDEMPOTENCY" not in text


def test_the_bucket_refuses_requests_without_tls(data):
    (statement,) = _policy_of(data, "PayloadBucketPolicy")
    assert statement["Effect"] == "Deny"
    assert statement["Principal"] == "*"
    assert statement["Action"] == "s3:*"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert {"Fn::GetAtt": ["PayloadBucket", "Arn"]} in statement["Resource"]
    assert {"Fn::Sub": "${PayloadBucket.Arn}/*"} in statement["Resource"]


def test_encryption_at_rest_is_stated_for_every_table_queue_and_the_bucket(data):
    resources = data["Resources"]
    for name, spec in resources.items():
        props = spec.get("Properties") or {}
        if spec["Type"] == "AWS::DynamoDB::Table":
            assert props["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS"}, name
        elif spec["Type"] == "AWS::SQS::Queue":
            assert props["SqsManagedSseEnabled"] is True, name
        elif spec["Type"] == "AWS::S3::Bucket":
            (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
            assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms"), name


# ---------------------------------------------------------------- parallel assembly (issue 10)

def test_the_assembly_state_machine_is_defined_by_its_asl_file_with_substitutions(data, transformed):
    props = data["Resources"]["AssemblyStateMachine"]["Properties"]
    assert props["DefinitionUri"] == "statemachines/assembly.asl.json"
    definition = json.loads((REPO / props["DefinitionUri"]).read_text())
    text = json.dumps(definition)
    for name in props["DefinitionSubstitutions"]:
        assert "${" + name + "}" in text
    assert set(re.findall(r"\$\{(\w+)\}", text)) == set(props["DefinitionSubstitutions"])
    states = definition["States"]
    assert states["Render"]["Type"] == "Map"
    assert states["Render"]["MaxConcurrency"] >= 2
    render = states["Render"]["ItemProcessor"]["States"]["RenderOne"]
    assert render["Resource"] == "${RenderFunctionArn}"
    assert any("Lambda.ServiceException" in r["ErrorEquals"] for r in render["Retry"])
    for state in ("Plan", "Render", "Deliver"):  # every failure ends in the step that fails the task
        assert states[state]["Catch"][0]["Next"] == "Failed"
    machine = _of_type(transformed, "AWS::StepFunctions::StateMachine")["AssemblyStateMachine"]
    invoked = json.dumps([s for _, s in _statements(transformed) if "lambda:InvokeFunction" in json.dumps(s)])
    assert "RenderFunction" in invoked
    assert "AssemblyStepFunction" in invoked
    assert machine["Properties"]["DefinitionSubstitutions"]["RenderFunctionArn"] == {
        "Fn::GetAtt": ["RenderFunction", "Arn"]}


def test_only_the_worker_starts_executions_and_only_of_the_assembly_machine(transformed):
    starters = {logical: statement for logical, statement in _statements(transformed)
                if "states:StartExecution" in json.dumps(statement.get("Action", ""))}
    assert set(starters) == {"BackgroundFunctionRole"}
    (statement,) = starters.values()
    assert "AssemblyStateMachine" in json.dumps(statement["Resource"])
    assert "*" not in json.dumps(
        statement["Resource"]).replace("${AWS::", "")


def test_the_render_function_is_a_container_image_reading_only_its_prefix(data, transformed):
    spec = data["Resources"]["RenderFunction"]
    assert spec["Properties"]["PackageType"] == "Image"
    dockerfile = REPO / spec["Metadata"]["DockerContext"] / spec["Metadata"]["Dockerfile"]
    assert "libreoffice" in dockerfile.read_text()
    statements = [s for logical, s in _statements(transformed) if logical == "RenderFunctionRole" and "Action" in s]
    s3 = [s for s in statements if "s3:" in json.dumps(s["Action"])]
    assert s3
    assert all(json.dumps(s["Resource"]).endswith('/assembly/*"}') for s in s3)
    assert all(s["Action"] == "dynamodb:UpdateItem" or "s3:" in json.dumps(s["Action"])
               or "xray:" in json.dumps(s["Action"]) or "logs:" in json.dumps(s["Action"]) for s in statements)
