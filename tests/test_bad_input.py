"""Every bad input stops the build with one short message naming the file and line (issues 2 and 9).

Each test breaks one thing in a throwaway copy of the small test book (tests/smallbook/) and builds it as the
Makefile does. The message must name the file and the line of the mistake; the build must fail.
"""
import subprocess
from pathlib import Path

import pytest

from bookcopy import REPO, SMALL_BOOK_EPOCH, append_line, copy_small_book, sphinx, warnings

CHAPTER1 = "source/chapters/01-first.md"  # paths inside a copy of the small book
BIB = "bib/sample.bib"


@pytest.fixture
def book(tmp_path):
    return copy_small_book(tmp_path / "book")


def assert_one_problem_at(result, path: Path, line: int, *words: str):
    """The build failed, with exactly one message, at ``path:line``, saying ``words``."""
    problems = warnings(result)
    assert result.returncode != 0, "the build succeeded despite the mistake"
    assert len(problems) == 1, "expected one message, got:\n" + "\n".join(problems)
    assert f"{path}:{line}:" in problems[0], problems[0]
    for word in words:
        assert word in problems[0], problems[0]


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
                if text in line)


@pytest.mark.parametrize("markup, word", [
    ("见{ref}`no-such-section`。", "no-such-section"),
    ("见{numref}`tab-no-such-table`。", "tab-no-such-table"),
    ("见{doc}`no-such-chapter`。", "no-such-chapter"),
])
def test_broken_cross_reference(book, markup, word):
    line = append_line(book / CHAPTER1, markup)
    assert_one_problem_at(sphinx(book), book / CHAPTER1, line, word)


def test_unknown_citation_key(book):
    line = append_line(book / CHAPTER1, "这是一个没有来源的论断{cite}`no-such-key-2099`。")
    assert_one_problem_at(sphinx(book), book / CHAPTER1, line, "no-such-key-2099")


def test_malformed_bib_entry(book):
    bib = book / BIB
    line = append_line(bib, "@book{broken-entry,\n  title = {未闭合的条目,\n")
    problems = warnings(sphinx(book))
    # the entry is reported at the field it leaves open (the title, the line after the entry's first line)
    assert problems and f"{bib}:{line + 1}:" in problems[0] and "broken-entry" in problems[0], problems


def test_bib_entry_missing_required_field(book):
    bib = book / BIB
    line = append_line(bib, "@book{book-without-author,\n  title = {没有作者的书},\n  langid = {chinese}\n}")
    result = sphinx(book)
    problems = warnings(result)
    assert result.returncode != 0
    assert any(f"{bib}:{line}:" in p and "book-without-author" in p for p in problems), problems


def test_timeline_date_contradicting_its_document(book):
    """sample-meeting is dated by its document, sample-report (2020-05-12): another day is a contradiction."""
    timeline = book / "source" / "timeline.yaml"
    text = timeline.read_text(encoding="utf-8")
    event = '- id: sample-meeting\n  date: "2020-05-12"'
    assert event in text and "{2020-05-12}" in (book / BIB).read_text(encoding="utf-8")
    timeline.write_text(text.replace(event, event.replace("2020-05-12", "2020-05-13")), encoding="utf-8")
    line = line_of(timeline, 'date: "2020-05-13"')
    problems = warnings(sphinx(book))
    assert any(f"{timeline}:{line}:" in p and "sample-meeting" in p for p in problems), problems


def test_figure_without_alt_text(book):
    line = append_line(book / CHAPTER1, "```{figure} ../figures/missing-alt.svg\n:name: fig-test-no-alt\n\n标题\n```")
    (book / "source" / "figures" / "missing-alt.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    assert_one_problem_at(sphinx(book), book / CHAPTER1, line, "alt")


def test_image_file_that_does_not_exist(book):
    line = append_line(book / CHAPTER1, "```{figure} ../figures/no-such-file.svg\n:alt: 不存在的图\n\n标题\n```")
    problems = warnings(sphinx(book))
    assert any(f"{book / CHAPTER1}:{line}:" in p and "no-such-file.svg" in p for p in problems), problems


def test_chapter_missing_from_toctree(book):
    orphan = book / "source" / "chapters" / "03-orphan.md"
    orphan.write_text("(ch3)=\n# 孤立的一章\n\n正文。\n", encoding="utf-8")
    problems = warnings(sphinx(book))
    assert len(problems) == 1 and str(orphan) in problems[0] and "toctree" in problems[0], problems


def test_duplicate_label(book):
    assert "(ch1-basics)=" in (book / CHAPTER1).read_text(encoding="utf-8")
    line = append_line(book / CHAPTER1, "(ch1-basics)=\n## 重复的标签")
    problems = warnings(sphinx(book))
    assert any(f"{book / CHAPTER1}:{line}:" in p and "ch1-basics" in p for p in problems), problems


def test_raw_latex_block_is_refused(book):
    line = append_line(book / CHAPTER1, "```{raw} latex\n\\begin{broken\n```")
    assert_one_problem_at(sphinx(book), book / CHAPTER1, line, "raw latex")


@pytest.mark.parametrize("edit, field", [
    (('isbn_print = ""', 'isbn_print = "978-7-300-00000-1"'), "isbn_print"),
    (('title = "小书"', 'title = ""'), "title"),
])
def test_bad_metadata_names_file_line_and_field(book, edit, field):
    toml = book / "source" / "book.toml"
    text = toml.read_text(encoding="utf-8")
    assert edit[0] in text
    toml.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    line = text[:text.index(edit[0])].count("\n") + 1
    result = subprocess.run([str(REPO / ".venv/bin/python"), "-m", "zhbook.metadata", str(toml)],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert f"{toml}:{line}: {field}:" in result.stderr, result.stderr


def test_missing_font_is_named_before_latex_runs(tmp_path, monkeypatch):
    from zhbook.tools import texrun
    # texrun refuses to run undated; `make test` sets the epoch, pytest run by hand may not
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SMALL_BOOK_EPOCH)
    tex = tmp_path / "book.tex"
    tex.write_text("\\documentclass{article}\n\\usepackage{xeCJK}\n\\setCJKmainfont{Noto Serif CJK ZZ}\n"
                   "\\begin{document}中文\\end{document}\n", encoding="utf-8")
    with pytest.raises(texrun.TexFailure, match="Noto Serif CJK ZZ"):
        texrun.run_latexmk(tex)
    assert not tex.with_suffix(".log").exists(), "XeLaTeX should not have run at all"
