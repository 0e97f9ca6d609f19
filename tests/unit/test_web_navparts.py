"""The page's surroundings in docassemble's markup: progress bar, section navigation, navbar parts,
footer, decoration, image references and their credits; author HTML is sanitized on the way."""

from __future__ import annotations

from offstage.web.page import MenuItem, PageContext, render_question_page
from offstage.web.progress import progress_bar
from offstage.web.sections import section_nav

from tests.unit.test_web_render import Tree


def page(screen, **ctx):
    base = {"questionType": "fields", "questionText": "Q", "fields": []}
    return render_question_page(base | screen, PageContext(interview="x.yml", action_url="/interview?i=x.yml",
                                                           csrf="tok", **ctx))


def test_the_progress_bar_is_bootstraps_with_aria_values_hidden_at_zero_and_full_past_100():
    tree = Tree(progress_bar(42.7))
    bar = tree.find("div", role="progressbar")[0]
    assert bar["attrs"]["aria-valuenow"] == "42"
    assert (bar["attrs"]["aria-valuemin"], bar["attrs"]["aria-valuemax"]) == ("0", "100")
    assert tree.find("div", class_="progress-bar")[0]["attrs"]["style"] == "width: 42.7%"
    assert tree.find("div", class_="progress-bar")[0]["text"] == ""
    assert Tree(progress_bar(30, show_percentage=True)).find("div", class_="progress-bar")[0]["text"] == "30%"
    assert progress_bar(0) == ""
    assert progress_bar(None) == ""
    assert "width: 100%" in progress_bar(250)


def test_a_page_without_a_progress_value_has_no_bar():
    assert 'role="progressbar"' not in page({})
    assert 'role="progressbar"' in page({"progress": 12.0})


SECTIONS = {"style": "vertical", "items": [
    {"title": "Intro <1>", "key": "intro", "state": "past", "url": "/interview?i=x.yml&action=abc", "open": False,
     "subsections": []},
    {"title": "About", "key": "about", "state": "active", "url": None, "open": True, "subsections": [
        {"title": "Contact", "key": "contact", "state": "active", "url": None, "open": False, "subsections": []},
        {"title": "Later", "key": "later", "state": "future", "url": None, "open": False, "subsections": []}]},
    {"title": "End", "key": "end", "state": "future", "url": None, "open": False, "subsections": []}]}


def test_vertical_sections_a_sidebar_on_wide_screens_with_the_current_one_highlighted_and_past_ones_linked():
    vertical, horizontal = section_nav(SECTIONS)
    tree = Tree(vertical)
    sidebar = tree.find("nav", **{"aria-label": "Sections"})[0]
    assert "d-none d-md-block" in sidebar["attrs"]["class"]
    link = tree.find("a", **{"data-key": "intro"})[0]
    assert link["attrs"]["href"] == "/interview?i=x.yml&action=abc"
    assert "daclickable" in link["attrs"]["class"]
    assert link["text"] == "Intro <1>"  # a title is text
    current = [e for e in tree.elements if e["attrs"].get("aria-current") == "step"]
    assert [e["text"] for e in current] == ["About", "Contact"]
    later = [e for e in tree.elements if "danotavailableyet" in (e["attrs"].get("class") or "")]
    assert [e["text"] for e in later] == ["Later", "End"]
    assert tree.find("a", **{"data-key": "end"}) == []
    assert "d-md-none" in Tree(horizontal).find("nav")[0]["attrs"]["class"]  # the phone's bar


def test_horizontal_sections_are_one_bar_on_every_screen():
    vertical, horizontal = section_nav(SECTIONS | {"style": "horizontal"})
    assert vertical == ""
    nav = Tree(horizontal).find("nav")[0]
    assert "d-md-none" not in nav["attrs"]["class"]
    assert section_nav(None) == ("", "")


def test_the_page_puts_the_sections_beside_the_question():
    tree = Tree(page({"sections": SECTIONS}))
    assert tree.find("div", class_="row")
    assert tree.find("a", **{"data-key": "intro"})
    assert tree.find("main", id="damain")


def test_the_logo_and_short_logo_take_the_titles_place_and_author_html_is_sanitized():
    html = page({"parts": {"logo": '<img src="/l.png" alt="Our logo" onerror="alert(1)"><script>x()</script>',
                           "short logo": "<b>S</b>"}})
    tree = Tree(html)
    brand = tree.find("span", id="dapagetitle")[0]
    assert "Our logo" in html
    assert "onerror" not in html
    assert "x()" not in html
    assert brand["text"] == "S"
    assert tree.find("span", class_="d-md-none")[0]["text"] == "S"


