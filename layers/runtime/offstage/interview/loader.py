"""Multi-document YAML -> blocks, keeping line numbers so errors can name them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from offstage.errors import InterviewInvalid, InterviewNotFound
from offstage.interview.blocks import Block, IncludeBlock, make_block
from offstage.interview.errors import Origin
from offstage.interview.interview import Interview


def load_interview_file(path: str | Path, name: str | None = None) -> Interview:
    path = Path(path)
    blocks = _load_blocks(path, seen=())
    return Interview(blocks, name=name or path.name, path=path)


def load_interview_text(text: str, name: str = "interview.yml", base: Path | None = None) -> Interview:
    blocks = _blocks_of_text(text, name, base, seen=())
    return Interview(blocks, name=name, path=None)


def _load_blocks(path: Path, seen: tuple[Path, ...]) -> list[Block]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InterviewNotFound(f"interview file not found: {path.name}") from None
    except UnicodeDecodeError:
        raise InterviewInvalid(f"{path.name}: the file is not UTF-8 text") from None
    return _blocks_of_text(text, path.name, path.parent, (*seen, path.resolve()))


def _blocks_of_text(text: str, source: str, base: Path | None, seen: tuple[Path, ...]) -> list[Block]:
    blocks: list[Block] = []
    for number, (data, line, key_lines) in enumerate(_documents(text, source), start=1):
        block = make_block(data, Origin(source, line, number), key_lines)
        if isinstance(block, IncludeBlock):
            blocks.extend(_included(block, base, seen))
        blocks.append(block)
    return blocks


def _included(block: IncludeBlock, base: Path | None, seen: tuple[Path, ...]) -> list[Block]:
    found: list[Block] = []
    for name in block.files:
        # docassemble names ("pkg:data/questions/x.yml") and plain names both resolve next to the file.
        basename = name.split(":", 1)[-1].rsplit("/", 1)[-1]
        if base is None or ".." in name.split("/") or name.startswith("/"):
            raise InterviewInvalid(f"{block.origin.describe()}: cannot include {name!r}")
        path = (base / basename).resolve()
        if not path.exists():
            path = _in_package(base, name) or path
        if path in seen:
            raise InterviewInvalid(f"{block.origin.describe()}: {name!r} includes itself")
        found.extend(_load_blocks(path, seen))
    return found


def _in_package(base: Path, name: str) -> Path | None:
    """docassemble's rule for a file laid out as in a package: a bare name (or `pkg:data/questions/a/b.yml`)
    is found under the package's data/questions folder, which may be above the including file's folder."""
    relative = name.split(":", 1)[-1]
    if relative.startswith("data/questions/"):
        relative = relative[len("data/questions/"):]
    for folder in (base, *base.parents):
        if folder.name == "questions" and folder.parent.name == "data":
            candidate = (folder / relative).resolve()
            if candidate.is_relative_to(folder.resolve()) and candidate.exists():
                return candidate
            return None
    return None


def _documents(text: str, source: str) -> list[tuple[Any, int, dict[str, int]]]:
    """(data, 1-based line, {key: line}) per non-empty document."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
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
