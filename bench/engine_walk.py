"""Per-screen time of a walk on offstage's engine: one run_step per screen, from a fresh answers dict.

The same shape as the docassemble peer's bench_walk.py: each screen is one simulated request; the
posted values of a screen are applied in the request that shows the next one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from offstage.context import Ports
from offstage.engine import run_step
from offstage.engine.step import StepRequest
from offstage.interview import load_interview_file


def walk(interview: Any, answers: dict[str, Any], encode: bool = False) -> int:
    from offstage.answers.codec import dumps, loads

    state: dict[str, Any] = {}
    ports = Ports()
    posted: dict[str, Any] | None = None
    question_id = None
    screens = 0
    for _ in range(100):
        if encode:
            state = loads(dumps(state)) if state else {}
        request = StepRequest(session_id="bench", interview_name="bench", raw_values=False,
                              posted=dict(posted) if posted else None, question_id=question_id if posted else None)
        result = run_step(interview, state, request, ports)
        screens += 1
        screen = result.screen
        if screen is None:
            return screens
        fields = [f.variable_name for f in screen.fields if f.variable_name]
        if not fields and screen.buttons:  # yesno / buttons: the name the screen was asked for
            fields = [name for name in screen.event_list if name in answers][:1]
        if not fields or not all(f in answers for f in fields):
            return screens
        posted = {f: answers[f] for f in fields}
        question_id = screen.block_id
    return screens


def load(path: Path) -> Any:
    return load_interview_file(str(path))
