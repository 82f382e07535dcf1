"""Library catalogue records built from the book's one metadata file (``source/book.toml``).

This package owns every record a library or a search engine reads about the book:

- two MARC 21 bibliographic records, one for the print edition and one for the EPUB, written with pymarc as
  ISO 2709 (``<slug>.mrc``) and MARCXML (``<slug>.xml``); their extent (300) is read from the built PDF's page
  labels, each numbered sequence as printed (``vi, 71页``);
- an ``oai_dc`` Dublin Core record (``<slug>-dc.xml``);
- the 图书在版编目（CIP）数据 block laid out as GB/T 12451-2023 prescribes (``cip.txt``), as plain lines and as
  LaTeX-safe lines, so the copyright page prints exactly what ``cip.txt`` holds;
- the schema.org ``Book`` JSON-LD that ``zhbook.ext.schema_org`` puts into every HTML page.

One module per record (``marc21``, ``dublin_core``, ``cip``, ``jsonld``); ``common`` holds what they share (the
editions, the build time, the figures measured on the built book). This module writes them all (``make catalog``).

Identifiers that an agency assigns — the ISBNs, the 中图分类号 (CLC number) and the CIP 核字号 — come only from the
metadata file and are left out of every record while they are empty. Dates come from ``SOURCE_DATE_EPOCH``, never
from the clock, so the files are byte-for-byte reproducible.

Command line (``make catalog``)::

    python -m zhbook.tools.catalog --metadata source/book.toml --pdf dist/<slug>.pdf --out dist/catalog \\
        --references N | --references-from build/latex/<slug>.tex
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from zhbook.metadata import BookMetadata, MetadataError, load
# The package is the catalogue's public surface: the records' builders are importable from here.
from zhbook.tools.catalog.cip import (cip_differences, cip_fields, cip_latex, cip_latex_lines, cip_lines,  # noqa: F401
                                      latex_escape, parse_cip_block)
from zhbook.tools.catalog.common import (EDITIONS, CatalogError, bibliography_entry_count, build_time,  # noqa: F401
                                         pdf_extent)
from zhbook.tools.catalog.dublin_core import dublin_core
from zhbook.tools.catalog.jsonld import book_jsonld, jsonld_script  # noqa: F401
from zhbook.tools.catalog.marc21 import iso2709, marc_record, marc_records, marcxml  # noqa: F401


def write_catalog(meta: BookMetadata, extent: str, references: int, out: str | Path,
                  when: datetime) -> list[Path]:
    """Write ``<slug>.mrc``, ``<slug>.xml``, ``<slug>-dc.xml`` and ``cip.txt`` into ``out``; return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    records = marc_records(meta, extent, references, when)
    files = {
        out / f"{meta.slug}.mrc": iso2709(records),
        out / f"{meta.slug}.xml": marcxml(records),
        out / f"{meta.slug}-dc.xml": dublin_core(meta, extent),
        out / "cip.txt": ("\n".join(cip_lines(meta)) + "\n").encode("utf-8"),
    }
    for path, data in files.items():
        path.write_bytes(data)
    return list(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhbook catalog", description=__doc__.split("\n\n")[0])
    parser.add_argument("--metadata", required=True, help="the book's metadata file (source/book.toml)")
    parser.add_argument("--pdf", required=True, help="the built print PDF, whose page count goes into field 300")
    count = parser.add_mutually_exclusive_group(required=True)
    count.add_argument("--references", type=int, help="number of entries in the book's bibliography (field 504)")
    count.add_argument("--references-from", metavar="TEX",
                       help="count the bibliography entries (\\bibitem) in the LaTeX file Sphinx wrote")
    parser.add_argument("--out", required=True, help="output folder (dist/catalog)")
    args = parser.parse_args(argv)
    if args.references is not None and args.references < 0:
        parser.error("--references must not be negative")
    try:
        meta = load(args.metadata)
        references = (args.references if args.references is not None
                      else bibliography_entry_count(args.references_from))
        write_catalog(meta, pdf_extent(args.pdf), references, args.out, build_time())
    except (MetadataError, CatalogError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


