"""An attacker's tries against the browser pages, in headless Chromium on the local stack.

Script payloads are submitted as answers to an interview that shows its answers back everywhere
(tests/e2e/interviews/answers_shown_back.yml); every payload would set `window.__pwned` if it ran.
A page on another origin tries to frame the interview and to make the visitor's browser run a
`url_action()` link. The page script is made to meet refused check-ins.
"""

from __future__ import annotations

import base64
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

INTERVIEW = "answers_shown_back.yml"
HERE = Path(__file__).resolve().parent
WAIT_MS = 20_000

VISIBLE_TEXT = "Tom & Jerry say a < b <3"
PAYLOAD = (VISIBLE_TEXT + " "
           '<img src=x onerror="window.__pwned=1">'
           '<details open ontoggle="window.__pwned=2">d</details>'
           '<svg onload="window.__pwned=3"></svg>'
           "</script><script>window.__pwned=6</script>"
           '<iframe srcdoc="<script>parent.__pwned=9</script>"></iframe>'
           '" onfocus="window.__pwned=7" autofocus="'
           " end")
RAW_PAYLOAD = PAYLOAD + " <em>raw emphasis</em>"
LINK_PAYLOAD = "javascript:window.__pwned=4"


class AttackerSite:
    """A page on another origin (the same host name gives a same-site origin, another one a cross-site one)."""

    def __init__(self) -> None:
        self.html = ""
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, host: str) -> str:
        return f"http://{host}:{self.port}/"


@pytest.fixture(scope="module")
def attacker() -> Iterator[AttackerSite]:
    site = AttackerSite()
    yield site
    site.server.shutdown()
    site.server.server_close()


def interview_url(stack) -> str:
    return f"{stack.url}/interview?i={INTERVIEW}"


def action_link(stack, action: str) -> str:
    """What url_action() writes: the action and its arguments, base64 (an attacker can build it)."""
    raw = json.dumps({"action": action, "arguments": {}}, separators=(",", ":")).encode()
    return interview_url(stack) + "&action=" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def answer_first_question(page, stack, text=PAYLOAD, raw=RAW_PAYLOAD, link=LINK_PAYLOAD) -> None:
    page.goto(interview_url(stack) + "&reset=1")
    page.get_by_label("Something", exact=True).fill(text)
    page.get_by_label("Raw").fill(raw)
    page.get_by_label("Longer").fill(text)
    page.get_by_label("Link").fill(link)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    page.get_by_text("Again:").first.wait_for(state="visible", timeout=WAIT_MS)


def pwned(page) -> object:
    return page.evaluate("window.__pwned === undefined ? null : window.__pwned")


def test_script_in_answers_never_runs_and_the_text_is_still_shown(page, stack):
    # Given answers full of script payloads, in text, area and raw fields
    answer_first_question(page, stack)
    # When the next screen shows them in the question, subquestion, labels, defaults, links, flash and a
    # check-in target, and the visitor clicks the links and focuses the fields
    page.locator(".datargetecho", has_text="echoed").wait_for(state="visible", timeout=WAIT_MS)
    for link in ("Markdown link", "Attribute link"):
        page.get_by_text(link).first.click()
    for control in page.locator("#daform input:not([type=hidden])").all():
        control.focus()
    page.wait_for_timeout(300)  # lets any handler that would fire (toggle, load, error) do so first
    # Then no payload ran
    assert pwned(page) is None
    # and the answers are still shown as text where the interview shows them
    question = page.locator(".da-question-title").inner_text()
    assert VISIBLE_TEXT in question
    assert VISIBLE_TEXT in page.locator("#daflash").inner_text()
    assert VISIBLE_TEXT in page.locator(".datargetecho").inner_text()
    assert VISIBLE_TEXT in page.locator("label", has_text="Label").first.inner_text()
    # the attribute breaker stays inside the field's value, as text
    assert '" onfocus="window.__pwned=7" autofocus="' in page.get_by_label("Label", exact=False).first.input_value()
    # and the author's ordinary markup coming from a `raw` answer is kept
    assert page.locator(".da-subquestion em", has_text="raw emphasis").count() >= 1
    # javascript: links built from answers lead nowhere
    assert page.locator("a[href^='javascript']").count() == 0


def test_the_authors_scripts_and_js_show_if_still_run_under_the_policy(page, stack):
    # Given a screen with a `script:` block and a `js show if` field
    answer_first_question(page, stack, text="plain", raw="", link="")
    # Then the author's script ran, and the field shows when its condition holds
    assert page.evaluate("window.__authorScript") == "ran"
    extra = page.get_by_label("Extra")
    assert not extra.is_visible()
    page.get_by_label("Label", exact=False).first.fill("show more")
    extra.wait_for(state="visible", timeout=WAIT_MS)


