"""Library catalogue records built from the book's one metadata file (``source/book.toml``).

This package owns every record a library, a store or a search engine reads about the book:

- two MARC 21 bibliographic records, one for the print edition and one for the EPUB, written with pymarc as
  ISO 2709 (``<slug>.mrc``) and MARCXML (``<slug>.xml``), for OCLC and libraries abroad;
- two CNMARC records (``<slug>-cnmarc.iso``, ISO 2709, and ``<slug>-cnmarc.xml``, MarcXchange), for the 国家图书馆,
  CALIS and Chinese libraries;
- an ONIX for Books 3.1 message with one product per edition (``<slug>-onix.xml``), for stores and aggregators;
- an ``oai_dc`` Dublin Core record (``<slug>-dc.xml``);
- the 图书在版编目（CIP）数据 block laid out as GB/T 12451-2023 prescribes (``cip.txt``), as plain lines and as
  LaTeX-safe lines, so the copyright page prints exactly what ``cip.txt`` holds;
- the 版本记录 of the copyright page (``imprint``: 开本, 印张, 字数, 版次, 印次, 书号, 定价);
- the schema.org ``Book`` JSON-LD that ``zhbook.ext.schema_org`` puts into every HTML page.

One module per record (``marc21``, ``cnmarc``, ``onix``, ``dublin_core``, ``cip``, ``imprint``, ``jsonld``);
``common`` holds what they share (the editions, the build time, the page labels), ``facts`` the one measurement of
the built book they all state (extent, pages, figures, index, references, the text block's capacity). This module
writes the files (``make catalog``).

Identifiers that an agency assigns — the ISBNs, the 中图分类号 (CLC number) and the CIP 核字号 — come only from the
metadata file and are left out of every record while they are empty. Dates come from ``SOURCE_DATE_EPOCH``, never
from the clock, so the files are byte-for-byte reproducible.

Command line (``make catalog``)::

    python -m zhbook.tools.catalog --metadata source/book.toml --pdf dist/<slug>.pdf --out dist/catalog \\
        --references-from build/latex/<slug>.tex [--epub dist/<slug>.epub] [--references N]

The LaTeX file Sphinx wrote gives the references, the figures and (with the index beside it) the index;
``--references N`` overrides the count. The EPUB gives the ONIX product its accessibility features.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import datetime
from pathlib import Path

from zhbook.metadata import BookMetadata, MetadataError, load
# The package is the catalogue's public surface: the records' builders are importable from here.
from zhbook.tools.catalog.cip import (cip_differences, cip_fields, cip_latex, cip_latex_lines, cip_lines,  # noqa: F401
                                      latex_escape, parse_cip_block)
from zhbook.tools.catalog.common import (EDITIONS, CatalogError, bibliography_entry_count, build_time,  # noqa: F401
                                         pdf_extent)
from zhbook.ext.index import pinyin as pinyin_index
from zhbook.tools.catalog import cnmarc, onix
from zhbook.tools.catalog.dublin_core import dublin_core
from zhbook.tools.catalog.facts import BookFacts, measure
from zhbook.tools.catalog.jsonld import book_jsonld, jsonld_script  # noqa: F401
from zhbook.tools.catalog.marc21 import iso2709, marc_record, marc_records, marcxml  # noqa: F401


def write_catalog(meta: BookMetadata, facts: BookFacts, out: str | Path, when: datetime,
                  a11y: onix.Accessibility = onix.Accessibility(),
                  readings: pinyin_index.Readings | None = None) -> list[Path]:
    """Write every record into ``out`` (MARC 21, CNMARC, ONIX, Dublin Core, ``cip.txt``); return their paths.

    All of them state the same measured ``facts``; ``a11y`` is the EPUB's accessibility as ONIX states it,
    ``readings`` the book's pinyin readings (CNMARC $9)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    records = marc_records(meta, facts, when)
    cn_records = cnmarc.cnmarc_records(meta, facts, when, readings)
    files = {
        out / f"{meta.slug}.mrc": iso2709(records),
        out / f"{meta.slug}.xml": marcxml(records),
        out / f"{meta.slug}-cnmarc.iso": cnmarc.iso2709(cn_records),
        out / f"{meta.slug}-cnmarc.xml": cnmarc.marcxchange(cn_records),
        out / f"{meta.slug}-onix.xml": onix.onix_message(meta, facts, when, a11y),
        out / f"{meta.slug}-dc.xml": dublin_core(meta, facts.extent),
        out / "cip.txt": ("\n".join(cip_lines(meta)) + "\n").encode("utf-8"),
    }
    for path, data in files.items():
        path.write_bytes(data)
    return list(files)


def book_readings(tex: str | Path | None) -> pinyin_index.Readings | None:
    """The book's own pinyin readings (its conf.py's, as the LaTeX build wrote them beside the .tex), if any."""
    path = Path(tex).with_name(pinyin_index.READINGS_FILE) if tex else None
    if path is None or not path.is_file():
        return None
    try:
        return pinyin_index.load_readings_file(path)
    except ValueError as error:
        raise CatalogError(str(error)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhbook catalog", description=__doc__.split("\n\n")[0])
    parser.add_argument("--metadata", required=True, help="the book's metadata file (source/book.toml)")
    parser.add_argument("--pdf", required=True, help="the built print PDF, measured for the extent and the 版本记录")
    parser.add_argument("--references-from", metavar="TEX",
                        help="the LaTeX file Sphinx wrote: its bibliography entries (\\bibitem), figures and index")
    parser.add_argument("--references", type=int, help="number of entries in the bibliography (overrides TEX's)")
    parser.add_argument("--epub", help="the built EPUB, whose accessibility metadata the ONIX record states")
    parser.add_argument("--out", required=True, help="output folder (dist/catalog)")
    args = parser.parse_args(argv)
    if args.references is not None and args.references < 0:
        parser.error("--references must not be negative")
    if args.references is None and not args.references_from:
        parser.error("one of --references-from TEX or --references N is required")
    try:
        meta = load(args.metadata)
        when = build_time()
        facts = measure(args.pdf, args.references_from)
        if args.references is not None:
            facts = dataclasses.replace(facts, references=args.references)
        a11y = onix.accessibility(args.epub) if args.epub else onix.Accessibility()
        write_catalog(meta, facts, args.out, when, a11y, book_readings(args.references_from))
    except (MetadataError, CatalogError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


