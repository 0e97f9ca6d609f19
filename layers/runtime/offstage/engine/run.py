"""`run_step`: apply what the request carries (answers, a button, an action), evaluate, say what happened."""

from __future__ import annotations

from typing import Any, cast

from offstage.context import InterviewContext, Ports, use
from offstage.engine import namespace, signals, varpath
from offstage.engine.evaluate import (
    MISSING,
    EndOfInterview,
    Evaluation,
    LogicLoop,
    Shown,
    TemplateShown,
    Undefined,
)
from offstage.engine.seek import Bindings, has_definer
from offstage.engine.step import (
    BackgroundCallback,
    BackgroundValue,
    CommandStep,
    Message,
    Question,
    Response,
    StepError,
    StepRequest,
    StepResult,
    TemplateContent,
    UndefinedVariable,
)
from offstage.errors import BadRequest, UnknownAction
from offstage.interview import Interview, QuestionBlock


def _screen(*args: Any, **kwargs: Any) -> Any:
    """A message or error Screen (the screen module is imported when one is made)."""
    from offstage.engine.screen import Screen

    return Screen(*args, **kwargs)


def _escape(text: Any) -> str:
    from offstage.text import escape

    return escape(text)


_SET_NOTHING = {"refresh"}
_SPECIAL = {"exit", "leave", "restart", "refresh", "continue", "new_session", "logout", "exit_logout", "signin"}
_COMMANDS = {"exit", "restart", "leave", "signin", "new_session", "logout", "exit_logout"}


def run_step(interview: Interview, answers: dict[str, Any], request: StepRequest, ports: Ports) -> StepResult:
    ctx = InterviewContext(
        interview=interview, answers=answers, session_id=request.session_id,
        interview_name=request.interview_name, user=request.user, ports=ports, interface=request.interface,
        action=request.action, arguments=dict(request.arguments), secret=request.secret,
        url_root=request.url_root)
    evaluation = Evaluation(interview, ctx, persist_actions=request.interface in ("web", "api"))
    ctx.evaluator = evaluation
    try:
        namespace.attach(answers, interview)
    except namespace.ModuleUnavailable as exc:
        return _finish(ctx, _error(evaluation, "ModuleUnavailable", str(exc)))
    try:
        with use(ctx):
            action = _checked_request(interview, request, answers)
            if request.button in _COMMANDS:
                return _finish(ctx, CommandStep(command=request.button,
                                                delete_session=request.button in ("exit", "restart")))
            errors = _apply_answers(evaluation, request) if request.button not in _SET_NOTHING else {}
            if action is not None:
                ctx.action = action
                evaluation.request_action = (action, dict(request.arguments))
            result = _evaluate(evaluation)
            if isinstance(result, StepError):
                result = _error_action(evaluation, result)
            if errors:
                result.validation_errors = errors
                result.save = False
            return _finish(ctx, result)
    finally:
        namespace.detach(answers)


def _error_action(failed: Evaluation, error: StepError) -> StepResult:
    """The metadata's `error action` run in place of the error screen, as docassemble does: the action is
    sought on the answers as the failed pass left them, told the error (action_argument('error_message'),
    'error_trace'). An error while it runs is shown instead; the action never runs for its own failure."""
    action = failed.interview.metadata.get("error action")
    ctx = failed.ctx
    if not isinstance(action, str) or not action.strip() or ctx.action == action.strip():
        return error
    arguments = {"error_message": error.error.get("message"), "error_history": None,
                 "error_trace": error.error.get("trace")}
    ctx.action, ctx.arguments = action.strip(), arguments
    again = Evaluation(failed.interview, ctx, persist_actions=failed.persist_actions)
    ctx.evaluator = again
    again.request_action = (action.strip(), dict(arguments))
    return _evaluate(again)


