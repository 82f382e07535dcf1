extensions = ["myst_parser", "zhbook.ext.content_policy"]
language = "zh_CN"
exclude_patterns = ["_build"]
project = "测试书"
version = release = "1"
