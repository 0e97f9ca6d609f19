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
    """The folder holding docassemble/AssemblyLine (installed on first use). Test workers run side by side:
    one installs under a lock into a scratch folder that is renamed into place whole, so no worker ever
    sees half a package."""
    import fcntl
    import shutil
    import tempfile

    done = TARGET / ".installed"
    if done.is_file():
        return TARGET
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with open(TARGET.parent / ".assemblyline.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if done.is_file():  # another worker installed it meanwhile
            return TARGET
        scratch = Path(tempfile.mkdtemp(prefix="assemblyline-", dir=TARGET.parent))
        result = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile",
                                 "--target", str(scratch), REQUIREMENT], capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:
            shutil.rmtree(scratch, ignore_errors=True)
            raise RuntimeError(f"pip could not install {REQUIREMENT}: {result.stderr[-2000:]}")
        shutil.rmtree(TARGET, ignore_errors=True)  # an install an older run left without its marker
        scratch.rename(TARGET)
        done.touch()
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
