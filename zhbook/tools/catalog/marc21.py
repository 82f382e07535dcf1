"""MARC 21 bibliographic records, one per edition, written with pymarc as ISO 2709 and MARCXML.

The figures measured on the built book — the extent and illustrations (300), the illustration and index codes
(008/18-21, 008/31), the bibliography (008/24-27, 504) — come from :class:`zhbook.tools.catalog.facts.BookFacts`,
the same facts the CNMARC 105/215/320, the ONIX Extent and the 版本记录 state.
"""

from __future__ import annotations

import io
from datetime import datetime

import pymarc
from lxml import etree
from pymarc import Field, Indicators, Record, Subfield

from zhbook.metadata import BookMetadata, Creator, clc_numbers
from zhbook.tools.catalog.common import (EDITIONS, PRINT_HEIGHT, isbn_for, main_entry_creator, marc_language,
                                         place_of_publication, statement_of_responsibility)
from zhbook.tools.catalog.facts import BookFacts

MARC_COUNTRY = "cc "  # MARC country code for China (008/15-17)
# MARC relator code → relationship designator in the language of cataloguing (Chinese RDA terms). A role not
# listed here is designated by the metadata's own role_label, as the book states it.
RELATOR_TERMS = {"aut": "著者", "edt": "编者", "trl": "译者"}

def _field(tag: str, ind: str, *pairs: str) -> Field:
    """A data field from an indicator string (``"10"``) and alternating subfield codes and values."""
    subfields = [Subfield(code=pairs[i], value=pairs[i + 1]) for i in range(0, len(pairs), 2)]
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=subfields)


def _name_field(tag_base: int, creator: Creator) -> Field:
    """100/110 (main entry) or 700/710 (added entry) with relator term ($e) and code ($4)."""
    term = RELATOR_TERMS.get(creator.role, creator.role_label)
    if creator.corporate:
        tag, ind1 = str(tag_base + 10), "2"  # 2: name in direct order
    else:
        # Chinese personal names are written surname first without a comma: indicator 0 (forename form) unless
        # the metadata writes an inverted "Surname, Forename".
        tag, ind1 = str(tag_base), ("1" if "," in creator.name else "0")
    pairs = ["a", f"{creator.name},"] if term else ["a", creator.name]
    if term:
        pairs += ["e", f"{term}."]
    pairs += ["4", creator.role]
    return _field(tag, ind1 + " ", *pairs)


def _fixed_field_008(meta: BookMetadata, edition: str, entered: datetime, facts: BookFacts) -> str:
    parts = [
        entered.strftime("%y%m%d"),  # 00-05 date entered on file
        "s", f"{meta.year:04d}", "    ",  # 06-14 single known date
        MARC_COUNTRY,  # 15-17
        ("a" if facts.has_figures else "").ljust(4),  # 18-21 illustrations: a illustrations; blanks for none
        " ",  # 22 target audience: unknown or not specified
        EDITIONS[edition]["form"],  # 23 form of item: regular print / online
        ("b" if facts.references else " ") + "   ",  # 24-27 nature of contents: bibliographies
        "|",  # 28 government publication: not coded
        "0", "0", "1" if facts.has_index else "0", " ",  # 29 conference, 30 festschrift, 31 index, 32 undefined
        "0", " ",  # 33 literary form: not fiction, 34 biography: none
        marc_language(meta), " ", "d",  # 35-37 language, 38 not modified, 39 cataloguing source: other
    ]
    value = "".join(parts)
    assert len(value) == 40, value
    return value


