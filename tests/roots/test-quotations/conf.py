"""A chapter quoting a regulation whose excerpts are stored, and a news report whose text is not."""
project = "引文测试"
language = "zh_CN"
extensions = ["myst_parser", "sphinxcontrib.bibtex", "zhbook.quotations"]
exclude_patterns = ["_build", "excerpts"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "plain"
quotation_excerpts = "excerpts"
