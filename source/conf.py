"""Sphinx configuration of 《构建服务型政府》: it only configures.

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
    "zhbook.ext.quotations",
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

# The 索引 and 术语表 in pinyin order (zhbook.ext.index.pinyin): readings of this book's terms whose characters have
# several readings. pypinyin guesses most of them right; they are listed anyway so that a new pypinyin cannot
# silently move them, and the wrong guesses (重构 zhònggòu, 长效 zhǎngxiào, 还权 háiquán …) are corrected.
pinyin_index_readings = {
    "行政": "xíng zhèng",
    "银行": "yín háng",
    "行业": "háng yè",
    "重构": "chóng gòu",
    "重塑": "chóng sù",
    "重组": "chóng zǔ",
    "重建": "chóng jiàn",
    "重大": "zhòng dà",
    "重点": "zhòng diǎn",
    "调节": "tiáo jié",
    "调整": "tiáo zhěng",
    "调控": "tiáo kòng",
    "协调": "xié tiáo",
    "调研": "diào yán",
    "调查": "diào chá",
    "参与": "cān yù",
    "单位": "dān wèi",
    "长效": "cháng xiào",
    "长期": "cháng qī",
    "增长": "zēng zhǎng",
    "还权于民": "huán quán yú mín",
    "还权": "huán quán",
    "为人民服务": "wèi rén mín fú wù",
    "为民": "wèi mín",
    "供给": "gōng jǐ",
    "会计": "kuài jì",
    "处理": "chǔ lǐ",
    "数量": "shù liàng",
    "质量": "zhì liàng",
    "强制": "qiáng zhì",
    "着力": "zhuó lì",
    "差距": "chā jù",
    "传递": "chuán dì",
    "省直管县": "shěng zhí guǎn xiàn",
}

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

# Verbatim excerpts of the documents the book quotes, one YAML file per document (zhbook.ext.quotations).
quotation_excerpts = "../bib/excerpts"
