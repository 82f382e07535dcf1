"""Page breaking (zhbook.ext.typography): boxes, tables and headings at the foot of a page, on a small project.

tests/roots/test-typography-pages brings each case to a page foot (its paragraphs are as long as that needs):

1. a box (admonition) that fits in what is left of the page, followed by a long paragraph;
2. a box that does not fit: it breaks across the pages, with its title and two lines or more on the first, and
   two lines or more on the second, though the box ends in a paragraph of one line;
3. a heading with four lines of room below it: it stays, with its first two lines;
4. a table taller than a page: it breaks, and the continuation opens with 续表 and the repeated header;
5. a heading followed at once by a table whose caption, header and first two rows do not fit below it: the
   heading goes to the next page with the table;
6. a box whose title would have one line below it: the box goes to the next page whole.

Cases 5 and 6 end their page early, by more than three lines: that is the price of the rules (a heading or a
box title never ends a page, a paragraph never leaves one line alone), and the checker reports both pages as
forced, with the rule; a page that ends early where the next thing would have fitted is a fault.

The project is compiled with XeLaTeX as zhbook.tools.texrun does (again until the .aux settles) and measured with
zhbook.tools.typography_check; then compiled again with one rule taken out at a time, to see the fault it prevents.
"""
import io
import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest
from sphinx.testing.util import SphinxTestApp

from zhbook.ext import typography
from zhbook.core.page_geometry import PageGeometry
from zhbook.tools.typography_check import check_pdf, read_pdf

pytestmark = pytest.mark.skipif(not shutil.which("xelatex"), reason="needs XeLaTeX (texlive-xetex)")
ROOT = "typography-pages"
KEPT_HEADING = "紧跟表格的标题"
KEPT_TITLE = "标题不落单的方框"
TEX_POINT = 25.4 / 72.27  # mm
# The project's page (its conf.py): 444.54 pt square with Sphinx's 1 in margins, one-sided.
PAGE = PageGeometry(width=444.54 * TEX_POINT, height=444.54 * TEX_POINT, inner=25.4, outer=25.4, top=25.4,
                    bottom=25.4, headsep=25 * TEX_POINT, footskip=30 * TEX_POINT, two_sided=False)


