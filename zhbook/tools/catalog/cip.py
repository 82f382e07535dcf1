"""The 图书在版编目（CIP）数据 block as GB/T 12451-2023 lays it out, as text and as LaTeX, and how to read it back
from a page of the PDF."""

from __future__ import annotations

import re

from zhbook.metadata import BookMetadata, clc_numbers
from zhbook.tools.catalog.common import place_of_publication, title_statement

CIP_HEADING = "图书在版编目（CIP）数据"
CIP_AREA_SEPARATOR = ". -- "  # ISBD area separator as GB/T 12451-2023 prints it
CIP_CLASSIFICATION_MARK = "Ⅰ. "  # retrieval data: Roman numeral one, then the CLC numbers
CIP_AGENCY_LINE = "中国国家版本馆CIP数据核字第{number}号"

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

