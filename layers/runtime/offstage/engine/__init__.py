"""The interview engine: one evaluation pass per request, pure Python, no AWS.

`run_step(interview, answers, request, ports) -> StepResult` is the entry point (see step.py).
The names below are imported on first use (cold start: a handler pays only for what it touches).
"""

from __future__ import annotations

import importlib

_WHERE = {"InterviewContext": "context", "Ports": "context", "UserInfo": "context", "current": "context",
          "run_step": "run", "Screen": "screen", "ScreenButton": "screen", "ScreenField": "screen",
          "StepRequest": "step", "StepResult": "step"}


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    found = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = found
    return found


__all__ = ["InterviewContext", "Ports", "Screen", "ScreenButton", "ScreenField", "StepRequest", "StepResult",
           "UserInfo", "current", "run_step"]
