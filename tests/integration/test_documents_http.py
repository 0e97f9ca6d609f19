"""Documents over HTTP on the local stack: attachments assembled from the AssemblyLine samples (read from
../shared, copied to a temporary folder beside our interviews, never into the repo), stored sealed in
the emulated bucket, and served only to the session's owner."""

from __future__ import annotations

import html
import http.cookiejar
import io
import json
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.support.files import pdf_text

SAMPLES = SHARED / "reference" / "assemblyline" / "samples"
OURS = Path(__file__).resolve().parents[1] / "documents"
USED_SAMPLES = ("exhibit_cover_sheet.docx", "test_aldocument_pdf_1.pdf", "test_if_final.docx",
                "test_aldocument_docx_1.docx", "sample_word_template.docx")
NAME = "Olíve Oil"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from offstage.local.stack import LocalStack

    folder = tmp_path_factory.mktemp("document-interviews")
    for interview in OURS.glob("*.yml"):
        shutil.copy(interview, folder / interview.name)
    for sample in USED_SAMPLES:
        shutil.copy(SAMPLES / sample, folder / sample)
    # Converting with LibreOffice counts against the screen's time limit (10 s by default). These screens
    # convert several documents, each a new LibreOffice process, which on a loaded 2-core test machine can
    # take longer than 10 s together: the limit is raised as an operator would for such screens (the
    # limit itself is tested in test_runaway.py).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCREEN_TIME_LIMIT_SECONDS", "25")
        with LocalStack(interviews=[folder], with_poller=False) as running:
            yield running


