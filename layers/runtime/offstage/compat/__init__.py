"""docassemble's import surface: `docassemble.base.util` and its neighbours, served from offstage's library.

Interviews (`modules:` / `imports:`) and published packages' Python modules begin with
`from docassemble.base.util import ...`. `install()` puts a finder at the end of `sys.meta_path` that
answers for `docassemble.base` and the modules below it with the modules of this package, so those
imports give offstage's classes and functions. Being last, it answers only when nothing else can: a
real docassemble installed on the path keeps its own modules, and a `docassemble` namespace package
(where published packages such as docassemble.AssemblyLine live) keeps its other members.
"""

from __future__ import annotations

from offstage.compat.finder import install, installed

__all__ = ["install", "installed"]
