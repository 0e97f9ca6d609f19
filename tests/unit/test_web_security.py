"""Answers never run as script: the sanitizers, the page's headers and nonces, cross-site action links,
the session cookie, and the bounded text caches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from offstage.app.deps import Deps
from offstage.context import Ports
from offstage.engine.actions import encode_action
from offstage.engine.posted import Invalid, convert
from offstage.http.wiring import use_deps
from offstage.interview import Field
from offstage.interview.registry import InterviewRegistry
from offstage.text import markdown_to_html
from offstage.text.sanitize import safe_html, strip_tags
from offstage.web.page import PageContext, render_error, render_question_page

from tests.conftest import reread_settings
from tests.fakes import (
    FakeQueue,
    FakeSessionStore,
    FakeTaskStore,
    FixedClock,
    LambdaContext,
    http_event,
    load_handler,
)

INTERVIEWS = Path(__file__).resolve().parents[1] / "e2e" / "interviews"
INTERVIEW = "answers_shown_back.yml"

# What would run script if it reached a page as markup
ATTACKS = [
    '<img src=x onerror="alert(1)">',
    '<details open ontoggle="alert(1)">d</details>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  JaVa\tScRiPt:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="data:text/html;base64,PHNjcmlwdD4=">',
    "</script><script>alert(1)</script>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="https://evil.example"><button formaction="javascript:alert(1)">go</button></form>',
    '<button type="submit" formaction="https://evil.example">go</button>',
    '<div style="x" onclick="alert(1)" onmouseover="alert(1)">d</div>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<div id="da-page-data">{"checkinUrl": "https://evil.example"}</div>',
    '<div data-js-show-if="alert(1)">x</div>',
    '<div id="daflash">x</div><p id="daMainQuestion">y</p><b id="daf1">z</b><i id="daConditions">c</i>',
]
SCRIPT_SIGNS = re.compile(r"<script|<iframe|<object|<embed|<base|<meta|<form|<svg|<math|\son\w+\s*=|"
                          r"javascript:|vbscript:|data:text|formaction|srcdoc|id=\"da|data-js", re.I)


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_sanitizer_removes_whatever_can_run_script(attack):
    assert not SCRIPT_SIGNS.search(safe_html(attack)), safe_html(attack)


@pytest.mark.parametrize("markup", [
    "<p><strong>bold</strong> <em>em</em> <u>u</u> <code>c</code></p>",
    "<h2>Heading</h2>",
    "<ul><li>one</li></ul><ol start=\"3\"><li>three</li></ol>",
    "<table><thead><tr><th colspan=\"2\">h</th></tr></thead><tbody><tr><td>a</td><td>b</td></tr></tbody></table>",
    '<div class="alert alert-info" id="note" style="color: red">d</div>',
    '<span class="datargetfeedback"></span>',
    '<ul id="dates"><li id="daily">d</li></ul>',
    '<img src="/static/x.png" alt="x" width="20">',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">',
    '<a href="https://example.com/a?b=1&amp;c=2">https</a>',
    '<a href="http://example.com">http</a>',
    '<a href="mailto:a@example.com">mail</a>',
    '<a href="tel:+15555550100">tel</a>',
    '<a href="/interview?i=x.yml">relative</a>',
    '<a href="#part">fragment</a>',
    '<a class="btn btn-primary" href="/x" target="_blank">button link</a>',
    '<button type="button" class="btn btn-secondary">button</button>',
    "<blockquote>q</blockquote><hr><br>",
    '<details open=""><summary>more</summary>hidden</details>',
])
def test_the_sanitizer_keeps_the_authors_ordinary_markup(markup):
    assert safe_html(markup) == markup


def test_plain_text_goes_through_untouched():
    assert safe_html("Tom & Jerry") == "Tom & Jerry"
    assert safe_html("a < b & c") == "a &lt; b &amp; c"  # the same text, written as HTML
    assert safe_html(None) == ""


@pytest.mark.parametrize(("typed", "saved"), [
    ("Hello <b>bold</b> world", "Hello bold world"),
    ('<img src=x onerror="alert(1)">Kim', "Kim"),
    ("a < b and c > d", "a < b and c > d"),
    ("I <3 offstage, 3 <= 4", "I <3 offstage, 3 <= 4"),
    ("<!-- hidden -->shown", "shown"),
    ("<<b>script>alert(1)<</b>/script>", "alert(1)"),
    ('x <img src=x onerror=alert(1) ', "x "),  # a tag never closed would be closed by the page
    ('" onfocus="alert(1)" autofocus="', '" onfocus="alert(1)" autofocus="'),  # text: escaped where shown
    ("AT&T &amp; co", "AT&T &amp; co"),
])
def test_a_text_answer_loses_its_tags_and_keeps_its_text(typed, saved):
    assert strip_tags(typed) == saved
    assert convert(Field(label="Name", variable="name"), typed, True, False) == saved


@pytest.mark.parametrize("datatype", ["area", "email", "hidden", "combobox", "radio", "dropdown"])
def test_every_text_like_datatype_loses_tags(datatype):
    field = Field(label="X", variable="x", datatype=datatype)
    value = "<b>a@example.com</b>"
    assert convert(field, value, True, False) == "a@example.com"


@pytest.mark.parametrize("datatype", ["raw", "password"])
def test_raw_and_password_answers_keep_what_was_typed(datatype):
    field = Field(label="X", variable="x", datatype=datatype)
    assert convert(field, "<em>kept</em> <3", True, False) == "<em>kept</em> <3"


def test_answers_sent_by_the_api_as_lists_or_dicts_lose_tags_too():
    field = Field(label="X", variable="x")
    assert convert(field, ["<b>a</b>", {"<i>k</i>": "<s>v</s>"}], False, False) == ["a", {"k": "v"}]


def test_a_chosen_value_is_the_authors_even_with_markup_in_it():
    field = Field(label="X", variable="x", datatype="radio")
    assert convert(field, "<b>A</b>", True, False, options=["<b>A</b>", "B"]) == "<b>A</b>"
    with pytest.raises(Invalid):
        convert(field, "<i>C</i>", True, False, options=["<b>A</b>", "B"])


def test_a_markdown_link_to_javascript_built_from_an_answer_leads_nowhere():
    html = markdown_to_html("[click](javascript:alert(1)) and [fine](https://example.com)")
    assert "javascript" not in html
    assert '<a href="https://example.com">fine</a>' in html


def screen(**extra):
    base = {"questionType": "fields", "questionText": "Q", "fields": [], "block_id": "b1"}
    return {**base, **extra}


def render(data, **ctx):
    return render_question_page(data, PageContext(interview="x.yml", action_url="/interview?i=x.yml",
                                                  csrf="tok", **ctx))


def test_every_html_area_of_the_page_is_sanitized():
    attack = '<img src=x onerror="alert(1)"><a href="javascript:alert(2)">l</a>'
    page = render(screen(
        questionText=attack, subquestionText=attack, underText=attack, rightText=attack,
        fields=[{"variable_name": "a", "label": attack, "datatype": "text", "helptext": attack},
                {"variable_name": "b", "label": attack, "datatype": "radio",
                 "choices": [{"label": attack, "value": "v"}]},
                {"html": attack}, {"note": attack}],
        buttons=[{"label": attack, "value": "go"}],
        attachments=[{"name": "Doc", "description": attack, "content": attack}]),
        flash=[attack])
    assert "onerror" not in page
    assert "javascript:" not in page


def test_values_written_into_attributes_cannot_leave_them():
    breaker = '" onfocus="alert(1)" autofocus="'
    page = render(screen(fields=[{"variable_name": "a", "label": "A", "datatype": "text", "default": breaker},
                                 {"variable_name": "b", "label": "B", "datatype": "hidden", "default": breaker}]))
    assert 'onfocus="alert(1)"' not in page
    assert 'value="&quot; onfocus=&quot;alert(1)&quot; autofocus=&quot;"' in page


def nonces(page):
    return set(re.findall(r'<script[^>]*\snonce="([^"]+)"', page))


def test_every_html_response_has_a_fresh_nonce_in_its_policy_and_on_its_scripts():
    from offstage.http.responses import html_response

    page = render(screen(script='<script>flash("hi")</script>', css="<script src=/x.js></script><style></style>",
                         fields=[{"variable_name": "a", "label": "A", "js_show_if": 'val("b") === "x"'}]))
    first, second = html_response(page), html_response(page)
    policies = [r.headers["Content-Security-Policy"] for r in (first, second)]
    found = [nonces(r.body) for r in (first, second)]
    assert all(len(n) == 1 for n in found)
    assert found[0] != found[1]
    for policy, nonce in zip(policies, found, strict=True):
        assert f"script-src 'nonce-{next(iter(nonce))}'" in policy
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"):
            assert directive in policy
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
    # the theme picker, jQuery, Bootstrap, the page's own script, the author's script: and css: scripts,
    # the js show if condition: all nonce'd
    body = str(first.body)
    assert len(re.findall(r"<script(?![^>]*application/json)", body)) == \
        len(re.findall(r"<script[^>]*\snonce=", body)) == 7
    assert 'val("b") === "x"' not in first.body.split("<script")[0]  # not in an attribute: in a script


def test_html_responses_cannot_be_framed_sniffed_or_leak_the_url():
    from offstage.http.responses import html_response

    headers = html_response(render_error(404, "gone")).headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("no-referrer", "same-origin")
    assert "camera=()" in headers["Permissions-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_the_pages_data_cannot_end_its_script_element():
    page = render(screen(questionType="</script><!--<script>"))
    island = re.search(r'<script type="application/json" id="da-page-data">(.*?)</script>', page, re.S)
    assert island
    assert "<" not in island.group(1)
    assert '"questionType": "\\u003c/script>' in island.group(1)


def test_the_authors_own_response_cannot_be_framed_or_sniffed():
    from types import SimpleNamespace

    from offstage.http.present import file_response

    authored = SimpleNamespace(url=None, binary=None, content="<p>report</p>", content_type="text/html",
                               response_code=200)
    headers = file_response(authored, []).headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_an_exit_to_another_site_is_a_page_that_goes_there_and_a_local_one_a_redirect():
    from offstage.http.present import leave_for

    away = leave_for("https://example.org/thanks?a=1&b=2", [])
    assert away.status_code == 200
    assert '<meta http-equiv="refresh" content="0;url=https://example.org/thanks?a=1&amp;b=2">' in away.body
    here = leave_for("/interview?i=x.yml", [])
    assert here.status_code == 303
    assert here.headers["Location"] == "/interview?i=x.yml"


def test_the_check_in_reply_carries_sanitized_html_only():
    from offstage.web.security import safe_checkin_reply

    attack = '<img src=x onerror="alert(1)">shown'
    reply = safe_checkin_reply({"commands": [
        {"action": "a", "value": [{"target": "t", "content": attack}], "extra": "backgroundresponse"},
        {"value": attack, "extra": "flash"},
        {"value": "alert('the author''s own')", "extra": "javascript"}]})
    target, flash, script = reply["commands"]
    assert target["value"] == [{"target": "t", "content": '<img src="x">shown'}]
    assert flash["value"] == '<img src="x">shown'
    assert script["value"] == "alert('the author''s own')"


class Browser:
    """The screen handler called as a browser would, keeping its cookies."""

    def __init__(self) -> None:
        self.handler = load_handler("screen")
        self.cookies: dict[str, str] = {}

    def get(self, query, headers=None):
        event = http_event("GET", "/interview", query, None, headers or {},
                           [f"{k}={v}" for k, v in self.cookies.items()])
        reply = self.handler.lambda_handler(event, LambdaContext())
        for cookie in reply.get("cookies") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return reply


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "1")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "OffstageTest")
    tasks = FakeTaskStore()
    use_deps(Deps(sessions=FakeSessionStore(), interviews=InterviewRegistry([INTERVIEWS]),
                  ports=Ports(clock=FixedClock(), tasks=tasks, queue=FakeQueue(tasks.log)), api_keys=frozenset()))
    yield Browser()
    use_deps(None)


def answered(browser):
    """A visitor whose session is at the screen that says whether `mark` ran."""
    from offstage.http import cookies

    browser.get({"i": INTERVIEW})
    name, value = next(iter(browser.cookies.items()))
    session = cookies.BrowserSession.decode(value)
    assert session is not None
    body = f"_csrf={session.csrf}&payload=visitor&raw_payload=&area_payload=&link_payload="
    event = http_event("POST", "/interview", {"i": INTERVIEW}, body,
                     {"content-type": "application/x-www-form-urlencoded"}, [f"{name}={value}"])
    reply = browser.handler.lambda_handler(event, LambdaContext())
    assert "Marked: no" in reply["body"]


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_an_action_link_followed_from_another_site_asks_before_running(browser, site):
    answered(browser)
    link = {"i": INTERVIEW, "action": encode_action("mark", {})}
    asked = browser.get(link, {"Sec-Fetch-Site": site})
    assert asked["statusCode"] == 200
    assert "Continue to Answers shown back?" in asked["body"]
    assert re.search(r'<a href="/interview\?i=answers_shown_back.yml&amp;action=[\w-]+"[^>]*>Continue</a>',
                     asked["body"])
    assert "Marked: no" in browser.get({"i": INTERVIEW})["body"]


@pytest.mark.parametrize("site", ["same-origin", "none", None])
def test_an_action_link_from_the_interview_itself_or_typed_in_runs(browser, site):
    answered(browser)
    link = {"i": INTERVIEW, "action": encode_action("mark", {})}
    page = browser.get(link, {"Sec-Fetch-Site": site} if site else {})
    assert "Marked: yes" in page["body"]


def test_a_start_over_link_from_another_site_asks_before_dropping_the_visitors_answers(browser):
    answered(browser)
    asked = browser.get({"i": INTERVIEW, "reset": "1"}, {"Sec-Fetch-Site": "cross-site"})
    assert asked["statusCode"] == 200
    assert "Start Answers shown back again?" in asked["body"]
    assert '<a href="/interview?i=answers_shown_back.yml" class="btn btn-da btn-primary">Resume</a>' in asked["body"]
    assert "Marked: no" in browser.get({"i": INTERVIEW})["body"]  # the answers are still this browser's


def test_a_start_link_from_another_site_starts_at_once_for_a_new_visitor(browser):
    started = browser.get({"i": INTERVIEW, "reset": "1"}, {"Sec-Fetch-Site": "cross-site"})
    assert started["statusCode"] == 303
    assert browser.cookies


def test_the_session_cookie_is_http_only_same_site_lax_and_secure_outside_the_local_stack(monkeypatch):
    from offstage.http import cookies

    session = cookies.BrowserSession.fresh("s1", "secret")
    monkeypatch.delenv("OFFSTAGE_LOCAL", raising=False)
    deployed = str(cookies.make("x.yml", session))
    assert "HttpOnly" in deployed
    assert "SameSite=Lax" in deployed
    assert "Secure" in deployed
    monkeypatch.setenv("OFFSTAGE_LOCAL", "1")
    reread_settings()
    local = str(cookies.make("x.yml", session))
    assert "HttpOnly" in local
    assert "SameSite=Lax" in local
    assert "Secure" not in local


def test_the_template_cache_keeps_a_bounded_number_of_texts():
    from offstage.text import mako

    for n in range(mako._CACHE_SIZE + 50):
        assert mako.render(f"${{ who }} {n}", {"who": "Kim"}) == f"Kim {n}"
    assert len(mako._CACHE) == mako._CACHE_SIZE


def test_the_markdown_and_sanitizer_caches_are_bounded_and_skip_long_texts():
    from offstage.text import markdown, sanitize

    long_text = "<b>x</b>" * 1000
    markdown_to_html(long_text)
    assert (long_text, False) not in markdown._CACHE
    for n in range(sanitize._CACHE_SIZE + 10):
        safe_html(f"<b>{n}</b>")
    assert len(sanitize._CACHE) == sanitize._CACHE_SIZE
