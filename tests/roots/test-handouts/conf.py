"""A two-chapter book for the handouts builder: a reference from chapter 2 into chapter 1 (a section, a table, the
chapter), citations numbered differently in the book and in each chapter, and a back-matter 参考文献."""
project = "讲义测试"
author = "编写组"
version = release = "1"
language = "zh_CN"
extensions = ["myst_parser", "zhbook.ext.handouts"]
zhbook_metadata_file = "book.toml"
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "gbt7714"
bibtex_reference_style = "gbt7714"
numfig = True
