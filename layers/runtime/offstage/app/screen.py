"""The screen use case: answer (or just look at) the current question of a session."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Any

from offstage.app import evaluation
from offstage.app.deps import Deps


def step_request(**values: Any) -> Any:
    """A StepRequest from the values the engine knows; extras it does not know (yet) are left out."""
    from offstage.engine.step import StepRequest  # the engine loads on first use, not at import

    known = {f.name for f in dataclasses.fields(StepRequest)}
    return StepRequest(**{k: v for k, v in values.items() if k in known and v is not None})


@dataclass
class ScreenRequest:
    """One look at (or answer to) the current question of a session, as a route received it."""

    session_id: str
    secret: str | None
    interview_name: str | None
    posted: dict[str, Any] | None = None  # the answers: variable name -> value
    question_id: str | None = None  # the question they answer (else the one on screen)
    button: str | None = None
    action: str | None = None
    arguments: dict[str, Any] | None = None
    user: Any = None  # offstage.context.UserInfo; None: anonymous
    interface: str = "web"
    event_list: list[str] | None = None
    raw_values: bool = True  # the browser's strings (True) or the API's JSON values
    url_root: str = ""
    new_step: bool | None = None  # None: a step when answering or pressing a button other than refresh
    forget_prior: bool = False  # the page's action_call(..., forgetPrior): actions left pending are dropped


def screen(deps: Deps, request: ScreenRequest) -> evaluation.Outcome:
    """Apply the posted answers or action, evaluate to the next screen, save, then send the tasks queued.

    Invalid answers come back as result.validation_errors with nothing saved.
    """
    user = request.user or anonymous()
    run_step = evaluation.engine(deps)
    # the question id goes with the answers only (a look at the screen answers nothing)
    question_id = request.question_id if request.posted is not None else None

    def evaluate(interview: Any, record: Any) -> Any:
        if request.forget_prior and isinstance(record.answers.get("_internal"), dict):
            record.answers["_internal"].pop("event_stack", None)
        step = step_request(session_id=request.session_id, interview_name=record.interview, user=user,
                            interface=request.interface, action=request.action,
                            arguments=dict(request.arguments or {}), posted=request.posted,
                            question_id=question_id, button=request.button, event_list=request.event_list,
                            secret=request.secret, url_root=request.url_root, raw_values=request.raw_values)
        return run_step(interview, record.answers, step, deps.ports)

    new_step = request.new_step
    if new_step is None:  # answering makes a step `back` can undo; looking again (refresh) does not
        new_step = bool(request.posted) or bool(question_id) or request.button not in (None, "refresh")
    return evaluation.evaluate_session(deps, request.session_id, request.secret, request.interview_name, evaluate,
                                       new_step=new_step, user=user)


def run_action(deps: Deps, session_id: str, secret: str | None, interview_name: str | None, action: str,
               arguments: dict[str, Any] | None = None, user: Any = None, *,
               persistent: bool = False, read_only: bool = False) -> evaluation.Outcome:
    """POST /api/session/action: run an action; its response() content, if any, is in the result.

    A read-only action is evaluated on the stored answers and nothing is saved or sent. Non-persistent
    and persistent actions both save what the action changed; a persistent one leaves its question
    as the session's current screen (the engine keeps the pending action in the answers).
    """
    if read_only:
        user = user or anonymous()
        record = evaluation.load(deps, session_id, secret, interview_name)
        interview = evaluation.interview_for(deps, record.interview)
        request = step_request(session_id=session_id, interview_name=record.interview, user=user,
                               interface="api", action=action, arguments=dict(arguments or {}),
                               secret=secret, raw_values=False)
        run_step = evaluation.engine(deps)
        limit = evaluation.time_limit(deps)
        result = evaluation.limited(interview, time.monotonic() + limit, limit,
                                    lambda: run_step(interview, record.answers, request, deps.ports))
        return evaluation.Outcome(result, record)
    return screen(deps, ScreenRequest(session_id, secret, interview_name, action=action, arguments=arguments,
                                      user=user, interface="api", raw_values=False, new_step=persistent))


def anonymous() -> Any:
    from offstage.context import UserInfo

    return UserInfo()
