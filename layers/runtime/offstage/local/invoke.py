"""Running a template function in-process, the way Lambda's runtime calls it: handler(event, context)."""

from __future__ import annotations

import importlib.util
import time
import uuid
from pathlib import Path
from typing import Any


class FakeContext:
    """The Lambda context a handler receives; the remaining time counts down from the function's Timeout."""

    def __init__(self, function_name: str, timeout: float, memory: int, region: str = "us-east-1") -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = memory
        self.invoked_function_arn = f"arn:aws:lambda:{region}:123456789012:function:{function_name}"
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + timeout

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def load_handler(root: Path, logical_id: str, code_uri: str, handler: str, *, instance: int = 0) -> Any:
    """The function's handler, imported by file path from CodeUri (a module name of its own per function,
    since every function's file is called app.py, and per execution environment: `instance`)."""
    module, attribute = load_module(root, logical_id, code_uri, handler, instance=instance)
    return getattr(module, attribute)


def load_module(root: Path, logical_id: str, code_uri: str, handler: str, *, instance: int = 0) -> tuple[Any, str]:
    """(the handler's module, freshly imported, the handler's name in it)."""
    module_name, _, attribute = handler.rpartition(".")
    path = (root / code_uri / f"{module_name.replace('.', '/')}.py").resolve()
    if not path.is_file():
        raise FileNotFoundError(f"the handler of {logical_id} is missing: {path} (CodeUri {code_uri}, "
                                f"Handler {handler})")
    name = f"offstage_function_{logical_id}" + (f"_{instance}" if instance else "")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import the handler of {logical_id} from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, attribute, None)):
        raise AttributeError(f"{path} has no function {attribute} (the Handler of {logical_id})")
    return module, attribute
