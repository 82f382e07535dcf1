"""Damaged input never crashes the build, never reaches print unnoticed, and never goes unnoticed by make (issue 18).

Each test damages a copy of the small test book (tests/smallbook/, built once per session) the way editors'
machines do, runs `make` in it and asserts the exact file and line of the message, that no traceback was printed
and that dist/ is byte for byte what it was. Tests of what must build (BOM and CRLF, a renamed chapter) compare
what was published instead.
"""
from __future__ import annotations

import fcntl
import os
import re
import threading
import time
import zipfile
from pathlib import Path

import pytest

from bookcopy import copy_tree
from damage import build, crash_lines, problems, tree_digest

CHAPTER1 = "source/chapters/01-first.md"
CHAPTER2 = "source/chapters/02-second.md"


@pytest.fixture
def book(built_small_book, tmp_path):
    """A copy of the built small book, and dist/ as it was before the test damaged anything."""
    project = copy_tree(built_small_book, tmp_path / "book")
    return project, tree_digest(project / "dist")


def line_of(path: Path, text: str) -> int:
    lines = path.read_bytes().decode("utf-8", "replace").split("\n")
    return next(number for number, line in enumerate(lines, 1) if text in line)


def insert(path: Path, before: str, data: bytes) -> int:
    """Put ``data`` in front of the first ``before``; return its line."""
    raw = path.read_bytes()
    at = raw.index(before.encode())
    path.write_bytes(raw[:at] + data + raw[at:])
    return raw.count(b"\n", 0, at) + 1


def assert_stopped_at(result, project: Path, dist_before: dict, path: str, line: int, *words: str,
                      only: bool = True):
    """make failed; its first message (its only one, unless ``only`` is False) is ``path:line:`` with ``words``;
    no traceback; dist/ unchanged."""
    found = problems(result, project)
    assert result.returncode != 0, "the build succeeded despite the damage"
    assert not crash_lines(result), crash_lines(result)
    assert found, "no file:line message at all:\n" + result.stderr[-3000:]
    assert found[0][:2] == (path, line), f"expected {path}:{line}, got:\n" + "\n".join(map(str, found))
    if only:
        assert len(found) == 1, "expected one message, got:\n" + "\n".join(map(str, found))
    for word in words:
        assert word in found[0][2], found[0]
    assert tree_digest(project / "dist") == dist_before, "a failed build changed dist/"


# --- damage that reached print or crashed the build --------------------------------------------------------------

def test_role_without_closing_backtick_stops_at_its_line(book):
    project, dist = book
    chapter = project / CHAPTER2
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n这一句的引用少了结尾的反引号{cite}`sample-book。\n",
                       encoding="utf-8")
    line = line_of(chapter, "{cite}`sample-book。")
    assert_stopped_at(build(project), project, dist, CHAPTER2, line, "{cite}`sample-book", "backtick")


def test_markup_that_sphinx_lets_through_is_caught_in_the_output(book):
    """`??` written in the prose builds green in Sphinx: the scan of the built HTML stops it at its line."""
    project, dist = book
    chapter = project / CHAPTER2
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n详见第??章。\n", encoding="utf-8")
    line = line_of(chapter, "??")
    result = build(project, "html")
    assert_stopped_at(result, project, dist, CHAPTER2, line, "??", "HTML")


def test_invalid_utf8_in_a_chapter(book):
    project, dist = book
    line = insert(project / CHAPTER1, "示例文字", b"\xff")
    assert_stopped_at(build(project), project, dist, CHAPTER1, line, "invalid UTF-8", "0xFF", "column 4")


def test_chapter_saved_as_gbk_is_named_as_such(book):
    project, dist = book
    chapter = project / CHAPTER1
    chapter.write_bytes(chapter.read_bytes().decode("utf-8").encode("gb18030"))
    assert_stopped_at(build(project), project, dist, CHAPTER1, 2, "invalid UTF-8", "GBK")


@pytest.mark.parametrize("path, before, data, line, words", [
    ("bib/sample.bib", "publisher", b"\x00\x00\x00", 7, ("NUL", "column 3")),
    (CHAPTER1, "本章", b"\x1b[0m", 4, ("control character", "U+001B")),
    ("source/timeline.yaml", "  what", b"\x0c", 5, ("U+000C",)),
    ("_static/epub.css", "body", b"\x00", 3, ("NUL",)),
], ids=["nul-in-bib", "escape-in-chapter", "form-feed-in-timeline", "nul-in-css"])
def test_nul_and_control_characters(book, path, before, data, line, words):
    project, dist = book
    assert insert(project / path, before, data) == line
    assert_stopped_at(build(project), project, dist, path, line, *words)


