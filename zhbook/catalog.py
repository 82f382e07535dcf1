"""Library catalogue records built from the book's one metadata file (``source/book.toml``).

This module owns every record a library or a search engine reads about the book:

- two MARC 21 bibliographic records, one for the print edition and one for the EPUB, written with pymarc as
  ISO 2709 (``<slug>.mrc``) and MARCXML (``<slug>.xml``); their extent (300) is read from the built PDF's page
  labels, each numbered sequence as printed (``vi, 71页``);
- an ``oai_dc`` Dublin Core record (``<slug>-dc.xml``);
- the 图书在版编目（CIP）数据 block laid out as GB/T 12451-2023 prescribes (``cip.txt``), as plain lines and as
  LaTeX-safe lines, so the copyright page prints exactly what ``cip.txt`` holds;
- the schema.org ``Book`` JSON-LD that ``zhbook.cataloguing`` puts into every HTML page.

Identifiers that an agency assigns — the ISBNs, the 中图分类号 (CLC number) and the CIP 核字号 — come only from the
metadata file and are left out of every record while they are empty. Dates come from ``SOURCE_DATE_EPOCH``, never
from the clock, so the files are byte-for-byte reproducible.

Command line (``make catalog``)::

    python -m zhbook.catalog --metadata source/book.toml --pdf dist/<slug>.pdf --out dist/catalog \\
        --references N | --references-from build/latex/<slug>.tex
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

import pymarc
import pypdf
from lxml import etree
from pymarc import Field, Indicators, Record, Subfield

from zhbook import page_geometry
from zhbook.metadata import BookMetadata, Creator, MetadataError, clc_numbers, load

# RDA 2.8.2.6 records "[Place of publication not identified]" in the language of the cataloguing agency; Chinese
# practice (and the Chinese RDA) writes it 出版地不详 in square brackets. Our records are catalogued in Chinese.
UNKNOWN_PLACE = "[出版地不详]"
MARC_COUNTRY = "cc "  # MARC country code for China (008/15-17)
PRINT_HEIGHT = page_geometry.BOOK.catalogue_height  # the print edition's height as RDA records it ("26 cm")
MARC_LANGUAGES = {"zh": "chi", "en": "eng"}  # BCP 47 primary subtag → MARC language code

# MARC relator code → relationship designator in the language of cataloguing (Chinese RDA terms). A role not
# listed here is designated by the metadata's own role_label, as the book states it.
RELATOR_TERMS = {"aut": "著者", "edt": "编者", "trl": "译者"}
SCHEMA_ROLES = {"aut": "author", "edt": "editor", "trl": "translator", "ill": "illustrator"}

CIP_HEADING = "图书在版编目（CIP）数据"
CIP_AREA_SEPARATOR = ". -- "  # ISBD area separator as GB/T 12451-2023 prints it
CIP_CLASSIFICATION_MARK = "Ⅰ. "  # retrieval data: Roman numeral one, then the CLC numbers
CIP_AGENCY_LINE = "中国国家版本馆CIP数据核字第{number}号"

EDITIONS = {
    # 020 $q qualifier, 337 and 338 (term, code), 008/23 form of item, 856 second indicator, label for people
    "print": {"qualifier": "印刷版", "media": ("无中介", "n"), "carrier": ("卷册", "nc"), "form": " ",
              "link_ind2": "2", "label": "印刷版"},
    "epub": {"qualifier": "EPUB", "media": ("计算机", "c"), "carrier": ("在线资源", "cr"), "form": "o",
             "link_ind2": "0", "label": "EPUB电子书"},
}


class CatalogError(Exception):
    """An input the catalogue cannot be built from, phrased for the person running the build."""


# ---------------------------------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------------------------------

def build_time(epoch: int | None = None) -> datetime:
    """The build's timestamp: ``epoch`` or ``SOURCE_DATE_EPOCH``, in UTC. There is no fallback to the clock."""
    if epoch is None:
        raw = os.environ.get("SOURCE_DATE_EPOCH", "")
        if not raw.strip().isdigit():
            raise CatalogError("SOURCE_DATE_EPOCH must be set to a whole number of seconds (e.g. the last commit's "
                               "time: git log -1 --format=%ct); catalogue records never take the date from the clock")
        epoch = int(raw)
    return datetime.fromtimestamp(epoch, tz=timezone.utc)


