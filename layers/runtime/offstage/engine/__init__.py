"""The interview engine: one evaluation pass per request, pure Python, no AWS.

`run_step(interview, answers, request, ports) -> StepResult` is the entry point (see step.py).
"""

from offstage.engine.context import InterviewContext, Ports, UserInfo, current
from offstage.engine.run import run_step
from offstage.engine.screen import Screen, ScreenButton, ScreenField
from offstage.engine.step import StepRequest, StepResult

__all__ = ["InterviewContext", "Ports", "Screen", "ScreenButton", "ScreenField", "StepRequest", "StepResult",
           "UserInfo", "current", "run_step"]
