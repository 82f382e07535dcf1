"""The real book's typography as a Chinese editor signs it off (issue 14): zhbook.typography_check on dist/.

Every count is 0: no 孤字, no line starting with closing punctuation or a citation mark, no line ending with an
opening bracket, no split or loose mark, no 寡行, no heading at a page foot, no letter-spaced line, nothing printed
outside the text block — in the book PDF and every handout (glyph positions read with PyMuPDF; the booklets impose
these same handout pages), and in the HTML edition and the EPUB as Chromium lays them out on a phone (390 px) and
a desktop (1280 px).

One count is not 0: pages that end more than three lines above the foot of the text block while their text goes on
(``short-page``). Tables and boxes break across pages and headings ask for no more room than their first two lines,
so what is left are pages where the rules themselves leave the foot empty: a heading whose first paragraph has
three lines (a paragraph of three lines cannot break without leaving one line alone), a table whose next row (up
to five lines of a cell) or whose caption, header and first two rows do not fit, a box title with too little room
for two lines below it. On this book that is 14 of 77 pages and 6 of 43 handout pages, none more than 9 lines short
(before: 19 and 7 pages, up to 18.5 lines, 130 and 48 empty lines in all; now 60 and 24). The bars below are
those numbers: a change that leaves more pages short, or one page much shorter, fails.
"""
import re

import pytest

from outputs import DIST, EPUB, HTML, PDF, SOURCE, require
from zhbook.page_geometry import BOOK, HANDOUT
from zhbook.typography_check import WIDTHS, check_layout, check_pdf, chromium, counts, epub_layout, html_layout

HANDOUTS = [DIST / "handouts" / f"{chapter.stem}.pdf" for chapter in sorted((SOURCE / "chapters").glob("*.md"))]
needs_chromium = pytest.mark.skipif(not chromium(), reason="needs Debian's chromium")


def assert_no_fault(faults, label):
    found = {kind: n for kind, n in counts(faults).items() if n}
    assert not faults, f"{label}: {found}\n" + "\n".join(str(fault) for fault in faults[:40])


SHORT_PAGES_BOOK = 14  # the most pages of the book PDF that may end early (see above)
SHORT_PAGES_HANDOUT = 2  # in one handout
SHORT_PAGES_HANDOUTS = 6  # in all the handouts together
SHORT_PAGE_MOST_LINES = 9  # the most lines a page may end above the foot of its text block


@pytest.fixture(scope="module")
def pdf_faults():
    return {pdf.name: check_pdf(require(pdf), BOOK if pdf == PDF else HANDOUT) for pdf in [PDF, *HANDOUTS]}


@pytest.mark.parametrize("pdf", [PDF, *HANDOUTS], ids=lambda path: path.name)
def test_pdf_has_no_typography_fault(pdf, pdf_faults):
    assert_no_fault([fault for fault in pdf_faults[pdf.name] if fault.kind != "short-page"], pdf.name)


def short_pages(faults):
    return [fault for fault in faults if fault.kind == "short-page"]


def test_pdf_pages_end_at_the_foot_of_the_text_block(pdf_faults):
    book = short_pages(pdf_faults[PDF.name])
    handouts = {pdf.name: short_pages(pdf_faults[pdf.name]) for pdf in HANDOUTS}
    report = "\n".join(f"{name} {fault}" for name, faults in [(PDF.name, book), *handouts.items()] for fault in faults)
    assert len(book) <= SHORT_PAGES_BOOK, report
    assert all(len(faults) <= SHORT_PAGES_HANDOUT for faults in handouts.values()), report
    assert sum(map(len, handouts.values())) <= SHORT_PAGES_HANDOUTS, report
    empty = [float(re.match(r"ends ([0-9.]+) lines", fault.context).group(1))
             for fault in book + sum(handouts.values(), [])]
    assert max(empty, default=0) <= SHORT_PAGE_MOST_LINES, report


@pytest.fixture(scope="module")
def html_pages():
    return html_layout(require(HTML), WIDTHS)


@pytest.fixture(scope="module")
def epub_pages():
    return epub_layout(require(EPUB), WIDTHS)


@needs_chromium
def test_html_has_no_typography_fault_at_phone_and_desktop_widths(html_pages):
    assert {page["width"] for page in html_pages} == set(WIDTHS)
    assert len(html_pages) >= 2 * 8, "every page of the book at both widths"
    assert_no_fault(check_layout(html_pages), "HTML")


@needs_chromium
def test_epub_has_no_typography_fault_at_phone_and_desktop_widths(epub_pages):
    assert len(epub_pages) >= 2 * 8
    assert_no_fault(check_layout(epub_pages), "EPUB")


@needs_chromium
@pytest.mark.parametrize("edition", ["html_pages", "epub_pages"])
def test_line_breaking_properties_are_in_force(edition, request):
    """Chromium applies the rules to the text: strict line breaking and pretty wrapping, and the spacing
    properties this engine supports (an engine that does not know one leaves it empty)."""
    for page in request.getfixturevalue(edition):
        style = page["style"]
        assert style["line-break"] == "strict", page["file"]
        assert style["text-wrap-style"] == "pretty", page["file"]
        assert style["text-spacing-trim"] in ("space-first", ""), page["file"]
        assert style["text-autospace"] in ("normal", ""), page["file"]
