"""CNMARC records (zhbook.tools.catalog.cnmarc) and the MARC 21 coded data they share with them (issue 16).

The fixture tests/data/book-full.toml carries valid example values for every identifier; book-bare.toml is the
real book's case with none. The expected records are written out here field by field, and the character
positions of 100 $a and 105 $a are checked one by one against tables of what each position means. The files are
read back by pymarc, by Debian's yaz-marcdump, and the XML is validated against the MarcXchange schema
(ISO 25577, tests/data/marcxchange-1-1.xsd).
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
from lxml import etree

from zhbook.ext.index.pinyin import READINGS_FILE
from zhbook.metadata import load
from zhbook.tools import catalog
from zhbook.tools.catalog import cnmarc
from zhbook.tools.catalog.facts import BookFacts

DATA = Path(__file__).parent / "data"
FULL = DATA / "book-full.toml"
BARE = DATA / "book-bare.toml"
MARCXCHANGE_XSD = DATA / "marcxchange-1-1.xsd"
MXC = "{info:lc/xmlns/marcxchange-v1}"
EPOCH = 1767268800  # 2026-01-01T12:00:00Z

# A book measured as the real one is: 6 roman and 71 arabic pages, figures, 78 references, an index.
FACTS = BookFacts(sequences=(("roman", "vi"), ("arabic", "71")), total_pages=77, blank_pages=4,
                  chars_per_line=39, lines_per_page=36, figures=5, references=78, has_index=True, in_colour=True,
                  format_statement="787mm×1092mm 1/16", pages_per_sheet=16)
PLAIN = dataclasses.replace(FACTS, figures=0, references=0, has_index=False, in_colour=False)

# --- the expected records, as pymarc prints them ('\' is a blank indicator) ------------------------------------

FULL_PRINT = [
    "=001  example-book-print",
    "=005  20260101120000.0",
    "=010  \\\\$a978-7-04-012345-6$dCNY48.00",
    "=100  \\\\$a20260101d2026    em y0chiy50      ea",
    "=101  0\\$achi",
    "=102  \\\\$aCN$b110000",
    "=105  \\\\$aa   a   001yy",
    "=106  \\\\$ar",
    "=200  1\\$a公共服务导论$9gong gong fu wu dao lun$b专著$e公共管理课程教材$f张明编著$g李华主编"
    "$g示例大学公共管理学院组织编写",
    "=210  \\\\$a北京$c示例大学出版社$d2026.3",
    "=215  \\\\$avi,71页$c图$d26cm",
    "=225  2\\$a公共管理系列教材",
    "=320  \\\\$a有书目(含参考文献78条)和索引",
    "=330  \\\\$a一本用于测试编目记录的示例教材。",
    "=410  \\0$12001 $a公共管理系列教材",
    "=610  0\\$a服务型政府",
    "=610  0\\$a公共行政",
    "=690  \\\\$aD630.1$v5",
    "=701  \\0$a张明$9zhang ming$4编著",
    "=701  \\0$a李华$9li hua$4主编",
    "=712  02$a示例大学公共管理学院$4组织编写",
    "=801  \\0$aCN$b示例大学出版社$c20260101",
    "=856  4\\$uhttps://example.org/books/example-book/",
]
FULL_EPUB = [
    "=001  example-book-epub",
    "=005  20260101120000.0",
    "=010  \\\\$a978-7-04-012346-3",  # the 定价 is the printed book's: no $d
    "=100  \\\\$a20260101d2026    em y0chiy50      ea",
    "=101  0\\$achi",
    "=102  \\\\$aCN$b110000",
    "=105  \\\\$aa   a   001yy",
    "=106  \\\\$as",
    "=135  \\\\$adran mmmannbn",  # a: the test PDF draws nothing in colour
    "=200  1\\$a公共服务导论$9gong gong fu wu dao lun$b电子资源$e公共管理课程教材$f张明编著$g李华主编"
    "$g示例大学公共管理学院组织编写",
    "=210  \\\\$a北京$c示例大学出版社$d2026.3",
    "=215  \\\\$a1在线资源(vi,71页)$c图",
    "=225  2\\$a公共管理系列教材",
    "=320  \\\\$a有书目(含参考文献78条)和索引",
    "=330  \\\\$a一本用于测试编目记录的示例教材。",
    "=410  \\0$12001 $a公共管理系列教材",
    "=610  0\\$a服务型政府",
    "=610  0\\$a公共行政",
    "=690  \\\\$aD630.1$v5",
    "=701  \\0$a张明$9zhang ming$4编著",
    "=701  \\0$a李华$9li hua$4主编",
    "=712  02$a示例大学公共管理学院$4组织编写",
    "=801  \\0$aCN$b示例大学出版社$c20260101",
    "=856  4\\$uhttps://example.org/books/example-book/",
]
# The real book's case: no ISBN, price, CLC class, place (nor its code), series or URL — and none is invented.
BARE_PRINT = [
    "=001  bare-book-print",
    "=005  20260101120000.0",
    "=100  \\\\$a20260101d2026    em y0chiy50      ea",
    "=101  0\\$achi",
    "=102  \\\\$aCN",
    "=105  \\\\$ay       001yy",
    "=106  \\\\$ar",
    "=200  1\\$a公共服务导论$9gong gong fu wu dao lun$b专著$e公共管理课程教材$f示例编写组编著",
    "=210  \\\\$a[出版地不详]$c示例编写组$d2026",
    "=215  \\\\$avi,71页$d26cm",
    "=320  \\\\$a有索引",
    "=330  \\\\$a一本没有任何机构分配号码的示例教材。",
    "=610  0\\$a服务型政府",
    "=711  02$a示例编写组$4编著",
    "=801  \\0$aCN$b示例编写组$c20260101",
]

# 100 $a position by position: (first, last) positions, what they hold, the value for the fixture.
FIELD_100 = [
    ((0, 7), "date entered on file (SOURCE_DATE_EPOCH)", "20260101"),
    ((8, 8), "type of publication date: d, complete when issued", "d"),
    ((9, 12), "date 1: the year of publication", "2026"),
    ((13, 16), "date 2: none", "    "),
    ((17, 19), "target audience: e young adult, m adult general (NLC's 'em ')", "em "),
    ((20, 20), "government publication: y, not one", "y"),
    ((21, 21), "modified record: 0, no characters replaced", "0"),
    ((22, 24), "language of cataloguing", "chi"),
    ((25, 25), "transliteration code: y (NLC; pinyin is in $9)", "y"),
    ((26, 27), "character set G0: 50, ISO 10646", "50"),
    ((28, 29), "character set G1: none", "  "),
    ((30, 33), "additional character sets: none", "    "),
    ((34, 35), "script of title: ea, Chinese", "ea"),
]
# 105 $a position by position, for a book with figures, a bibliography and an index, and for one with none.
FIELD_105 = [
    ((0, 3), "illustrations: a, else y", "a   ", "y   "),
    ((4, 7), "form of contents: a bibliography, else blank", "a   ", "    "),
    ((8, 8), "conference publication: 0", "0", "0"),
    ((9, 9), "festschrift: 0", "0", "0"),
    ((10, 10), "index: 1 present, 0 none", "1", "0"),
    ((11, 11), "literature code: y, not literature", "y", "y"),
    ((12, 12), "biography code: y, none", "y", "y"),
]
# Leader positions that are not computed: (position, value, meaning).
LEADER = [
    (5, "n", "record status: new"),
    (6, "a", "type of record: language material"),
    (7, "m", "bibliographic level: monograph"),
    (8, "0", "hierarchical level: none"),
    (9, " ", "undefined in UNIMARC (MARC 21's character set code must not appear)"),
    (10, "2", "indicator length"),
    (11, "2", "subfield identifier length"),
    (17, "3", "encoding level: less than full (a publisher's record, no authority work)"),
    (18, " ", "descriptive cataloguing form: full ISBD"),
    (19, " ", "undefined"),
    (20, "4", "length of the length-of-field"),
    (21, "5", "length of the starting-character position"),
    (22, "0", "length of the implementation-defined portion"),
    (23, " ", "undefined"),
]


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    return EPOCH


def labelled_pdf(path: Path, roman: int = 6, arabic: int = 71) -> Path:
    """A blank PDF of ``roman`` + ``arabic`` pages, labelled i, ii, … then 1, 2, … as the book's are."""
    pdf = pikepdf.new()
    for _ in range(roman + arabic):
        pdf.add_blank_page(page_size=(524, 737))
    pdf.Root.PageLabels = pikepdf.Dictionary(Nums=[0, pikepdf.Dictionary(S=pikepdf.Name.r),
                                                   roman, pikepdf.Dictionary(S=pikepdf.Name.D)])
    pdf.save(path)
    return path


