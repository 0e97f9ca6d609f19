"""An installed docassemble package on the local stack: docassemble.AssemblyLine's wheel (unchanged),
its YAML included by an interview of ours, its static files served, and its interviews started by
their package reference, as an operator sets it up (`offstage serve --package docassemble.AssemblyLine`).
"""

from __future__ import annotations

import html
import http.cookiejar
import importlib
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from offstage.library import package_files
from offstage.local.stack import LocalStack

from tests.support.assemblyline import installed_assemblyline

AL = "docassemble.AssemblyLine"
OURS = f"""\
include:
  - {AL}:al_settings.yml
  - {AL}:al_terms_of_use.yml
---
mandatory: True
question: |
  ${{ al_terms_of_use.subject }}
subquestion: |
  Our own file: [the form](${{ url_of('form.pdf') }}).

  ![the placeholder](${{ url_of('{AL}:placeholder.png') }})
"""


DEMO = "docassemble.offstagedemo"
DEMO_INTERVIEW = f"""\
metadata:
  title: Demo package
---
features:
  css: demo.css
  javascript:
    - demo.js
---
modules:
  - .helpers
---
include:
  - {AL}:al_settings.yml
  - name_question.yml
---
mandatory: True
code: |
  user_name
---
mandatory: True
question: Hello, ${{ shout(user_name) }}
subquestion: Hosted by ${{ AL_ORGANIZATION_TITLE }}.
"""


def demo_package(site: Path) -> None:
    """A package of our own, laid out as docassemble packages are (a module, questions, static files)."""
    root = site / "docassemble" / "offstagedemo"
    for folder in ("questions", "static"):
        (root / "data" / folder).mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "helpers.py").write_text("def shout(text):\n    return str(text).upper() + '!'\n")
    (root / "data" / "questions" / "hello.yml").write_text(DEMO_INTERVIEW, encoding="utf-8")
    # included by its bare name from the same package; its question is answered over HTTP
    (root / "data" / "questions" / "name_question.yml").write_text(
        "question: What is your name?\nfields:\n  - Name: user_name\n", encoding="utf-8")
    (root / "data" / "static" / "demo.css").write_text("body { color: #123; }\n")
    (root / "data" / "static" / "demo.js").write_text("window.offstageDemo = 1;\n")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    target = str(installed_assemblyline())
    site = tmp_path_factory.mktemp("site")
    demo_package(site)
    sys.path[:0] = [target, str(site)]
    importlib.invalidate_caches()
    package_files.package_folders.cache_clear()
    folder = tmp_path_factory.mktemp("package_files")
    (folder / "static").mkdir()
    (folder / "static" / "form.pdf").write_bytes(b"%PDF-1.4 our own form\n")
    (folder / "uses_al.yml").write_text(OURS, encoding="utf-8")
    (folder / "secret.py").write_text("KEY = 1\n", encoding="utf-8")
    try:
        with LocalStack(interviews=[folder], packages=[AL, DEMO], with_poller=False) as running:
            yield running
    finally:
        sys.path.remove(target)
        sys.path.remove(str(site))
        package_files.package_folders.cache_clear()


