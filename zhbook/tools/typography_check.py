"""The typography checker: measures on the built outputs the layout faults a Chinese editor marks (issue 14).

``python -m zhbook.tools.typography_check pdf --page book dist/book.pdf`` (and ``--page handout dist/handouts/*.pdf``)
``python -m zhbook.tools.typography_check html dist/html`` (and ``epub dist/book.epub``)

Each fault is printed with where it is (the PDF's page, or the file and the window width) and the text around it,
and the exit status is 1 when there is any fault. The tests assert that every count is 0. A page that ends early
because a rule of the typesetter left it no choice is no fault: it is printed as ``forced-short-page``, with the
rule, and counted apart.

What it measures, following W3C clreq (避头尾, 孤字) and GB/T 15834:

- PDF, from the glyph positions PyMuPDF reads out of the page (not from the source):
  ``lone-char`` a paragraph's last line holding fewer than two characters, punctuation and marks not counted (孤字);
  ``start-punct`` a line starting with closing punctuation; ``start-mark`` a line starting with a citation mark
  (a superscript); ``end-open`` a line ending with an opening bracket or quote; ``split-mark`` a mark broken across
  two lines; ``loose-mark`` a mark set apart by a space from the character before it or after it;
  ``widow`` a paragraph's last line alone at the head of a page and ``orphan`` its first line alone at the foot
  (寡行); ``heading-at-foot`` a heading or a glossary term that is the last line of a page;
  ``letter-spaced`` a line whose characters justification pulled apart by more than 0.15 em: the median gap
  between neighbouring glyphs, or the widest between two ideographs (a deliberate quad of 1 em aside), as when a
  long address or a narrow column left a line nowhere to break;
  ``outside-block`` anything printed outside the text block: text, a rule or a picture below the block's lowest
  line (into the footer and the folio, as a table too tall for the page does) or beyond the side of the text
  column; ``short-page`` a page whose content ends more than three lines above the foot of the text block while
  its text goes on on the next page, though what the next page opens with would have fitted. A page that ends
  early where it must is ``forced-short-page``: what the next page opens with is something the rules keep
  together (a heading with the first two lines after it, or the whole of a paragraph of three lines or fewer, or
  its table's caption, header and first two rows; a table's next row under 续表, or its last two; a box's title with
  two lines, or the whole of a short box) and needs more room than was left, measured on that page with the least
  space the document sets above such a part (a figure at the head of the next page is left out: it floats). The
  page before a chapter's first page (one without the running head most pages carry), before a blank page, and
  the last page are left out: they end where their text ends.
- HTML and EPUB, laid out by headless Chromium at each width (the script ``typography_probe.js`` beside this
  module reads the line boxes): the same ``lone-char``, ``start-punct``, ``start-mark``, ``end-open`` and
  ``split-mark``, each with the file, the width and the kind of block (paragraph, list item, table cell …).

The text block is not read off the pages: it is the one the PDF was set with, from the page geometry the caller
names (zhbook.core.page_geometry: ``--page book`` or ``--page handout``; a PDF whose pages are not of that size is refused).
Its foot is the lowest a baseline may lie, so that a page filled to the last line ends on it; the running head
stands above the block and the folio on its own baseline below it, and both are left out. Lines are read as the
typesetter made them: paragraphs are told apart by where a line ends (a full line continues its paragraph) and by
indentation.
"""
from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from zhbook.core.chinese import CJK_CHARACTER, CJK_TEXT, CLOSING, COUNTED, FULLWIDTH_PUNCTUATION, OPENING
from zhbook.core.page_geometry import GEOMETRIES, MM, PageGeometry, TextBlock

# The character classes (zhbook.core.chinese): CLOSING may not start a line and OPENING may not end one (clreq
# 3.1.7, GB/T 15834); COUNTED is what a reader counts as a character of the last line (ideographs, kana, letters and
# digits; not punctuation, spaces or the superscript citation marks); CJK_TEXT is Chinese text and punctuation, as
# against Latin letters and digits; CJK_CHARACTER ideographs and kana, which xeCJK joins with its stretchable glue,
# where justification adds its space.

LETTER_SPACING_LIMIT = 0.15  # em, the widest gap allowed between two neighbouring Chinese glyphs of a line
MARK_GAP_LIMIT = 0.1  # em, the widest gap allowed between a citation mark and the character before it
CONTEXT = 14  # characters of text quoted on either side of a fault


@dataclass(frozen=True)
class Fault:
    """One layout fault (or, of a kind in INFORMATIONAL, a note): its kind, where it is (page or file and width)
    and the text around it."""
    kind: str
    where: str
    context: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind}: {self.context}"


def counts(faults: list[Fault]) -> dict[str, int]:
    """How many faults of each kind, every kind listed (zeros included) so that a report shows what was checked."""
    found = Counter(fault.kind for fault in faults)
    return {kind: found.get(kind, 0) for kind in KINDS} | dict(found)


KINDS = ("lone-char", "start-punct", "start-mark", "end-open", "split-mark", "loose-mark", "widow", "orphan",
         "heading-at-foot", "letter-spaced", "outside-block", "short-page")
# Reported, with the rule that caused it, but no fault: a page that a rule made end early (short_page).
INFORMATIONAL = {"forced-short-page"}


def faults_only(found: list[Fault]) -> list[Fault]:
    return [fault for fault in found if fault.kind not in INFORMATIONAL]


def counted_characters(text: str) -> int:
    return len(COUNTED.findall(text))


# --- PDF ---------------------------------------------------------------------------------------------------------


@dataclass
class Glyph:
    char: str
    x0: float
    x1: float
    baseline: float
    size: float
    font: str
    superscript: bool = False


