"""The checks every zhbook book passes on what `make` built into dist/ (zhbook.testing): add this book's own
checks beside them."""
from pathlib import Path

from zhbook import testing

BOOK = Path(__file__).resolve().parent.parent


def test_every_deliverable_is_built():
    assert testing.missing_deliverables(BOOK) == []


def test_epubcheck_reports_nothing():
    assert testing.epubcheck_problems(testing.deliverables(BOOK)["epub"]) == []


def test_every_cross_reference_lands():
    outputs = testing.deliverables(BOOK)
    assert testing.html_link_problems(outputs["html"].parent) == []
    assert testing.epub_link_problems(outputs["epub"]) == []


def test_no_markup_or_unresolved_reference_is_printed():
    assert testing.printed_markup_problems(BOOK) == []
