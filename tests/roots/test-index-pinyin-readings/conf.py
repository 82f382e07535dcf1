"""Three index entries and a glossary whose order depends on the book's reading of 重构 (chóng gòu; pypinyin alone
reads zhòng gòu): built twice in one process, with and without the reading, to show that readings do not leak."""

project = "读音测试"
extensions = ["myst_parser", "zhbook.ext.index.pinyin", "zhbook.ext.index.glossary"]
language = "zh_CN"
exclude_patterns = ["_build"]
version = "1"
