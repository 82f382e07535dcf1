"""The EPUB for e-reader distribution (issue 7): package metadata, accessibility, cover, reading comfort, same bytes.

Tests of the real book read dist/<slug>.epub that `make` built. The others build small roots with sphinx-build as
the Makefile does, in a temporary folder: tests/roots/test-epub (every metadata field, two creators, an e-book ISBN,
a series, a footnote, a table, English in Chinese text) and tests/roots/test-epub-missing-alt.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import uuid
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree

from outputs import (BOOK, EPUB, PDF, REPO, SOURCE, XHTML_NS, epub_members, epub_xhtml, epubcheck, require,
                     stray_english_words)
from zhbook.core.accessibility import accessibility_summary
from zhbook.ext.epub import cover as epub_cover
from zhbook import metadata

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


# -- the real book --------------------------------------------------------------------------------------------

def test_package_metadata_from_book_toml():
    assert_package_metadata(EPUB, BOOK)


def test_accessibility_metadata_claims_only_what_is_true():
    members = epub_members()
    opf = package(members)
    documents = epub_xhtml()
    images = [img for root in documents.values() for img in root.iter(f"{{{XHTML_NS}}}img")]
    nav = documents["nav.xhtml"]
    genindex = documents.get("genindex.xhtml")

    assert set(metas(opf, "schema:accessMode")) == ({"textual", "visual"} if images else {"textual"})
    assert "textual" in metas(opf, "schema:accessModeSufficient")
    features = metas(opf, "schema:accessibilityFeature")
    assert set(features) <= FEATURE_VOCABULARY, set(features) - FEATURE_VOCABULARY
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(features)
    has_page_list = nav.find(".//x:nav[@epub:type='page-list']", NS) is not None
    assert ("pageBreakMarkers" in features) == has_page_list == ("pageNavigation" in features)
    assert "printPageNumbers" not in features, "deprecated by schema.org: pageBreakMarkers says it"
    assert ("alternativeText" in features) == bool(images)
    index_links = [] if genindex is None else [a for a in genindex.iter(f"{{{XHTML_NS}}}a") if ".xhtml#" in a.get("href", "")]
    assert ("index" in features) == bool(index_links)
    assert metas(opf, "schema:accessibilityHazard") == ["none"]
    (summary,) = metas(opf, "schema:accessibilitySummary")
    assert len(summary) > 40 and re.search(r"[\u4e00-\u9fff]", summary)
    assert summary == accessibility_summary(features)  # says in words what the features claim, no more
    if has_page_list:
        assert "标出了印刷版的页码" in summary and "不含" not in summary
        assert [m.get("refines") for m in opf.iterfind("opf:metadata/opf:meta[@property='source-of']", NS)
                if m.text == "pagination"] == ["#print-source"], "the page numbers' source is declared"
    else:
        assert "不含印刷版的页码" in summary  # says that a class cannot cite print pages in this edition
    assert metas(opf, "dcterms:conformsTo") == [CONFORMANCE]
    assert metas(opf, "a11y:certifiedBy") == [BOOK.publisher]


def test_page_list_follows_the_print_pdf():
    """Every page of the PDF's main and back matter is in the EPUB's page-list, in order, and its marker stands
    where that page starts: most pages exactly at their first letters, none out of order."""
    from zhbook.tools.epub_pages import letters, pdf_pages
    members = epub_members()
    nav = etree.fromstring(members["nav.xhtml"])
    (page_list,) = nav.iterfind(".//x:nav[@epub:type='page-list']", NS)
    entries = [(a.text, a.get("href")) for a in page_list.iter(f"{{{XHTML_NS}}}a")]
    pages = pdf_pages(require(PDF))
    assert [folio for folio, _ in entries] == [folio for folio, _ in pages], "one entry per print page, in order"
    assert [folio for folio, _ in pages][:3] == ["1", "2", "3"] and len(pages) > 50

    # Follow each link to its marker; what follows it, in reading order, is what that page should start with.
    from zhbook.tools.epub_pages import spine_documents
    spine = spine_documents(package(members))
    roots = {doc: etree.fromstring(members[doc]) for doc in spine}
    places, starts = [], []
    for folio, href in entries:
        doc, _, anchor = href.partition("#")
        (marker,) = roots[doc].iterfind(f".//x:span[@id='{anchor}']", NS)
        assert marker.get("role") == "doc-pagebreak" and marker.get(EPUB_TYPE) == "pagebreak"
        assert marker.get("aria-label") == folio and anchor == f"page-{folio}"
        following = letters("".join(marker.xpath("following::text()")))
        places.append((spine.index(doc), -len(following)))
        starts.append(following)
    assert places == sorted(places), "page markers follow the reading order"

    with_text = [(text, following) for (_, text), following in zip(pages, starts) if text]
    exact = sum(1 for text, following in with_text if following.startswith(text[:8]))
    assert exact >= 0.75 * len(with_text), f"only {exact} of {len(with_text)} pages start where their text does"


def test_page_starts_for_blank_figure_and_unreadable_pages():
    from zhbook.tools.epub_pages import find_page_starts
    para = ["甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉", "春夏秋冬东南西北上下左右前后天地日月星辰",
            "金木水火土宫商角徵羽礼乐射御书数诗书易春", "一二三四五六七八九十百千万亿兆京垓秭穰沟"]
    stream = "".join(para)
    pages = [("1", para[0]),
             ("2", ""),                          # a blank verso: where the next page starts
             ("3", "图示文字" + para[1]),          # opens with a figure whose text the EPUB does not have
             ("4", "完全对不上的表格文字内容错位" * 3),  # a table read in another order: between its neighbours
             ("5", para[3])]
    starts = dict(find_page_starts(pages, stream))
    assert starts["1"] == 0
    assert starts["3"] == len(para[0]) and starts["2"] == starts["3"]
    assert starts["5"] == 3 * len(para[0])
    assert starts["3"] < starts["4"] < starts["5"]


def test_page_starts_stay_in_reading_order_when_the_last_page_is_not_found():
    """A blank verso before a page that is not found (an index the EPUB orders otherwise) goes where that page is
    placed, not at the end of the book: markers out of order made the page list step back (and crashed)."""
    from zhbook.tools.epub_pages import find_page_starts
    stream = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉" * 3 + "索引条目"
    pages = [("1", stream[:20]), ("2", ""), ("3", "对不上的索引文字内容" * 2)]
    starts = [at for _, at in find_page_starts(pages, stream)]
    assert starts == sorted(starts) and starts[1] == starts[2] > 0


def test_a_page_that_continues_a_table_starts_at_its_next_row():
    """The PDF repeats a table's header under 续表 on each page it continues on; the EPUB has it once, so the page
    starts where the next row does (two rows that both open with a date do not look alike: digits count here)."""
    from zhbook.tools.epub_pages import letters, without_continued_head
    before = "表12年表日期事件来源见1982年3月8日第五届全国人大常委会"
    for page, start in (("续表日期事件来源见1998年3月10日第九届全国人大", "年月日第九届全国人大"),
                        ("续表12日期事件来源见2000年南京市", "年南京市"),
                        ("日期事件来源见1998年", "日期事件来源见年")):  # no 续表: as it is
        assert letters(without_continued_head(page, before)) == start


def test_every_image_has_real_alt_text():
    images = [(name, img) for name, root in epub_xhtml().items() for img in root.iter(f"{{{XHTML_NS}}}img")]
    assert len(images) >= 2, "the book has a cover and figures"
    for name, img in images:
        alt = (img.get("alt") or "").strip()
        assert alt and alt != Path(img.get("src")).name and alt.lower() not in {"image", "cover image"}, \
            f"{name}: {img.get('src')} has no real alt text"


def test_every_data_table_has_header_cells():
    """The accessibility summary says tables have headers (the index's layout tables aside)."""
    tables = [(name, t) for name, root in epub_xhtml().items() for t in root.iter(f"{{{XHTML_NS}}}table")
              if "indextable" not in (t.get("class") or "")]
    assert tables, "the book has tables"
    for name, table in tables:
        assert table.find(".//x:th", NS) is not None, f"{name}: a table without header cells"


def test_every_xhtml_is_zh_cn_and_english_passages_are_marked():
    for name, root in epub_xhtml().items():
        assert root.get("lang") == root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN", name
        for element in root.iter():
            if isinstance(element.tag, str) and element is not root and element.get("lang"):
                assert element.get("lang") == "en", name
                assert not re.search(r"[\u4e00-\u9fff]", "".join(element.itertext())), name


def test_cover_is_made_from_the_metadata_and_declared():
    members = epub_members()
    opf = package(members)
    (item,) = opf.iterfind("opf:manifest/opf:item[@properties='cover-image']", NS)
    assert item.get("media-type") == "image/png"
    png = members[item.get("href")]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (epub_cover.WIDTH, epub_cover.HEIGHT)
    assert png == epub_cover.render_png(epub_cover.cover_svg(BOOK)), "the cover is not the one drawn from book.toml"

    first = opf.find("opf:spine/opf:itemref", NS).get("idref")
    cover_page = opf.find(f"opf:manifest/opf:item[@id='{first}']", NS).get("href")
    page = etree.fromstring(members[cover_page])
    (img,) = page.iter(f"{{{XHTML_NS}}}img")
    assert img.get("src") == item.get("href")
    assert img.get("alt").startswith("封面") and BOOK.title in img.get("alt") and BOOK.publisher in img.get("alt")
    nav = etree.fromstring(members["nav.xhtml"])
    assert [a.get("href") for a in nav.iterfind(".//x:nav[@epub:type='landmarks']//x:a[@epub:type='cover']", NS)] \
        == [cover_page]


def test_no_english_interface_words():
    documents = epub_xhtml()
    for name, root in documents.items():
        text = " ".join(root.itertext()) + " ".join(root.xpath("//@title | //@alt | //@aria-label"))
        for phrase in SPHINX_UI_WORDS:
            assert not re.search(rf"\b{re.escape(phrase)}\b", text), f"{name}: {phrase!r}"
    stray = {name: stray_english_words(root) for name, root in documents.items()}
    assert not any(stray.values()), {name: words for name, words in stray.items() if words}


def test_daisy_ace_reports_no_violation(tmp_path):
    """DAISY Ace (axe-core in Chromium plus the EPUB checks) on the built book: outcome pass, no violation."""
    node, chromium = shutil.which("node"), shutil.which("chromium")
    if not node or not chromium:
        pytest.skip("DAISY Ace needs Node.js and Chromium (Debian packages nodejs and chromium)")
    assert ACE.exists(), "DAISY Ace is not installed: run `PUPPETEER_SKIP_DOWNLOAD=true npm ci --prefix tools/ace`"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium, "PUPPETEER_SKIP_DOWNLOAD": "true"}
    result = subprocess.run([str(ACE), "--silent", "--outdir", str(tmp_path / "ace"), str(require(EPUB))],
                            capture_output=True, text=True, env=env, timeout=600)
    report_file = tmp_path / "ace" / "report.json"
    assert report_file.exists(), result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads(report_file.read_text(encoding="utf-8"))
    violations = [f"{doc['earl:testSubject']['url']}: {a['earl:test']['dct:title']} ({a['earl:test']['earl:impact']})"
                  for doc in report.get("assertions", []) for a in doc.get("assertions", [])
                  if a["earl:result"]["earl:outcome"] == "fail"]
    assert report["earl:result"]["earl:outcome"] == "pass" and not violations, violations


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
