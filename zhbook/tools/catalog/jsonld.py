"""The schema.org ``Book`` JSON-LD of the work, with one ``workExample`` per edition (the HTML carries it)."""

from __future__ import annotations

import json

from zhbook.metadata import BookMetadata, Creator
from zhbook.tools.catalog.common import EDITIONS, isbn_for

SCHEMA_ROLES = {"aut": "author", "edt": "editor", "trl": "translator", "ill": "illustrator"}

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

