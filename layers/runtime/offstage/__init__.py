"""offstage: docassemble-style guided interviews running serverless on AWS."""

__version__ = "0.1.0"

# `docassemble.base.util` & co. importable wherever offstage runs (interview modules, stored answers
# naming a package's classes); answers only for names nothing else on the path provides
from offstage.compat.finder import install as _install_docassemble_names

_install_docassemble_names()