def marc_record(meta: BookMetadata, edition: str, facts: BookFacts, when: datetime) -> Record:
    """The MARC 21 record of one edition ("print" or "epub"), with the figures measured on the built book."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}")
    spec = EDITIONS[edition]
    language = marc_language(meta)
    # Leader: new record, language material, monograph, Unicode, minimal level (publisher-supplied, no authority
    # work), ISBD punctuation included.
    record = Record(force_utf8=True, leader="00000nam a22000007i 4500")

    record.add_field(Field(tag="001", data=f"{meta.slug}-{edition}"))
    record.add_field(Field(tag="005", data=when.strftime("%Y%m%d%H%M%S.0")))
    if edition == "epub":
        record.add_field(Field(tag="006", data="m     o  d        "))  # online text document
        record.add_field(Field(tag="007", data="cr |n|||||||||"))  # remote electronic resource
    record.add_field(Field(tag="008", data=_fixed_field_008(meta, edition, when, facts)))

    # This edition's ISBN first, then the other edition's, each qualified (MARC 21 020 $q).
    for fmt in sorted(EDITIONS, key=lambda f: f != edition):
        if isbn_for(meta, fmt):
            record.add_field(_field("020", "  ", "a", isbn_for(meta, fmt), "q", EDITIONS[fmt]["qualifier"]))

    record.add_field(_field("040", "  ", "a", meta.publisher, "b", language, "e", "rda", "c", meta.publisher))
    record.add_field(_field("041", "0 ", "a", language))
    for number in clc_numbers(meta.clc):
        record.add_field(_field("084", "  ", "a", number, "2", "clc"))

    main = main_entry_creator(meta)
    if main:
        record.add_field(_name_field(100, main))

    title_pairs = ["a", meta.title + (" :" if meta.subtitle else " /")]
    if meta.subtitle:
        title_pairs += ["b", f"{meta.subtitle} /"]
    title_pairs += ["c", statement_of_responsibility(meta.creators) + "."]
    record.add_field(_field("245", ("1" if main else "0") + "0", *title_pairs))
    record.add_field(_field("250", "  ", "a", meta.edition))
    record.add_field(_field("264", " 1", "a", f"{place_of_publication(meta)} :", "b", f"{meta.publisher},",
                            "c", f"{meta.year}."))

    # 300: extent, then illustrative content ($b 图, RDA 7.15) and dimensions, ISBD-punctuated.
    series_follows = "." if meta.series else ""
    extent = facts.extent
    if edition == "print":
        pairs = ["a", f"{extent}页 " + (":" if facts.has_figures else ";")]
        if facts.has_figures:
            pairs += ["b", "图 ;"]
        record.add_field(_field("300", "  ", *pairs, "c", PRINT_HEIGHT + series_follows))
    else:
        pairs = ["a", f"1在线资源 ({extent}页)" + (" :" if facts.has_figures else series_follows)]
        if facts.has_figures:
            pairs += ["b", "图" + series_follows]
        record.add_field(_field("300", "  ", *pairs))
    record.add_field(_field("336", "  ", "a", "文本", "b", "txt", "2", "rdacontent"))
    record.add_field(_field("337", "  ", "a", spec["media"][0], "b", spec["media"][1], "2", "rdamedia"))
    record.add_field(_field("338", "  ", "a", spec["carrier"][0], "b", spec["carrier"][1], "2", "rdacarrier"))
    if edition == "epub":
        record.add_field(_field("347", "  ", "a", "文本文件", "b", "EPUB", "2", "rdaft"))
    if meta.series:
        record.add_field(_field("490", "0 ", "a", meta.series))
    if facts.references:
        record.add_field(_field("504", "  ", "a", f"含参考文献{facts.references}条" + ("和索引." if facts.has_index
                                                                                    else ".")))
    record.add_field(_field("520", "  ", "a", meta.description))
    for subject in meta.subjects:
        record.add_field(_field("650", " 4", "a", subject))

    for creator in meta.creators:
        if creator is not main:
            record.add_field(_name_field(700, creator))
    if meta.url:
        record.add_field(_field("856", "4" + spec["link_ind2"], "u", meta.url))
    return record


def marc_records(meta: BookMetadata, facts: BookFacts, when: datetime) -> list[Record]:
    """The print record, then the EPUB record."""
    return [marc_record(meta, edition, facts, when) for edition in EDITIONS]


def iso2709(records: list[Record]) -> bytes:
    return b"".join(record.as_marc() for record in records)


def marcxml(records: list[Record]) -> bytes:
    """A MARCXML collection written by pymarc, indented for people who open it."""
    buffer = io.BytesIO()
    writer = pymarc.XMLWriter(buffer)
    for record in records:
        writer.write(record)
    writer.close(close_fh=False)
    root = etree.fromstring(buffer.getvalue())
    etree.indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"

