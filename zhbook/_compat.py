"""The module names of zhbook 0.1 (``zhbook.latex_zh``, ``zhbook.gbt7714`` …), kept importable for one release.

Before the package was divided into ``core``, ``ext`` and ``tools`` every module sat at its top level; a book's
conf.py may still list ``"zhbook.timeline"`` among its extensions. Importing an old name gives the module under its
new name (the same module object, so Sphinx sees one extension) and a DeprecationWarning that names the new one.
To be removed in zhbook 0.3.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

#: Old top-level module → its module in the divided package.
RENAMED = {
    "page_geometry": "core.page_geometry",
    "chinese_text": "ext.chinese_text",
    "latex_zh": "ext.latex_zh",
    "typography": "ext.typography",
    "handouts": "ext.handouts",
    "html_theme": "ext.html_theme",
    "chapter_numbers": "ext.chapter_numbers",
    "content_policy": "ext.content_policy",
    "stray_markup": "ext.stray_markup",
    "quotations": "ext.quotations",
    "cataloguing": "ext.schema_org",
    "citations": "ext.citations",
    "gbt7714": "ext.citations.style",
    "bibcheck": "ext.citations.bibcheck",
    "timeline": "ext.timeline",
    "pinyin_index": "ext.index.pinyin",
    "glossary": "ext.index.glossary",
    "search_zh": "ext.index.search",
    "epub_fixes": "ext.epub",
    "epub_cover": "ext.epub.cover",
    "texrun": "tools.texrun",
    "pdf_finish": "tools.pdf_finish",
    "press": "tools.press",
    "booklet": "tools.booklet",
    "publish": "tools.publish",
    "stages": "tools.stages",
    "inputs": "tools.inputs",
    "output_scan": "tools.output_scan",
    "typography_check": "tools.typography_check",
    "epub_pages": "tools.epub_pages",
    "catalog": "tools.catalog",
}


class _Alias(importlib.abc.Loader):
    def __init__(self, new: str):
        self.new = new

    def create_module(self, spec):
        return importlib.import_module(self.new)

    def exec_module(self, module) -> None:
        # The module was executed under its new name; the old name is only bound to the same object.
        pass


class RenamedModules(importlib.abc.MetaPathFinder):
    """Finds ``zhbook.<old name>`` and loads the module under its new name."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package != "zhbook" or name not in RENAMED:
            return None
        new = f"zhbook.{RENAMED[name]}"
        warnings.warn(f"{fullname} is now {new}; the old name goes in zhbook 0.3", DeprecationWarning, stacklevel=2)
        return importlib.util.spec_from_loader(fullname, _Alias(new))


def install() -> None:
    if not any(isinstance(finder, RenamedModules) for finder in sys.meta_path):
        sys.meta_path.append(RenamedModules())
