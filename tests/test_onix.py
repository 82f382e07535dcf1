"""The ONIX for Books 3.1 message (zhbook.tools.catalog.onix) as a store or an aggregator ingests it (issue 16).

The message is validated against EDItEUR's own schemas, the XSD and the RelaxNG for ONIX 3.1 with reference tags
that the pinned onixcheck package ships, with lxml directly (onixcheck itself adds a missing namespace and would
pass a file a store refuses). The EPUB's accessibility features are read from a small EPUB made here, whose
package metadata is written in the test.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import onixcheck
import pikepdf
import pytest
from lxml import etree

from zhbook.metadata import load
from zhbook.tools import catalog
from zhbook.tools.catalog import onix
from zhbook.tools.catalog.common import CatalogError

DATA = Path(__file__).parent / "data"
FULL = DATA / "book-full.toml"
BARE = DATA / "book-bare.toml"
EPOCH = 1767268800  # 2026-01-01T12:00:00Z
NS = {"o": "http://ns.editeur.org/onix/3.1/reference"}
SCHEMAS = Path(onixcheck.__file__).parent / "schema"

# The EPUB Accessibility 1.1 metadata of the test EPUB, and what ONIX states for it (W3C crosswalk).
A11Y_META = [
    ("schema:accessMode", "textual"), ("schema:accessMode", "visual"),
    ("schema:accessModeSufficient", "textual"), ("schema:accessModeSufficient", "textual,visual"),
    ("schema:accessibilityFeature", "structuralNavigation"), ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "alternativeText"), ("schema:accessibilityFeature", "pageBreakMarkers"),
    ("schema:accessibilityHazard", "none"),
    ("schema:accessibilitySummary", "本书为可重排的电子书。"),
    ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"),
    ("a11y:certifiedBy", "示例编写组"),
]
A11Y_ONIX = {  # (ProductFormFeatureType, value, description)
    ("09", "00", "本书为可重排的电子书。"),  # summary
    ("09", "04", ""), ("09", "81", ""), ("09", "85", ""),  # EPUB Accessibility 1.1, WCAG 2.1, level AA
    ("09", "29", ""), ("09", "11", ""), ("09", "14", ""), ("09", "19", ""),  # the four features
    ("09", "52", ""),  # all content readable as text alone
    ("09", "90", "示例编写组"),  # certified by
    ("12", "00", ""),  # no hazard
}


def make_epub(path: Path, metas: list[tuple[str, str]]) -> Path:
    opf = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata>'
           '<meta refines="#title" property="title-type">main</meta>'
           + "".join(f'<meta property="{p}">{v}</meta>' for p, v in metas)
           + "</metadata></package>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("META-INF/container.xml",
                         '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                         '<rootfiles><rootfile full-path="OEBPS/content.opf" '
                         'media-type="application/oebps-package+xml"/></rootfiles></container>')
        archive.writestr("OEBPS/content.opf", opf)
    return path


def labelled_pdf(path: Path) -> Path:
    pdf = pikepdf.new()
    for _ in range(77):
        pdf.add_blank_page(page_size=(524, 737))
    pdf.Root.PageLabels = pikepdf.Dictionary(Nums=[0, pikepdf.Dictionary(S=pikepdf.Name.r),
                                                   6, pikepdf.Dictionary(S=pikepdf.Name.D)])
    pdf.save(path)
    return path


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    return EPOCH


def build(tmp_path: Path, metadata: Path, metas=A11Y_META, epub: bool = True) -> etree._ElementTree:
    """Run the catalogue command as the Makefile does; return the parsed ONIX file."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    out = tmp_path / "catalog"
    args = ["--metadata", str(metadata), "--pdf", str(labelled_pdf(tmp_path / "book.pdf")), "--references", "3",
            "--out", str(out)]
    if epub:
        args += ["--epub", str(make_epub(tmp_path / "book.epub", metas))]
    assert catalog.main(args) == 0
    return etree.parse(str(out / f"{load(metadata).slug}-onix.xml"))


def schema_errors(document) -> list[str]:
    """What EDItEUR's XSD and RelaxNG for ONIX 3.1 (reference tags) say about ``document``."""
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / "xsd3.1" / "ONIX_BookProduct_3.1_reference.xsd")))
    rng = etree.RelaxNG(etree.parse(str(SCHEMAS / "rng3.1" / "ONIX_BookProduct_3.1_reference.rng")))
    errors = []
    for name, validator in (("xsd", xsd), ("rng", rng)):
        if not validator.validate(document):
            errors += [f"{name} line {e.line}: {e.message}" for e in validator.error_log]
    return errors


