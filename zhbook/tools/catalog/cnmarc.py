"""CNMARC bibliographic records (中国机读目录格式), one per edition, as ISO 2709 and as MarcXchange XML.

CNMARC is the UNIMARC-based format Chinese libraries catalogue in: WH/T 0503-96 and its 使用手册, now the national
standard GB/T 33286-2016 《中国机读书目格式》. Where the rules allow two forms, the records follow the practice of
the 国家图书馆 (NLC), as its records show it:

- leader ``nam0``, directory map ``450 ``; 100 with the character set ``50`` (ISO 10646) and the script ``ea``;
- 200 ``$a`` title, ``$9`` its pinyin (lower case, no tones, a space between syllables), ``$b`` the general
  material designation (专著; 电子资源 for the EPUB), ``$e`` subtitle, ``$f`` names followed by their role
  (``《公共政策分析》编写组编著``), ``$g`` each further role;
- no 205 for a first edition (《中国文献编目规则》 2.2.1.1: 初版不予著录), ``N版`` from the second;
- 215 ``vi,71页`` (no space after the comma), ``26cm`` (no space);
- 7XX ``$4`` the responsibility in Chinese (编著, 主编), as NLC writes it, not UNIMARC's numeric relator code;
  authors and editors in 701/711, other contributors in 702/712; 701 with ``$9`` pinyin;
- subjects in 610 (uncontrolled terms): the metadata's subjects are the book's own terms, not headings of the
  《中国分类主题词表》 that 606 is for;
- 690 ``$a`` the 中图法 class, ``$v5`` (its 5th edition), only once assigned; 010 only once an ISBN or a price
  is set (``$dCNY48.00``).

Figures measured on the built book (105, 215, 320) come from :class:`zhbook.tools.catalog.facts.BookFacts`, the
same ones the MARC 21 records, the ONIX record and the 版本记录 state. pymarc writes the records; the XML is
MarcXchange (ISO 25577, ``format="CNMARC"``), because MARC21slim's schema refuses a UNIMARC leader.
"""
from __future__ import annotations

import math
from datetime import datetime

from lxml import etree
from pymarc import Field, Indicators, Record, Subfield
from pymarc.leader import Leader

from zhbook.core import page_geometry
from zhbook.ext.index import pinyin as pinyin_index
from zhbook.metadata import BookMetadata, Creator, clc_numbers
from zhbook.tools.catalog.common import EDITIONS, UNKNOWN_PLACE, CatalogError, isbn_for, marc_language
from zhbook.tools.catalog.facts import BookFacts

# Leader: n new, a language material, m monograph, 0 no hierarchy; 09 blank (type of control, not a character
# set); 17 '3' less than full level (a publisher's record, no authority work, as the MARC 21 record's '7');
# 18 blank full ISBD; 20-23 the directory map '450 '.
LEADER = "00000nam0 22000003  450 "
assert len(LEADER) == 24 and LEADER[17] == "3" and LEADER[20:] == "450 "
MARCXCHANGE_NS = "info:lc/xmlns/marcxchange-v1"
MARCXCHANGE_FORMAT = "CNMARC"
CLC_EDITION = "5"  # 690 $v: the 中图法 edition the class is taken from
# 200 $b, the general material designation of each edition.
MATERIAL = {"print": "专著", "epub": "电子资源"}
# Roles whose holders share the main responsibility (701/711, NLC's 等同知识责任); others are secondary (702/712).
PRIMARY_ROLES = {"aut", "cre", "edt", "com"}
# 7XX $4 when the metadata states no role label: the Chinese term NLC writes for the MARC relator.
ROLE_TERMS = {"aut": "著", "cre": "著", "edt": "主编", "com": "编", "trl": "译", "ill": "绘", "ctb": "参编"}
# 135 $a of the EPUB: d text, r remote, then the colour (c multicoloured, a one colour: measured), n dimensions
# n/a, blank no sound, mmm mixed bit depth, a one file format, n no quality target, n born digital, b lossless
# compression (ZIP), n reformatting n/a.
EPUB_CODED_DATA = "dr{colour}n mmmannbn"


def pinyin(text: str, readings: pinyin_index.Readings | None = None) -> str:
    """NLC's ``$9``: the reading of the Chinese characters, lower case, toneless, one space between syllables
    (``gou jian fu wu xing zheng fu``). ``readings`` are the index's (pypinyin's, with the book's own readings of
    phrases from its conf.py, as the LaTeX build wrote them); pypinyin's alone by default."""
    readings = readings or pinyin_index.readings_of()
    return " ".join(unit.letters for unit in readings.units(text) if unit.tone)


def _field(tag: str, ind: str, *pairs: str) -> Field:
    subfields = [Subfield(code=pairs[i], value=pairs[i + 1]) for i in range(0, len(pairs), 2)]
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=subfields)


