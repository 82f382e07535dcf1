"""zhbook.ext.html_theme: the ``textbook`` theme keeps Alabaster's look without its English furniture: the sidebar
holds the navigation and the (translated) search box under a Chinese landmark label, the footer only the rights
line, and textbook.css (CJK faces, no ASCII colon after admonition titles) is linked (tests/roots/test-html-theme).
Plain Alabaster on the same root shows the English this theme takes away."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

ROOT = Path(__file__).parent / "roots" / "test-html-theme"
ALABASTER_ENGLISH = ("Related Topics", "Documentation overview", "Powered by", 'aria-label="Main"')


def build(make_app, tmp_path, **overrides):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    app = make_app("html", srcdir=srcdir, builddir=srcdir / "_build", confoverrides=overrides)
    app.build()
    assert app.warning.getvalue() == ""
    return Path(app.outdir)


@pytest.fixture
def textbook(make_app, tmp_path):
    return build(make_app, tmp_path)


def test_no_english_furniture(textbook):
    for name in ("index.html", "chapter.html"):
        page = (textbook / name).read_text(encoding="utf-8")
        assert [word for word in ALABASTER_ENGLISH if word in page] == [], name


def test_plain_alabaster_writes_the_english_looked_for(make_app, tmp_path):
    plain = build(make_app, tmp_path, html_theme="alabaster")
    page = (plain / "chapter.html").read_text(encoding="utf-8")
    assert [word for word in ALABASTER_ENGLISH if word in page] == list(ALABASTER_ENGLISH)


def test_sidebar_holds_navigation_and_search_under_a_chinese_label(textbook):
    page = lxml_html.parse(str(textbook / "chapter.html")).getroot()
    (sidebar,) = page.find_class("sphinxsidebar")
    # two landmarks, each with its own Chinese heading: the navigation and the search box
    (nav,) = sidebar.xpath(".//nav")
    (label,) = page.xpath(f"//*[@id='{nav.get('aria-labelledby')}']")
    assert label.text_content().strip() == "导航" and label.tag == "h2"
    assert nav.xpath(".//a[@href='#']|.//a[contains(@href, 'chapter.html')]"), "the navigation lists the chapter"
    (form,) = sidebar.xpath(".//search//form[contains(@action, 'search.html')]")
    assert form.xpath(".//input[@name='q']")


def test_footer_is_the_rights_line_only(textbook):
    page = lxml_html.parse(str(textbook / "index.html")).getroot()
    (footer,) = page.find_class("footer")
    assert footer.text_content().strip() == "2026 测试编写组。保留所有权利。" and len(footer) == 0, "no links, no 'Powered by'"


def test_textbook_css_is_linked_and_sets_cjk_faces(textbook):
    page = (textbook / "chapter.html").read_text(encoding="utf-8")
    assert 'href="_static/textbook.css' in page
    css = (textbook / "_static" / "textbook.css").read_text(encoding="utf-8")
    assert "Noto Serif CJK SC" in css and "p.admonition-title:after { content: none; }" in css
