"""The EPUB cover: an SVG drawn from the book metadata (title, subtitle, creators, publisher), rasterised to PNG.

Stores and reading systems want a raster cover image (1600 × 2560 px is the size most stores recommend); SVG text
would need the reader to have the right Chinese fonts. So the SVG is rendered here by librsvg's ``rsvg-convert``
with Noto Serif/Sans CJK SC (Debian ``fonts-noto-cjk``). rsvg-convert writes no timestamp into the PNG: the same
metadata gives the same bytes.
"""
from __future__ import annotations

import subprocess
import unicodedata
from html import escape

from zhbook.metadata import BookMetadata

WIDTH, HEIGHT = 1600, 2560
MARGIN = 140
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
INK, PAPER, ACCENT = "#1f3b57", "#f4efe6", "#e9c46a"


class CoverError(Exception):
    """The cover could not be rendered (rsvg-convert missing or failing)."""


def text_width(text: str) -> float:
    """Width of ``text`` in ems: CJK and full-width characters are one em, others about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def wrap(text: str, size: int, width: int = WIDTH - 2 * MARGIN) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` pixels at font size ``size`` (character by character)."""
    lines, line = [], ""
    for ch in text:
        if line and text_width(line + ch) * size > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def _text(lines: list[str], y: float, size: int, family: str, fill: str, weight: str = "normal",
          leading: float = 1.3) -> tuple[str, float]:
    """SVG <text> elements for ``lines``, centred, the first baseline at ``y``; returns them and the next y."""
    parts = []
    for line in lines:
        parts.append(f'<text x="{WIDTH // 2}" y="{y:.0f}" font-family="{family}" font-size="{size}" '
                     f'font-weight="{weight}" fill="{fill}" text-anchor="middle">{escape(line)}</text>')
        y += size * leading
    return "\n  ".join(parts), y


def cover_svg(book: BookMetadata) -> str:
    """The cover as SVG source: a dark band with the title and subtitle, the creators and publisher below."""
    title_size = 160 if len(wrap(book.title, 160)) <= 2 else 112
    title, y = _text(wrap(book.title, title_size), 760, title_size, SERIF, PAPER, "bold", 1.25)
    subtitle, _ = _text(wrap(book.subtitle, 68), y + 40, 68, SANS, ACCENT) if book.subtitle else ("", y)
    creators, _ = _text([f"{c.name} {c.role_label}".strip() for c in book.creators], 1900, 60, SANS, INK)
    publisher, _ = _text(wrap(book.publisher, 52), 2360, 52, SANS, INK)
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" \
viewBox="0 0 {WIDTH} {HEIGHT}">
  <rect width="{WIDTH}" height="{HEIGHT}" fill="{PAPER}"/>
  <rect width="{WIDTH}" height="1560" fill="{INK}"/>
  <rect x="{MARGIN}" y="480" width="{WIDTH - 2 * MARGIN}" height="8" fill="{ACCENT}"/>
  {title}
  {subtitle}
  {creators}
  <rect x="{MARGIN}" y="2240" width="{WIDTH - 2 * MARGIN}" height="3" fill="{INK}"/>
  {publisher}
</svg>
"""


def cover_alt(book: BookMetadata) -> str:
    """The cover image's alt text: what the cover says, in reading order."""
    title = f"{book.title}——{book.subtitle}" if book.subtitle else book.title
    return f"封面：《{title}》，{book.authors_line}，{book.publisher}出版"


def render_png(svg: str) -> bytes:
    """Rasterise ``svg`` with rsvg-convert (librsvg2-bin)."""
    try:
        result = subprocess.run(["rsvg-convert", "--format", "png"], input=svg.encode("utf-8"),
                                capture_output=True, check=False)
    except FileNotFoundError:
        raise CoverError("rsvg-convert not found: install Debian's librsvg2-bin") from None
    if result.returncode != 0:
        raise CoverError(f"rsvg-convert failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout
