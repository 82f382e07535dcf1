extensions = ["myst_parser", "sphinxcontrib.bibtex", "zhbook.timeline"]
exclude_patterns = ["_build"]
bibtex_bibfiles = ["refs.bib"]