def latex_book(folder: Path, figures: int, references: int, index: bool) -> Path:
    """A LaTeX file as Sphinx writes one (figures, bibliography), with the sorted index beside it."""
    tex = folder / "book.tex"
    tex.write_text("".join("\\begin{figure}\\sphinxincludegraphics{fig%d}\\end{figure}\n" % n
                           for n in range(figures))
                   + "\\begin{sphinxthebibliography}{99}\n"
                   + "".join(f"\\bibitem[{n}]{{index:ref{n}}}\nEntry {n}.\n" for n in range(references))
                   + "\\end{sphinxthebibliography}\n", encoding="utf-8")
    if index:
        tex.with_suffix(".ind").write_text("\\begin{sphinxtheindex}\n\\item 服务型政府, 3\n\\end{sphinxtheindex}\n",
                                           encoding="utf-8")
    return tex


def build(tmp_path: Path, metadata: Path, figures: int = 5, references: int = 78, index: bool = True) -> Path:
    """Run the catalogue command as the Makefile does; return the output folder."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    out = tmp_path / "catalog"
    tex = latex_book(tmp_path, figures, references, index)
    assert catalog.main(["--metadata", str(metadata), "--pdf", str(labelled_pdf(tmp_path / "book.pdf")),
                         "--references-from", str(tex), "--out", str(out)]) == 0
    return out


def read_iso(path: Path) -> list[pymarc.Record]:
    # force_utf8: a UNIMARC leader/09 is blank, which pymarc would otherwise take for MARC-8.
    with path.open("rb") as fh:
        return list(pymarc.MARCReader(fh, to_unicode=True, force_utf8=True))


def lines(record: pymarc.Record) -> list[str]:
    return [str(field) for field in record.fields]


# --- every field ----------------------------------------------------------------------------------------------

def test_full_records_hold_exactly_the_expected_fields(tmp_path, epoch):
    printed, epub = read_iso(build(tmp_path, FULL) / "example-book-cnmarc.iso")
    assert lines(printed) == FULL_PRINT
    assert lines(epub) == FULL_EPUB


def test_bare_records_leave_out_everything_not_assigned(tmp_path, epoch):
    out = build(tmp_path, BARE, figures=0, references=0, index=True)
    printed, epub = read_iso(out / "bare-book-cnmarc.iso")
    assert lines(printed) == BARE_PRINT
    for record in (printed, epub):
        tags = {field.tag for field in record.fields}
        assert not tags & {"010", "205", "225", "410", "690", "856"}, tags


@pytest.mark.parametrize("record_index", [0, 1])
def test_field_100_position_by_position(record_index):
    record = cnmarc.cnmarc_records(load(FULL), FACTS, catalog.build_time(EPOCH))[record_index]
    value = record["100"]["a"]
    assert len(value) == 36
    for (first, last), meaning, expected in FIELD_100:
        assert value[first:last + 1] == expected, f"100 $a/{first}-{last} ({meaning})"
    assert "".join(expected for _, _, expected in FIELD_100) == value  # the table covers all 36 positions


@pytest.mark.parametrize("facts, column", [(FACTS, 2), (PLAIN, 3)], ids=["figures-bibliography-index", "none"])
def test_field_105_position_by_position(facts, column):
    value = cnmarc.cnmarc_records(load(FULL), facts, catalog.build_time(EPOCH))[0]["105"]["a"]
    assert len(value) == 13
    for row in FIELD_105:
        (first, last), meaning = row[0], row[1]
        assert value[first:last + 1] == row[column], f"105 $a/{first}-{last} ({meaning})"
    assert "".join(row[column] for row in FIELD_105) == value


def test_leader_is_cnmarc_and_its_lengths_are_right(tmp_path, epoch):
    data = (build(tmp_path, FULL) / "example-book-cnmarc.iso").read_bytes()
    offset = 0
    for _ in range(2):
        leader = data[offset:offset + 24].decode("ascii")
        for position, value, meaning in LEADER:
            assert leader[position] == value, f"leader/{position} ({meaning}): {leader!r}"
        length, base = int(leader[0:5]), int(leader[12:17])
        record = data[offset:offset + length]
        assert record.endswith(b"\x1d") and record[base - 1:base] == b"\x1e"
        offset += length
    assert offset == len(data)


def test_second_edition_states_itself_in_205_and_first_does_not():
    when = catalog.build_time(EPOCH)
    first = cnmarc.cnmarc_record(load(FULL), "print", FACTS, when)
    second = cnmarc.cnmarc_record(dataclasses.replace(load(FULL), edition="第2版", edition_number=2), "print",
                                  FACTS, when)
    assert not first.get_fields("205")  # 《中国文献编目规则》: a first edition is not recorded
    assert [str(f) for f in second.get_fields("205")] == ["=205  \\\\$a2版"]


def test_epub_135_states_the_colour_measured_on_the_book():
    when = catalog.build_time(EPOCH)
    coloured = cnmarc.cnmarc_record(load(FULL), "epub", FACTS, when)["135"]["a"]
    plain = cnmarc.cnmarc_record(load(FULL), "epub", PLAIN, when)["135"]["a"]
    # 0 d text, 1 r remote, 2 colour: c multicoloured / a one colour, 3 n dimensions n/a, 4 blank no sound,
    # 5-7 mmm mixed bit depth, 8 a one file format, 9 n no quality target, 10 n born digital, 11 b lossless, 12 n.
    assert (coloured, plain) == ("drcn mmmannbn", "dran mmmannbn")
    assert not cnmarc.cnmarc_record(load(FULL), "print", FACTS, when).get_fields("135")


def test_pinyin_of_200_follows_the_characters():
    assert cnmarc.pinyin("公共服务导论") == "gong gong fu wu dao lun"
    assert cnmarc.pinyin("行政管理") == "xing zheng guan li"


def test_pinyin_takes_the_book_readings_the_latex_build_wrote(tmp_path, epoch, capsys):
    """A book's own reading of a phrase (its conf.py's pinyin_index_readings, which the LaTeX build writes beside
    the .tex) wins over pypinyin's in 200 $9 and 701 $9, as it does in the index."""
    assert cnmarc.pinyin("张明") == "zhang ming"
    tmp_path.mkdir(exist_ok=True)
    readings = tmp_path / READINGS_FILE
    # A made-up reading, so that the record shows which one won.
    readings.write_text(json.dumps({"张明": "zhāng mín"}, ensure_ascii=False), encoding="utf-8")
    printed = read_iso(build(tmp_path, FULL) / "example-book-cnmarc.iso")[0]
    assert [f["9"] for f in printed.get_fields("701")] == ["zhang min", "li hua"]
    assert printed["200"]["9"] == "gong gong fu wu dao lun"
    readings.write_text("[1, 2]", encoding="utf-8")
    assert catalog.main(["--metadata", str(FULL), "--pdf", str(tmp_path / "book.pdf"), "--references-from",
                         str(tmp_path / "book.tex"), "--out", str(tmp_path / "again")]) == 1
    assert f"{readings}: " in capsys.readouterr().err


