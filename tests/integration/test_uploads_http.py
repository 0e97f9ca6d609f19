"""File uploads and signatures over HTTP on the local stack (moto S3 behind the FileStore): the browser's
multipart form and docassemble's JSON API (multipart POST /api/session) give DAFiles with their bytes;
files too large or of a refused type are named next to their field and the other answers are kept."""

from __future__ import annotations

import base64
import html
import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.support.uploads import encode, tiny_pdf, tiny_png, uploads_interviews

INTERVIEW = "uploads.yml"
LIMIT = 200_000  # MAX_UPLOAD_BYTES for this stack: small, so that a file over it is quick to send


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local.stack import LocalStack

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MAX_UPLOAD_BYTES", str(LIMIT))
        with LocalStack(interviews=[uploads_interviews(tmp_path_factory.mktemp("uploads"))], with_poller=False) as running:
            yield running


class Browser:
    """A browser with its own cookies that posts the page's form as multipart/form-data."""

    def __init__(self, stack) -> None:
        self.stack = stack
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.page = ""
        self.status = 0

    def send(self, path, data=None, headers=None):
        request = urllib.request.Request(self.stack.url + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request) as response:
                self.status, body = response.status, response.read()
                return response.status, response.headers, body
        except urllib.error.HTTPError as error:
            self.status = error.code
            return error.code, error.headers, error.read()

    def open(self):
        status, _, body = self.send(f"/interview?i={INTERVIEW}")
        assert status == 200
        self.page = body.decode()
        return self.page

    def hidden(self):
        return {name: html.unescape(re.search(rf'name="{name}" value="([^"]*)"', self.page).group(1))
                for name in ("_csrf", "_question", "_event_list")}

    def post(self, fields, *, multipart=True):
        items = list(self.hidden().items()) + list(fields)
        if multipart:
            body, content_type = encode(items)
        else:
            body, content_type = urllib.parse.urlencode(items).encode(), "application/x-www-form-urlencoded"
        _, _, page = self.send(f"/interview?i={INTERVIEW}", body, {"Content-Type": content_type})
        self.page = page.decode()
        return self.page


def first_screen_answers(name="Ada", lease=None, exhibits=None):
    return [("user_name", name), ("user_picture", ("", b"", "application/octet-stream")),
            ("lease", lease or ("lease.pdf", tiny_pdf(), "application/pdf")),
            *[("exhibits", item) for item in (exhibits or [("a.png", tiny_png(), "image/png"),
                                                            ("notes.txt", b"plain notes\n", "text/plain")])]]


def signature_url() -> str:
    return "data:image/png;base64," + base64.b64encode(tiny_png(30, 10)).decode()


def test_the_browser_form_is_multipart_and_its_uploads_and_signature_become_files_with_their_bytes(stack):
    browser = Browser(stack)
    page = browser.open()
    assert 'enctype="multipart/form-data"' in page
    assert re.search(r'<input[^>]*type="file"[^>]*name="user_picture"[^>]*accept="image/\*"[^>]*capture="environment"', page)
    assert re.search(r'<input[^>]*type="file"[^>]*name="lease"[^>]*accept="application/pdf"', page)
    assert re.search(r'<input[^>]*name="exhibits"[^>]*multiple', page)
    assert re.search(r'<input[^>]*name="voice_note"[^>]*accept="audio/\*"', page)
    assert re.search(r'<input[^>]*name="scan"[^>]*accept="image/\*, .pdf"', page)  # not Python: as written
    page = browser.post(first_screen_answers())
    assert browser.status == 200, page
    assert "Sign here" in page
    assert '<canvas' in page
    assert "uploads.js" in page
    assert ">Continue</button>" in page
    page = browser.post([("user_signature", signature_url())], multipart=False)
    assert browser.status == 200, page
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "Lease: lease.pdf (application/pdf," in text
    assert "1 pages" in text
    assert "Exhibits: a.png and notes.txt" in text
    assert "Photo: none" in text  # an optional file field left empty is answered with None
    assert "Signature: signature.png (image/png," in text
    # the signature's image is on the page, from the session's download route, with its bytes
    src = html.unescape(re.search(r'<img[^>]*src="([^"]+)"', page).group(1))
    status, headers, data = browser.send(src)
    assert status == 200
    assert headers["Content-Type"] == "image/png"
    assert data == tiny_png(30, 10)
    assert headers["X-Content-Type-Options"] == "nosniff"
    # another browser (no cookie for the session) gets nothing
    status, _, _ = Browser(stack).send(src)
    assert status == 404


