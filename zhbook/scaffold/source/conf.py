"""Sphinx configuration of 《{{title}}》: it only configures.

Every fact about the book comes from ``book.toml`` (read by :mod:`zhbook.metadata`); every piece of machinery is
an extension in the ``zhbook`` package.
"""
from pathlib import Path

from zhbook import metadata

book = metadata.load(Path(__file__).with_name("book.toml"))

project = book.title
author = book.authors_line
copyright = book.rights
release = version = book.edition
language = "zh_CN"

extensions = [
    "myst_parser",
    "sphinxcontrib.rsvgconverter",
    "zhbook.ext.latex_zh",
    "zhbook.ext.citations",
    "zhbook.ext.epub",
    "zhbook.ext.chinese_text",
    "zhbook.ext.html_theme",
    "zhbook.ext.chapter_numbers",
    "zhbook.ext.timeline",
    "zhbook.ext.schema_org",
    "zhbook.ext.content_policy",
    "zhbook.ext.stray_markup",
    "zhbook.ext.clean_copies",
    "zhbook.ext.index.pinyin",
    "zhbook.ext.index.glossary",
    "zhbook.ext.index.search",
    "zhbook.ext.template_cache",
    "zhbook.ext.handouts",
    "zhbook.ext.typography",
]

zhbook_metadata_file = "book.toml"

root_doc = "index"
exclude_patterns = ["_build"]
templates_path = []
html_theme = "textbook"
html_static_path = ["../_static"]
html_show_sourcelink = False
html_copy_source = False

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 0

numfig = True
nitpicky = True

# Every .bib file under bib/ is part of the book.
bibtex_bibfiles = sorted(f"../bib/{p.name}" for p in (Path(__file__).parent.parent / "bib").glob("*.bib"))
bibtex_default_style = "gbt7714"
bibtex_reference_style = "gbt7714"
