"""zhbook: Sphinx extensions and tools that turn a Chinese course book into print, EPUB, HTML and catalogue records.

Where things live:

- ``metadata``  the book's one metadata file (``source/book.toml``): loading and validation;
- ``cli``       the ``zhbook`` command (``python -m zhbook``): runs a tool or Sphinx; a crash is one line, a
  traceback only with ``make DEBUG=1``;
- ``core/``     helpers shared by extensions and tools, with no Sphinx ``setup()``: ``page_geometry`` (the book's and
  the handouts' pages, in one place);
- ``ext/``      the Sphinx extensions, one concern each (each module's docstring says what it owns):
  ``latex_zh`` (Chinese LaTeX set-up, title and copyright pages), ``typography`` (line and page breaking in every
  format), ``handouts`` (per-chapter A4 handouts), ``html_theme`` (+ ``themes/``), ``chapter_numbers``,
  ``aria_markup`` (ARIA markup Sphinx writes wrong), ``translators`` (their translator mixins composed), ``chinese_text``, ``content_policy``, ``stray_markup``, ``quotations``, ``schema_org`` (JSON-LD in the HTML),
  ``clean_copies``, and the packages ``citations/`` (marks, the GB/T 7714 ``style``, ``bibcheck``), ``timeline/``,
  ``index/`` (``pinyin`` 索引, ``glossary`` 术语表, ``search`` Chinese web search) and ``epub/`` (the EPUB builder and
  its fixes, ``cover``);
- ``tools/``    what runs before or after Sphinx, each as ``zhbook NAME …``: ``inputs`` (every input checked before
  Sphinx), ``texrun`` (XeLaTeX), ``pdf_finish``, ``press``, ``booklet``, ``epub_pages`` (the EPUB's print page list),
  ``output_scan`` (markup and ``??`` in the outputs), ``typography_check``, ``publish`` (atomic ``dist/``),
  ``stages`` (progress and summary), and ``catalog/`` (CNMARC, MARC 21, ONIX, Dublin Core, CIP, JSON-LD, and the
  版本记录 of the copyright page, all from one measurement of the built book).
- for every book: ``book.mk`` (the make rules a book's Makefile includes), ``tools/query`` (``zhbook query KEY``:
  book.toml values and the path of ``book.mk``, for make), ``tools/new`` with ``scaffold/`` (``zhbook new``: start a
  book), ``testing/`` (the checks each book's tests call on its dist/).

The module names of zhbook 0.1 (``zhbook.latex_zh`` …) still import, with a DeprecationWarning (:mod:`zhbook._compat`).
"""
from zhbook import _compat

_compat.install()
