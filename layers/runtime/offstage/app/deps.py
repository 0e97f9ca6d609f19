"""The dependencies a use case needs, built once per Lambda container (see offstage.aws.wiring)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from offstage.engine.context import Ports
from offstage.ports import SessionStore


@dataclass
class Deps:
    sessions: SessionStore
    interviews: Any  # offstage.interview.registry.InterviewRegistry
    ports: Ports
    api_keys: frozenset[str] = field(default_factory=frozenset)
    settings: Any = None  # offstage.settings.Settings
