"""Finishing of a built PDF: document info and XMP metadata from the metadata file, reproducible bytes.

XeLaTeX's hyperxmp takes its dates from the clock (through the .log file's time), so the XMP packet is written
here instead, with pikepdf: title, creators, subject, keywords, language, rights, and dates from
SOURCE_DATE_EPOCH. The file is saved with a deterministic /ID, so the same sources give the same bytes.

``python -m zhbook.tools.pdf_finish IN.pdf OUT.pdf --metadata source/book.toml [--title-suffix 讲义：第一章]``
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import pikepdf

from zhbook import metadata as book_metadata
from zhbook.core import files
from zhbook.core.dates import SourceDateEpochError, build_datetime


def pdf_date(moment: dt.datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%SZ")


def finish(src: Path, dst: Path, book: book_metadata.BookMetadata, title: str | None = None) -> None:
    """Write ``src`` to ``dst`` with the book's metadata and a deterministic /ID."""
    moment = build_datetime()
    title = title or book.title
    authors = [c.name for c in book.creators]
    with pikepdf.open(src) as pdf:
        info = pdf.docinfo
        info["/Title"] = title
        info["/Author"] = "；".join(authors)
        info["/Subject"] = "；".join(book.subjects)
        info["/Keywords"] = "，".join(book.keywords)
        info["/Creator"] = "zhbook (Sphinx, XeLaTeX)"
        info["/CreationDate"] = pdf_date(moment)
        info["/ModDate"] = pdf_date(moment)
        pdf.Root.Lang = pikepdf.String(book.language)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:title"] = title
            xmp["dc:creator"] = authors
            xmp["dc:description"] = book.description
            xmp["dc:subject"] = list(book.subjects) + list(book.keywords)
            xmp["dc:language"] = [book.language]
            xmp["dc:publisher"] = [book.publisher]
            xmp["dc:rights"] = book.rights
            xmp["pdf:Keywords"] = "，".join(book.keywords)
            xmp["pdf:Producer"] = str(info.get("/Producer", "XeLaTeX"))
            xmp["xmp:CreatorTool"] = "zhbook (Sphinx, XeLaTeX)"
            xmp["xmp:CreateDate"] = moment.isoformat()
            xmp["xmp:ModifyDate"] = moment.isoformat()
            xmp["xmp:MetadataDate"] = moment.isoformat()
        with files.atomic_path(dst) as tmp:
            pdf.save(tmp, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                     compress_streams=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    parser.add_argument("--metadata", type=Path, required=True)
    parser.add_argument("--title", default=None)
    parser.add_argument("--keep-title", action="store_true", help="keep the title XeLaTeX wrote (a handout's own)")
    args = parser.parse_args(argv)
    try:
        book = book_metadata.load(args.metadata)
        title = args.title
        if args.keep_title:
            with pikepdf.open(args.src) as pdf:
                title = str(pdf.docinfo.get("/Title", "")) or None
        finish(args.src, args.dst, book, title)
    except (book_metadata.MetadataError, SourceDateEpochError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