ROMAN_FOLIO = re.compile(r"[ivxlcdm]+")


def pdf_extent(pdf: str | Path) -> str:
    """The extent of the built PDF as a cataloguer records it (RDA 3.4.5.2): the last numbered page of each
    sequence, as printed, e.g. ``vi, 71`` for roman front matter and 71 arabic pages; the page count when the PDF
    carries no page labels."""
    try:
        reader = pypdf.PdfReader(str(pdf))
        labels = list(reader.page_labels)
    except (FileNotFoundError, pypdf.errors.PdfReadError) as exc:
        raise CatalogError(f"{pdf}: cannot read the PDF to count its pages: {exc}") from None
    if "/PageLabels" not in reader.root_object:
        return str(len(labels))
    sequences: list[str] = []
    previous_style = None
    for label in labels:
        style = "roman" if ROMAN_FOLIO.fullmatch(label) else "arabic" if label.isdigit() else None
        if style and style == previous_style:
            sequences[-1] = label
        elif style:
            sequences.append(label)
        previous_style = style
    return ", ".join(sequences) or str(len(labels))


def bibliography_entry_count(tex: str | Path) -> int:
    """Entries in the bibliography of a LaTeX file written by Sphinx (one ``\\bibitem`` per cited work)."""
    try:
        return len(re.findall(r"\\bibitem\b", Path(tex).read_text(encoding="utf-8")))
    except OSError as exc:
        raise CatalogError(f"{tex}: cannot read the LaTeX file to count its bibliography: {exc}") from None


def marc_language(meta: BookMetadata) -> str:
    primary = meta.language.split("-")[0]
    if primary not in MARC_LANGUAGES:
        raise CatalogError(f"{meta.path}: language: no MARC language code known for {meta.language!r}")
    return MARC_LANGUAGES[primary]


def place_of_publication(meta: BookMetadata) -> str:
    return meta.publisher_place or UNKNOWN_PLACE


def isbn_for(meta: BookMetadata, edition: str) -> str:
    return getattr(meta, f"isbn_{edition}")


def statement_of_responsibility(creators: tuple[Creator, ...]) -> str:
    """``张三, 李四编著 ; 王五译``: names sharing a role are joined by commas, roles by ISBD ' ; '."""
    groups: list[tuple[str, list[str]]] = []
    for creator in creators:
        if groups and groups[-1][0] == creator.role_label:
            groups[-1][1].append(creator.name)
        else:
            groups.append((creator.role_label, [creator.name]))
    return " ; ".join(", ".join(names) + label for label, names in groups)


def title_statement(meta: BookMetadata) -> str:
    """Title proper, other title information and statement of responsibility, ISBD-punctuated."""
    title = meta.title + (f" : {meta.subtitle}" if meta.subtitle else "")
    return f"{title} / {statement_of_responsibility(meta.creators)}"


def main_entry_creator(meta: BookMetadata) -> Creator | None:
    """The creator a record is entered under (1XX): the first author. Works led by editors go under title."""
    return next((c for c in meta.creators if c.role in ("aut", "cre")), None)


# ---------------------------------------------------------------------------------------------------------------
# MARC 21
# ---------------------------------------------------------------------------------------------------------------

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


def _fixed_field_008(meta: BookMetadata, edition: str, entered: datetime, references: int) -> str:
    parts = [
        entered.strftime("%y%m%d"),  # 00-05 date entered on file
        "s", f"{meta.year:04d}", "    ",  # 06-14 single known date
        MARC_COUNTRY,  # 15-17
        "||||",  # 18-21 illustrations: not coded
        " ",  # 22 target audience: unknown or not specified
        EDITIONS[edition]["form"],  # 23 form of item: regular print / online
        ("b" if references else " ") + "   ",  # 24-27 nature of contents: bibliographies
        "|",  # 28 government publication: not coded
        "0", "0", "|", " ",  # 29 conference, 30 festschrift, 31 index (not coded), 32 undefined
        "0", " ",  # 33 literary form: not fiction, 34 biography: none
        marc_language(meta), " ", "d",  # 35-37 language, 38 not modified, 39 cataloguing source: other
    ]
    value = "".join(parts)
    assert len(value) == 40, value
    return value


