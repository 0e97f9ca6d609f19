"""First screens for the conformance report (bench/conformance.py) and its pinned test: offstage's side.

`plain` reduces a question text (docassemble's Markdown source or offstage's HTML) to the words a reader
sees, so the two engines' texts compare. Tests only: not in the deployed layer.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

_TAG = re.compile(r"<[^>]+>")
_MARKUP = re.compile(r"[*_`#>\\]+|\[(?:BR|NEWLINE|BORDER|TAB|NBSP|ENDASH|EMDASH|CENTER|BOLDCENTER|FLUSHLEFT|FLUSHRIGHT|INDENTBY[^\]]*|SKIPLINE|PAGEBREAK)\]")
_TARGET = re.compile(r"\[TARGET [^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# a glossary term: docassemble's source `{term}` / `{term|words}`, offstage's link and hidden definition
_TERM = re.compile(r"\{([A-Za-z][\w \t'-]*)(?:\|([^{}]*))?\}")
_TERM_LINK = re.compile(r'<a [^>]*class="daterm"[^>]*>(.*?)</a>(?:<span class="daterm-definition"[^>]*>.*?</span>)?', re.S)


def plain(text: str | None) -> str:
    """Words as a reader sees them: tags, Markdown marks and docassemble's [BR]-style codes dropped."""
    text = _TARGET.sub(" ", text or "")  # a `target` area: docassemble's code, offstage's empty <span>
    text = _TERM.sub(lambda m: m.group(2) or m.group(1), _TERM_LINK.sub(r"\1", text))
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _LINK.sub(r"\1", text)
    text = _MARKUP.sub(" ", text)
    text = text.replace("\u00a0", " ").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())



def offstage_screen(path: Path) -> dict[str, Any]:
    """offstage's first screen of a file, then the browser's post of that screen's defaults (a 5xx check)."""
    from offstage.engine.screen import PICKED_BUTTON
    from offstage.engine.step import CommandStep, Response, StepError
    from offstage.errors import OffstageError
    from offstage.interview import load_interview_file

    from tests.support.harness import Harness

    try:
        interview = load_interview_file(path)
    except OffstageError as exc:
        return {"status": "refused", "error": exc.message}
    except Exception as exc:  # noqa: BLE001  (a loader crash is a finding, not the end of the report)
        return {"status": "crash", "error": f"at load: {type(exc).__name__}: {exc}"}
    try:
        harness = Harness(interview)
    except Exception as exc:  # noqa: BLE001
        return {"status": "crash", "error": f"first step: {type(exc).__name__}: {exc}"}
    result, screen = harness.result, harness.screen
    if isinstance(result, Response | CommandStep):  # docassemble's first "screen" is the content or address
        text = result.value if isinstance(result, Response) else result.command_url
        return {"status": "shown", "type": result.kind, "question": str(text or ""), "subquestion": None}
    if isinstance(result, StepError):
        error = (result.error or {}).get("message") or type(result).__name__
        return {"status": "error", "error": str(error)[:300]}
    row: dict[str, Any] = {"status": "shown", "type": screen.question_type if screen else None,
                           "question": screen.question_text if screen else None,
                           "subquestion": screen.subquestion_text if screen else None}
    if screen is not None and screen.fields:
        try:  # what a browser posts for an untouched screen: each field's default as text
            posted = {f.variable_name: _as_posted(f) for f in screen.fields
                      if f.variable_name and f.variable_name != PICKED_BUTTON}
            # choices without a field post the pick as the button pressed, as the browser's form does
            picked = [_as_posted(f) for f in screen.fields if f.variable_name == PICKED_BUTTON]
            harness.step(posted=posted, question_id=screen.block_id, raw_values=True,
                         button=picked[0] if picked and picked[0] else None)
        except Exception as exc:  # noqa: BLE001
            row.update(status="crash", error=f"posting the first screen: {type(exc).__name__}: {exc}")
    return row


def _as_posted(field: Any) -> Any:
    default = field.default
    if field.datatype in ("checkboxes", "object_checkboxes") and field.choices:
        return [str(c.get("value")) for c in field.choices if c.get("default")]
    if default is None:
        return ""
    return default if isinstance(default, str) else str(default)


_NUMBER = re.compile(r"\b(\d+(:\d+)*( ?[AP]M)?|zero|one|two|three|four|five|six|seven|eight|nine|ten|first|second|"
                     r"third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b", re.I)


def same_but_numbers(theirs: str, ours: str) -> bool:
    """Texts equal once numbers, times and number words are masked: examples that show random or
    time-dependent numbers (`random.randint`, the current time) cannot show the same ones twice."""
    return _NUMBER.sub("#", theirs) == _NUMBER.sub("#", ours) and _NUMBER.search(theirs) is not None
