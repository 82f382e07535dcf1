"""One good bib file and one bib file per validation failure; a test picks the files with confoverrides."""
project = "校验测试"
language = "zh_CN"
extensions = ["myst_parser", "zhbook.ext.citations"]
bibtex_bibfiles = ["good.bib"]
bibtex_default_style = "gbt7714"
bibtex_reference_style = "gbt7714"