def test_truncated_svg(book):
    project, dist = book
    svg = project / "source/figures/flow.svg"
    data = svg.read_bytes()
    svg.write_bytes(data[:data.index(b"<text", 300) + 12])  # cut inside an element, as an interrupted copy does
    last = svg.read_bytes().count(b"\n") + 1
    assert_stopped_at(build(project), project, dist, "source/figures/flow.svg", last, "malformed SVG", "cut short")


def test_svg_that_is_not_svg(book):
    project, dist = book
    (project / "source/figures/flow.svg").write_text('<?xml version="1.0"?>\n<html><body/></html>\n', "utf-8")
    assert_stopped_at(build(project), project, dist, "source/figures/flow.svg", 2, "<html>", "not <svg>")


@pytest.mark.parametrize("old, new, key, words", [
    ("year = 2026", 'year = "二〇二六"', "year", ("whole number", "二〇二六")),
    ("edition_number = 1", "edition_number = true", "edition_number", ("whole number", "true")),
    ('subjects = ["示例", "测试"]', 'subjects = "示例"', "subjects", ("list",)),
    ("corporate = true", 'corporate = "是"', "corporate", ("true or false",)),
], ids=["year-as-string", "number-as-boolean", "list-as-string", "boolean-as-string"])
def test_toml_value_of_the_wrong_type(book, old, new, key, words):
    project, dist = book
    toml = project / "source/book.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace(old, new), encoding="utf-8")
    assert_stopped_at(build(project), project, dist, "source/book.toml", line_of(toml, new), key, *words)


@pytest.mark.parametrize("old, new, key, words", [
    ('amount = ""', 'amount = "48.00"', "amount", ("has no currency", "[price]")),
    ("printing = 1", "printing = 0", "printing", ("印次", "not 0")),
    ('clc = ""', 'clc = "D6301"', "clc", ("D6301", "中图分类号", "D630.1")),
], ids=["price-without-currency", "printing-below-1", "malformed-clc"])
def test_bad_imprint_metadata_stops_the_build(book, old, new, key, words):
    """The 版本记录 and the records state the price, the 印次 and the CLC class: a wrong one stops `make` at its
    line in book.toml, and the last good dist/ stays."""
    project, dist = book
    toml = project / "source/book.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new), encoding="utf-8")
    assert_stopped_at(build(project), project, dist, "source/book.toml", line_of(toml, new), key, *words)


@pytest.mark.parametrize("path, old, new, reported_at, words", [
    ("source/book.toml", 'title = "小书"', "title = 小书", "title = 小书", ("invalid TOML",)),
    # an unclosed flow sequence: YAML notices it where the next key starts
    ("source/timeline.yaml", "  sources: [sample-report]", "  sources: [sample-report", "document:",
     ("invalid YAML",)),
    ("_static/epub.css", "h1, h2, h3 {", "h1, h2, h3 {{", "h1, h2, h3 {{", ("never closed",)),
], ids=["toml", "yaml", "css"])
def test_malformed_data_file(book, path, old, new, reported_at, words):
    project, dist = book
    target = project / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    assert_stopped_at(build(project), project, dist, path, line_of(target, reported_at), *words)


# --- deletions and renames ---------------------------------------------------------------------------------------

def test_deleted_bib_file_is_noticed(book):
    """make used to answer “nothing to rebuild” and keep the old book; now every citation of it is named."""
    project, dist = book
    (project / "bib/sample.bib").unlink()
    result = build(project)
    found = problems(result, project)
    assert result.returncode != 0 and not crash_lines(result)
    first_citation = (CHAPTER1, line_of(project / CHAPTER1, "{cite}`sample-book`"))
    assert first_citation in [(path, line) for path, line, _ in found], found
    assert any(path == "source/timeline.yaml" and "sample-report" in message for path, _, message in found), found
    assert tree_digest(project / "dist") == dist


def test_deleted_chapter_still_in_the_toctree_is_noticed(book):
    project, dist = book
    (project / CHAPTER2).unlink()
    toctree = line_of(project / "source/index.md", "```{toctree}")
    assert_stopped_at(build(project), project, dist, "source/index.md", toctree, "chapters/02-second")


