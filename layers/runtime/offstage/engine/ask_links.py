"""url_ask(): a link that asks a list of variables again, in order (docassemble's `_da_force_ask`).

The link carries the names; they are read with the name grammar, never evaluated, and each must be one
the interview defines. Of url_ask's control entries, `recompute` is the same as asking (a code block runs
again, a question is shown again); `undefine`, `invalidate`, `set` and `follow up` are not provided.
"""

from __future__ import annotations

from typing import Any

from offstage.engine import signals, varpath
from offstage.errors import BadRequest

FORCE_ASK = "_da_force_ask"
_MAX_NAMES = 50


def names_of(data: Any) -> list[str]:
    """The names url_ask() is given: a name, a {'recompute': [names]} entry, or a list of those."""
    wanted: list[str] = []
    for entry in data if isinstance(data, list) else [data]:
        if isinstance(entry, dict):
            unknown = sorted(set(entry) - {"recompute"})
            if unknown:
                raise ValueError(f"url_ask: {unknown[0]!r} is not provided by offstage (it takes variable "
                                 "names and 'recompute')")
            wanted.extend(str(n) for n in entry["recompute"])
        else:
            wanted.append(str(entry))
    return [varpath.parse_name(name).spelling for name in wanted]


def checked(arguments: dict[str, Any], defines: Any) -> list[str]:
    """The link's names, refused (BadRequest) unless each is a name the interview defines."""
    names = arguments.get("variables")
    if not isinstance(names, list) or not names or len(names) > _MAX_NAMES:
        raise BadRequest("The link does not name the variables to ask.")
    wanted = []
    for name in names:
        path = varpath.as_name(name)
        if path is None or not defines(path.spelling):
            raise BadRequest(f"The link asks for {varpath.shown(name)}, which this interview does not define.")
        wanted.append(path.spelling)
    return wanted


def ask(ev: Any, arguments: dict[str, Any]) -> None:
    """Ask the first name now and queue the others."""
    wanted = [str(n) for n in arguments["variables"]]
    ev.queue_forced(wanted[1:])
    raise signals.SeekName(wanted[0], force=True)
