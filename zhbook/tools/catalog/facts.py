"""The figures measured on the built book, once, for every record and for the 版本记录 on the copyright page.

This module owns :class:`BookFacts` and :func:`measure`, the one place where the built book is measured. MARC 21
(300, 008/18-21, 008/31, 504), CNMARC (105, 215, 320), ONIX (Extent) and the 版本记录 (印张, 字数) all read these
figures, so that no two of them can disagree:

- from the PDF's page labels: the extent as a cataloguer records it (``vi, 71``), the front-matter pages (the
  roman sequence, 6) and the main-content pages (the highest arabic folio, 71);
- from the PDF's pages: how many there are (77), how many print nothing at all (the blank versos before a
  chapter, 4), and whether anything is drawn in colour (figures, tinted boxes: CNMARC 135/2 of the EPUB);
- from the PDF's text and the page geometry: the capacity of the 版心 as Chinese publishers count 字数 — characters
  of the body size a line of the text block holds (39) × baselines a full page holds at the body's line pitch
  (36). This is the layout's capacity, not a count of the characters actually set;
- from the LaTeX file Sphinx wrote (and the index XeLaTeX sorted beside it): the figures, the references and
  whether the book has an index.

What follows from these (how the figures are rounded) is derived here too, each rule in one property:

- 印张: the book block's faces (an odd last page has a blank back) ÷ the pages one side of the full sheet holds,
  rounded up to a quarter 印张, as printed 版本记录 state it (32.75, 26.25, 15.5);
- 字数: capacity per page × the pages that print something (the exam rule of the 出版专业资格: 版面字数 counts every
  page printed with text or figures as full, blank pages not at all), in 千字, a part of a thousand counted as a
  whole one.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pymupdf

from zhbook.core import page_geometry
from zhbook.tools.catalog.common import CatalogError, bibliography_entry_count, numbered_sequences, page_labels

# Printers fold and bind a book block in quarters of a 印张 at the least (4 pages of a 16开 book): the 印张 of a
# 版本记录 are quarter steps.
SHEET_STEP = Fraction(1, 4)
# Lines of the body text stand this far apart at most inside one paragraph, in body sizes; wider gaps are the
# space around headings, figures and tables, and are not the line pitch.
MAX_PITCH = 2.0


@dataclass(frozen=True)
class BookFacts:
    """What the records and the 版本记录 say about the built book; see the module's docstring."""

    sequences: tuple[tuple[str, str], ...]  # each numbered sequence of pages: (style, last label)
    total_pages: int  # pages in the PDF
    blank_pages: int  # pages that print nothing
    chars_per_line: int  # body characters in a line of the text block; 0 when the PDF has no body text
    lines_per_page: int  # body lines in a full text block; 0 likewise
    figures: int  # graphics the book prints
    references: int  # entries in the bibliography
    has_index: bool
    in_colour: bool = False  # something is drawn in a colour that is not a grey
    format_statement: str = ""  # the 开本, e.g. 787mm×1092mm 1/16 ("" for a page not cut from a standard sheet)
    pages_per_sheet: int = 0  # pages in one 印张 (16 for 16开)

    # --- extent ---------------------------------------------------------------------------------------------
    @property
    def extent(self) -> str:
        """The last page of each numbered sequence, as printed (``vi, 71``); the page count without labels."""
        return ", ".join(last for _, last in self.sequences) or str(self.total_pages)

    @property
    def front_matter_pages(self) -> int:
        """The roman-numbered pages before the main content (ONIX Extent 03)."""
        return sum(_roman_value(last) for style, last in self.sequences if style == "roman")

    @property
    def main_content_pages(self) -> int:
        """The highest arabic folio (ONIX Extent 00); the page count when the PDF names no pages."""
        arabic = [int(last) for style, last in self.sequences if style == "arabic"]
        return max(arabic) if arabic else (0 if self.sequences else self.total_pages)

    @property
    def content_pages(self) -> int:
        """Numbered pages in all (ONIX Extent 08 of the EPUB: the print counterpart's content page count)."""
        return self.front_matter_pages + self.main_content_pages if self.sequences else self.total_pages

    @property
    def has_figures(self) -> bool:
        return self.figures > 0

    # --- 印张 ------------------------------------------------------------------------------------------------
    @property
    def book_block_pages(self) -> int:
        """The faces of the book block: every page of the PDF, and the blank back of an odd last page."""
        return self.total_pages + self.total_pages % 2

    @property
    def printing_sheets(self) -> Fraction:
        """印张: book-block pages ÷ pages per 印张, rounded up to a quarter 印张."""
        if not self.pages_per_sheet:
            raise CatalogError("the page is not cut from a standard full sheet: it has no 印张")
        sheets = Fraction(self.book_block_pages, self.pages_per_sheet)
        return math.ceil(sheets / SHEET_STEP) * SHEET_STEP

    @property
    def printing_sheets_text(self) -> str:
        """印张 as a 版本记录 prints it: a plain decimal, no trailing zeros (5, 5.25, 15.5)."""
        sheets = self.printing_sheets
        return f"{float(sheets):.2f}".rstrip("0").rstrip(".")

    # --- 字数 ------------------------------------------------------------------------------------------------
    @property
    def printed_pages(self) -> int:
        """Pages that print text or figures (字数 counts each as a full page)."""
        return self.total_pages - self.blank_pages

    @property
    def page_capacity(self) -> int:
        """Characters one full text block holds (版面字数 of a page)."""
        return self.chars_per_line * self.lines_per_page

    @property
    def character_capacity(self) -> int:
        """版面字数 of the book: the capacity of a page × the pages printed."""
        return self.page_capacity * self.printed_pages

    @property
    def thousand_characters(self) -> int:
        """字数 in 千字, a part of a thousand counted as a whole one; 0 when the layout could not be measured."""
        return math.ceil(self.character_capacity / 1000)


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _roman_value(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@dataclass(frozen=True)
class _Layout:
    chars_per_line: int
    lines_per_page: int
    blank_pages: int
    total_pages: int
    in_colour: bool = False


# A stroke or fill whose red, green and blue differ by more than this is a colour, not a grey.
GREY_TOLERANCE = 0.02


def _drawn_in_colour(page) -> bool:
    for drawing in page.get_drawings():
        for key in ("color", "fill"):
            rgb = drawing.get(key)
            if rgb and len(rgb) == 3 and max(rgb) - min(rgb) > GREY_TOLERANCE:
                return True
    return False


def _line_spans(page) -> list[tuple[float, float, int]]:
    """(baseline, font size, characters) of each text line of ``page``, its size the one most of it is set in."""
    lines = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            sizes: Counter = Counter()
            for span in line["spans"]:
                sizes[round(span["size"], 2)] += len(span["text"].strip())
            if sum(sizes.values()):
                lines.append((round(line["spans"][0]["origin"][1], 2), sizes.most_common(1)[0][0],
                              sum(sizes.values())))
    return lines


def measure_layout(pdf: str | Path, geometry: page_geometry.PageGeometry) -> _Layout:
    """Blank pages and the text block's capacity in body characters, from the PDF and the page geometry.

    The body size is the size most characters are set in; the line pitch the commonest distance between two body
    lines on a page; the first baseline's depth below the top of the text block the commonest one on the pages.
    A full text block then holds ``1 + (height − first baseline) ÷ pitch`` lines and ``width ÷ body size``
    characters a line (CJK characters are square, one body size wide).
    """
    try:
        document = pymupdf.open(str(pdf))
    except (pymupdf.FileNotFoundError, pymupdf.FileDataError, RuntimeError) as exc:
        raise CatalogError(f"{pdf}: cannot read the PDF to measure its pages: {exc}") from None
    with document:
        pages = [_line_spans(page) for page in document]
        blank = sum(1 for page, lines in zip(document, pages)
                    if not lines and not page.get_images() and not page.get_drawings())
        in_colour = any(_drawn_in_colour(page) for page in document)
    sizes: Counter = Counter()
    for lines in pages:
        for _, size, chars in lines:
            sizes[size] += chars
    if not sizes:
        return _Layout(0, 0, blank, len(pages), in_colour)
    body = sizes.most_common(1)[0][0]
    width, height = geometry.text_block_size
    top = geometry.top * page_geometry.MM
    pitches: Counter = Counter()
    first_baselines: Counter = Counter()
    for lines in pages:
        baselines = sorted({y for y, size, _ in lines if size == body and top < y <= top + height + 1})
        if baselines:
            first_baselines[round(baselines[0] - top, 1)] += 1
        pitches.update(round(b - a, 1) for a, b in zip(baselines, baselines[1:]) if b - a <= MAX_PITCH * body)
    if not pitches:
        return _Layout(math.floor(width / body + 1e-6), 1, blank, len(pages), in_colour)
    pitch = pitches.most_common(1)[0][0]
    first = first_baselines.most_common(1)[0][0]
    lines_per_page = 1 + math.floor((height - first) / pitch + 1e-6)
    return _Layout(math.floor(width / body + 1e-6), lines_per_page, blank, len(pages), in_colour)


def figures_in(tex: str | Path) -> int:
    """Graphics the LaTeX file Sphinx wrote includes (figures and inline images)."""
    try:
        return len(re.findall(r"\\(?:sphinx)?includegraphics\b", Path(tex).read_text(encoding="utf-8")))
    except OSError as exc:
        raise CatalogError(f"{tex}: cannot read the LaTeX file to count its figures: {exc}") from None


def has_index(tex: str | Path) -> bool:
    """Whether the book prints an index: the index XeLaTeX sorted beside the .tex holds an entry."""
    ind = Path(tex).with_suffix(".ind")
    return ind.is_file() and re.search(r"\\item\b", ind.read_text(encoding="utf-8", errors="replace")) is not None


def measure(pdf: str | Path, tex: str | Path | None = None,
            geometry: page_geometry.PageGeometry = page_geometry.BOOK) -> BookFacts:
    """Measure the built book: its PDF and, when given, the LaTeX file it was set from (without it the book is
    taken to have no figures, no references and no index)."""
    labels = page_labels(pdf)
    layout = measure_layout(pdf, geometry)
    return BookFacts(
        sequences=tuple(numbered_sequences(labels)) if labels is not None else (),
        total_pages=layout.total_pages, blank_pages=layout.blank_pages,
        chars_per_line=layout.chars_per_line, lines_per_page=layout.lines_per_page,
        figures=figures_in(tex) if tex else 0,
        references=bibliography_entry_count(tex) if tex else 0,
        has_index=has_index(tex) if tex else False,
        in_colour=layout.in_colour,
        format_statement=geometry.format_statement if geometry.full_sheet else "",
        pages_per_sheet=geometry.sheet_fraction,
    )
