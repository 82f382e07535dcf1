"""The machinery's tests never read this book: nothing under tests/ (its test roots and the small book aside) opens
the repository's source/, bib/, _static/, build/ or dist/, or imports book_tests/' readers of them. Replacing
source/ and bib/ with another book must leave every test here working; this book's own checks are in book_tests/.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
#: Folders of their own small projects, which have a source/ of course.
OWN_PROJECTS = ("roots", "smallbook")
BOOK_FOLDERS = "source|bib|_static|build|dist|book_tests"
#: A path into the repository's book: REPO / "source", ROOT / "dist" / …, or a bare Path("bib/…") read from the
#: working folder (make test runs pytest in the repository).
BOOK_PATH = re.compile(rf"""\b(REPO|ROOT|PROJECT_ROOT)\s*/\s*["']({BOOK_FOLDERS})\b|\bPath\(\s*["']({BOOK_FOLDERS})(/|["'])""")
#: Modules of book_tests/ that know where this book is.
BOOK_MODULES = {"outputs"}


def machinery_test_files() -> list[Path]:
    return [path for path in sorted(TESTS.rglob("*.py"))
            if path.relative_to(TESTS).parts[0] not in OWN_PROJECTS and path.name != Path(__file__).name]


def reads_of_the_book(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = [f"{path.name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}" for m in BOOK_PATH.finditer(text)]
    for node in ast.walk(ast.parse(text)):
        names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        found += [f"{path.name}:{node.lineno}: imports {name}" for name in names if name.split(".")[0] in BOOK_MODULES]
    return found


def test_no_machinery_test_reads_this_book():
    files = machinery_test_files()
    assert TESTS / "test_epub.py" in files and TESTS / "conftest.py" in files
    assert not any("smallbook" in p.parts or "roots" in p.parts for p in files)
    assert [hit for path in files for hit in reads_of_the_book(path)] == []


def test_the_check_sees_each_way_of_reading_the_book(tmp_path):
    """What the check must catch (as tests/outputs.py did before the split), and what it must let through."""
    bad = tmp_path / "bad.py"
    bad.write_text('SOURCE = REPO / "source"\nDIST = REPO/"dist"\nbibs = ROOT / \'bib\'\n'
                   'CHAPTER = Path("source/chapters/01.md")\nfrom outputs import PDF\nimport outputs\n', encoding="utf-8")
    assert [hit.split(": ", 1)[0] for hit in reads_of_the_book(bad)] == [f"bad.py:{n}" for n in (1, 2, 3, 4, 5, 6)]
    good = tmp_path / "good.py"
    good.write_text('ROOTS = REPO / "tests" / "roots"\nbook = tmp_path / "source" / "index.md"\n'
                    'SMALL = REPO / "tests" / "smallbook" / "source"\nsourcedir = REPO / "sourcery"\n', encoding="utf-8")
    assert reads_of_the_book(good) == []
