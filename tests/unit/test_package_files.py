"""Files an interview names, in its own folder or an installed package: found as docassemble finds them,
never outside a package's data/ folder (or an interview's folders), and a clear error naming the reference.

The package is a folder made here and put on sys.path, laid out as a docassemble package is.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from offstage.errors import InterviewInvalid, InterviewNotFound
from offstage.interview import InterviewRegistry, load_interview_file
from offstage.library import package_files
from offstage.library.package_files import FileNotProvided, Home, find, home_of
from offstage.library.package_static import lookup, url_for

from tests.support.files import docx_with
from tests.support.harness import Harness

PACKAGE = "offstagetest_pkg"


class MemoryFiles:
    """The session's file store (documents are stored as they are made)."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def put(self, key: str, data: bytes, content_type: str) -> None:
        del content_type
        self.data[key] = data

    def get(self, key: str) -> bytes:
        return self.data[key]


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An importable package with data/questions, data/templates, data/static and data/sources, plus a
    module and a secret file beside data/ that must never be reachable."""
    root = tmp_path / "site" / PACKAGE
    for folder in ("questions", "templates", "static", "sources"):
        (root / "data" / folder).mkdir(parents=True)
    (root / "__init__.py").write_text("raise RuntimeError('the package is never imported to find files')\n")
    (root / "secret.py").write_text("KEY = 'do not serve'\n")
    (root / "data" / "questions" / "shared.yml").write_text(
        "question: From the package\nsubquestion: ${ url_of('logo.png') }\nfield: pkg_seen\n---\n"
        "attachment:\n  name: Letter\n  filename: letter\n  variable name: letter\n"
        "  docx template file: letter.docx\n")
    (root / "data" / "questions" / "start.yml").write_text(
        "metadata:\n  title: Package start\n---\nmandatory: True\nquestion: Hello from a package\n")
    (root / "data" / "templates" / "letter.docx").write_bytes(docx_with("Package letter"))
    (root / "data" / "static" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "data" / "static" / "sub").mkdir()
    (root / "data" / "static" / "sub" / "app.js").write_text("console.log(1)\n")
    (root / "data" / "sources" / "words.yml").write_text("a: 1\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    package_files.package_folders.cache_clear()
    yield root
    package_files.package_folders.cache_clear()
    sys.modules.pop(PACKAGE, None)


@pytest.fixture
def interview_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "interviews"
    (folder / "data" / "static").mkdir(parents=True)
    (folder / "data" / "static" / "own.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "main.yml").write_text("question: hi\n")
    (folder / "code.py").write_text("x = 1\n")
    return folder


def test_package_references_name_the_folder_their_kind_implies(package: Path):
    assert find(f"{PACKAGE}:letter.docx", "templates") == (package / "data/templates/letter.docx").resolve()
    assert find(f"{PACKAGE}:data/templates/letter.docx", "static") == (package / "data/templates/letter.docx").resolve()
    assert find(f"{PACKAGE}:logo.png") == (package / "data/static/logo.png").resolve()
    assert find(f"{PACKAGE}:shared.yml", "questions") == (package / "data/questions/shared.yml").resolve()
    assert find(f"{PACKAGE}:data/sources/words.yml", "sources").read_text() == "a: 1\n"
    assert PACKAGE not in sys.modules  # found by its spec, its code never ran


@pytest.mark.parametrize("reference", [
    f"{PACKAGE}:../secret.py", f"{PACKAGE}:data/../secret.py", f"{PACKAGE}:/etc/passwd", f"{PACKAGE}:secret.py",
    f"{PACKAGE}:data/static/../../secret.py", f"{PACKAGE}:data\\..\\secret.py", f"{PACKAGE}:.hidden",
    f"{PACKAGE}:data/static/\x00x", "/etc/passwd", "../main.yml", "https://example.com/x.png",
    "os:data/static/x.png", "no such package!:x.png", "",
])
@pytest.mark.usefixtures("package")
def test_attacker_references_are_refused_naming_the_reference(interview_folder: Path, reference: str):
    with pytest.raises(FileNotProvided, match=r"'.*'|no interview folder"):
        find(reference, "static", home_of(interview_folder / "main.yml"))


def test_a_link_out_of_the_data_folder_is_refused(package: Path, tmp_path: Path):
    (tmp_path / "outside.txt").write_text("secret")
    (package / "data" / "static" / "link.txt").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(FileNotProvided, match=r"has no file data/static/link\.txt"):
        find(f"{PACKAGE}:link.txt")


def test_the_static_route_reaches_only_static_folders(package: Path, interview_folder: Path):
    assert lookup(PACKAGE, "sub/app.js") == (package / "data/static/sub/app.js").resolve()
    for relative in ("../secret.py", "%2e%2e/secret.py", "../templates/letter.docx", "/etc/passwd",
                     "data/templates/letter.docx", "../../__init__.py"):
        with pytest.raises(FileNotProvided):
            lookup(PACKAGE, relative)
    with pytest.raises(FileNotProvided, match="no installed package"):
        lookup("offstagetest_nothing", "x.png")
    assert lookup("-", "own.pdf", interview_folder / "main.yml").name == "own.pdf"
    for relative in ("main.yml", "code.py", "../interviews/main.yml"):
        with pytest.raises(FileNotProvided):  # an interview's sources are not static files
            lookup("-", relative, interview_folder / "main.yml")


@pytest.mark.usefixtures("package")
def test_static_urls_name_the_package_or_the_interview_with_a_content_hash(interview_folder: Path):
    home = home_of(interview_folder / "main.yml")
    url = url_for(f"{PACKAGE}:data/static/sub/app.js", home, "main.yml", "https://x.test/")
    assert url.startswith(f"https://x.test/packagestatic/{PACKAGE}/sub/app.js?v=")
    own = url_for("own.pdf", home, "main.yml")
    assert own.startswith("/packagestatic/-/own.pdf?i=main.yml&v=")
    (interview_folder / "data" / "static" / "own.pdf").write_bytes(b"%PDF-1.7 changed\n")
    assert url_for("own.pdf", home, "main.yml") != own  # a changed file gets a new URL
    with pytest.raises(FileNotProvided, match="cannot be found next to the interview"):
        url_for("main.yml", home, "main.yml")


def test_a_bare_name_in_a_package_layout_uses_the_package_folders(tmp_path: Path):
    questions = tmp_path / "data" / "questions" / "examples"
    questions.mkdir(parents=True)
    (tmp_path / "data" / "templates").mkdir()
    (tmp_path / "data" / "templates" / "t.docx").write_bytes(b"x")
    home = home_of(questions / "i.yml")
    assert home == Home(tmp_path.resolve(), questions.resolve())
    assert find("t.docx", "templates", home) == (tmp_path / "data/templates/t.docx").resolve()
    # a package that is not installed is stood in for by the interview's own package layout
    assert find("docassemble.notinstalled:data/templates/t.docx", "templates", home).name == "t.docx"


@pytest.mark.usefixtures("package")
def test_include_of_a_package_file_resolves_its_own_references_against_the_package(tmp_path: Path):
    main = tmp_path / "main.yml"
    main.write_text(f"include:\n  - {PACKAGE}:shared.yml\n---\nmandatory: True\ncode: |\n  pkg_seen\n"
                    "  letter\n  final = True\n---\nmandatory: True\nquestion: Done\n")
    h = Harness(load_interview_file(main), url_root="https://x.test", start=False)
    h.extra_ports["files"] = MemoryFiles()
    h.step()
    assert h.screen.question_text == "From the package", h.text
    assert f"https://x.test/packagestatic/{PACKAGE}/logo.png?v=" in (h.screen.subquestion_text or "")
    h.answer({"pkg_seen": True})
    assert h.screen.question_text == "Done", h.text  # the package's DOCX template was found in its data/templates


@pytest.mark.usefixtures("package")
def test_include_names_what_is_missing(tmp_path: Path):
    main = tmp_path / "main.yml"
    main.write_text(f"include:\n  - {PACKAGE}:nothing.yml\n")
    with pytest.raises(InterviewInvalid, match=rf"main.yml, line 1 .*cannot include '{PACKAGE}:nothing.yml'.*"
                                               "has no file data/questions/nothing.yml"):
        load_interview_file(main)
    main.write_text(f"include:\n  - {PACKAGE}:../secret.py\n")
    with pytest.raises(InterviewInvalid, match="cannot include"):
        load_interview_file(main)


@pytest.mark.usefixtures("package")
def test_the_registry_starts_and_lists_a_listed_packages_interviews(interview_folder: Path):
    registry = InterviewRegistry([interview_folder], packages=(PACKAGE,))
    name = f"{PACKAGE}:data/questions/start.yml"
    interview = registry.get(name)
    assert interview.package == PACKAGE
    assert interview.title == "Package start"
    assert (name, "Package start") in registry.list()
    for refused in (f"{PACKAGE}:data/templates/letter.docx", f"{PACKAGE}:data/questions/../../secret.py",
                    f"{PACKAGE}:data/questions/none.yml"):
        with pytest.raises(InterviewNotFound):
            registry.get(refused)
    unlisted = InterviewRegistry([interview_folder])
    with pytest.raises(InterviewNotFound):  # a package the operator did not list is not served
        unlisted.get(name)


def test_the_operator_names_packages_and_a_wrong_one_is_refused_at_once(capsys: pytest.CaptureFixture[str]):
    from offstage.cli import main
    from offstage.settings import Settings

    assert Settings.from_env({"INTERVIEW_PACKAGES": "docassemble.AssemblyLine, docassemble.ALToolbox"}
                             ).interview_packages == ("docassemble.AssemblyLine", "docassemble.ALToolbox")
    with pytest.raises(ValueError, match=r"INTERVIEW_PACKAGES: '\.\./x' is not a Python package name"):
        Settings.from_env({"INTERVIEW_PACKAGES": "../x"})
    assert main(["serve", "--package", "docassemble.notinstalled_here"]) == 2
    assert "not an installed package: docassemble.notinstalled_here" in capsys.readouterr().err


@pytest.mark.usefixtures("package")
def test_a_file_tag_on_a_screen_shows_the_static_picture(tmp_path: Path):
    main = tmp_path / "main.yml"
    main.write_text(f"mandatory: True\nquestion: Pictures\nsubquestion: |\n  [FILE {PACKAGE}:logo.png, 2in, Our logo]\n\n"
                    "  [FILE nowhere.png]\n")
    h = Harness(load_interview_file(main))
    shown = h.screen.subquestion_text or ""
    assert f'<img src="/packagestatic/{PACKAGE}/logo.png?v=' in shown
    assert 'alt="Our logo" style="width: 2in"' in shown
    assert "[FILE nowhere.png]" in shown  # not a file of the interview: left as the author wrote it
