"""A glossary with :sorted:, whose terms come out in pinyin order, not in code-point order."""

extensions = ["myst_parser", "zhbook.ext.index.glossary"]
language = "zh_CN"
