"""This book's EPUB (dist/<slug>.epub that `make` built): package metadata from book.toml, accessibility claims,
the print page list, alt text, table headers, language, cover, interface words, DAISY Ace (issue 7). The EPUB
machinery's own tests are in tests/test_epub.py.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from outputs import BOOK, EPUB, PDF, XHTML_NS, epub_members, epub_xhtml, require, stray_english_words
from test_epub import (ACE, CONFORMANCE, EPUB_TYPE, FEATURE_VOCABULARY, NS, SPHINX_UI_WORDS, assert_package_metadata,
                       metas, package)
from zhbook.core.accessibility import accessibility_summary
from zhbook.ext.epub import cover as epub_cover


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
                # English passages; the titles of references in other languages carry theirs (it, ja)
                assert re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", element.get("lang")), name
                assert not element.get("lang").startswith("zh"), name
                if element.get("lang") == "en":
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
