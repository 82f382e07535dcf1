"""The HTML edition's machinery for accessibility and reading comfort, on the small root tests/roots/test-html-a11y (never this book):

- the markup zhbook writes through translator mixins (zhbook.ext.translators), the section numbers
  (zhbook.ext.chapter_numbers) and the ARIA markup Sphinx and docutils get wrong (zhbook.ext.aria_markup), both on
  the same pages, in the HTML and the EPUB;
- axe-core in Chromium on every page of the root in the ``textbook`` theme, at both widths and in both colour
  schemes, search results included: no violation; and the check itself names what it finds on a damaged copy;
- the keyboard walk: skip link, visible focus, the search page used without a mouse;
- reading comfort: a dark colour scheme that follows the reader's setting, a page printed on A4 without the
  screen's furniture.
"""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import shutil
import unicodedata

import pypdf
import pytest
from lxml import html as lxml_html

import browser
from readers import epubcheck

REPO = Path(__file__).resolve().parent.parent
ROOT = REPO / "tests" / "roots" / "test-html-a11y"
EPOCH = "1767268800"


def sphinx_build(builder: str, out: Path, source: Path = ROOT) -> Path:
    """Build ``source`` as the Makefile builds the book (warnings are errors); the output folder."""
    result = subprocess.run(
        [str(REPO / ".venv/bin/sphinx-build"), "-b", builder, "-W", "--keep-going", "-n", "-q",
         "-d", str(out.parent / f"{out.name}-doctrees"), str(source), str(out)],
        capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": "0"})
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def root_html(tmp_path_factory) -> Path:
    return sphinx_build("html", tmp_path_factory.mktemp("a11y") / "html")


@pytest.fixture(scope="module")
def root_epub(tmp_path_factory) -> Path:
    return sphinx_build("epub", tmp_path_factory.mktemp("a11y") / "epub")


def pages(folder: Path, suffix: str) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in folder.glob(f"*{suffix}")}


@pytest.mark.parametrize("builder", ["html", "epub"])
def test_toctree_captions_are_headings_with_one_level(builder, root_html, root_epub):
    folder, suffix = (root_html, ".html") if builder == "html" else (root_epub, ".xhtml")
    text = pages(folder, suffix)["index" + suffix]
    captions = re.findall(r'<p [^>]*class="caption"[^>]*>', text)
    assert len(captions) >= 2, captions  # the body's two tables of contents (and the sidebar's, in HTML)
    for tag in captions:
        assert 'role="heading"' in tag and len(re.findall(r"aria-level=", tag)) == 1, tag
    body = text.split('role="main"', 1)[-1] if builder == "html" else text
    assert re.search(r'<p aria-level="2" class="caption" role="heading">', body), "a body caption is under the h1"


@pytest.mark.parametrize("builder", ["html", "epub"])
def test_bibliography_entries_are_list_items(builder, root_html, root_epub):
    folder, suffix = (root_html, ".html") if builder == "html" else (root_epub, ".xhtml")
    text = pages(folder, suffix)["references" + suffix]
    assert "doc-biblioentry" not in text
    assert text.count('<div role="list" class="citation-list">') == 1
    assert len(re.findall(r'<div class="citation" [^>]*role="listitem"', text)) == 2


@pytest.mark.parametrize("builder", ["html", "epub"])
def test_section_numbers_survive_next_to_the_aria_mixin(builder, root_html, root_epub):
    """Both mixins act on the same translator: neither replaces the other's (a second set_translator would)."""
    folder, suffix = (root_html, ".html") if builder == "html" else (root_epub, ".xhtml")
    text = pages(folder, suffix)["chapter" + suffix]
    assert '<span class="section-number">第一章\u3000</span>' in text
    assert '<span class="section-number">1.1.1\u3000</span>' in text
    index = pages(folder, suffix)["index" + suffix]
    assert "第一章\u3000政府职能的转变" in index


