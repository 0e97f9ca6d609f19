"""Big files sent straight to S3 on the local stack (moto's S3 server): POST /interview/upload gives a
presigned POST for one field of this browser's session, the file goes to S3 with it, and the screen POST
that names the key gets a DAFile with the file's bytes. Forged sessions, fields and keys are 400s that
save nothing."""

from __future__ import annotations

import html
import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.support.uploads import encode, tiny_pdf

OVER = 100_000  # DIRECT_UPLOAD_OVER_BYTES of this stack
MOST = 1_000_000  # MAX_DIRECT_UPLOAD_BYTES of this stack
INTERVIEW = "big_uploads.yml"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    import shutil
    from pathlib import Path

    from offstage.local.stack import LocalStack

    folder = tmp_path_factory.mktemp("big-uploads")
    shutil.copy(Path(__file__).resolve().parents[1] / "uploads" / INTERVIEW, folder / INTERVIEW)
    parameters = {"DirectUploadOverBytes": str(OVER), "MaxDirectUploadBytes": str(MOST)}
    with LocalStack(interviews=[folder], with_poller=False, parameters=parameters) as running:
        yield running


def big_pdf(size: int) -> bytes:
    """A PDF of about `size` bytes (a comment pads it out)."""
    data = tiny_pdf("Case file")
    return data + b"%" + b"x" * max(0, size - len(data) - 1)