def get(stack: LocalStack, path: str, opener: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(stack.url + path, headers=headers or {})
    try:
        with (opener or urllib.request.build_opener()).open(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def browser() -> Any:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def test_an_interview_includes_the_packages_yaml_and_links_its_static_files(stack: LocalStack):
    status, _, body = get(stack, "/interview?i=uses_al.yml", browser())
    page = body.decode()
    assert status == 200
    assert "Terms of Use and Privacy Policy" in page
    links = dict(re.findall(r'(?:href|src)="(/packagestatic/[^"]+)"[^>]*>?([^<]*)', page))
    package_url = next(u for u in links if u.startswith(f"/packagestatic/{AL}/placeholder.png?v="))
    own_url = next(u for u in links if u.startswith("/packagestatic/-/form.pdf?"))
    wheel = installed_assemblyline() / "docassemble" / "AssemblyLine" / "data" / "static" / "placeholder.png"
    status, headers, data = get(stack, package_url.replace("&amp;", "&"))
    assert (status, headers["Content-Type"], data) == (200, "image/png", wheel.read_bytes())
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in headers["Cache-Control"]
    status, headers, data = get(stack, own_url.replace("&amp;", "&"))
    assert (status, headers["Content-Type"], data) == (200, "application/pdf", b"%PDF-1.4 our own form\n")
    # revalidation: the ETag answers 304; a URL without the current hash is not cached for long
    package_etag = get(stack, package_url.replace("&amp;", "&"))[1]["ETag"]
    status, _, body = get(stack, package_url.replace("&amp;", "&"), headers={"If-None-Match": package_etag})
    assert (status, body) == (304, b"")
    status_old, headers_old, _ = get(stack, f"/packagestatic/{AL}/placeholder.png?v=000000000000")
    assert status_old == 200
    assert headers_old["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", [
    f"/packagestatic/{AL}/../al_general.py",
    f"/packagestatic/{AL}/%2e%2e/al_general.py",
    f"/packagestatic/{AL}/%2e%2e%2f%2e%2e%2fal_general.py",
    f"/packagestatic/{AL}/..%2ftemplates/general_cover_sheet.docx",
    f"/packagestatic/{AL}/%2fetc%2fpasswd",
    f"/packagestatic/{AL}/data/templates/general_cover_sheet.docx",
    f"/packagestatic/{AL}/al_general.py",
    "/packagestatic/os/path.py",
    "/packagestatic/offstage/settings.py",
    "/packagestatic/-/uses_al.yml?i=uses_al.yml",
    "/packagestatic/-/secret.py?i=uses_al.yml",
    "/packagestatic/-/%2e%2e%2fsecret.py?i=uses_al.yml",
    "/packagestatic/-/form.pdf?i=nothing.yml",
    "/packagestatic/-/form.pdf",
])
def test_attackers_get_a_404_and_nothing_outside_the_static_folders(stack: LocalStack, path: str):
    status, _, body = get(stack, path)
    assert status == 404, body[:300]
    assert b"KEY" not in body
    assert b"import" not in body
    assert b"root:" not in body


def test_an_interview_of_a_package_starts_by_its_package_reference(stack: LocalStack):
    name = f"{DEMO}:data/questions/hello.yml"
    status, _, body = get(stack, "/")
    assert status == 200
    assert name in body.decode()
    assert "Demo package" in body.decode()
    user = browser()
    status, _, body = get(stack, "/interview?i=" + quote(name), user)
    page = body.decode()
    assert status == 200
    assert "What is your name?" in page
    css = re.search(rf'<link rel="stylesheet" href="(/packagestatic/{DEMO}/demo\.css\?v=[0-9a-f]+)">', page)
    js = re.search(rf'<script nonce="[^"]+" src="(/packagestatic/{DEMO}/demo\.js\?v=[0-9a-f]+)">', page) or \
        re.search(rf'<script src="(/packagestatic/{DEMO}/demo\.js\?v=[0-9a-f]+)" nonce="[^"]+">', page)
    assert css, page[:3000]
    assert js, page[:3000]
    assert get(stack, css.group(1))[2] == b"body { color: #123; }\n"
    assert get(stack, js.group(1))[1]["Content-Type"].startswith("text/javascript")
    hidden = {k: html.unescape(re.search(rf'name="{k}" value="([^"]*)"', page).group(1))
              for k in ("_csrf", "_question", "_event_list")}
    form = urlencode({**hidden, "user_name": "Ada"}).encode()
    request = urllib.request.Request(stack.url + "/interview?i=" + quote(name), data=form,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with user.open(request) as response:
            answered = response.read().decode()
    except urllib.error.HTTPError as error:
        raise AssertionError(error.read().decode()[-3000:]) from None
    # the package's own module (`.helpers`) and AssemblyLine's YAML both ran
    assert "Hello, ADA!" in answered
    assert "Hosted by" in answered
    assert "Hello, ADA!" in get(stack, "/interview?i=" + quote(name), user)[2].decode()  # the session resumes


def test_names_outside_a_listed_packages_questions_are_not_interviews(stack: LocalStack):
    for name in (f"{AL}:data/questions/../../al_general.py", f"{DEMO}:data/static/demo.css",
                 "docassemble.ALToolbox:data/questions/x.yml", f"{DEMO}:helpers.py"):
        status, _, body = get(stack, "/interview?i=" + quote(name), browser())
        assert status == 404, (name, body[:300])
