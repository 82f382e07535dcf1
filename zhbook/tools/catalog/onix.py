"""ONIX for Books 3.1 (reference tags): the title data e-book stores and aggregators ingest, one product per edition.

This module owns ``<slug>-onix.xml``: an ``ONIXMessage`` (release 3.1, EDItEUR's namespace) with a header and two
``Product``\\ s, the print book (ProductForm BC) and the EPUB (ED, E101, EpubTechnicalProtection 00). Each carries:

- a RecordReference ``zhbook.<slug>.<edition>``; the ISBN-13 as GTIN-13 (03) and ISBN-13 (15) once assigned, else
  a proprietary identifier (01), which a store will hold until the ISBN comes;
- TitleDetail with the subtitle, the contributors with ONIX roles (A01 author, B01 editor …), EditionNumber,
  Language ``chi``;
- Extent from the measured book (:class:`zhbook.tools.catalog.facts.BookFacts`, the figures every record and the
  版本记录 state): the print book's main-content pages (00, the highest arabic folio) and front-matter pages (03,
  the roman ones); the EPUB's print-counterpart pages (08, all numbered pages);
- Subject: the keywords (scheme 20, one heading, separated by semicolons as list 27 asks) and the 中图法 class once
  assigned (scheme 88, Chinese Library Classification);
- Publisher, CountryOfPublication CN, PublishingDate (``dateformat`` 01 YYYYMM or 05 YYYY: ONIX 3.1 has no
  ``<DateFormat>`` element any more); a price (02, RRP incl. tax: the 定价) only once set, else
  UnpricedItemType 02 (price to be announced).

The EPUB's accessibility (ProductFormFeature type 09 from list 196, hazards as type 12 from list 143,
ProductContentType from list 81) is read from the built EPUB's own OPF metadata and mapped by the W3C crosswalk
"Schema.org Accessibility Properties", so the two cannot disagree; a feature the crosswalk gives no ONIX code stops
the build rather than being dropped or guessed. Without the EPUB at hand the product says 08 (not assessed).
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lxml import etree

from zhbook.core import page_geometry
from zhbook.metadata import BookMetadata, Creator, clc_numbers
from zhbook.tools.catalog.common import EDITIONS, CatalogError, isbn_for, marc_language
from zhbook.tools.catalog.facts import BookFacts

ONIX_NS = "http://ns.editeur.org/onix/3.1/reference"
ONIX_RELEASE = "3.1"
OPF_NS = "http://www.idpf.org/2007/opf"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
PROPRIETARY_ID_NAME = "zhbook record"
# MARC relator (book.toml) → ONIX contributor role (list 17).
CONTRIBUTOR_ROLES = {"aut": "A01", "cre": "A01", "edt": "B01", "trl": "B06", "ill": "A12", "com": "C01",
                     "ctb": "A32"}
OTHER_ROLE = "Z99"

# --- EPUB Accessibility 1.1 (schema.org terms in the OPF) → ONIX, per the W3C crosswalk -------------------------
FEATURES = {  # schema:accessibilityFeature → list 196
    "tableOfContents": "11", "index": "12", "readingOrder": "13", "alternativeText": "14",
    "longDescription": "15", "MathML": "17", "ChemML": "18", "pageBreakMarkers": "19", "printPageNumbers": "19",
    "synchronizedAudioText": "20", "ttsMarkup": "21", "highContrastAudio": "27", "structuralNavigation": "29",
    "ARIA": "30", "MathML-chemistry": "34", "latex": "35", "displayTransformability": "36",
    "highContrastDisplay": "37", "pageNavigation": "41", "describedMath": "53", "latex-chemistry": "54",
    "none": "09", "unknown": "08",
}
HAZARDS = {  # schema:accessibilityHazard → list 143 (ProductFormFeatureType 12)
    "none": "00", "flashing": "13", "noFlashingHazard": "14", "sound": "15", "noSoundHazard": "16",
    "motionSimulation": "17", "noMotionSimulationHazard": "18", "unknownFlashingHazard": "24",
    "unknownSoundHazard": "25", "unknownMotionSimulationHazard": "26",
}
SUFFICIENT = {"textual": "52", "auditory": "51"}  # a one-mode schema:accessModeSufficient → list 196
ACCESS_MODES = {  # schema:accessMode → ProductContentType (list 81); textual is the PrimaryContentType 10
    "visual": "07", "chartOnVisual": "19", "diagramOnVisual": "19", "mathOnVisual": "48", "chemOnVisual": "47",
    "textOnVisual": "49", "musicOnVisual": "11",
}
CONFORMANCE_11 = "EPUB Accessibility 1.1 - WCAG "  # "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
CONFORMANCE_10 = {"http://www.idpf.org/epub/a11y/accessibility-20170105.html#wcag-a": "02",
                  "http://www.idpf.org/epub/a11y/accessibility-20170105.html#wcag-aa": "03"}
WCAG_VERSIONS = {"2.0": "80", "2.1": "81", "2.2": "82"}
WCAG_LEVELS = {"A": "84", "AA": "85", "AAA": "86"}
NOT_ASSESSED = "08"


@dataclass(frozen=True)
class Accessibility:
    """The EPUB's accessibility as ONIX states it: (type, value, description) features and content types."""
    features: tuple[tuple[str, str, str], ...] = (("09", NOT_ASSESSED, ""),)
    content_types: tuple[str, ...] = field(default=())


