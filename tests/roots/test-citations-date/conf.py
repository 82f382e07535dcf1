"""The biblatex date where BibTeX's year and month used to be needed: a bibliography filtered by year."""
project = "日期测试"
language = "zh_CN"
extensions = ["myst_parser", "zhbook.ext.citations"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "gbt7714"
bibtex_reference_style = "gbt7714"
