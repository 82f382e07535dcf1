"""EPUB fixes: a Sphinx EPUB 3 that EPUBCheck and DAISY Ace accept, stores can catalogue and every reader can read.

Plain Sphinx gives a zh_CN book 8 EPUBCheck errors and 3 warnings and a zip that differs on every build. This
module owns the ``epub`` builder (a subclass of Sphinx's) and fixes that at the root:

- language ``zh-CN`` (a BCP 47 tag, not ``zh_CN``) on the package and on every XHTML root;
- no stray spaces in Chinese and ``lang="en"`` on English passages (:mod:`zhbook.ext.chinese_text`, which the HTML
  edition shares);
- complete package metadata from the book metadata file: identifier (``urn:isbn`` when the EPUB has an ISBN,
  else a UUID derived from the slug, so it never changes between builds; the NCX carries the same one), titles,
  creators with MARC relator roles and file-as, publisher, date, subjects, description, rights, series,
  ``dcterms:modified`` from SOURCE_DATE_EPOCH, and EPUB Accessibility 1.1 metadata that claims only what is true;
- a cover drawn from the metadata (:mod:`zhbook.ext.epub.cover`), declared as the cover image, on a cover page first
  in the spine with real alt text;
- a navigation document with landmarks, every label in Chinese, its entries numbered as the book numbers them
  (第一章, 1.1; :mod:`zhbook.ext.chapter_numbers`);
- XHTML clean-up: ARIA markup that EPUBCheck and Ace accept (written so by :mod:`zhbook.ext.aria_markup`, which
  the HTML edition shares), footnotes marked as pop-up notes (``epub:type`` noteref/footnote), every image with real alt text (an image without one stops the build,
  naming its source file and line);
- a byte-identical zip for identical sources: ``mimetype`` first and stored, then a fixed order, fixed
  timestamps and permissions.

The reading style (CJK font stacks, line height, tables on a phone) is ``_static/epub.css``, which replaces the
theme's stylesheet of the same name through ``html_static_path``.
"""
from __future__ import annotations

import html
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
from sphinx.errors import SphinxError
from sphinx.util import logging

from zhbook.core.accessibility import accessibility_summary
from zhbook.core.dates import SourceDateEpochError, source_date_epoch
from zhbook.ext import chapter_numbers
from zhbook.ext.epub import cover as epub_cover
from zhbook.tools import epub_pages
from zhbook.tools import inputs
from zhbook import metadata as book_metadata

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).with_name("templates") / "epub3"
# Page templates for the theme's loader: epub-cover.html replaces the theme's sample, whose alt text is "Cover image".
PAGE_TEMPLATES = Path(__file__).with_name("templates") / "epub-pages"
COVER_IMAGE = "_images/epub-cover.png"
# A fixed namespace, so the UUID of a book without an e-book ISBN depends on its slug only.
BOOK_UUID_NAMESPACE = uuid.UUID("6f1c2d0e-8a53-4c4e-9a8e-2b7f3a1c5d90")
# Relator codes whose holders are the book's creators; everyone else is a contributor.
CREATOR_ROLES = {"aut", "edt", "com"}
LABELS = {"toc": "目录", "cover": "封面", "bodymatter": "正文", "index": "索引"}
# Attribute fixes in the XHTML Sphinx writes: reading systems show a note as a pop-up only when epub:type says
# what it is. (Bibliography entries and toctree captions are written right in the first place by
# zhbook.ext.aria_markup.)
ATTRIBUTE_FIXES = [
    (re.compile(r'role="doc-noteref"'), 'role="doc-noteref" epub:type="noteref"'),
    (re.compile(r'role="doc-footnote"'), 'role="doc-footnote" epub:type="footnote"'),
]



class BuildDateError(SphinxError):
    category = "Build date error"


def build_time() -> time.struct_time:
    """SOURCE_DATE_EPOCH (:func:`zhbook.core.dates.source_date_epoch`: the book's make rules set it to the last
    commit's time), never the clock; not before 1980, the earliest date a zip can store, so that dcterms:modified
    and the zip entries always agree. Unset, it stops the build (checked when the builder starts)."""
    try:
        return time.gmtime(max(source_date_epoch(), 315532800))
    except SourceDateEpochError as error:
        raise BuildDateError(str(error)) from None