def test_renamed_figure_is_noticed(book):
    project, dist = book
    (project / "source/figures/flow.svg").rename(project / "source/figures/process.svg")
    figure = line_of(project / CHAPTER1, "```{figure} ../figures/flow.svg")
    assert_stopped_at(build(project), project, dist, CHAPTER1, figure, "flow.svg")


def test_renamed_chapter_leaves_no_stale_page(book):
    """A renamed chapter (its toctree entry renamed too) builds, and no edition keeps the old page."""
    project, _ = book
    (project / CHAPTER2).rename(project / "source/chapters/02-limits.md")
    index = project / "source/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("02-second", "02-limits"), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    published = tree_digest(project / "dist")
    assert not [name for name in published if "02-second" in name], "a stale page or handout was published"
    assert {"html/chapters/02-limits.html", "handouts/02-limits.pdf", "booklets/02-limits.pdf"} <= set(published)
    with zipfile.ZipFile(project / "dist/small-book.epub") as epub:
        assert not [n for n in epub.namelist() if "02-second" in n] and "chapters/02-limits.xhtml" in epub.namelist()


def test_deleted_stylesheet_is_noticed(book):
    """A deleted static file rebuilds the editions that shipped it (the EPUB goes back to the theme's style)."""
    project, _ = book
    ours = (project / "_static/epub.css").read_bytes()
    (project / "_static/epub.css").unlink()
    result = build(project, "html", "epub-draft")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "nothing to rebuild" not in result.stdout
    assert not (project / "dist/html/_static/epub.css").exists()
    with zipfile.ZipFile(project / "build/epub/small-book.epub") as epub:
        assert epub.read("_static/epub.css") != ours


# --- what must build to the same bytes -----------------------------------------------------------------------------

def test_bom_and_crlf_build_the_same_bytes_as_clean_lf_input(book):
    """Every kind of input saved by a Windows editor (UTF-8 with a BOM, CRLF line ends) gives the same dist/."""
    project, dist = book
    kinds = ["source/**/*.md", "bib/*.bib", "source/timeline.yaml", "source/book.toml", "source/**/*.svg",
             "_static/*.css"]
    files = [path for pattern in kinds for path in project.glob(pattern)]
    assert {path.suffix for path in files} == {".md", ".bib", ".yaml", ".toml", ".svg", ".css"}
    for path in files:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    # Touch the machinery too, so that every stage really runs again rather than trusting what it made before.
    (project / "zhbook/__init__.py").touch()
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "sphinx html" in result.stdout and "sphinx epub" in result.stdout and "sphinx latex" in result.stdout
    after = tree_digest(project / "dist")
    assert sorted(after) == sorted(dist)
    assert [name for name in dist if after[name] != dist[name]] == []


def test_make_epub_publishes_the_same_epub_as_make(book):
    """`make epub` after a clean start gives the EPUB `make` publishes, print page list included."""
    project, dist = book
    import shutil
    shutil.rmtree(project / "dist")
    shutil.rmtree(project / "build")
    result = build(project, "epub")
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(tree_digest(project / "dist")) == ["small-book.epub"]
    assert (project / "dist/small-book.epub").read_bytes() == dist["small-book.epub"]


def test_epub_draft_never_goes_to_dist(book):
    project, dist = book
    chapter = project / CHAPTER2
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n草稿里新加的一段。\n", encoding="utf-8")
    result = build(project, "epub-draft")
    assert result.returncode == 0, result.stderr[-3000:]
    with zipfile.ZipFile(project / "build/epub/small-book.epub") as epub:
        assert "草稿里新加的一段" in epub.read("chapters/02-second.xhtml").decode("utf-8")
    assert tree_digest(project / "dist") == dist


# --- crashes, locks ---------------------------------------------------------------------------------------------

def _inject_bug(project: Path, module: str, function: str) -> None:
    path = project / "zhbook" / f"{module}.py"  # module: its path in the package, e.g. ext/stray_markup
    text = path.read_text(encoding="utf-8")
    header = re.search(rf"^def {function}\(.*?\).*?:\n", text, re.M | re.S)
    path.write_text(text[:header.end()] + '    raise RuntimeError("an injected bug")\n' + text[header.end():],
                    encoding="utf-8")


