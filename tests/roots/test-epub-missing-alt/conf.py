"""zhbook.ext.epub must stop the build at an image without alt text: a figure and a Markdown image, each line."""
extensions = ["myst_parser", "zhbook.ext.epub"]
zhbook_metadata_file = "book.toml"
language = "zh_CN"
project = "缺少替代文字"
version = release = "1"
