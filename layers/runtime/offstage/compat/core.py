"""docassemble.base.core as offstage provides it: the object classes."""

from __future__ import annotations

from typing import Any

from offstage.compat.served import provided
from offstage.compat.surface import missing

_CLASSES = ["DAObject", "DAList", "DADict", "DAOrderedDict", "DASet", "DAFile", "DAFileCollection", "DAFileList",
           "DAEmail", "DAEmailRecipient", "DAEmailRecipientList", "DATemplate", "DAEmpty", "DALink",
           "DACatchAll", "DALazyTemplate"]
__all__ = list(_CLASSES)
globals().update({name: provided()[name] for name in _CLASSES})


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    raise missing("docassemble.base.core", name)