@dataclass
class Line:
    """One typeset line of a page, in one frame: the text column (``cell`` None) or one table cell."""
    glyphs: list[Glyph]
    page: int
    cell: int | None
    size: float = 0.0  # the size of the line's main text, superscripts aside
    baseline: float = 0.0

    def __post_init__(self) -> None:
        self.glyphs.sort(key=lambda g: g.x0)
        self.size = max(g.size for g in self.glyphs)
        self.baseline = statistics.median(g.baseline for g in self.glyphs if g.size == self.size)
        for glyph in self.glyphs:
            glyph.superscript = glyph.size < 0.8 * self.size and glyph.baseline < self.baseline - 0.15 * self.size

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def plain(self) -> str:
        """The text without superscripts (citation marks)."""
        return "".join(g.char for g in self.glyphs if not g.superscript)

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return self.glyphs[-1].x1

    @property
    def top(self) -> float:
        return self.baseline - self.size

    @property
    def bottom(self) -> float:
        return self.baseline + 0.3 * self.size

    @property
    def tabulated(self) -> bool:
        """A line of the contents or of a form, not of prose: a wide gap or dot leaders run to a number."""
        main = [g for g in self.glyphs if not g.superscript]
        return any(b.x0 - a.x1 > 3 * self.size or a.char == b.char == "." for a, b in zip(main, main[1:]))

    def is_heading(self, body_size: float) -> bool:
        """Set in the heading face (sans) at the body size or larger, and bold or larger than the body; a line
        of the contents is none."""
        main = [g for g in self.glyphs if not g.superscript]
        return bool(main) and not self.tabulated and all("Sans" in g.font for g in main) \
            and self.size >= body_size - 0.05 and (self.size > body_size + 0.05 or any("Bold" in g.font for g in main))

    def letter_spacing(self) -> tuple[float, float]:
        """How far justification pulled the line's glyphs apart, in em: the median gap between neighbouring glyphs
        (word spaces are few, so a line set as it should be has 0) and the widest gap between two ideographs
        below 0.9 em (wider is a deliberate space: a quad, a tab stop, a table's column gap)."""
        pairs = [(a, b) for a, b in zip(self.glyphs, self.glyphs[1:])
                 if not a.superscript and not b.superscript and not a.char == b.char == "."]  # dot leaders
        # between Chinese and Latin letters or digits xeCJK puts a quarter em on purpose (2018年3月)
        gaps = [(b.x0 - a.x1) / self.size for a, b in pairs if bool(CJK_TEXT.match(a.char)) == bool(CJK_TEXT.match(b.char))]
        ideographs = [(b.x0 - a.x1) / self.size for a, b in pairs if CJK_CHARACTER.match(a.char) and CJK_CHARACTER.match(b.char)]
        median = statistics.median(gaps) if gaps else 0.0
        widest = max((gap for gap in ideographs if gap < 0.9), default=0.0)
        return median, widest


Rect = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points from the page's top-left corner


def _table_cells(page) -> list[Rect]:
    """The cells of the page's tables: filled rectangles that stand side by side with another of the same height
    (the shaded cells LaTeX draws for each table row)."""
    rects = []
    for drawing in page.get_drawings():
        if drawing.get("fill") is None or any(item[0] != "re" for item in drawing["items"]):
            continue
        r = drawing["rect"]
        if r.width > 5 and r.height > 5:
            rects.append((r.x0, r.y0, r.x1, r.y1))
    return [r for r in rects if any(o is not r and abs(o[1] - r[1]) < 1 and abs(o[3] - r[3]) < 1
                                    and (abs(o[0] - r[2]) < 2 or abs(o[2] - r[0]) < 2) for o in rects)]


@dataclass(frozen=True)
class Ink:
    """Something printed on a page other than a line of text: a rule, a filled area, a picture, a rotated glyph.
    ``bottom`` is where it ends (a glyph's baseline: its descender may hang below, as the last line's does)."""
    x0: float
    top: float
    x1: float
    bottom: float
    what: str  # "rule", "image" or the glyph


def _page_ink(page) -> list[Ink]:
    """The rules, filled areas, images and rotated glyphs of a page (what _page_lines does not read)."""
    import pymupdf

    ink = []
    for drawing in page.get_drawings():
        r = drawing["rect"]
        # a stroke's own width, across the line (a horizontal rule is as thick as its pen, not longer)
        half = (drawing.get("width") or 0) / 2 if drawing.get("color") is not None else 0
        across, along = (half, 0) if r.height < 0.01 else (0, half) if r.width < 0.01 else (half, half)
        ink.append(Ink(r.x0 - along, r.y0 - across, r.x1 + along, r.y1 + across, "rule"))
    for image in page.get_image_info():
        x0, y0, x1, y1 = image["bbox"]
        ink.append(Ink(x0, y0, x1, y1, "image"))
    data = page.get_text("rawdict", flags=pymupdf.TEXT_INHIBIT_SPACES | pymupdf.TEXT_PRESERVE_WHITESPACE)
    for block in data["blocks"]:
        for raw in block.get("lines", []) if block.get("type") == 0 else []:
            if abs(raw["dir"][1]) > 0.01:
                for span in raw["spans"]:
                    for c in span["chars"]:
                        if c["c"].strip():
                            ink.append(Ink(c["bbox"][0], c["bbox"][1], c["bbox"][2], c["bbox"][3], c["c"]))
    return ink


def _boxes(page, cells: list[Rect], width: float) -> list[Rect]:
    """The boxes (admonitions) of a page: filled areas nearly as wide as the text column and taller than a rule,
    not a table's cell; of areas inside one another (a box's frame, its ground, its title row) the outermost."""
    found = set()
    for drawing in page.get_drawings():
        r = drawing["rect"]
        if drawing.get("fill") is not None and r.width > 0.8 * width and r.height > 12 \
                and not any(_inside((r.x0, r.y0, r.x1, r.y1), cell) for cell in cells):
            found.add((r.x0, r.y0, r.x1, r.y1))

    def area(r: Rect) -> float:
        return (r[2] - r[0]) * (r[3] - r[1])

    return sorted(r for r in found if not any(area(o) > area(r) and _inside(r, o) for o in found))


def _inside(inner: Rect, outer: Rect, slack: float = 1.0) -> bool:
    return (outer[0] - slack <= inner[0] and outer[1] - slack <= inner[1] and inner[2] <= outer[2] + slack
            and inner[3] <= outer[3] + slack)


def _page_lines(page, number: int, cells: list[Rect]) -> list[Line]:
    """The lines of one page as the typesetter set them: each of PyMuPDF's lines split by table cell, then the
    pieces of a block that share a baseline (a superscript mark and its text, a section number and its title)
    joined. Glyphs without ink (spaces) are dropped, so gaps are measured between visible glyphs."""
    import pymupdf

    def cell_of(glyph: Glyph) -> int | None:
        x, y = (glyph.x0 + glyph.x1) / 2, glyph.baseline - 0.3 * glyph.size
        return next((k for k, (x0, y0, x1, y1) in enumerate(cells) if x0 <= x <= x1 and y0 <= y <= y1), None)

    data = page.get_text("rawdict", flags=pymupdf.TEXT_INHIBIT_SPACES | pymupdf.TEXT_PRESERVE_WHITESPACE)
    lines: list[Line] = []
    for block in data["blocks"]:
        if block.get("type") != 0:
            continue
        groups: list[tuple[int | None, list[Glyph]]] = []
        for raw in block["lines"]:
            if abs(raw["dir"][1]) > 0.01:  # rotated text (a figure's axis) is no line of prose
                continue
            pieces: dict[int | None, list[Glyph]] = {}
            for span in raw["spans"]:
                for c in span["chars"]:
                    if c["c"].strip():
                        glyph = Glyph(c["c"], c["bbox"][0], c["bbox"][2], c["origin"][1], span["size"], span["font"])
                        pieces.setdefault(cell_of(glyph), []).append(glyph)
            for cell, glyphs in pieces.items():
                for group_cell, group in groups:
                    if group_cell == cell and _same_line(group, glyphs):
                        group.extend(glyphs)
                        break
                else:
                    groups.append((cell, glyphs))
        lines.extend(Line(glyphs, number, cell) for cell, glyphs in groups)
    lines.sort(key=lambda line: (line.baseline, line.x0))
    return lines


