"""Kept while branches that import the interview context from here are merged: see offstage.context."""

from offstage.context import (  # noqa: F401
    InterviewContext,
    Ports,
    UserInfo,
    current,
    maybe_current,
    use,
)
