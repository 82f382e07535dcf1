"""A book with a preface, two numbered chapters and an appendix, for zhbook.ext.latex_zh; conf.py sets one LaTeX
element of its own (the point size), which must win over the extension's default."""
project = "排版测试"
version = release = "1"
language = "zh_CN"
extensions = ["myst_parser", "zhbook.ext.latex_zh"]
zhbook_metadata_file = "book.toml"
latex_elements = {"pointsize": "11pt"}