def _same_line(a: list[Glyph], b: list[Glyph]) -> bool:
    """Two runs of glyphs on one line: the same baseline, or the smaller one a superscript just above the other."""
    size_a, size_b = max(g.size for g in a), max(g.size for g in b)
    base_a = statistics.median(g.baseline for g in a if g.size == size_a)
    base_b = statistics.median(g.baseline for g in b if g.size == size_b)
    big = max(size_a, size_b)
    if abs(base_a - base_b) < 0.2 * big:
        return True
    small_base, big_base = (base_a, base_b) if size_a < size_b else (base_b, base_a)
    return min(size_a, size_b) < 0.8 * big and -0.6 * big < small_base - big_base < 0.05 * big


@dataclass
class PageLayout:
    number: int
    lines: list[Line]  # the page's lines in reading order; running heads and folios left out
    left: float  # the text block's sides on this page (a two-sided page mirrors its margins)
    right: float
    ink: list[Ink] = field(default_factory=list)  # rules, fills, images, rotated glyphs; the head's rule left out
    head: bool = False  # the page carries a running head
    cells: list[Rect] = field(default_factory=list)  # the table cells (a line's ``cell`` is an index into these)
    boxes: list[Rect] = field(default_factory=list)  # the boxes (admonitions)

    @property
    def blank(self) -> bool:
        return not self.lines and not self.ink

    def bottom(self) -> float | None:
        """Where the page's content ends: its lowest baseline, rule or picture."""
        ends = [line.baseline for line in self.lines] + [ink.bottom for ink in self.ink]
        return max(ends) if ends else None


@dataclass
class PdfLayout:
    pages: list[PageLayout]
    body_size: float  # the commonest glyph size
    block_top: float  # the top of the text block, and the lowest a baseline may lie (from the page geometry)
    block_bottom: float
    pitch: float = 0.0  # the distance between two baselines of the body text
    heads: bool = False  # most pages carry a running head (a page without one opens a chapter)


class GeometryMismatch(ValueError):
    """The PDF's pages are not the size of the page geometry it is checked against."""


def read_pdf(path: Path, geometry: PageGeometry) -> PdfLayout:
    """Every page's lines and other ink, and the body size; the text block is the one ``geometry`` sets (the
    PDF's pages must be of its size)."""
    import pymupdf

    with pymupdf.open(path) as doc:
        width, height = geometry.size
        for number, page in enumerate(doc, 1):
            if abs(page.rect.width - width) > 1 or abs(page.rect.height - height) > 1:
                raise GeometryMismatch(
                    f"{path}: page {number} is {page.rect.width / MM:.0f} × {page.rect.height / MM:.0f} mm, but the "
                    f"page geometry it is checked against is {geometry.width:g} × {geometry.height:g} mm")
        blocks = [geometry.text_block(number) for number in range(1, len(doc) + 1)]
        cells = [_table_cells(page) for page in doc]
        pages = [_page_lines(page, number, cells[number - 1]) for number, page in enumerate(doc, 1)]
        inks = [_page_ink(page) for page in doc]
        boxes = [_boxes(page, page_cells, block.right - block.left)
                 for page, page_cells, block in zip(doc, cells, blocks)]
    sizes = Counter(round(g.size, 1) for lines in pages for line in lines for g in line.glyphs)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    # Running heads and folios, where the page geometry puts them: the head (and the rule under it) above the text
    # block by more than half the head's distance, the folio on its baseline ``footskip`` below the foot. Lines in
    # a table are none (a table that runs over the foot may reach the folio).
    def furniture(line: Line, block: TextBlock) -> bool:
        return line.cell is None and (line.bottom <= block.head_limit
                                      or abs(line.baseline - block.folio) <= BASELINE_SLACK)

    removed = [[line for line in lines if furniture(line, block)] for lines, block in zip(pages, blocks)]
    pages = [[line for line in lines if not furniture(line, block)] for lines, block in zip(pages, blocks)]
    inks = [[i for i in ink if i.bottom > block.head_limit] for ink, block in zip(inks, blocks)]
    # A rule over the folio: below the text block, in the same place on many pages.
    often = max(2, 0.3 * len(pages))

    def place(i: Ink) -> tuple[int, int, int, int]:
        return round(i.x0), round(i.top), round(i.x1), round(i.bottom)

    rules = Counter(key for ink in inks for key in {place(i) for i in ink if i.what == "rule"})
    inks = [[i for i in ink if i.what != "rule" or i.top <= block.bottom or rules[place(i)] < often]
            for ink, block in zip(inks, blocks)]
    layouts = []
    for number, (lines, ink, furniture_lines, block) in enumerate(zip(pages, inks, removed, blocks), 1):
        head = any(line.baseline < block.top for line in furniture_lines)
        layouts.append(PageLayout(number, lines, block.left, block.right, ink=ink, head=head,
                                  cells=cells[number - 1], boxes=boxes[number - 1]))
    # The distance between baselines: the commonest between two lines of body text, one under the other.
    body_lines = [[line for line in lines if abs(line.size - body) < 0.05] for lines in pages]
    pitches = [b.baseline - a.baseline for lines in body_lines for a, b in zip(lines, lines[1:])
               if a.cell is None and b.cell is None and 0 < b.baseline - a.baseline < 2.5 * body]
    pitch = Counter(round(d, 1) for d in pitches).most_common(1)[0][0] if pitches else 1.2 * body
    heads = sum(page.head for page in layouts) >= often
    return PdfLayout(layouts, body, blocks[0].top if blocks else 0.0, blocks[0].bottom if blocks else 0.0, pitch,
                     heads)


def _context(before: str, text: str, after: str = "") -> str:
    """The line with the fault and its neighbour, ``/`` where the line breaks: the end of the line before and the
    start of this one for a fault at a line's start, the end of this line and the start of the next for one at
    its end."""
    if after and len(text) > CONTEXT:
        text = "……" + text[-CONTEXT:]
    elif before and len(text) > CONTEXT:
        text = text[:CONTEXT] + "……"
    return (f"……{before[-CONTEXT:]} / " if before else "") + text + (f" / {after[:CONTEXT]}……" if after else "")


