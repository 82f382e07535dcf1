"""A glossary whose terms are not in pinyin order: one warning at the misplaced term."""

extensions = ["myst_parser", "zhbook.ext.index.glossary"]
language = "zh_CN"
