"""The EPUB for e-reader distribution (issue 7): package metadata, accessibility, cover, reading comfort, same bytes.

The tests build small roots with sphinx-build as the Makefile does, in a temporary folder (this book's dist/<slug>.epub
is checked in book_tests/test_book_epub.py): tests/roots/test-epub (every metadata field, two creators, an e-book ISBN,
a series, a footnote, a table, English in Chinese text) and tests/roots/test-epub-missing-alt.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree

from readers import XHTML_NS, epub_members, epub_xhtml, epubcheck, require
from zhbook import metadata

REPO = Path(__file__).resolve().parent.parent
ROOTS = REPO / "tests" / "roots"
EPOCH = 1767268800  # 2026-01-01T12:00:00Z
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/", "x": XHTML_NS,
      "epub": "http://www.idpf.org/2007/ops", "ncx": "http://www.daisy.org/z3986/2005/ncx/"}
EPUB_TYPE = f"{{{NS['epub']}}}type"
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
# schema:accessibilityFeature values of the W3C accessibility discoverability vocabulary.
FEATURE_VOCABULARY = {
    "alternativeText", "annotations", "ARIA", "audioDescription", "bookmarks", "braille", "captions", "ChemML",
    "describedMath", "displayTransformability", "fullRubyAnnotations", "highContrastAudio", "highContrastDisplay",
    "horizontalWriting", "index", "largePrint", "latex", "longDescription", "MathML", "none", "openCaptions",
    "pageBreakMarkers", "pageNavigation", "printPageNumbers", "readingOrder", "rubyAnnotations", "signLanguage",
    "structuralNavigation", "synchronizedAudioText", "tableOfContents", "taggedPDF", "tactileGraphic",
    "tactileObject", "timingControl", "transcript", "ttsMarkup", "unlocked", "verticalWriting",
}
# Interface words Sphinx and its themes write in English unless told otherwise.
SPHINX_UI_WORDS = ("Table of Contents", "Cover image", "Cover", "Footnotes", "Symbols", "Index", "Contents",
                   "previous", "next", "Navigation", "Permalink", "Link to this", "Search")
ACE = REPO / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"


# -- helpers --------------------------------------------------------------------------------------------------

def sphinx_epub(source: Path, out: Path) -> subprocess.CompletedProcess:
    """Build ``source`` as the Makefile builds the book (warnings are errors), with a fixed SOURCE_DATE_EPOCH."""
    return subprocess.run(
        [str(REPO / ".venv/bin/sphinx-build"), "-b", "epub", "-W", "--keep-going", "-n", "-q",
         "-d", str(out.parent / f"{out.name}-doctrees"), str(source), str(out)],
        capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONHASHSEED": "0"})


def copy_root(name: str, dest: Path, mtime: int | None = None) -> Path:
    shutil.copytree(ROOTS / f"test-{name}", dest)
    if mtime is not None:
        for path in dest.rglob("*"):
            os.utime(path, (mtime, mtime))
    return dest


@pytest.fixture(scope="module")
def root_epub(tmp_path_factory) -> Path:
    """The test-epub root, built once for the tests below."""
    base = tmp_path_factory.mktemp("epub-root")
    result = sphinx_epub(copy_root("epub", base / "src"), base / "out")
    assert result.returncode == 0, result.stderr
    return require(base / "out" / "epub-root.epub")


def package(members: dict[str, bytes]) -> etree._Element:
    return etree.fromstring(members["content.opf"])


def metas(opf: etree._Element, prop: str) -> list[str]:
    return [m.text for m in opf.iterfind(f"opf:metadata/opf:meta[@property='{prop}']", NS)]


def refinement(opf: etree._Element, element: etree._Element, prop: str) -> list[str]:
    return [m.text for m in opf.iterfind(f"opf:metadata/opf:meta[@refines='#{element.get('id')}']", NS)
            if m.get("property") == prop]


def zip_time(path: Path) -> datetime:
    with zipfile.ZipFile(path) as zf:
        return datetime(*zf.infolist()[0].date_time, tzinfo=timezone.utc)


def assert_package_metadata(path: Path, book: metadata.BookMetadata) -> None:
    """Every field of the package metadata, read back with lxml and compared with the book metadata file."""
    members = epub_members(path)
    opf = package(members)
    dc = opf.find("opf:metadata", NS)

    uid = opf.get("unique-identifier")
    (identifier,) = dc.iterfind(f"dc:identifier[@id='{uid}']", NS)
    if book.isbn_epub:
        assert identifier.text == f"urn:isbn:{book.isbn_epub}"
    else:
        assert identifier.text.startswith("urn:uuid:")
        assert uuid.UUID(identifier.text.removeprefix("urn:uuid:")).version == 5  # derived from the book, not random
    ncx = etree.fromstring(members["toc.ncx"])
    assert ncx.find("ncx:head/ncx:meta[@name='dtb:uid']", NS).get("content") == identifier.text

    titles = {refinement(opf, t, "title-type")[0]: t.text for t in dc.iterfind("dc:title", NS)}
    assert titles == ({"main": book.title, "subtitle": book.subtitle} if book.subtitle else {"main": book.title})
    assert [e.text for e in dc.iterfind("dc:language", NS)] == ["zh-CN"]

    people = [*dc.iterfind("dc:creator", NS), *dc.iterfind("dc:contributor", NS)]
    assert sorted(p.text for p in people) == sorted(c.name for c in book.creators)
    for creator in book.creators:
        (element,) = [p for p in people if p.text == creator.name]
        roles = [m for m in opf.iterfind(f"opf:metadata/opf:meta[@refines='#{element.get('id')}']", NS)
                 if m.get("property") == "role"]
        assert [(m.get("scheme"), m.text) for m in roles] == [("marc:relators", creator.role)], creator.name
        assert refinement(opf, element, "file-as") == ([creator.file_as] if creator.file_as else []), creator.name
    assert dc.find("dc:creator", NS) is not None, "a book needs at least one dc:creator"

    assert [e.text for e in dc.iterfind("dc:publisher", NS)] == [book.publisher]
    assert [e.text for e in dc.iterfind("dc:date", NS)] == [str(book.year)]
    assert [e.text for e in dc.iterfind("dc:subject", NS)] == list(book.subjects)
    assert [e.text for e in dc.iterfind("dc:description", NS)] == [book.description]
    assert [e.text for e in dc.iterfind("dc:rights", NS)] == [book.rights]
    # the print edition the e-book renders: its ISBN once assigned, else a UUID that depends only on the slug
    (source,) = dc.iterfind("dc:source", NS)
    if book.isbn_print:
        assert source.text == f"urn:isbn:{book.isbn_print}"
    else:
        assert uuid.UUID(source.text.removeprefix("urn:uuid:")).version == 5 and source.text != identifier.text

    collections = dc.findall("opf:meta[@property='belongs-to-collection']", NS)
    assert [c.text for c in collections] == ([book.series] if book.series else [])
    for collection in collections:
        assert refinement(opf, collection, "collection-type") == ["series"]

    # dcterms:modified comes from SOURCE_DATE_EPOCH, as do the zip's timestamps (which count in 2 s): never the clock
    (modified,) = metas(opf, "dcterms:modified")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified)
    seconds = (datetime.fromisoformat(modified) - zip_time(path)).total_seconds()
    assert 0 <= seconds < 2, (modified, zip_time(path))


# -- small roots ----------------------------------------------------------------------------------------------

def test_root_package_metadata_with_isbn_series_and_contributor(root_epub):
    book = metadata.load(ROOTS / "test-epub" / "book.toml")
    assert book.isbn_epub and book.series and len(book.creators) == 2  # the root exercises every branch
    assert_package_metadata(root_epub, book)
    assert metas(package(epub_members(root_epub)), "dcterms:modified") == ["2026-01-01T12:00:00Z"]


def test_root_passes_epubcheck(root_epub):
    report = epubcheck(root_epub)
    messages = [f"{m['severity']} {m['ID']}: {m['message']}" for m in report["messages"]]
    assert report["checker"]["nFatal"] == report["checker"]["nError"] == report["checker"]["nWarning"] == 0, messages


def test_footnotes_are_pop_up_notes(root_epub):
    chapter = epub_xhtml(root_epub)["chapter.xhtml"]
    refs = chapter.findall(".//x:a[@role='doc-noteref']", NS)
    assert refs and all(a.get(EPUB_TYPE) == "noteref" for a in refs)
    for ref in refs:
        (note,) = chapter.iterfind(f".//*[@id='{ref.get('href').lstrip('#')}']", NS)
        assert note.tag == f"{{{XHTML_NS}}}aside" and note.get(EPUB_TYPE) == "footnote"


def test_chinese_text_has_no_stray_spaces_and_english_is_marked(root_epub):
    chapter = epub_xhtml(root_epub)["chapter.xhtml"]
    paragraphs = ["".join(p.itertext()) for p in chapter.iterfind(".//x:p", NS)]
    assert any("折了行，阅读器不应在折行处显示空格" in p for p in paragraphs), paragraphs
    english = ["".join(e.itertext()) for e in chapter.iterfind(".//*[@lang='en']", NS)]
    assert "The New Public Service" in english
    assert "In our rush to steer, are we forgetting who owns the boat?" in english
    assert not any("NGO" in e for e in english), "a single abbreviation is not an English passage"


def test_reading_style(root_epub):
    """The book's stylesheet (not the theme's) is linked from every page and sets Chinese reading comfort."""
    members = epub_members(root_epub)
    css = re.sub(r"/\*.*?\*/", "", members["_static/epub.css"].decode(), flags=re.S)  # rules only
    for name, root in epub_xhtml(root_epub).items():
        if name != "nav.xhtml":
            assert any(link.get("href").endswith("_static/epub.css") for link in root.iterfind(".//x:link", NS)), name

    def rule(selector: str) -> str:
        match = re.search(rf"(?m)^{re.escape(selector)}\s*\{{([^}}]*)\}}", css)
        assert match, f"no rule for {selector}"
        return match.group(1)

    body = rule("body")
    assert re.search(r'font-family:[^;]*"Noto Serif CJK SC"[^;]*"Songti SC"[^;]*,\s*serif;', body)
    assert 1.7 <= float(re.search(r"line-height:\s*([\d.]+);", body).group(1)) <= 1.8
    assert "text-align: justify" in body and "hyphens: none" in body
    assert "text-indent: 2em" in rule("section > p")
    assert "max-width: 100%" in rule("table") and "overflow-wrap: break-word" in rule("table td, table th")
    assert "!important" not in css  # the reader's own settings must still win


def test_two_builds_give_the_same_bytes(tmp_path):
    """Two copies with different file times build to the same bytes, and so does a rebuild into the same folder
    (as the Makefile rebuilds); without an e-book ISBN the identifier is a UUID that stays the same."""
    epubs = []
    for n, mtime in enumerate((EPOCH - 86400, EPOCH + 86400)):
        source = copy_root("epub", tmp_path / f"src{n}")
        toml = source / "book.toml"
        toml.write_text(re.sub(r'(?m)^isbn_epub = .*$', "", toml.read_text(encoding="utf-8")), encoding="utf-8")
        for path in source.rglob("*"):
            os.utime(path, (mtime, mtime))
        result = sphinx_epub(source, tmp_path / f"out{n}")
        assert result.returncode == 0, result.stderr
        epubs.append(tmp_path / f"out{n}" / "epub-root.epub")
    assert epubs[0].read_bytes() == epubs[1].read_bytes()
    first_build = epubs[0].read_bytes()
    (tmp_path / "src0" / "chapter.md").touch()
    assert sphinx_epub(tmp_path / "src0", tmp_path / "out0").returncode == 0
    assert epubs[0].read_bytes() == first_build, "a rebuild into the same folder changed the EPUB"
    with zipfile.ZipFile(epubs[0]) as zf:
        first, *rest = zf.infolist()
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert zf.read("mimetype") == b"application/epub+zip"
        names = [info.filename for info in rest]
        assert names[:3] == ["META-INF/container.xml", "content.opf", "toc.ncx"] and names[3:] == sorted(names[3:])
        assert {info.date_time for info in zf.infolist()} == {(2026, 1, 1, 12, 0, 0)}
        assert {info.external_attr >> 16 for info in zf.infolist()} == {0o100644}
    identifier = package(epub_members(epubs[0])).find("opf:metadata/dc:identifier", NS).text
    assert identifier.startswith("urn:uuid:")


def test_image_without_alt_text_stops_the_build(tmp_path):
    source = copy_root("epub-missing-alt", tmp_path / "src")
    result = sphinx_epub(source, tmp_path / "out")
    problems = [line for line in result.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    assert result.returncode != 0
    index = source / "index.md"
    lines = index.read_text(encoding="utf-8").splitlines()
    figure_line = next(n for n, line in enumerate(lines, 1) if line.startswith("```{figure}"))
    inline_line = next(n for n, line in enumerate(lines, 1) if "![](" in line)
    assert len(problems) == 2, problems
    for problem, line in zip(problems, (figure_line, inline_line)):
        assert problem.startswith(f"{index}:{line}: WARNING:") and "box.svg" in problem and "alt" in problem, problem
