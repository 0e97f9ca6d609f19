"""Interview files: YAML -> typed blocks, with errors naming file, line and block."""

from __future__ import annotations

from typing import Any

from offstage.interview.blocks import (
    AttachmentBlock,
    Block,
    CodeBlock,
    DataBlock,
    ObjectsBlock,
    OnChangeBlock,
    QuestionBlock,
    TableBlock,
    TemplateBlock,
)
from offstage.interview.fields import Choice, Field
from offstage.interview.interview import Interview, name_pattern

_LAZY = {"load_interview_file": "loader", "load_interview_text": "loader", "InterviewRegistry": "registry"}


def __getattr__(name: str) -> Any:
    """Loading (YAML, files) is imported when first asked for: a step on a loaded interview needs none."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    found = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = found
    return found


__all__ = ["AttachmentBlock", "Block", "Choice", "CodeBlock", "DataBlock", "Field", "Interview", "InterviewRegistry",
           "ObjectsBlock", "OnChangeBlock", "QuestionBlock", "TableBlock", "TemplateBlock", "load_interview_file", "load_interview_text",
           "name_pattern"]