class Browser:
    """A browser with its own cookies: GETs, and posts of the form the page shows."""

    def __init__(self, stack) -> None:
        self.stack = stack
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.page = ""

    def get(self, path, headers=None):
        request = urllib.request.Request(self.stack.url + path, headers=headers or {})
        try:
            with self.opener.open(request) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def open(self, interview):
        status, _, body = self.get(f"/interview?i={interview}")
        assert status == 200
        self.page = body.decode()
        return self.page

    def answer(self, interview, **values):
        form = {name: html.unescape(re.search(rf'name="{name}" value="([^"]*)"', self.page).group(1))
                for name in ("_csrf", "_question", "_event_list")}
        request = urllib.request.Request(f"{self.stack.url}/interview?i={interview}",
                                         data=urllib.parse.urlencode({**form, **values}).encode())
        try:
            with self.opener.open(request) as response:
                self.status, self.page = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            self.status, self.page = error.code, error.read().decode()
        return self.page

    def links(self):
        """Each document's links on the page, by its title: {title: {"Download PDF": url, ...}}."""
        found = {}
        for box in re.findall(r'<div class="da-attachment">(.*?)</ul>', self.page, re.S):
            title = re.sub(r"<[^>]+>", "", re.search(r'class="da-attachment-title"[^>]*>(.*?)</div>', box).group(1))
            found[html.unescape(title)] = {html.unescape(text): html.unescape(href) for href, text in
                                           re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', box)}
        return found


def docx_document(data: bytes):
    import docx

    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def assembled(stack):
    """One browser that answered letters.yml: its page's document links."""
    browser = Browser(stack)
    browser.open("letters.yml")
    browser.answer("letters.yml", client_name=NAME, rent="1,200")
    page = browser.answer("letters.yml", exhibit_label="A-1")
    assert "Your documents are ready." in page, page
    return browser, browser.links()


def test_a_markdown_letter_becomes_a_pdf_and_a_docx_with_the_answers_and_the_markup(assembled):
    browser, links = assembled
    letter = links[f"A letter to {NAME}"]
    status, headers, pdf = browser.get(letter["Download PDF"])
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''letter_to_Ol%C3%ADve_Oil.pdf" in headers["Content-Disposition"]
    pages = pdf_text(pdf).split("\f")
    assert f"Letter to {NAME}" in pages[0]
    assert f"In the matter of {NAME}" in pages[0]
    assert "first point" in pages[0]
    assert "1,200" in pages[0]
    assert "Signed on page two." in pages[1]  # [PAGEBREAK]
    status, headers, _ = browser.get(letter["View PDF"])
    assert status == 200
    assert headers["Content-Disposition"].startswith("inline;")

    status, headers, data = browser.get(letter["Download DOCX"])
    assert status == 200
    assert headers["Content-Type"].endswith("wordprocessingml.document")
    document = docx_document(data)
    by_text = {p.text: p for p in document.paragraphs if p.text}
    assert by_text[f"Letter to {NAME}"].style.name == "Heading 1"
    centered = by_text[f"In the matter of {NAME}"]
    assert centered.alignment == 1
    assert all(run.bold for run in centered.runs)  # [BOLDCENTER]
    assert by_text["first point"].style.name == "List Bullet"
    assert f"Dear {NAME},\nthis is your letter." in by_text  # [NEWLINE]
    assert not any(run.bold for run in by_text[f"Dear {NAME},\nthis is your letter."].runs)  # bold ends with [BOLDCENTER]'s paragraph
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [["Item", "Amount"], ["Rent", "1,200"]]

    status, headers, rtf = browser.get(letter["Download RTF"])
    assert status == 200
    assert headers["Content-Type"] == "application/rtf"
    assert "filename*=UTF-8''letter_to_Ol%C3%ADve_Oil.rtf" in headers["Content-Disposition"]
    assert rtf.startswith(b"{\\rtf1")
    assert b"\\qc\\sa200\\b {In the matter of Ol\\u237?ve Oil}" in rtf  # [BOLDCENTER]
    assert b"\\pagebb" in rtf  # [PAGEBREAK]


def test_the_docx_template_is_filled_and_converted(assembled):
    browser, links = assembled
    cover = links["Cover sheet"]
    _, _, data = browser.get(cover["Download DOCX"])
    assert "Exhibit A-1" in [p.text for p in docx_document(data).paragraphs]
    _, headers, pdf = browser.get(cover["Download PDF"])
    assert headers["Content-Type"] == "application/pdf"
    assert "Exhibit A-1" in pdf_text(pdf)


def test_the_sample_docx_without_variables_becomes_a_pdf_only_and_a_loop_template_repeats_paragraphs(assembled):
    browser, links = assembled
    assert list(links["Simple sample"]) == ["Download PDF", "View PDF"]  # valid formats: pdf
    _, _, pdf = browser.get(links["Simple sample"]["Download PDF"])
    assert "Simple sample docx" in pdf_text(pdf)
    assert "No variables" in pdf_text(pdf)
    assert list(links["Signatures"]) == ["Download DOCX"]  # a browser cannot show a DOCX itself
    _, _, data = browser.get(links["Signatures"]["Download DOCX"])
    texts = [p.text for p in docx_document(data).paragraphs if p.text.strip()]
    assert "signed by Ann" in texts
    assert "signed by Bob" in texts
    assert not any("{%" in t for t in texts)


def test_the_pdf_form_is_filled_and_flattened_when_not_editable(assembled):
    from pypdf import PdfReader

    browser, links = assembled
    _, _headers, pdf = browser.get(links["Sample form"]["Download PDF"])
    assert f"{NAME} owes 1,200" in pdf_text(pdf)
    assert not PdfReader(io.BytesIO(pdf)).get_fields()  # editable: False leaves no form to change


def test_the_page_shows_title_description_and_a_preview_of_markdown_documents(assembled):
    browser, _ = assembled
    assert "The following documents have been created for you." in browser.page
    assert "A <strong>letter</strong> made from Markdown." in browser.page
    preview = re.search(r'<div id="da-preview-0" class="da-attachment-preview">(.*?)</div>', browser.page, re.S)
    assert preview
    assert "Signed on page two." in preview.group(1)


def test_document_objects_give_pages_size_a_local_copy_and_a_link(assembled):
    browser, links = assembled
    text = html.unescape(re.sub(r"<[^>]+>", "", browser.page))
    found = re.search(r"The summary has (\d+) page\(s\) and (\d+) bytes\s+\(a local copy: summary.pdf\)", text)
    assert found
    assert found.group(1) == "1"
    summary = links["Summary"]  # attachment code adds an existing DAFileCollection to the screen
    status, _, pdf = browser.get(summary["Download PDF"])
    assert status == 200
    assert len(pdf) == int(found.group(2))
    assert f"{NAME} pays 1,200" in pdf_text(pdf)
    word = re.search(r'in Word: <a href="([^"]+)">summary.rtf</a>', browser.page)  # content's default: PDF and RTF
    assert word
    status, headers, rtf = browser.get(html.unescape(word.group(1)))
    assert status == 200
    assert headers["Content-Type"] == "application/rtf"
    assert rtf.startswith(b"{\\rtf1")
    assert b"Ol\\u237?ve Oil pays 1,200." in rtf


def test_files_are_stored_sealed_under_the_session_prefix(stack, assembled):
    import boto3

    s3 = boto3.client("s3", endpoint_url=stack.endpoint, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    bucket = stack.resources["PayloadBucket"]
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="files/")["Contents"]]
    assert keys
    assert all(re.fullmatch(r"files/[0-9a-f]{32}/[A-Za-z0-9_-]{22}", k) for k in keys)
    for key in keys:
        blob = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        assert b"%PDF" not in blob
        assert b"Ol\xc3\xadve" not in blob
        assert b"cover_sheet" not in blob


# ---------------------------------------------------------------- the owner, and nobody else

def test_another_browser_gets_a_404_for_the_owners_files(stack, assembled):
    _, links = assembled
    url = links["Cover sheet"]["Download PDF"]
    stranger = Browser(stack)
    status, _, body = stranger.get(url)
    assert status == 404
    assert b"%PDF" not in body
    stranger.open("letters.yml")  # a session of its own, of the same interview
    status, _, body = stranger.get(url)
    assert status == 404
    assert b"%PDF" not in body