@pytest.mark.sphinx("html", testroot="html-a11y")
def test_mixins_are_stacked_once_on_the_builders_translator(app):
    """Each mixin once, over Sphinx's HTML5 translator, also when builder-inited runs again (a warm preview)."""
    from sphinx.writers.html5 import HTML5Translator

    from zhbook.ext.aria_markup import AccessibleMarkup
    from zhbook.ext.chapter_numbers import ChineseNumbering

    app.events.emit("builder-inited")
    translator = app.registry.get_translator_class(app.builder)
    mro = translator.__mro__
    assert mro.count(AccessibleMarkup) == mro.count(ChineseNumbering) == 1, mro
    assert issubclass(translator, HTML5Translator), mro


def test_one_viewport_meta_per_page(root_html):
    for name, text in pages(root_html, ".html").items():
        root = lxml_html.fromstring(text)
        assert len(root.xpath("//meta[@name='viewport']")) == 1, name


def test_root_epub_passes_epubcheck(root_epub):
    (epub,) = root_epub.glob("*.epub")
    report = epubcheck(epub)
    assert [m["ID"] + " " + m["message"] for m in report["messages"]] == []


# -- in Chromium -----------------------------------------------------------------------------------------------

def test_root_has_no_axe_violation(root_html):
    """Every page, the search page with results too, at 390 and 1280 px, light and dark: WCAG 2.2 AA and axe's best
    practices."""
    report = browser.axe(root_html, extra=["search.html?q=问责"])
    assert "search.html?q=问责" in report["pages"] and "references.html" in report["pages"], report["pages"]
    assert report["violations"] == [], browser.describe(report["violations"])


def test_axe_check_names_page_width_rule_and_element(root_html, tmp_path):
    """A damaged copy (a caption heading without its level, grey-on-white footer text): the check reports each,
    with its page, width, scheme, rule and element."""
    site = tmp_path / "html"
    shutil.copytree(root_html, site)
    chapter = site / "chapter.html"
    text = chapter.read_text(encoding="utf-8")
    assert 'aria-level="3" class="caption"' in text and '<div class="footer">' in text
    text = text.replace('aria-level="3" class="caption"', 'class="caption"', 1)
    chapter.write_text(text.replace('<div class="footer">', '<div class="footer" style="color:#aaa">'), "utf-8")
    report = browser.axe(site, widths=(1280,), schemes=("light",))
    found = {(v["page"], v["width"], v["scheme"], v["rule"]) for v in report["violations"]}
    assert found == {("chapter.html", 1280, "light", "aria-required-attr"),
                     ("chapter.html", 1280, "light", "color-contrast")}, browser.describe(report["violations"])
    message = browser.describe(report["violations"])
    assert "p.caption" in message or ".caption" in message, message
    assert ".footer" in message, message


@pytest.mark.parametrize("width,scheme", [(1280, "light"), (390, "dark")])
def test_root_works_from_the_keyboard(root_html, width, scheme):
    report = browser.keyboard_walk(root_html, "问责", width=width, scheme=scheme)
    browser.check_keyboard_walk(report, "问责")


# -- reading comfort -------------------------------------------------------------------------------------------

def test_dark_scheme_follows_the_readers_setting(root_html):
    """Light text on a dark page when the system asks for dark, the other way round when it does not (axe checks
    the contrast of both)."""
    light = browser.scheme_colours(root_html / "chapter.html", "light")
    dark = browser.scheme_colours(root_html / "chapter.html", "dark")
    for part in ("body", "main"):
        assert browser.luminance(light[part]["background"]) > 0.9 > browser.luminance(light[part]["color"]), light
        assert browser.luminance(dark[part]["background"]) < 0.05 < browser.luminance(dark[part]["color"]), dark
    assert browser.luminance(dark["link"]["color"]) > 0.3, dark["link"]


def test_printed_page_is_a4_text_without_the_screen_furniture(root_html, tmp_path):
    pdf = browser.print_to_pdf(root_html / "chapter.html", tmp_path / "chapter.pdf")
    reader = pypdf.PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297), box
    # NFKC: the PDF's text layer spells some CJK characters with their Kangxi radical look-alikes (⼀ for 一)
    pages = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", page.extract_text())) for page in reader.pages]
    text, first = "".join(pages), pages[0]
    assert first.startswith("第一章政府职能的转变"), first[:80]  # the title opens page 1: no sidebar before it
    for furniture in ("导航", "快速搜索", "跳到正文", "¶"):
        assert furniture not in text, f"{furniture!r} printed"
    assert "保留所有权利" in text  # the rights line stays
