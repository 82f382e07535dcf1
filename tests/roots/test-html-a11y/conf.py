"""A tiny book for the HTML edition's accessibility (zhbook.ext.html_theme, zhbook.ext.aria_markup): toctree
captions, numbered chapters, a bibliography list, an English passage, a table, a note, a glossary and an index
entry, in the ``textbook`` theme and in the EPUB."""
from pathlib import Path

import zhbook

extensions = ["myst_parser", "zhbook.ext.epub", "zhbook.ext.chinese_text", "zhbook.ext.html_theme",
              "zhbook.ext.chapter_numbers", "zhbook.ext.index.search"]
zhbook_metadata_file = "book.toml"
language = "zh_CN"
project = "无障碍测试"
copyright = "© 2026 示例编写组。保留所有权利。"
version = release = "1"
html_theme = "textbook"
html_show_sourcelink = False
html_copy_source = False
numfig = True
# The book's EPUB stylesheet, found through the zhbook package wherever the root was copied to.
html_static_path = [str(Path(zhbook.__file__).resolve().parent.parent / "_static")]
myst_enable_extensions = ["colon_fence", "deflist"]
