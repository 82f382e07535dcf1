extensions = ["myst_parser", "zhbook.ext.index.glossary", "zhbook.ext.stray_markup"]
language = "zh_CN"
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
project = "测试书"
version = release = "1"