def test_text_answers_are_saved_without_html(page, stack):
    # Given a text answer with tags in it
    answer_first_question(page, stack, text="Hello <b>bold</b> and <i>more</i> a<b", raw="<b>kept</b>", link="")
    # Then the text is saved without its tags, and a raw answer keeps them
    assert "You said Hello bold and more a" in page.locator(".da-question-title").inner_text()
    assert page.locator(".da-question-title b").count() == 0
    assert page.locator(".da-subquestion b", has_text="kept").count() >= 1


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"], ids=["cross-site", "same-site"])
def test_another_site_cannot_frame_the_interview(page, stack, attacker, host):
    # Given a visitor with a session, on a page of another site that frames the interview
    answer_first_question(page, stack, text="framed target", raw="", link="")
    attacker.html = (f'<iframe id="victim" src="{interview_url(stack)}" width="600" height="400" '
                     'onload="window.__framed = true"></iframe>')
    page.goto(attacker.url(host))
    page.wait_for_function("window.__framed === true", timeout=WAIT_MS)
    # Then the frame shows nothing of the interview
    frames = [f for f in page.frames if f != page.main_frame]
    assert frames
    for frame in frames:
        try:
            shown = frame.evaluate("document.body ? document.body.innerText : ''")
        except Exception:  # noqa: BLE001 - a refused frame may hold no document to ask
            shown = ""
        assert "Answers shown back" not in shown
        assert "framed target" not in shown


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"], ids=["cross-site", "same-site"])
def test_a_link_on_another_site_cannot_run_an_action(page, stack, attacker, host):
    # Given a visitor with a session, who follows a link to an action from a page of another site
    answer_first_question(page, stack, text="visitor", raw="", link="")
    assert "Marked: no" in page.inner_text("body")
    attacker.html = f'<a id="prize" href="{action_link(stack, "mark")}">You won a prize</a>'
    page.goto(attacker.url(host))
    with page.expect_navigation():
        page.locator("#prize").click()
    # Then the action did not run: the visitor is asked to continue on the interview's own page
    assert "Marked: yes" not in page.inner_text("body")
    assert "Answers shown back" in page.inner_text("body")
    page.goto(interview_url(stack))
    assert "Marked: no" in page.inner_text("body")
    # And when the visitor confirms on the interview's own page, it runs
    page.goto(attacker.url(host))
    with page.expect_navigation():
        page.locator("#prize").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Continue").click()
    page.get_by_text("Marked: yes").wait_for(state="visible", timeout=WAIT_MS)


def test_a_start_over_link_on_another_site_cannot_drop_the_visitors_answers(page, stack, attacker):
    # Given a visitor with answers, who follows a link to start the interview again from another site
    answer_first_question(page, stack, text="kept answers", raw="", link="")
    attacker.html = f'<a id="restart" href="{interview_url(stack)}&reset=1">Start again</a>'
    page.goto(attacker.url("localhost"))
    with page.expect_navigation():
        page.locator("#restart").click()
    # Then the visitor is asked, and resuming finds the answers
    with page.expect_navigation():
        page.get_by_role("link", name="Resume").click()
    page.get_by_text("You said kept answers").wait_for(state="visible", timeout=WAIT_MS)


def test_an_action_link_on_the_interview_itself_runs(page, stack):
    # Given a visitor on the interview, when they follow its own url_action() link
    answer_first_question(page, stack, text="visitor", raw="", link="")
    with page.expect_navigation():
        page.get_by_role("link", name="Mark it").click()
    # Then the action ran
    page.get_by_text("Marked: yes").wait_for(state="visible", timeout=WAIT_MS)


def test_a_refused_check_in_is_shown_to_the_visitor(page, stack):
    # Given a screen with a check-in, whose check-ins the server refuses
    answer_first_question(page, stack, text="refused", raw="", link="")
    page.locator(".datargetecho", has_text="echoed").wait_for(state="visible", timeout=WAIT_MS)  # first one done
    refusal = {"error": "unauthorized", "message": "The check-in did not come from this site's page."}
    page.route("**/checkin*", lambda route: route.fulfill(status=403, content_type="application/json",
                                                         body=json.dumps(refusal)))
    page.evaluate("window.daCheckin()")
    # Then the visitor sees why, and the message stays
    flash = page.locator("#daflash")
    flash.get_by_text("did not come from this site", exact=False).wait_for(state="visible", timeout=WAIT_MS)
    page.wait_for_timeout(1000)
    assert "did not come from this site" in flash.inner_text()


def test_a_check_in_that_meets_a_conflict_is_tried_again(page, stack):
    # Given a screen with a check-in whose first tries meet a conflict (another request saved first)
    conflicts = {"left": 2}

    def conflict_then_pass(route):
        if conflicts["left"] > 0:
            conflicts["left"] -= 1
            route.fulfill(status=409, content_type="application/json",
                          body=json.dumps({"error": "conflict", "message": "The session changed; try again."}))
        else:
            route.continue_()

    page.route("**/checkin*", conflict_then_pass)
    answer_first_question(page, stack, text="conflicted", raw="", link="")
    # Then the check-in is tried again and fills its target, with no error shown
    page.locator(".datargetecho", has_text="echoed conflicted").wait_for(state="visible", timeout=WAIT_MS)
    assert conflicts["left"] == 0
    assert "try again" not in page.locator("#daflash").inner_text()


def test_an_interview_that_sends_the_visitor_to_another_site_after_a_post_still_does(page, stack, attacker):
    # Given an interview whose answer exits to another site (the page's policy allows form posts to itself)
    attacker.html = "<h1>Another site</h1>"
    away = attacker.url("localhost") + "bye"
    page.goto(f"{stack.url}/interview?i=leave_for_another_site.yml&reset=1&to={away}")
    # When the visitor answers
    page.get_by_role("button", name="Continue").click()
    # Then the browser gets there
    page.get_by_text("Another site").wait_for(state="visible", timeout=WAIT_MS)
    assert page.url == away