def marc_record(meta: BookMetadata, edition: str, extent: str, references: int, when: datetime) -> Record:
    """The MARC 21 record of one edition ("print" or "epub"); ``extent`` is the built PDF's (:func:`pdf_extent`)."""
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
    record.add_field(Field(tag="008", data=_fixed_field_008(meta, edition, when, references)))

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

    series_follows = "." if meta.series else ""
    if edition == "print":
        record.add_field(_field("300", "  ", "a", f"{extent}页 ;", "c", PRINT_HEIGHT + series_follows))
    else:
        record.add_field(_field("300", "  ", "a", f"1在线资源 ({extent}页)" + series_follows))
    record.add_field(_field("336", "  ", "a", "文本", "b", "txt", "2", "rdacontent"))
    record.add_field(_field("337", "  ", "a", spec["media"][0], "b", spec["media"][1], "2", "rdamedia"))
    record.add_field(_field("338", "  ", "a", spec["carrier"][0], "b", spec["carrier"][1], "2", "rdacarrier"))
    if edition == "epub":
        record.add_field(_field("347", "  ", "a", "文本文件", "b", "EPUB", "2", "rdaft"))
    if meta.series:
        record.add_field(_field("490", "0 ", "a", meta.series))
    if references:
        record.add_field(_field("504", "  ", "a", f"含参考文献{references}条."))
    record.add_field(_field("520", "  ", "a", meta.description))
    for subject in meta.subjects:
        record.add_field(_field("650", " 4", "a", subject))

    for creator in meta.creators:
        if creator is not main:
            record.add_field(_name_field(700, creator))
    if meta.url:
        record.add_field(_field("856", "4" + spec["link_ind2"], "u", meta.url))
    return record


def marc_records(meta: BookMetadata, extent: str, references: int, when: datetime) -> list[Record]:
    """The print record, then the EPUB record."""
    return [marc_record(meta, edition, extent, references, when) for edition in EDITIONS]


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


# ---------------------------------------------------------------------------------------------------------------
# Dublin Core (oai_dc)
# ---------------------------------------------------------------------------------------------------------------

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def dublin_core(meta: BookMetadata, extent: str) -> bytes:
    """An ``oai_dc`` record of the work, with both editions' ISBNs and formats."""
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")

    def add(name: str, value: str):
        etree.SubElement(root, f"{{{DC}}}{name}").text = value

    add("title", meta.title + (f"：{meta.subtitle}" if meta.subtitle else ""))
    for creator in meta.creators:
        add("creator" if creator.role in ("aut", "cre") else "contributor", creator.name)
    for subject in meta.subjects:
        add("subject", subject)
    for number in clc_numbers(meta.clc):
        add("subject", number)
    add("description", meta.description)
    add("publisher", meta.publisher)
    add("date", str(meta.year))
    add("type", "Text")
    add("format", f"{extent}页 ; {PRINT_HEIGHT}")
    add("format", "application/epub+zip")
    for edition in EDITIONS:
        if isbn_for(meta, edition):
            add("identifier", f"urn:isbn:{isbn_for(meta, edition)}")
    if meta.url:
        add("identifier", meta.url)
    add("language", meta.language)
    if meta.series:
        add("relation", meta.series)
    add("rights", meta.rights)
    etree.indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


# ---------------------------------------------------------------------------------------------------------------
# CIP block (GB/T 12451-2023)
# ---------------------------------------------------------------------------------------------------------------