def _engine_action(interview: Interview, action: str, arguments: dict[str, Any], answers: dict[str, Any]) -> bool:
    """Whether the action is the engine's own (a group's Add / Edit / Delete buttons, a review item's
    actions), refusing (BadRequest) one whose arguments name nothing of this session or interview."""
    from offstage.engine import group_actions, review

    if action in group_actions.ACTIONS:
        group_actions.check(action, arguments, answers)
        return True
    if action == review.APPLY:  # found by the question's id and the item's place
        review.check(interview, arguments)
        return True
    return False


def _checked_request(interview: Interview, request: StepRequest, answers: dict[str, Any]) -> str | None:
    """Refuse, before anything is set, a request whose names are not names: the action (which must also
    be one the interview defines), the event list, the browser form's keys. The action, as spelled."""
    for name in request.event_list or []:
        if varpath.as_name(name) is None:
            raise BadRequest(f"The event list names {varpath.shown(name)}, which is not a variable name.")
    if request.raw_values:  # the browser's form; the API's variables are refused one by one, by name
        for key in request.posted or {}:
            if varpath.as_name(key) is None:
                raise BadRequest(f"The form sends {varpath.shown(key)}, which is not a variable name.")
    if request.action is None:
        return None
    return _checked_action(request.action, request, interview, answers)


def _checked_action(action: str, request: StepRequest, interview: Interview, answers: dict[str, Any]) -> str:
    """The request's action, refused unless the engine or the interview defines it."""
    from offstage.engine import ask_links

    if _engine_action(interview, action, dict(request.arguments), answers):
        return action
    if action == ask_links.FORCE_ASK:  # url_ask()'s link
        ask_links.checked(dict(request.arguments), lambda name: has_definer(interview, name, answers))
        return action
    try:
        path = varpath.parse_name(action)
    except varpath.NotAName as refused:
        raise UnknownAction(f"The action {varpath.shown(action)} is not a name an interview can "
                            f"define: {refused.reason}.") from None
    if not has_definer(interview, path.spelling, answers):
        raise UnknownAction("The interview has no block that defines the action "
                            f"{varpath.shown(action)}.")
    return path.spelling


def _evaluate(evaluation: Evaluation) -> StepResult:
    try:
        evaluation.run()
    except Shown as shown:
        return _shown(evaluation, shown)
    except TemplateShown as shown:
        return TemplateContent(value={"target": shown.target, "content": shown.content})
    except _SIGNALS as signal:
        return _signalled(evaluation, signal)
    except Undefined as exc:
        where = f" (needed by {exc.block.describe()})" if exc.block else ""
        return _error(evaluation, "UndefinedVariable",
                      f"There is no question or code block that defines '{exc.name}'{where}.",
                      variable=exc.name)
    except LogicLoop as exc:
        return _error(evaluation, "InfiniteLoop", str(exc))
    except EndOfInterview:
        return _error(evaluation, "EndOfInterview",
                      "The interview has no more mandatory blocks to run and no question to show.")
    except Exception as exc:  # noqa: BLE001 - an error of interview code becomes an error screen
        import traceback

        return _error(evaluation, type(exc).__name__, str(exc), trace=traceback.format_exc(limit=8))
    return _error(evaluation, "NoOutcome", "The evaluation stopped without an outcome.")


# what interview code ends a step with besides a question (response(), command(), message() ...)
_SIGNALS = (signals.BackgroundResponse, signals.BackgroundResponseAction, signals.Response, signals.Command,
            signals.Message)


