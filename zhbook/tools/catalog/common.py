"""What every catalogue record shares: the editions, the build's date, and the figures measured on the built book.

- the two editions (print, EPUB) and what each record says of them (:data:`EDITIONS`);
- the build time from ``SOURCE_DATE_EPOCH`` (:func:`build_time`; never the clock);
- the extent read from the built PDF's page labels (:func:`pdf_extent`) and the number of references
  (:func:`bibliography_entry_count`);
- the descriptive pieces several records print alike: language code, place of publication, ISBN per edition,
  statement of responsibility, title statement, main entry.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pypdf

from zhbook.core import page_geometry
from zhbook.core.dates import SourceDateEpochError, source_date_epoch
from zhbook.metadata import BookMetadata, Creator

# RDA 2.8.2.6 records "[Place of publication not identified]" in the language of the cataloguing agency; Chinese
# practice (and the Chinese RDA) writes it 出版地不详 in square brackets. Our records are catalogued in Chinese.
UNKNOWN_PLACE = "[出版地不详]"
PRINT_HEIGHT = page_geometry.BOOK.catalogue_height  # the print edition's height as RDA records it ("26 cm")
MARC_LANGUAGES = {"zh": "chi", "en": "eng"}  # BCP 47 primary subtag → MARC language code

EDITIONS = {
    # 020 $q qualifier, 337 and 338 (term, code), 008/23 form of item, 856 second indicator, label for people
    "print": {"qualifier": "印刷版", "media": ("无中介", "n"), "carrier": ("卷册", "nc"), "form": " ",
              "link_ind2": "2", "label": "印刷版"},
    "epub": {"qualifier": "EPUB", "media": ("计算机", "c"), "carrier": ("在线资源", "cr"), "form": "o",
             "link_ind2": "0", "label": "EPUB电子书"},
}


class CatalogError(Exception):
    """An input the catalogue cannot be built from, phrased for the person running the build."""


def build_time(epoch: int | None = None) -> datetime:
    """The build's timestamp: ``epoch`` or ``SOURCE_DATE_EPOCH`` (:func:`zhbook.core.dates.source_date_epoch`), in
    UTC. There is no fallback to the clock."""
    if epoch is None:
        try:
            epoch = source_date_epoch()
        except SourceDateEpochError as error:
            raise CatalogError(str(error)) from None
    return datetime.fromtimestamp(epoch, tz=timezone.utc)


ROMAN_FOLIO = re.compile(r"[ivxlcdm]+")


def page_labels(pdf: str | Path) -> list[str] | None:
    """The page labels of the built PDF, one per page; None when the PDF carries none (its pages are unnamed)."""
    try:
        reader = pypdf.PdfReader(str(pdf))
        labels = list(reader.page_labels)
    except (FileNotFoundError, pypdf.errors.PdfReadError) as exc:
        raise CatalogError(f"{pdf}: cannot read the PDF to count its pages: {exc}") from None
    return labels if "/PageLabels" in reader.root_object else None


def numbered_sequences(labels: list[str]) -> list[tuple[str, str]]:
    """Each run of roman or arabic page labels as (style, last label): ``[("roman", "vi"), ("arabic", "71")]``."""
    sequences: list[tuple[str, str]] = []
    previous_style = None
    for label in labels:
        style = "roman" if ROMAN_FOLIO.fullmatch(label) else "arabic" if label.isdigit() else None
        if style and style == previous_style:
            sequences[-1] = (style, label)
        elif style:
            sequences.append((style, label))
        previous_style = style
    return sequences


def pdf_extent(pdf: str | Path) -> str:
    """The extent of the built PDF as a cataloguer records it (RDA 3.4.5.2): the last numbered page of each
    sequence, as printed, e.g. ``vi, 71`` for roman front matter and 71 arabic pages; the page count when the PDF
    carries no page labels. (:class:`zhbook.tools.catalog.facts.BookFacts` holds it with the other measures.)"""
    labels = page_labels(pdf)
    if labels is None:
        return str(len(pypdf.PdfReader(str(pdf)).pages))
    return ", ".join(last for _, last in numbered_sequences(labels)) or str(len(labels))


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