def products(document) -> dict[str, etree._Element]:
    return {p.findtext("o:RecordReference", namespaces=NS).rsplit(".", 1)[1]: p
            for p in document.getroot().findall("o:Product", NS)}


def texts(node, path: str) -> list[str]:
    return [e.text for e in node.findall(path, NS)]


@pytest.mark.parametrize("fixture", [FULL, BARE])
def test_message_is_valid_onix_3_1(tmp_path, epoch, fixture):
    document = build(tmp_path, fixture)
    root = document.getroot()
    assert (root.tag, root.get("release")) == ("{%s}ONIXMessage" % NS["o"], "3.1")
    assert schema_errors(document) == []
    # The check can fail: a product without its record reference is refused by both schemas.
    product = root.find("o:Product", NS)
    product.remove(product.find("o:RecordReference", NS))
    assert any(e.startswith("xsd") for e in schema_errors(document))
    assert any(e.startswith("rng") for e in schema_errors(document))


def test_one_product_per_edition_with_its_form(tmp_path, epoch):
    document = build(tmp_path, FULL)
    header = document.getroot().find("o:Header", NS)
    assert texts(header, "o:Sender/o:SenderName") == ["示例大学出版社"]
    assert texts(header, "o:SentDateTime") == ["20260101T120000Z"]
    found = products(document)
    assert list(found) == ["print", "epub"]
    printed, epub = found["print"], found["epub"]
    assert texts(printed, "o:DescriptiveDetail/o:ProductForm") == ["BC"]
    assert texts(printed, "o:DescriptiveDetail/o:ProductFormDetail") == []
    assert [(m.findtext("o:MeasureType", namespaces=NS), m.findtext("o:Measurement", namespaces=NS),
             m.findtext("o:MeasureUnitCode", namespaces=NS))
            for m in printed.findall("o:DescriptiveDetail/o:Measure", NS)] == [("01", "260", "mm"), ("02", "185", "mm")]
    assert texts(epub, "o:DescriptiveDetail/o:ProductForm") == ["ED"]
    assert texts(epub, "o:DescriptiveDetail/o:ProductFormDetail") == ["E101"]
    assert texts(epub, "o:DescriptiveDetail/o:EpubTechnicalProtection") == ["00"]
    assert texts(printed, "o:DescriptiveDetail/o:EpubTechnicalProtection") == []


def test_each_product_describes_the_book(tmp_path, epoch):
    found = products(build(tmp_path, FULL))
    for edition, product in found.items():
        assert texts(product, "o:RecordReference") == [f"zhbook.example-book.{edition}"]
        detail = product.find("o:DescriptiveDetail", NS)
        assert texts(detail, "o:TitleDetail/o:TitleElement/o:TitleText") == ["公共服务导论"]
        assert texts(detail, "o:TitleDetail/o:TitleElement/o:Subtitle") == ["公共管理课程教材"]
        assert [(c.findtext("o:ContributorRole", namespaces=NS),
                 c.findtext("o:PersonName", namespaces=NS) or c.findtext("o:CorporateName", namespaces=NS))
                for c in detail.findall("o:Contributor", NS)] == [
            ("A01", "张明"), ("B01", "李华"), ("A32", "示例大学公共管理学院")]
        assert texts(detail, "o:Language/o:LanguageCode") == ["chi"]
        assert texts(detail, "o:Collection/o:TitleDetail/o:TitleElement/o:TitleText") == ["公共管理系列教材"]
        subjects = [(s.findtext("o:SubjectSchemeIdentifier", namespaces=NS),
                     s.findtext("o:SubjectCode", namespaces=NS), s.findtext("o:SubjectHeadingText", namespaces=NS),
                     s.find("o:MainSubject", NS) is not None) for s in detail.findall("o:Subject", NS)]
        assert subjects == [("88", "D630.1", None, True), ("20", None, "服务型政府; 公共服务", False)]
        publishing = product.find("o:PublishingDetail", NS)
        assert texts(publishing, "o:Publisher/o:PublisherName") == ["示例大学出版社"]
        assert texts(publishing, "o:CityOfPublication") == ["北京"]
        (date,) = publishing.findall("o:PublishingDate/o:Date", NS)
        assert (date.text, date.get("dateformat")) == ("202603", "01")
    isbns = {edition: [(i.findtext("o:ProductIDType", namespaces=NS), i.findtext("o:IDValue", namespaces=NS))
                       for i in product.findall("o:ProductIdentifier", NS)] for edition, product in found.items()}
    assert isbns == {"print": [("03", "9787040123456"), ("15", "9787040123456")],
                     "epub": [("03", "9787040123463"), ("15", "9787040123463")]}
    # The extent as measured: 71 main-content pages and 6 of front matter; the EPUB the 77 of its print source.
    extents = {edition: [(e.findtext("o:ExtentType", namespaces=NS), e.findtext("o:ExtentValue", namespaces=NS))
                         for e in product.findall("o:DescriptiveDetail/o:Extent", NS)]
               for edition, product in found.items()}
    assert extents == {"print": [("00", "71"), ("03", "6")], "epub": [("08", "77")]}
    # The 定价 is the printed book's: the EPUB is unpriced.
    price = found["print"].find("o:ProductSupply/o:SupplyDetail/o:Price", NS)
    assert [price.findtext(t, namespaces=NS) for t in ("o:PriceType", "o:PriceAmount", "o:CurrencyCode")] == [
        "02", "48.00", "CNY"]
    assert texts(found["epub"], "o:ProductSupply/o:SupplyDetail/o:UnpricedItemType") == ["02"]
    related = found["epub"].find("o:RelatedMaterial/o:RelatedProduct", NS)
    assert texts(related, "o:ProductRelationCode") == ["13"]
    assert "9787040123456" in texts(related, "o:ProductIdentifier/o:IDValue")


