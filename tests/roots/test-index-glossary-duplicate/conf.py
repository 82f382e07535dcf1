"""A glossary term defined twice: Sphinx's standard domain warns at the second definition."""

extensions = ["myst_parser", "zhbook.ext.index.glossary"]
language = "zh_CN"
