"""A loaded interview: its blocks, in file order, and the index from variable names to their definers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from offstage.interview.blocks import (
    Block,
    CodeBlock,
    MetadataBlock,
    ModulesBlock,
    QuestionBlock,
    SettingsBlock,
)

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
        for found in (*self.index.values(), *self.generic_index.values()):
            found.reverse()  # later blocks take precedence
        self.uses_process_action = any(isinstance(b, CodeBlock) and b.calls_process_action for b in blocks)
        self.title: str = str(self.metadata.get("title") or self.metadata.get("short title") or name)

    def _add(self, block: Block) -> None:
        self.by_id.setdefault(block.id, block)
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