# --- MARC 21 and CNMARC code the same measured facts -----------------------------------------------------------

@pytest.mark.parametrize("figures, references, index, code_008_18, code_008_31, code_105", [
    (5, 78, True, "a   ", "1", "a   a   001yy"),
    (0, 78, False, "    ", "0", "y   a   000yy"),
    (2, 0, True, "a   ", "1", "a       001yy"),
])
def test_marc21_008_and_cnmarc_105_state_the_same_book(tmp_path, epoch, figures, references, index, code_008_18,
                                                        code_008_31, code_105):
    out = build(tmp_path, FULL, figures=figures, references=references, index=index)
    with (out / "example-book.mrc").open("rb") as fh:
        marc21 = list(pymarc.MARCReader(fh, to_unicode=True, force_utf8=True))
    for record in marc21:
        fixed = record["008"].data
        assert (fixed[18:22], fixed[31]) == (code_008_18, code_008_31), fixed
        assert fixed[24] == ("b" if references else " ")
    assert marc21[0]["300"]["a"] == ("vi, 71页 :" if figures else "vi, 71页 ;")
    for record in read_iso(out / "example-book-cnmarc.iso"):
        assert record["105"]["a"] == code_105
        assert record["215"].get_subfields("c") == (["图"] if figures else [])


# --- the files, read by other tools ----------------------------------------------------------------------------