def send(opener, url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Browser:
    """A browser with its own cookies: the page's form, its presign requests, its POSTs to S3."""

    def __init__(self, stack) -> None:
        self.stack = stack
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.page = ""
        self.answer = ""  # the page the last submit gave

    def open(self) -> str:
        status, body = send(self.opener, f"{self.stack.url}/interview?i={INTERVIEW}")
        assert status == 200
        self.page = body.decode()
        return self.page

    def hidden(self, name: str) -> str:
        return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', self.page).group(1))

    def presign(self, field="case_file", size=300_000, csrf=None, **extra):
        body = json.dumps({"_csrf": self.hidden("_csrf") if csrf is None else csrf, "field": field,
                           "filename": "case.pdf", "size": size, "type": "application/pdf", **extra}).encode()
        status, answer = send(self.opener, f"{self.stack.url}/interview/upload?i={INTERVIEW}", body,
                              {"Content-Type": "application/json"})
        return status, json.loads(answer)

    def upload(self, data: bytes, field="case_file") -> str:
        """The file sent to S3 as the page sends it; its key."""
        status, signed = self.presign(field=field, size=len(data))
        assert status == 200, signed
        body, content_type = encode([*signed["fields"].items(), ("file", ("case.pdf", data, "application/pdf"))])
        stored, answer = send(urllib.request.build_opener(), signed["url"], body, {"Content-Type": content_type})
        assert stored in (200, 204), answer
        return signed["key"]

    def submit(self, references, name="Ada"):
        items = [("_csrf", self.hidden("_csrf")), ("_question", self.hidden("_question")),
                 ("user_name", name), ("case_file", ("", b"", "application/octet-stream")),
                 ("photo", ("", b"", "application/octet-stream")),
                 ("receipt", ("", b"", "application/octet-stream")),
                 *[("_upload", json.dumps(reference)) for reference in references]]
        body, content_type = encode(items)
        status, page = send(self.opener, f"{self.stack.url}/interview?i={INTERVIEW}", body,
                            {"Content-Type": content_type})
        self.answer = page.decode()
        return status, html.unescape(re.sub(r"<[^>]+>", " ", self.answer))


def reference(key, field="case_file", filename="case.pdf"):
    return {"field": field, "key": key, "filename": filename}


def test_the_page_tells_its_file_fields_when_to_send_straight_to_s3(stack):
    page = Browser(stack).open()
    field = re.search(r'<input[^>]*name="case_file"[^>]*>', page).group(0)
    assert f'data-direct-over="{OVER}"' in field
    assert f'data-max-bytes="{MOST}"' in field
    photo = re.search(r'<input[^>]*name="photo"[^>]*>', page).group(0)
    assert 'data-max-image-size="100"' in photo


def test_a_big_file_sent_to_s3_comes_back_as_a_dafile_with_its_bytes(stack):
    browser = Browser(stack)
    browser.open()
    data = big_pdf(600_000)
    key = browser.upload(data)
    status, text = browser.submit([reference(key)])
    assert status == 200, text
    assert "Received, Ada" in text
    assert f"Case file: case.pdf (application/pdf, {len(data)} bytes)" in text
    # the object was read once and deleted: the stored DAFile is the only copy
    assert key not in uploaded_keys(stack)


def uploaded_keys(stack) -> list[str]:
    import boto3

    s3 = boto3.client("s3", endpoint_url=stack.endpoint, region_name="us-east-1")
    listed = s3.list_objects_v2(Bucket=stack.resources["PayloadBucket"], Prefix="uploads/")
    return [item["Key"].removeprefix("uploads/") for item in listed.get("Contents", [])]


def test_presign_refuses_forged_sessions_fields_and_sizes(stack):
    stranger = Browser(stack)
    stranger.page = '<input name="_csrf" value="x">'
    status, answer = stranger.presign()
    assert status == 400
    assert "no session of this interview" in answer["message"]
    browser = Browser(stack)
    browser.open()
    status, answer = browser.presign(csrf="not-the-token")
    assert (status, "did not come from this interview's page" in answer["message"]) == (400, True)
    status, answer = browser.presign(field="__import__('os').system('id')")
    assert (status, "names no field" in answer["message"]) == (400, True)
    status, answer = browser.presign(size=MOST + 1)
    assert (status, "too large" in answer["message"]) == (400, True)
    status, answer = browser.presign(size="12")
    assert status == 400


def test_screen_refuses_keys_of_other_sessions_fields_or_never_uploaded_and_saves_nothing(stack):
    other = Browser(stack)
    other.open()
    foreign = other.upload(big_pdf(200_000))
    browser = Browser(stack)
    browser.open()
    mine_for_photo = browser.upload(big_pdf(200_000), field="photo")
    session_id, tag, _ = mine_for_photo.split("/")
    never = f"{session_id}/{tag}/{'A' * 22}"
    cases = [(reference(foreign), "belongs to another session"),
             (reference(mine_for_photo), "was not uploaded for the field case_file"),
             (reference(never, field="photo"), "is not there"),
             (reference("../../files/x"), "a key this server never gives out"),
             ("not json", "Malformed uploaded file reference")]
    for named, message in cases:
        items = [named] if isinstance(named, dict) else []
        if not isinstance(named, dict):
            status, text = browser_post_raw(browser, named)
        else:
            status, text = browser.submit(items, name="Mallory")
        assert status == 400, text
        assert message in text
    # nothing was saved: the question is asked again, and the photo's upload is still there to be named
    assert "Your files" in browser.open()
    status, text = browser.submit([reference(mine_for_photo, field="photo"), reference(browser.upload(big_pdf(150_000)))])
    assert status == 200, text
    assert "Received, Ada" in text
    assert "Photo: case.pdf" in text


def browser_post_raw(browser, raw):
    items = [("_csrf", browser.hidden("_csrf")), ("_question", browser.hidden("_question")), ("user_name", "M"),
             ("_upload", raw)]
    body, content_type = encode(items)
    status, page = send(browser.opener, f"{browser.stack.url}/interview?i={INTERVIEW}", body,
                        {"Content-Type": content_type})
    return status, html.unescape(page.decode())


def test_s3_refuses_a_file_over_the_limit_or_at_another_key_or_of_another_type(stack):
    browser = Browser(stack)
    browser.open()
    status, signed = browser.presign(size=MOST)
    assert status == 200

    def post(fields, data):
        body, content_type = encode([*fields.items(), ("file", ("huge.pdf", data, "application/pdf"))])
        return send(urllib.request.build_opener(), signed["url"], body, {"Content-Type": content_type})

    status, answer = post(signed["fields"], big_pdf(MOST + 5000))
    assert (status, b"EntityTooLarge" in answer) == (400, True)
    status, answer = post({**signed["fields"], "key": signed["fields"]["key"] + "-other"}, big_pdf(2000))
    assert (status, b"AccessDenied" in answer) == (403, True)
    status, answer = post({**signed["fields"], "Content-Type": "text/html"}, big_pdf(2000))
    assert (status, b"AccessDenied" in answer) == (403, True)
    assert signed["key"] not in uploaded_keys(stack)


def test_a_file_over_the_limit_that_reached_the_bucket_anyway_is_named_next_to_its_field(stack):
    # S3 stops these (above); should one get there, the screen's own size check refuses it
    import boto3

    browser = Browser(stack)
    browser.open()
    status, signed = browser.presign(size=MOST)
    assert status == 200
    s3 = boto3.client("s3", endpoint_url=stack.endpoint, region_name="us-east-1")
    s3.put_object(Bucket=stack.resources["PayloadBucket"], Key=signed["fields"]["key"], Body=big_pdf(MOST + 5000))
    status, text = browser.submit([reference(signed["key"], filename="huge.pdf")], name="Grace")
    assert status == 400
    assert "huge.pdf is too large" in text
    assert 'value="Grace"' in browser.answer  # the other answers are shown again
    assert re.search(r'name="case_file"[^>]*aria-invalid="true"', browser.answer)
    assert signed["key"] not in uploaded_keys(stack)


def test_the_presigned_post_is_for_one_key_one_type_and_the_size_limit(stack):
    # S3 enforces these conditions (moto does not): the policy itself must say them
    import base64
    import datetime

    browser = Browser(stack)
    browser.open()
    before = datetime.datetime.now(datetime.UTC)
    status, signed = browser.presign(size=300_000)
    after = datetime.datetime.now(datetime.UTC)
    assert status == 200
    assert signed["fields"]["key"] == "uploads/" + signed["key"]
    policy = json.loads(base64.b64decode(signed["fields"]["policy"]))
    conditions = policy["conditions"]
    assert {"key": "uploads/" + signed["key"]} in conditions
    assert ["content-length-range", 1, MOST] in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    expires = datetime.datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    valid = datetime.timedelta(minutes=15)  # DIRECT_UPLOAD_SECONDS
    second = datetime.timedelta(seconds=1)
    assert before + valid - second <= expires <= after + valid + second
    # a type that is not a media type is signed as application/octet-stream
    status, signed = browser.presign(type="text/html; <script>")
    policy = json.loads(base64.b64decode(signed["fields"]["policy"]))
    assert {"Content-Type": "application/octet-stream"} in policy["conditions"]
