"""docassemble.base.hooks as offstage provides it: its one name is refused when used.

`write_answer_json` writes a session's answers into docassemble's SQL database; offstage keeps sessions
in DynamoDB. AssemblyLine's sessions module imports it at the top and calls it only when saving answers
to a new session.
"""

from __future__ import annotations

from offstage.compat.surface import NotProvidedName

write_answer_json = NotProvidedName("write_answer_json")
