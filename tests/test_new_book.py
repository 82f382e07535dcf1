"""`zhbook new` end to end: a new book written into a temporary folder builds every deliverable with `make` and
passes its own `make test`, offline, with the zhbook of this checkout — and carries nothing of any other book.

The new book is built with this checkout's .venv (``VENV=…``: the scaffold's Makefile then installs nothing) and
without network (``unshare --net``). The whole build, PDF included, takes about 20 s of work, so every deliverable
is built. This is a machinery test: it reads nothing of the book in this repository; the strings it must not find
are named here.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from zhbook import testing
from zhbook.tools import new

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
TITLE = "公共政策分析"
SLUG = "gong-gong-zheng-ce-fen-xi"
EPOCH = "1700000000"
#: Words of the book this repository holds, which a new book must never carry (a title, a chapter title, the slug).
OTHER_BOOK = ("服务型政府", "service-government", "案例分析", "思考与实践")


def zhbook(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(PYTHON), "-m", "zhbook", *args], capture_output=True, text=True, cwd=cwd)


def make(book: Path, *targets: str, offline: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([*(["unshare", "--net"] if offline else []), "make", "-C", str(book),
                           f"VENV={REPO / '.venv'}", f"SOURCE_DATE_EPOCH={EPOCH}", *targets],
                          capture_output=True, text=True, timeout=900,
                          env={k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "ZHBOOK_LOCK_HELD")})


@pytest.fixture(scope="module")
def built_book(tmp_path_factory):
    book = tmp_path_factory.mktemp("new") / "book"
    written = zhbook("new", str(book), "--title", TITLE)
    assert written.returncode == 0, written.stderr
    built = make(book, "all")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    tested = make(book, "test")
    return book, built, tested


def visible_text(book: Path) -> dict[str, str]:
    """Every published file as text: HTML, XHTML, OPF, CSS and records as they are, each PDF through pdftotext."""
    texts = {}
    for path in sorted((book / "dist").rglob("*")):
        name = str(path.relative_to(book / "dist"))
        if path.suffix == ".pdf":
            texts[name] = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                         text=True, check=True).stdout
        elif path.suffix == ".epub":
            with zipfile.ZipFile(path) as zf:
                for member in zf.namelist():
                    texts[f"{name}!{member}"] = zf.read(member).decode("utf-8", "replace")
        elif path.is_file():
            texts[name] = path.read_bytes().decode("utf-8", "replace")
    return texts


def test_slug_defaults_to_the_title_in_pinyin():
    assert new.default_slug(TITLE) == SLUG
    assert new.default_slug("公共管理2.0教程") == "gong-gong-guan-li-2-0-jiao-cheng"


def test_new_writes_every_file_of_a_book(tmp_path):
    result = zhbook("new", str(tmp_path / "b"), "--title", "示例教材", "--slug", "shili")
    assert result.returncode == 0, result.stderr
    files = {str(p.relative_to(tmp_path / "b")) for p in (tmp_path / "b").rglob("*") if p.is_file()}
    for expected in ("README.md", "Makefile", "pyproject.toml", "source/book.toml", "source/index.md",
                     "source/preface.md", "source/timeline.yaml", "_static/epub.css", ".ci/run",
                     "tests/test_book.py"):
        assert expected in files
    assert any(f.startswith("source/chapters/") for f in files) and any(f.startswith("bib/") for f in files)
    assert os.access(tmp_path / "b/.ci/run", os.X_OK)
    readme = (tmp_path / "b/README.md").read_text(encoding="utf-8")
    assert readme.index("make ") < readme.index("make test")
    pyproject = (tmp_path / "b/pyproject.toml").read_text(encoding="utf-8")
    assert f"zhbook[test] @ {REPO.as_uri()}" in pyproject
    toml = (tmp_path / "b/source/book.toml").read_text(encoding="utf-8")
    assert 'slug = "shili"' in toml and 'title = "示例教材"' in toml
    for identifier in ("isbn_print", "isbn_epub", "clc", "cip_number"):
        assert f'{identifier} = ""' in toml
    unfilled = [f for f in files if re.search(r"\{\{[a-z_]+\}\}", (tmp_path / "b" / f).read_text(encoding="utf-8"))]
    assert unfilled == []


def test_new_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = zhbook("new", str(tmp_path), "--title", "示例教材")
    assert result.returncode == 2
    assert result.stderr == f"zhbook new: {tmp_path} is not empty; give a new folder\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_new_refuses_a_title_without_a_slug(tmp_path):
    result = zhbook("new", str(tmp_path / "b"), "--title", "《》")
    assert result.returncode == 2 and "--slug" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "b").exists()


def test_make_only_looks_before_the_first_build(tmp_path):
    zhbook("new", str(tmp_path / "b"), "--title", "示例教材")
    result = subprocess.run(["make", "-n", "-C", str(tmp_path / "b")], capture_output=True, text=True)
    assert result.returncode != 0 and "run `make` once first" in result.stderr
    assert not (tmp_path / "b/.venv").exists() and not (tmp_path / "b/build").exists()


def test_a_book_outside_git_is_dated_by_its_metadata_file(tmp_path):
    """Without git history and without SOURCE_DATE_EPOCH, the outputs' date is book.toml's last change, not 1970
    (and not a chapter's, which would move the date, and so rebuild everything, at every save)."""
    book = tmp_path / "b"
    zhbook("new", str(book), "--title", "示例教材")
    os.utime(book / "source/book.toml", (1750000000, 1750000000))
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "ZHBOOK_LOCK_HELD", "SOURCE_DATE_EPOCH")}
    asked = subprocess.run(["make", "-C", str(book), f"VENV={REPO / '.venv'}",
                            "--eval=print-epoch: ; @echo EPOCH=$(SOURCE_DATE_EPOCH)", "print-epoch"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert "EPOCH=1750000000" in asked.stdout, asked.stdout + asked.stderr


def test_new_book_builds_and_passes_its_tests_offline(built_book):
    book, built, tested = built_book
    assert testing.missing_deliverables(book) == []
    assert sorted(p.name for p in (book / "dist").glob("*.*") if not p.name.startswith(".")) == [
        f"{SLUG}-press.pdf", f"{SLUG}.epub", f"{SLUG}.pdf"]
    assert tested.returncode == 0, tested.stdout[-3000:] + tested.stderr[-3000:]
    assert "4 passed" in tested.stdout


def test_new_book_epub_passes_epubcheck(built_book):
    book, _, _ = built_book
    assert testing.epubcheck_problems(book / "dist" / f"{SLUG}.epub") == []


def test_new_book_has_its_own_title_and_nothing_of_another_book(built_book):
    book, _, _ = built_book
    texts = visible_text(book)
    assert TITLE in texts[f"{SLUG}.pdf"] and TITLE in texts["html/index.html"]
    assert re.search(f"<dc:title[^>]*>{TITLE}</dc:title>", texts[f"{SLUG}.epub!content.opf"])
    assert "示例章节" in texts["handouts/01-sample.pdf"]
    found = [f"{name}: {word}" for name, text in texts.items() for word in OTHER_BOOK if word in text]
    assert found == []


def test_new_book_no_op_make_runs_nothing(built_book):
    book, _, _ = built_book
    again = make(book, "all")
    assert again.returncode == 0 and "Nothing to be done" in again.stdout
    assert "sphinx" not in again.stdout + again.stderr and "XeLaTeX" not in again.stdout + again.stderr


def test_book_checks_find_what_is_broken(built_book, tmp_path):
    """The checks a book's tests call fail on a damaged copy of the outputs: a dead link, a printed ``??``."""
    book, _, _ = built_book
    copy = tmp_path / "book"
    shutil.copytree(book / "source", copy / "source")
    shutil.copytree(book / "bib", copy / "bib")
    shutil.copytree(book / "dist", copy / "dist")
    page = copy / "dist/html/chapters/01-sample.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</p>", ' 见<a href="missing.html#nowhere">别处</a>??</p>', 1), encoding="utf-8")
    assert any("missing.html#nowhere (no such file)" in p for p in testing.html_link_problems(copy / "dist/html"))
    assert any("??" in p for p in testing.printed_markup_problems(copy))
    (copy / "dist/handouts/01-sample.pdf").write_bytes(b"")
    assert testing.missing_deliverables(copy) == [f"handout:01-sample: {copy}/dist/handouts/01-sample.pdf is empty"]
