"""objects_from_file(): objects (and plain data) read from a YAML or JSON file of the interview or a package.

A mapping with `object` and `item` becomes one object of that class; with `object` and `items`, a
DAList of them; anything else stays plain data. Classes are looked up among the library's names and
the interview's own modules (or the mapping's `module`), and only DAObject classes are made.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

from offstage.library.objects import DAList, DAObject, _assignment_target
from offstage.library.package_files import find_file


def _class(spec: dict[str, Any]) -> type[DAObject]:
    name = str(spec["object"])
    found: Any = None
    if spec.get("module"):
        from offstage.compat.finder import SERVED

        module_name = str(spec["module"])
        found = getattr(importlib.import_module(SERVED.get(module_name, module_name)), name, None)
    else:
        from offstage.context import maybe_current
        from offstage.library import exports

        found = exports().get(name)
        ctx = maybe_current()
        for module_name in getattr(getattr(ctx, "interview", None), "modules", None) or []:
            if found is not None:
                break
            from offstage.compat.finder import SERVED

            found = getattr(importlib.import_module(SERVED.get(module_name, module_name)), name, None)
    if not (isinstance(found, type) and issubclass(found, DAObject)):
        raise ValueError(f"objects_from_file: {name!r} is not an object class the interview knows")
    return found


def _build(data: Any, name: str, gathered: bool) -> Any:
    if isinstance(data, dict) and "object" in data and ("item" in data or "items" in data):
        cls = _class(data)
        if "items" in data:
            group = DAList(name, object_type=cls)
            for index, attributes in enumerate(data["items"] or []):
                group.elements.append(_object(cls, f"{name}[{index}]", attributes, gathered))
            if gathered:
                group.gathered = True
            return group
        return _object(cls, name, data["item"], gathered)
    if isinstance(data, dict):
        return {key: _build(value, f"{name}[{key!r}]", gathered) for key, value in data.items()}
    if isinstance(data, list):
        return [_build(value, f"{name}[{index}]", gathered) for index, value in enumerate(data)]
    return data


def _object(cls: type[DAObject], name: str, attributes: Any, gathered: bool) -> DAObject:
    made = cls(name)
    for key, value in (attributes or {}).items():
        setattr(made, str(key), _build(value, f"{name}.{key}", gathered))
    return made


def objects_from_data(data: Any, name: str, gathered: bool = True) -> Any:
    """The objects a `data` block with `use objects: objects` describes, as objects_from_file makes them."""
    return _build(data, name, gathered)


def objects_from_file(file_ref: Any, recursive: bool = True, gathered: bool = True, name: str | None = None,  # noqa: ARG001 - docassemble's signature
                      use_objects: bool = False, package: str | None = None) -> Any:  # noqa: ARG001 - docassemble's signature
    """The file's contents with objects made; `contacts = objects_from_file(...)` names them 'contacts'."""
    import yaml

    if name is None:
        caller = sys._getframe(1)
        name = _assignment_target(caller.f_code, caller.f_lasti) or "objects_from_file"
    path = find_file(file_ref if package is None or ":" in str(file_ref) else f"{package}:{file_ref}", "sources")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        documents = [json.loads(text)]
    else:
        documents = [doc for doc in yaml.safe_load_all(text) if doc is not None]
    if len(documents) == 1:
        return _build(documents[0], name, gathered)
    return DAList(name, elements=[_build(doc, f"{name}[{i}]", gathered) for i, doc in enumerate(documents)])
