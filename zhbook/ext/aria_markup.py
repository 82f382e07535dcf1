"""ARIA markup that Sphinx and docutils write wrong, fixed where it is written, for the HTML and the EPUB.

- A toctree caption (前言, 正文, 附录 above the entries of a table of contents) is ``role="heading"`` without the
  ``aria-level`` the role requires: it gets level 2, under the page's h1 (the sidebar's template puts it at 3,
  under its own h2).
- A bibliography entry is ``role="doc-biblioentry"``, a role DPUB-ARIA 1.1 deprecated and axe and EPUBCheck
  reject; docutils already wraps the entries in ``role="list"``, so each is a ``listitem``.
- docutils writes a second ``<meta name="viewport">`` after the one of the theme's layout.

The fixes are a translator mixin (:mod:`zhbook.ext.translators`), so they compose with the book's section numbers
(:mod:`zhbook.ext.chapter_numbers`) instead of replacing that translator.
"""
from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from zhbook.ext.translators import add_translator_mixin

#: Toctree captions sit directly under the page's h1.
CAPTION_LEVEL = 2


class AccessibleMarkup:
    """Mixin for the HTML5 translator: the markup listed in the module docstring."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meta = [tag for tag in self.meta if 'name="viewport"' not in tag]

    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, addnodes.compact_paragraph) and node.parent.get("toctree"):
            self.body.append(self.starttag(node, "p", "", CLASS="caption", ROLE="heading",
                                           **{"aria-level": str(CAPTION_LEVEL)}))
            self.body.append('<span class="caption-text">')
            self.context.append("</span></p>\n")
            return
        super().visit_title(node)

    def visit_citation(self, node: nodes.citation) -> None:
        if not isinstance(node.previous_sibling(), type(node)):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def setup(app: Sphinx) -> dict:
    add_translator_mixin(app, AccessibleMarkup)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
