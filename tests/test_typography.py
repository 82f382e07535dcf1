"""Chinese line and page breaking (issue 14): the checker finds each fault, and zhbook.ext.typography prevents them.

The checker (zhbook.tools.typography_check) is tried on inputs with one known fault of each kind: a small XeLaTeX
document (tests/data/typography/faults.tex) and an HTML page (faults.html). The breaking rules are tried on a
small Sphinx project (tests/roots/test-typography): its LaTeX compiled with XeLaTeX and its HTML laid out in
Chromium have no fault, while the same output with the rules taken out has some. The real book's outputs are
checked in book_tests/test_book_typography.py.
"""
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from docutils import nodes

from zhbook.core.page_geometry import BOOK, PageGeometry
from zhbook.ext.typography import last_two_characters
from zhbook.tools.typography_check import (KINDS, Fault, GeometryMismatch, check_layout, check_pdf, counted_characters,
                                     counts, layout_lines)

DATA = Path(__file__).resolve().parent / "data" / "typography"
TEX_POINT = 25.4 / 72.27  # mm
# The page of faults.tex (120 × 100 mm; a text block of 210 × 163 pt, 15 mm from the left and 12 mm from the top;
# the article class's own head and foot distances), and that of tests/roots/test-typography (Sphinx's 1 in margins).
FAULTS_PAGE = PageGeometry(width=120, height=100, inner=15, outer=120 - 15 - 210 * TEX_POINT, top=12,
                           bottom=100 - 12 - 163 * TEX_POINT, headsep=25 * TEX_POINT, footskip=30 * TEX_POINT,
                           two_sided=False)
TYPOGRAPHY_PAGE = PageGeometry(width=344.54 * TEX_POINT, height=297, inner=25.4, outer=25.4, top=25.4, bottom=25.4,
                               headsep=25 * TEX_POINT, footskip=30 * TEX_POINT, two_sided=False)
needs_xelatex = pytest.mark.skipif(not shutil.which("xelatex"), reason="needs XeLaTeX (texlive-xetex)")
needs_chromium = pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")),
                                    reason="needs Debian's chromium")