def cip_fields(meta: BookMetadata) -> dict[str, str]:
    """The fields of the CIP block as printed, in order; fields with no data are absent.

    GB/T 12451-2023 prints, after the heading, the descriptive data as one ISBD paragraph — title and statement of
    responsibility, edition (a first edition states none), publication, series, ISBN — with ". -- " between areas;
    then the retrieval data as "Ⅰ. " and the CLC numbers; then the agency's line 中国国家版本馆CIP数据核字第…号.
    """
    fields = {"heading": CIP_HEADING, "title_and_responsibility": title_statement(meta)}
    if meta.edition_number > 1:
        fields["edition"] = meta.edition
    fields["publication"] = f"{place_of_publication(meta)} : {meta.publisher}, {meta.year}"
    if meta.series:
        fields["series"] = f"({meta.series})"
    if meta.isbn_print:
        fields["isbn"] = f"ISBN {meta.isbn_hyphenated('print')}"
    if clc_numbers(meta.clc):
        fields["clc"] = CIP_CLASSIFICATION_MARK + "; ".join(clc_numbers(meta.clc))
    if meta.cip_number:
        fields["cip_number"] = CIP_AGENCY_LINE.format(number=meta.cip_number)
    return fields


DESCRIPTIVE_FIELDS = ("title_and_responsibility", "edition", "publication", "series", "isbn")


def cip_parts(meta: BookMetadata) -> list[str]:
    """The paragraphs of the CIP block: heading, descriptive data, retrieval data, agency line (when assigned)."""
    fields = cip_fields(meta)
    parts = [fields["heading"], CIP_AREA_SEPARATOR.join(fields[k] for k in DESCRIPTIVE_FIELDS if k in fields)]
    parts += [fields[k] for k in ("clc", "cip_number") if k in fields]
    return parts


def cip_lines(meta: BookMetadata) -> list[str]:
    """The CIP block as lines of text: the parts separated by one empty line (what ``cip.txt`` holds)."""
    lines: list[str] = []
    for part in cip_parts(meta):
        if lines:
            lines.append("")
        lines.append(part)
    return lines


_LATEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "%": r"\%",
                   "&": r"\&", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def latex_escape(text: str) -> str:
    """Escape TeX specials and break the TeX ligatures (-- → en dash, `` '' → quotes) so text prints as written."""
    escaped = "".join(_LATEX_SPECIALS.get(ch, ch) for ch in text)
    return re.sub(r"([-`'])(?=[-`'])", r"\1{}", escaped)


def cip_latex_lines(meta: BookMetadata) -> list[str]:
    """:func:`cip_lines`, each line made safe for LaTeX (an empty string still means: leave a blank line)."""
    return [latex_escape(line) for line in cip_lines(meta)]


def cip_latex(meta: BookMetadata) -> str:
    """A ready-to-use LaTeX block: each part a paragraph flush left, its turnover lines indented two characters
    (GB/T 12451-2023, 8.3), parts a blank line apart."""
    paragraphs = [f"{{\\hangindent=2em\\hangafter=1 {latex_escape(part)}\\par}}" for part in cip_parts(meta)]
    return ("\\begingroup\\setlength{\\parindent}{0pt}\\setlength{\\parskip}{\\baselineskip}\n"
            + "\n".join(paragraphs) + "\n\\endgroup\n")


_HYPHEN_LOOKALIKES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-"})


def _compact(text: str) -> str:
    """Text without whitespace and with plain hyphens: how a CIP field is compared with a PDF's text layer, which
    adds spaces between Chinese and Latin (xeCJK), breaks lines anywhere and may give hyphens back as U+2011."""
    return re.sub(r"\s+", "", text.translate(_HYPHEN_LOOKALIKES))