def _signalled(evaluation: Evaluation, signal: Exception) -> StepResult:
    """The step's outcome when interview code signalled one (checked in the order the kinds nest)."""
    if isinstance(signal, signals.BackgroundResponse):
        return BackgroundValue(value=signal.value)
    if isinstance(signal, signals.BackgroundResponseAction):
        return BackgroundCallback(action={"action": signal.action, "arguments": signal.arguments})
    if isinstance(signal, signals.Response):
        return Response(response=signal, value=signal.content, sleep=signal.sleep, save=not signal.null)
    if isinstance(signal, signals.Command):
        if signal.kind == "restart":
            answers = evaluation.ctx.answers
            keep = {k: v for k, v in answers.items() if k == "__builtins__"}
            answers.clear()
            answers.update(keep)
        return CommandStep(command=signal.kind, command_url=signal.url, sleep=signal.sleep,
                           delete_session=signal.kind in ("exit", "exit_logout"))
    assert isinstance(signal, signals.Message)  # noqa: S101 - _SIGNALS lists no other kind
    from offstage.engine.screen import ScreenButton

    screen = _screen("message", question_text=_escape(signal.title),
                     subquestion_text=_escape(signal.subtitle), title=evaluation.interview.title,
                     buttons=[ScreenButton(_escape(label), value, "special" if value in _SPECIAL else "choice")
                              for label, value in signal.button_values()])
    return Message(screen=screen)


def _shown(evaluation: Evaluation, shown: Shown) -> StepResult:
    internal = evaluation.internal
    if evaluation.persist_actions:
        from offstage.answers.tracking import same

        current = {"block": shown.block.id, "name": shown.name,
                   "bindings": {k: v for k, v in shown.bindings.spelled.items()}}
        if not same(internal.get("current"), current):  # the same again is no change: a reload saves nothing
            internal["current"] = current
    if evaluation.ctx.log:
        shown.screen.flash = list(evaluation.ctx.log)
    return Question(screen=shown.screen)


def _error(evaluation: Evaluation, error_type: str, message: str, trace: str | None = None,
           variable: str | None = None) -> StepError:
    block = evaluation.failed_block or (evaluation.running[-1] if evaluation.running else None)
    where = block.describe() if block else evaluation.interview.name
    info = {"type": error_type, "message": message, "trace": trace, "block": where,
            "variables": list(evaluation.sought)}
    screen = _screen("error", question_text="Error", title=evaluation.interview.title, error=info,
                     subquestion_text=f"<p>{_escape(error_type)} in {_escape(where)}: {_escape(message)}</p>")
    if variable is not None:  # no block defines it
        return UndefinedVariable(screen=screen, error=info, variable=variable, save=False)
    return StepError(screen=screen, error=info, save=False)


def _finish(ctx: InterviewContext, result: StepResult) -> StepResult:
    result.outbox = list(ctx.outbox)
    result.on_error = ctx.on_error
    if ctx.save_status == "ignore":
        result.save = False
    result.multi_user = bool(ctx.answers.get("multi_user"))
    return result


# --- posted answers ----------------------------------------------------------------------------------


def _apply_answers(evaluation: Evaluation, request: StepRequest) -> dict[str, str]:
    """Set the answers to the question being answered; on any invalid value set nothing."""
    if request.posted is None and request.button is None:
        return {}
    from offstage.engine.posted import collect  # only a request that answers a question needs it

    posted = dict(request.posted or {})
    explicit = request.question_id
    block, bindings = _answered_question(evaluation, explicit)
    if not request.raw_values:  # the JSON API
        if block is None and explicit:
            return {"_question": f"There is no question {explicit!r} to answer."}
        return _set_variables(evaluation, block, bindings, posted, request, bool(explicit))
    if block is None:
        return {"_question": "There is no question to answer."} if posted else {}
    if block.list_collect:
        from offstage.engine import collect as list_collect

        if list_collect.enabled(evaluation, block, bindings):
            return _collect_list(evaluation, block, bindings, posted, request)
    values, errors = collect(block, bindings, posted, request.raw_values, request.button,
                             choices_of=_offered(evaluation, bindings),
                             messages=evaluation.interview.validation_messages)
    if not errors:
        values, errors = _with_files(evaluation, block, bindings, values)
    errors = errors or _validated(evaluation, block, bindings, values)
    return errors or _settle(evaluation, block, bindings, values, answered=True,
                             then=_after_setting(evaluation, block, bindings, values, request.button))


