"""Loading interview YAML: typed blocks, the definer index, and errors that name file, line and block."""

from __future__ import annotations

from pathlib import Path

import pytest
from offstage.errors import InterviewInvalid, InterviewNotFound
from offstage.interview import (
    CodeBlock,
    InterviewRegistry,
    ObjectsBlock,
    QuestionBlock,
    TemplateBlock,
    load_interview_file,
    load_interview_text,
)

GOOD = """\
metadata:
  title: Sample
---
objects:
  - bg: BackgroundAction
---
mandatory: True
code: |
  total = a + b
---
question: What is a?
fields:
  - A: a
    datatype: integer
  - Colour: colour
    choices:
      - Red: red
      - Blue
---
question: What is a, really?
fields:
  - A: a
    datatype: number
---
template: letter
subject: Hi
content: Hello ${ a }
---
event: ping
code: |
  pong = 1
"""


def test_blocks_are_typed_and_indexed_later_first():
    interview = load_interview_text(GOOD, "sample.yml")
    assert interview.title == "Sample"
    assert [type(b) for b in interview.blocks[1:]] == [ObjectsBlock, CodeBlock, QuestionBlock, QuestionBlock,
                                                      TemplateBlock, CodeBlock]
    definers = interview.definers("a")
    assert [b.question for b in definers] == ["What is a, really?", "What is a?"]
    assert [b.number for b in interview.definers("total")] == [3]
    assert interview.definers("pong") == []  # an event runs only when its name is asked for
    assert interview.definers("ping")[0].events == ["ping"]
    assert interview.definers("letter")[0].subject == "Hi"
    assert [b.number for b in interview.logic] == [3]
    fields = interview.blocks[3].fields
    assert [(c.label, c.value) for c in fields[1].choices] == [("Red", "red"), ("Blue", "Blue")]
    assert fields[0].datatype == "integer"


@pytest.mark.parametrize(("text", "expected"), [
    ("question: Hi\nfields:\n  - A: a\n---\nquestion: There\nqestion: typo\n",
     "bad.yml, line 6 (block 2): unknown key 'qestion' in a question block"),
    ("question: Hi\n---\nfoo: bar\n", "bad.yml, line 3 (block 2): block is none of the known kinds"),
    ("question: [unclosed\n", "bad.yml, line 2: malformed YAML"),
    ("code: |\n  x = (\n", "bad.yml, line 2 (block 1): Python syntax error in code"),
    ("question: Hi\nfields: 3\n", "bad.yml, line 1 (block 1): fields must be a list"),
    ("- just\n- a list\n", "bad.yml, line 1 (block 1): a block must be a mapping"),
    ("question: Hi\nfields:\n  - A: a\n    datatyp: integer\n", "unknown key 'datatyp' in the field for 'A'"),
    ("question: Hi\nbuttons:\n  - [1, 2]\n", "cannot understand the item [1, 2] of buttons"),
    ("template: t\nsubject: s\n", "template 't' needs content or content file"),
    ("question:\n  a: b\n", "question must be text, not dict"),
    ("objects:\n  - x: 3\n", "the class of object 'x' must be text"),
    ("event: [1]\ncode: x = 1\n", "event must be a name or a list of names"),
])
def test_malformed_interviews_are_refused_with_file_and_line(text, expected):
    with pytest.raises(InterviewInvalid) as caught:
        load_interview_text(text, "bad.yml")
    assert expected in caught.value.message


def test_include_is_relative_and_refuses_escapes(tmp_path: Path):
    (tmp_path / "questions.yml").write_text("question: Included?\nfields:\n  - X: x\n")
    (tmp_path / "main.yml").write_text("include:\n  - questions.yml\n---\nmandatory: True\nquestion: ${ x }\n")
    interview = load_interview_file(tmp_path / "main.yml")
    assert interview.definers("x")[0].question == "Included?"
    (tmp_path / "evil.yml").write_text("include:\n  - ../etc/passwd\n")
    with pytest.raises(InterviewInvalid, match="cannot include"):
        load_interview_file(tmp_path / "evil.yml")
    (tmp_path / "loop.yml").write_text("include:\n  - loop.yml\n")
    with pytest.raises(InterviewInvalid, match="includes itself"):
        load_interview_file(tmp_path / "loop.yml")


def test_registry_resolves_docassemble_names_and_refuses_escapes(corpus: Path):
    registry = InterviewRegistry([corpus])
    for name in ("docassemble.base:data/questions/examples/background_action.yml",
                 "docassemble.demo:data/questions/examples/background_action.yml",
                 "docassemble.demo:data/questions/background_action.yml", "background_action.yml"):
        assert registry.resolve(name) == (corpus / "background_action.yml").resolve()
    for bad in ("../examples/background_action.yml", "/etc/passwd", "docassemble.base:data/../x.yml",
                "sub/dir.yml", "missing.yml", ""):
        with pytest.raises(InterviewNotFound):
            registry.resolve(bad)
    first = registry.get("background_action.yml")
    assert registry.get("docassemble.base:data/questions/examples/background_action.yml") is first
    assert first.title == "Return a value"
    assert ("background_action.yml", "Return a value") in registry.list()


def test_registry_reloads_a_changed_file(tmp_path: Path):
    path = tmp_path / "a.yml"
    path.write_text("metadata:\n  title: One\n")
    registry = InterviewRegistry([tmp_path])
    assert registry.get("a.yml").title == "One"
    path.write_text("metadata:\n  title: Two\n")
    import os

    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 5))
    assert registry.get("a.yml").title == "Two"


def test_cli_check_reports_errors(tmp_path: Path, capsys):
    from offstage.cli import main

    good, bad = tmp_path / "good.yml", tmp_path / "bad.yml"
    good.write_text("question: Hi\nfields:\n  - A: a\n")
    bad.write_text("question: Hi\nsubqestion: x\n")
    assert main(["check", str(good)]) == 0
    assert main(["check", str(good), str(bad)]) == 1
    assert "bad.yml, line 2 (block 1): unknown key 'subqestion'" in capsys.readouterr().err


def test_yes_and_no_are_words_and_only_true_and_false_are_booleans():
    """YAML 1.2, as docassemble's ruamel.yaml reads interviews: `- Yes:` is a button labelled Yes."""
    from tests.support.harness import Harness

    h = Harness(load_interview_text("""\
question: Ready?
buttons:
  - Yes:
      code: ready = 'yes please'
  - No:
      code: ready = 'not yet'
---
mandatory: True
question: Ready ${ ready }, ${ flag }.
---
code: flag = True
""", "yaml12.yml"))
    assert [b.label for b in h.screen.buttons] == ["Yes", "No"]
    h.step(button="No", posted={}, question_id=h.screen.block_id)
    assert "Ready not yet, True." in h.text