def parse_cip_block(text: str) -> dict[str, str]:
    """Split the text of a CIP block (``cip.txt``, or a PDF page's text) into the fields of :func:`cip_fields`.

    Values are compacted (see :func:`_compact`); the block is taken to end at the agency line, or at the end of
    the text when the agency has assigned no number.
    """
    body = _compact(text)
    heading = re.search(r"图书在版编目[（(]CIP[）)]数据", body)
    if not heading:
        raise ValueError("no 图书在版编目（CIP）数据 heading in the text")
    fields = {"heading": heading.group(0)}
    body = body[heading.end():]
    agency = re.search(r"中国国家版本馆CIP数据核字第\w+?号", body)
    if agency:
        fields["cip_number"] = agency.group(0)
        body = body[:agency.start()]
    if "Ⅰ." in body:
        body, clc = body.rsplit("Ⅰ.", 1)
        fields["clc"] = "Ⅰ." + clc
    areas = body.split(".--")
    fields["title_and_responsibility"] = areas.pop(0)
    for area in areas:
        if area.startswith("ISBN"):
            fields["isbn"] = area
        elif area.startswith("("):
            fields["series"] = area
        elif re.search(r":.*,\d{4}(\.\d{1,2}\.?)?$", area):
            fields["publication"] = area
        else:
            fields["edition"] = area
    return fields


def cip_differences(meta: BookMetadata, page_text: str) -> list[str]:
    """How ``page_text`` (e.g. ``pdftotext`` of the copyright page) differs from the CIP block of ``cip.txt``.

    Returns the names of the fields (see :func:`cip_fields`) the page does not print, in order; if every field is
    there but the page puts something else between or around them inside the block, returns ``["block"]``. An empty
    list means the page carries the block field by field.
    """
    text, position, missing = _compact(page_text), 0, []
    for name, value in cip_fields(meta).items():
        found = text.find(_compact(value), position)
        if found < 0:
            missing.append(name)
        else:
            position = found + len(_compact(value))
    if not missing and _compact("\n".join(cip_lines(meta))) not in text:
        return ["block"]
    return missing


# ---------------------------------------------------------------------------------------------------------------
# schema.org JSON-LD
# ---------------------------------------------------------------------------------------------------------------

def _schema_agent(creator: Creator) -> dict:
    return {"@type": "Organization" if creator.corporate else "Person", "name": creator.name}


def book_jsonld(meta: BookMetadata) -> dict:
    """A schema.org ``Book`` with one ``workExample`` per edition (print, EPUB), each with its ISBN when assigned."""
    book: dict = {"@context": "https://schema.org", "@type": "Book", "name": meta.title}
    if meta.subtitle:
        book["alternativeHeadline"] = meta.subtitle
    for creator in meta.creators:
        role = SCHEMA_ROLES.get(creator.role, "contributor")
        book.setdefault(role, []).append(_schema_agent(creator))
    book["publisher"] = {"@type": "Organization", "name": meta.publisher}
    book.update({
        "inLanguage": meta.language,
        "datePublished": str(meta.year),
        "copyrightYear": meta.year,
        "copyrightNotice": meta.rights,
        "bookEdition": meta.edition,
        "description": meta.description,
    })
    if meta.keywords:
        book["keywords"] = ", ".join(meta.keywords)
    if meta.subjects:
        book["about"] = [{"@type": "Thing", "name": subject} for subject in meta.subjects]
    if meta.series:
        book["isPartOf"] = {"@type": "BookSeries", "name": meta.series}
    if meta.url:
        book["url"] = meta.url
    examples = []
    for edition in EDITIONS:
        example: dict = {"@type": "Book", "name": f"{meta.title}（{EDITIONS[edition]['label']}）",
                         "bookEdition": meta.edition, "inLanguage": meta.language}
        if edition == "epub":
            example["bookFormat"] = "https://schema.org/EBook"
            example["encodingFormat"] = "application/epub+zip"
        if isbn_for(meta, edition):
            example["@id"] = f"urn:isbn:{isbn_for(meta, edition)}"
            example["isbn"] = isbn_for(meta, edition)
        examples.append(example)
    book["workExample"] = examples
    return book


def jsonld_script(meta: BookMetadata) -> str:
    """The JSON-LD as the body of an HTML ``<script type="application/ld+json">`` (``</`` cannot end it early)."""
    text = json.dumps(book_jsonld(meta), ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/")


# ---------------------------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------------------------

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
    parser = argparse.ArgumentParser(prog="python -m zhbook.catalog", description=__doc__.split("\n\n")[0])
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


if __name__ == "__main__":
    sys.exit(main())