def _collect_list(evaluation: Evaluation, block: QuestionBlock, bindings: Bindings, posted: dict[str, Any],
                  request: StepRequest) -> dict[str, str]:
    """A `list collect` screen posted: each item's fields checked as a question's, all or nothing; the
    blank next item dropped when left empty; Continue ends the list, "Add another" asks for one more."""
    from offstage.engine import collect as list_collect
    from offstage.engine.posted import collect

    group, shown, blank = list_collect.indices(evaluation, block, bindings)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    dropped = False
    for index in shown:
        each = list_collect.item_bindings(bindings, index)
        if index == blank and len(shown) > 1 and list_collect.is_blank(block, each, posted):
            dropped = True
            continue
        found, refused = collect(block, each, posted, request.raw_values, request.button,
                                 choices_of=_offered(evaluation, each),
                                 messages=evaluation.interview.validation_messages)
        values.update(found)
        errors.update(refused or _validated(evaluation, block, each, found))
    if errors:
        return errors
    more = request.button == list_collect.ADD_ANOTHER
    # an item edited after the list was gathered: "Add another" gathers it again, for exactly one more item
    reopen = more and bool(getattr(group, "__dict__", {}).get("gathered"))
    if (more or block.list_final) and not reopen:
        values[bindings.apply(f"{block.list_name}.there_is_another")] = more

    def drop_blank() -> dict[str, str]:
        elements = getattr(group, "elements", None)
        if dropped and isinstance(elements, list) and len(elements) > blank:
            del elements[blank]  # the object the gathering made for the item left blank
        if reopen:
            group.reset_gathered()
            group.there_is_one_other = True
        return {}
    return _settle(evaluation, block, bindings, values, answered=True, then=drop_blank)


def _set_variables(evaluation: Evaluation, block: QuestionBlock | None, bindings: Bindings,
                   posted: dict[str, Any], request: StepRequest, explicit: bool) -> dict[str, str]:
    """docassemble's POST /api/session sets the variables it is given, whatever is on screen. Sent with
    variables of the question on screen, they answer it: checked and converted as the browser's answers
    are (required fields, unticked boxes); other variables are set as sent. One invalid value sets nothing."""
    from offstage.engine.posted import asked_names, collect

    asked = set(asked_names(block, bindings)) if block is not None else set()
    own = {name: value for name, value in posted.items() if name in asked}
    # every field of the question given now or before: it is answered
    complete = bool(own) and all(name in own or _defined(evaluation, name) for name in asked)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in own:
        try:
            _define_object_of(evaluation, name)
        except (ValueError, TypeError) as exc:
            errors[name] = f"{name} cannot be set: {exc}"
    if own and block is not None and not errors:  # an answer: checked and converted as the browser's are
        # only some of its fields: the others are left alone (neither required nor set), as docassemble does
        optional = {name: False for name in asked - set(own)}
        values, errors = collect(block, bindings, own, False, request.button, required=optional,
                                 choices_of=_offered(evaluation, bindings),
                             messages=evaluation.interview.validation_messages)
        keep = set(own) | ({bindings.apply(block.continue_field)} if block.continue_field and complete else set())
        values = {name: val for name, val in values.items() if name in keep}
        errors = errors or _validated(evaluation, block, bindings, values)
    _set_as_sent(evaluation, {name: value for name, value in posted.items() if name not in asked}, values, errors)
    if not errors:
        values, errors = _with_files(evaluation, block, bindings, values)
    if errors:
        return errors
    then = _after_setting(evaluation, block, bindings, values, request.button) if own and block else None
    answered = block is not None and (complete or (explicit and not own))
    return _settle(evaluation, block, bindings, values, answered=answered, then=then)


def _defined(evaluation: Evaluation, name: str) -> bool:
    try:
        return evaluation.is_defined(name)
    except ValueError:  # not one variable (a pattern with nothing bound)
        return False


