"""Task tracking: remember that something (an e-mail, a reminder) was done, and how many times.

Counters live in the answers (`_internal['tasks']`), so going Back undoes them, as in docassemble.
With `persistent=True` they live in `_internal['persistent_tasks']`, which the session store keeps
outside the step history so that it survives Back. Other `persistent=` values ('interview', 'user',
'global') are not supported yet and are refused with a clear message.
"""

from __future__ import annotations

from typing import Any, cast

from offstage.context import current


def _counters(persistent: Any) -> dict[str, int]:
    internal = current().answers.setdefault("_internal", {})
    if persistent is False or persistent is None:
        return cast("dict[str, int]", internal.setdefault("tasks", {}))
    if persistent is True or persistent == "session":
        return cast("dict[str, int]", internal.setdefault("persistent_tasks", {}))
    raise ValueError(f"persistent={persistent!r} is not supported yet; use True (this session) or False")


def task_performed(task: str, persistent: Any = False) -> bool:
    """True when mark_task_as_performed(task) was called at least once (and the counter not reset)."""
    return bool(_counters(persistent).get(task))


def task_not_yet_performed(task: str, persistent: Any = False) -> bool:
    """The opposite of task_performed()."""
    return not task_performed(task, persistent=persistent)


def mark_task_as_performed(task: str, persistent: Any = False) -> int:
    """Add one to the number of times the task was performed; returns the new number."""
    counters = _counters(persistent)
    counters[task] = counters.get(task, 0) + 1
    return counters[task]


def times_task_performed(task: str, persistent: Any = False) -> int:
    """How many times the task was performed (0 if never)."""
    return _counters(persistent).get(task, 0)


def set_task_counter(task: str, times: int, persistent: Any = False) -> None:
    """Set the number of times the task was performed; 0 makes task_performed() False again."""
    _counters(persistent)[task] = int(times)
