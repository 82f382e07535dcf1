"""This book's bib/: every file passes the bib check that stops `make`, and every entry formats cleanly in the
GB/T 7714 style. The check and the style are tested on their own in tests/test_citations.py and
tests/test_gbt7714.py."""
from __future__ import annotations

import pytest
from pybtex.plugin import find_plugin

from outputs import REPO
from zhbook.ext.citations.bibcheck import check_bibfiles


@pytest.fixture(scope="module")
def style():
    # through the entry point, as sphinxcontrib-bibtex finds it
    return find_plugin("pybtex.style.formatting", "gbt7714")()


def test_the_book_bib_files_pass_the_check():
    """The book's own bib/ (written by the research side): every problem would stop `make`."""
    bibfiles = sorted((REPO / "bib").glob("*.bib"))
    if not bibfiles:
        pytest.skip("no bib files yet")
    assert [str(problem) for problem in check_bibfiles(bibfiles)] == []


def project_entries():
    bibfiles = sorted((REPO / "bib").glob("*.bib"))
    if not bibfiles:
        return []
    from pybtex.database import parse_file

    return [
        pytest.param(entry, id=key)
        for path in bibfiles
        for key, entry in parse_file(str(path), "bibtex").entries.items()
    ]


@pytest.mark.parametrize("entry", project_entries())
def test_every_entry_of_the_book_formats_cleanly(style, entry):
    """Every entry in bib/: a type mark, no BibTeX markup left, no empty or doubled punctuation, a final point."""
    text = style.format_entry("1", entry).text.render_as("text")
    url = entry.fields.get("url", "")
    assert any(f"[{mark}]" in text or f"[{mark}/OL]" in text for mark in "M J N R S C D G A Z EB".split()), text
    assert text.endswith("."), text
    words = text.replace(url, "URL") if url else text  # an address may hold anything
    for flaw in ("{", "}", "\\", "..", ", ,", ", .", ": .", "None", "[]", "()", "  "):
        assert flaw not in words, (flaw, text)