def _define_object_of(evaluation: Evaluation, name: str) -> None:
    """`client.name` sent while `client` is not yet made: the `objects` block that makes it runs first."""
    from offstage.interview import ObjectsBlock

    path = varpath.parse_name(name)
    if not path.steps:
        return
    root = path.prefix(0).spelling
    if evaluation.is_defined(root):
        return
    for block in evaluation.interview.definers(root):
        if isinstance(block, ObjectsBlock):
            try:
                evaluation._run(block, Bindings(), root)
            except Exception as exc:  # noqa: BLE001 - e.g. the object needs an answer first
                raise TypeError(f"the object {root} cannot be made now ({type(exc).__name__})") from None
            return


def _validated(evaluation: Evaluation, block: QuestionBlock, bindings: Bindings,
               values: dict[str, Any]) -> dict[str, str]:
    """Each field's `validate` function on its converted value: errors by variable (none: {})."""
    from offstage.engine import validation

    errors: dict[str, str] = {}
    for spec in block.fields:
        check = spec.extras.get("validate")
        variable = bindings.apply(spec.variable) if spec.variable else None
        if not check or variable is None or variable not in values:
            continue
        with validation.Provided(evaluation.ns):
            try:
                ok = evaluation.evaluate_bound(str(check), bindings)(values[variable])
            except Exception as exc:  # noqa: BLE001 - the author's check refused the value
                errors[validation.where(exc, variable)] = validation.message_of(exc)
                continue
        if ok is False:
            errors[variable] = validation.INVALID
    return errors


def _after_setting(evaluation: Evaluation, block: QuestionBlock, bindings: Bindings, values: dict[str, Any],
                   button: str | None) -> Any:
    """What runs once the answers are set: the chosen item's `code:`, then the `validation code`."""
    chosen = _chosen_code(block, bindings, values, button)
    _choose_embedded(evaluation, block, bindings, values, button)
    _pass_on(evaluation, block, button)
    if chosen is None and block.validation_code is None:
        return None

    def then() -> dict[str, str]:
        from offstage.engine import validation

        with validation.Provided(evaluation.ns):
            try:
                if chosen is not None:
                    exec(compile(chosen, f"<{block.describe()}: code of a choice>", "exec"), evaluation.ns)  # noqa: S102
                if block.validation_code is not None:
                    evaluation.ns.update(bindings.values)
                    exec(block.compiled_validation, evaluation.ns)  # noqa: S102 - the interview's own code
            except Exception as exc:  # noqa: BLE001 - refused by the author's code: nothing is set
                first = next(iter(values), "_question")
                return {validation.where(exc, first): validation.message_of(exc)}
        return {}
    return then


def _choose_embedded(evaluation: Evaluation, block: QuestionBlock, bindings: Bindings, values: dict[str, Any],
                     button: str | None) -> None:
    """An item with an embedded question chosen: that question is asked next (its answer ends the choice)."""
    embedded = evaluation.internal.setdefault("embedded", {})
    if block.embedded_in is not None:
        embedded.pop(block.embedded_in, None)
        return
    if block.embedded:
        picked = values.get(bindings.apply(block.field)) if block.field else button
        if block.embedded_for(picked) is not None:
            embedded[block.id] = picked


def _pass_on(evaluation: Evaluation, block: QuestionBlock, button: str | None) -> None:
    """`continue` picked on a question without a field: it is passed over when its variables are sought
    (an earlier block is asked), until forget_result_of() names it."""
    if block.field or button != "continue" or not any(item.value == "continue" for item in block.buttons + block.choices):
        return
    passed = evaluation.internal.setdefault("passed on", [])
    if block.id not in passed:
        passed.append(block.id)


def _chosen_code(block: QuestionBlock, bindings: Bindings, values: dict[str, Any], button: str | None) -> str | None:
    items = block.buttons + block.choices
    if not any(item.code for item in items):
        return None
    picked = values.get(bindings.apply(block.field)) if block.field else button
    for item in items:
        if item.code and (picked == item.value or str(picked) == str(item.value)):
            return item.code
    return None


