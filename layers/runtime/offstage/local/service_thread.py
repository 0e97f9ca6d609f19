"""A daemon thread that runs a local service's loop until the stack stops it (the scheduler, the rules)."""

from __future__ import annotations

import threading


class ServiceThread:
    """start() runs `_loop` in a daemon thread named `thread_name`; `_loop` returns once `_stop` is set."""

    thread_name = "offstage-service"

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        raise NotImplementedError
