"""Secrets stay out of every log line, whichever function's module a process loads first: the functions
share the one "offstage" logger (POWERTOOLS_SERVICE_NAME), and the Logger made first sets its format, so
each function must install the masking one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FUNCTIONS = [("BackgroundFunction", "functions/background/"), ("CronWorkerFunction", "functions/cron_worker/"),
             ("CronDispatchFunction", "functions/cron_dispatch/"), ("PayloadCleanupFunction", "functions/cleanup/")]
SCRIPT = """
import sys
from pathlib import Path
from offstage.local.invoke import load_handler
load_handler(Path(sys.argv[1]), sys.argv[2], sys.argv[3], "app.lambda_handler")  # this function's Logger first
from offstage.http import observability  # then the HTTP functions' one, as a shared process would
observability.mask_only("s3cr3t-of-the-session")
try:
    raise RuntimeError("could not open the session with secret s3cr3t-of-the-session")
except RuntimeError:
    observability.logger.exception("unexpected error")
"""


@pytest.mark.parametrize(("logical_id", "code"), FUNCTIONS)
def test_a_secret_is_masked_when_another_function_made_the_logger_first(logical_id, code):
    env = {**os.environ, "POWERTOOLS_SERVICE_NAME": "offstage"}  # as the template's Globals set it
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(REPO), logical_id, code], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    written = done.stdout + done.stderr
    assert "unexpected error" in written
    assert "s3cr3t-of-the-session" not in written
    assert "secret ***" in written
