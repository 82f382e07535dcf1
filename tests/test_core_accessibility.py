"""The EPUB's accessibility summary: one function composes it from the feature list, the EPUB builder and the page
list both use it, and the page list edits the package document as XML, not by matching a sentence."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from zhbook import metadata
from zhbook.core.accessibility import PAGE_FEATURES, WITH_PAGES, WITHOUT_PAGES, accessibility_summary

ROOT = Path(__file__).parent / "roots" / "test-epub"
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
BASE = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]


def test_the_summary_says_what_the_features_say():
    plain = accessibility_summary(BASE)
    assert "有结构化的标题、目录；" in plain and "索引" not in plain and "替代文字" not in plain
    assert plain.endswith(WITHOUT_PAGES) and "字体、字号和颜色可以由读者调整。" in plain
    full = accessibility_summary([*BASE, "alternativeText", "index"])
    assert "有结构化的标题、目录和索引；每幅图都有替代文字，" in full
    assert accessibility_summary([*BASE, *PAGE_FEATURES]).endswith(WITH_PAGES)
    assert accessibility_summary([*BASE, "pageBreakMarkers"]).endswith(WITHOUT_PAGES)  # markers without a list
    assert "，有" not in accessibility_summary(["readingOrder"])  # no navigation claimed that is not there


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[bytes, metadata.BookMetadata]:
    """The package document of the test-epub root as the EPUB builder writes it, and the root's metadata."""
    base = tmp_path_factory.mktemp("a11y")
    src = shutil.copytree(ROOT, base / "src")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "epub", "-W", "-q", "-d", str(base / "d"), str(src), str(base / "out")],
        capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1767268800"})
    assert result.returncode == 0, result.stderr
    (epub,) = (base / "out").glob("*.epub")
    return zipfile.ZipFile(epub).read("content.opf"), metadata.load(src / "book.toml")


def metas(opf: bytes, prop: str) -> list[str]:
    return [m.text for m in etree.fromstring(opf).iterfind(f"opf:metadata/opf:meta[@property='{prop}']", NS)]


def test_the_builder_writes_the_summary_of_its_features(built):
    opf, _book = built
    features = metas(opf, "schema:accessibilityFeature")
    assert {"alternativeText", "index"} <= set(features)
    assert metas(opf, "schema:accessibilitySummary") == [accessibility_summary(features)]


def test_the_page_list_adds_its_features_and_summary_as_xml_and_keeps_the_rest(built):
    from zhbook.tools.epub_pages import add_package_metadata

    opf, book = built
    paged = add_package_metadata(opf, book)
    features = metas(paged, "schema:accessibilityFeature")
    assert features == metas(opf, "schema:accessibilityFeature") + list(PAGE_FEATURES)
    assert metas(paged, "schema:accessibilitySummary") == [accessibility_summary(features)]
    assert metas(paged, "source-of") == ["pagination"]
    # Nothing else moved: take the three new lines out and put the old summary back, and the bytes are the same.
    old_summary, new_summary = metas(opf, "schema:accessibilitySummary")[0], metas(paged, "schema:accessibilitySummary")[0]
    lines = [line for line in paged.decode("utf-8").split("\n")
             if not any(new in line for new in ("pageBreakMarkers<", "pageNavigation<", '"source-of">'))]
    assert "\n".join(lines).replace(new_summary, old_summary).encode("utf-8") == opf


def test_the_page_list_does_not_depend_on_the_builders_wording(built):
    """Before, epub_pages replaced one sentence the builder wrote and stopped when the wording changed."""
    from zhbook.tools.epub_pages import add_package_metadata

    opf, book = built
    reworded = opf.replace(metas(opf, "schema:accessibilitySummary")[0].encode("utf-8"), "另一种说法。".encode("utf-8"))
    paged = add_package_metadata(reworded, book)
    assert metas(paged, "schema:accessibilitySummary") == [accessibility_summary(
        metas(paged, "schema:accessibilityFeature"))]


def test_no_sentence_of_a_book_in_the_summary():
    """The summary is the pipeline's: it names no title, author, subject or figure of any book."""
    from zhbook.core import accessibility

    text = "".join(accessibility_summary([*BASE, "alternativeText", "index", *PAGE_FEATURES]))
    for word in ("服务型政府", "政府", "行政", "《", "编写组"):
        assert word not in text
    assert "本书" in accessibility.CONFORMANCE  # the generic name for whichever book is built
