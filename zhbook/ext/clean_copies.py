"""The SVG and CSS files the HTML builder copies, written as clean LF bytes.

An editor's SVG or CSS saved with a byte-order mark or CRLF line ends is accepted (:mod:`zhbook.tools.inputs`
checks every input before Sphinx); Sphinx copies such files byte for byte, so after an HTML build the copies are
rewritten as the same bytes a clean LF file gives, and the edition does not depend on the editor's platform. (The
EPUB builder, :mod:`zhbook.ext.epub`, does the same for its own copies before it zips them.)
"""
from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from zhbook.tools.inputs import normalise_copies


def _normalise_html_copies(app: Sphinx, exception) -> None:
    if exception is None and app.builder.format == "html" and app.builder.name != "epub":
        normalise_copies(Path(app.outdir))


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", _normalise_html_copies)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
