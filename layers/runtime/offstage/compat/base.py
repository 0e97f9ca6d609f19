"""The package docassemble.base as offstage provides it: util, functions, core and legal below it."""
