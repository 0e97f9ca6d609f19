"""Multi-document YAML -> blocks, keeping line numbers so errors can name them."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from offstage.errors import InterviewInvalid, InterviewNotFound
from offstage.interview.blocks import Block, IncludeBlock, make_block
from offstage.interview.errors import Origin
from offstage.interview.interview import Interview
from offstage.library.package_files import FileNotProvided, Home, find, home_of, package_folders, parse


def load_interview_file(path: str | Path, name: str | None = None, package: str | None = None) -> Interview:
    """An interview file; `package` names the installed package it belongs to, if any."""
    path = Path(path)
    blocks = _load_blocks(path, home_of(path, package), seen=(), included=False)
    interview = Interview(blocks, name=name or path.name, path=path)
    interview.package = package
    return interview


def load_interview_text(text: str, name: str = "interview.yml", base: Path | None = None) -> Interview:
    home = home_of(base / name) if base is not None else None
    blocks = _blocks_of_text(text, name, home, seen=())
    return Interview(blocks, name=name, path=None)


def _load_blocks(path: Path, home: Home | None, seen: tuple[Path, ...], *, included: bool = True) -> list[Block]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InterviewNotFound(f"interview file not found: {path.name}") from None
    except UnicodeDecodeError:
        raise InterviewInvalid(f"{path.name}: the file is not UTF-8 text") from None
    return _blocks_of_text(text, path.name, home, (*seen, path.resolve()), included=included)


def _blocks_of_text(text: str, source: str, home: Home | None, seen: tuple[Path, ...], *,
                    included: bool = False) -> list[Block]:
    blocks: list[Block] = []
    for number, (data, line, key_lines) in enumerate(_documents(text, source), start=1):
        block = make_block(data, Origin(source, line, number, home), key_lines)
        if included and "id" not in data:  # an included file's blocks: ids of their own, not the
            block.id = f"{source}:{block.id}"    # including file's (`block-5` of each file would collide)
        if isinstance(block, IncludeBlock):
            blocks.extend(_included(block, home, seen))
        blocks.append(block)
    return blocks


def _included(block: IncludeBlock, home: Home | None, seen: tuple[Path, ...]) -> list[Block]:
    """docassemble's include: `x.yml` in the including file's home (its data/questions folder, or its own
    folder), `pkg:x.yml` / `pkg:data/questions/x.yml` in an installed package, whose files then name
    their own templates and includes relative to that package."""
    found: list[Block] = []
    for name in block.files:
        try:
            path = find(name, "questions", home)
        except FileNotProvided as exc:
            raise InterviewInvalid(f"{block.origin.describe()}: cannot include {name!r}: {exc}") from None
        if path in seen:
            raise InterviewInvalid(f"{block.origin.describe()}: {name!r} includes itself")
        found.extend(_load_blocks(path, _home_of_included(name, path, home), seen))
    return found


def _home_of_included(name: str, path: Path, including: Home | None) -> Home | None:
    package = parse(name).package
    if package is None or not package_folders(package):
        package = including.package if including is not None else None
    return home_of(path, package)


@functools.cache
def _yaml12_loader() -> Any:
    """PyYAML's safe loader (the C one when built) reading booleans as YAML 1.2 and docassemble's
    ruamel.yaml do: only true/false, so `- Yes: ...` and `- No: ...` are the labels they look like."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: Any = type("Yaml12Loader", (base,), {})
    bool_tag = "tag:yaml.org,2002:bool"
    loader.yaml_implicit_resolvers = {first: [(tag, rx) for tag, rx in resolvers if tag != bool_tag]
                                      for first, resolvers in base.yaml_implicit_resolvers.items()}
    loader.add_implicit_resolver(bool_tag, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    return loader


def _documents(text: str, source: str) -> list[tuple[Any, int, dict[str, int]]]:
    """(data, 1-based line, {key: line}) per non-empty document."""
    import yaml

    loader = _yaml12_loader()(text)
    documents = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            data = loader.construct_document(node)
            if data is None:
                continue
            key_lines = {}
            if isinstance(node, yaml.MappingNode):
                key_lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
            documents.append((data, node.start_mark.line + 1, key_lines))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InterviewInvalid(f"{source}{where}: malformed YAML: {problem}") from None
    finally:
        loader.dispose()
    return documents