def test_a_file_over_the_limit_is_named_next_to_its_field_and_the_other_answers_stay(stack):
    browser = Browser(stack)
    browser.open()
    big = b"%PDF-1.4\n" + b"0" * (LIMIT + 10)
    page = browser.post(first_screen_answers(name="Grace Hopper", lease=("big.pdf", big, "application/pdf")))
    assert browser.status == 400
    error = re.search(r'<div[^>]*class="da-error[^"]*"[^>]*>([^<]*)</div>', page).group(1)
    assert "big.pdf is too large" in html.unescape(error)
    assert "0.2 MB per file" in html.unescape(error)
    assert re.search(r'name="lease"[^>]*aria-invalid="true"', page)
    assert 'value="Grace Hopper"' in page  # the other answers are shown again
    page = browser.post(first_screen_answers(name="Grace Hopper"))  # and the screen can be answered
    assert browser.status == 200
    assert "Sign here" in page


@pytest.mark.parametrize(("field", "upload", "message"), [
    ("lease", ("lease.pdf", tiny_png(), "application/pdf"), "of a type this question does not take (image/png)"),
    ("exhibits", ("page.html", b"<!doctype html><script>alert(1)</script>", "text/plain"), "web page or script"),
    ("exhibits", ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/png"),
     "web page or script"),
    ("user_picture", ("me.jpg", b"%PDF-1.4 not a picture", "image/jpeg"), "is not an image file"),
    ("scan", ("scan.pdf", b"words, not a scan", "application/pdf"), "does not take (text/plain); it takes image/*, .pdf"),
])
def test_a_file_of_a_refused_type_is_refused_by_its_content_not_its_name(stack, field, upload, message):
    browser = Browser(stack)
    browser.open()
    answers = [(k, v) for k, v in first_screen_answers(name="Alan") if k != field or field == "exhibits"]
    page = browser.post([*answers, (field, upload)])
    assert browser.status == 400
    assert message in html.unescape(page)
    assert 'value="Alan"' in page


def test_a_text_file_named_like_a_page_is_kept_as_text_and_served_as_text(stack):
    browser = Browser(stack)
    browser.open()
    browser.post(first_screen_answers(exhibits=[("../../etc/passwd.html", b"just words", "text/html")]))
    page = browser.post([("user_signature", signature_url())], multipart=False)
    assert "Exhibits: passwd.html.txt" in html.unescape(re.sub(r"<[^>]+>", " ", page))


def api(stack, method, path, *, params=None, body=None, content_type=None):
    url = stack.url + path + ("?" + urllib.parse.urlencode(params) if params else "")
    headers = {"X-API-Key": stack.api_key, **({"Content-Type": content_type} if content_type else {})}
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_the_json_api_takes_uploads_in_a_multipart_post_and_shows_them_as_dafiles(stack):
    status, started = api(stack, "GET", "/api/session/new", params={"i": INTERVIEW})
    assert status == 200
    session = {"i": INTERVIEW, "session": started["session"], "secret": started["secret"]}
    fields = [*session.items(), ("variables", json.dumps({"user_name": "Ada"})),
              ("file_variables", json.dumps({"my_file": "exhibits"})),
              ("lease", ("lease.pdf", tiny_pdf(), "application/pdf")),
              ("my_file", ("a.png", tiny_png(), "image/png"))]
    body, content_type = encode(fields)
    status, reply = api(stack, "POST", "/api/session", body=body, content_type=content_type)
    assert status == 200, reply
    assert reply["questionType"] == "signature"
    status, variables = api(stack, "GET", "/api/session", params=session)
    assert status == 200
    lease = variables["lease"]
    assert lease["_class"] == "DAFileList"
    assert lease["elements"][0]["filename"] == "lease.pdf"
    assert lease["elements"][0]["mimetype"] == "application/pdf"
    assert variables["exhibits"]["elements"][0]["filename"] == "a.png"
    # the file's bytes come back from its URL with the API key and the session's secret
    query = urllib.parse.urlencode({"i": INTERVIEW, "session": started["session"],
                                    "file": lease["elements"][0]["file_id"]})
    request = urllib.request.Request(f"{stack.url}/interview/file?{query}",
                                     headers={"X-API-Key": stack.api_key, "X-Session-Secret": started["secret"]})
    with urllib.request.urlopen(request) as response:
        assert response.read() == tiny_pdf()
    # the signature through the API: a file upload named after the variable
    body, content_type = encode([*session.items(), ("user_signature", ("sig.png", tiny_png(), "image/png"))])
    status, reply = api(stack, "POST", "/api/session", body=body, content_type=content_type)
    assert status == 200, reply
    assert reply["questionText"].startswith("Thank you, Ada"), reply
    status, variables = api(stack, "GET", "/api/session", params=session)
    assert variables["user_signature"]["_class"] == "DAFile"
    # the uploads sit sealed in the bucket under the session (no name or type in sight), and go with it
    s3, bucket = stack.client("s3"), stack.resources["PayloadBucket"]
    prefix = f"files/{started['session']}/"
    stored = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]
    key = prefix + lease["elements"][0]["file_id"]
    assert key in stored
    assert len(stored) >= 3
    blob = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    assert b"lease.pdf" not in blob
    assert b"%PDF" not in blob
    status, _ = api(stack, "DELETE", "/api/session", params={"i": INTERVIEW, "session": started["session"]})
    assert status == 204
    assert s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("KeyCount") == 0