class _Paragraphs:
    """Which line carries on the paragraph of which: a line continues the line above it in its frame (on the same
    page, or the last line of the page before) when that line is full and this one is not indented further."""

    def __init__(self, layout: PdfLayout):
        self.layout = layout
        self.above: dict[int, Line] = {}
        self.page_of: dict[int, PageLayout] = {}
        self.cell_right: dict[tuple[int, int], float] = {}
        self._continues: dict[int, bool] = {}
        last_column_line: Line | None = None
        for page in layout.pages:
            for line in page.lines:
                self.page_of[id(line)] = page
                if line.cell is not None:
                    key = (page.number, line.cell)
                    self.cell_right[key] = max(self.cell_right.get(key, 0.0), line.x1)
            frames: dict[int | None, list[Line]] = {}
            for line in page.lines:
                frames.setdefault(line.cell, []).append(line)
            for cell, lines in frames.items():
                for k, line in enumerate(lines):
                    if k:
                        other = lines[k - 1]
                        if line.baseline - other.baseline < 2.0 * line.size and abs(line.size - other.size) < 0.05 \
                                and other.x0 < line.x1 + line.size and line.x0 < other.x1 + line.size:
                            self.above[id(line)] = other
                    elif (cell is None and last_column_line is not None and line is page.lines[0]
                          and self.page_of[id(last_column_line)].number == page.number - 1
                          and last_column_line is self.page_of[id(last_column_line)].lines[-1]
                          and abs(line.size - last_column_line.size) < 0.05
                          and line.top < layout.block_top + line.size
                          and last_column_line.baseline > layout.block_bottom - 4 * line.size):
                        self.above[id(line)] = last_column_line
            column = frames.get(None)
            if column:
                last_column_line = column[-1]
        self.below = {id(above): line for line in (x for page in layout.pages for x in page.lines)
                      for above in [self.above.get(id(line))] if above is not None}

    def right(self, line: Line) -> float | None:
        page = self.page_of[id(line)]
        return page.right if line.cell is None else self.cell_right.get((page.number, line.cell))

    def left(self, line: Line) -> float:
        page = self.page_of[id(line)]
        return page.left if line.cell is None else line.x0

    def full(self, line: Line) -> bool:
        """The line reaches the right edge of its column or cell (within an em: ragged-right lines end short)."""
        right = self.right(line)
        return right is not None and line.x1 >= right - 1.0 * line.size and not line.tabulated

    def continues(self, line: Line) -> bool:
        """Whether the line carries on the paragraph of the line above it: that line is full, and this one starts
        where that one did, or further left under an indented first line, or under the text after a hanging label
        (a list's bullet or number, a reference's [12])."""
        key = id(line)
        if key not in self._continues:
            self._continues[key] = self._carries_on(line)
        return self._continues[key]

    def _carries_on(self, line: Line) -> bool:
        other = self.above.get(id(line))
        if other is None or not self.full(other):
            return False
        if line.is_heading(self.layout.body_size) or other.is_heading(self.layout.body_size):
            return False  # a heading (本章小结) is no line of the paragraph before it
        tolerance = 0.6 * line.size
        shift = (line.x0 - self.left(line)) - (other.x0 - self.left(other))
        if abs(shift) <= tolerance:
            return True
        if shift < 0:  # at the left edge, under an indented first line
            return abs(line.x0 - self.left(line)) <= tolerance and not self.continues(other)
        x = other.x0 + shift  # under the text after a hanging label
        return any(abs(b.x0 - x) < 0.3 * line.size and b.x0 - a.x1 > 0.2 * line.size
                   for a, b in zip(other.glyphs[:8], other.glyphs[1:9]))


def check_pdf(path: Path, geometry: PageGeometry) -> list[Fault]:
    """Every layout fault of one PDF (the book or a handout) set on the page ``geometry``."""
    layout = read_pdf(path, geometry)
    paragraphs = _Paragraphs(layout)
    body = layout.body_size
    parts = [page_parts(page, layout, paragraphs) for page in layout.pages]
    gaps = part_gaps(layout, parts)
    faults: list[Fault] = []
    for page in layout.pages:
        lines = page.lines
        for line in lines:
            where = f"p. {page.number}" + (", table cell" if line.cell is not None else "")
            text = line.text
            above = paragraphs.above.get(id(line))
            before = above.text if above is not None else ""
            below = paragraphs.below.get(id(line))
            after = below.text if below is not None else ""
            first = line.glyphs[0]
            if first.superscript and first.char in "[［" and paragraphs.continues(line):
                faults.append(Fault("start-mark", where, _context(before, text)))
            elif first.char in CLOSING and not first.superscript:
                faults.append(Fault("start-punct", where, _context(before, text)))
            last = line.glyphs[-1]
            if last.char in OPENING and not last.superscript and below is not None:
                faults.append(Fault("end-open", where, _context("", text, after)))
            marks = "".join(g.char for g in line.glyphs if g.superscript)
            if marks.count("[") > marks.count("]"):
                faults.append(Fault("split-mark", where, _context("", text, after)))
            limit = (MARK_GAP_LIMIT + line.letter_spacing()[0]) * line.size
            for k, (a, b) in enumerate(zip(line.glyphs, line.glyphs[1:])):
                # a mark set apart from the character before it, or followed by a space
                if (b.superscript and b.char in "[［" and not a.superscript and b.x0 - a.x1 > limit) or (
                        a.superscript and a.char in "]］" and not b.superscript and b.x0 - a.x1 > limit):
                    around = "".join(g.char for g in line.glyphs[max(0, k - 9):k + 10])
                    faults.append(Fault("loose-mark", where, f"……{around}……"))
            median, widest = line.letter_spacing()
            if max(median, widest) > LETTER_SPACING_LIMIT:
                faults.append(Fault("letter-spaced", where, f"{text} (gaps {median:.2f} em, between Chinese "
                                                            f"characters up to {widest:.2f} em)"))
            if paragraphs.continues(line) and not paragraphs.full(line) and counted_characters(line.plain) < 2:
                faults.append(Fault("lone-char", where, _context(before, text)))
        # 寡行: a paragraph's last line alone at the head of a page, or its first line alone at the foot
        column = [line for line in lines if line.cell is None and abs(line.size - body) < 0.05]
        if column:
            head = column[0]
            above = paragraphs.above.get(id(head))
            if above is not None and paragraphs.page_of[id(above)] is not page and paragraphs.continues(head) \
                    and not paragraphs.full(head):
                faults.append(Fault("widow", f"p. {page.number}", _context(above.text, head.text)))
            foot = column[-1]
            if foot is lines[-1] and paragraphs.full(foot) and not paragraphs.continues(foot) \
                    and page.number < len(layout.pages):
                following = layout.pages[page.number].lines
                if following and paragraphs.above.get(id(following[0])) is foot \
                        and paragraphs.continues(following[0]):
                    faults.append(Fault("orphan", f"p. {page.number}", _context("", foot.text, following[0].text)))
            if lines[-1].is_heading(body) and page.number < len(layout.pages):
                faults.append(Fault("heading-at-foot", f"p. {page.number}", lines[-1].text))
        faults += outside_block(page, layout)
        short = short_page(page, layout, parts, gaps, paragraphs)
        if short:
            faults.append(short)
    return faults


