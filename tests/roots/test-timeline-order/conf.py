extensions = ["myst_parser", "sphinxcontrib.bibtex", "zhbook.ext.timeline"]
exclude_patterns = ["_build"]
bibtex_bibfiles = ["refs.bib"]
