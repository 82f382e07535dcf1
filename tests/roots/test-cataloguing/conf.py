# Tiny project for zhbook.cataloguing: two pages, the book's metadata file beside conf.py.
extensions = ["zhbook.cataloguing"]
zhbook_metadata_file = "book.toml"
language = "zh_CN"
project = "cataloguing"