def book_identifier(book: book_metadata.BookMetadata) -> str:
    """The EPUB's dc:identifier: its own ISBN when assigned, else a UUID that depends only on the slug."""
    if book.isbn_epub:
        return f"urn:isbn:{book.isbn_epub}"
    return f"urn:uuid:{uuid.uuid5(BOOK_UUID_NAMESPACE, book.slug)}"


class ChineseEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder with the fixes listed in the module docstring."""

    template_dir = TEMPLATES
    guide_titles = {"toc": LABELS["toc"], "cover": LABELS["cover"]}

    @property
    def book(self) -> book_metadata.BookMetadata:
        return book_metadata.from_app(self)

    def init(self) -> None:
        super().init()
        build_time()  # SOURCE_DATE_EPOCH is set: stop before anything is read, not after the whole book is
        lang = html.escape(self.config.epub_language)
        self.html_tag = (f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
                         f'lang="{lang}" xml:lang="{lang}">')

    def prepare_writing(self, docnames: set[str]) -> None:
        super().prepare_writing(docnames)
        self.globalcontext["cover_alt"] = epub_cover.cover_alt(self.book)

    def copy_image_files(self) -> None:
        super().copy_image_files()
        self.write_cover()

    def write_cover(self) -> None:
        """Render the cover PNG, unless the one already there was made from the same SVG."""
        svg = epub_cover.cover_svg(self.book)
        png = self.outdir / COVER_IMAGE
        made_from = Path(self.doctreedir) / "epub-cover.svg"
        if png.exists() and made_from.exists() and made_from.read_text(encoding="utf-8") == svg:
            return
        try:
            data = epub_cover.render_png(svg)
        except epub_cover.CoverError as err:
            logger.warning("cannot make the EPUB cover: %s", err, type="zhbook", subtype="cover")
            return
        png.parent.mkdir(parents=True, exist_ok=True)
        png.write_bytes(data)
        made_from.write_text(svg, encoding="utf-8")

    def has_index_entries(self) -> bool:
        return self.use_index and any(self.env.get_domain("index").entries.values())

    def content_metadata(self) -> dict[str, Any]:
        metadata = super().content_metadata()
        book = self.book
        esc = html.escape
        has_images = bool(self.images) or bool(self.config.epub_cover)
        features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"]
        if has_images:
            features.append("alternativeText")
        if self.has_index_entries():
            features.append("index")
        metadata.update(
            identifier=esc(book_identifier(book)),
            subtitle=esc(book.subtitle),
            creators=[
                {"id": f"creator{i}", "element": "creator" if c.role in CREATOR_ROLES else "contributor",
                 "name": esc(c.name), "role": esc(c.role), "file_as": esc(c.file_as)}
                for i, c in enumerate(book.creators, 1)
            ],
            pubdate=str(book.year),
            subjects=[esc(s) for s in book.subjects],
            description=esc(book.description),
            series=esc(book.series),
            print_source=esc(epub_pages.print_source(book)),
            modified=time.strftime("%Y-%m-%dT%H:%M:%SZ", build_time()),
            access_modes=["textual", "visual"] if has_images else ["textual"],
            access_modes_sufficient=["textual", "textual,visual"] if has_images else ["textual"],
            accessibility_features=features,
            certifier=esc(book.publisher),
            accessibility_summary=esc(accessibility_summary(features)),
        )
        return metadata

    def toc_add_files(self, refnodes: list[dict[str, Any]]) -> None:
        """Number the entries as the book numbers them (第一章, 1.1); Sphinx calls this on every table of contents
        it collects (the NCX's, the navigation document's), just before adding the pages outside the toctree."""
        chapter_numbers.numbered_nav_entries(self.env, refnodes, self.out_suffix)
        super().toc_add_files(refnodes)

    def toc_metadata(self, level: int, navpoints: list) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata["identifier"] = html.escape(book_identifier(self.book))
        return metadata

    def navigation_doc_metadata(self, navlist: list) -> dict[str, Any]:
        metadata = super().navigation_doc_metadata(navlist)
        landmarks = []
        if self.config.epub_cover:
            landmarks.append(("cover", self.coverpage_name, LABELS["cover"]))
        landmarks.append(("toc", f"{self.config.root_doc}{self.out_suffix}", LABELS["toc"]))
        numbered = [r["refuri"] for r in self.refnodes
                    if self.env.toc_secnumbers.get(r["refuri"].removesuffix(self.out_suffix))]
        if numbered:
            landmarks.append(("bodymatter", numbered[0], LABELS["bodymatter"]))
        if self.has_index_entries():
            landmarks.append(("index", f"genindex{self.out_suffix}", LABELS["index"]))
        metadata.update(landmarks=landmarks)
        return metadata

    def build_epub(self) -> None:
        """Write the .epub reproducibly: mimetype first and stored, then a fixed order, fixed times and modes."""
        fix_xhtml_attributes(self.outdir, self.files)
        inputs.normalise_copies(self.outdir, self.files)  # an SVG or CSS saved with a BOM or CRLF: clean LF bytes
        stamp = build_time()[:6]
        names = ["META-INF/container.xml", "content.opf", "toc.ncx", *sorted(set(self.files))]
        target = self.outdir / f"{self.config.epub_basename}.epub"
        with zipfile.ZipFile(target, "w") as epub:
            for name, method in [("mimetype", zipfile.ZIP_STORED)] + [(n, zipfile.ZIP_DEFLATED) for n in names]:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = method
                info.external_attr = 0o100644 << 16
                info.create_system = 3
                epub.writestr(info, (self.outdir / name).read_bytes(), compresslevel=9)


def fix_xhtml_attributes(outdir: Path, files: list[str]) -> None:
    """Apply :data:`ATTRIBUTE_FIXES` to every XHTML file of the book."""
    for name in files:
        if name.endswith(".xhtml"):
            path = outdir / name
            text = path.read_text(encoding="utf-8")
            fixed = text
            for pattern, replacement in ATTRIBUTE_FIXES:
                fixed = pattern.sub(replacement, fixed)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")


def require_alt_text(app: Sphinx, doctree: nodes.document) -> None:
    """Every image needs real alt text: screen readers and EPUB Accessibility rely on it."""
    for image in doctree.findall(nodes.image):
        alt = (image.get("alt") or "").strip()
        if not alt or alt == image.get("uri"):
            located = image  # an inline Markdown image has no line of its own; its paragraph has
            while not located.line and located.parent is not None:
                located = located.parent
            logger.warning("figure or image %s has no alt text (add :alt: with a description)", image.get("uri"),
                           location=located, type="zhbook", subtype="alt")


def configure_epub(app: Sphinx, config: Config) -> None:
    """EPUB settings from the book metadata file."""
    book = book_metadata.load(book_metadata.metadata_path(app.confdir, config))
    config.epub_basename = book.slug
    config.epub_title = book.title
    config.epub_author = "、".join(c.name for c in book.creators if c.role in CREATOR_ROLES) or book.creators[0].name
    config.epub_contributor = "、".join(c.name for c in book.creators) or config.epub_author
    config.epub_language = book.language
    config.epub_publisher = book.publisher
    config.epub_copyright = book.rights
    config.epub_description = book.description
    config.epub_identifier = book_identifier(book)
    config.epub_scheme = "ISBN" if book.isbn_epub else "UUID"
    config.epub_uid = "bookid"
    config.epub_cover = (COVER_IMAGE, "epub-cover.html")
    config.templates_path = [*config.templates_path, str(PAGE_TEMPLATES)]
    config.epub_show_urls = "no"
    config.epub_use_index = True
    config.epub_tocdepth = 2
    # Sphinx repeats each chapter as the first child of its own NCX entry; a reader's contents list shows it twice.
    config.epub_tocdup = False
    # Left out of Sphinx's scan of the output folder: the basic theme's pictures and stylesheet that no EPUB page
    # uses; the copy of the build information Sphinx keeps when the configuration changed (it has no media type:
    # a warning); the cover page, which Sphinx adds itself (found again on a rebuild, it would enter the spine
    # twice: an EPUBCheck error).
    config.epub_exclude_files = [*config.epub_exclude_files, "_static/file.png", "_static/minus.png",
                                 "_static/plus.png", "_static/basic.css", ".buildinfo.bak", "epub-cover.xhtml"]


def setup(app: Sphinx) -> dict:
    book_metadata.add_config_value(app)
    app.add_builder(ChineseEpubBuilder, override=True)
    app.connect("config-inited", configure_epub, priority=600)
    app.connect("doctree-read", require_alt_text)
    app.setup_extension("zhbook.ext.chinese_text")
    app.setup_extension("zhbook.ext.chapter_numbers")
    app.setup_extension("zhbook.ext.aria_markup")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
