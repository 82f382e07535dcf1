"""A chapter and a timeline quoting a regulation and a news dispatch whose excerpts are stored, and a news report
whose text is not."""
project = "引文测试"
language = "zh_CN"
extensions = ["myst_parser", "sphinxcontrib.bibtex", "zhbook.ext.timeline", "zhbook.ext.quotations"]
exclude_patterns = ["_build", "excerpts"]
timeline_file = "timeline.yaml"
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "plain"
quotation_excerpts = "excerpts"
