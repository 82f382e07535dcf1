"""A glossary term that no chapter refers to (only its own glossary does): a warning at its definition."""

extensions = ["myst_parser", "zhbook.ext.index.glossary"]
language = "zh_CN"