def field_100(meta: BookMetadata, entered: datetime) -> str:
    """100 $a, general processing data: the 36 positions."""
    value = "".join([
        entered.strftime("%Y%m%d"),  # 0-7 date entered on file (SOURCE_DATE_EPOCH)
        "d",  # 8 type of publication date: monograph complete when issued
        f"{meta.year:04d}", "    ",  # 9-12 date 1, 13-16 date 2 (none)
        "em ",  # 17-19 target audience: NLC writes 'em ' for books for adults
        "y",  # 20 government publication: not one
        "0",  # 21 modified record: no characters replaced
        marc_language(meta),  # 22-24 language of cataloguing
        "y",  # 25 transliteration code: as NLC writes it (the pinyin goes in $9)
        "50  ",  # 26-29 character sets: ISO 10646 (Unicode), no G1
        "    ",  # 30-33 additional character sets: none
        "ea",  # 34-35 script of title: Chinese
    ])
    assert len(value) == 36, value
    return value


def field_105(facts: BookFacts) -> str:
    """105 $a, coded data for books: the 13 positions, from the measured facts (as MARC 21 008/18-21 and /31)."""
    value = "".join([
        ("a" if facts.has_figures else "y").ljust(4),  # 0-3 illustrations: a illustrations, y none
        ("a" if facts.references else "").ljust(4),  # 4-7 form of contents: a bibliography
        "0",  # 8 conference or meeting: no
        "0",  # 9 commemorative volume: no
        "1" if facts.has_index else "0",  # 10 index
        "y",  # 11 literature code: not a literary text
        "y",  # 12 biography code: no biographical material
    ])
    assert len(value) == 13, value
    return value


def height_cm(geometry: page_geometry.PageGeometry = page_geometry.BOOK) -> str:
    """215 $d: the height in whole centimetres, rounded up, written as NLC does (``26cm``)."""
    return f"{math.ceil(round(geometry.height / 10, 6))}cm"


def extent_statement(facts: BookFacts, edition: str) -> str:
    """215 $a: ``vi,71页``; the EPUB ``1在线资源(vi,71页)``."""
    pages = facts.extent.replace(", ", ",") + "页"
    return pages if edition == "print" else f"1在线资源({pages})"


def bibliography_note(facts: BookFacts) -> str:
    """320 $a: ``有书目(含参考文献78条)和索引``; "" when the book has neither."""
    if facts.references:
        return f"有书目(含参考文献{facts.references}条)" + ("和索引" if facts.has_index else "")
    return "有索引" if facts.has_index else ""


def responsibility(creators: tuple[Creator, ...]) -> tuple[str, list[str]]:
    """200 $f and the $g that follow: names sharing a role joined by '，', each group followed by its role."""
    groups: list[tuple[str, list[str]]] = []
    for creator in creators:
        term = creator.role_label or ROLE_TERMS.get(creator.role, "")
        if groups and groups[-1][0] == term:
            groups[-1][1].append(creator.name)
        else:
            groups.append((term, [creator.name]))
    statements = ["，".join(names) + term for term, names in groups]
    return statements[0], statements[1:]


def _name_field(creator: Creator, readings: pinyin_index.Readings | None) -> Field:
    term = creator.role_label or ROLE_TERMS.get(creator.role, "")
    primary = creator.role in PRIMARY_ROLES
    if creator.corporate:
        # ind1 0 corporate body (not a meeting), ind2 2 name in direct order.
        return _field("711" if primary else "712", "02", "a", creator.name, "4", term)
    # ind2 0: a Chinese name in direct order, surname first.
    return _field("701" if primary else "702", " 0", "a", creator.name, "9", pinyin(creator.name, readings),
                  "4", term)