# Full-width punctuation (FULLWIDTH_PUNCTUATION): its glyph box is a whole em wide, but xeCJK compresses it at a
# line's start or end, so that the box overhangs the margin while the mark itself does not. The margins are checked
# on the other glyphs.
# How far below the foot of the text block (the lowest baseline it holds) something may end: a baseline not at all
# (pt: what the PDF's coordinates round), a rule or a picture, as a descender, by LaTeX's \maxdepth (half the
# \topskip, which is the body size).
BASELINE_SLACK = 0.5
DEPTH_LIMIT = 0.5  # em of the body text
MARGIN_LIMIT = 0.15  # em: how far beyond the side of the text column something may stand
SHORT_PAGE_LINES = 3  # lines: the most a page may end above the foot of the text block, where its text goes on


def outside_block(page: PageLayout, layout: PdfLayout) -> list[Fault]:
    """What is printed outside the text block: below its last line (into the footer and the folio, as an overfull
    table does) or beyond the side of the text column. One fault for each side of the page that is crossed."""
    baselines = layout.block_bottom + BASELINE_SLACK
    depths = layout.block_bottom + DEPTH_LIMIT * layout.body_size
    margin = MARGIN_LIMIT * layout.body_size
    below: list[tuple[float, str]] = []
    left: list[tuple[float, str]] = []
    right: list[tuple[float, str]] = []
    for line in page.lines:
        for glyph in line.glyphs:
            if glyph.baseline > baselines:
                below.append((glyph.baseline, glyph.char))
            if FULLWIDTH_PUNCTUATION.match(glyph.char):
                continue
            if glyph.x0 < page.left - margin:
                left.append((page.left - glyph.x0, glyph.char))
            if glyph.x1 > page.right + margin:
                right.append((glyph.x1 - page.right, glyph.char))
    for ink in page.ink:
        if ink.bottom > depths:
            below.append((ink.bottom, ink.what))
        if ink.x0 < page.left - margin:
            left.append((page.left - ink.x0, ink.what))
        if ink.x1 > page.right + margin:
            right.append((ink.x1 - page.right, ink.what))
    faults = []
    where = f"p. {page.number}"
    if below:
        depth = max(bottom for bottom, _ in below) - layout.block_bottom
        faults.append(Fault("outside-block", where, f"{depth:.1f} pt ({depth / layout.pitch:.1f} lines) below the "
                                                    f"text block: {_what(below)}"))
    for side, found in (("left", left), ("right", right)):
        if found:
            faults.append(Fault("outside-block", where, f"{max(d for d, _ in found):.1f} pt beyond the {side} "
                                                        f"margin: {_what(found)}"))
    return faults


def _what(found: list[tuple[float, str]]) -> str:
    """The text among what was found (in page order), and how many rules and images."""
    text = "".join(what for _, what in found if len(what) == 1)
    parts = [text[:2 * CONTEXT] + ("……" if len(text) > 2 * CONTEXT else "")] if text else []
    for kind in ("rule", "image"):
        n = sum(what == kind for _, what in found)
        if n:
            parts.append(f"{n} {kind}{'s' if n > 1 else ''}")
    return ", ".join(parts)


def opens_something(page: PageLayout | None, layout: PdfLayout) -> bool:
    """The page starts something on a page of its own: it is blank (a verso before a chapter), or it lacks the
    running head most pages carry (a chapter's or the contents' first page), or there is no page at all."""
    return page is None or page.blank or (layout.heads and not page.head)


# --- Pages that end early: which rule forced the break ------------------------------------------------------------

# Captions as ctex names them (表 1.2, 图 1.2) and as zhbook's long tables open their continuation (续表 1.2).
TABLE_CAPTION = re.compile(r"续表|表\s*[0-9]")
FIGURE_CAPTION = re.compile(r"图\s*[0-9]")


@dataclass
class Part:
    """One piece of a page's flow, top to bottom: a ``heading``, a ``paragraph`` (the lines of it on the page), a
    ``table`` (its caption, or 续表, and its rows), a ``box`` (an admonition) or a ``figure`` (its drawing, its
    labels and its caption). ``top`` is where it starts (its first baseline; a box's top edge, or that of a table
    without caption), ``bottom`` where it ends (its last baseline; the bottom edge of a table's last row or a box)."""
    kind: str
    top: float
    bottom: float
    lines: list[Line] = field(default_factory=list)
    rows: list[tuple[float, float]] = field(default_factory=list)  # a table's rows (top, bottom), header first
    header_rows: int = 0  # of a table's rows, those of its header (set in the heading face)
    continued: bool = False  # a table (under 续表), a box (without its title) or a paragraph from the page before

    @property
    def x0(self) -> float:
        return min(line.x0 for line in self.lines) if self.lines else 0.0

    @property
    def x1(self) -> float:
        return max(line.x1 for line in self.lines) if self.lines else 0.0

    @property
    def key(self) -> str:
        """What the space above the part depends on: its kind, and a heading's size."""
        return f"heading {self.lines[0].size:.1f}" if self.kind == "heading" else self.kind

    @property
    def label(self) -> str:
        text = self.lines[0].text if self.lines else ""
        return text[:CONTEXT] + ("……" if len(text) > CONTEXT else "")


