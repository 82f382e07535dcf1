"""The ``oai_dc`` Dublin Core record of the work, with both editions' ISBNs and formats."""

from __future__ import annotations

from lxml import etree

from zhbook.metadata import BookMetadata, clc_numbers
from zhbook.tools.catalog.common import EDITIONS, PRINT_HEIGHT, isbn_for

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

