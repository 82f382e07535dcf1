"""The page geometries of the print outputs, each in one place: the book's 16开 page and the handouts' A4 page.

What this module owns, for each geometry: the trim size, the margins (inside and outside, top and bottom), where
the running head and the folio stand (``headsep`` above the text block, ``footskip`` below it), whether the margins
mirror on facing pages, and what follows from these:

- the options of LaTeX's ``geometry`` package (:meth:`PageGeometry.latex`), which zhbook.ext.latex_zh and
  zhbook.ext.handouts put into the preamble;
- the text block of a page in PDF points, from the top-left corner as PDF readers measure (:meth:`text_block`),
  which zhbook.tools.typography_check holds the built PDF to, and the band between the running head and the folio
  (:meth:`body_band`), which zhbook.tools.epub_pages reads each page's text from;
- the height in whole centimetres, rounded up, as a library catalogue records it (:attr:`catalogue_height`),
  which zhbook.tools.catalog writes into the records;
- for a page cut from a standard full sheet (GB/T 788-1999), the sheet and how many pages of a side it is cut
  into (:attr:`format_statement`, the 开本 of the 版本记录: ``787mm×1092mm 1/16``), from which the catalogue counts
  印张 (:attr:`pages_per_sheet`: one 印张 is one side of a full sheet).

Lengths are in millimetres, as the geometry package is given them; points are PDF points (1/72 in).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

MM = 72 / 25.4  # PDF points in a millimetre


@dataclass(frozen=True)
class TextBlock:
    """Where the text of one page may stand, in PDF points from the page's top-left corner. ``bottom`` is the
    lowest a baseline may lie: TeX sets the last line of a full page on it, and only descenders hang below.
    What ends above ``head_limit`` (halfway between the running head and the text block) belongs to the running
    head; ``folio`` is the folio's baseline."""
    left: float
    top: float
    right: float
    bottom: float
    head_limit: float
    folio: float


@dataclass(frozen=True)
class PageGeometry:
    """One page design. ``inner`` is the margin at the spine (the left one of a right-hand page); a geometry that
    does not mirror has ``inner`` on the left of every page."""
    width: float  # mm, the trimmed page
    height: float
    inner: float
    outer: float
    top: float  # from the top edge to the top of the text block
    bottom: float  # from the foot of the text block to the bottom edge
    headsep: float  # from the foot of the running head's box down to the top of the text block
    footskip: float  # from the foot of the text block down to the folio's baseline
    two_sided: bool  # the margins mirror: a left-hand (even) page has ``outer`` on its left
    full_sheet: tuple[int, int] | None = None  # mm, the untrimmed sheet the page is cut from (GB/T 788-1999)
    sheet_fraction: int = 0  # pages cut from one side of that sheet: 16 for 16开

    def latex(self) -> str:
        """The ``\\usepackage[...]{geometry}`` line that sets this page."""
        sides = ("inner", "outer") if self.two_sided else ("left", "right")
        options = [f"paperwidth={self.width:g}mm", f"paperheight={self.height:g}mm",
                   f"{sides[0]}={self.inner:g}mm", f"{sides[1]}={self.outer:g}mm",
                   f"top={self.top:g}mm", f"bottom={self.bottom:g}mm",
                   f"headsep={self.headsep:g}mm", f"footskip={self.footskip:g}mm"]
        if self.two_sided:
            options.append("twoside")
        return rf"\usepackage[{','.join(options)}]{{geometry}}"

    @property
    def size(self) -> tuple[float, float]:
        """The page's width and height in PDF points."""
        return self.width * MM, self.height * MM

    def text_block(self, page_number: int) -> TextBlock:
        """The text block of page ``page_number`` (counted from 1, as the PDF's pages are: page 1 is a right-hand
        page)."""
        left, right = (self.outer, self.inner) if self.two_sided and page_number % 2 == 0 else (self.inner, self.outer)
        foot = self.height - self.bottom
        return TextBlock(left * MM, self.top * MM, (self.width - right) * MM, foot * MM,
                         (self.top - self.headsep / 2) * MM, (foot + self.footskip) * MM)

    def body_band(self) -> tuple[float, float]:
        """From halfway between the running head and the top of the text block to halfway between the
        foot of the text block and the folio's baseline, in PDF points from the top edge: the page's text without
        its head and folio."""
        return (self.top - self.headsep / 2) * MM, (self.height - self.bottom + self.footskip / 2) * MM

    @property
    def text_block_size(self) -> tuple[float, float]:
        """The width and height of the text block (版心) in PDF points."""
        return (self.width - self.inner - self.outer) * MM, (self.height - self.top - self.bottom) * MM

    @property
    def format_statement(self) -> str:
        """The 开本 as a 版本记录 states it: the full sheet and the fraction, ``787mm×1092mm 1/16``."""
        if not self.full_sheet:
            raise ValueError("this page is not cut from a standard full sheet; it has no 开本")
        width, height = self.full_sheet
        return f"{width}mm×{height}mm 1/{self.sheet_fraction}"

    @property
    def pages_per_sheet(self) -> int:
        """Pages in one 印张 (one side of a full sheet): the fraction of the 开本."""
        if not self.sheet_fraction:
            raise ValueError("this page is not cut from a standard full sheet; it has no 印张")
        return self.sheet_fraction

    @property
    def catalogue_height(self) -> str:
        """The height as RDA (and CNMARC, and CIP) records a book's: whole centimetres, rounded up ("26 cm")."""
        return f"{math.ceil(round(self.height / 10, 6))} cm"


# The book: 16开 (185 × 260 mm, cut 16 to a side of the 787 × 1092 mm sheet), two-sided, a wider margin at the
# spine.
BOOK = PageGeometry(width=185, height=260, inner=22, outer=18, top=24, bottom=22, headsep=7, footskip=12,
                    two_sided=True, full_sheet=(787, 1092), sheet_fraction=16)

# A handout: A4. Its margins mirror as the book's do (25 mm inside, 22 mm outside): the book class a handout is
# set with is two-sided, and pages printed on both sides of the sheet (and the booklets) bind on the inside.
HANDOUT = PageGeometry(width=210, height=297, inner=25, outer=22, top=25, bottom=25, headsep=8, footskip=12,
                       two_sided=True)

GEOMETRIES = {"book": BOOK, "handout": HANDOUT}