def xelatex(tex: Path) -> Path:
    run = subprocess.run(["xelatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", tex.name],
                         cwd=tex.parent, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    return tex.with_suffix(".pdf")


# --- the checker -------------------------------------------------------------------------------------------------


def test_counted_characters_leave_out_punctuation_and_marks():
    assert counted_characters("题。") == 1
    assert counted_characters("“减法”") == 2
    assert counted_characters("2007年10月") == 8
    assert counted_characters("）。”") == 0


@needs_xelatex
def test_pdf_checker_finds_each_fault_with_its_page_and_text(tmp_path):
    tex = tmp_path / "faults.tex"
    shutil.copy(DATA / "faults.tex", tex)
    faults = check_pdf(xelatex(tex), FAULTS_PAGE)
    assert counts(faults) == {kind: 1 for kind in KINDS}, "\n".join(map(str, faults))
    found = {fault.kind: fault for fault in faults}
    expected = {  # kind: (page, text the report quotes)
        "lone-char": (1, "/ 题。"),
        "start-mark": (1, "/ [3,34]。其后"),
        "end-open": (1, "转变职能理（ / 括号里的话"),
        "start-punct": (1, "/ ，后面还有几个字"),
        "letter-spaced": (2, "中文字"),
        "loose-mark": (2, "一个先例[8]"),
        "heading-at-foot": (2, "标题在页脚"),
        "orphan": (3, "/ 结构提高效能"),
        "widow": (5, "/ 的基本路径。"),
        "split-mark": (6, "分开的标注[3, / 34]"),
        "short-page": (6, "ends 8.0 lines above the foot of the text block, though the next page opens with a "
                          "paragraph of one line (“一表格的第一行”), 1.0 lines: 34]。 / 一表格的第一行"),
        "outside-block": (7, "69.6 pt (4.1 lines) below the text block: 十表格的第十行十一表格的第十一行十二表格的第十二行"),
    }
    for kind, (page, text) in expected.items():
        assert found[kind].where == f"p. {page}", found[kind]
        assert text in found[kind].context, found[kind]


def test_checker_fails_on_any_fault_but_a_forced_short_page(tmp_path, monkeypatch, capsys):
    """`make typography` stops on a fault, a page that ends early for no rule's sake included; a page that a rule
    made end early is reported with the rule and counted apart."""
    from zhbook.tools import typography_check
    pdf = tmp_path / "book.pdf"
    pdf.write_bytes(b"")
    forced = Fault("forced-short-page", "p. 3", "ends 4.0 lines above the foot of the text block: the next page …")
    monkeypatch.setattr(typography_check, "check_pdf", lambda path, geometry: [forced])
    assert typography_check.main(["pdf", "--page", "book", str(pdf)]) == 0
    out = capsys.readouterr().out
    assert "book.pdf p. 3: forced-short-page: ends 4.0 lines" in out
    assert "0 fault(s)" in out and "1 page(s) end early where a rule forced it" in out
    short = Fault("short-page", "p. 4", "ends 4.0 lines above the foot of the text block, though …")
    monkeypatch.setattr(typography_check, "check_pdf", lambda path, geometry: [forced, short])
    assert typography_check.main(["pdf", "--page", "book", str(pdf)]) == 1
    assert "1 fault(s)" in capsys.readouterr().out


@needs_xelatex
def test_pdf_checker_refuses_a_page_geometry_of_another_size(tmp_path, capsys):
    tex = tmp_path / "faults.tex"
    shutil.copy(DATA / "faults.tex", tex)
    pdf = xelatex(tex)
    with pytest.raises(GeometryMismatch, match=r"page 1 is 120 × 100 mm, but the page geometry it is checked "
                                               r"against is 185 × 260 mm"):
        check_pdf(pdf, BOOK)
    from zhbook.tools import typography_check
    assert typography_check.main(["pdf", "--page", "book", str(pdf)]) == 2
    assert "faults.pdf: page 1 is 120 × 100 mm" in capsys.readouterr().err


@needs_chromium
def test_html_checker_finds_each_fault_with_its_file_width_and_text():
    faults = check_layout(layout_lines([DATA / "faults.html"], (390,)))
    found = Counter(fault.kind for fault in faults)
    # the split mark's second half also starts its line and is its paragraph's lone last line
    assert found == {"lone-char": 2, "start-mark": 2, "split-mark": 1, "end-open": 1, "start-punct": 1}, faults
    report = "\n".join(map(str, faults))
    for line in ("faults.html @390px, paragraph: lone-char: ……路径与方法在于转变职 / 题。",
                 "faults.html @390px, paragraph: start-mark: ……服务型政府建设的基本 / [12]。其后",
                 "faults.html @390px, paragraph: split-mark: 服务[3, / 34]……",
                 "faults.html @390px, paragraph: end-open: 服务型政府建设（ / 路径）。……",
                 "faults.html @390px, paragraph: start-punct: ……服务型政府建设 / ，路径。"):
        assert line in report, report


# --- the breaking rules on a small project ----------------------------------------------------------------------


def test_last_two_characters_skip_punctuation_and_marks():
    mark = nodes.inline("", "", nodes.superscript("", "[1]"), classes=["bibtex-citation"])
    paragraph = nodes.paragraph("", "", nodes.Text("解决问题"), mark, nodes.Text("。”"))
    text, index = last_two_characters(paragraph)
    assert str(text)[index:] == "问题"
    assert last_two_characters(nodes.paragraph("", "", nodes.Text("题。"))) is None


@pytest.mark.sphinx("latex", testroot="typography")
def test_latex_keeps_marks_and_last_characters_together(app, tmp_path):
    app.build()
    assert app.warning.getvalue() == ""
    tex_path = Path(app.outdir) / "typography.tex"
    tex = tex_path.read_text(encoding="utf-8")
    for rule in (r"\widowpenalty=10000", r"\clubpenalty=10000", r"\providecommand{\zhbooknobreak}",
                 r"\def\sphinxAtStartPar{\raggedright"):
        assert rule in tex, rule
    # no break before a mark, nor between it and the punctuation after it; the source's line break before the
    # mark (a soft break of a paragraph that has two) is gone
    assert "人民满意的政\\zhbooknobreak{}\\DUrole{bibtex-citation}" in tex
    assert re.search(r"\{2\}\{\]\}\}\}\$\}\}\\zhbooknobreak\{\}。其后", tex)
    # a paragraph's last two characters: plain text, before a mark, inside a link
    assert "人民满\\zhbooknobreak{}题" in tex
    assert "一句\\zhbooknobreak{}话。" in tex
    assert "{结\\zhbooknobreak{}构}" in tex
    # the 参考文献 ragged right
    assert "\\raggedright\\frenchspacing" in tex
    if not shutil.which("xelatex"):
        pytest.skip("needs XeLaTeX (texlive-xetex)")
    # compiled, the text has no fault; without the penalties, 题[1]。 stands alone on its line
    assert [str(f) for f in check_pdf(xelatex(tex_path), TYPOGRAPHY_PAGE)] == []
    unfixed = tex_path.with_name("unfixed.tex")
    unfixed.write_text(tex.replace("\\zhbooknobreak{}", ""), encoding="utf-8")
    assert [(f.kind, f.where, f.context) for f in check_pdf(xelatex(unfixed), TYPOGRAPHY_PAGE)] == [
        ("lone-char", "p. 1", "……系优化结构提高效能建设人民满 / 题[1]。")]


def _without_rules(page: Path) -> None:
    """The page as it would be without zhbook.ext.typography: no nobreak spans, no stylesheet."""
    root = lxml.html.parse(str(page)).getroot()
    for span in root.xpath('//span[contains(@class, "zh-nobreak")]'):
        span.drop_tag()
    for link in root.xpath('//link[contains(@href, "zhbook-typography")]'):
        link.drop_tree()
    page.write_text(lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>"), encoding="utf-8")


@needs_chromium
@pytest.mark.sphinx("html", testroot="typography")
def test_html_keeps_marks_and_last_characters_together(app, tmp_path):
    app.build()
    assert app.warning.getvalue() == ""
    outdir = Path(app.outdir)
    page = (outdir / "index.html").read_text(encoding="utf-8")
    css = (outdir / "_static" / "zhbook-typography.css").read_text(encoding="utf-8")
    assert 'href="_static/zhbook-typography.css' in page
    for rule in ("line-break: strict", "text-wrap: pretty", "text-spacing-trim", "text-autospace",
                 "white-space: nowrap"):
        assert rule in css, rule
    # the mark with the character before it and the punctuation after it; the paragraph's last two characters
    assert re.search(r'<span class="zh-nobreak">政<span class="bibtex-citation"[^>]*><sup>\[.*?\]</sup></span>。'
                     r'</span>其后', page)
    assert '满<span class="zh-nobreak">题<span class="bibtex-citation"' in page
    assert '一<span class="zh-nobreak">句话。</span>' in page
    # laid out at many widths, the page has no fault; without the rules it has lone characters and marks at a
    # line start or split
    widths = tuple(range(240, 800, 16))
    assert [str(f) for f in check_layout(layout_lines([outdir / "index.html"], widths))] == []
    bare = tmp_path / "bare"
    shutil.copytree(outdir, bare)
    _without_rules(bare / "index.html")
    found = Counter(f.kind for f in check_layout(layout_lines([bare / "index.html"], widths)))
    assert found["lone-char"] and found["start-mark"] and found["split-mark"], found
