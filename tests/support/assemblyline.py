"""docassemble.AssemblyLine 4.x from the package index, unchanged, for the tests that run it on offstage.

`pip install --no-deps` puts the wheel in a directory inside the virtualenv once (docassemble itself is
offstage, and its other dependencies are not needed); `on_path()` makes it importable for a test module.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TARGET = Path(sys.prefix) / "cache" / "docassemble-assemblyline-4"
REQUIREMENT = "docassemble.AssemblyLine>=4,<5"
PACKAGE = TARGET / "docassemble" / "AssemblyLine"


def install() -> Path:
    """The folder holding docassemble/AssemblyLine (installed on first use)."""
    if not (PACKAGE / "al_general.py").is_file():
        result = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile",
                                 "--target", str(TARGET), REQUIREMENT], capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:
            raise RuntimeError(f"pip could not install {REQUIREMENT}: {result.stderr[-2000:]}")
    return TARGET


@contextmanager
def on_path() -> Iterator[Path]:
    """AssemblyLine importable (as docassemble.AssemblyLine) while the block runs."""
    import offstage  # noqa: F401 - serves docassemble.base.util

    target = install()
    sys.path.insert(0, str(target))
    importlib.invalidate_caches()
    try:
        yield target
    finally:
        sys.path.remove(str(target))


def installed_assemblyline() -> Path:
    """`install()` under the name the package-files tests call it by (both branches added this module)."""
    return install()
