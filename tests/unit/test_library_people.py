"""People, names, addresses and things: what they say about themselves and what they ask for."""

from __future__ import annotations

import datetime as dt

import pytest
from offstage.context import InterviewContext, Ports, UserInfo, use
from offstage.interview.loader import load_interview_text
from offstage.library.addresses import Address, City
from offstage.library.info import set_info
from offstage.library.names import IndividualName, Name
from offstage.library.people import Individual, Organization, Person
from offstage.library.things import Event, Thing

from tests.support.harness import Harness


def asked(action):
    with pytest.raises((AttributeError, LookupError)) as caught:
        action()
    return caught.value.offstage_name


def test_an_individual_is_its_full_name_and_asks_for_the_first_name_first():
    client = Individual("client")
    assert asked(lambda: str(client)) == "client.name.first"
    client.name.first = "John"
    assert str(client) == "John"  # middle, last and suffix are used when given, never asked
    client.name.middle, client.name.last, client.name.suffix = "Quincy", "Adams", "Jr."
    assert client.name.full() == "John Q. Adams Jr."
    assert client.name.full(middle="full") == "John Quincy Adams Jr."
    assert client.name.firstlast() == "John Adams Jr."
    assert client.name.lastfirst() == "Adams, John Q. Jr."
    assert client.name.middle_initial(with_period=False) == "Q"
    assert client.familiar() == "John"
    assert client.identified()


def test_setting_a_name_as_text_sets_its_text():
    company = Person("company")
    assert asked(lambda: str(company)) == "company.name.text"
    company.name = "ABC Corporation"
    assert str(company) == "ABC Corporation"
    assert isinstance(company.name, Name)
    person = Individual("person")
    person.name = "Prince"
    assert str(person) == "Prince"
    assert person.name.uses_parts is False


def test_pronouns_follow_gender_and_ask_for_it():
    judge = Individual("judge")
    judge.name.first = "Sam"
    assert asked(lambda: judge.pronoun()) == "judge.gender"
    judge.gender = "female"
    assert (judge.pronoun(), judge.pronoun_subjective(), judge.pronoun_possessive("robe")) \
        == ("her", "she", "her robe")
    judge.gender = "other"
    assert (judge.pronoun(capitalize=True), judge.pronoun_subjective(), judge.pronoun_possessive("robe")) \
        == ("Them", "they", "their robe")
    judge.gender = "male"
    assert judge.pronoun_possessive("robe", capitalize=True) == "His robe"
    assert Thing("rock").pronoun() == "it"


def test_the_user_is_you():
    ctx = InterviewContext(interview=None, answers={}, session_id="s", interview_name="i.yml", user=UserInfo(),
                           ports=Ports())
    client, other = Individual("client"), Individual("other")
    for person, first in ((client, "Jane"), (other, "Bob")):
        person.name.first, person.name.last, person.gender = first, "Doe", "male"
    with use(ctx):
        set_info(user=client)
        assert client.is_user()
        assert not other.is_user()
        assert client.possessive("fish") == "your fish"
        assert other.possessive("fish") == "Bob Doe's fish"
        assert client.object_possessive("name") == "your name"
        assert other.object_possessive("name") == "the other's name"
        assert client.pronoun() == "you"
        assert other.pronoun() == "him"
        assert client.pronoun_possessive("hat", third_person=True) == "his hat"
        assert client.do_question("testify") == "do you testify"
        assert other.do_question("testify") == "does Bob Doe testify"
        assert other.did_question("lie", capitalize=True) == "Did Bob Doe lie"
        assert other.were_question("there") == "was Bob Doe there"
        assert other.have_question("paid") == "has Bob Doe paid"
        assert other.does_verb("testify") == "testifies"
        assert client.does_verb("testify") == "testify"
        assert other.did_verb("testify") == "testified"
        assert client.is_are_you(capitalize=True) == "Are you"
        assert other.is_are_you() == "is Bob Doe"
        assert client.yourself_or_name() == "yourself"
        assert other.yourself_or_name() == "Bob Doe"


