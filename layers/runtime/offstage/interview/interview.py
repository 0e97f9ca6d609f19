"""A loaded interview: its blocks, in file order, and the index from variable names to their definers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from offstage.interview.blocks import (
    Block,
    CodeBlock,
    DefBlock,
    MetadataBlock,
    ModulesBlock,
    OnChangeBlock,
    OrderBlock,
    QuestionBlock,
    ResetBlock,
    SettingsBlock,
)
from offstage.interview.errors import invalid

if TYPE_CHECKING:
    from pathlib import Path

_INDEX = re.compile(r"\[[^\[\]]*\]")


def name_pattern(name: str) -> str:
    """The index key of a variable: subscripts become [*] so `a[0].b` matches `a[i].b`."""
    previous = None
    while previous != name:
        previous, name = name, _INDEX.sub("[*]", name)
    return name.replace(" ", "")


def _absolute(module: str, package: str | None) -> str:
    """docassemble's `.al_general` in a package's YAML: the module of that package."""
    return f"{package}{module}" if package and module.startswith(".") else module


class Interview:
    def __init__(self, blocks: list[Block], name: str, path: Path | None) -> None:
        self.blocks = blocks
        self.name = name
        self.path = path
        self.package: str | None = None  # the installed package the file belongs to, if any
        self.metadata: dict[str, Any] = {}
        self.features: dict[str, Any] = {}
        self.default_screen_parts: dict[str, Any] = {}
        self.modules: list[str] = []
        self.imports: list[str] = []
        self.index: dict[str, list[Block]] = {}
        self.generic_index: dict[str, list[Block]] = {}
        self.by_id: dict[str, Block] = {}
        self.logic: list[Block] = []  # initial and mandatory blocks, in file order
        self.cache: dict[str, Any] = {}
        for block in blocks:
            self._add(block)
        self.validation_messages: dict[str, str] = {}  # `default validation messages`
        self.reset: list[str] = []  # `reset:` names, computed again on every request
        self.on_change: list[tuple[str, Any]] = []  # (variable, compiled code) of `on change` blocks
        self.defs: dict[str, str] = {}  # `def:` name -> its Mako text
        self.precedence: list[tuple[str, str]] = []  # (winner id, loser id) from `order` and `supersedes`
        for block in blocks:
            self._add_setting(block)
        for found in (*self.index.values(), *self.generic_index.values()):
            found.reverse()  # later blocks take precedence
            _apply_precedence(found, self.precedence)
        for block in blocks:
            _use_defs(block, self.defs)
        self.uses_process_action = any(isinstance(b, CodeBlock) and b.calls_process_action for b in blocks)
        self.title: str = str(self.metadata.get("title") or self.metadata.get("short title") or name)

    def _add(self, block: Block) -> None:
        self.by_id.setdefault(block.id, block)
        for inner in getattr(block, "embedded", []):  # answerable by id, asked only through their question
            self.by_id.setdefault(inner.id, inner)
        if isinstance(block, MetadataBlock) and isinstance(block.data.get("metadata"), dict):
            self.metadata.update(block.data["metadata"])
        elif isinstance(block, ModulesBlock):
            package = block.origin.home.package if block.origin.home is not None else None
            self.modules.extend(_absolute(name, package) for name in block.star_modules)
            self.imports.extend(_absolute(name, package) for name in block.imports)
        elif isinstance(block, SettingsBlock):
            if isinstance(block.data.get("features"), dict):
                self.features.update(block.data["features"])
            if isinstance(block.data.get("default screen parts"), dict):
                self.default_screen_parts.update(block.data["default screen parts"])
        if block.initial or block.mandatory:
            self.logic.append(block)
        for name in block.names():
            key = name_pattern(name)
            if block.generic and (key.startswith("x.") or key.startswith("x[")):
                self.generic_index.setdefault(key, []).append(block)
            else:
                self.index.setdefault(key, []).append(block)

    def _add_setting(self, block: Block) -> None:
        if isinstance(block, SettingsBlock) and isinstance(block.data.get("default validation messages"), dict):
            self.validation_messages.update({str(k): str(v) for k, v in
                                             block.data["default validation messages"].items()})
        elif isinstance(block, ResetBlock):
            self.reset.extend(block.reset)
        elif isinstance(block, OnChangeBlock):
            self.on_change.extend(block.changes.items())
        elif isinstance(block, DefBlock):
            self.defs[block.name] = block.mako
        elif isinstance(block, OrderBlock):
            self.precedence.extend(zip(block.order, block.order[1:], strict=False))
        for loser in _names(block.data.get("supersedes")):
            self.precedence.append((block.id, loser))

    def definers(self, name: str) -> list[Block]:
        """Blocks defining exactly `name` (subscripts generalised), later blocks first."""
        return self.index.get(name_pattern(name), [])

    def generic_definers(self, rest: str) -> list[Block]:
        """Blocks with `generic object:` defining `x` + rest (rest like '.name' or '[*].name')."""
        return self.generic_index.get(name_pattern("x" + rest), [])

    def questions(self) -> list[QuestionBlock]:
        return [b for b in self.blocks if isinstance(b, QuestionBlock)]

    def __repr__(self) -> str:
        return f"<Interview {self.name} ({len(self.blocks)} blocks)>"


def _names(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value is not None else []


def _apply_precedence(found: list[Block], precedence: list[tuple[str, str]]) -> None:
    """Move each winner (by id) before the block it supersedes; the rest keep their order."""
    for _ in range(len(precedence) + 1):  # bounded: a cycle of `order` items settles nothing more
        moved = False
        for winner, loser in precedence:
            ids = [b.id for b in found]
            if winner in ids and loser in ids and ids.index(winner) > ids.index(loser):
                found.insert(ids.index(loser), found.pop(ids.index(winner)))
                moved = True
        if not moved:
            return


_DEF_PARTS = ("under", "right", "pre", "post", "submit")


def _use_defs(block: Block, defs: dict[str, str]) -> None:
    """`usedefs: [name]`: the named `def` blocks' Mako put before each text of the block, as docassemble does."""
    wanted = _names(block.data.get("usedefs"))
    if not wanted:
        return
    missing = [name for name in wanted if name not in defs]
    if missing:
        raise invalid(block.origin, f"usedefs names {missing[0]!r}, which no def block defines")
    prefix = "".join(defs[name].rstrip("\n") + "\n" for name in wanted)
    for attribute in ("question", "subquestion", "content"):
        if isinstance(getattr(block, attribute, None), str):
            setattr(block, attribute, prefix + getattr(block, attribute))
    for part in _DEF_PARTS:
        if isinstance(block.data.get(part), str):
            block.data[part] = prefix + block.data[part]
