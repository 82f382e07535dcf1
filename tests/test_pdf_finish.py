"""zhbook.tools.pdf_finish: the PDF's document info and XMP come from the metadata file, dated by SOURCE_DATE_EPOCH,
and the same input gives the same bytes. Fixture: tests/data/book-full.toml (example values, not a real book)."""
from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from zhbook import metadata
from zhbook.tools import pdf_finish

FULL = Path(__file__).parent / "data" / "book-full.toml"
EPOCH = 1767268800  # 2026-01-01T12:00:00Z


@pytest.fixture
def raw_pdf(tmp_path):
    path = tmp_path / "raw.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(524, 737))
        pdf.docinfo["/Title"] = "讲义：第一章"
        pdf.docinfo["/Producer"] = "xdvipdfmx (test)"
        pdf.save(path)
    return path


def finish(raw_pdf, out, *extra):
    assert pdf_finish.main([str(raw_pdf), str(out), "--metadata", str(FULL), *extra]) == 0
    return out


def test_info_and_xmp_come_from_the_metadata(tmp_path, raw_pdf, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    book = metadata.load(FULL)
    with pikepdf.open(finish(raw_pdf, tmp_path / "out" / "book.pdf")) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == book.title
        assert str(info["/Author"]) == "张明；李华；示例大学公共管理学院"
        assert str(info["/Subject"]) == "服务型政府；公共行政"
        assert str(info["/CreationDate"]) == str(info["/ModDate"]) == "D:20260101120000Z"
        assert str(pdf.Root.Lang) == "zh-CN"
        xmp = pdf.open_metadata()
        assert xmp["dc:title"] == book.title
        assert xmp["dc:creator"] == ["张明", "李华", "示例大学公共管理学院"]
        assert set(xmp["dc:publisher"]) == {book.publisher}
        assert xmp["dc:rights"] == book.rights
        assert xmp["xmp:CreateDate"] == xmp["xmp:ModifyDate"] == "2026-01-01T12:00:00+00:00"
        assert xmp["pdf:Producer"] == "xdvipdfmx (test)"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["book.pdf"], "no temporary file left"


def test_a_handout_keeps_its_own_title_or_takes_the_one_given(tmp_path, raw_pdf, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    with pikepdf.open(finish(raw_pdf, tmp_path / "kept.pdf", "--keep-title")) as pdf:
        assert str(pdf.docinfo["/Title"]) == "讲义：第一章" == pdf.open_metadata()["dc:title"]
    with pikepdf.open(finish(raw_pdf, tmp_path / "given.pdf", "--title", "讲义：第二章")) as pdf:
        assert str(pdf.docinfo["/Title"]) == "讲义：第二章"


def test_same_input_same_bytes_and_the_date_is_the_epochs(tmp_path, raw_pdf, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    first = finish(raw_pdf, tmp_path / "a.pdf").read_bytes()
    assert finish(raw_pdf, tmp_path / "b.pdf").read_bytes() == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 86400))
    later = finish(raw_pdf, tmp_path / "c.pdf")
    assert later.read_bytes() != first
    with pikepdf.open(later) as pdf:
        assert str(pdf.docinfo["/ModDate"]) == "D:20260102120000Z"


def test_bad_metadata_is_one_line_and_writes_nothing(tmp_path, raw_pdf, capsys):
    bad = tmp_path / "book.toml"
    bad.write_text('[book]\ntitle = "书"\n', encoding="utf-8")
    assert pdf_finish.main([str(raw_pdf), str(tmp_path / "out.pdf"), "--metadata", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(bad) in err and err.count("\n") == 1
    assert not (tmp_path / "out.pdf").exists()
