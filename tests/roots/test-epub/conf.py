"""A tiny book for zhbook.ext.epub: two creators, an e-book ISBN, a series, a footnote, a table, a figure, an index
entry, English in Chinese text, and the book's EPUB stylesheet (found through the zhbook package, wherever the root
was copied to)."""
from pathlib import Path

import zhbook

extensions = ["myst_parser", "zhbook.ext.epub"]
zhbook_metadata_file = "book.toml"
language = "zh_CN"
project = "电子书测试"
version = release = "1"
numfig = True
myst_enable_extensions = ["colon_fence"]
html_static_path = [str(Path(zhbook.__file__).resolve().parent.parent / "_static")]
