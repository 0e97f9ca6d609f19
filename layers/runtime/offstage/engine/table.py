"""What a `table:` block defines: a table of a group's items, rendered each time it is shown.

docassemble's table is a template: its Markdown is made when the text is used (`${ fruit_table }`), so
it follows the group as it grows. Iterating the rows may ask questions (a group not yet gathered is
gathered first, unless `require gathered: False`): the missing names propagate to the evaluation.
"""

from __future__ import annotations

from typing import Any

from offstage.context import current


class DATable:
    def __init__(self, instance_name: str, block: Any) -> None:
        self.instanceName = instance_name
        self.block = block  # the interview's TableBlock (a table is not stored: its block defines it again)

    def __str__(self) -> str:
        return self.markdown()

    def show(self, editable: bool = True, **_: Any) -> str:
        """The table; `editable=False` leaves out the Actions column (Edit, Delete, reorder arrows)."""
        return self.markdown(editable)

    def markdown(self, editable: bool = True) -> str:
        ev = current().evaluator
        block = self.block
        rows = _items(ev.evaluate(block.rows), block.data.get("require gathered", True) is not False)
        group = ev.evaluate(block.rows)
        headers = [_cell_text(ev.render(header)) for header, _ in block.columns]
        actions = _actions_options(block.data) if editable else None
        # as docassemble: any value but False turns the arrows on
        reorder = editable and block.data.get("allow reordering", block.data.get("allow reorder", False)) is not False
        if reorder:
            actions = actions or ([], {"edit": False, "delete": False})
            actions[1]["reorder"] = True
        if actions is not None:
            header = block.data.get("edit header")
            headers.append("Actions" if header is None else _cell_text(ev.render(str(header))) or "&nbsp;")
        saved = {k: ev.ns[k] for k in ("row_item", "row_index") if k in ev.ns}
        lines: list[tuple[Any, list[str]]] = []
        try:
            for index, item in rows:
                ev.ns["row_item"], ev.ns["row_index"] = item, index
                if block.data.get("filter") and not ev.evaluate(block.data["filter"]):
                    continue
                key = ev.evaluate(block.data["sort key"]) if block.data.get("sort key") else None
                cells = [_cell_text(ev.evaluate(cell)) for _, cell in block.columns]
                if actions is not None:
                    follow, options = actions
                    cells.append(_cell_text(group.item_actions(item, index, *follow, **options)) or "&nbsp;")
                lines.append((key, cells))
        finally:
            for k in ("row_item", "row_index"):
                ev.ns.pop(k, None)
            ev.ns.update(saved)
        if block.data.get("sort key"):
            lines.sort(key=_sort_key, reverse=bool(block.data.get("sort reverse")))
        if not lines:
            empty = block.data.get("show if empty")
            return "" if empty in (None, False, True) else ev.render(str(empty))
        table = [" | ".join(headers), " | ".join("---" for _ in headers)]
        table += [" | ".join(cells) for _, cells in lines]
        return "\n\n" + "\n".join(table) + "\n\n"


def _actions_options(data: dict[str, Any]) -> tuple[list[str], dict[str, Any]] | None:
    """The Actions column's buttons (attributes Edit asks again, item_actions options), or None: `edit`
    gives Edit (and Delete unless `delete buttons: False`), `delete buttons` alone gives Delete."""
    edit, delete = data.get("edit", False), data.get("delete buttons")
    options: dict[str, Any] = {"confirm": bool(data.get("confirm"))}
    if data.get("read only"):
        options["read_only_attribute"] = str(data["read only"]).strip()
    if edit is not False and edit is not None:
        return (list(edit) if isinstance(edit, list) else []), {**options, "delete": delete is not False}
    if delete:
        return [], {**options, "edit": False}
    return None


def _sort_key(line: tuple[Any, list[str]]) -> Any:
    return line[0]


def _items(rows: Any, gather: bool) -> list[tuple[Any, Any]]:
    """(row_index, row_item) pairs: a list's positions, a dict's keys."""
    if not gather:  # `require gathered: False`: what is there now, without asking for more
        rows = getattr(rows, "elements", rows)
    if hasattr(rows, "items") and callable(rows.items):
        return list(rows.items())
    return list(enumerate(rows))


def _cell_text(value: Any) -> str:
    """A cell on one line: a Markdown table row cannot hold a newline or an unescaped bar."""
    return " ".join(str(value).split()).replace("|", "\\|")
