"""Which variables a block of Python code assigns: how code blocks are found when a name is sought."""

from __future__ import annotations

import ast
import functools


@functools.lru_cache(maxsize=1024)
def assigned_names(source: str) -> list[str]:
    """Dotted names assigned anywhere at the top level or in branches/loops, in order, without repeats."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        defined = _defined_name(node)  # define('name', value): docassemble counts it as setting `name`
        names = [defined] if defined is not None else []
        for target in _targets(node):
            names += _target_names(target)
        found += [name for name in dict.fromkeys(names) if name not in found]
    return found


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
        return [node.target]
    if isinstance(node, ast.withitem) and node.optional_vars is not None:
        return [node.optional_vars]
    return []


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _target_names(elt)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    if _is_variable(target):
        return [ast.unparse(target)]
    return []


def _is_variable(node: ast.expr) -> bool:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return isinstance(node, ast.Name)


def _defined_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "define" \
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None
