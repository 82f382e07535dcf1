"""The HTML edition's theme, ``textbook``: Alabaster with Chinese furniture.

Alabaster writes English into every page where Sphinx's Chinese catalogue has no say ("Related Topics",
"Documentation overview", "Powered by", the sidebar's "Main" landmark, a search field saying "Search"). The theme
keeps Alabaster's look and replaces those parts: the sidebar holds the navigation and Sphinx's (translated) search
box, the footer only the book's rights line, admonition titles lose Alabaster's ASCII colon, and the text is set
in CJK faces. conf.py selects it with ``html_theme = "textbook"``.

It is built to pass axe-core (WCAG 2.2 AA and best practices) on every page: a skip link to the main text, one
landmark per part (main, the sidebar's navigation and search, the footer's contentinfo), headings without gaps
(the sidebar's are h2, its toctree captions level 3 through :mod:`zhbook.ext.aria_markup`), a visible focus ring,
AA contrast and 24 px link targets. Its stylesheet also has a dark colour scheme that follows the reader's
system setting (``prefers-color-scheme``) and a print stylesheet for printing one page: A4, the text only, in the
same faces, web addresses written out after their links.
"""
from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

THEME = Path(__file__).with_name("themes") / "textbook"


def setup(app: Sphinx) -> dict:
    app.add_html_theme("textbook", str(THEME))
    # The sidebar template relies on the toctree captions' aria-level the translator mixin writes.
    app.setup_extension("zhbook.ext.aria_markup")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
