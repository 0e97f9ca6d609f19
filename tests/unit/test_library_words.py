"""English text helpers behave as docassemble documents them."""

from __future__ import annotations

from offstage.library.words import (
    bold,
    capitalize,
    comma_and_list,
    comma_list,
    currency,
    fix_punctuation,
    indefinite_article,
    indent,
    italic,
    nice_number,
    noun_plural,
    noun_singular,
    plain,
    quantity_noun,
    quote_paragraphs,
    single_paragraph,
    space_to_underscore,
    title_case,
    verbatim,
)

THINGS = ["lions", "tigers", "bears"]


def test_comma_and_list_variants():
    assert comma_and_list(THINGS) == "lions, tigers, and bears"
    assert comma_and_list(THINGS, oxford=False) == "lions, tigers and bears"
    assert comma_and_list("fish", "toads") == "fish and toads"
    assert comma_and_list("fish") == "fish"
    assert comma_and_list("fish", "toads", "frogs", and_string="or") == "fish, toads, or frogs"
    assert comma_and_list("fish", "toads", "frogs", comma_string="; ") == "fish; toads; and frogs"
    assert comma_and_list("fish", "toads", "frogs", before_and="---") == "fish, toads,---and frogs"
    assert comma_list(THINGS, comma_string="; ") == "lions; tigers; bears"


def test_numbers_in_words():
    assert [nice_number(4), nice_number(10), nice_number(11), nice_number(5.0)] == ["four", "ten", "11", "five"]
    assert nice_number(10, capitalize=True) == "Ten"
    assert nice_number(23423) == "23,423"
    assert nice_number(12873818.27774) == "12,873,818.28"
    assert nice_number(5.1) == "5.1"
    assert nice_number(-1) == "-1"
    assert nice_number(501, use_word=True) == "five hundred and one"
    assert nice_number(-1, use_word=True) == "minus one"
    assert nice_number(5.1, use_word=True) == "five point one"
    assert currency(45.2) == "$45.20"
    assert currency(45, decimals=False) == "$45"
    assert currency(1234.5, symbol="€") == "€1,234.50"


def test_nouns():
    assert noun_plural("friend") == "friends"
    assert noun_plural("fish") == "fish"
    assert noun_plural("time", 1) == "time"
    assert noun_plural("time", 3) == "times"
    assert noun_plural("barrels") == "barrels"
    assert noun_plural("party", [1, 2]) == "parties"
    assert noun_singular("friends") == "friend"
    assert noun_singular("fishes") == "fish"
    assert quantity_noun(2, "apple") == "two apples"
    assert quantity_noun(1, "apple") == "one apple"
    assert quantity_noun(144, "apple") == "144 apples"
    assert quantity_noun(1.5, "apple") == "two apples"
    assert quantity_noun(1.5, "apple", as_integer=False) == "1.5 apples"
    assert indefinite_article("bean") == "a bean"
    assert indefinite_article("apple") == "an apple"


def test_markup_helpers():
    assert bold("202-555") == "**202-555**"
    assert bold("") == ""
    assert bold("", default="n/a") == "**n/a**"
    assert italic("apple") == "_apple_"
    assert plain(None, default="none") == "none"
    assert fix_punctuation("I have a valid claim") == "I have a valid claim."
    assert fix_punctuation("Really?") == "Really?"
    assert fix_punctuation("Go", mark="!") == "Go!"
    assert indent("a\nb") == "    a\n    b"
    assert indent("a", by=2) == "  a"
    assert quote_paragraphs("one\n\ntwo") == "> one\n>\n> two"
    assert single_paragraph("one\n\ntwo") == "one two"
    assert space_to_underscore("John Wilkes Booth") == "John_Wilkes_Booth"
    assert space_to_underscore("../etc/passwd; rm") == "etcpasswd_rm"
    assert "<b>" not in verbatim("<b>*x*</b>")
    assert "\\*x\\*" in verbatim("*x*")
    assert capitalize("spaghetti marinara") == "Spaghetti marinara"
    assert title_case("the lord of the rings") == "The Lord of the Rings"


def test_possessify_adds_apostrophe_s_even_after_an_s_unless_plural_as_docassemble() -> None:
    from offstage.library.grammar import possessify

    assert possessify("Sally Jones", "favorite fruit") == "Sally Jones's favorite fruit"
    assert possessify("the plaintiffs", "fish", plural=True) == "the plaintiffs' fish"
