# Tiny project for zhbook.ext.schema_org: two pages, the book's metadata file beside conf.py.
extensions = ["zhbook.ext.schema_org"]
zhbook_metadata_file = "book.toml"
language = "zh_CN"
project = "cataloguing"
