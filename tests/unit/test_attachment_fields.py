"""An attachment's `fields:` for a DOCX template: text inside lists and dicts is Mako too, and what it
needs is asked before the document is made (docassemble renders every text of the structure)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from offstage.documents.sealed import unseal_file
from offstage.interview import load_interview_file

from tests.support.files import docx_with
from tests.support.harness import Harness

RECIPE = """\
question: What spice?
fields:
  - Spice: spice
---
mandatory: True
question: Your recipe
attachment:
  name: Recipe
  filename: recipe
  variable name: recipe
  valid formats: [docx]
  docx template file: recipe.docx
  fields:
    - ingredients:
        - flour
        - ${ spice.upper() }
    - notes:
        oven: ${ 100 + 80 } degrees
"""


class MemoryFiles:
    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def put(self, key: str, data: bytes, content_type: str) -> None:
        del content_type
        self.data[key] = data

    def get(self, key: str) -> bytes:
        return self.data[key]


def test_text_inside_a_list_or_dict_field_is_rendered_and_asked_for(tmp_path: Path) -> None:
    (tmp_path / "recipe.docx").write_bytes(
        docx_with("{% for item in ingredients %}[{{ item }}]{% endfor %} at {{ notes['oven'] }}"))
    (tmp_path / "recipe.yml").write_text(RECIPE, encoding="utf-8")
    h = Harness(load_interview_file(tmp_path / "recipe.yml"), start=False)
    files = MemoryFiles()
    h.extra_ports["files"] = files
    h.step()
    assert "What spice?" in h.text  # needed by the list's second item: asked before the document
    h.answer({"Spice": "nutmeg"})
    assert "Your recipe" in h.text
    stored = [unseal_file(key, blob, secret=None) for key, blob in files.data.items()]
    made = [f.data for f in stored if f.filename.endswith(".docx")]
    assert len(made) == 1
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(made[0])).paragraphs)
    assert "[flour][NUTMEG] at 180 degrees" in text
