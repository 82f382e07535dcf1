"""The real book's typography as a Chinese editor signs it off (issue 14): zhbook.tools.typography_check on dist/.

Every count is 0: no 孤字, no line starting with closing punctuation or a citation mark, no line ending with an
opening bracket, no split or loose mark, no 寡行, no heading at a page foot, no letter-spaced line, nothing printed
outside the text block, no page that ends early where the next thing would have fitted — in the book PDF and every
handout (glyph positions read with PyMuPDF; the booklets impose these same handout pages), and in the HTML edition
and the EPUB as Chromium lays them out on a phone (390 px) and a desktop (1280 px).

The text block is the page geometry the PDF was set on (zhbook.core.page_geometry: the book's 16开 page, the handouts'
A4), not a guess from the pages: the test below checks that XeLaTeX really set the text there.

Pages that end more than three lines early are allowed where a rule of the typesetter forced the break — the next
page opens with a heading that keeps the first two lines after it (or the whole of a paragraph of three lines), a
table whose caption, header and first two rows (or next row) do not fit, a box whose title keeps two lines — and
the checker says which, for each (``make typography`` lists them). Their number and how empty they are follow the
text, not a rule, so no bar holds them: the need the checker measures is the bar, page by page.
"""
import re
from collections import Counter

import pytest

from outputs import DIST, EPUB, HTML, PDF, SOURCE, require
from zhbook.core.page_geometry import BOOK, HANDOUT
from zhbook.tools.typography_check import (WIDTHS, check_layout, check_pdf, chromium, counts, epub_layout, faults_only,
                                     html_layout, read_pdf)

HANDOUTS = [DIST / "handouts" / f"{chapter.stem}.pdf" for chapter in sorted((SOURCE / "chapters").glob("*.md"))]
needs_chromium = pytest.mark.skipif(not chromium(), reason="needs Debian's chromium")


def assert_no_fault(faults, label):
    found = {kind: n for kind, n in counts(faults).items() if n}
    assert not faults, f"{label}: {found}\n" + "\n".join(str(fault) for fault in faults[:40])


GEOMETRIES = {PDF.name: BOOK} | {pdf.name: HANDOUT for pdf in HANDOUTS}


@pytest.fixture(scope="module")
def pdf_faults():
    return {pdf.name: check_pdf(require(pdf), GEOMETRIES[pdf.name]) for pdf in [PDF, *HANDOUTS]}


@pytest.mark.parametrize("pdf", [PDF, *HANDOUTS], ids=lambda path: path.name)
def test_pdf_has_no_typography_fault(pdf, pdf_faults):
    assert_no_fault(faults_only(pdf_faults[pdf.name]), pdf.name)


def test_pages_that_end_early_name_the_rule_that_forced_them(pdf_faults):
    """Each forced page says what the next page opens with, kept together by which rule, and how much room that
    needed: more than the page had left."""
    forced = [(name, fault) for name, faults in pdf_faults.items() for fault in faults
              if fault.kind == "forced-short-page"]
    for name, fault in forced:
        found = re.match(r"ends ([0-9.]+) lines above the foot of the text block: the next page opens with the "
                         r"(heading|table|box|next row|last two rows|[a-z ]*paragraph).+, ([0-9.]+) lines: ",
                         fault.context)
        assert found, f"{name} {fault}"
        assert float(found.group(3)) >= float(found.group(1)), f"{name} {fault}"


@pytest.mark.parametrize("pdf", [PDF, *HANDOUTS], ids=lambda path: path.name)
def test_pdf_text_stands_in_the_text_block_of_its_page_geometry(pdf):
    """XeLaTeX set the text where the geometry says: the lowest baseline of the body text on the last line the text
    block holds (its foot, or less than a line above it where the block is not a whole number of lines high and no
    page stretched to it), and the lines of body text starting at its inside margin on right-hand pages, at its
    outside margin on left-hand ones (the two-sided geometries mirror)."""
    geometry = GEOMETRIES[pdf.name]
    layout = read_pdf(require(pdf), geometry)
    body = [line for page in layout.pages for line in page.lines
            if line.cell is None and abs(line.size - layout.body_size) < 0.05]
    assert -0.01 < geometry.text_block(1).bottom - max(line.baseline for line in body) < layout.pitch
    for parity in (1, 2):
        starts = Counter(round(line.x0) for line in body if line.page % 2 == parity % 2 and len(line.glyphs) >= 20)
        assert abs(starts.most_common(1)[0][0] - geometry.text_block(parity).left) < 1, (parity, starts)


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
