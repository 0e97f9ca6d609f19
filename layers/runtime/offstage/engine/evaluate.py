"""docassemble's interview logic: one evaluation pass, seeking undefined names through their definers.

A pass runs the automatic `process_action()`, then the `initial` and `mandatory` blocks in file order.
A missing name (NameError, or a library object's missing attribute/item carrying `offstage_name`) is
sought: its definers are tried later-first; a question stops the pass with a screen, a code block runs
(and a block that needed something else is retried after that is defined). After a definition found at
the top level the pass starts again from the beginning, as docassemble does.
"""

from __future__ import annotations

import contextlib
import functools
from types import CodeType
from typing import TYPE_CHECKING, Any

from offstage.context import InterviewContext
from offstage.engine import signals, varpath
from offstage.engine.seek import ITERATORS, SUBSCRIPT, Bindings, candidates
from offstage.interview import (
    AttachmentBlock,
    Block,
    CodeBlock,
    DataBlock,
    Interview,
    ObjectsBlock,
    OnChangeBlock,
    QuestionBlock,
    TableBlock,
    TemplateBlock,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from offstage.engine.screen import Screen

MISSING = (NameError, AttributeError, KeyError, IndexError)
MAX_STEPS = 3000  # seeks + block runs in one request; beyond this the logic is going round in circles


class Shown(Exception):
    """A question is to be shown: the pass stops here."""

    def __init__(self, screen: Screen, block: QuestionBlock, name: str | None, bindings: Bindings) -> None:
        super().__init__(block.id)
        self.screen, self.block, self.name, self.bindings = screen, block, name, bindings


class TemplateShown(Exception):
    """A template with `target:` was sought: its HTML goes to that target instead of being defined."""

    def __init__(self, target: str, content: str) -> None:
        super().__init__(target)
        self.target, self.content = target, content


class Undefined(Exception):
    """No block could define a name."""

    def __init__(self, name: str, block: Block | None) -> None:
        super().__init__(name)
        self.name, self.block = name, block


class LogicLoop(Exception):
    """The interview keeps seeking without progress."""


class EndOfInterview(Exception):
    """Every mandatory block is done and nothing asked a question."""


def missing_name(exc: BaseException) -> str | None:
    """The variable a NameError / library lookup error is about, or None if it is a plain error."""
    if isinstance(exc, NameError) and not isinstance(exc, UnboundLocalError):
        name = exc.name
    else:
        name = getattr(exc, "offstage_name", None)
    if not name or name.startswith("__"):
        return None
    return name


class Evaluation:
    def __init__(self, interview: Interview, ctx: InterviewContext, persist_actions: bool) -> None:
        self.interview = interview
        self.ctx = ctx
        self.ns = ctx.answers
        self.internal: dict[str, Any] = self.ns.setdefault("_internal", {})
        self.persist_actions = persist_actions
        self.running: list[Block] = []
        self.seeking: list[str] = []
        self.sought: list[str] = []  # most recent first: a background error's `variables`
        self.steps = 0
        self.action_done = False
        self.reconsidered: set[str] = set()
        self.forced: list[str] = []
        self.failed_block: Block | None = None
        self.request_action: tuple[str, dict[str, Any]] | None = None  # set by run_step: (action, arguments)

    # --- the pass --------------------------------------------------------------------------------

    def run(self) -> None:
        """Run passes until something stops the evaluation (always by an exception)."""
        self._forget_reconsidered()
        while True:
            self._tick()
            try:
                self._one_pass()
            except signals.SeekName as wanted:
                try:
                    self.seek(wanted.name, force=wanted.force)
                except Shown:
                    if wanted.force:  # force_ask(): the question stays until answered, as docassemble keeps it
                        self._keep_forced(wanted.name)
                    raise
            except MISSING as exc:
                name = missing_name(exc)
                if name is None:
                    raise
                self.seek(name)

    def _one_pass(self) -> None:
        if not self.interview.uses_process_action:
            self.process_action()
        self._run_on_change()
        self._gather_forced()
        answered = self.internal.setdefault("answered", [])
        for block in self.interview.logic:
            if block.initial:
                if self._flag(block.initial) and self._condition_holds(block, Bindings()):
                    self._run(block, Bindings(), None)
            elif block.id not in answered and self._flag(block.mandatory) \
                    and self._condition_holds(block, Bindings()):
                self._run(block, Bindings(), None)
                answered.append(block.id)
        raise EndOfInterview()

    def _gather_forced(self) -> None:
        """force_gather()'s names: sought at the start of every pass until they are defined."""
        wanted = self.internal.get("gather") or []
        for name in list(wanted):
            if not self.is_defined(name):
                self.seek(name)
            wanted.remove(name)

    def _run_on_change(self) -> None:
        """`on change` code of the variables the request changed, once each (it may ask questions first)."""
        changed = self.internal.get("changed") or []
        while changed:
            variable = changed[0]
            for block in self.interview.blocks:
                if isinstance(block, OnChangeBlock) and variable in block.changes:
                    self._run(block, Bindings(values={"_changed_variable": variable}), None)
            changed.pop(0)
        self.internal.pop("changed", None)

    def process_action(self) -> None:
        """Seek the pending action (a new one from the request, else one a shown question left pending)."""
        if self.action_done:
            return
        pending = self._pending_action()
        if pending is None:
            self.action_done = True
            return
        name, arguments, stored = pending
        from offstage.engine import group_actions, review

        if not stored:
            name, arguments = self._changed_once(name, arguments)
        self.ctx.action, self.ctx.arguments = name, dict(arguments)
        try:
            if name in group_actions.COMPLETIONS:
                self._complete_group(arguments)
            elif name == review.RECOMPUTE:
                self._complete_group(arguments, review.recompute)
            else:
                self._seek_action(name, arguments, stored)
        except Shown:
            if self.persist_actions and not stored:
                self.internal.setdefault("event_stack", []).append({"action": name, "arguments": arguments})
            self.action_done = True
            raise
        self.action_done = True
        if stored:
            self.pop_event(name)
            if self.internal.get("event_stack"):  # the action it was run from (a review screen) comes back
                self.action_done = False
                self.process_action()

    def _seek_action(self, name: str, arguments: dict[str, Any], stored: bool) -> None:
        from offstage.engine import review

        if stored and arguments.get(review.FOLLOW_UP):  # a review item's `follow up`: only if a question applies
            review.follow_up(self, name)
        else:
            self.seek(name, force=True)

    def _changed_once(self, name: str, arguments: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """A group's Add / Delete / Edit, a review item's undefine / recompute ..., a url_ask() link: applied
        once, the action that completes it returned (others are returned as they are)."""
        from offstage.engine import ask_links, group_actions, review

        if name in group_actions.CHANGES:
            self.action_done = True
            return group_actions.change(self, name, arguments)
        if name == review.APPLY:
            self.action_done = True
            return review.apply(self, arguments)
        if name == ask_links.FORCE_ASK:  # url_ask()'s link: its names asked in turn
            self.action_done = True
            ask_links.ask(self, arguments)
        return name, arguments

    def _complete_group(self, arguments: dict[str, Any], complete: Callable[[Any, dict[str, Any]], None] | None = None,
                        ) -> None:
        """A group's completion action (or another `complete`, a review item's recomputing), seeking what it
        lacks (a question shown keeps the action pending)."""
        from offstage.engine import group_actions

        while True:
            self._tick()
            try:
                (complete or group_actions.complete)(self, arguments)
                return
            except MISSING as exc:
                wanted = missing_name(exc)
                if wanted is None:
                    raise
                self.seek(wanted)

    def _pending_action(self) -> tuple[str, dict[str, Any], bool] | None:
        request_action = self.request_action
        if request_action:
            self.request_action = None
            return request_action[0], request_action[1], False
        stack = self.internal.get("event_stack") or []
        while stack and not _is_stored_action(stack[-1]):
            stack.pop()  # saved by an older version that took any text as an action: never run it
        if self.persist_actions and stack:
            return stack[-1]["action"], stack[-1].get("arguments") or {}, True
        return None

    def _keep_forced(self, name: str) -> None:
        if not self.persist_actions:
            return
        stack = self.internal.setdefault("event_stack", [])
        if not stack or stack[-1].get("action") != name:
            stack.append({"action": name, "arguments": {}})

    def pop_event(self, name: str) -> None:
        stack = self.internal.get("event_stack") or []
        if stack and stack[-1]["action"] == name:
            stack.pop()

    # --- seeking ---------------------------------------------------------------------------------

    def seek(self, name: str, force: bool = False) -> None:
        """Define `name` by running its definers (later first), or raise Shown / Undefined."""
        found = list(candidates(self.interview, name, self.ns))
        if name in self.seeking and all(block in self.running for block, _ in found):
            # sought again from inside its own definers: docassemble tries the definers not yet running
            # (an earlier block may define it); when every one is running, nothing can
            raise LogicLoop(f"the interview seeks {name!r} again while already seeking it "
                            f"({' -> '.join([*self.seeking, name])})")
        self.seeking.append(name)
        if name not in self.sought:
            self.sought.insert(0, name)
        try:
            passed_on = self.internal.get("passed on") or ()
            for block, bindings in found:
                if block in self.running or block.id in passed_on or not self._condition_holds(block, bindings):
                    continue
                self._run(block, bindings, name)
                if name in block.events or (force and isinstance(block, CodeBlock)) or self._now_defined(name):
                    return
            if name in _LOCAL_OBJECTS:  # docassemble's own objects; offstage keeps them with the session
                from offstage.library.objects import DAObject

                self.assign(name, DAObject(name))
                return
            if self.interview.features.get("use catchall") and name.isidentifier():
                from offstage.library.catchall import DACatchAll  # its `.value` is asked by generic questions

                self.assign(name, DACatchAll(name))
                return
            raise Undefined(name, self.running[-1] if self.running else None)
        finally:
            self.seeking.pop()

    def _run(self, block: Block, bindings: Bindings, name: str | None) -> None:
        """Run one block with its bindings, seeking what it lacks and retrying it."""
        self.running.append(block)
        saved = {k: self.ns[k] for k in bindings.values if k in self.ns}
        try:
            while True:
                self._tick()
                self.ns.update(bindings.values)
                gathering = set(self.ctx.gathering)
                try:
                    self._execute(block, bindings, name)
                    return
                except MISSING as exc:
                    wanted = missing_name(exc)
                    if wanted is None:
                        self._blame(block)
                        raise
                    self.seek(wanted)
                    # defined without a question: the block runs again from its start, so the groups its
                    # interrupted attempt began gathering are gathered again too
                    self.ctx.gathering.intersection_update(gathering)
                    if isinstance(block, QuestionBlock) and name is not None and self._now_defined(name):
                        return  # seeking what its text needed defined what it asks: docassemble's restart skips it
                except (signals.InterviewSignal, Shown, TemplateShown, Undefined, LogicLoop, EndOfInterview):
                    raise
                except Exception:
                    self._blame(block)
                    raise
        finally:
            self.running.pop()
            for key in bindings.values:
                if key in saved:
                    self.ns[key] = saved[key]
                else:
                    self.ns.pop(key, None)

    def _execute(self, block: Block, bindings: Bindings, name: str | None) -> None:
        if isinstance(block, CodeBlock):
            exec(block.compiled, self.ns)  # noqa: S102 - the interview's own code
        elif isinstance(block, QuestionBlock):
            self._question(block, bindings, name)
        elif isinstance(block, TemplateBlock):
            self._template(block, bindings)
        elif isinstance(block, ObjectsBlock):
            self._objects(block, bindings, name)
        elif isinstance(block, OnChangeBlock):
            exec(block.changes[bindings.values["_changed_variable"]], self.ns)  # noqa: S102 - the interview's code
        elif isinstance(block, TableBlock):
            from offstage.engine.table import DATable

            self.assign(bindings.apply(block.name), DATable(bindings.apply(block.name), block))
        elif isinstance(block, DataBlock):
            self._data_block(block, bindings.apply(block.name))
        elif isinstance(block, AttachmentBlock):
            from offstage.engine.attachments import assemble  # documents load only when one is made

            for attachment in block.attachments:
                assemble(self, attachment, bindings, block.origin.home)

    def _question(self, block: QuestionBlock, bindings: Bindings, name: str | None) -> None:
        picked = (self.internal.get("embedded") or {}).get(block.id)
        inner = block.embedded_for(picked) if picked is not None else None
        block = inner or block  # an item with an embedded question was chosen: that question is asked
        for needed in block.need:
            self.evaluate(bindings.apply(needed))  # the author's text, indices as the engine spells them
        from offstage.engine.ask import build_screen  # screens (Mako, Markdown) only when one is shown
        from offstage.engine.code_fields import expanded

        screen = build_screen(self, expanded(self, block, bindings), bindings, name)
        if self._nothing_to_choose(screen):
            return
        # a field with nothing to choose from is left off the screen (its answer is set when posted)
        screen.fields = [f for f in screen.fields if not (f.variable_name and f.choices == [])]
        raise Shown(screen, block, name, bindings)

    def _nothing_to_choose(self, screen: Any) -> bool:
        """A question whose every field offers an empty list of choices is not asked: its variables take
        their empty answers (None, an empty DADict or DAList), as docassemble skips it."""
        asked = [f for f in screen.fields if f.variable_name]
        if not asked or screen.buttons or any(f.choices is None or f.choices for f in asked):
            return False
        from offstage.engine.posted import empty_value

        for spec in asked:
            self.assign(spec.variable_name, empty_value(spec.datatype, spec.variable_name))
        return True

    def _objects(self, block: ObjectsBlock, bindings: Bindings, name: str | None) -> None:
        for object_name, spec in block.objects:
            if _has_index(object_name) and (_unbound_index(object_name, bindings)
                                            or not _sought(bindings.apply(object_name), name)):
                continue  # `people[i].child`: made only when that item's name is sought, with `i` bound
            if not self.is_defined(bindings.apply(object_name)):
                self.assign(bindings.apply(object_name), self._instantiate(bindings.apply(object_name), spec))

    def _template(self, block: TemplateBlock, bindings: Bindings) -> None:
        source = block.content if block.content is not None else self._content_file(block, bindings)
        if block.target:
            from offstage.text import markdown_to_html

            raise TemplateShown(block.target, markdown_to_html(self.render(source), trim=True))
        from offstage.engine.functions import DALazyTemplate

        target = bindings.apply(block.name)
        self.assign(target, DALazyTemplate(target, block.subject or "", source, bindings.values))

    def _data_block(self, block: DataBlock, name: str) -> None:
        if block.use_objects != "objects":
            self.assign(name, self._data(block, block.structure, name))
            return
        # `use objects: objects`: mappings with `object` (a class name) and `item(s)` become objects, as
        # objects_from_file() makes them; only the other texts go through Mako / Python
        from offstage.library.objects_file import objects_from_data

        self.assign(name, objects_from_data(self._texts(block, block.structure), name, self._flag(block.gathered)))

    def _texts(self, block: DataBlock, value: Any) -> Any:
        if isinstance(value, list):
            return [self._texts(block, v) for v in value]
        if isinstance(value, dict):
            return {k: v if k in ("object", "module") else self._texts(block, v) for k, v in value.items()}
        if isinstance(value, str):
            return self.evaluate(value) if block.from_code else self.render(value).rstrip("\n")
        return value

    def _data(self, block: DataBlock, value: Any, name: str) -> Any:
        """A `data` block's structure: its texts through Mako (or evaluated, `data from code`); with
        `use objects: True` lists and dicts become gathered DALists and DADicts."""
        if isinstance(value, list):
            items = [self._data(block, v, f"{name}[{n}]") for n, v in enumerate(value)]
            return self._group("DAList", name, items, block) if block.use_objects else items
        if isinstance(value, dict):
            found = {k: self._data(block, v, f"{name}[{k!r}]") for k, v in value.items()}
            return self._group("DADict", name, found, block) if block.use_objects else found
        if isinstance(value, str):
            return self.evaluate(value) if block.from_code else self.render(value).rstrip("\n")
        return value

    def _group(self, class_name: str, name: str, content: Any, block: DataBlock) -> Any:
        group = self.evaluate(class_name)(name)
        if isinstance(content, dict):
            for key, val in content.items():
                group[key] = val
        else:
            group.extend(content)
        if self._flag(block.gathered):
            group.gathered = True
        return group

    def _content_file(self, block: TemplateBlock, bindings: Bindings) -> str:
        from offstage.library.package_files import current_home, find

        wanted = block.content_file
        if block.content_file_code is not None:  # `content file: {code: ...}`: the file's name computed
            wanted = str(self.evaluate_bound(block.content_file_code, bindings))
        if not wanted:
            raise FileNotFoundError("the template has no content file")
        home = block.origin.home or current_home()
        return find(wanted, "templates", home).read_text(encoding="utf-8")

    def _instantiate(self, name: str, spec: str) -> Any:
        head, dot, rest = spec.partition(".using(")
        cls = self.evaluate(head)
        if not dot:
            return cls(name)
        if hasattr(cls, "using"):
            return self.evaluate(spec)(name)
        kwargs = self.evaluate("dict(" + rest)
        return cls(name, **kwargs)

    # --- helpers the author functions use ---------------------------------------------------------

    def render(self, text: Any) -> str:
        from offstage.text.mako import render

        return render(str(text), self.ns)

    def evaluate(self, expression: str) -> Any:
        """An expression the interview's author wrote (a condition, `code:` choices, an object spec).

        Never request text: names from requests go through evaluate_name(). A plain name is looked up
        without compiling anything, which is also the fast path for fields' variables.
        """
        path = varpath.as_name(expression)
        if path is not None:
            return varpath.get(path, self.ns)
        return eval(_compiled(expression), self.ns)  # noqa: S307 - an expression of the interview

    def evaluate_name(self, name: str) -> Any:
        """The value of a variable name (NotAName, a ValueError, for anything else); never evaluated."""
        return varpath.get(varpath.parse_name(name), self.ns)

    def is_defined(self, name: str) -> bool:
        try:
            self.evaluate_name(name)
        except MISSING:
            return False
        return True

    def assign(self, name: str, value: Any) -> None:
        varpath.assign(varpath.parse_name(name), self.ns, value)

    def undefine(self, name: str) -> None:
        with contextlib.suppress(*MISSING):
            varpath.delete(varpath.parse_name(name), self.ns)

    def _now_defined(self, name: str) -> bool:
        if varpath.as_name(name) is None:  # a private name the interview's own code lacked (`_total`)
            return name in self.ns
        return self.is_defined(name)

    def reconsider_once(self, name: str) -> bool:
        if name in self.reconsidered:
            return False
        self.reconsidered.add(name)
        self.undefine(name)
        return True

    def action_url(self, action: str, arguments: dict[str, Any]) -> str:
        """A link that runs `action` (the library's group buttons make theirs here)."""
        from offstage.engine.functions import url_action

        return url_action(action, **arguments)

    def queue_forced(self, names: list[str], arguments: dict[str, Any] | None = None) -> None:
        if self.persist_actions:
            stack = self.internal.setdefault("event_stack", [])
            stack.extend({"action": n, "arguments": dict(arguments or {})} for n in reversed(names))

    # --- internals -------------------------------------------------------------------------------

    def _forget_reconsidered(self) -> None:
        """`reconsider: True` code: its variables are recomputed on every request."""
        for name in self.interview.reset:  # `reset:` names
            if varpath.as_name(name) is not None and self.is_defined(name):
                self.undefine(name)
        for block in self.interview.blocks:
            if block.reconsider and isinstance(block, CodeBlock):
                for name in block.names():
                    if varpath.as_name(name) is not None and self.is_defined(name):
                        self.undefine(name)

    def _flag(self, flag: Any) -> bool:
        return bool(self.evaluate(flag)) if isinstance(flag, str) else bool(flag)

    def _condition_holds(self, block: Block, bindings: Bindings) -> bool:
        if block.condition is None:
            return True
        return bool(self.evaluate_bound(block.condition, bindings))

    def evaluate_bound(self, expression: str, bindings: Bindings) -> Any:
        """An expression evaluated with a block's bindings (`x`, `i` ...) in place."""
        saved = {k: self.ns[k] for k in bindings.values if k in self.ns}
        self.ns.update(bindings.values)
        try:
            return self.evaluate(expression)
        finally:
            for key in bindings.values:
                if key in saved:
                    self.ns[key] = saved[key]
                else:
                    self.ns.pop(key, None)

    def _blame(self, block: Block) -> None:
        if self.failed_block is None:
            self.failed_block = block

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise LogicLoop(f"the interview logic did not settle after {MAX_STEPS} steps "
                            f"(last sought: {', '.join(self.sought[:5]) or 'nothing'})")


_LOCAL_OBJECTS = frozenset({"session_local", "device_local", "user_local"})


def _has_index(name: str) -> bool:
    return any(symbol.strip() in ITERATORS for symbol in SUBSCRIPT.findall(name))


def _sought(made: str, name: str | None) -> bool:
    """Whether the object `made` is the name sought or holds it."""
    return name is not None and (name == made or name.startswith((made + ".", made + "[")))


def _unbound_index(name: str, bindings: Bindings) -> bool:
    """Whether `name` has an index symbol (`i`, `j` ...) the bindings do not give a value."""
    return any(symbol.strip() in ITERATORS and symbol.strip() not in bindings.spelled
               for symbol in SUBSCRIPT.findall(name))


@functools.lru_cache(maxsize=2048)
def _compiled(expression: str) -> CodeType:
    """Compiled author expressions; bounded, as the texts of many interviews pass through one process."""
    return compile(expression.strip(), "<expression>", "eval")


def _is_stored_action(entry: Any) -> bool:
    from offstage.engine.group_actions import COMPLETIONS
    from offstage.engine.review import RECOMPUTE

    return isinstance(entry, dict) and (entry.get("action") in (*COMPLETIONS, RECOMPUTE)
                                        or varpath.as_name(entry.get("action")) is not None) \
        and isinstance(entry.get("arguments") or {}, dict)
