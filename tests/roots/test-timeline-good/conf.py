extensions = ["myst_parser", "sphinxcontrib.bibtex", "zhbook.ext.timeline"]
language = "zh_CN"
exclude_patterns = ["_build"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "plain"
project = "测试书"
author = "测试"
copyright = "2026 测试"
version = release = "1"
