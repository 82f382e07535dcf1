"""References in other languages than Chinese: each title carries its language (zhbook.ext.citations), and an
English entry stays English as a whole (zhbook.ext.chinese_text)."""
project = "外文文献测试"
copyright = "2026, 编写组"
version = release = "1"
language = "zh_CN"
extensions = ["myst_parser", "zhbook.ext.citations", "zhbook.ext.chinese_text"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "gbt7714"
bibtex_reference_style = "gbt7714"
