"""Small readers for built deliverables (an EPUB's members and XHTML, EPUBCheck's report), for tests that build a
test root; book_tests/outputs.py has the same readers defaulting to this book's dist/."""
from __future__ import annotations

import zipfile
from pathlib import Path

from zhbook.testing import epubcheck_report

from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"


def require(path: Path) -> Path:
    assert path.exists(), f"{path} is missing"
    return path


def epubcheck(path: Path) -> dict:
    """EPUBCheck's JSON report of an .epub: the one every book's tests use (zhbook.testing)."""
    return epubcheck_report(require(path))


def epub_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(require(path)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def epub_xhtml(path: Path) -> dict[str, etree._Element]:
    """Every XHTML document of the EPUB, parsed as XML (an EPUB's content documents must be well-formed)."""
    return {name: etree.fromstring(data) for name, data in epub_members(path).items() if name.endswith(".xhtml")}
