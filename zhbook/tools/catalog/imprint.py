"""The 版本记录 of the copyright page (GB/T 12450-2001 图书书名页), from the metadata and the measured book.

This module owns what the 版本记录 says and how the copyright page gets it:

- :func:`imprint_fields`: 书名, 著者, 出版者, then 开本, 印张 and 字数 from the measured facts
  (:class:`zhbook.tools.catalog.facts.BookFacts`, the same figures the catalogue records state), 版次 and 印次
  (``2026年3月第1版``, ``2026年3月第1次印刷``; a later printing, whose date the metadata does not give, states
  only ``第2次印刷``), and 书号 and 定价 only once they are set;
- :func:`imprint_latex`: those fields as the tabular the copyright page prints;
- :func:`settle`: the step after XeLaTeX (``zhbook.tools.texrun`` calls it for a .tex that asks for a 版本记录): 印张
  and 字数 are known only once the book is set, so the built PDF is measured, ``<jobname>-imprint.tex`` is written
  from the facts, and XeLaTeX runs once more if it changed. The PDF is measured again and must state what it is
  measured to be, else the build stops. The page prints the metadata-only fields as long as that file is missing.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from zhbook.metadata import BookMetadata, load
from zhbook.tools.catalog.cip import latex_escape
from zhbook.tools.catalog.facts import BookFacts, measure

# The comment the copyright page leaves in the .tex: the metadata file, relative to the .tex's folder.
REQUEST = re.compile(r"^% zhbook-imprint: metadata=(?P<metadata>.+)$", re.M)
IMPRINT_SUFFIX = "-imprint.tex"
SETTLE_ATTEMPTS = 3
CURRENCY_UNITS = {"CNY": "元"}  # 定价：48.00元; another currency is written as its code before the amount


class ImprintError(Exception):
    """The 版本记录 cannot be made to match the book it is printed in."""


def edition_date(meta: BookMetadata) -> str:
    """The date of the edition as a 版本记录 writes it: ``2026年3月``, or ``2026年`` while the month is not fixed."""
    return f"{meta.year}年{meta.month}月" if meta.month else f"{meta.year}年"


def price_text(meta: BookMetadata) -> str:
    """定价 as printed: ``48.00元``; "" while no price is set."""
    if not meta.price:
        return ""
    unit = CURRENCY_UNITS.get(meta.currency)
    return f"{meta.price}{unit}" if unit else f"{meta.currency} {meta.price}"


def imprint_fields(meta: BookMetadata, facts: BookFacts | None) -> dict[str, str]:
    """The 版本记录, label → value, in the order the page prints them; measured ones only with ``facts``."""
    fields = {"书名": meta.title + (f"：{meta.subtitle}" if meta.subtitle else ""),
              "著者": meta.authors_line,
              "出版者": meta.publisher + (f"（{meta.publisher_place}）" if meta.publisher_place else "")}
    if facts is not None:
        if facts.format_statement:
            fields["开本"] = facts.format_statement
            fields["印张"] = facts.printing_sheets_text
        if facts.page_capacity:
            fields["字数"] = f"{facts.thousand_characters}千字"
    fields["版次"] = f"{edition_date(meta)}{meta.edition}"
    # The metadata dates the edition; a later printing's date is not in it, and is not guessed.
    fields["印次"] = (f"{edition_date(meta)}第1次印刷" if meta.printing == 1 else f"第{meta.printing}次印刷")
    if meta.isbn_print:
        fields["书号"] = f"ISBN {meta.isbn_hyphenated('print')}"
    if meta.isbn_epub:
        fields["电子书书号"] = f"ISBN {meta.isbn_hyphenated('epub')}"
    if meta.price:
        fields["定价"] = price_text(meta)
    return fields


def imprint_lines(meta: BookMetadata, facts: BookFacts | None) -> list[str]:
    """The 版本记录 as lines of text, ``开本：787mm×1092mm 1/16``."""
    return [f"{label}：{value}" for label, value in imprint_fields(meta, facts).items()]


def imprint_latex(meta: BookMetadata, facts: BookFacts | None) -> str:
    """The 版本记录 as the copyright page's two-column table."""
    rows = "\n".join(f"{latex_escape(label)} & {latex_escape(value)}\\\\"
                     for label, value in imprint_fields(meta, facts).items())
    return "\\begin{tabular}{@{}l@{\\quad}l@{}}\n" + rows + "\n\\end{tabular}\n"


def request_line(metadata_relative: str) -> str:
    """The comment by which a .tex asks :func:`settle` for its 版本记录."""
    return f"% zhbook-imprint: metadata={metadata_relative}\n"


def page_latex(meta: BookMetadata) -> str:
    """What the copyright page holds where the 版本记录 goes: the measured one once :func:`settle` wrote it,
    the metadata-only one until then."""
    return (f"\\IfFileExists{{\\jobname{IMPRINT_SUFFIX}}}{{\\input{{\\jobname{IMPRINT_SUFFIX}}}}}"
            f"{{{imprint_latex(meta, None)}}}\n")


def requested_metadata(tex: Path) -> Path | None:
    """The metadata file a .tex names in its request, or None when it asks for no 版本记录."""
    match = REQUEST.search(tex.read_text(encoding="utf-8", errors="replace"))
    return (tex.parent / match["metadata"].strip()).resolve() if match else None


def settle(tex: Path, rerun: Callable[[], None]) -> bool:
    """Give the PDF of ``tex`` the 版本记录 its own measures call for; return whether XeLaTeX had to run again.

    ``rerun`` runs XeLaTeX on ``tex`` again. Raises :class:`ImprintError` when the PDF never states what it is
    measured to be (a 版本记录 that changes the page count it reports).
    """
    metadata_file = requested_metadata(tex)
    if metadata_file is None:
        return False
    meta = load(metadata_file)
    target = tex.with_name(tex.stem + IMPRINT_SUFFIX)
    reran = False
    for _ in range(SETTLE_ATTEMPTS):
        wanted = imprint_latex(meta, measure(tex.with_suffix(".pdf"), tex))
        if target.is_file() and target.read_text(encoding="utf-8") == wanted:
            return reran
        target.write_text(wanted, encoding="utf-8")
        rerun()
        reran = True
    raise ImprintError(f"{tex}: the 版本记录 does not settle: each XeLaTeX run measures the book differently "
                       f"(last measured: {'; '.join(imprint_lines(meta, measure(tex.with_suffix('.pdf'), tex)))})")


def main(argv: list[str] | None = None) -> int:
    """``python -m zhbook.tools.catalog.imprint METADATA PDF [TEX]``: print the 版本记录 of a built book."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3):
        print("usage: python -m zhbook.tools.catalog.imprint METADATA PDF [TEX]", file=sys.stderr)
        return 2
    facts = measure(args[1], args[2] if len(args) == 3 else None)
    print("\n".join(imprint_lines(load(args[0]), facts)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
