"""English verb forms and possessive/objective pronouns, as docassemble's language functions give them.

`verb_present('testify', 3)` is 'testifies', `verb_past('testify')` 'testified'; `her('fish')` is
'her fish'. Only English is known (as the rest of offstage's words); other languages get English.
"""

from __future__ import annotations

import re
from typing import Any

from offstage.library.words import capitalize_text

# verbs whose past tense is not made by adding -ed
_IRREGULAR_PAST = {
    "be": "was", "am": "was", "is": "was", "are": "were", "have": "had", "has": "had", "do": "did",
    "does": "did", "go": "went", "goes": "went", "say": "said", "make": "made", "get": "got", "know": "knew",
    "think": "thought", "take": "took", "see": "saw", "come": "came", "give": "gave", "find": "found",
    "tell": "told", "become": "became", "leave": "left", "feel": "felt", "bring": "brought", "begin": "began",
    "keep": "kept", "hold": "held", "write": "wrote", "stand": "stood", "hear": "heard", "let": "let",
    "mean": "meant", "set": "set", "meet": "met", "run": "ran", "pay": "paid", "sit": "sat", "speak": "spoke",
    "lie": "lied", "lead": "led", "read": "read", "grow": "grew", "lose": "lost", "fall": "fell", "send": "sent",
    "build": "built", "understand": "understood", "draw": "drew", "break": "broke", "spend": "spent",
    "cut": "cut", "rise": "rose", "drive": "drove", "buy": "bought", "wear": "wore", "choose": "chose",
    "seek": "sought", "throw": "threw", "catch": "caught", "deal": "dealt", "win": "won", "forget": "forgot",
    "sell": "sold", "fight": "fought", "teach": "taught", "eat": "ate", "sing": "sang", "swim": "swam",
    "drink": "drank", "sleep": "slept", "put": "put", "hit": "hit", "quit": "quit", "shut": "shut",
    "hurt": "hurt", "cost": "cost", "steal": "stole", "flee": "fled", "owe": "owed", "file": "filed",
    "live": "lived", "move": "moved", "marry": "married",
}
_PERSON = {"1": "1", "2": "2", "3": "3", "1sg": "1", "2sg": "2", "3sg": "3", "1pl": "p", "2pl": "p",
           "3pl": "p", "pl": "p", "plural": "p", "p": "p"}


def _third_singular(verb: str) -> str:
    if verb in ("be", "am", "are", "is"):
        return "is"
    if verb in ("have", "has"):
        return "has"
    if verb in ("do", "go"):
        return verb + "es"
    if re.search(r"(s|x|z|ch|sh|o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


def _base(verb: str) -> str:
    """The plain form of a verb given in any person: 'testifies' -> 'testify', 'is' -> 'be'."""
    if verb in ("is", "am", "are", "was", "were"):
        return "be"
    if verb == "has":
        return "have"
    if verb in ("does", "goes"):
        return verb[:-2]
    return verb


def verb_present(verb: Any, *pargs: Any, **kwargs: Any) -> str:
    """The present tense: ('testify') -> 'testifies' (third person singular, docassemble's default);
    a person '1', '2', 'pl' ... as the second argument gives 'testify'."""
    text = str(verb)
    person = _PERSON.get(str(pargs[0]), "3") if pargs else "3"
    base = _base(text.lower())
    if base == "be":
        result = {"1": "am", "2": "are", "3": "is", "p": "are"}[person]
    elif person == "3":
        result = _third_singular(base)
    else:
        result = base
    return capitalize_text(result) if kwargs.get("capitalize") else result


def verb_past(verb: Any, *pargs: Any, **kwargs: Any) -> str:
    """The past tense: 'testify' -> 'testified', 'go' -> 'went'; 'be' is 'were' for '2' and plurals."""
    base = _base(str(verb).lower())
    person = _PERSON.get(str(pargs[0]), "3") if pargs else "3"
    if base == "be":
        result = "were" if person in ("2", "p") else "was"
    elif base in _IRREGULAR_PAST:
        result = _IRREGULAR_PAST[base]
    elif base.endswith("e"):
        result = base + "d"
    elif re.search(r"[^aeiou]y$", base):
        result = base[:-1] + "ied"
    elif re.search(r"[^aeiou][aeiou][bdgmnpt]$", base) and len(base) <= 4:
        result = base + base[-1] + "ed"  # stop -> stopped (short verbs only: 'visit' -> 'visited')
    else:
        result = base + "ed"
    return capitalize_text(result) if kwargs.get("capitalize") else result


def _possessive(pronoun: str, target: Any, kwargs: dict[str, Any]) -> str:
    result = f"{pronoun} {target}" if target is not None and str(target) != "" else pronoun
    return capitalize_text(result) if kwargs.get("capitalize") else result


def her(target: Any = None, **kwargs: Any) -> str:
    """'her fish' (or 'her' alone)."""
    return _possessive("her", target, kwargs)


def his(target: Any = None, **kwargs: Any) -> str:
    return _possessive("his", target, kwargs)


def its(target: Any = None, **kwargs: Any) -> str:
    return _possessive("its", target, kwargs)


def their(target: Any = None, **kwargs: Any) -> str:
    return _possessive("their", target, kwargs)


def your(target: Any = None, **kwargs: Any) -> str:
    return _possessive("your", target, kwargs)


def our(target: Any = None, **kwargs: Any) -> str:
    return _possessive("our", target, kwargs)


def my(target: Any = None, **kwargs: Any) -> str:
    return _possessive("my", target, kwargs)


def possessify(owner: Any, target: Any, **kwargs: Any) -> str:
    """"John's fish", "James's fish" as docassemble writes it; `plural=True` takes only the apostrophe
    ("the plaintiffs' fish")."""
    owner_text = str(owner)
    mark = "'" if kwargs.get("plural") else "'s"
    result = f"{owner_text}{mark} {target}" if target is not None and str(target) != "" else owner_text + mark
    return capitalize_text(result) if kwargs.get("capitalize") else result


def a_in_the_b(a: Any, b: Any, **kwargs: Any) -> str:  # noqa: ARG001 - docassemble's signature
    return f"{a} in the {b}"


def capitalize_if(text: str, kwargs: dict[str, Any]) -> str:
    """The text capitalized when the caller passed capitalize=True (what the object methods take)."""
    return capitalize_text(text) if kwargs.get("capitalize") else text
