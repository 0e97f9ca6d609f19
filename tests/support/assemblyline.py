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

# AssemblyLine's whole assembly_line.yml also includes ALToolbox's YAML and imports GithubFeedbackForm's
# module. AssemblyLine 4.8.0 needs ALToolbox >= 0.19, which the package index here does not carry
# (0.18.0 lacks the translation_strings.yml that 4.8.0's al_visual.yml includes): the newest set it does
# carry is pinned, in a folder of its own so the 4.8.0 tests above keep their version.
FULL_TARGET = Path(sys.prefix) / "cache" / "docassemble-assemblyline-full"
FULL_SET = ("docassemble.AssemblyLine==4.7.0", "docassemble.ALToolbox==0.18.0",
            "docassemble.GithubFeedbackForm==0.5.6")
FULL_PACKAGES = ("docassemble.AssemblyLine", "docassemble.ALToolbox", "docassemble.GithubFeedbackForm")


def _installed(target: Path, requirements: tuple[str, ...]) -> None:
    """`pip install --no-deps --target` once (one pip run for a set: with --target, a second run would
    replace the shared docassemble/ folder). Test workers run side by side: one installs under a lock
    into a scratch folder renamed into place whole, so no worker ever sees half a package."""
    import fcntl
    import shutil
    import tempfile

    done = target / ".installed"
    if done.is_file():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if done.is_file():  # another worker installed it meanwhile
            return
        scratch = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=target.parent))
        result = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile",
                                 "--target", str(scratch), *requirements], capture_output=True, text=True,
                                check=False)
        if result.returncode != 0:
            shutil.rmtree(scratch, ignore_errors=True)
            raise RuntimeError(f"pip could not install {', '.join(requirements)}: {result.stderr[-2000:]}")
        shutil.rmtree(target, ignore_errors=True)  # an install an older run left without its marker
        scratch.rename(target)
        done.touch()


def install() -> Path:
    """The folder holding docassemble/AssemblyLine (installed on first use)."""
    _installed(TARGET, (REQUIREMENT,))
    return TARGET


def install_full() -> Path:
    """The folder holding AssemblyLine with ALToolbox and GithubFeedbackForm (installed on first use)."""
    _installed(FULL_TARGET, FULL_SET)
    return FULL_TARGET


@contextmanager
def on_path() -> Iterator[Path]:
    """AssemblyLine importable (as docassemble.AssemblyLine) while the block runs."""
    import offstage  # noqa: F401 - serves docassemble.base.util
    from offstage.library.package_files import package_folders

    target = install()
    sys.path.insert(0, str(target))
    # a test run earlier in this worker may have looked for the package (and remembered "none")
    package_folders.cache_clear()
    importlib.invalidate_caches()
    try:
        yield target
    finally:
        sys.path.remove(str(target))
        package_folders.cache_clear()


def _forget_packages() -> None:
    """Drop the AssemblyLine packages already imported or located, so the next import finds them anew."""
    from offstage.library.package_files import package_folders

    for name in [m for m in sys.modules if m.startswith(FULL_PACKAGES)]:
        del sys.modules[name]
    package_folders.cache_clear()
    importlib.invalidate_caches()


@contextmanager
def full_on_path() -> Iterator[Path]:
    """AssemblyLine 4.7 with ALToolbox and GithubFeedbackForm importable while the block runs (and the
    4.8.0 of the other tests, if already imported in this process, set aside before and after)."""
    import offstage  # noqa: F401 - serves docassemble.base.util

    target = install_full()
    _forget_packages()
    sys.path.insert(0, str(target))
    try:
        yield target
    finally:
        sys.path.remove(str(target))
        _forget_packages()


def installed_assemblyline() -> Path:
    """`install()` under the name the package-files tests call it by (both branches added this module)."""
    return install()
