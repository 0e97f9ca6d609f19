"""Cold import time of every Lambda handler module (what a cold start pays before the first request)."""

from __future__ import annotations

from pathlib import Path

from timing import REPO, child_ms

ENV = {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x",
       "OFFSTAGE_LOCAL": "1", "POWERTOOLS_TRACE_DISABLED": "true"}


def handler_imports(n: int = 5) -> dict[str, float]:
    out = {}
    for app in sorted((REPO / "functions").glob("*/app.py")):
        code = ("import time, importlib.util as u; t = time.perf_counter(); "
                f"s = u.spec_from_file_location('h', {str(app)!r}); m = u.module_from_spec(s); "
                "s.loader.exec_module(m); print((time.perf_counter() - t) * 1000)")
        out[Path(app).parent.name] = child_ms(code, n, ENV)
    return out
