"""Functions real interviews call: page parts, menus, links, dispatch, verbs, phones, DAStore, validation."""

from __future__ import annotations

import pytest
from offstage.context import UserInfo
from offstage.interview.loader import load_interview_text
from offstage.library.finance import period_list
from offstage.library.grammar import verb_past, verb_present
from offstage.library.phone import phone_number_formatted, phone_number_in_e164, phone_number_is_valid
from offstage.library.validation import DAValidationError, validation_error

from tests.support.harness import Harness

PARTS = """\
mandatory: True
code: |
  set_parts(title="Custom title", continue_button_label="Onward")
  prevent_going_back()
---
question: First
continue button field: first_seen
---
mandatory: True
question: Second
subquestion: |
  Menu: ${ action_menu_item('Review', 'review', section=2)['url'] }
  Restart: ${ url_of('new_session') }
"""


def test_set_parts_and_prevent_going_back_reach_the_screen():
    h = Harness(load_interview_text(PARTS), url_root="https://forms.example")
    screen = h.screen
    assert screen.title == "Custom title"
    assert screen.continue_label == "Onward"
    assert screen.can_go_back is False
    h.press("Onward")
    assert "Second" in h.text
    assert "https://forms.example/interview?i=interview.yml&amp;action=" in h.screen.subquestion_text \
        or "https://forms.example/interview?i=interview.yml&action=" in h.text
    assert "Restart: https://forms.example/interview?i=interview.yml" in h.text


def test_set_parts_accepts_docassemble_parts_it_does_not_show_and_refuses_unknown_ones():
    h = Harness(load_interview_text('mandatory: True\ncode: |\n  set_parts(logo="<img>")\n'
                                    '---\nmandatory: True\nquestion: Shown\n'))
    assert "Shown" in h.text
    h = Harness(load_interview_text('mandatory: True\ncode: |\n  set_parts(lgo="<img>")\n'))
    assert "there is no screen part 'lgo'" in h.text


def test_url_of_a_place_offstage_does_not_have_names_it():
    h = Harness(load_interview_text("mandatory: True\nquestion: ${ url_of('login') }\n"))
    assert "url_of('login'): offstage has no such place" in h.text


DISPATCH = """\
mandatory: True
code: |
  dispatch('main_menu_selection')
  done
---
question: Main menu
field: main_menu_selection
buttons:
  - Fruit: fruit_page
  - Finished: None
---
question: You picked fruit
continue button field: fruit_page
---
event: done
question: All done
"""


def test_dispatch_shows_the_chosen_screen_then_the_menu_again():
    h = Harness(load_interview_text(DISPATCH))
    assert "Main menu" in h.text
    h.press("Fruit")
    assert "You picked fruit" in h.text
    h.press("Continue")
    assert "Main menu" in h.text  # the choice and the page were undefined: asked again
    h.press("Finished")
    assert "All done" in h.text


def test_verbs():
    assert verb_present("testify") == "testifies"
    assert verb_present("testify", "2") == "testify"
    assert verb_present("be", "1") == "am"
    assert verb_present("have") == "has"
    assert verb_past("testify") == "testified"
    assert verb_past("go") == "went"
    assert verb_past("be", "2") == "were"
    assert verb_past("stop") == "stopped"
    assert verb_past("visit") == "visited"
    assert verb_past("file") == "filed"


def test_period_list_is_choices_of_times_a_year():
    assert [12, "Per Month"] in period_list()
    assert [1, "Per Year"] in period_list()


def test_phone_numbers_of_the_north_american_plan():
    assert phone_number_is_valid("(202) 555-0123", "US")
    assert not phone_number_is_valid("555-0123", "US")
    assert phone_number_in_e164("202.555.0123", "US") == "+12025550123"
    assert phone_number_formatted("2025550123", "US") == "(202) 555-0123"
    assert phone_number_formatted("+44 20 7946 0958", "GB") == "+44 20 7946 0958"  # given back as typed
    assert phone_number_is_valid("+44 20 7946 0958")


