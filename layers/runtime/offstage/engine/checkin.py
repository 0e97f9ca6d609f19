"""What a check-in returns to the page: the `check in` action's outcome as docassemble's commands."""

from __future__ import annotations

from typing import Any

from offstage.engine.step import StepResult

MODES = ("javascript", "flash", "refresh", "fields")


def checkin_commands(result: StepResult, action: str) -> list[dict[str, Any]]:
    """[{action, value, extra}] for a step run with the `check in` action (none for an ordinary screen)."""
    if result.kind == "template":
        return [{"action": action, "value": result.value, "extra": "backgroundresponse"}]
    if result.kind != "background_response":
        return []
    return [response_command(result.value, action)]


def response_command(value: Any, action: str | None) -> dict[str, Any]:
    """A background_response value -> {action, value, extra}, the mode (flash, fields ...) pulled out."""
    command: dict[str, Any] = {} if action is None else {"action": action}
    if isinstance(value, dict) and set(value) == {"pargs", "kwargs"} and len(value["pargs"]) == 2 \
            and value["pargs"][1] in MODES:
        value = value["pargs"]
    if isinstance(value, list) and len(value) == 2 and value[1] in MODES:
        mode = value[1]
        shown = value[0]
        if mode == "fields" and isinstance(shown, dict):
            shown = {name: _field_update(v) for name, v in shown.items()}
        command.update(value=None if mode == "refresh" else shown, extra=mode)
    elif value == "refresh":
        command.update(value=None, extra="refresh")
    else:
        command.update(value=value, extra="backgroundresponse")
    return command


def notification_command(notification: dict[str, Any]) -> dict[str, Any]:
    """A finished task's notification as a command (no `action` key, like docassemble)."""
    return {"value": notification.get("value"), "extra": notification.get("extra")}


def _field_update(value: Any) -> Any:
    """{'choices': list | dict | pairs, 'value': v} -> choices as [{label, value}] (what the page expects)."""
    if isinstance(value, dict) and "choices" in value:
        from offstage.engine.ask import normalize_choices

        return dict(value, choices=normalize_choices(value["choices"]))
    return value
