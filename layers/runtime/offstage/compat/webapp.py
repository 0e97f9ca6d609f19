"""The package docassemble.webapp as offstage provides it: only `db`, whose names refuse when used."""