def test_the_short_title_on_phones_and_the_title_url_as_a_link():
    tree = Tree(page({"title": "A long title", "parts": {"short title": "Short", "title url": "https://example.com"}}))
    brand = tree.find("a", id="dapagetitle")[0]
    assert brand["attrs"]["href"] == "https://example.com"
    assert brand["attrs"]["target"] == "_blank"
    assert tree.find("span", class_="d-none d-md-inline")[0]["text"] == "A long title"
    assert tree.find("span", class_="d-md-none")[0]["text"] == "Short"
    same_window = Tree(page({"parts": {"title url": "/elsewhere", "title url opens in other window": "False"}}))
    assert "target" not in same_window.find("a", id="dapagetitle")[0]["attrs"]
    assert Tree(page({"parts": {"title url": "javascript:alert(1)"}})).find("a", id="dapagetitle") == []


def test_tab_title_footer_navigation_bar_html_and_css_class():
    html = page({"title": "Interview", "cssClass": "mine", "parts": {
        "tab title": "Tab name", "footer": "<p>Foot <em>note</em></p>",
        "navigation bar html": '<li class="nav-item"><a class="nav-link" href="/x">Extra</a></li><script>bad()</script>'}})
    tree = Tree(html)
    assert tree.find("title")[0]["text"] == "Tab name"
    assert "mine" in tree.find("body")[0]["attrs"]["class"].split()
    assert tree.find("footer")[0]["text"] == "Foot note"
    assert tree.find("a", href="/x")[0]["text"] == "Extra"
    assert "bad()" not in html


def test_exit_label_names_the_exit_item_and_leave_goes_to_the_exit_url():
    menu = [MenuItem("Restart", "/interview?i=x.yml&reset=1"), MenuItem("Exit", "/interview?i=x.yml&exit=1")]
    tree = Tree(page({"parts": {"exit label": "Quit"}}, menu=menu))
    assert [a["text"] for a in tree.find("a", class_="dropdown-item")] == ["Restart", "Quit"]
    assert tree.find("a", class_="dropdown-item")[1]["attrs"]["href"] == "/interview?i=x.yml&exit=1"
    tree = Tree(page({"parts": {"exit link": "leave", "exit url": "https://example.com/bye"}}, menu=menu))
    assert tree.find("a", class_="dropdown-item")[1]["attrs"]["href"] == "https://example.com/bye"


def test_a_decoration_and_named_images_are_pictures_and_other_names_stay_icons():
    html = page({"questionText": "Stars :star: and :bed:", "decoration": "star",
                 "images": {"star": "/packagestatic/-/star.svg?v=1"},
                 "attributions": ["<p>Icon by <a href=\"https://example.com\">someone</a></p>"]})
    tree = Tree(html)
    title_images = [e for e in tree.elements if e["tag"] == "img"]
    assert [i["attrs"]["class"] for i in title_images] == ["daiconfloat", "daicon"]
    assert all(i["attrs"]["alt"] == "" for i in title_images)
    assert all(i["attrs"]["src"] == "/packagestatic/-/star.svg?v=1" for i in title_images)
    assert tree.find("i", class_="fas fa-bed")
    assert "Icon by someone" in tree.find("div", class_="daattributions small")[0]["text"]


def test_a_decoration_the_interview_does_not_define_is_its_icon():
    tree = Tree(page({"decoration": "bed"}))
    assert tree.find("i", class_="fas fa-bed")


def test_small_screen_navigation_false_hides_the_phones_bar_and_dropdown_makes_it_a_menu():
    _, above = section_nav(SECTIONS | {"phone": "none"})
    assert above == ""
    _, above = section_nav(SECTIONS | {"style": "horizontal", "phone": "none"})
    assert "d-none d-md-block" in Tree(above).find("nav")[0]["attrs"]["class"]
    _, above = section_nav(SECTIONS | {"phone": "dropdown"})
    tree = Tree(above)
    menu = tree.find("nav", **{"aria-label": "Sections"})[0]
    assert "d-md-none" in menu["attrs"]["class"]
    assert tree.find("button", id="dasectionsdropdown")[0]["text"] == "Contact"  # the innermost current one
    assert tree.find("a", class_="dropdown-item daclickable")[0]["attrs"]["href"] == "/interview?i=x.yml&action=abc"
    assert len(tree.find("li")) == 5  # every section and subsection


def test_navigation_back_button_false_leaves_the_navbar_without_back():
    assert "dabackicon" in page({"can_go_back": True})
    assert "dabackicon" not in page({"can_go_back": True, "navbarBack": False})


def test_a_decoration_name_from_interview_text_cannot_write_markup():
    tree = Tree(page({"decoration": '<img src=x onerror="alert(1)">'}))
    assert not [e for e in tree.elements if e["tag"] == "img" or "onerror" in e["attrs"]]
    assert '<img src=x onerror="alert(1)">' in tree.find("span", class_="dadecoration")[0]["text"]  # as text
