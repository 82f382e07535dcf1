"""The book's HTML edition (dist/html, built by `make`) as readers with assistive technology and keyboards meet it:
axe-core on every page at 390 and 1280 px, light and dark, the search page with results included, reports nothing
(WCAG 2.0/2.1/2.2 A and AA and axe's best practices), the search works from the keyboard, English passages are
marked English, and a chapter prints on A4 without the screen's furniture.

The machinery's own tests, on a small root, are in tests/test_html_edition.py (and its helpers in
tests/browser.py, on the import path through book_tests/conftest.py).
"""
from __future__ import annotations

import re
import unicodedata

import pypdf
import pytest
from lxml import html as lxml_html

import browser
from outputs import HTML, require


@pytest.fixture(scope="module")
def search_word() -> str:
    """A word a student would look up, taken from the built book: its glossary's first term."""
    for page in sorted(require(HTML).rglob("*.html")):
        terms = lxml_html.parse(str(page)).getroot().xpath("//dl[contains(@class, 'glossary')]/dt")
        if terms:
            return re.sub(r"[¶\s]", "", terms[0].text_content())
    pytest.fail("dist/html has no glossary term to search for")


def test_every_page_has_no_axe_violation(search_word):
    state = f"search.html?q={search_word}"
    report = browser.axe(require(HTML), extra=[state])
    assert state in report["pages"] and len(report["pages"]) >= 10, report["pages"]
    assert report["violations"] == [], browser.describe(report["violations"])


@pytest.mark.parametrize("width,scheme", [(1280, "light"), (390, "dark")])
def test_search_works_from_the_keyboard(search_word, width, scheme):
    report = browser.keyboard_walk(require(HTML), search_word, width=width, scheme=scheme)
    browser.check_keyboard_walk(report, search_word)


def test_english_passages_are_marked_english():
    """Two or more Latin words together in the main text (a title, a quotation) sit in an element whose lang says
    which language they are in, so a screen reader does not read them with Chinese rules. Addresses and code are
    not prose."""
    run = re.compile(r"[A-Za-z][A-Za-z'’.-]*(?:[ ,:;]+[A-Za-z][A-Za-z'’.-]*)+")
    unmarked, marked = [], 0
    for page in sorted(require(HTML).rglob("*.html")):
        if "_static" in page.parts:
            continue
        for main in lxml_html.parse(str(page)).getroot().xpath("//*[@role='main']"):
            for text in main.xpath(".//text()[not(ancestor::code or ancestor::pre or ancestor::script)]"):
                parent = text.getparent().getparent() if text.is_tail else text.getparent()
                lang = next((a.get("lang") for a in [parent, *parent.iterancestors()] if a.get("lang")), "zh-CN")
                for match in run.finditer(str(text)):
                    if len(re.findall(r"[A-Za-z]{2,}", match.group())) < 2 or "://" in match.group():
                        continue
                    if lang.startswith("zh"):
                        unmarked.append(f"{page.name}: {match.group()[:60]!r}")
                    else:
                        marked += 1
    assert not unmarked, unmarked[:20]
    assert marked >= 5, "the book has English titles and quotations: too few marked passages found"


def test_a_printed_chapter_is_a4_text_only(tmp_path):
    """A teacher prints one chapter page from the browser: A4, its title opening the first sheet, no sidebar or
    search box, every figure's caption printed (the figures are SVG: drawn, not embedded as images)."""
    chapter = sorted((require(HTML) / "chapters").glob("*.html"))[1]
    page = lxml_html.parse(str(chapter)).getroot()
    title = re.sub(r"[¶\s]", "", page.xpath("//h1")[0].text_content())
    captions = [re.sub(r"[¶\s]", "", c.text_content()) for c in page.xpath("//*[@role='main']//figcaption")]
    reader = pypdf.PdfReader(browser.print_to_pdf(chapter, tmp_path / "chapter.pdf"))
    assert all(round(float(p.mediabox.height) / 72 * 25.4) == 297 and round(float(p.mediabox.width) / 72 * 25.4) == 210
               for p in reader.pages), reader.pages[0].mediabox
    sheets = [re.sub(r"\s+", "", unicodedata.normalize("NFKC", p.extract_text())) for p in reader.pages]
    assert sheets[0].startswith(title), sheets[0][:80]
    assert not any(word in "".join(sheets) for word in ("导航", "快速搜索")), "the sidebar was printed"
    assert captions and all(caption in "".join(sheets) for caption in captions), captions
