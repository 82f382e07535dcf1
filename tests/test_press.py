"""zhbook.tools.press: the print-shop PDF puts each page on a larger sheet with 3 mm bleed, TrimBox/BleedBox and
crop marks, drops links, turns RGB colours into gray or CMYK, declares PDF/X-4 with a FOGRA39 output intent, and
stops at an RGB image with the page named."""
from __future__ import annotations

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from zhbook.tools import press

MM = 72 / 25.4
WIDTH, HEIGHT = 185 * MM, 260 * MM


def a_page(tmp_path, content: bytes, image_space=None):
    path = tmp_path / "book.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(WIDTH, HEIGHT))
        page = pdf.pages[0]
        page.obj.Contents = pdf.make_stream(content)
        page.obj.Annots = Array([pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=[10, 10, 50, 20], Border=[0, 0, 0]))])
        if image_space is not None:
            image = pdf.make_stream(b"\x80\x80\x80", Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1,
                                    ColorSpace=image_space, BitsPerComponent=8)
            page.obj.Resources = Dictionary(XObject=Dictionary(Im1=image))
        pdf.save(path)
    return path


def colour_operators(stream_owner) -> dict[str, list[float]]:
    return {str(op): [float(v) for v in operands] for operands, op in pikepdf.parse_content_stream(stream_owner)
            if str(op) in ("g", "G", "k", "K", "rg", "RG")}


@pytest.fixture
def pressed(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767268800")
    src = a_page(tmp_path, b"0.5 0.5 0.5 rg 0 0 10 10 re f 1 0 0 RG 0 0 m 10 10 l S")
    out = tmp_path / "stage" / "book-press.pdf"
    assert press.main([str(src), str(out)]) == 0
    return out


def test_each_page_sits_on_a_sheet_with_bleed_and_crop_marks(pressed):
    with pikepdf.open(pressed) as pdf:
        (page,) = pdf.pages
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        sheet = [float(v) for v in page.obj.MediaBox]
        assert trim[2] - trim[0] == pytest.approx(WIDTH) and trim[3] - trim[1] == pytest.approx(HEIGHT)
        assert [b - t for b, t in zip(bleed, trim)] == pytest.approx([-3 * MM, -3 * MM, 3 * MM, 3 * MM])
        assert sheet[0] < bleed[0] and sheet[1] < bleed[1] and sheet[2] > bleed[2] and sheet[3] > bleed[3]
        assert "/Annots" not in page.obj and "/CropBox" not in page.obj
        content = page.obj.Contents.read_bytes().decode()
        assert "/CSAll CS 1 SCN" in content and content.count(" l S") == 8, "eight crop marks in the /All separation"
        assert page.obj.Resources.ColorSpace.CSAll[1] == Name.All


def test_rgb_becomes_gray_when_neutral_and_cmyk_otherwise(pressed):
    with pikepdf.open(pressed) as pdf:
        form = pdf.pages[0].obj.Resources.XObject.Pg
        ops = colour_operators(form)
        assert "rg" not in ops and "RG" not in ops
        assert ops["g"] == pytest.approx([0.5])
        assert ops["K"] == pytest.approx([0, 1, 1, 0])


def test_declares_pdfx4_with_the_fogra39_intent(pressed):
    with pikepdf.open(pressed) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == Name.GTS_PDFX and str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert intent.DestOutputProfile.N == 4 and len(intent.DestOutputProfile.read_bytes()) > 10000
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4" and pdf.docinfo["/Trapped"] == Name("/False")
        xmp = pdf.open_metadata()
        assert xmp["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert xmp["xmp:ModifyDate"] == "2026-01-01T12:00:00+00:00"
        assert pdf.pdf_version >= "1.6"


def test_same_input_same_bytes(pressed, tmp_path):
    again = tmp_path / "again.pdf"
    assert press.main([str(tmp_path / "book.pdf"), str(again)]) == 0
    assert again.read_bytes() == pressed.read_bytes()


def test_an_rgb_image_stops_the_press_build_naming_the_page(tmp_path, capsys):
    src = a_page(tmp_path, b"q 10 0 0 10 0 0 cm /Im1 Do Q", image_space=Name.DeviceRGB)
    out = tmp_path / "press.pdf"
    assert press.main([str(src), str(out)]) == 1
    assert capsys.readouterr().err == f"error: {src}: page 1: image /Im1 is not gray or CMYK\n"
    assert not out.exists()
