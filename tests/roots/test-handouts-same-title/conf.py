"""Two chapters with the same title, 案例: each handout must be its own chapter's (第一章, 第二章)."""

extensions = ["myst_parser", "zhbook.ext.handouts"]
zhbook_metadata_file = "book.toml"
language = "zh_CN"
project = "讲义测试"
version = release = "1"
exclude_patterns = ["_build"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "gbt7714"
bibtex_reference_style = "gbt7714"
