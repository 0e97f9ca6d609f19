"""`offstage serve`: the local stack as a developer starts it, checked from outside over HTTP and boto3."""

from __future__ import annotations

import base64
import http.client
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from offstage.local.http_front import build_event, to_http
from offstage.local.template import load

REPO = Path(__file__).resolve().parents[2]
EX = "docassemble.base:data/questions/examples/"


@pytest.fixture(scope="module")
def served(corpus):
    """`offstage serve --port 0 --interviews <corpus>` in a child process; what it printed, by label."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    child = subprocess.Popen([sys.executable, "-m", "offstage.cli", "serve", "--port", "0", "--interviews",
                              str(corpus)], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True)
    printed: list[str] = []
    for line in child.stdout:
        printed.append(line.rstrip("\n"))
        if line.startswith("Ctrl-C"):
            break
    else:
        child.wait()
        pytest.fail(f"offstage serve stopped before it was ready (exit {child.returncode}): {printed}")
    info = {"lines": printed, "child": child,
            "url": printed[0].rsplit(" ", 1)[-1], "key": printed[1].split()[2],
            "endpoint": next(x for x in printed if x.startswith("AWS emulation")).rsplit(" ", 1)[-1]}
    yield info
    if child.poll() is None:
        child.send_signal(signal.SIGINT)
        child.wait(timeout=60)


def call(served, method, path, body=None, key=True):
    headers = {"Content-Type": "application/json"}
    if key:
        headers["X-API-Key"] = served["key"]
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(served["url"] + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def aws(served, service):
    import boto3

    return boto3.client(service, endpoint_url=served["endpoint"], region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def physical(names, logical):
    found = [n for n in names if n.rsplit("/", 1)[-1].endswith(f"-{logical}".lower() if "Bucket" in logical
                                                              else f"-{logical}")]
    assert len(found) == 1, f"expected one local resource for {logical}, found {found} among {names}"
    return found[0]


def resources_of(kind):
    return {k: v.get("Properties") or {} for k, v in load()["Resources"].items() if v["Type"] == kind}


# ---------------------------------------------------------------- what `offstage serve` says and creates

def test_serve_prints_where_it_listens_its_key_and_interviews(served, corpus):
    assert served["url"].startswith("http://127.0.0.1:")
    assert urlsplit(served["url"]).port > 0
    assert served["lines"][0] == f"offstage local stack on {served['url']}"
    assert len(served["key"]) >= 20
    interviews = next(x for x in served["lines"] if x.startswith("interviews from:"))
    assert str(REPO / "layers" / "interviews" / "interviews") in interviews
    assert str(corpus.resolve()) in interviews


def test_every_table_exists_with_its_keys_indexes_and_ttl(served):
    dynamodb = aws(served, "dynamodb")
    names = dynamodb.list_tables()["TableNames"]
    declared = resources_of("AWS::DynamoDB::Table")
    assert {"SessionsTable", "TasksTable"} <= set(declared)
    for logical, props in declared.items():
        table = dynamodb.describe_table(TableName=physical(names, logical))["Table"]
        assert table["KeySchema"] == props["KeySchema"], logical
        indexes = {i["IndexName"] for i in table.get("GlobalSecondaryIndexes", [])}
        assert indexes == {i["IndexName"] for i in props.get("GlobalSecondaryIndexes", [])}, logical
        ttl = dynamodb.describe_time_to_live(TableName=table["TableName"])["TimeToLiveDescription"]
        assert ttl["TimeToLiveStatus"] == "ENABLED", logical
        assert ttl["AttributeName"] == props["TimeToLiveSpecification"]["AttributeName"]
    sessions = physical(names, "SessionsTable")
    ttl = dynamodb.describe_time_to_live(TableName=sessions)["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expires_at"


def test_the_queue_redrives_to_its_dead_letter_queue_after_three_receives(served):
    sqs = aws(served, "sqs")
    urls = sqs.list_queues()["QueueUrls"]
    queue, dead = physical(urls, "BackgroundQueue"), physical(urls, "BackgroundDeadLetterQueue")
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.loads(attributes["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"] == dead_arn
    assert int(redrive["maxReceiveCount"]) == 3
    declared = resources_of("AWS::SQS::Queue")["BackgroundQueue"]
    assert int(attributes["VisibilityTimeout"]) == int(declared.get("VisibilityTimeout", 30))


def test_the_bucket_and_the_api_key_parameter_exist(served):
    buckets = [b["Name"] for b in aws(served, "s3").list_buckets()["Buckets"]]
    physical(buckets, "PayloadBucket")
    name = load()["Parameters"]["ApiKeysParameterName"]["Default"]
    value = aws(served, "ssm").get_parameter(Name="/" + name.lstrip("/"), WithDecryption=True)["Parameter"]
    assert value["Type"] == "SecureString"
    assert value["Value"] == served["key"]


# ---------------------------------------------------------------- over HTTP

def test_the_index_page_lists_the_interviews(served):
    status, headers, page = call(served, "GET", "/", key=False)
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "Hello, offstage" in page
    assert "hello.yml" in page


def test_an_unrouted_path_gets_offstages_404_page_through_the_default_route(served):
    status, headers, body = call(served, "GET", "/no/such/route")
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    assert "<title>Error</title>" in body
    assert "There is nothing at /no/such/route." in body
    assert '<a href="/" class="btn btn-da btn-primary">All interviews</a>' in body
    status, headers, body = call(served, "PUT", "/api/session")  # a known path with a method it does not take
    assert status == 404
    assert json.loads(body)["error"] == "not_found"


def test_a_json_api_walk_with_the_printed_key(served):
    status, _, body = call(served, "GET", f"/api/session/new?i={EX}under.yml")
    assert status == 200
    s = json.loads(body)
    where = f"i={s['i']}&session={s['session']}&secret={s['secret']}"
    status, _, body = call(served, "GET", f"/api/session/question?{where}")
    assert status == 200
    asked = " ".join(json.loads(body)["questionText"].split())  # the YAML's line break stays in the text
    assert "What is the airspeed velocity of an unladen swallow?" in asked
    status, _, body = call(served, "POST", "/api/session", {"i": s["i"], "session": s["session"],
                                                           "secret": s["secret"],
                                                           "variables": {"swallow_velocity": "40 mph"}})
    assert status == 200
    q = json.loads(body)
    assert "The velocity is 40 mph" in q["questionText"] + q.get("subquestionText", "")


def test_the_api_without_a_key_is_refused(served):
    status, _, body = call(served, "GET", f"/api/session/new?i={EX}under.yml", key=False)
    assert status == 403
    assert json.loads(body)["error"] == "access_denied"


def test_a_body_over_api_gateways_limit_is_refused_before_it_is_read(served):
    where = urlsplit(served["url"])
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    connection.putrequest("POST", "/api/session")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(10 * 1024 * 1024 + 1))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413
    assert b"Too Large" in response.read()
    connection.close()


def test_a_port_in_use_is_named_not_a_traceback(served):
    port = str(urlsplit(served["url"]).port)
    second = subprocess.run([sys.executable, "-m", "offstage.cli", "serve", "--port", port], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert second.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in second.stderr
    assert "Traceback" not in second.stderr


def test_browsers_at_once_each_get_their_own_session(served):
    """The HTTP front serves in threads; each function still gets one request at a time, as in Lambda."""
    from concurrent.futures import ThreadPoolExecutor

    def walk(n):
        _, _, body = call(served, "GET", f"/api/session/new?i={EX}under.yml")
        s = json.loads(body)
        where = {"i": s["i"], "session": s["session"], "secret": s["secret"]}
        call(served, "GET", "/api/session/question?" + "&".join(f"{k}={v}" for k, v in where.items()))
        _, _, body = call(served, "POST", "/api/session", {**where, "variables": {"swallow_velocity": f"{n} mph"}})
        q = json.loads(body)
        return q["questionText"] + q.get("subquestionText", "")

    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(walk, range(16)))
    for n, page in enumerate(pages):
        assert f"The velocity is {n} mph" in page


def test_ctrl_c_stops_the_stack_cleanly(served):
    child = served["child"]
    child.send_signal(signal.SIGINT)
    assert child.wait(timeout=60) == 0
    assert "stopped." in child.stdout.read()
    with pytest.raises(urllib.error.URLError, match="refused"):
        urllib.request.urlopen(served["url"] + "/", timeout=5)


# ---------------------------------------------------------------- the API Gateway translation itself

def test_requests_become_payload_2_events_the_way_api_gateway_builds_them():
    event = build_event("POST", "/interview?i=a.yml&x=1&x=2&empty=", [
        ("Host", "127.0.0.1:3000"), ("X-Thing", "one"), ("x-thing", "two"), ("Cookie", "a=1; b=2"),
        ("Content-Type", "application/x-www-form-urlencoded")], b"name=Ann", "POST /interview", {}, "10.0.0.1")
    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /interview"
    assert event["rawPath"] == "/interview"
    assert event["rawQueryString"] == "i=a.yml&x=1&x=2&empty="
    assert event["queryStringParameters"] == {"i": "a.yml", "x": "1,2", "empty": ""}
    assert event["headers"]["x-thing"] == "one,two"
    assert "cookie" not in event["headers"]
    assert event["cookies"] == ["a=1", "b=2"]
    assert event["body"] == "name=Ann"
    assert event["isBase64Encoded"] is False
    http_ = event["requestContext"]["http"]
    assert http_ == {"method": "POST", "path": "/interview", "protocol": "HTTP/1.1", "sourceIp": "10.0.0.1",
                     "userAgent": ""}
    assert event["requestContext"]["stage"] == "$default"
    assert event["requestContext"]["requestId"]


def test_binary_bodies_and_path_parameters():
    event = build_event("GET", "/static/css/app.css", [("Content-Type", "image/png")], b"\x89PNG\x00",
                        "GET /static/{proxy+}", {"proxy": "css/app.css"}, "127.0.0.1")
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x89PNG\x00"
    assert event["pathParameters"] == {"proxy": "css/app.css"}


def test_results_become_responses_the_way_api_gateway_answers():
    status, headers, _body = to_http({"statusCode": 302, "headers": {"Location": "/x"},
                                     "cookies": ["a=1; Path=/", "b=2; Path=/"], "body": ""})
    assert status == 302
    assert ("Location", "/x") in headers
    assert [v for k, v in headers if k == "Set-Cookie"] == ["a=1; Path=/", "b=2; Path=/"]
    assert to_http({"statusCode": 200, "body": base64.b64encode(b"\x00\x01").decode(),
                    "isBase64Encoded": True})[2] == b"\x00\x01"
    assert to_http({"ok": True}) == (200, [("Content-Type", "application/json")], b'{"ok": true}')
    assert to_http("plain")[:1] == (200,)


class ScriptedStack:
    """Just what HttpFront uses of a stack: the template, and invoke (here answering from a script)."""

    def __init__(self, answer):
        self.template = load()
        self.answer = answer
        self.events = []

    def invoke(self, logical_id, event):
        self.events.append((logical_id, event))
        return self.answer(event)


@pytest.fixture
def front():
    from offstage.local.http_front import HttpFront

    started = []

    def start(answer):
        stack = ScriptedStack(answer)
        server = HttpFront(stack, "127.0.0.1", 0)
        server.start()
        started.append(server)
        return stack, server.url

    yield start
    for server in started:
        server.stop()


def fetch(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_a_handler_that_raises_is_a_500_with_the_traceback_in_the_log(front, capfd):
    def crash(event):
        raise RuntimeError("the handler broke")

    _, url = front(crash)
    status, _, body = fetch(url + "/api/interviews")
    assert status == 500
    assert json.loads(body) == {"message": "Internal Server Error"}
    log = capfd.readouterr().err
    assert "RuntimeError: the handler broke" in log
    assert "GET /api/interviews -> 500" in log


def test_routes_reach_their_function_with_path_parameters(front):
    stack, url = front(lambda event: "just text")
    status, headers, body = fetch(url + "/static/css/app.css?v=1")
    assert status == 200
    assert body == b"just text"
    assert headers["Content-Type"] == "application/json"
    status, _, _ = fetch(url + "/checkin", data=b"a=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    (first, static), (second, checkin) = stack.events
    assert first == "ScreenFunction"
    assert static["routeKey"] == "GET /static/{proxy+}"
    assert static["pathParameters"] == {"proxy": "css/app.css"}
    assert static["queryStringParameters"] == {"v": "1"}
    assert second == "CheckinFunction"
    assert checkin["body"] == "a=1"
    assert checkin["routeKey"] == "POST /checkin"


def test_the_template_reader_understands_short_tags_and_resolves_them():
    from offstage.local.resources import Resources
    from offstage.local.template import functions, http_routes, parameter_defaults, sqs_events

    data = load()
    assert data["Globals"]["Function"]["Environment"]["Variables"]["SESSIONS_TABLE"] == {"Ref": "SessionsTable"}
    assert data["Resources"]["BackgroundQueue"]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["BackgroundDeadLetterQueue", "Arn"]}
    found = Resources(names={"SessionsTable": "offstage-local-SessionsTable", "HttpApi": "api1",
                             "BackgroundQueue": "http://127.0.0.1:5000/123456789012/offstage-local-BackgroundQueue"},
                      arns={"BackgroundQueue": "arn:aws:sqs:us-east-1:123456789012:offstage-local-BackgroundQueue"},
                      parameters=parameter_defaults(data), conditions=data.get("Conditions") or {})
    env = functions(data)["ScreenFunction"]["environment"]
    assert found.resolve(env["SESSIONS_TABLE"]) == "offstage-local-SessionsTable"
    assert found.resolve(env["API_KEYS_PARAMETER"]) == data["Parameters"]["ApiKeysParameterName"]["Default"]
    assert found.resolve({"Fn::Sub": "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"}) == \
        "https://api1.execute-api.us-east-1.amazonaws.com/"
    assert found.resolve({"Fn::GetAtt": ["BackgroundQueue", "QueueName"]}) == "offstage-local-BackgroundQueue"
    assert found.resolve({"Fn::If": ["HasMailSender", "yes", "no"]}) == (
        "yes" if data["Parameters"]["MailSender"].get("Default") else "no")
    assert found.resolve({"Fn::Join": ["/", ["a", {"Fn::Select": [1, ["x", "y"]]}]]}) == "a/y"
    assert ("POST", "/checkin", "CheckinFunction") in http_routes(data)
    assert ("GET", "/static/{proxy+}", "ScreenFunction") in http_routes(data)
    (source,) = [s for s in sqs_events(data) if s["function"] == "BackgroundFunction"]
    assert source["queue"] == "BackgroundQueue"
    assert source["report_failures"] is True