def compile_tex(tex: Path) -> Path:
    """XeLaTeX until the .aux no longer changes (a table that opens a section measures itself into it)."""
    aux = tex.with_suffix(".aux")
    for _ in range(5):
        before = aux.read_bytes() if aux.exists() else b""
        run = subprocess.run(["xelatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
                              tex.name], cwd=tex.parent, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout[-3000:]
        if aux.read_bytes() == before:
            break
    return tex.with_suffix(".pdf")


def build(rootdir: Path, tmp_path: Path, name: str) -> tuple[str, Path]:
    """The project's LaTeX (with zhbook.ext.typography as it is patched at the time of the call) and its PDF."""
    srcdir = tmp_path / name
    shutil.copytree(rootdir / f"test-{ROOT}", srcdir)
    app = SphinxTestApp("latex", srcdir=srcdir, status=io.StringIO(), warning=io.StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    assert app.warning.getvalue() == ""
    tex = Path(app.outdir) / "pages.tex"
    return tex.read_text(encoding="utf-8"), compile_tex(tex)


def faults(pdf: Path) -> list[tuple[str, str, str]]:
    return [(fault.kind, fault.where, fault.context) for fault in check_pdf(pdf, PAGE)]


def box_lines(pdf: Path) -> list[tuple[int, list[str]]]:
    """(page, lines) of every page that holds part of a box: the lines on a filled area as wide as the column."""
    layout = read_pdf(pdf, PAGE)
    found = []
    with pymupdf.open(pdf) as doc:
        for page, laid in zip(doc, layout.pages):
            width = laid.right - laid.left
            boxes = [d["rect"] for d in page.get_drawings()
                     if d.get("fill") is not None and d["rect"].width > 0.8 * width and d["rect"].height > 12]
            lines = [line.text for line in laid.lines
                     if any(r.y0 < line.baseline < r.y1 for r in boxes)]
            if lines:
                found.append((laid.number, lines))
    return found


def page_of(pdf: Path, text: str) -> int:
    return next(page.number for page in read_pdf(pdf, PAGE).pages if any(text in line.text for line in page.lines))


@pytest.fixture(scope="module")
def built(rootdir, tmp_path_factory):
    return build(rootdir, tmp_path_factory.mktemp("pages"), "fixed")


def test_boxes_tables_and_headings_leave_no_page_foot_empty(built):
    tex, pdf = built
    # the two tables in the flow of the text are long tables; the one in a box is not (LaTeX cannot break it)
    assert tex.count(r"\begin{longtable}") == 2 and tex.count(r"\begin{tabular}") == 1
    assert tex.count("\n\\zhbookkeepheadingwithtable\n") == 1  # before the heading of case 5
    # no fault; the two pages that end early are forced, and the checker says by which rule: the heading of case 5
    # went to the next page with its table's caption, header and first two rows, the box of case 6 whole
    heading, box = page_of(pdf, KEPT_HEADING), page_of(pdf, KEPT_TITLE)
    found = faults(pdf)
    assert [(kind, where) for kind, where, _ in found] == [
        ("forced-short-page", f"p. {heading - 1}"), ("forced-short-page", f"p. {box - 1}")], found
    assert f"the next page opens with the heading “3{KEPT_HEADING}” with its table “表3.1:标题下面的表”, its " \
           "caption, header and first two rows" in found[0][2]
    assert f"the next page opens with the box “{KEPT_TITLE}”, all of its 3 lines" in found[1][2]
    assert read_pdf(pdf, PAGE).pages[heading - 1].lines[0].text.endswith(KEPT_HEADING)
    assert read_pdf(pdf, PAGE).pages[box - 1].lines[0].text == KEPT_TITLE


def test_a_box_breaks_with_two_lines_or_more_on_each_side(built):
    _tex, pdf = built
    boxes = box_lines(pdf)
    fits, first, second = boxes[0], boxes[1], boxes[2]
    assert fits[1][0] == "能放下的方框" and page_of(pdf, "能放下的方框") == 1
    assert first[1][0] == "分在两页的方框" and second[0] == first[0] + 1
    assert len(first[1]) >= 3 and len(second[1]) >= 2, boxes  # the title and two lines; two lines


def test_a_long_table_continues_under_xubiao_and_its_header(built):
    _tex, pdf = built
    with pymupdf.open(pdf) as doc:
        pages = [page.get_text() for page in doc]
    continued = [text for text in pages if "续表" in text]
    assert continued and all("项目" in text and "说明" in text for text in continued)
    assert not any("续下页" in text or "接上页" in text for text in pages)


def test_a_table_breaks_only_where_two_rows_stay_on_each_side(built):
    """No break after a table's first body row, before its last or after it (the bottom rule): ``\\\\*``."""
    tex, _pdf = built
    tables = [part.split(r"\end{longtable}")[0] for part in tex.split(r"\begin{longtable}")[1:]]
    for body in (table.split(r"\sphinxtableatstartofbodyhook")[1] for table in tables):
        ends = [line for line in body.splitlines() if line in ("\\\\", "\\\\*")]
        assert len(ends) in (24, 5)  # the rows of the two tables
        assert ends[0] == ends[-2] == ends[-1] == "\\\\*" and set(ends[1:-2]) <= {"\\\\"}, ends


def test_without_the_rules_boxes_jump_and_tables_run_off_the_page(rootdir, tmp_path, monkeypatch):
    monkeypatch.setattr(typography, "PAGE_BREAKING", "")
    monkeypatch.setattr(typography, "breakable_tables", lambda doctree: None)
    tex, pdf = build(rootdir, tmp_path, "unfixed")
    assert r"\begin{longtable}" not in tex
    found = faults(pdf)
    kinds = [kind for kind, _, _ in found]
    # the box that fits goes to page 2 and leaves page 1 short; the long table runs over the foot of its page
    assert ("short-page", "p. 1") in [(kind, where) for kind, where, _ in found], found
    assert "/ 能放下的方框" in next(context for kind, where, context in found if where == "p. 1")
    assert kinds.count("outside-block") == 1, found


def test_with_sphinxs_room_below_headings_a_heading_leaves_a_page_short(rootdir, tmp_path, monkeypatch):
    """Sphinx's titlesec setting wants six lines of room below a heading: case 3's heading, with four lines below
    it, would go to the next page, though it and its first two lines fit."""
    room = "\\def\\bottomtitlespace{-1pt}\n"
    assert room in typography.PAGE_BREAKING
    monkeypatch.setattr(typography, "PAGE_BREAKING", typography.PAGE_BREAKING.replace(room, ""))
    _tex, pdf = build(rootdir, tmp_path, "sixlines")
    short = [(where, context) for kind, where, context in faults(pdf) if kind == "short-page"]
    heading = page_of(pdf, "页脚的标题")
    assert [where for where, _ in short] == [f"p. {heading - 1}"], faults(pdf)
    assert "though the next page opens with the heading “1页脚的标题” with the first two lines of its paragraph" \
        in short[0][1]


def test_without_the_keep_a_heading_stays_alone_above_its_table(rootdir, tmp_path, monkeypatch):
    monkeypatch.setattr(typography, "_opens", lambda section, node: False)
    _tex, pdf = build(rootdir, tmp_path, "nokeep")
    assert ("heading-at-foot", KEPT_HEADING) in [(kind, context[-len(KEPT_HEADING):]) for kind, _, context
                                                in faults(pdf)]


def test_without_keeping_its_last_line_a_box_ends_alone_on_the_next_page(rootdir, tmp_path, monkeypatch):
    kept = r"\par\unskip\zhbook@keeplastline}{}"
    assert kept in typography.PAGE_BREAKING
    monkeypatch.setattr(typography, "PAGE_BREAKING", typography.PAGE_BREAKING.replace(kept, r"\par\unskip}{}"))
    _tex, pdf = build(rootdir, tmp_path, "nolast")
    second = box_lines(pdf)[2]
    assert len(second[1]) == 1, second


def test_without_the_nobreak_below_its_title_a_box_title_ends_a_page(rootdir, tmp_path, monkeypatch):
    rules = typography.PAGE_BREAKING
    for kept, bare in ((r"\apptocmd\sphinxdotitlerow{\nobreak}", r"\apptocmd\sphinxdotitlerow{}"),
                       (r"{\endgroup\nobreak\vskip-\parskip}", r"{\endgroup\vskip-\parskip}")):
        assert kept in rules
        rules = rules.replace(kept, bare)
    monkeypatch.setattr(typography, "PAGE_BREAKING", rules)
    _tex, pdf = build(rootdir, tmp_path, "notitle")
    assert ("heading-at-foot", KEPT_TITLE) in [(kind, context) for kind, _, context in faults(pdf)]
