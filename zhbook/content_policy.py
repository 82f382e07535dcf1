"""What the book's sources may contain: no raw LaTeX or HTML, no remote images.

Raw output blocks (```{raw} latex```, ```{raw} html```, inline HTML in Markdown) bypass every check the pipeline
makes — a broken one fails XeLaTeX pages away from its cause, an HTML one can break EPUBCheck — and the book needs
none: tables, figures, citations and dates all have their own markup. So any raw node in a document is refused with
its file and line. Images must be files in the project: a remote image would make the build depend on the network,
which a build never touches.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)


def check_document(app: Sphinx, doctree: nodes.document) -> None:
    for raw in doctree.findall(nodes.raw):
        fmt = raw.get("format", "html")
        logger.warning("raw %s is not allowed in the book's sources (use the book's own markup; see README)", fmt,
                       location=raw, type="zhbook", subtype="raw")
    for image in doctree.findall(nodes.image):
        uri = image.get("uri", "")
        if "://" in uri or uri.startswith("//"):
            logger.warning("remote image %s: builds are offline, put the file under source/figures/", uri,
                           location=image, type="zhbook", subtype="remote_image")


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", check_document)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