@pytest.mark.parametrize("change", ["tampered", "path", "short", "other interview"])
def test_a_changed_file_id_or_interview_gets_a_404(assembled, change):
    browser, links = assembled
    url = links["Cover sheet"]["Download PDF"]
    file_id = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["file"][0]
    changed = {"tampered": url.replace(file_id, file_id[:-1] + ("A" if file_id[-1] != "A" else "B")),
               "path": url.replace(file_id, "../" + file_id),
               "short": url.replace(file_id, file_id[:5]),
               "other interview": url.replace("i=letters.yml", "i=broken_documents.yml")}[change]
    status, _, body = browser.get(changed)
    assert status == 404
    assert b"%PDF" not in body


def test_the_api_caller_with_key_and_secret_gets_the_attachments_and_their_files(stack):
    def call(path, body=None, **headers):
        request = urllib.request.Request(stack.url + path, method="POST" if body else "GET",
                                         data=json.dumps(body).encode() if body else None,
                                         headers={"Content-Type": "application/json", **headers})
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    key = {"X-API-Key": stack.api_key}
    _, _, body = call("/api/session/new?i=letters.yml", **key)
    session = json.loads(body)
    status, _, body = call("/api/session", {"i": "letters.yml", "session": session["session"],
                                            "secret": session["secret"], "variables": {
                                                "client_name": NAME, "rent": "900", "exhibit_label": "B"}}, **key)
    assert status == 200, body
    attachments = json.loads(body)["attachments"]
    letter = attachments[0]
    assert letter["filename"] == "letter_to_Olíve_Oil"
    assert letter["valid_formats"] == ["pdf", "rtf", "docx"]
    assert letter["filename_with_extension"] == {"pdf": "letter_to_Olíve_Oil.pdf", "rtf": "letter_to_Olíve_Oil.rtf",
                                                 "docx": "letter_to_Olíve_Oil.docx"}
    url = letter["url"]["pdf"]
    assert f"session={session['session']}" in url
    status, headers, pdf = call(url, **key, **{"X-Session-Secret": session["secret"]})
    assert status == 200
    assert "Rent" in pdf_text(pdf)
    assert headers["Content-Type"] == "application/pdf"
    status, _, body = call(url, **key, **{"X-Session-Secret": "not-the-secret"})
    assert status == 404
    assert b"%PDF" not in body
    status, _, body = call(url, **{"X-Session-Secret": session["secret"]})  # no API key
    assert status in (401, 403)
    assert b"%PDF" not in body


# ---------------------------------------------------------------- documents that cannot be made

@pytest.mark.parametrize(("choice", "phrases"), [
    ("jinja", ["test_if_final.docx", "Jinja2 error", "No filter named 'if_final'"]),
    ("field", ["The field 'sample_field' of test_aldocument_pdf_1.pdf uses 'nobody_defines_this', which no question"]),
    ("undefined", ["exhibit_cover_sheet.docx", "uses 'exhibit_label', which no question or code block defines"]),
])
def test_a_document_that_cannot_be_made_is_an_error_on_the_page_naming_template_and_problem(stack, choice, phrases,
                                                                                            monkeypatch):
    # filters are per process (docassemble's too): AssemblyLine's module, imported by another test in this
    # worker, registers the very `if_final` whose absence this template shows
    from offstage.documents import docx_template

    monkeypatch.delitem(docx_template.REGISTERED, "if_final", raising=False)
    browser = Browser(stack)
    browser.open("broken_documents.yml")
    page = html.unescape(browser.answer("broken_documents.yml", _button=choice))
    assert browser.status == 500
    assert "Restart" in page  # the error page with a way out, not a spinner
    for phrase in phrases:
        assert phrase in page, (phrase, re.sub(r"<[^>]+>", " ", page)[:2000])


def test_showing_the_screen_again_gives_the_same_files_without_making_them_again(stack, assembled):
    browser, links = assembled
    status, _, body = browser.get("/interview?i=letters.yml")
    assert status == 200
    again = Browser(stack)
    again.page = body.decode()
    assert again.links()[f"A letter to {NAME}"] == links[f"A letter to {NAME}"]
    assert again.links()["Sample form"] == links["Sample form"]


def test_an_answer_cannot_smuggle_headers_or_quotes_into_the_download(stack):
    key = {"X-API-Key": stack.api_key, "Content-Type": "application/json"}
    request = urllib.request.Request(stack.url + "/api/session/new?i=letters.yml", headers=key)
    with urllib.request.urlopen(request) as response:
        session = json.loads(response.read())
    evil = 'Eve"; filename=evil.exe\r\nSet-Cookie: stolen=1\r\n\r\n<script>'
    body = {"i": "letters.yml", "session": session["session"], "secret": session["secret"],
            "variables": {"client_name": evil, "rent": "1", "exhibit_label": "C"}}
    request = urllib.request.Request(stack.url + "/api/session", data=json.dumps(body).encode(), headers=key)
    with urllib.request.urlopen(request) as response:
        letter = json.loads(response.read())["attachments"][0]
    request = urllib.request.Request(stack.url + letter["url"]["docx"],
                                     headers={**key, "X-Session-Secret": session["secret"]})
    with urllib.request.urlopen(request) as response:
        disposition = response.headers["Content-Disposition"]
        assert response.headers.get("Set-Cookie") is None
    assert disposition.startswith("attachment; filename=\"")
    assert disposition.count('"') == 2
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert "evil.exe\"" not in disposition