def test_bare_products_invent_nothing(tmp_path, epoch):
    document = build(tmp_path, BARE)
    raw = etree.tostring(document, encoding="unicode")
    for product in products(document).values():
        assert [(i.findtext("o:ProductIDType", namespaces=NS), i.findtext("o:IDTypeName", namespaces=NS))
                for i in product.findall("o:ProductIdentifier", NS)] == [("01", "zhbook record")]
        assert [s.findtext("o:SubjectSchemeIdentifier", namespaces=NS)
                for s in product.findall("o:DescriptiveDetail/o:Subject", NS)] == []  # no keywords, no CLC class
        assert product.find("o:PublishingDetail/o:CityOfPublication", NS) is None
        (date,) = product.findall("o:PublishingDetail/o:PublishingDate/o:Date", NS)
        assert (date.text, date.get("dateformat")) == ("2026", "05")
        assert product.find("o:ProductSupply/o:SupplyDetail/o:Price", NS) is None
        assert product.find("o:DescriptiveDetail/o:NoCollection", NS) is not None
    assert "978" not in raw and "<Price>" not in raw


def test_epub_accessibility_comes_from_the_epub_metadata(tmp_path, epoch):
    epub = products(build(tmp_path, FULL))["epub"]
    features = {(f.findtext("o:ProductFormFeatureType", namespaces=NS),
                 f.findtext("o:ProductFormFeatureValue", namespaces=NS),
                 f.findtext("o:ProductFormFeatureDescription", namespaces=NS) or "")
                for f in epub.findall("o:DescriptiveDetail/o:ProductFormFeature", NS)}
    assert features == A11Y_ONIX
    assert texts(epub, "o:DescriptiveDetail/o:ProductContentType") == ["07"]  # visual: the figures
    # Another EPUB, other claims: the record follows the EPUB, not a list kept here.
    other = products(build(tmp_path / "other", FULL, metas=[("schema:accessibilityFeature", "MathML"),
                                                           ("schema:accessibilityHazard", "flashing")]))["epub"]
    assert {(f.findtext("o:ProductFormFeatureType", namespaces=NS),
             f.findtext("o:ProductFormFeatureValue", namespaces=NS))
            for f in other.findall("o:DescriptiveDetail/o:ProductFormFeature", NS)} == {("09", "17"), ("12", "13")}


def test_without_the_epub_accessibility_is_not_assessed(tmp_path, epoch):
    epub = products(build(tmp_path, FULL, epub=False))["epub"]
    assert [(f.findtext("o:ProductFormFeatureType", namespaces=NS),
             f.findtext("o:ProductFormFeatureValue", namespaces=NS))
            for f in epub.findall("o:DescriptiveDetail/o:ProductFormFeature", NS)] == [("09", "08")]


def test_accessibility_term_without_an_onix_code_stops_the_build(tmp_path, epoch, capsys):
    epub = make_epub(tmp_path / "book.epub", [("schema:accessibilityFeature", "rubyAnnotations")])
    with pytest.raises(CatalogError, match="rubyAnnotations"):
        onix.accessibility(epub)
    assert catalog.main(["--metadata", str(FULL), "--pdf", str(labelled_pdf(tmp_path / "book.pdf")),
                         "--references", "1", "--epub", str(epub), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "book.epub" in err and "rubyAnnotations" in err and "Traceback" not in err
