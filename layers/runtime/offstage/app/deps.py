"""The dependencies a use case needs, built once per Lambda container (see offstage.aws.wiring)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from offstage.ports import Interviews, SessionStore

if TYPE_CHECKING:  # importing the engine package loads all of it: keep it off the handlers' import path
    from offstage.context import Ports


@dataclass
class Deps:
    sessions: SessionStore
    interviews: Interviews
    ports: Ports
    api_keys: frozenset[str] = field(default_factory=frozenset)
    settings: Any = None  # offstage.settings.Settings
    # The engine's entry point; None means offstage.engine.run_step (unit tests of the use cases pass a stub).
    run_step: Callable[..., Any] | None = None
    assembly: Any = None  # offstage.app.assembly.AssemblyPorts: bundles rendered in parallel, where configured
    uploads: Any = None  # offstage.ports.DirectUploads: big files sent by the browser straight to S3