def page_parts(page: PageLayout, layout: PdfLayout, paragraphs: _Paragraphs) -> list[Part]:
    """The page's flow as parts (:class:`Part`), in the order they stand on the page."""
    body, pitch = layout.body_size, layout.pitch
    parts: list[Part] = []
    taken: set[int] = set()  # the lines of tables, boxes and figures
    # Tables: rows of cells that touch one another; the header is the rows set in the heading face; the caption
    # (or 续表) stands just above the first row.
    tables: list[list[tuple[float, float]]] = []
    for row in sorted({(round(cell[1], 1), round(cell[3], 1)) for cell in page.cells}):
        if tables and row[0] - tables[-1][-1][1] < pitch:  # (the rule under the header lies between)
            tables[-1].append(row)
        else:
            tables.append([row])
    for rows in tables:
        top, bottom = rows[0][0], rows[-1][1]
        inside = [line for line in page.lines if line.cell is not None and top - 1 <= line.baseline <= bottom + 1]
        header = 0
        for row_top, row_bottom in rows:
            row = [g for line in inside if row_top <= line.baseline <= row_bottom for g in line.glyphs
                   if not g.superscript]
            if not row or not all("Sans" in g.font for g in row):
                break
            header += 1
        caption = next((line for line in reversed(page.lines) if line.cell is None and line.baseline < top
                        and top - line.baseline < 2 * pitch and TABLE_CAPTION.match(line.plain)), None)
        lines = ([caption] if caption else []) + inside
        taken.update(map(id, lines))
        # a table goes on from the page before under 续表, or (one without a number) at the head of the page
        continued = caption.plain.startswith("续") if caption else top < layout.block_top + pitch
        parts.append(Part("table", caption.baseline if caption else top, bottom, lines, rows, header, continued))
    # Boxes: the lines on their ground, some of them text (a figure's ground holds labels only, and its caption
    # stands below it); a box without its title goes on from the page before.
    boxes = []
    for box in page.boxes:
        within = [line for line in page.lines
                  if box[1] <= line.baseline <= box[3] and box[0] - 1 <= line.x0 and line.x1 <= box[2] + 1]
        lines = [line for line in within if id(line) not in taken and line.cell is None]
        if any(abs(line.size - body) < 0.05 and not all("Sans" in g.font for g in line.glyphs) for line in within) \
                and not any(0 < line.baseline - box[3] < 2.5 * pitch and FIGURE_CAPTION.match(line.plain)
                            for line in page.lines):
            boxes.append(box)
            taken.update(map(id, lines))
            # a table in a box is part of the box (LaTeX cannot break it)
            tables_inside = [part for part in parts if part.kind == "table" and box[1] <= part.top
                             and part.bottom <= box[3] + 1]
            parts = [part for part in parts if not any(part is table for table in tables_inside)]
            parts.append(Part("box", box[1], box[3], lines, [row for part in tables_inside for row in part.rows],
                              continued=not lines or not lines[0].is_heading(body)))
    # Figures: drawings and pictures outside tables and boxes, lying within a line of one another; their labels;
    # the caption (图 1.2) below them.
    spans = [(part.rows[0][0] - 0.5 * pitch, part.rows[-1][1] + 0.5 * pitch) for part in parts if part.kind == "table"]
    ink = sorted((i for i in page.ink if not any(_inside((i.x0, i.top, i.x1, i.bottom), box) for box in boxes)
                  and not any(a <= i.top and i.bottom <= b for a, b in spans)), key=lambda i: i.top)
    clusters: list[list[float]] = []
    for i in ink:
        if clusters and i.top <= clusters[-1][3] + pitch:
            clusters[-1] = [min(clusters[-1][0], i.x0), clusters[-1][1], max(clusters[-1][2], i.x1),
                            max(clusters[-1][3], i.bottom)]
        else:
            clusters.append([i.x0, i.top, i.x1, i.bottom])
    for x0, top, x1, bottom in clusters:
        lines = [line for line in page.lines if id(line) not in taken and line.cell is None
                 and top - 1 <= line.baseline <= bottom + 1 and x0 - 1 <= line.x0 and line.x1 <= x1 + 1]
        labels = set(map(id, lines))
        below = [line for line in page.lines if id(line) not in taken | labels and line.cell is None
                 and 0 < line.baseline - bottom < 2.5 * pitch]
        if below and FIGURE_CAPTION.match(below[0].plain):
            lines.append(below[0])
            bottom = below[0].baseline
        taken.update(map(id, lines))
        parts.append(Part("figure", top, bottom, lines))
    # Headings and paragraphs: the lines left, a paragraph's lines carrying on one another. A line in the heading
    # face with the next line right under it is a glossary term, the first line of a paragraph with its definition.
    rest = [line for line in page.lines if id(line) not in taken]
    column = [line for line in rest if line.cell is None]
    current: Part | None = None
    for line in rest:
        below = next((other for other in column if other.baseline > line.baseline + 0.5 * line.size), None)
        term = below is not None and below.baseline - line.baseline < 1.2 * pitch and not below.is_heading(body)
        if line.is_heading(body) and not term:
            current = None
            parts.append(Part("heading", line.baseline, line.baseline, [line]))
        elif current is not None and (paragraphs.above.get(id(line)) is current.lines[-1]
                                      and paragraphs.continues(line) or current.lines[-1].is_heading(body)):
            current.lines.append(line)
            current.bottom = line.baseline
        else:
            above = paragraphs.above.get(id(line))
            current = Part("paragraph", line.baseline, line.baseline, [line],
                           continued=above is not None and paragraphs.page_of[id(above)] is not page
                           and paragraphs.continues(line))
            parts.append(current)
    parts.sort(key=lambda part: (part.top, part.bottom))
    return parts


def part_gaps(layout: PdfLayout, parts: list[list[Part]]) -> dict[tuple[str, str], float]:
    """The least space the document sets between two parts of the flow, one under the other on a page, for each
    kind that ends the one above and each kind (and heading size) of the one below: from the bottom of the first
    to the top of the second. The least is what TeX sets where it needs the room (a page filled to the foot
    stretches the rest). Pages of another layout are left out: those that open a chapter, and those set in two
    columns (the index)."""
    gaps: dict[tuple[str, str], float] = {}
    for page, on_page in zip(layout.pages, parts):
        if opens_something(page, layout) or _two_columns(page):
            continue
        for below in on_page:
            above = max((part for part in on_page if part.bottom < below.top and part.x0 < below.x1
                         and below.x0 < part.x1), key=lambda part: part.bottom, default=None)
            if above is not None:
                key, gap = (above.kind, below.key), below.top - above.bottom
                gaps[key] = min(gaps.get(key, gap), gap)
    return gaps


def _two_columns(page: PageLayout) -> bool:
    """Lines side by side on the left and the right half of the column, on three baselines or more."""
    middle = (page.left + page.right) / 2
    left = {round(line.baseline) for line in page.lines if line.cell is None and line.x1 < middle}
    right = {round(line.baseline) for line in page.lines if line.cell is None and line.x0 > middle}
    return len(left & right) >= 3


def _gap(gaps: dict[tuple[str, str], float], above: str, below: str, pitch: float) -> float:
    """The space between a part of kind ``above`` and one of kind ``below``: as the document sets them, else as it
    sets any part of that kind below another, else a line."""
    if (above, below) in gaps:
        return gaps[(above, below)]
    found = [gap for (_, kind), gap in gaps.items() if kind == below]
    return min(found) if found else pitch


def _paragraph_keep(part: Part, goes_on: bool, whose: str) -> tuple[int, str]:
    """How many lines at the start of a paragraph must stay together, and why: all of a paragraph of two or three
    lines (it cannot break without leaving a single line at the foot or the head of a page), else two."""
    lines = len(part.lines)
    if lines == 1 and not goes_on:
        return 1, f"{whose} paragraph of one line"
    if lines <= 3 and not goes_on:
        return lines, f"{whose} paragraph of {lines} lines, which cannot break without leaving one line alone"
    return 2, f"the first two lines of {whose} paragraph"


