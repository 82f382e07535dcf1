"""What the book's sources may contain: no raw LaTeX or HTML, no remote images.

Raw output blocks (```{raw} latex```, ```{raw} html```, inline HTML in Markdown) bypass every check the pipeline
makes — a broken one fails XeLaTeX pages away from its cause, an HTML one can break EPUBCheck — and the book needs
none: tables, figures, citations and dates all have their own markup. So any raw node in a document is refused with
its file and line. Images must be files in the project: a remote image would make the build depend on the network,
which a build never touches. Every document has a title (a heading of its own): the PDF's chapters, the EPUB's
navigation and every link to the document are made from it, and a book whose root document lost its ``#`` line
loses a level of its structure without a word from Sphinx. An image whose file is missing is reported by Sphinx; it is then left out of the image
files the builders convert, where it would crash the LaTeX builders instead of stopping the build with that message.
"""
from __future__ import annotations

from pathlib import Path

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


def require_title(app: Sphinx, doctree: nodes.document) -> None:
    if not any(isinstance(child, nodes.section) for child in doctree.children):
        location = nodes.inline()
        location.source, location.line = app.env.doc2path(app.env.docname), 1
        logger.warning("the document has no title: start it with a heading (# 标题); the PDF's chapters, the EPUB's "
                       "navigation and links to it are made from the title", location=location, type="zhbook",
                       subtype="title")


def drop_missing_images(app: Sphinx, doctree: nodes.document) -> None:
    """After Sphinx's image collector has warned about a file it cannot read: no candidate points at it any more
    ("?" marks an image no converter or copier handles), so the SVG converter does not look it up and crash."""
    for image in doctree.findall(nodes.image):
        candidates = image.get("candidates", {})
        if "?" in candidates:  # a remote image, refused above
            continue
        readable = {mime: path for mime, path in candidates.items() if (Path(app.srcdir) / path).is_file()}
        if readable != candidates:
            image["candidates"] = readable or {"?": image.get("uri", "")}


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", check_document)
    app.connect("doctree-read", require_title)
    app.connect("doctree-read", drop_missing_images, priority=900)  # after Sphinx's image collector
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