@pytest.mark.parametrize("module, function, words", [
    ("ext/stray_markup", "check_document", ("Sphinx crashed in zhbook.ext.stray_markup", "check_document",
                                        "an injected bug", "make DEBUG=1")),
    ("tools/press", "main", ("zhbook.tools.press crashed", "RuntimeError: an injected bug", "make DEBUG=1")),
], ids=["in-sphinx", "in-a-tool"])
def test_a_bug_in_the_pipeline_is_one_line_and_a_traceback_only_with_debug(book, module, function, words):
    project, dist = book
    _inject_bug(project, module, function)
    result = build(project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "Versions\n====" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "injected bug" in line]
    assert len(errors) == 1 and all(word in errors[0] for word in words), result.stderr[-2000:]
    assert tree_digest(project / "dist") == dist
    debug = build(project, "DEBUG=1")
    assert debug.returncode != 0 and "Traceback" in debug.stderr and "injected bug" in debug.stderr


def test_second_make_waits_for_the_first(book):
    """While one make holds the folder's lock, a second one says so and waits; it runs when the lock is free."""
    project, _ = book
    chapter = project / CHAPTER2
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n等锁的时候新加的一段。\n", encoding="utf-8")
    holder = os.open(project, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    threading.Timer(3.0, lambda: os.close(holder)).start()  # closing the descriptor releases the lock
    started = time.monotonic()
    result = build(project, "html")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "another make is running" in result.stderr
    assert time.monotonic() - started >= 3.0, "make did not wait for the lock"
    assert "等锁的时候新加的一段" in (project / "dist/html/chapters/02-second.html").read_text(encoding="utf-8")


def test_two_makes_at_once_leave_build_and_dist_whole(book):
    """An editor's save hook and a manual run at the same moment: both succeed, one after the other."""
    project, _ = book
    chapter = project / CHAPTER2
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n同时构建时新加的一段。\n", encoding="utf-8")
    results: list = []
    runs = [threading.Thread(target=lambda: results.append(build(project, "html", "epub-draft"))) for _ in range(2)]
    for run in runs:
        run.start()
        time.sleep(0.3)
    for run in runs:
        run.join()
    assert [r.returncode for r in results] == [0, 0], [r.stderr[-1500:] for r in results]
    assert sum("another make is running" in r.stderr for r in results) == 1
    assert sum("sphinx html" in r.stdout for r in results) == 1, "the second make should find nothing to rebuild"
    assert "同时构建时新加的一段" in (project / "dist/html/chapters/02-second.html").read_text(encoding="utf-8")
    assert not (project / "dist.new").exists()


# --- what the fuzz test found --------------------------------------------------------------------------------------

def test_toctree_fence_that_lost_a_backtick(book):
    """``{toctree} is text, its entries leave the toctree: the message names the fence, not only the orphans (it
    crashed the timeline's links in the LaTeX build before)."""
    project, dist = book
    index = project / "source/index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("```{toctree}\n:maxdepth: 1", "``{toctree}\n:maxdepth: 1"), encoding="utf-8")
    result = build(project)
    fence = index.read_text(encoding="utf-8").split("\n").index("``{toctree}") + 1
    assert_stopped_at(result, project, dist, "source/index.md", fence, "``{toctree}", only=False)
    assert ("source/backmatter/timeline.md", 1) in [(path, line) for path, line, _ in problems(result, project)]


def test_document_without_title(book):
    project, dist = book
    index = project / "source/index.md"
    index.write_text(index.read_text(encoding="utf-8").removeprefix("# "), encoding="utf-8")
    assert_stopped_at(build(project), project, dist, "source/index.md", 1, "no title")


def test_unresolved_latex_reference_is_traced_to_its_chapter_line(tmp_path):
    from zhbook.tools import texrun
    source = tmp_path / "source"
    (source / "chapters").mkdir(parents=True)
    (source / "conf.py").write_text("", encoding="utf-8")
    (source / "chapters" / "ch2.md").write_text("# 二\n\n正文。\n\n详见第一章提到的结果。\n", encoding="utf-8")
    tex = tmp_path / "build" / "book.tex"
    tex.parent.mkdir()
    tex.write_text("\\begin{document}\n\\label{\\detokenize{chapters/ch2::doc}}\n"
                   "详见{\\hyperref[\\detokenize{chapters/ch1::doc}]{第一章}}提到的结果。\n", encoding="utf-8")
    tex.with_suffix(".log").write_text("LaTeX Warning: Hyper reference `chapters/ch1::doc' on page 7 undefined on "
                                       "input line 3.\n", encoding="utf-8")
    assert texrun.check_log(tex, source) == [
        f"{source}/chapters/ch2.md:5: link to a missing target chapters/ch1::doc"]