def test_the_api_refuses_a_wrong_type_and_an_oversized_body_with_a_message(stack):
    status, started = api(stack, "GET", "/api/session/new", params={"i": INTERVIEW})
    session = {"i": INTERVIEW, "session": started["session"], "secret": started["secret"]}
    body, content_type = encode([*session.items(), ("variables", json.dumps({"user_name": "Ada"})),
                                 ("lease", ("lease.pdf", b"<html><body>hi</body></html>", "application/pdf")),
                                 ("exhibits", ("a.png", tiny_png(), "image/png"))])
    status, reply = api(stack, "POST", "/api/session", body=body, content_type=content_type)
    assert status == 400
    assert "web page or script" in reply["errors"]["lease"]
    status, variables = api(stack, "GET", "/api/session", params=session)
    assert "user_name" not in variables
    assert "exhibits" not in variables  # nothing was set
    big = b"%PDF" + b"0" * (5 * 1024 * 1024)  # over the deployment's multipart limit
    body, content_type = encode([*session.items(), ("lease", ("big.pdf", big, "application/pdf"))])
    status, reply = api(stack, "POST", "/api/session", body=body, content_type=content_type)
    assert status == 413, reply
    assert "larger than the limit" in reply["message"], reply


def docx_pictures(data: bytes) -> list[bytes]:
    """The pictures placed in a DOCX, in the order the document shows them."""
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    found = []
    for shape in document.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip  # python-docx's own element tree
        found.append(document.part.related_parts[blip.embed].blob)
    return found


def test_an_uploaded_picture_and_the_signature_are_pictures_in_the_assembled_documents(stack):
    browser = Browser(stack)
    browser.open()
    browser.post(first_screen_answers())
    page = browser.post([("user_signature", signature_url())], multipart=False)
    links = [html.unescape(href) for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', page)
             if "Download" in text]
    assert len(links) == 2, links
    statement, form = (browser.send(url)[2] for url in links)
    # Markdown content: ${ user_signature.show(width="2in") } and ${ exhibits[0] } are the session's pictures
    assert docx_pictures(statement) == [tiny_png(30, 10), tiny_png()]
    # a DOCX template: {{ user_signature }} and {{ user_signature.show(width='1in') }}
    assert docx_pictures(form) == [tiny_png(30, 10), tiny_png(30, 10)]
    import io

    import docx

    widths = [shape.width for shape in docx.Document(io.BytesIO(form)).inline_shapes]
    assert widths[1] == docx.shared.Inches(1)
    assert widths[0] != widths[1]


