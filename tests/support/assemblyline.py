"""docassemble.AssemblyLine's wheel for the tests: installed once with `pip --no-deps --target` into a
folder inside the virtualenv (the same folder tests/integration/test_assemblyline_import.py uses)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TARGET = Path(sys.prefix) / "cache" / "docassemble-assemblyline-4"
REQUIREMENT = "docassemble.AssemblyLine>=4,<5"


def installed_assemblyline() -> Path:
    """The folder to put on sys.path (installs the wheel first if it is not there yet)."""
    if not (TARGET / "docassemble" / "AssemblyLine" / "al_general.py").is_file():
        result = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile",
                                 "--target", str(TARGET), REQUIREMENT], capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:
            raise RuntimeError(f"pip could not install {REQUIREMENT}: {result.stderr[-2000:]}")
    return TARGET
