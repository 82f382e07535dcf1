"""The real book's typography as a Chinese editor signs it off (issue 14): zhbook.typography_check on dist/.

Every count is 0: no 孤字, no line starting with closing punctuation or a citation mark, no line ending with an
opening bracket, no split or loose mark, no 寡行, no heading at a page foot, no letter-spaced line — in the book
PDF and every handout (glyph positions read with PyMuPDF; the booklets impose these same handout pages), and in
the HTML edition and the EPUB as Chromium lays them out on a phone (390 px) and a desktop (1280 px).
"""
import pytest

from outputs import DIST, EPUB, HTML, PDF, SOURCE, require
from zhbook.typography_check import WIDTHS, check_layout, check_pdf, chromium, counts, epub_layout, html_layout

HANDOUTS = [DIST / "handouts" / f"{chapter.stem}.pdf" for chapter in sorted((SOURCE / "chapters").glob("*.md"))]
needs_chromium = pytest.mark.skipif(not chromium(), reason="needs Debian's chromium")


def assert_no_fault(faults, label):
    found = {kind: n for kind, n in counts(faults).items() if n}
    assert not faults, f"{label}: {found}\n" + "\n".join(str(fault) for fault in faults[:40])


@pytest.mark.parametrize("pdf", [PDF, *HANDOUTS], ids=lambda path: path.name)
def test_pdf_has_no_typography_fault(pdf):
    assert_no_fault(check_pdf(require(pdf)), pdf.name)


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
