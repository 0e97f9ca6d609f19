"""The progress bar's value on a screen, as docassemble moves it (`features: progress bar`).

A question's `progress:` sets it (never backwards, unless `progress can go backwards`; `progress: null`
hides it until set again); a question without one advances it a share (`progress bar multiplier`,
0.05) of the way to 100, or with `progress bar method: stepped` to the next `progress:` of the
interview, once per step. set_progress() sets it from code. The value lives with the session in
`_internal['progress']`, where get_progress() reads it.
"""

from __future__ import annotations

from typing import Any

DEFAULT_MULTIPLIER = 0.05


def screen_progress(interview: Any, block: Any, answers: dict[str, Any]) -> float | None:
    """The bar to draw for this question (None: no bar), after moving it as this question says."""
    features = getattr(interview, "features", None) or {}
    if features.get("progress bar") is not True:
        return None
    internal = answers.setdefault("_internal", {})
    steps = internal.get("steps")  # the server's step count: 1 on the first screen, +1 per answered step
    new_step = isinstance(steps, int) and internal.get("progress_step") != steps
    if "progress" in block.data:
        _set_from_question(internal, block.data["progress"], features)
    elif new_step and isinstance(steps, int) and steps > 1:
        _advance(internal, interview, features)
    if new_step:
        internal["progress_step"] = steps  # advanced once per step, however often the screen is drawn
    value = internal.get("progress")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _set_from_question(internal: dict[str, Any], wanted: Any, features: dict[str, Any]) -> None:
    if wanted is None:
        if internal.get("progress") is not None:
            internal["progress"] = None
        return
    number = _number(wanted)
    if number is None:
        return  # docassemble ignores a progress that is not a number
    now = internal.get("progress")
    backwards = features.get("progress can go backwards") is True
    if now is None or backwards or number > now:
        internal["progress"] = number


def _advance(internal: dict[str, Any], interview: Any, features: dict[str, Any]) -> None:
    now = internal.get("progress", 0)
    if not isinstance(now, (int, float)) or isinstance(now, bool):
        return  # hidden (None) stays hidden until a question or set_progress() sets it
    multiplier = features.get("progress bar multiplier")
    if not isinstance(multiplier, (int, float)) or not 0 < multiplier < 1:
        multiplier = DEFAULT_MULTIPLIER
    target = 100.0
    if features.get("progress bar method") == "stepped":
        target = min((p for p in progress_points(interview) if p > now), default=100.0)
    internal["progress"] = now + multiplier * (target - now)


def progress_points(interview: Any) -> list[float]:
    """Every `progress:` number the interview's questions set (the stepped method's targets)."""
    found = interview.cache.get("progress points") if hasattr(interview, "cache") else None
    if found is None:
        found = sorted({n for b in getattr(interview, "blocks", []) if isinstance(getattr(b, "data", None), dict)
                        for n in [_number(b.data.get("progress"))] if n is not None})
        if hasattr(interview, "cache"):
            interview.cache["progress points"] = found
    return list(found)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(int(value)) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
