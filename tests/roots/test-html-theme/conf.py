extensions = ["myst_parser", "zhbook.ext.html_theme"]
language = "zh_CN"
exclude_patterns = ["_build"]
project = "测试书"
copyright = "2026 测试编写组。保留所有权利。"
version = release = "1"
html_theme = "textbook"
