"""A tiny book for the HTML search: abbreviations, numbers, Latin words, words cut by inline markup, index entries."""

project = "搜索测试"
author = "测试"
extensions = ["myst_parser", "zhbook.ext.index.search"]
language = "zh_CN"
html_search_language = "zh"
exclude_patterns = ["_build"]
