"""docassemble.base.util & co. import as in docassemble, from offstage's library, without hiding a real one."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import offstage  # noqa: F401 - installs the finder, as every offstage process does
import pytest
from offstage.interview.loader import load_interview_text
from offstage.library.people import Individual

from tests.support.harness import Harness

ROOT = Path(__file__).resolve().parents[2]


def test_docassemble_names_are_offstage_classes_and_functions():
    import docassemble.base.core
    import docassemble.base.functions
    import docassemble.base.legal
    from docassemble.base.util import Address, DAList, comma_and_list, her
    from docassemble.base.util import Individual as DAIndividual

    assert DAIndividual is Individual
    assert docassemble.base.legal.Individual is Individual
    assert docassemble.base.core.DAList is DAList
    assert comma_and_list(["a", "b", "c"]) == "a, b, and c"
    assert her("hat") == "her hat"
    assert str(Address("home", address="1 Main St", city="Springfield", state="MA")) \
        == "1 Main St [NEWLINE] Springfield, MA"
    assert docassemble.base.functions.this_thread.evaluation_context is None


def test_a_name_offstage_lacks_is_an_import_error_that_says_so():
    with pytest.raises(ImportError, match=r"docassemble\.base\.util\.send_fax is not provided by offstage"):
        from docassemble.base.util import send_fax  # noqa: F401
    with pytest.raises(ImportError, match="has no name 'no_such_thing'"):
        from docassemble.base.util import no_such_thing  # noqa: F401
    import docassemble.base.util

    assert not hasattr(docassemble.base.util, "send_fax")  # plain attribute access: AttributeError
    with pytest.raises(ModuleNotFoundError, match=r"docassemble\.base\.parse is not provided by offstage"):
        import docassemble.base.parse


def _run(code: str, *paths: Path) -> str:
    """Run `code` in a fresh interpreter (imports are cached per process) with `paths` first on sys.path."""
    prelude = f"import sys; sys.path[:0] = {[str(p) for p in paths]!r}\n"
    result = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_docassemble_namespace_package_on_the_path_keeps_its_members(tmp_path):
    package = tmp_path / "docassemble" / "mypackage"  # a published package: `docassemble` has no __init__
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "people.py").write_text(
        "from docassemble.base.util import Individual\n\nclass Client(Individual):\n    pass\n")
    out = _run("""
        import offstage
        from docassemble.mypackage.people import Client
        import docassemble.base.util
        print(Client.__mro__[1].__module__, docassemble.base.util.__name__)
    """, tmp_path)
    assert out == "offstage.library.people offstage.compat.util"


def test_a_package_put_on_the_path_later_is_still_found(tmp_path):
    package = tmp_path / "docassemble" / "later"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VALUE = 42\n")
    out = _run(f"""
        import offstage, sys
        import docassemble.base.util        # `docassemble` made by offstage: no such directory yet
        sys.path.insert(0, {str(tmp_path)!r})
        import docassemble.later
        print(docassemble.later.VALUE)
    """)
    assert out == "42"


def test_a_real_docassemble_installed_wins(tmp_path):
    base = tmp_path / "docassemble" / "base"
    base.mkdir(parents=True)
    (tmp_path / "docassemble" / "__init__.py").write_text("")
    (base / "__init__.py").write_text("")
    (base / "util.py").write_text("REAL = True\n")
    out = _run("""
        import offstage
        import docassemble.base.util
        print(docassemble.base.util.REAL, docassemble.base.util.__file__.endswith('docassemble/base/util.py'))
    """, tmp_path)
    assert out == "True True"


INTERVIEW = """\
modules:
  - docassemble.base.util
---
objects:
  - client: Individual
---
mandatory: True
code: |
  set_info(user=client)
  final
---
question: What is ${ client.object_possessive('name') }?
fields:
  - First name: client.name.first
  - Last name: client.name.last
---
event: final
question: Hello, ${ client }.
subquestion: ${ client.pronoun_possessive('case', capitalize=True) } is open.
"""


def test_an_interview_listing_docassemble_base_util_in_modules_runs():
    h = Harness(load_interview_text(INTERVIEW))
    assert "What is your name?" in h.text
    h.answer({"First name": "Jane", "Last name": "Doe"})
    assert "Hello, Jane Doe." in h.text
    assert "Your case is open." in h.text
    assert type(h.answers["client"]) is Individual  # and it came back from the stored answers


def test_a_package_module_of_the_interview_uses_docassemble_names(tmp_path, monkeypatch):
    package = tmp_path / "docassemble" / "shoes"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "objects.py").write_text(textwrap.dedent("""\
        from docassemble.base.util import Individual, Thing

        class Shopper(Individual):
            def init(self, *pargs, **kwargs):
                super().init(*pargs, **kwargs)
                self.initializeAttribute('shoe', Thing)

            def greeting(self):
                return f"{self.name.first} wants {self.shoe}"
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    interview = load_interview_text("""\
modules:
  - docassemble.shoes.objects
---
objects:
  - buyer: Shopper
---
question: Name and shoe
fields:
  - First: buyer.name.first
  - Shoe: buyer.shoe.name.text
---
mandatory: True
question: ${ buyer.greeting() }
""")
    h = Harness(interview)
    h.answer({"First": "Ann", "Shoe": "boots"})
    assert "Ann wants boots" in h.text
    assert type(h.answers["buyer"]).__module__ == "docassemble.shoes.objects"


def test_importing_offstage_stays_cheap():
    """Installing the finder must not load the library or heavy modules at cold start."""
    out = _run("""
        import sys
        import offstage
        print(sorted(m for m in ("typing", "dis", "mimetypes", "importlib.abc", "offstage.library",
                                 "offstage.compat.util") if m in sys.modules))
    """)
    assert out == "[]"


def test_an_interview_calling_a_docassemble_function_offstage_lacks_is_told_so():
    h = Harness(load_interview_text("mandatory: True\ncode: |\n  send_fax(to='x', body='hi')\n"))
    assert "send_fax is not provided by offstage" in h.text
    own = Harness(load_interview_text("mandatory: True\ncode: |\n  device = 'phone'\n---\n"
                                      "mandatory: True\nquestion: On a ${ device }\n"))
    assert "On a phone" in own.text  # an interview's own variable of that name still wins


def test_suppress_loading_util_leaves_docassemble_names_out_unless_modules_asks():
    probe = "mandatory: True\ncode: |\n  try:\n    Individual\n    seen = 'yes'\n  except NameError:\n    seen = 'no'\n"
    show = "---\nmandatory: True\nquestion: Individual ${ seen }\n"
    suppressed = "metadata:\n  suppress loading util: True\n---\n"
    assert "Individual no" in Harness(load_interview_text(suppressed + probe + show)).text
    again = suppressed + "modules:\n  - docassemble.base.util\n---\n" + probe + show
    assert "Individual yes" in Harness(load_interview_text(again)).text
    assert "Individual yes" in Harness(load_interview_text(probe + show)).text
