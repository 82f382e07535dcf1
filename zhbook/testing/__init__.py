"""Checks any zhbook book's tests run on its built dist/: every deliverable there, EPUBCheck silent, every link
landing, no markup or ``??`` printed.

What this module owns: the book-level checks that do not depend on what a book says, so that each book's tests/
calls them instead of copying them (a scaffolded book's tests/test_book.py is a few lines). Each ``*_problems``
function returns a list of readable problems (empty when all is well), so a test asserts ``== []`` and pytest
shows what is wrong; :func:`deliverables` names the files by the book's slug (``source/book.toml``).

It changes no output, so make does not count it among the machinery a build depends on (``zhbook/book.mk``).
"""
from __future__ import annotations

import json
import subprocess
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

from zhbook import metadata
from zhbook.tools import output_scan

XHTML_NS = "http://www.w3.org/1999/xhtml"


def slug(book: Path) -> str:
    return metadata.load(Path(book) / "source" / "book.toml").slug


def deliverables(book: Path) -> dict[str, Path]:
    """What `make` publishes into dist/, by kind: pdf, press, epub, html, catalog, and one handout and one
    booklet per chapter file (``handout:NAME``, ``booklet:NAME``)."""
    book = Path(book)
    name, dist = slug(book), book / "dist"
    found = {"pdf": dist / f"{name}.pdf", "press": dist / f"{name}-press.pdf", "epub": dist / f"{name}.epub",
             "html": dist / "html" / "index.html", "catalog": dist / "catalog" / f"{name}.mrc"}
    for chapter in sorted((book / "source" / "chapters").glob("*.md")):
        found[f"handout:{chapter.stem}"] = dist / "handouts" / f"{chapter.stem}.pdf"
        found[f"booklet:{chapter.stem}"] = dist / "booklets" / f"{chapter.stem}.pdf"
    return found


def missing_deliverables(book: Path) -> list[str]:
    """Each deliverable that is missing or empty."""
    return [f"{kind}: {path} is missing" if not path.exists() else f"{kind}: {path} is empty"
            for kind, path in deliverables(book).items() if not path.exists() or path.stat().st_size == 0]


def epubcheck_report(epub: Path) -> dict:
    """EPUBCheck's JSON report (Java runs the jar of the pinned ``epubcheck`` package)."""
    jar = Path(__import__("epubcheck").__file__).with_name("epubcheck.jar")
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(["java", "-jar", str(jar), str(epub), "--json", str(out)], capture_output=True, text=True)
        if not out.exists():
            raise AssertionError(f"EPUBCheck wrote no report for {epub}")
        return json.loads(out.read_text(encoding="utf-8"))


def epubcheck_problems(epub: Path) -> list[str]:
    """EPUBCheck's fatal errors, errors and warnings (a store takes an EPUB with none)."""
    report = epubcheck_report(epub)
    problems = [f"{m['severity']} {m['ID']}: {m['message']}" for m in report["messages"]
                if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    counts = report["checker"]
    if not problems and counts["nFatal"] + counts["nError"] + counts["nWarning"]:
        problems.append(f"EPUBCheck counted {counts['nFatal']} fatal, {counts['nError']} errors, "
                        f"{counts['nWarning']} warnings")
    return problems


def _broken(hrefs: dict[str, list[str]], anchors: dict[str, set[str]]) -> list[str]:
    broken = []
    for name, links in hrefs.items():
        for href in links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("mailto:", "javascript:")):
                continue
            if parts.path:
                base = Path("/x") / name
                target = str((base.parent / unquote(parts.path)).resolve().relative_to("/x"))
            else:
                target = name
            if target not in anchors:
                broken.append(f"{name}: {href} (no such file)")
            elif parts.fragment and unquote(parts.fragment) not in anchors[target]:
                broken.append(f"{name}: {href} (no such anchor)")
    return broken


def html_link_problems(folder: Path) -> list[str]:
    """Every link of the HTML edition that lands on no file or no anchor."""
    folder = Path(folder)
    pages = {str(p.relative_to(folder)): lxml_html.parse(str(p)).getroot() for p in sorted(folder.rglob("*.html"))}
    anchors = {name: {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
               for name, root in pages.items()}
    for path in folder.rglob("*"):
        if path.is_file():
            anchors.setdefault(str(path.relative_to(folder)), set())
    hrefs = {name: [a.get("href") for a in root.iter("a") if a.get("href")] for name, root in pages.items()}
    return [f"HTML {problem}" for problem in _broken(hrefs, anchors)]


def epub_link_problems(epub: Path) -> list[str]:
    """Every link of the EPUB's XHTML that lands on no member or no anchor."""
    with zipfile.ZipFile(epub) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    docs = {name: etree.fromstring(data) for name, data in members.items() if name.endswith(".xhtml")}
    anchors = {name: {el.get("id") for el in root.iter() if el.get("id")} for name, root in docs.items()}
    for name in members:
        anchors.setdefault(name, set())
    hrefs = {name: [a.get("href") for a in root.iter(f"{{{XHTML_NS}}}a") if a.get("href")]
             for name, root in docs.items()}
    return [f"EPUB {problem}" for problem in _broken(hrefs, anchors)]


def printed_markup_problems(book: Path) -> list[str]:
    """MyST markup, ``??`` or ``[?]`` in the text a reader sees: the HTML pages, the EPUB, every PDF in dist/
    (the scan make runs after each build, run again on what was published)."""
    book = Path(book)
    outputs = deliverables(book)
    srcdir, also = book / "source", [book / "bib"]
    hits = output_scan.scan("html", outputs["html"].parent, srcdir, also)
    hits += output_scan.scan("epub", outputs["epub"], srcdir, also)
    for kind, path in outputs.items():
        if path.suffix == ".pdf" and kind != "press" and not kind.startswith("booklet:"):
            hits += output_scan.scan("pdf", path, srcdir, also)
    return [str(hit) for hit in hits]