def _table_keep(part: Part, goes_on: bool) -> tuple[float, str]:
    """Where the start of a table that must stay together ends, and why: its caption, header and first two rows
    (no break after the first row or before the last: the whole table when it has three rows or fewer)."""
    body = len(part.rows) - part.header_rows
    if body <= 3 and not goes_on:
        return part.rows[-1][1], f"all of its {body} rows (a table keeps two rows on each side of a break)"
    return part.rows[min(part.header_rows + 2, len(part.rows)) - 1][1], "its caption, header and first two rows"


def _box_keep(part: Part, goes_on: bool, paragraphs: _Paragraphs) -> tuple[float, str]:
    """Where the start of a box that must stay together ends, and why: its title and the lines that must stay
    with it (two at least, a paragraph of three or fewer whole), and the whole box when fewer than two would be
    left for the next page."""
    content = part.lines[1:]
    if part.rows:
        return part.bottom, "all of it (a table in a box cannot break)"
    if not content:
        return part.bottom, "its title"
    first = 1
    while first < len(content) and paragraphs.above.get(id(content[first])) is content[first - 1] \
            and paragraphs.continues(content[first]):
        first += 1
    keep = first if first <= 3 else 2
    keep = max(keep, min(2, len(content)))
    if not goes_on and len(content) - keep < 2:
        return part.bottom, f"all of its {len(content)} lines (its title keeps two lines, and its last line is " \
                            "never alone)"
    return content[keep - 1].baseline + (part.bottom - content[-1].baseline), f"its title and first {keep} lines"


@dataclass(frozen=True)
class PageEnd:
    """Why a page ends early: what the next page opens with (and its first line), and the room it needs on this
    one (in points)."""
    forced: bool
    what: str
    need: float
    opening: str = ""


def page_end(page: PageLayout, layout: PdfLayout, parts: list[list[Part]], gaps: dict[tuple[str, str], float],
             paragraphs: _Paragraphs) -> PageEnd:
    """What the next page opens with that could not stand at the foot of this one. TeX breaks a page early only
    where the next legal break lies below the foot: the rules of zhbook.ext.typography make these the ones that keep
    things together (a heading with the first two lines after it, a table's caption and header with two rows, its
    next row, a box title with two lines, a paragraph of three lines or fewer whole). The room that takes is
    measured on the next page, and the space above it is the least the document sets between such parts. A figure
    at the head of the next page is left out: it floats, and what follows it is what did not fit."""
    here, following = parts[page.number - 1], parts[page.number]
    after = [part for part in parts[page.number + 1] if part.kind != "figure"] \
        if page.number + 1 < len(layout.pages) else []
    nxt = [part for part in following if part.kind != "figure"]
    if not here or not nxt:
        return PageEnd(False, "nothing that could not have stood here", 0.0)
    first, end = nxt[0], here[-1]

    def goes_on(part: Part) -> bool:
        """The part is the last of the next page and the page after carries it on."""
        return part is nxt[-1] and bool(after) and after[0].continued

    opening = first.lines[0].text if first.lines else ""
    if first.continued and first.kind in ("paragraph", "box"):
        return PageEnd(False, f"the rest of a {first.kind} that starts on this page (“{first.label}”), which could "
                              "have left more of itself here", first.bottom - first.top + layout.pitch, opening)
    if first.kind == "table" and first.continued:
        body = first.rows[first.header_rows:]
        if not body:
            return PageEnd(False, "the header of a table continued without rows", 0.0)
        rows = 2 if len(body) == 2 and not goes_on(first) else 1  # no break before a table's last row
        need = body[rows - 1][1] - body[0][0]
        what = "the last two rows" if rows == 2 else "the next row"
        return PageEnd(end.bottom + need > layout.block_bottom + BASELINE_SLACK,
                       f"{what} of the table continued under “{first.label}”", need, opening)
    if first.kind == "heading":
        run = [first]
        for part in nxt[1:]:
            if part.kind != "heading":
                break
            run.append(part)
        rest = nxt[len(run)] if len(run) < len(nxt) else None
        what = "the heading" + ("s" if len(run) > 1 else "") + " " + "、".join(f"“{part.label}”" for part in run)
        bottom = run[-1].bottom
        if rest is not None and rest.kind == "paragraph":
            keep, why = _paragraph_keep(rest, goes_on(rest), "its")
            bottom, what = rest.lines[keep - 1].baseline, f"{what} with {why}"
        elif rest is not None and rest.kind == "table":
            bottom, why = _table_keep(rest, goes_on(rest))
            what = f"{what} with its table “{rest.label}”, {why}"
        elif rest is not None and rest.kind == "box":
            bottom, why = _box_keep(rest, goes_on(rest), paragraphs)
            what = f"{what} with the box “{rest.label}”, {why}"
    elif first.kind == "table":
        bottom, why = _table_keep(first, goes_on(first))
        what = f"the table “{first.label}”, {why}"
    elif first.kind == "box":
        bottom, why = _box_keep(first, goes_on(first), paragraphs)
        what = f"the box “{first.label}”, {why}"
    else:
        keep, why = _paragraph_keep(first, goes_on(first), "a")
        bottom, what = first.lines[keep - 1].baseline, f"{why} (“{first.label}”)"
    need = _gap(gaps, end.kind, first.key, layout.pitch) + bottom - first.top
    return PageEnd(end.bottom + need > layout.block_bottom + BASELINE_SLACK, what, need, opening)


def short_page(page: PageLayout, layout: PdfLayout, parts: list[list[Part]], gaps: dict[tuple[str, str], float],
               paragraphs: _Paragraphs) -> Fault | None:
    """A page whose content ends more than SHORT_PAGE_LINES lines above the foot of the text block although the
    text goes on on the next page. It is ``forced-short-page`` (reported, no fault) when what the next page opens
    with needs more room than is left (:func:`page_end` says which rule keeps it together), and a ``short-page``
    fault when it would have fitted. The page before a chapter's first page (or a blank verso) and the last page
    end where their text ends."""
    bottom = page.bottom()
    if bottom is None or page.number >= len(layout.pages) \
            or opens_something(layout.pages[page.number], layout):
        return None
    room = layout.block_bottom - bottom
    if room <= SHORT_PAGE_LINES * layout.pitch:
        return None
    end = page_end(page, layout, parts, gaps, paragraphs)
    last = page.lines[-1].text if page.lines else ""
    following = end.opening or next((line.text for line in layout.pages[page.number].lines), "")
    where = f"ends {room / layout.pitch:.1f} lines above the foot of the text block"
    if end.forced:
        return Fault("forced-short-page", f"p. {page.number}",
                     f"{where}: the next page opens with {end.what}, {end.need / layout.pitch:.1f} lines: "
                     + _context("", last, following or "…"))
    return Fault("short-page", f"p. {page.number}",
                 f"{where}, though the next page opens with {end.what}, "
                 f"{end.need / layout.pitch:.1f} lines: " + _context("", last, following or "…"))


