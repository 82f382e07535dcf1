"""zhbook.ext.handouts: one A4 LaTeX file per numbered chapter, readable alone (tests/roots/test-handouts).

Chapter 2 refers to a section, a table and the whole of chapter 1, and cites three works the book numbers otherwise;
its handout reads those references as text with the book's numbers, keeps its own links, renumbers its marks 1, 2,
3 … in order of first citation and ends with its own 参考文献 in that order.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from zhbook.core import page_geometry

ROOT = Path(__file__).parent / "roots" / "test-handouts"


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path_factory.mktemp("handouts") / "src"
    shutil.copytree(ROOT, srcdir)
    app = SphinxTestApp("handouts", srcdir=srcdir, builddir=srcdir / "_build")
    try:
        app.build()
        assert app.warning.getvalue() == ""
        yield Path(app.outdir)
    finally:
        app.cleanup()


def body(tex: str) -> str:
    return tex[tex.index(r"\begin{document}"):]


def marks(tex: str) -> list[list[str]]:
    return [re.findall(r"hyperlink\{cite\.handout:(\d+)\}", mark)
            for mark in re.findall(r"\\DUrole\{bibtex-citation\}\{(.*?)\}\}\}\$", tex)]


def bibliography(tex: str) -> list[tuple[str, str]]:
    listing = tex[tex.index(r"\section*{参考文献}"):]
    return re.findall(r"\\bibitem\[(\d+)\]\{handout:\d+\}\s*\\sphinxAtStartPar\s*(\S+)", listing)


def test_one_file_per_numbered_chapter(handouts):
    assert sorted(p.name for p in handouts.glob("*.tex")) == ["ch1.tex", "ch2.tex"]


def test_a4_page_title_heading_and_chapter_number(handouts):
    tex = (handouts / "ch2.tex").read_text(encoding="utf-8")
    assert page_geometry.HANDOUT.latex() in tex and "paperwidth=210mm,paperheight=297mm" in tex
    assert r"\hypersetup{pdftitle={讲义测试书·讲义：第二章 建设的路径}}" in tex
    assert r"\renewcommand{\zhbookhandoutheading}{公共管理学·《讲义测试书》讲义}" in tex
    assert r"\setcounter{chapter}{1}\pagestyle{handout}" in tex, "the chapter keeps its book number: 第二章, 2.1"
    assert r"\fancyfoot[C]{\small 第\,\thepage\,页 / 共\,\pageref*{LastPage}\,页}" in tex
    assert r"\tableofcontents" not in body(tex) and r"\printindex" not in body(tex)


def test_references_into_another_chapter_become_text_with_the_books_numbers(handouts):
    tex = body((handouts / "ch2.tex").read_text(encoding="utf-8"))
    assert "定义见第一章第1节“服务型政府的定义”，比较见表 1.1，来由见第一章“服务型政府的由来”；" in tex
    assert r"\detokenize{ch1:" not in tex, "no link to a chapter the handout does not hold"
    assert r"\hyperref[\detokenize{ch2:sec-path}]" in tex, "a link inside the chapter stays a link"


def test_marks_and_list_are_the_chapters_own(handouts):
    ch2 = (handouts / "ch2.tex").read_text(encoding="utf-8")
    # the book numbers these works chen2000 1, who1970 2, denhardt2000 3; the handout in its own order of citation
    assert marks(ch2) == [["1"], ["2", "3"]]
    assert bibliography(ch2) == [("1", "World"), ("2", "陈登原."), ("3", "DENHARDT")]
    ch1 = (handouts / "ch1.tex").read_text(encoding="utf-8")
    assert marks(ch1) == [["1"], ["2"]]
    assert bibliography(ch1) == [("1", "陈登原."), ("2", "World")]
