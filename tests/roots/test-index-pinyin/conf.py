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

# The book's readings of its polyphonic terms (pypinyin alone reads 重构 zhònggòu and 长效 zhǎngxiào).
pinyin_index_readings = {
    "行政": "xíng zhèng",
    "银行": "yín háng",
    "行业": "háng yè",
    "重构": "chóng gòu",
    "调节": "tiáo jié",
    "参与": "cān yù",
    "单位": "dān wèi",
    "长效": "cháng xiào",
    "还权于民": "huán quán yú mín",
}