# --- HTML and EPUB -------------------------------------------------------------------------------------------------

PROBE_SCRIPT = Path(__file__).with_name("typography_probe.js")
WIDTHS = (390, 1280)  # a phone and a desktop window, in CSS pixels
# Paragraph-like blocks, whose last line must not hold a lone character (a heading or a caption may be short).
PARAGRAPH_BLOCKS = {"paragraph", "list item", "table cell", "reference"}


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def layout_lines(files: list[Path], widths: tuple[int, ...] = WIDTHS, names: list[str] | None = None) -> list[dict]:
    """Lay out each file in headless Chromium at each width (one browser run for all): for each file and width,
    its blocks of text and each block's lines as Chromium broke them."""
    browser = chromium()
    if not browser:
        raise RuntimeError("headless Chromium is needed to lay out the HTML (Debian package chromium)")
    names = names or [path.name for path in files]
    with tempfile.TemporaryDirectory(prefix="typography-") as tmp:
        frames = "\n".join(
            f'<iframe data-file="{html.escape(name)}" data-width="{width}" src="{path.resolve().as_uri()}" '
            f'style="width:{width}px;height:800px;border:0"></iframe>'
            for path, name in zip(files, names) for width in widths)
        probe = Path(tmp) / "probe.html"
        probe.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{frames}"
                         f"<pre id='typography-result'></pre><script src='{PROBE_SCRIPT.as_uri()}'></script>"
                         "</body></html>", encoding="utf-8")
        result = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
             f"--user-data-dir={Path(tmp) / 'profile'}", "--virtual-time-budget=60000", "--dump-dom",
             probe.as_uri()],
            capture_output=True, text=True, timeout=600)
    match = re.search(r'<pre id="typography-result">(.*?)</pre>', result.stdout, re.S)
    if not match or not match.group(1).strip():
        raise RuntimeError(f"Chromium gave no layout (exit {result.returncode}): {result.stderr[-2000:]}")
    return json.loads(html.unescape(match.group(1)))


def _line_text(line: list) -> str:
    return "".join(ch for ch, _mark, _sup in line)


def check_layout(pages: list[dict]) -> list[Fault]:
    """The faults of lines as a browser broke them (:func:`layout_lines`)."""
    faults = []
    for page in pages:
        where = f"{page['file']} @{page['width']}px"
        if page["blocks"] is None:
            faults.append(Fault("unreadable", where, "the page could not be read in the browser"))
            continue
        for block in page["blocks"]:
            where = f"{page['file']} @{page['width']}px, {block['block']}"
            lines = block["lines"]
            texts = [_line_text(line) for line in lines]
            for k, line in enumerate(lines):
                before = texts[k - 1] if k else ""
                after = texts[k + 1] if k + 1 < len(lines) else ""
                first_char, first_mark, _ = line[0]
                if k and first_mark:
                    faults.append(Fault("start-mark", where, _context(before, texts[k])))
                elif k and first_char in CLOSING:
                    faults.append(Fault("start-punct", where, _context(before, texts[k])))
                last_char, last_mark, _ = line[-1]
                if k + 1 < len(lines) and last_char in OPENING and not last_mark:
                    faults.append(Fault("end-open", where, _context("", texts[k], after)))
                if k + 1 < len(lines) and last_mark and lines[k + 1][0][1] and last_char not in "]］":
                    faults.append(Fault("split-mark", where, _context("", texts[k], after)))
            if len(lines) >= 2 and block["block"] in PARAGRAPH_BLOCKS:
                plain = "".join(ch for ch, mark, sup in lines[-1] if not mark and not sup)
                if counted_characters(plain) < 2:
                    faults.append(Fault("lone-char", where, _context(texts[-2], texts[-1])))
    return faults


def html_files(root: Path) -> list[Path]:
    """The pages of an HTML edition that hold the book's text (not search, index or the 404 page)."""
    skip = {"search.html", "genindex.html", "py-modindex.html"}
    return sorted(p for p in root.rglob("*.html") if p.name not in skip and "_static" not in p.parts)


def html_layout(root: Path, widths: tuple[int, ...] = WIDTHS) -> list[dict]:
    """An HTML edition's pages laid out at each width (:func:`layout_lines`)."""
    files = html_files(root)
    return layout_lines(files, widths, [str(p.relative_to(root)) for p in files])


def epub_layout(epub: Path, widths: tuple[int, ...] = WIDTHS) -> list[dict]:
    """An EPUB's content documents, unpacked and laid out with the EPUB's own stylesheets at each width."""
    with tempfile.TemporaryDirectory(prefix="typography-epub-") as tmp:
        with zipfile.ZipFile(epub) as zf:
            zf.extractall(tmp)
        root = Path(tmp)
        files = sorted(p for p in root.rglob("*.xhtml") if p.name not in {"nav.xhtml", "genindex.xhtml"}
                       and "cover" not in p.name)
        return layout_lines(files, widths, [str(p.relative_to(root)) for p in files])


def check_html(root: Path, widths: tuple[int, ...] = WIDTHS) -> list[Fault]:
    return check_layout(html_layout(root, widths))


def check_epub(epub: Path, widths: tuple[int, ...] = WIDTHS) -> list[Fault]:
    return check_layout(epub_layout(epub, widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zhbook.tools.typography_check", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="format", required=True)
    pdf = sub.add_parser("pdf", help="check PDF files (the book, the handouts) set on one page geometry")
    pdf.add_argument("--page", required=True, choices=sorted(GEOMETRIES),
                     help="the page geometry the files were set on (zhbook.core.page_geometry): its text block is what "
                          "they are held to")
    pdf.add_argument("files", nargs="+", type=Path)
    web = sub.add_parser("html", help="check an HTML edition (its folder) in Chromium at 390 and 1280 px")
    web.add_argument("root", type=Path)
    book = sub.add_parser("epub", help="check an EPUB's pages in Chromium at 390 and 1280 px")
    book.add_argument("epub", type=Path)
    args = parser.parse_args(argv)
    faults: list[Fault] = []
    if args.format == "pdf":
        for path in args.files:
            try:
                found = check_pdf(path, GEOMETRIES[args.page])
            except GeometryMismatch as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            for fault in found:
                print(f"{path.name} {fault}")
            faults += found
    else:
        faults = check_html(args.root) if args.format == "html" else check_epub(args.epub)
        for fault in faults:
            print(fault)
    real = faults_only(faults)
    summary = ", ".join(f"{kind} {n}" for kind, n in counts(real).items())
    print(f"{len(real)} fault(s): {summary}")
    if args.format == "pdf":
        print(f"{len(faults) - len(real)} page(s) end early where a rule forced it (forced-short-page)")
    return 1 if real else 0


if __name__ == "__main__":
    sys.exit(main())
