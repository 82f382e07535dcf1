"""zhbook: Sphinx extensions and tools that turn a Chinese course book into print, EPUB, HTML and catalogue records.

One module per concern:

- ``metadata``   reads and validates ``source/book.toml``, the book's one metadata file;
- ``latex_zh``   Chinese LaTeX set-up (fonts, page size, Chinese furniture, copyright page);
- ``gbt7714``    the GB/T 7714-2015 pybtex style and citation marks;
- ``timeline``   the dated-event data, its checks, the ``event`` role and the 大事年表 directive;
- ``epub_fixes`` makes Sphinx's EPUB valid, accessible and reproducible;
- ``handouts``   per-chapter A4 handouts;
- ``catalog``    MARC 21, Dublin Core, CIP and schema.org records.
"""
