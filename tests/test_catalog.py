"""Catalogue records (zhbook.tools.catalog) and the HTML JSON-LD (zhbook.ext.schema_org).

Fixtures: tests/data/book-full.toml carries every identifier (valid example ISBNs, CLC number, CIP 核字号, series,
URL); tests/data/book-bare.toml is the real book's case with none of them. MARC output is read back by pymarc and
by two independent tools, Debian's yaz-marcdump and MARC::Lint (tests/marclint.pl).
"""
from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pymarc
import pytest
from defusedxml import ElementTree as SafeET
from lxml import html as lxml_html

from zhbook.tools import catalog
from zhbook.metadata import MetadataError, load

DATA = Path(__file__).parent / "data"
FULL = DATA / "book-full.toml"
BARE = DATA / "book-bare.toml"
MARCLINT = Path(__file__).parent / "marclint.pl"
EPOCH = 1767268800  # 2026-01-01T12:00:00Z
DC = "{http://purl.org/dc/elements/1.1/}"


def make_pdf(path: Path, pages: int) -> Path:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(524, 737))  # 185 mm × 260 mm
    pdf.save(path)
    return path


def run_cli(tmp_path: Path, metadata: Path, pages: int = 9, references: int = 31) -> Path:
    """Run the command line on ``metadata`` with a ``pages``-page PDF; return the output folder."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    out = tmp_path / "catalog"
    pdf = make_pdf(tmp_path / "book.pdf", pages)
    assert catalog.main(["--metadata", str(metadata), "--pdf", str(pdf), "--references", str(references),
                         "--out", str(out)]) == 0
    return out


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    return EPOCH


def read_mrc(path: Path) -> list[pymarc.Record]:
    with path.open("rb") as fh:
        return list(pymarc.MARCReader(fh, to_unicode=True, force_utf8=True))


def subfield_values(record: pymarc.Record, tag: str, code: str) -> list[str]:
    return [value for field in record.get_fields(tag) for value in field.get_subfields(code)]


# --- MARC 21 ---------------------------------------------------------------------------------------------------

def test_marc_files_round_trip_through_pymarc(tmp_path, epoch):
    out = run_cli(tmp_path, FULL)
    meta = load(FULL)
    facts = dataclasses.replace(catalog.measure(tmp_path / "book.pdf"), references=31)
    expected = catalog.marc_records(meta, facts, catalog.build_time(EPOCH))
    from_iso = read_mrc(out / "example-book.mrc")
    from_xml = pymarc.parse_xml_to_array(str(out / "example-book.xml"))
    assert [r["001"].data for r in from_iso] == ["example-book-print", "example-book-epub"]
    for original, iso, xml in zip(expected, from_iso, from_xml, strict=True):
        assert iso.as_marc() == original.as_marc()
        assert xml.as_marc() == original.as_marc()


def test_full_records_carry_every_assigned_identifier(tmp_path, epoch):
    print_record, epub_record = read_mrc(run_cli(tmp_path, FULL) / "example-book.mrc")
    for record, own, other in ((print_record, "9787040123456", "9787040123463"),
                               (epub_record, "9787040123463", "9787040123456")):
        isbns = [(f["a"], f["q"]) for f in record.get_fields("020")]
        assert [isbn for isbn, _ in isbns] == [own, other]  # this edition's ISBN first
        assert all(qualifier for _, qualifier in isbns)
        assert [(f["a"], f["2"]) for f in record.get_fields("084")] == [("D630.1", "clc")]
        assert record["005"].data == "20260101120000.0"
        fixed = record["008"].data
        assert (len(fixed), fixed[0:6], fixed[7:11], fixed[15:18], fixed[35:38]) == (40, "260101", "2026", "cc ", "chi")
        assert (record["040"]["b"], record["040"]["e"]) == ("chi", "rda")
        assert record["041"]["a"] == "chi"
        assert record["100"]["a"] == "张明," and record["100"]["4"] == "aut" and record["100"]["e"]
        assert [(f["a"], f["4"]) for f in record.get_fields("700")] == [("李华,", "edt")]
        assert [(f["a"], f["e"], f["4"]) for f in record.get_fields("710")] == [
            ("示例大学公共管理学院,", "组织编写.", "ctb")]
        assert record["245"].indicators == pymarc.Indicators("1", "0")
        assert record["245"]["a"].startswith("公共服务导论") and record["245"]["b"].startswith("公共管理课程教材")
        assert record["250"]["a"] == "第1版"
        assert record["264"]["a"] == "北京 :" and record["264"]["b"] == "示例大学出版社,"
        assert record["490"]["a"] == "公共管理系列教材"
        assert "31" in record["504"]["a"]
        assert record["520"]["a"] == "一本用于测试编目记录的示例教材。"
        assert subfield_values(record, "650", "a") == ["服务型政府", "公共行政"]
        assert record["856"]["u"] == "https://example.org/books/example-book/"
    assert [print_record[t]["b"] for t in ("336", "337", "338")] == ["txt", "n", "nc"]
    assert [epub_record[t]["b"] for t in ("336", "337", "338")] == ["txt", "c", "cr"]
    assert epub_record["008"].data[23] == "o" and epub_record["007"].data.startswith("cr")


def test_bare_records_leave_out_what_is_not_assigned(tmp_path, epoch):
    out = run_cli(tmp_path, BARE)
    for record in read_mrc(out / "bare-book.mrc"):
        tags = {field.tag for field in record.fields}
        assert not tags & {"020", "084", "490", "856"}, tags
        assert record["110"]["a"] == "示例编写组,"
        assert record["264"]["a"] == "[出版地不详] :"
        for field in record.fields:
            if field.is_control_field():
                assert field.data.strip()
            else:
                for subfield in field.subfields:
                    assert subfield.value.strip(" :;,./"), (field.tag, subfield)
    cip = (out / "cip.txt").read_text(encoding="utf-8")
    assert "ISBN" not in cip and "Ⅰ." not in cip and "核字" not in cip
    dc = SafeET.parse(out / "bare-book-dc.xml").getroot()
    assert not [e.text for e in dc.iter(f"{DC}identifier")]
    assert all((e.text or "").strip() for e in dc)


@pytest.mark.parametrize("pages", [7, 212])
def test_extent_of_a_pdf_without_page_labels_is_its_page_count(tmp_path, epoch, pages):
    out = run_cli(tmp_path, FULL, pages=pages)
    with pikepdf.open(tmp_path / "book.pdf") as pdf:
        counted = len(pdf.pages)
    print_record, epub_record = read_mrc(out / "example-book.mrc")
    assert print_record["300"]["a"] == f"{counted}页 ;"
    assert print_record["300"]["c"].startswith("26 cm")
    assert epub_record["300"]["a"].startswith(f"1在线资源 ({counted}页)")


def test_extent_counts_each_numbered_sequence_as_printed(tmp_path, epoch):
    """A book with 6 roman-numbered front pages and 71 arabic ones has the extent “vi, 71页”, not “77页”."""
    pdf_path = make_pdf(tmp_path / "labelled.pdf", 77)
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        pdf.Root.PageLabels = pikepdf.Dictionary(Nums=[
            0, pikepdf.Dictionary(S=pikepdf.Name.r),
            6, pikepdf.Dictionary(S=pikepdf.Name.D)])
        pdf.save(pdf_path)
    assert catalog.pdf_extent(pdf_path) == "vi, 71"
    out = tmp_path / "catalog"
    assert catalog.main(["--metadata", str(FULL), "--pdf", str(pdf_path), "--references", "3",
                         "--out", str(out)]) == 0
    print_record, epub_record = read_mrc(out / "example-book.mrc")
    assert print_record["300"]["a"] == "vi, 71页 ;"
    assert epub_record["300"]["a"].startswith("1在线资源 (vi, 71页)")


def test_reference_count_can_come_from_the_latex_file(tmp_path, epoch):
    tex = tmp_path / "book.tex"
    tex.write_text("\\begin{sphinxthebibliography}{10}\n"
                   + "".join(f"\\bibitem[{n}]{{index:ref{n}}}\nEntry {n}.\n" for n in range(1, 13))
                   + "\\end{sphinxthebibliography}\n", encoding="utf-8")
    pdf = make_pdf(tmp_path / "book.pdf", 3)
    assert catalog.main(["--metadata", str(FULL), "--pdf", str(pdf), "--references-from", str(tex),
                         "--out", str(tmp_path / "out")]) == 0
    assert read_mrc(tmp_path / "out" / "example-book.mrc")[0]["504"]["a"] == "含参考文献12条."


def test_no_bibliography_note_without_references(tmp_path, epoch):
    records = read_mrc(run_cli(tmp_path, FULL, references=0) / "example-book.mrc")
    assert all(not r.get_fields("504") and r["008"].data[24] == " " for r in records)


@pytest.mark.skipif(not shutil.which("yaz-marcdump"), reason="yaz-marcdump (Debian package yaz) is not installed")
@pytest.mark.parametrize("fixture", [FULL, BARE])
def test_yaz_marcdump_reads_both_files(tmp_path, epoch, fixture):
    out = run_cli(tmp_path, fixture)
    slug = load(fixture).slug
    for fmt, name in (("marc", f"{slug}.mrc"), ("marcxml", f"{slug}.xml")):
        result = subprocess.run(["yaz-marcdump", "-i", fmt, "-o", "line", str(out / name)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0 and not result.stderr, result.stderr
        lines = result.stdout.splitlines()
        assert [line for line in lines if line.startswith("001 ")] == [f"001 {slug}-print", f"001 {slug}-epub"]
        titles = [line for line in lines if line.startswith("245 ")]
        assert len(titles) == 2 and all("公共服务导论" in line for line in titles)


@pytest.mark.skipif(not shutil.which("perl") or subprocess.run(["perl", "-MMARC::Lint", "-e", "1"],
                                                              capture_output=True).returncode != 0,
                    reason="MARC::Lint (Debian package libmarc-lint-perl) is not installed")
@pytest.mark.parametrize("fixture", [FULL, BARE])
def test_marc_lint_reports_nothing(tmp_path, epoch, fixture):
    out = run_cli(tmp_path, fixture)
    result = subprocess.run(["perl", str(MARCLINT), str(out / f"{load(fixture).slug}.mrc")],
                            capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_marc_lint_script_can_fail(tmp_path):
    """The lint check is not vacuous: a record with a bad ISBN check digit and no 245 is reported."""
    if subprocess.run(["perl", "-MMARC::Lint", "-e", "1"], capture_output=True).returncode != 0:
        pytest.skip("MARC::Lint (Debian package libmarc-lint-perl) is not installed")
    record = pymarc.Record(force_utf8=True)
    record.add_field(pymarc.Field(tag="020", indicators=pymarc.Indicators(" ", " "),
                                  subfields=[pymarc.Subfield("a", "9787040123457")]))
    bad = tmp_path / "bad.mrc"
    bad.write_bytes(record.as_marc())
    result = subprocess.run(["perl", str(MARCLINT), str(bad)], capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "020" in result.stdout and "245" in result.stdout


# --- Reproducibility and failures ------------------------------------------------------------------------------

def test_files_are_reproducible_and_dated_from_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    first, second = run_cli(tmp_path / "a", FULL), run_cli(tmp_path / "b", FULL)
    names = sorted(p.name for p in first.iterdir())
    assert names == ["cip.txt", "example-book-cnmarc.iso", "example-book-cnmarc.xml", "example-book-dc.xml",
                     "example-book-onix.xml", "example-book.mrc", "example-book.xml"]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 86400))
    third = run_cli(tmp_path / "c", FULL)
    assert read_mrc(third / "example-book.mrc")[0]["005"].data == "20260102120000.0"


def test_missing_source_date_epoch_stops_the_build(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pdf = make_pdf(tmp_path / "book.pdf", 3)
    assert catalog.main(["--metadata", str(FULL), "--pdf", str(pdf), "--references", "1",
                         "--out", str(tmp_path / "out")]) == 1
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_unreadable_pdf_stops_the_build(tmp_path, epoch, capsys):
    assert catalog.main(["--metadata", str(FULL), "--pdf", str(tmp_path / "missing.pdf"), "--references", "1",
                         "--out", str(tmp_path / "out")]) == 1
    assert "missing.pdf: cannot read the PDF" in capsys.readouterr().err


def test_bad_isbn_checksum_names_file_line_and_field(tmp_path, epoch, capsys):
    text = FULL.read_text(encoding="utf-8").replace("978-7-04-012345-6", "978-7-04-012345-7")
    bad = tmp_path / "book.toml"
    bad.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("isbn_print"))
    with pytest.raises(MetadataError, match=rf"^{bad}:{line}: isbn_print: .*978-7-04-012345-7"):
        load(bad)
    pdf = make_pdf(tmp_path / "book.pdf", 3)
    assert catalog.main(["--metadata", str(bad), "--pdf", str(pdf), "--references", "1",
                         "--out", str(tmp_path / "out")]) == 1
    assert f"{bad}:{line}: isbn_print" in capsys.readouterr().err


@pytest.mark.parametrize("field, value", [("clc", "d630.1"), ("cip_number", "(2026)第123号")])
def test_malformed_agency_numbers_are_refused(tmp_path, field, value):
    original = {"clc": "D630.1", "cip_number": "2026A12345"}[field]
    bad = tmp_path / "book.toml"
    bad.write_text(FULL.read_text(encoding="utf-8").replace(f'"{original}"', json.dumps(value, ensure_ascii=False)),
                   encoding="utf-8")
    with pytest.raises(MetadataError, match=rf"^{bad}:\d+: {field}: "):
        load(bad)


@pytest.mark.parametrize("old, new, field, message", [
    ('currency = "CNY"', 'currency = ""', "amount",
     'the price 48.00 has no currency: add currency = "CNY" (an ISO 4217 code) to [price]'),
    ("printing = 1", "printing = 0", "printing", "印次 must be 1 or more (the first printing is 1), not 0"),
    ('clc = "D630.1"', 'clc = "D6301"', "clc",
     "'D6301' is not shaped like a 中图分类号 (CLC notation) such as D630.1 or D035-01 "
     "(several are separated by ';')"),
    ('clc = "D630.1"', 'clc = "公共管理"', "clc",
     "'公共管理' is not shaped like a 中图分类号 (CLC notation) such as D630.1 or D035-01 "
     "(several are separated by ';')"),
    ('amount = "48.00"', 'amount = "48元"', "amount",
     "'48元' is not a price: digits with at most two decimals, e.g. \"48.00\""),
    ('place_code = "110000"', 'place_code = "北京"', "place_code",
     "'北京' is not a GB/T 2260 division code: six digits, e.g. 110000 for 北京"),
    ("month = 3", "month = 13", "month", "the month of publication must be 1 to 12, not 13"),
], ids=["price-without-currency", "printing-0", "clc-no-dot", "clc-words", "price-with-unit", "place-code",
        "month-13"])
def test_bad_imprint_metadata_names_file_line_and_field(tmp_path, old, new, field, message):
    """The whole message, exactly: file, line of the mistake (the amount for a missing currency), field, fix."""
    text = FULL.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "book.toml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    key = "amount" if field == "amount" else field
    line = next(n for n, row in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1)
                if row.startswith(f"{key} ="))
    with pytest.raises(MetadataError) as caught:
        load(bad)
    assert str(caught.value) == f"{bad}:{line}: {field}: {message}"


@pytest.mark.parametrize("number", ["D630.1", "D035-01", "TP311.13", "I247.55", "P19-49", "A811.1", "D630.1;D035"])
def test_clc_numbers_of_the_usual_shapes_are_accepted(tmp_path, number):
    bad = tmp_path / "book.toml"
    bad.write_text(FULL.read_text(encoding="utf-8").replace('clc = "D630.1"', f'clc = "{number}"'),
                   encoding="utf-8")
    assert load(bad).clc == number


def test_isbns_are_hyphenated_by_their_registration_ranges():
    meta = load(FULL)
    # Group 7 (China), publisher 04 (a two-digit registrant): the fixture writes the EPUB ISBN unhyphenated.
    assert meta.isbn_hyphenated("print") == "978-7-04-012345-6"
    assert meta.isbn_hyphenated("epub") == "978-7-04-012346-3"
    assert load(BARE).isbn_hyphenated("print") == ""


# --- Dublin Core and JSON-LD -----------------------------------------------------------------------------------

def test_dublin_core_record_parses_and_carries_the_book(tmp_path, epoch):
    root = SafeET.parse(run_cli(tmp_path, FULL) / "example-book-dc.xml").getroot()
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"

    def values(name):
        return [element.text for element in root.iter(f"{DC}{name}")]

    assert values("title") == ["公共服务导论：公共管理课程教材"]
    assert values("creator") == ["张明"]
    assert values("contributor") == ["李华", "示例大学公共管理学院"]
    assert values("language") == ["zh-CN"]
    assert "urn:isbn:9787040123456" in values("identifier") and "urn:isbn:9787040123463" in values("identifier")
    assert "D630.1" in values("subject") and values("date") == ["2026"]


def test_jsonld_has_one_work_example_per_format_with_its_isbn():
    data = json.loads(catalog.jsonld_script(load(FULL)))
    assert (data["@context"], data["@type"], data["name"]) == ("https://schema.org", "Book", "公共服务导论")
    assert [a["name"] for a in data["author"]] == ["张明"] and [e["name"] for e in data["editor"]] == ["李华"]
    assert data["inLanguage"] == "zh-CN"
    assert [(w["@type"], w.get("isbn")) for w in data["workExample"]] == [
        ("Book", "9787040123456"), ("Book", "9787040123463")]
    assert data["workExample"][1]["bookFormat"] == "https://schema.org/EBook"
    bare = json.loads(catalog.jsonld_script(load(BARE)))
    assert len(bare["workExample"]) == 2 and not any("isbn" in w for w in bare["workExample"])
    assert "url" not in bare and "isPartOf" not in bare


# --- CIP block --------------------------------------------------------------------------------------------------

def test_cip_block_follows_gbt_12451_2023(tmp_path, epoch):
    assert (run_cli(tmp_path, FULL) / "cip.txt").read_text(encoding="utf-8").splitlines() == [
        "图书在版编目（CIP）数据",
        "",
        "公共服务导论 : 公共管理课程教材 / 张明编著 ; 李华主编 ; 示例大学公共管理学院组织编写. -- 北京 : "
        "示例大学出版社, 2026. -- (公共管理系列教材). -- ISBN 978-7-04-012345-6",
        "",
        "Ⅰ. D630.1",
        "",
        "中国国家版本馆CIP数据核字第2026A12345号",
    ]
    # A later edition states itself after the statement of responsibility; a first edition does not.
    second = dataclasses.replace(load(FULL), edition="第2版", edition_number=2)
    assert "组织编写. -- 第2版. -- 北京 :" in catalog.cip_lines(second)[2]
    assert catalog.cip_lines(load(BARE)) == [
        "图书在版编目（CIP）数据", "",
        "公共服务导论 : 公共管理课程教材 / 示例编写组编著. -- [出版地不详] : 示例编写组, 2026"]


def test_latex_escape_keeps_text_as_written():
    assert catalog.latex_escape("a -- b % c & d_e ~ {x} #1 $ ^ \\") == (
        r"a -{}- b \% c \& d\_e \textasciitilde{} \{x\} \#1 \$ \textasciicircum{} \textbackslash{}")
    assert catalog.cip_latex_lines(load(FULL))[2].count("-{}-") == 3


@pytest.mark.skipif(not (shutil.which("xelatex") and shutil.which("pdftotext")),
                    reason="xelatex or pdftotext (TeX Live, poppler-utils) is not installed")
def test_cip_block_printed_by_latex_matches_cip_txt_field_by_field(tmp_path, epoch):
    """What the copyright page prints (cip_latex, set by XeLaTeX) reads back as the same fields as cip.txt."""
    meta = dataclasses.replace(load(FULL), edition="第2版", edition_number=2)
    cip_txt = "\n".join(catalog.cip_lines(meta))
    tex = tmp_path / "cip.tex"
    tex.write_text("\\documentclass{article}\n\\usepackage{fontspec}\n\\setmainfont{Noto Serif CJK SC}\n"
                   "\\usepackage{xeCJK}\n\\setCJKmainfont{Noto Serif CJK SC}\n\\begin{document}\n"
                   + catalog.cip_latex(meta) + "\\end{document}\n", encoding="utf-8")
    subprocess.run(["xelatex", "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=tmp_path,
                   capture_output=True, check=True, timeout=120)
    page_text = subprocess.run(["pdftotext", "cip.pdf", "-"], cwd=tmp_path, capture_output=True, text=True,
                               check=True).stdout
    printed = catalog.parse_cip_block(page_text)
    assert printed == catalog.parse_cip_block(cip_txt)
    assert printed == {
        "heading": "图书在版编目（CIP）数据",
        "title_and_responsibility": "公共服务导论:公共管理课程教材/张明编著;李华主编;示例大学公共管理学院组织编写",
        "edition": "第2版", "publication": "北京:示例大学出版社,2026", "series": "(公共管理系列教材)",
        "isbn": "ISBN978-7-04-012345-6", "clc": "Ⅰ.D630.1", "cip_number": "中国国家版本馆CIP数据核字第2026A12345号"}
    # The same check as the lead's copyright-page test uses: every field found on the page, in order.
    page_with_more = "版权所有\n" + page_text + "\n2026年1月第2版\n"
    assert catalog.cip_differences(meta, page_with_more) == []
    assert catalog.cip_differences(meta, page_text.replace("012345", "012354")) == ["isbn"]
    assert catalog.cip_differences(meta, page_text.replace("Ⅰ.", "Ⅱ.")) == ["clc"]
    # A first-edition block does not match a page that states the 2nd edition.
    assert catalog.cip_differences(load(FULL), page_text) == ["block"]


def test_parse_cip_block_reads_cip_txt_back_into_its_fields():
    for fixture in (FULL, BARE):
        meta = load(fixture)
        parsed = catalog.parse_cip_block("\n".join(catalog.cip_lines(meta)))
        assert parsed == {name: catalog.cip._compact(value) for name, value in catalog.cip_fields(meta).items()}


# --- Sphinx extension -------------------------------------------------------------------------------------------

def jsonld_of(page: Path) -> list[dict]:
    tree = lxml_html.fromstring(page.read_bytes())
    return [json.loads(script.text) for script in tree.xpath('//head/script[@type="application/ld+json"]')]


@pytest.mark.sphinx("html", testroot="cataloguing")
def test_every_html_page_carries_the_book_jsonld(app):
    app.build()
    assert app.warning.getvalue() == ""
    for page in ("index.html", "other.html", "genindex.html", "search.html"):
        (data,) = jsonld_of(app.outdir / page)
        assert data["@type"] == "Book" and data["name"] == "公共服务导论"
        assert [a["name"] for a in data["author"]] == ["张明"]
        assert [w["isbn"] for w in data["workExample"]] == ["9787040123456", "9787040123463"]
        assert "</script>" in data["description"]  # escaped in the page, intact once parsed


@pytest.mark.sphinx("epub", testroot="cataloguing")
def test_epub_pages_carry_no_script(app):
    app.build()
    pages = list(Path(app.outdir).glob("*.xhtml"))
    assert pages and not any("application/ld+json" in p.read_text(encoding="utf-8") for p in pages)


def test_bad_metadata_stops_sphinx_naming_file_and_field(make_app, rootdir, tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-cataloguing", srcdir)
    toml = srcdir / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("978-7-04-012346-3", "978-7-04-012346-4"),
                    encoding="utf-8")
    with pytest.raises(Exception, match=r"book\.toml:\d+: isbn_epub: "):
        make_app("html", srcdir=srcdir)