def test_validation_error_carries_its_message():
    with pytest.raises(DAValidationError, match="Too young") as caught:
        validation_error("Too young", field="age")
    assert caught.value.field == "age"


STORE = """\
objects:
  - store: DAStore.using(base='user')
---
mandatory: True
code: |
  if store.defined('color'):
    remembered = store.get('color')
  else:
    remembered = 'nothing yet'
  favorite.name.first
  store.set('color', favorite)
  final
---
objects:
  - favorite: Individual
---
question: Who?
fields:
  - Name: favorite.name.first
---
event: final
question: Remembered ${ remembered }; now ${ favorite }.
"""


def test_dastore_keeps_objects_for_a_user_across_sessions():
    user = UserInfo(id="7", email="u@example.com", logged_in=True)
    first = Harness(load_interview_text(STORE), user=user)
    first.answer({"Name": "Ann"})
    assert "Remembered nothing yet; now Ann." in first.text
    second = Harness(load_interview_text(STORE), user=user, start=False)
    second.kv = first.kv  # the same key-value store: another session of the same user
    second.step()
    second.answer({"Name": "Bob"})
    assert "Remembered Ann; now Bob." in second.text


def test_dastore_for_an_anonymous_user_lasts_as_long_as_the_session():
    h = Harness(load_interview_text(STORE))
    h.answer({"Name": "Ann"})
    assert "Remembered nothing yet; now Ann." in h.text
    assert any(key.startswith(f"da:store:session:interview.yml:{h.session_id}:") for key in h.kv.data)
    other = Harness(load_interview_text(STORE), start=False)
    other.kv = h.kv
    other.step()
    other.answer({"Name": "Bob"})
    assert "Remembered nothing yet; now Bob." in other.text  # another anonymous session sees nothing


def test_info_and_config():
    h = Harness(load_interview_text("""\
mandatory: True
question: ${ interface() } / ${ get_config('timezone') is not None } / ${ get_config('my package key', 'dflt') } / ${ language_from_browser("en", "es") } / ${ get_country() }
"""))
    assert "web / True / dflt / None / US" in h.text


CONTACTS = """\
object: Individual
module: docassemble.base.util
items:
  - name:
      object: IndividualName
      item:
        first: Fred
        last: Smith
    email: fred@example.com
  - name:
      object: IndividualName
      item:
        first: Larry
        last: Jones
    skills:
      - stapling
"""

FROM_FILE = """\
mandatory: True
code: |
  contacts = objects_from_file("data/sources/contacts.yml")
  where, kind = path_and_mimetype("data/sources/contacts.yml")
---
mandatory: True
question: ${ contacts } (${ contacts[0].name.instanceName }, ${ contacts[1].skills[0] }, ${ kind })
subquestion: |
  ${ action_button_html(url_of('new_session'), label='Start <over>', color='primary') }
  ${ alpha(27) } ${ roman(3, case='upper') } ${ item_label(1, 3) } ${ all_variables()['contacts'][0]['email'] }
"""


def test_objects_from_file_builds_named_objects_from_a_file_of_the_interview(tmp_path):
    (tmp_path / "data" / "sources").mkdir(parents=True)
    (tmp_path / "data" / "sources" / "contacts.yml").write_text(CONTACTS)
    (tmp_path / "from_file.yml").write_text(FROM_FILE)
    h = Harness(tmp_path / "from_file.yml")
    assert "Fred Smith and Larry Jones (contacts[0].name, stapling, text/yaml)" in h.text
    assert "AB IV b) fred@example.com" in h.text
    assert 'class="btn btn-sm btn-primary btn-darevisit"' in h.screen.subquestion_text
    assert "Start &lt;over&gt;" in h.screen.subquestion_text


def test_a_file_reference_never_leaves_its_folder(tmp_path):
    (tmp_path / "escape.yml").write_text('mandatory: True\nquestion: ${ path_and_mimetype("../../etc/passwd") }\n')
    h = Harness(tmp_path / "escape.yml")
    assert "'../../etc/passwd' is not a file reference" in h.text
    assert "root:" not in h.text