def hostile_bodies(fields):
    """Multipart bodies an attacker sends: (label, body, Content-Type)."""
    good, content_type = encode(fields, boundary="xyz")
    many_headers = b"".join(b"X-H%d: v\r\n" % n for n in range(5000))
    yield "no boundary", good, "multipart/form-data"
    yield "boundary too long", good, "multipart/form-data; boundary=" + "x" * 100
    yield "boundary not in body", good, "multipart/form-data; boundary=abc"
    yield "truncated", good[: len(good) // 2], content_type
    yield "huge header count", b"--xyz\r\nContent-Disposition: form-data; name=a\r\n" + many_headers + b"\r\n1\r\n--xyz--", content_type
    yield "50,000 parts", b"".join(b"--xyz\r\nContent-Disposition: form-data; name=p%d\r\n\r\nv\r\n" % n
                                    for n in range(50_000)) + b"--xyz--", content_type
    yield "binary garbage", bytes(range(256)) * 100, content_type
    yield "not utf-8 text part", b"--xyz\r\nContent-Disposition: form-data; name=a\r\n\r\n\xff\xfe\r\n--xyz--", content_type
    yield "mixed, not form-data", good, "multipart/mixed; boundary=xyz"
    for reserved in ("_csrf", "_question", "_event_list", "_button", "i", "session", "secret", "variables",
                     "file_variables", "event_list", "question_name"):
        body, kind = encode([*fields, (reserved, ("x.txt", b"a file where text belongs", "text/plain"))], "xyz")
        yield f"a file as {reserved}", body, kind


# the parameters each route reads (a file sent for another one is ignored, as any extra parameter is)
READS = {"/interview": {"_csrf", "_question", "_event_list", "_button"},
         "/api/session": {"i", "session", "secret", "variables", "file_variables", "event_list", "question_name"},
         "/api/session/action": {"i", "session", "secret"}}


def test_hostile_multipart_bodies_get_a_4xx_naming_the_problem_never_a_5xx(stack):
    browser = Browser(stack)
    browser.open()
    status, started = api(stack, "GET", "/api/session/new", params={"i": INTERVIEW})
    session = [("i", INTERVIEW), ("session", started["session"]), ("secret", started["secret"])]
    failures = []
    for route, fields in ((f"/interview?i={INTERVIEW}", list(browser.hidden().items()) + first_screen_answers()),
                          ("/api/session", [*session, ("variables", "{}")]),
                          ("/api/session/action", [*session, ("action", "final_screen")])):
        for label, body, content_type in hostile_bodies(fields):
            headers = {"Content-Type": content_type, "X-API-Key": stack.api_key}
            status, _, reply = browser.send(route, body, headers)
            text = reply.decode("utf-8", "replace")
            ignored = label.startswith("a file as") and label.split()[-1] not in READS[route.split("?")[0]]
            if status >= 500 or (not ignored and (not 400 <= status < 500 or len(text) < 20)):
                failures.append((route, label, status, text[:200]))
    assert failures == [], "\n".join(map(str, failures))


def test_uploads_are_served_back_as_what_their_bytes_are_with_nosniff_and_only_safe_types_inline(stack):
    import io
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("inside.html", "<script>alert(1)</script>")
    status, started = api(stack, "GET", "/api/session/new", params={"i": INTERVIEW})
    session = {"i": INTERVIEW, "session": started["session"], "secret": started["secret"]}
    body, content_type = encode([*session.items(), ("variables", json.dumps({"user_name": "Ada"})),
                                 ("lease", ("lease.pdf", tiny_pdf(), "application/pdf")),
                                 ("exhibits", ("bundle.zip", archive.getvalue(), "text/html")),
                                 ("exhibits", ("page.html", b"only words here", "text/html"))])
    status, reply = api(stack, "POST", "/api/session", body=body, content_type=content_type)
    assert status == 200, reply
    status, variables = api(stack, "GET", "/api/session", params=session)
    served = {}
    for item in variables["exhibits"]["elements"]:
        query = urllib.parse.urlencode({"i": INTERVIEW, "session": started["session"], "file": item["file_id"]})
        request = urllib.request.Request(f"{stack.url}/interview/file?{query}",
                                         headers={"X-API-Key": stack.api_key, "X-Session-Secret": started["secret"]})
        with urllib.request.urlopen(request) as response:
            served[item["filename"]] = dict(response.headers)
    # the declared text/html is never what the file is served as
    assert served["bundle.zip"]["Content-Type"] == "application/zip"
    assert served["bundle.zip"]["Content-Disposition"].startswith("attachment;")
    assert served["page.html.txt"]["Content-Type"] == "text/plain"
    assert all(headers["X-Content-Type-Options"] == "nosniff" for headers in served.values())