def cnmarc_record(meta: BookMetadata, edition: str, facts: BookFacts, when: datetime,
                  readings: pinyin_index.Readings | None = None) -> Record:
    """The CNMARC record of one edition ("print" or "epub"); ``readings`` give the pinyin of $9."""
    if edition not in EDITIONS:
        raise ValueError(f"unknown edition {edition!r}")
    # to_unicode=False keeps leader/09 blank (pymarc would write MARC 21's 'a' there); force_utf8 still writes
    # UTF-8. The leader is set after construction: Record(leader=…) would put MARC 21's '4500' into 20-23.
    record = Record(to_unicode=False, force_utf8=True)
    record.leader = Leader(LEADER)
    record.add_field(Field(tag="001", data=f"{meta.slug}-{edition}"))
    record.add_field(Field(tag="005", data=when.strftime("%Y%m%d%H%M%S.0")))

    isbn = isbn_for(meta, edition)
    price = meta.price if edition == "print" else ""  # the 定价 is the printed book's
    if isbn or price:
        pairs = ["a", meta.isbn_hyphenated(edition)] if isbn else []
        record.add_field(_field("010", "  ", *pairs, *(["d", f"{meta.currency}{price}"] if price else [])))

    record.add_field(_field("100", "  ", "a", field_100(meta, when)))
    record.add_field(_field("101", "0 ", "a", marc_language(meta)))
    record.add_field(_field("102", "  ", "a", "CN", *(["b", meta.publisher_place_code]
                                                       if meta.publisher_place_code else [])))
    record.add_field(_field("105", "  ", "a", field_105(facts)))
    # 106 form of item: r regular print; s electronic for the EPUB (UNIMARC's code; its detail is in 135).
    record.add_field(_field("106", "  ", "a", "r" if edition == "print" else "s"))
    if edition == "epub":
        record.add_field(_field("135", "  ", "a", EPUB_CODED_DATA.format(colour="c" if facts.in_colour else "a")))

    first, further = responsibility(meta.creators)
    title = ["a", meta.title, "9", pinyin(meta.title, readings), "b", MATERIAL[edition]]
    if meta.subtitle:
        title += ["e", meta.subtitle]
    title += ["f", first]
    for statement in further:
        title += ["g", statement]
    record.add_field(_field("200", "1 ", *title))
    if meta.edition_number > 1:
        record.add_field(_field("205", "  ", "a", f"{meta.edition_number}版"))
    date = f"{meta.year}.{meta.month}" if meta.month else str(meta.year)
    record.add_field(_field("210", "  ", "a", meta.publisher_place or UNKNOWN_PLACE, "c", meta.publisher,
                            "d", date))
    physical = ["a", extent_statement(facts, edition)]
    if facts.has_figures:
        physical += ["c", "图"]
    if edition == "print":
        physical += ["d", height_cm()]
    record.add_field(_field("215", "  ", *physical))
    if meta.series:
        # 225 ind1 2: the series as it will be traced (410).
        record.add_field(_field("225", "2 ", "a", meta.series))
    if bibliography_note(facts):
        record.add_field(_field("320", "  ", "a", bibliography_note(facts)))
    record.add_field(_field("330", "  ", "a", meta.description))
    if meta.series:
        # 410 embeds the series' own 200 field: $1 followed by its tag and indicators.
        record.add_field(_field("410", " 0", "1", "2001 ", "a", meta.series))
    for subject in meta.subjects:
        record.add_field(_field("610", "0 ", "a", subject))
    for number in clc_numbers(meta.clc):
        record.add_field(_field("690", "  ", "a", number, "v", CLC_EDITION))
    for creator in meta.creators:
        record.add_field(_name_field(creator, readings))
    # 801 ind2 0: original cataloguing agency — the publisher that makes this record, dated by the build.
    record.add_field(_field("801", " 0", "a", "CN", "b", meta.publisher, "c", when.strftime("%Y%m%d")))
    if meta.url:
        record.add_field(_field("856", "4 ", "u", meta.url))
    return record


def cnmarc_records(meta: BookMetadata, facts: BookFacts, when: datetime,
                   readings: pinyin_index.Readings | None = None) -> list[Record]:
    """The print record, then the EPUB record."""
    return [cnmarc_record(meta, edition, facts, when, readings) for edition in EDITIONS]


def iso2709(records: list[Record]) -> bytes:
    data = b"".join(record.as_marc() for record in records)
    for record in records:
        if record.as_marc()[9:10] != b" ":
            raise CatalogError("CNMARC leader/09 must stay blank")  # pymarc's MARC 21 habit, see cnmarc_record
    return data


def marcxchange(records: list[Record]) -> bytes:
    """The records as a MarcXchange collection (ISO 25577), each named ``format="CNMARC" type="Bibliographic"``,
    its leader the ISO 2709 one (with the record's real length and base address)."""
    def element(parent, name: str, text: str | None = None, **attributes: str):
        node = etree.SubElement(parent, f"{{{MARCXCHANGE_NS}}}{name}", **attributes)
        node.text = text
        return node

    root = etree.Element(f"{{{MARCXCHANGE_NS}}}collection", nsmap={None: MARCXCHANGE_NS})
    for record in records:
        node = element(root, "record", format=MARCXCHANGE_FORMAT, type="Bibliographic")
        element(node, "leader", record.as_marc()[:24].decode("ascii"))
        for field in record.fields:
            if field.is_control_field():
                element(node, "controlfield", field.data, tag=field.tag)
            else:
                data = element(node, "datafield", tag=field.tag, ind1=field.indicator1, ind2=field.indicator2)
                for subfield in field.subfields:
                    element(data, "subfield", subfield.value, code=subfield.code)
    etree.indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