def _with_files(evaluation: Evaluation, block: QuestionBlock | None, bindings: Bindings,
                values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Uploads among the values checked and stored as DAFiles (offstage.library.uploads)."""
    from offstage.documents.uploads import Pending, Upload

    def has_upload(value: Any) -> bool:
        items = value if isinstance(value, list | tuple) else [value]
        return any(isinstance(item, Pending | Upload) for item in items)

    if not any(has_upload(value) for value in values.values()):
        return values, {}
    from offstage.library.uploads import store_uploads

    return store_uploads(evaluation, block, bindings, values)


def _set_as_sent(evaluation: Evaluation, posted: dict[str, Any], values: dict[str, Any],
                 errors: dict[str, str]) -> None:
    """Variables not on the question's screen, set as sent (into `values`) when they can be."""
    for name, value in posted.items():
        try:
            _define_object_of(evaluation, name)
            varpath.check_settable(varpath.parse_name(name), evaluation.ns)
        except varpath.NotAName as refused:
            errors[name] = (f"{varpath.shown(name)} is not a variable name an interview can use: "
                            f"{refused.reason}.")
        except (*MISSING, TypeError) as exc:
            errors[name] = f"{name} cannot be set: {exc}"
        else:
            values[name] = value


def _remember_block_names(evaluation: Evaluation, block: QuestionBlock, bindings: Bindings,
                          before: dict[str, Any]) -> None:
    for name in block.names():
        name = bindings.apply(name)
        if name not in before and varpath.as_name(name) is not None:
            try:
                before[name] = _value_or_unset(evaluation, name)
            except ValueError:  # a pattern (`x[i]`) with nothing bound: not one variable
                continue


def _settle(evaluation: Evaluation, block: QuestionBlock | None, bindings: Bindings, values: dict[str, Any],
            *, answered: bool, then: Any = None) -> dict[str, str]:
    """Set the values (all or, when one cannot be set or `then` refuses them, none), record the question
    answered, end events."""
    before: dict[str, Any] = {}
    for variable, val in values.items():
        before[variable] = _value_or_unset(evaluation, variable)
        try:
            evaluation.assign(variable, val)
        except Exception as exc:  # noqa: BLE001 - e.g. an attribute of an object that does not exist
            _put_back(evaluation, before)
            return {variable: f"{variable} cannot be set: {exc}"}
    if then is not None:
        if block is not None:  # what the code may set is put back too when it refuses
            _remember_block_names(evaluation, block, bindings, before)
        refused = then()
        if refused:
            _put_back(evaluation, before)
            return cast("dict[str, str]", refused)
    _on_change(evaluation, before, values)
    _forget_dependents(evaluation, before, values)
    _end_answer(evaluation, block, bindings, values, answered)
    return {}


def _forget_dependents(evaluation: Evaluation, before: dict[str, Any], values: dict[str, Any]) -> None:
    """`depends on`: what depends on a variable the answer changed (not defined anew) is undefined."""
    from offstage.engine.depends_on import forget_dependents

    changed = [name for name, value in values.items()
               if before.get(name, _UNSET) is not _UNSET and not _same(before[name], value)]
    if changed:
        forget_dependents(evaluation.interview, changed, evaluation.undefine)


def _same(old: Any, new: Any) -> bool:
    try:
        return bool(old == new)
    except Exception:  # noqa: BLE001 - an object whose == fails is taken as changed
        return False


def _end_answer(evaluation: Evaluation, block: QuestionBlock | None, bindings: Bindings, values: dict[str, Any],
                answered: bool) -> None:
    """End the events the answer settles and record a mandatory question answered."""
    internal = evaluation.internal
    current = internal.get("current") or {}
    names = [bindings.apply(n) for n in block.names()] if block is not None else []
    for event in [current.get("name") if block is not None else None, *names, *values]:
        if event:
            evaluation.pop_event(event)
    if block is None or not answered:
        return
    answerable = block.fields or block.field or block.yesno or block.noyes or block.buttons \
        or block.continue_field
    if answerable and block.mandatory and block.id not in internal.setdefault("answered", []):
        internal["answered"].append(block.id)


def _on_change(evaluation: Evaluation, before: dict[str, Any], values: dict[str, Any]) -> None:
    """`on change` code of each variable this request gave a new value (docassemble runs it then)."""
    for variable, _ in evaluation.interview.on_change:
        if variable in values and before.get(variable, _UNSET) != values[variable]:
            evaluation.internal.setdefault("changed", []).append(variable)  # run by the next pass


def _offered(evaluation: Evaluation, bindings: Bindings) -> Any:
    """The values a field's `code:` choices offer now, the question's other answers set meanwhile."""
    def offered(spec: Any, others: dict[str, Any]) -> list[Any]:
        from offstage.engine.ask import normalize_choices

        before = {name: _value_or_unset(evaluation, name) for name in others}
        try:
            for name, val in others.items():
                evaluation.assign(name, val)
            raw = evaluation.evaluate_bound(spec.choices_code, bindings)
            if str(spec.datatype).startswith("object"):  # the objects alone: their labels are not needed
                from offstage.engine.ask import object_choices

                return [choice["value"] for choice in object_choices(evaluation, spec, raw)]
        finally:  # the answers are set for real only when every value is valid
            _put_back(evaluation, before)
        return [choice["value"] for choice in normalize_choices(raw)]
    return offered


_UNSET = object()


def _value_or_unset(evaluation: Evaluation, name: str) -> Any:
    """The variable's value now (looked up once), or _UNSET when it is not defined."""
    try:
        return evaluation.evaluate_name(name)
    except MISSING:
        return _UNSET


def _put_back(evaluation: Evaluation, before: dict[str, Any]) -> None:
    """Give each variable the value _value_or_unset saw, undefining those that had none."""
    for name, old in before.items():
        evaluation.undefine(name) if old is _UNSET else evaluation.assign(name, old)


def _answered_question(evaluation: Evaluation, question_id: str | None) -> tuple[QuestionBlock | None, Bindings]:
    current = evaluation.internal.get("current") or {}
    block_id = question_id or current.get("block")
    block = evaluation.interview.by_id.get(str(block_id)) if block_id else None
    if not isinstance(block, QuestionBlock):
        return None, Bindings()
    bindings = Bindings()
    if current.get("block") == block.id:
        saved = {symbol: _respelled(spelled) for symbol, spelled in (current.get("bindings") or {}).items()}
        stored = {symbol: spelled for symbol, spelled in saved.items() if spelled is not None}
        if len(stored) != len(saved):
            return None, Bindings()  # saved by an older version that spelled indices as any text
        for symbol, spelled in stored.items():
            bindings.spelled[symbol] = spelled
            # the values too (`x` the object, `i` the index), for code the answers are checked with
            bindings.values[symbol] = _bound_value(evaluation, spelled)
    if block.generic and "x" not in bindings.spelled:
        return None, Bindings()
    from offstage.engine.code_fields import expanded, has_code_fields

    if has_code_fields(block):
        try:  # the fields the code gives now, as when the question was shown
            block = expanded(evaluation, block, bindings)
        except MISSING:
            return None, Bindings()
    return block, bindings


def _respelled(spelled: Any) -> str | None:
    """A stored binding as the engine spells it: an index (`0`, `'key'`, `i`), an object (`user.spouse`)."""
    index = varpath.parse_index(spelled)
    if index is not None:
        return index.spelling[1:-1]
    path = varpath.as_name(spelled)
    return None if path is None else path.spelling


def _bound_value(evaluation: Evaluation, spelled: str) -> Any:
    from offstage.engine.seek import bound_value

    return bound_value(spelled, evaluation.ns)
