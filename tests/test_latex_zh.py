"""zhbook.ext.latex_zh: the LaTeX set-up of a Chinese book (tests/roots/test-latex-zh: a preface, two numbered
chapters, an appendix). XeLaTeX with ctex and the named faces on the book's page, title and 版权页 from the
metadata file, front/main/back matter around the numbered chapters, conf.py's own settings winning; compiled, the
chapters open 第一章, the front matter is numbered i, ii … and every face is embedded."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from zhbook.core import page_geometry
from zhbook.ext import latex_zh

ROOT = Path(__file__).parent / "roots" / "test-latex-zh"


def build_latex(base: Path, **overrides) -> Path:
    srcdir = base / "src"
    shutil.copytree(ROOT, srcdir)
    app = SphinxTestApp("latex", srcdir=srcdir, builddir=srcdir / "_build", confoverrides=overrides)
    try:
        app.build()
        assert app.warning.getvalue() == ""
        return Path(app.outdir)
    finally:
        app.cleanup()


@pytest.fixture(scope="module")
def latex(tmp_path_factory) -> Path:
    return build_latex(tmp_path_factory.mktemp("latex-zh"))


@pytest.fixture(scope="module")
def tex(latex) -> str:
    return (latex / "latex-root.tex").read_text(encoding="utf-8")


def test_chinese_set_up_on_the_books_page_and_conf_py_wins(latex, tex):
    assert [p.name for p in latex.glob("*.tex")] == ["latex-root.tex"], "named by the slug of book.toml"
    preamble = tex[:tex.index(r"\begin{document}")]
    assert r"\usepackage[UTF8,scheme=chinese,heading=false,fontset=none,zihao=5]{ctex}" in preamble
    assert "babel" not in preamble and r"\usepackage{fncychap}" not in preamble
    assert latex_zh.FONTS.strip() in preamble and page_geometry.BOOK.latex() in preamble
    assert r"\hypersetup{pdftitle={排版测试书}, pdfauthor={张明编著}, pdfsubject={公共行政}" in preamble
    assert r"\documentclass[letterpaper,11pt,openright,twoside]{sphinxmanual}" in preamble, \
        "conf.py's pointsize (11pt) wins over the extension's 10pt"


def test_title_page_and_copyright_page_from_the_metadata(tex):
    front = tex[tex.index(r"\frontmatter"):tex.index(r"\tableofcontents")]
    assert r"\bfseries 排版测试书\par}" in front and r"{\Large 一本很小的示例书\par}" in front
    assert r"{\Large 张明编著\par}" in front and r"{\large 示例大学出版社\par}" in front
    assert "图书在版编目（CIP）数据" in front and "ISBN 978-7-04-012345-6" in front
    # The 版本记录 before the book is measured (zhbook.tools.catalog.imprint): the metadata's rows; the page asks
    # texrun for the measured one (开本, 印张, 字数) and prints it once written.
    for row in ("书名 & 排版测试书：一本很小的示例书", "出版者 & 示例大学出版社（北京）", "版次 & 2026年第1版",
                "印次 & 2026年第1次印刷", "书号 & ISBN 978-7-04-012345-6"):
        assert row + r"\\" in front
    assert "% zhbook-imprint: metadata=" in front and r"\IfFileExists{\jobname-imprint.tex}" in front
    assert "© 2026 示例作者。保留所有权利。" in front
    assert r"\renewcommand{\contentsname}{目录}" in tex


def test_title_page_escapes_tex_specials_in_any_process(tmp_path):
    """The metadata's text prints as written: TeX's specials escaped, a hyphen a hyphen — whether or not Sphinx's
    own escaping tables were set up by an earlier build in the process (they are not at config-inited)."""
    from sphinx.util import texescape

    from zhbook import metadata

    toml = (ROOT / "book.toml").read_text(encoding="utf-8").replace('title = "排版测试书"', 'title = "政策&法规_100% #1 A-B"', 1)
    assert "政策&法规" in toml
    (tmp_path / "book.toml").write_text(toml, encoding="utf-8")
    book = metadata.load(tmp_path / "book.toml")
    before = latex_zh.title_pages(book)
    texescape.init()
    assert latex_zh.title_pages(book) == before
    assert r"\bfseries 政策\&法规\_100\% \#1 A-B\par}" in before


def test_no_publisher_line_when_the_authors_publish(tmp_path):
    tex = (build_latex(tmp_path, zhbook_metadata_file="book-self.toml") / "latex-root.tex").read_text(encoding="utf-8")
    title_page = tex[tex.index(r"\begin{titlepage}"):tex.index(r"\end{titlepage}")]
    assert r"{\Large 测试编写组编\par}" in title_page and r"{\large 测试编写组\par}" not in title_page


def test_front_main_and_back_matter_around_the_numbered_chapters(tex):
    body = tex[tex.index(r"\begin{document}"):]
    order = [r"\frontmatter", r"\chapter{前言}", r"\mainmatter", r"\chapter{服务型政府的由来}",
             r"\chapter{建设的路径}", r"\backmatter", r"\chapter{大事年表}", r"\printindex"]
    places = [body.find(mark) for mark in order]
    assert -1 not in places and places == sorted(places), dict(zip(order, places))
    assert body.count(r"\mainmatter") == body.count(r"\backmatter") == 1


@pytest.mark.skipif(not shutil.which("xelatex"), reason="XeLaTeX is needed to compile")
def test_compiled_chapters_folios_and_faces(latex, tmp_path):
    work = shutil.copytree(latex, tmp_path / "latex")
    run = subprocess.run(["xelatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
                          "latex-root.tex"], cwd=work, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    pdf = work / "latex-root.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    words = [" ".join(page.split()) for page in pages]
    assert words[0].startswith("排版测试书 一本很小的示例书 张明编著 示例大学出版社")
    preface = next(w for w in words if "前言的正文" in w)
    one = next(w for w in words if "第一章的正文" in w)
    two = next(w for w in words if "第二章的正文" in w)
    appendix = next(w for w in words if "附录的正文" in w)
    assert preface.split()[-1] in ("iii", "v") and "第" not in preface.split()[0], "front matter: roman, no 第…章"
    assert one.startswith("第一章 服务型政府的由来") and one.split()[-1] == "1" and "1.1 定义" in one
    assert two.startswith("第二章 建设的路径")
    assert appendix.startswith("大事年表"), "back matter: no chapter number"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), "every face embedded"
    assert any("NotoSerifCJK" in line for line in fonts) and any("NotoSansCJK" in line for line in fonts)
