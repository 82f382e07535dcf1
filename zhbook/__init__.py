"""zhbook: Sphinx extensions and tools that turn a Chinese course book into print, EPUB, HTML and catalogue records.

One module per concern:

- ``metadata``   reads and validates ``source/book.toml``, the book's one metadata file;
- ``latex_zh``   Chinese LaTeX set-up (fonts, Chinese furniture, copyright page);
- ``page_geometry`` the book's and the handouts' pages (trim size, margins, text block), in one place;
- ``timeline``   the dated-event data, its checks, the ``event`` role and the 大事年表 directive;
- ``epub_fixes`` makes Sphinx's EPUB valid, accessible and reproducible (``epub_cover`` draws its cover);
- ``handouts``   per-chapter A4 handouts; ``press`` the print-shop PDF;
- ``catalog``    MARC 21, Dublin Core, CIP and schema.org records (``cataloguing`` puts JSON-LD into the HTML);
- ``citations``, ``gbt7714``, ``bibcheck``  GB/T 7714 marks and references, and the check of bib/;
- ``quotations`` quotations of documents checked word for word against their stored excerpts;
- ``pinyin_index``, ``glossary``, ``search_zh``  索引 and 术语表 in pinyin order, Chinese word search;
- ``chinese_text`` Chinese line breaks and English passages in the HTML and EPUB;
- ``typography`` line and page breaking in every format (no 孤字, 避头尾, marks kept with their word, no 寡行,
  tables and boxes across pages);
  ``typography_check`` measures those faults on the built PDF, HTML and EPUB;
- ``content_policy`` what the sources may contain (no raw markup, no remote images);
- ``inputs``     every input file decoded and checked before Sphinx (UTF-8, BOM and CRLF, control characters,
  SVG, CSS, YAML, TOML); ``stray_markup`` MyST markup left as text; ``output_scan`` markup and ``??`` in the
  built HTML, EPUB and PDF;
- tools run by the Makefile: ``texrun`` (XeLaTeX), ``pdf_finish`` (PDF metadata),
  ``publish`` (atomic dist/), ``cli`` (runs each tool: a crash is one line, a traceback only with DEBUG=1).
"""
