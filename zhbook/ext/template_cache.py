"""Compiled page templates kept between builds.

Sphinx compiles its Jinja templates (the theme's layout, page, the sidebars) again in every new process: about a
quarter of a second of every ``make html`` after a one-paragraph edit, more than writing the edited page. This
extension gives the template environment of the HTML builders (the EPUB builder is one too) Jinja's
``FileSystemBytecodeCache`` in the doctree folder (``jinja-templates/``). Jinja checks each cached template
against the checksum of its source and the Python version, so an edited template is compiled again; the pages
written are the same bytes either way.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CACHE_FOLDER = "jinja-templates"


def use_bytecode_cache(app: Sphinx) -> None:
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None or environment.bytecode_cache is not None:
        return
    from jinja2 import FileSystemBytecodeCache

    folder = Path(app.doctreedir, CACHE_FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", use_bytecode_cache)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