def test_iso_and_xml_hold_the_same_records(tmp_path, epoch):
    out = build(tmp_path, FULL)
    iso = out / "example-book-cnmarc.iso"
    xml = etree.parse(str(out / "example-book-cnmarc.xml"))
    records = xml.getroot().findall(f"{MXC}record")
    assert [(r.get("format"), r.get("type")) for r in records] == [("CNMARC", "Bibliographic")] * 2
    for element, record in zip(records, read_iso(iso), strict=True):
        assert element.findtext(f"{MXC}leader") == str(record.leader)
        fields = []
        for node in element:
            if node.tag == f"{MXC}controlfield":
                fields.append(f"={node.get('tag')}  {node.text}")
            elif node.tag == f"{MXC}datafield":
                indicators = (node.get("ind1") + node.get("ind2")).replace(" ", "\\")
                fields.append(f"={node.get('tag')}  {indicators}"
                              + "".join(f"${s.get('code')}{s.text}" for s in node))
        assert fields == lines(record)


def test_xml_is_valid_marcxchange(tmp_path, epoch):
    schema = etree.XMLSchema(etree.parse(str(MARCXCHANGE_XSD)))
    for fixture in (FULL, BARE):
        out = build(tmp_path / fixture.stem, fixture)
        document = etree.parse(str(out / f"{load(fixture).slug}-cnmarc.xml"))
        assert schema.validate(document), schema.error_log
    # The check can fail: a record without its leader is refused.
    document.getroot()[0].remove(document.getroot()[0].find(f"{MXC}leader"))
    assert not schema.validate(document)