def test_age_in_years_prefers_age_and_otherwise_counts_from_the_birthdate():
    child = Individual("child")
    assert asked(lambda: child.age_in_years()) == "child.birthdate"
    child.birthdate = dt.date(2010, 6, 15)
    assert child.age_in_years(as_of="2020-06-14") == 9
    assert child.age_in_years(as_of="2020-06-15") == 10
    assert 9.9 < child.age_in_years(decimals=True, as_of="2020-06-01") < 10
    assert child.age_in_months(as_of="2011-01-15") == 7
    child.age = 12
    assert child.age_in_years() == 12


def test_an_address_block_and_one_line():
    home = Address("home")
    assert asked(lambda: str(home)) == "home.address"
    home.address, home.city, home.state, home.zip = "123 Main Street", "Springfield", "MA", "01199"
    assert home.on_one_line() == "123 Main Street, Springfield, MA 01199"
    home.unit = "2000"
    assert home.formatted_unit() == "Unit 2000"
    assert home.block() == "123 Main Street, Unit 2000 [NEWLINE] Springfield, MA 01199"
    home.country = "CA"
    assert home.block().endswith("[NEWLINE] Canada")
    assert home.block(show_country=False).endswith("01199")
    town = City("town", city="Boston", state="MA")
    assert str(town) == "Boston, MA"
    assert home.geocode() is False  # no geocoder, as docassemble without one configured
    assert home.geolocated is True
    assert home.geolocate_success is False
    assert home.address == "123 Main Street"  # nothing filled in or changed


def test_salutation():
    doctor = Individual("doctor")
    doctor.name.first, doctor.name.last, doctor.gender = "Ann", "Lee", "female"
    assert doctor.salutation() == "Ms."
    assert doctor.salutation(with_name_and_punctuation=True) == "Ms. Lee:"
    doctor.is_doctor = True
    assert doctor.salutation(with_name=True) == "Dr. Lee"


def test_things_events_and_organizations_have_their_parts():
    rock = Thing("pet_rock")
    assert asked(lambda: str(rock)) == "pet_rock.name.text"
    party = Event("party")
    assert isinstance(party.address, City)
    assert party.address.instanceName == "party.address"
    agency = Organization("agency", handles=["Divorce"], serves=["Hampshire County"])
    agency.name = "Legal Aid"
    assert agency.will_handle(problem="Divorce", county="Hampshire County")
    assert not agency.will_handle(problem="Tax")
    assert agency.office.instanceName == "agency.office"
    assert isinstance(Individual("x").name, IndividualName)


PEOPLE = """\
objects:
  - client: Individual
  - children: DAList.using(object_type=Individual, there_are_any=True)
---
initial: True
code: |
  set_info(user=client)
---
mandatory: True
code: |
  children[0].name.first = "Ann"
  client.birthdate
  lawyer.gender
  final
---
code: |
  lawyer = Individual()
  lawyer.name.first = "Lou"
---
question: What is ${ client.object_possessive('name') }?
fields:
  - First name: client.name.first
  - Birthdate: client.birthdate
    datatype: date
---
question: Is ${ lawyer.name.first } male or female?
field: lawyer.gender
choices:
  - Male: male
  - Female: female
---
event: final
question: |
  ${ client } (${ client.age_in_years(as_of='2026-01-01') }), ${ children[0] } and ${ lawyer }.
subquestion: |
  ${ lawyer.pronoun_subjective(capitalize=True) } is ${ lawyer.pronoun_possessive('client') }'s lawyer;
  the lawyer is named `${ lawyer.instanceName }`.
"""


def test_an_interview_asks_about_people_and_names_the_objects_it_makes():
    h = Harness(load_interview_text(PEOPLE))
    assert "What is your name?" in h.text
    h.answer({"First name": "Jane", "Birthdate": "1990-03-01"})
    assert "Is Lou male or female?" in h.text  # `lawyer = Individual()` named itself: its gender was asked
    h.answer({"lawyer.gender": "female"})
    assert "Jane (35), Ann and Lou." in h.text
    assert "She is her client’s lawyer" in h.text  # noqa: RUF001 - Markdown's typographic apostrophe and "named lawyer" in h.text
    assert type(h.answers["children"][0]) is Individual
    assert h.answers["children"][0].instanceName == "children[0]"
