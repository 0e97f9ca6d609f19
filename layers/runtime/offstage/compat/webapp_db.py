"""docassemble.webapp.db as offstage provides it: the SQL session helpers, refused when used.

offstage has no SQL database (sessions are in DynamoDB). AssemblyLine's sessions module imports these
at the top and uses them only for its saved-sessions list, so importing works and using them says so.
"""

from __future__ import annotations

from offstage.compat.surface import NotProvidedName

get_session = NotProvidedName("docassemble.webapp.db.get_session")
session_scope = NotProvidedName("docassemble.webapp.db.session_scope")
