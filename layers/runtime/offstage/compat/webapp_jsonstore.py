"""docassemble.webapp.jsonstore as offstage provides it: the SQL JSON store, refused when used.

offstage has no SQL database. ALToolbox's save_input_data module imports these at the top and uses
them only in `save_input_data()`, so importing works and saving says it is not provided.
"""

from __future__ import annotations

from offstage.compat.surface import NotProvidedName

JsonStorage = NotProvidedName("docassemble.webapp.jsonstore.JsonStorage")
JsonDb = NotProvidedName("docassemble.webapp.jsonstore.JsonDb")
