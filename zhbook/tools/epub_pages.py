"""The EPUB's print page list: page-break markers and a page-list that follow the book PDF's folios.

A class reads the e-book and the printed book side by side; when the teacher says “第 42 页”, a reader on a phone
jumps to the same place. ``python -m zhbook.tools.epub_pages IN.epub BOOK.pdf OUT.epub`` writes a copy of the EPUB in
which, for every page of the PDF's main and back matter (folios in arabic numerals):

- a ``<span epub:type="pagebreak" role="doc-pagebreak" id="page-42" aria-label="42">`` sits in the XHTML just
  before the first character of that page; the place is found by matching the page's first characters (pdftotext,
  cropped to the text block, so running heads and folios are not read) against the EPUB's text, in reading order;
- the navigation document has a ``page-list`` that links every marker;
- the package says so: its ``dc:source`` (the print edition: its ISBN once assigned, else a stable UUID) is
  refined as the source of the pagination; the accessibility features gain ``pageBreakMarkers`` and
  ``pageNavigation``; the summary, composed again for them, says the print page numbers are there.

Only letters count in the matching (Han characters and Latin letters): digits, punctuation and spaces differ
between the two renderings (citation marks, section numbers, full-width forms). A page that opens with a figure or
a table is placed by the first text on it both editions share; a page that continues a table (续表 and the
header row again, which the EPUB has once) by the table's next row; a blank page goes where the next page starts; a
page whose text cannot be found is put between its neighbours. The command reports how many pages it placed
exactly.
The EPUB's zip is rewritten entry by entry with the same order, times and modes, so it stays reproducible.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pypdf
from lxml import etree

from zhbook import metadata as book_metadata
from zhbook.core import files, page_geometry
from zhbook.core.accessibility import PAGE_FEATURES, accessibility_summary
from zhbook.core.chinese import LETTERS, LETTERS_AND_DIGITS

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
CONTINUED = "续表"  # what opens the continuation of a table on a new page (zhbook/templates/latex/longtable.tex.jinja)
WINDOW = 16          # letters of a page's opening that must match
MAX_SKIP = 6000      # letters a page may lie beyond the previous one (about three pages) before a match is refused
# Elements whose text is not part of the running text the PDF prints in the same place.
SKIPPED = {f"{{{XHTML}}}{name}" for name in ("script", "style", "head")}
SKIPPED_CLASSES = {"toctree-wrapper"}
PRINT_SOURCE_NAMESPACE = uuid.UUID("3a0c6f1e-52a4-4b7e-9d1b-7c2e8f4a6b10")



def letters(text: str) -> str:
    return "".join(LETTERS.findall(text))


def print_source(book: book_metadata.BookMetadata) -> str:
    """The identifier of the print edition the page numbers come from: its ISBN, else a UUID of the slug."""
    if book.isbn_print:
        return f"urn:isbn:{book.isbn_print}"
    return f"urn:uuid:{uuid.uuid5(PRINT_SOURCE_NAMESPACE, book.slug + '/print')}"


def pdf_pages(pdf: Path) -> list[tuple[str, str]]:
    """(folio, letters of the text block) of every page from the first arabic page 1 (the main matter) on."""
    reader = pypdf.PdfReader(pdf)
    labels = list(reader.page_labels)
    starts = [i for i, label in enumerate(labels) if label == "1" and i > 0 and not labels[i - 1].isdigit()]
    first = starts[-1] if starts else 0
    width = float(reader.pages[first].mediabox.width)
    # the book page's text without its running head and folio
    top, bottom = page_geometry.BOOK.body_band()
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(first + 1), "-x", "0", "-y", str(round(top)),
         "-W", str(round(width)), "-H", str(round(bottom - top)), str(pdf), "-"],
        capture_output=True, text=True, check=True).stdout
    pages = [LETTERS_AND_DIGITS.findall(page) for page in text.split("\f")[:len(labels) - first]]
    pages = ["".join(page) for page in pages]
    return [(labels[first + n], letters(without_continued_head(page, "".join(pages[:n]))))
            for n, page in enumerate(pages)]


def without_continued_head(page: str, before: str) -> str:
    """The page (its letters and digits) without the head of a table continued from the page before
    (zhbook.ext.typography prints 续表, the table's number and its header row again): what the EPUB has there is the
    table's next row. The header is the longest start of the rest that the pages before already hold (with the
    digits, so that two rows that both start with a date do not look alike)."""
    if not page.startswith(CONTINUED):
        return page
    rest = page[len(CONTINUED):].lstrip("0123456789")
    length = 0
    while length < len(rest) and rest[:length + 1] in before:
        length += 1
    return rest[length:] if length >= 2 else rest


@dataclass
class Piece:
    """One text node of an XHTML body: element.text or element.tail, and where its letters start in the stream."""
    doc: str
    element: etree._Element
    attr: str
    start: int
    positions: list[int]   # offset in the node's string of each of its letters


def text_pieces(doc: str, root: etree._Element, start: int) -> tuple[list[Piece], str]:
    pieces, stream = [], []
    body = root.find(f"{{{XHTML}}}body")

    def visit(element: etree._Element) -> None:
        nonlocal start
        skipped = element.tag in SKIPPED or SKIPPED_CLASSES & set((element.get("class") or "").split())
        if not skipped:
            add(element, "text")
            for child in element:
                if isinstance(child.tag, str):
                    visit(child)
                add(child, "tail")

    def add(element: etree._Element, attr: str) -> None:
        nonlocal start
        value = getattr(element, attr) or ""
        positions = [m.start() for m in LETTERS.finditer(value)]
        if positions:
            pieces.append(Piece(doc, element, attr, start, positions))
            stream.append("".join(value[p] for p in positions))
            start += len(positions)

    if body is not None:
        visit(body)
    return pieces, "".join(stream)


def find_page_starts(pages: list[tuple[str, str]], stream: str) -> list[tuple[str, int]]:
    """(folio, letter index in the stream) of every page, in order.

    A page is found by its opening letters, or, when it opens with a figure or a table whose text the PDF orders
    differently, by a later window of its letters, extended backwards as far as both texts agree. A blank page (a verso before a chapter) is put
    where the next page starts; a page that cannot be found is put between its neighbours, in proportion.
    """
    found: list[int | None] = []
    cursor = 0
    for _, text in pages:
        position = None
        for offset in range(0, max(len(text) - WINDOW, 0) + 1, 7)[:40]:
            window = text[offset:offset + WINDOW]
            if len(window) < WINDOW // 2:
                break
            hit = stream.find(window, cursor, cursor + MAX_SKIP + len(window))
            if hit >= 0:
                # Extend the match backwards over the letters both sides share: the page starts where they part
                # (at a figure the EPUB has no letters for, or at a table's repeated head, 接上页 …).
                while offset and hit > cursor and text[offset - 1] == stream[hit - 1]:
                    offset, hit = offset - 1, hit - 1
                position = cursor = hit
                break
        found.append(position)
    known = [(i, p) for i, p in enumerate(found) if p is not None]
    if not known:
        return []
    # Pages with text that were not found go between their found neighbours, in proportion; then each blank page
    # goes where the page after it starts (found or placed), so that the markers stay in reading order.
    for i, ((_, text), position) in enumerate(zip(pages, found)):
        if position is None and text:
            before = max(((j, p) for j, p in known if j < i), default=(-1, 0))
            after = min(((j, p) for j, p in known if j > i), default=(len(pages), len(stream)))
            found[i] = before[1] + (after[1] - before[1]) * (i - before[0]) // (after[0] - before[0])
    for i in reversed(range(len(found))):
        if found[i] is None:
            found[i] = found[i + 1] if i + 1 < len(found) else len(stream)
    placed, previous = [], 0
    for (folio, _), position in zip(pages, found):
        previous = max(previous, min(position, len(stream) - 1))
        placed.append((folio, previous))
    return placed


def insert_marker(piece: Piece, letter: int, folio: str) -> str:
    """Put a page-break marker before the ``letter``-th letter of ``piece``; return its id."""
    marker_id = f"page-{folio}"
    span = etree.Element(f"{{{XHTML}}}span", {f"{{{OPS}}}type": "pagebreak", "role": "doc-pagebreak",
                                              "id": marker_id, "aria-label": folio})
    value = getattr(piece.element, piece.attr)
    cut = piece.positions[letter]
    setattr(piece.element, piece.attr, value[:cut])
    span.tail = value[cut:]
    if piece.attr == "text":
        piece.element.insert(0, span)
    else:
        piece.element.addnext(span)
    return marker_id


def spine_documents(opf: etree._Element) -> list[str]:
    manifest = {item.get("id"): item.get("href") for item in opf.iter(f"{{{OPF}}}item")}
    return [manifest[ref.get("idref")] for ref in opf.iter(f"{{{OPF}}}itemref")
            if manifest[ref.get("idref")].endswith(".xhtml")]


def page_list_nav(links: list[tuple[str, str]]) -> etree._Element:
    nav = etree.Element(f"{{{XHTML}}}nav", {f"{{{OPS}}}type": "page-list", "role": "doc-pagelist",
                                            "id": "page-list", "hidden": "hidden"})
    etree.SubElement(nav, f"{{{XHTML}}}h2").text = "页码"
    ol = etree.SubElement(nav, f"{{{XHTML}}}ol")
    for folio, href in links:
        etree.SubElement(etree.SubElement(ol, f"{{{XHTML}}}li"), f"{{{XHTML}}}a", href=href).text = folio
    return nav


def add_package_metadata(opf: bytes, book: book_metadata.BookMetadata) -> bytes:
    """The package document with the page list declared: the features ``pageBreakMarkers`` and ``pageNavigation``
    after the others, the print edition's ``dc:source`` refined as the source of the pagination, and the
    accessibility summary composed again for the longer feature list
    (:func:`zhbook.core.accessibility.accessibility_summary`). Edited as XML, element by element; everything else
    keeps its bytes."""
    root = etree.fromstring(opf)
    metadata = root.find(f"{{{OPF}}}metadata")

    def meta(prop: str) -> list[etree._Element]:
        return metadata.findall(f"{{{OPF}}}meta[@property='{prop}']")

    def add_after(anchor: etree._Element, attributes: dict[str, str], text: str) -> etree._Element:
        element = etree.Element(f"{{{OPF}}}meta", attributes)
        element.text, element.tail = text, anchor.tail
        anchor.addnext(element)
        return element

    features = meta("schema:accessibilityFeature")
    (summary,) = meta("schema:accessibilitySummary") or [None]
    if not features or summary is None:
        raise ValueError("content.opf: no accessibility features or summary to add the page list to")
    last = features[-1]
    for feature in PAGE_FEATURES:
        last = add_after(last, {"property": "schema:accessibilityFeature"}, feature)
    # The package names the print edition in dc:source (zhbook.ext.epub); refining it as the source of the
    # pagination is the EPUB 3 way to say where the page numbers come from, and what DAISY Ace looks for.
    source = metadata.find(f"{{{DC}}}source[@id='print-source']")
    if source is None:
        raise ValueError("content.opf: no dc:source names the print edition")
    add_after(source, {"refines": "#print-source", "property": "source-of"}, "pagination")
    summary.text = accessibility_summary([f.text for f in meta("schema:accessibilityFeature")])
    start, end = opf.index(b"<package"), opf.rindex(b"</package>") + len(b"</package>")
    return opf[:start] + etree.tostring(root, encoding="utf-8") + opf[end:]


def paginate(epub_in: Path, pdf: Path, epub_out: Path, book: book_metadata.BookMetadata) -> tuple[int, int]:
    """Write ``epub_out``; return (pages found by their text, pages in the PDF's main and back matter)."""
    with zipfile.ZipFile(epub_in) as zf:
        infos = zf.infolist()
        members = {info.filename: zf.read(info) for info in infos}
    opf_name = next(n for n in members if n.endswith(".opf"))
    opf = etree.fromstring(members[opf_name])
    docs = [d for d in spine_documents(opf) if d in members]
    roots = {d: etree.fromstring(members[d]) for d in docs}
    pieces, streams, start = [], [], 0
    for d in docs:
        doc_pieces, stream = text_pieces(d, roots[d], start)
        pieces += doc_pieces
        streams.append(stream)
        start += len(stream)
    pages = pdf_pages(pdf)
    stream = "".join(streams)
    placed = find_page_starts(pages, stream)
    found_by_text = sum(1 for (_, text), (_, at) in zip(pages, placed) if text and stream.startswith(text[:8], at))
    located, index = [], 0
    for folio, at in placed:
        while index + 1 < len(pieces) and pieces[index + 1].start <= at:
            index += 1
        located.append((pieces[index], at - pieces[index].start, folio))
    # Later markers first within a text node, so that the letter offsets of earlier ones stay valid.
    for piece, letter, folio in sorted(located, key=lambda x: (x[0].start, -x[1])):
        insert_marker(piece, letter, folio)
    links = [(folio, f"{piece.doc}#page-{folio}") for piece, _, folio in located]
    nav_name = next(i.get("href") for i in opf.iter(f"{{{OPF}}}item") if "nav" in (i.get("properties") or "").split())
    nav = etree.fromstring(members[nav_name])
    toc = nav.find(f".//{{{XHTML}}}nav[@{{{OPS}}}type='toc']")
    toc.addnext(page_list_nav([(f, _relative(h, nav_name)) for f, h in links]))
    for d in docs:
        members[d] = _serialise(roots[d], members[d])
    members[nav_name] = _serialise(nav, members[nav_name])
    members[opf_name] = add_package_metadata(members[opf_name], book)
    with files.atomic_path(epub_out) as tmp, zipfile.ZipFile(tmp, "w") as out:
        for info in infos:
            out.writestr(info, members[info.filename], compress_type=info.compress_type, compresslevel=9)
    return found_by_text, len(pages)


def _relative(href: str, from_doc: str) -> str:
    depth = from_doc.count("/")
    return "../" * depth + href


def _serialise(root: etree._Element, original: bytes) -> bytes:
    """The document as XML again, keeping the original's XML declaration and doctype."""
    head = original[:original.index(b"<html")]
    return head + etree.tostring(root, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("epub", type=Path)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--metadata", type=Path, required=True)
    args = parser.parse_args(argv)
    book = book_metadata.load(args.metadata)
    marked, total = paginate(args.epub, args.pdf, args.out, book)
    print(f"  epub page list: {total} print pages; {marked} placed exactly by their opening text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