def opf_metadata(epub: str | Path) -> dict[str, list[str]]:
    """The package-level ``<meta property=…>`` values of the EPUB's OPF (refinements left out), in order."""
    try:
        with zipfile.ZipFile(epub) as archive:
            container = etree.fromstring(archive.read("META-INF/container.xml"))
            rootfile = container.find(f".//{{{CONTAINER_NS}}}rootfile")
            opf = etree.fromstring(archive.read(rootfile.get("full-path")))
    except (OSError, KeyError, AttributeError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise CatalogError(f"{epub}: cannot read the EPUB's package document: {exc}") from None
    values: dict[str, list[str]] = {}
    for meta in opf.iter(f"{{{OPF_NS}}}meta"):
        if meta.get("property") and not meta.get("refines"):
            values.setdefault(meta.get("property"), []).append((meta.text or "").strip())
    return values


def accessibility(epub: str | Path) -> Accessibility:
    """Map the EPUB's accessibility metadata to ONIX (W3C crosswalk); fail on a term ONIX has no code for."""
    meta = opf_metadata(epub)
    features: list[tuple[str, str, str]] = []

    def unmapped(prop: str, value: str) -> CatalogError:
        return CatalogError(f"{epub}: {prop} {value!r} has no ONIX code (W3C accessibility crosswalk): the ONIX "
                            "record cannot state it; remove it from the EPUB's metadata or map it in "
                            "zhbook/tools/catalog/onix.py")

    for claim in meta.get("dcterms:conformsTo", []):
        if claim.startswith(CONFORMANCE_11):
            version, _, level = claim.removeprefix(CONFORMANCE_11).partition(" Level ")
            if version not in WCAG_VERSIONS or level not in WCAG_LEVELS:
                raise unmapped("dcterms:conformsTo", claim)
            features += [("09", "04", ""), ("09", WCAG_VERSIONS[version], ""), ("09", WCAG_LEVELS[level], "")]
        elif claim in CONFORMANCE_10:
            features.append(("09", CONFORMANCE_10[claim], ""))
        else:
            raise unmapped("dcterms:conformsTo", claim)
    for modes in meta.get("schema:accessModeSufficient", []):
        parts = [mode.strip() for mode in modes.split(",")]
        if len(parts) == 1 and parts[0] in SUFFICIENT:
            features.append(("09", SUFFICIENT[parts[0]], ""))
        # a set of several modes (textual,visual) has no ONIX equivalent in the crosswalk: nothing to state
    for feature in meta.get("schema:accessibilityFeature", []):
        if feature not in FEATURES:
            raise unmapped("schema:accessibilityFeature", feature)
        features.append(("09", FEATURES[feature], ""))
    for hazard in meta.get("schema:accessibilityHazard", []):
        if hazard not in HAZARDS:
            raise unmapped("schema:accessibilityHazard", hazard)
        features.append(("12", HAZARDS[hazard], ""))
    for summary in meta.get("schema:accessibilitySummary", []):
        features.append(("09", "00", summary))
    for certifier in meta.get("a11y:certifiedBy", []):
        features.append(("09", "90", certifier))
    if not features:
        features.append(("09", NOT_ASSESSED, ""))
    unique = sorted(set(features), key=lambda f: (f[0], f[1], f[2]))
    content = []
    for mode in meta.get("schema:accessMode", []):
        if mode in ACCESS_MODES and ACCESS_MODES[mode] not in content:
            content.append(ACCESS_MODES[mode])
        elif mode not in ACCESS_MODES and mode != "textual":
            raise unmapped("schema:accessMode", mode)
    return Accessibility(tuple(unique), tuple(content))


def _add(parent, tag: str, text: object = None, **attributes: str):
    node = etree.SubElement(parent, f"{{{ONIX_NS}}}{tag}", **attributes)
    if text is not None:
        node.text = str(text)
    return node


def _identifier(parent, meta: BookMetadata, edition: str, tag: str = "ProductIdentifier") -> None:
    isbn = isbn_for(meta, edition)
    if isbn:
        for id_type in ("03", "15"):  # GTIN-13 and ISBN-13, as the trade sends both
            node = _add(parent, tag)
            _add(node, "ProductIDType", id_type)
            _add(node, "IDValue", isbn)
    else:
        node = _add(parent, tag)
        _add(node, "ProductIDType", "01")
        _add(node, "IDTypeName", PROPRIETARY_ID_NAME)
        _add(node, "IDValue", f"{meta.slug}-{edition}")


def _contributor(parent, creator: Creator, sequence: int) -> None:
    node = _add(parent, "Contributor")
    _add(node, "SequenceNumber", sequence)
    _add(node, "ContributorRole", CONTRIBUTOR_ROLES.get(creator.role, OTHER_ROLE))
    _add(node, "CorporateName" if creator.corporate else "PersonName", creator.name)


def _extent(parent, extent_type: str, pages: int) -> None:
    node = _add(parent, "Extent")
    _add(node, "ExtentType", extent_type)
    _add(node, "ExtentValue", pages)
    _add(node, "ExtentUnit", "03")  # pages


def publishing_date(meta: BookMetadata) -> tuple[str, str]:
    """(date, list 55 format): ``202603`` as 01 (YYYYMM) once the month is set, else ``2026`` as 05."""
    return (f"{meta.year:04d}{meta.month:02d}", "01") if meta.month else (f"{meta.year:04d}", "05")


def product(meta: BookMetadata, edition: str, facts: BookFacts, a11y: Accessibility):
    """The ``<Product>`` of one edition."""
    node = etree.Element(f"{{{ONIX_NS}}}Product")
    _add(node, "RecordReference", f"zhbook.{meta.slug}.{edition}")
    _add(node, "NotificationType", "03")  # confirmed: made from the built book
    _identifier(node, meta, edition)

    detail = _add(node, "DescriptiveDetail")
    _add(detail, "ProductComposition", "00")  # single-component retail product
    if edition == "print":
        _add(detail, "ProductForm", "BC")  # paperback
    else:
        _add(detail, "ProductForm", "ED")  # digital download
        _add(detail, "ProductFormDetail", "E101")  # EPUB
        for feature_type, value, description in a11y.features:
            feature = _add(detail, "ProductFormFeature")
            _add(feature, "ProductFormFeatureType", feature_type)
            _add(feature, "ProductFormFeatureValue", value)
            if description:
                _add(feature, "ProductFormFeatureDescription", description, language=marc_language(meta))
    _add(detail, "PrimaryContentType", "10")  # text (eye-readable)
    for content_type in (a11y.content_types if edition == "epub" else (("07",) if facts.has_figures else ())):
        _add(detail, "ProductContentType", content_type)
    if edition == "print":
        geometry = page_geometry.BOOK
        for measure_type, value in (("01", geometry.height), ("02", geometry.width)):
            measure = _add(detail, "Measure")
            _add(measure, "MeasureType", measure_type)
            _add(measure, "Measurement", f"{value:g}")
            _add(measure, "MeasureUnitCode", "mm")
    else:
        _add(detail, "EpubTechnicalProtection", "00")  # none
    if meta.series:
        collection = _add(detail, "Collection")
        _add(collection, "CollectionType", "10")  # publisher collection
        title = _add(collection, "TitleDetail")
        _add(title, "TitleType", "01")
        element = _add(title, "TitleElement")
        _add(element, "TitleElementLevel", "02")  # collection level
        _add(element, "TitleText", meta.series)
    else:
        _add(detail, "NoCollection")
    title = _add(detail, "TitleDetail")
    _add(title, "TitleType", "01")
    element = _add(title, "TitleElement")
    _add(element, "TitleElementLevel", "01")
    _add(element, "TitleText", meta.title)
    if meta.subtitle:
        _add(element, "Subtitle", meta.subtitle)
    for sequence, creator in enumerate(meta.creators, 1):
        _contributor(detail, creator, sequence)
    _add(detail, "EditionNumber", meta.edition_number)
    language = _add(detail, "Language")
    _add(language, "LanguageRole", "01")
    _add(language, "LanguageCode", marc_language(meta))
    if edition == "print":
        _extent(detail, "00", facts.main_content_pages)
        if facts.front_matter_pages:
            _extent(detail, "03", facts.front_matter_pages)
    else:
        _extent(detail, "08", facts.content_pages)
    for number in clc_numbers(meta.clc)[:1]:
        subject = _add(detail, "Subject")
        _add(subject, "MainSubject")
        _add(subject, "SubjectSchemeIdentifier", "88")  # Chinese Library Classification
        _add(subject, "SubjectCode", number)
    for number in clc_numbers(meta.clc)[1:]:
        subject = _add(detail, "Subject")
        _add(subject, "SubjectSchemeIdentifier", "88")
        _add(subject, "SubjectCode", number)
    if meta.keywords:
        subject = _add(detail, "Subject")
        _add(subject, "SubjectSchemeIdentifier", "20")  # keywords
        _add(subject, "SubjectHeadingText", "; ".join(meta.keywords))

    collateral = _add(node, "CollateralDetail")
    text = _add(collateral, "TextContent")
    _add(text, "TextType", "03")  # description
    _add(text, "ContentAudience", "00")  # unrestricted
    _add(text, "Text", meta.description, language=marc_language(meta))

    publishing = _add(node, "PublishingDetail")
    publisher = _add(publishing, "Publisher")
    _add(publisher, "PublishingRole", "01")
    _add(publisher, "PublisherName", meta.publisher)
    if meta.publisher_place:
        _add(publishing, "CityOfPublication", meta.publisher_place)
    _add(publishing, "CountryOfPublication", "CN")
    _add(publishing, "PublishingStatus", "04")  # active
    date, date_format = publishing_date(meta)
    when = _add(publishing, "PublishingDate")
    _add(when, "PublishingDateRole", "01")  # publication date
    _add(when, "Date", date, dateformat=date_format)

    if edition == "epub":
        related = _add(node, "RelatedMaterial")
        source = _add(related, "RelatedProduct")
        _add(source, "ProductRelationCode", "13")  # e-publication based on (print product)
        _identifier(source, meta, "print")

    supply = _add(node, "ProductSupply")
    territory = _add(_add(supply, "Market"), "Territory")
    _add(territory, "RegionsIncluded", "WORLD")
    supply_detail = _add(supply, "SupplyDetail")
    supplier = _add(supply_detail, "Supplier")
    _add(supplier, "SupplierRole", "01")  # publisher to retailers
    _add(supplier, "SupplierName", meta.publisher)
    _add(supply_detail, "ProductAvailability", "20")  # available
    if meta.price and edition == "print":  # the 定价 is the printed book's price
        price = _add(supply_detail, "Price")
        _add(price, "PriceType", "02")  # RRP including tax
        _add(price, "PriceAmount", meta.price)
        _add(price, "CurrencyCode", meta.currency)
        _add(price, "PrintedOnProduct", "02")  # printed on the book (the 版权页's 定价)
    else:
        _add(supply_detail, "UnpricedItemType", "02")  # price to be announced
    return node


def onix_message(meta: BookMetadata, facts: BookFacts, when: datetime,
                 a11y: Accessibility = Accessibility()) -> bytes:
    """The ONIX message: header (sender, SOURCE_DATE_EPOCH), the print product, the EPUB product."""
    root = etree.Element(f"{{{ONIX_NS}}}ONIXMessage", nsmap={None: ONIX_NS}, release=ONIX_RELEASE)
    header = _add(root, "Header")
    _add(_add(header, "Sender"), "SenderName", meta.publisher)
    _add(header, "SentDateTime", when.strftime("%Y%m%dT%H%M%SZ"))
    _add(header, "DefaultLanguageOfText", marc_language(meta))
    for edition in EDITIONS:
        root.append(product(meta, edition, facts, a11y))
    etree.indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