@pytest.mark.skipif(not shutil.which("yaz-marcdump"), reason="yaz-marcdump (Debian package yaz) is not installed")
@pytest.mark.parametrize("fixture", [FULL, BARE])
def test_yaz_marcdump_reads_the_iso_file_and_the_xml(tmp_path, epoch, fixture):
    out = build(tmp_path, fixture)
    slug = load(fixture).slug
    iso = out / f"{slug}-cnmarc.iso"
    dump = subprocess.run(["yaz-marcdump", "-f", "UTF-8", "-t", "UTF-8", "-i", "marc", "-o", "line", str(iso)],
                          capture_output=True, text=True, check=False)
    assert (dump.returncode, dump.stderr) == (0, "")
    rows = dump.stdout.splitlines()
    assert [row for row in rows if row.startswith("001 ")] == [f"001 {slug}-print", f"001 {slug}-epub"]
    assert [row for row in rows if row.startswith("101 ")] == ["101 0  $a chi"] * 2
    titles = [row for row in rows if row.startswith("200 1  $a 公共服务导论 $9 gong gong fu wu dao lun")]
    assert len(titles) == 2
    # yaz turns the MarcXchange file back into exactly the ISO 2709 bytes.
    back = subprocess.run(["yaz-marcdump", "-i", "marcxchange", "-o", "marc", str(out / f"{slug}-cnmarc.xml")],
                          capture_output=True, check=False)
    assert back.returncode == 0 and back.stdout == iso.read_bytes()
