"""A tiny book whose index mixes polyphonic Chinese terms, Latin words, numbers and sub-entries."""

project = "拼音索引测试"
author = "测试"
extensions = ["myst_parser", "zhbook.ext.index.pinyin", "zhbook.ext.index.glossary", "zhbook.ext.index.search"]
language = "zh_CN"
html_search_language = "zh"
exclude_patterns = ["_build"]

latex_engine = "xelatex"
latex_use_xindy = False
latex_documents = [("index", "pinyin.tex", project, author, "manual")]
latex_elements = {
    # Minimal fonts that TeX Live and fonts-noto-cjk provide (the book's real set-up is zhbook.ext.latex_zh).
    "fontpkg": r"\setmainfont{Latin Modern Roman}\setCJKmainfont{Noto Serif CJK SC}",
    "babel": "",
}
version = "1"
epub_copyright = "2026"
