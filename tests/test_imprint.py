"""The figures measured on the built book (zhbook.tools.catalog.facts) and the 版本记录 of the copyright page
(zhbook.tools.catalog.imprint), GB/T 12450-2001 (issue 16).

The rounding rules are checked against tables of page counts and the 印张 a publisher prints for them; the layout
measurement against a PDF drawn here with known type size, line pitch and text block; the 版本记录 field by field
for the fixtures (tests/data/book-full.toml with example ISBNs and price, book-bare.toml with none).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pymupdf
import pytest

from zhbook.core import page_geometry
from zhbook.metadata import load
from zhbook.tools.catalog import imprint
from zhbook.tools.catalog.facts import BookFacts, measure, measure_layout

DATA = Path(__file__).parent / "data"
FULL = DATA / "book-full.toml"
BARE = DATA / "book-bare.toml"
MM = 72 / 25.4

FACTS = BookFacts(sequences=(("roman", "vi"), ("arabic", "71")), total_pages=77, blank_pages=4,
                  chars_per_line=39, lines_per_page=36, figures=5, references=78, has_index=True,
                  format_statement="787mm×1092mm 1/16", pages_per_sheet=16)


@pytest.mark.parametrize("pages, sheets", [
    (64, "4"),  # exactly 4 sheets
    (77, "5"),  # odd: 78 faces ÷ 16 = 4.875, bound in quarter sheets → 5
    (66, "4.25"),  # 4.125 → 4.25
    (72, "4.5"),
    (248, "15.5"),
    (524, "32.75"),
    (592, "37"),
])
def test_printing_sheets_are_quarter_steps_of_the_book_block(pages, sheets):
    assert dataclasses.replace(FACTS, total_pages=pages).printing_sheets_text == sheets


def test_character_count_is_capacity_times_printed_pages_in_whole_thousands():
    # 39 characters × 36 lines × (77 − 4 blank pages) = 102,492 → 103千字 (a part of a thousand counts whole).
    assert (FACTS.page_capacity, FACTS.printed_pages, FACTS.character_capacity) == (1404, 73, 102492)
    assert FACTS.thousand_characters == 103
    assert dataclasses.replace(FACTS, blank_pages=5).thousand_characters == 102  # 72 × 1404 = 101,088
    assert dataclasses.replace(FACTS, total_pages=76, blank_pages=4).thousand_characters == 102  # 101,088 again
    assert dataclasses.replace(FACTS, chars_per_line=40, lines_per_page=25, total_pages=44, blank_pages=4
                               ).thousand_characters == 40  # exactly 40,000: no rounding up


def test_front_and_main_pages_come_from_the_page_labels():
    assert (FACTS.extent, FACTS.front_matter_pages, FACTS.main_content_pages, FACTS.content_pages) == (
        "vi, 71", 6, 71, 77)
    unlabelled = dataclasses.replace(FACTS, sequences=())
    assert (unlabelled.extent, unlabelled.main_content_pages) == ("77", 77)


def test_format_statement_comes_from_the_page_geometry():
    assert page_geometry.BOOK.format_statement == "787mm×1092mm 1/16"
    assert page_geometry.BOOK.pages_per_sheet == 16
    with pytest.raises(ValueError):
        page_geometry.HANDOUT.format_statement  # an A4 handout is not cut from a 787 × 1092 sheet


def drawn_book(path: Path, body: float = 10.5, pitch: float = 17.0, first: float = 9.0) -> Path:
    """Five 16开 pages: three full text blocks of body lines (and a larger heading), a blank page, half a page."""
    geometry = page_geometry.BOOK
    left, top = geometry.inner * MM, geometry.top * MM
    width, height = geometry.text_block_size
    line = "服务型政府建设" * 10
    document = pymupdf.open()
    for number in range(5):
        page = document.new_page(width=geometry.width * MM, height=geometry.height * MM)
        if number == 3:
            continue  # a blank verso
        lines = int((height - first) // pitch) + 1
        if number == 0:
            page.insert_text((left, top + first), "第一章", fontname="china-s", fontsize=16)
        for row in range(1 if number == 0 else 0, lines if number != 4 else lines // 2):
            page.insert_text((left, top + first + row * pitch), line[:int(width // body)], fontname="china-s",
                             fontsize=body)
    document.save(path)
    return path


def test_layout_capacity_is_measured_from_the_pdf(tmp_path):
    layout = measure_layout(drawn_book(tmp_path / "book.pdf"), page_geometry.BOOK)
    width, height = page_geometry.BOOK.text_block_size
    # 145 mm = 411 pt ÷ 10.5 pt = 39 characters; 1 + (606.6 − 9) ÷ 17 = 36 lines.
    assert (layout.chars_per_line, layout.lines_per_page) == (int(width // 10.5), int((height - 9) // 17) + 1)
    assert (layout.chars_per_line, layout.lines_per_page, layout.blank_pages, layout.total_pages) == (39, 36, 1, 5)
    # Another body size and pitch give another capacity: the figures are measured, not assumed.
    layout = measure_layout(drawn_book(tmp_path / "small.pdf", body=9, pitch=15), page_geometry.BOOK)
    assert (layout.chars_per_line, layout.lines_per_page) == (45, 40)


def test_colour_is_measured_from_the_drawings(tmp_path):
    grey = drawn_book(tmp_path / "grey.pdf")
    assert not measure_layout(grey, page_geometry.BOOK).in_colour
    document = pymupdf.open(grey)
    document[1].draw_rect(pymupdf.Rect(100, 100, 200, 150), color=(0.2, 0.4, 0.6), fill=(0.9, 0.95, 0.9))
    document[2].draw_rect(pymupdf.Rect(100, 100, 200, 150), color=(0.5, 0.5, 0.5))
    document.save(tmp_path / "colour.pdf")
    assert measure_layout(tmp_path / "colour.pdf", page_geometry.BOOK).in_colour


def test_measure_reads_figures_references_and_index_from_the_latex_files(tmp_path):
    tex = tmp_path / "book.tex"
    tex.write_text("\\sphinxincludegraphics{a}\n\\includegraphics{b}\n"
                   "\\begin{sphinxthebibliography}{9}\n\\bibitem[1]{x}\nX.\n\\end{sphinxthebibliography}\n",
                   encoding="utf-8")
    pdf = drawn_book(tmp_path / "book.pdf")
    facts = measure(pdf, tex)
    assert (facts.figures, facts.references, facts.has_index) == (2, 1, False)
    tex.with_suffix(".ind").write_text("\\begin{sphinxtheindex}\n\\item 政府, 1\n\\end{sphinxtheindex}\n",
                                       encoding="utf-8")
    assert measure(pdf, tex).has_index
    assert measure(pdf).figures == 0


def test_imprint_of_the_full_fixture():
    assert imprint.imprint_lines(load(FULL), FACTS) == [
        "书名：公共服务导论：公共管理课程教材",
        "著者：张明编著 李华主编 示例大学公共管理学院组织编写",
        "出版者：示例大学出版社（北京）",
        "开本：787mm×1092mm 1/16",
        "印张：5",
        "字数：103千字",
        "版次：2026年3月第1版",
        "印次：2026年3月第1次印刷",
        "书号：ISBN 978-7-04-012345-6",
        "电子书书号：ISBN 978-7-04-012346-3",
        "定价：48.00元",
    ]


def test_imprint_of_the_bare_fixture_states_no_number_and_no_price():
    lines = imprint.imprint_lines(load(BARE), FACTS)
    assert lines[3:] == ["开本：787mm×1092mm 1/16", "印张：5", "字数：103千字", "版次：2026年第1版",
                         "印次：2026年第1次印刷"]
    assert not any(line.startswith(("书号", "定价", "电子书书号")) for line in lines)


def test_later_printing_states_its_number_and_not_a_guessed_date():
    later = dataclasses.replace(load(FULL), printing=3)
    fields = imprint.imprint_fields(later, FACTS)
    assert (fields["版次"], fields["印次"]) == ("2026年3月第1版", "第3次印刷")


def test_before_the_book_is_measured_the_page_states_only_the_metadata():
    fields = imprint.imprint_fields(load(FULL), None)
    assert not {"开本", "印张", "字数"} & set(fields)
    assert r"\IfFileExists{\jobname-imprint.tex}" in imprint.page_latex(load(FULL))


def test_built_small_book_prints_the_imprint_its_own_pdf_measures(built_small_book):
    """End to end on the small test book: `make` sets the 版权页 with the 版本记录 that its own PDF measures."""
    import re
    import subprocess

    pdf = built_small_book / "dist" / "small-book.pdf"
    text = subprocess.run(["pdftotext", "-l", "6", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    page = re.sub(r"\s+", "", next(p for p in text.split("\f") if "版次" in p))
    facts = measure(pdf)
    assert facts.page_capacity > 0 and facts.total_pages > 2
    for expected in ("开本787mm×1092mm1/16", f"印张{facts.printing_sheets_text}",
                     f"字数{facts.thousand_characters}千字", "版次2026年第1版", "印次2026年第1次印刷"):
        assert expected in page, (expected, page)
    assert "书号" not in page and "定价" not in page


def settle_project(tmp_path: Path) -> Path:
    """A .tex that asks for its 版本记录 (as the copyright page does), its PDF beside it."""
    tex = tmp_path / "book.tex"
    tex.write_text("\\documentclass{book}\n" + imprint.request_line(str(FULL)) + "\\begin{document}\n",
                   encoding="utf-8")
    drawn_book(tmp_path / "book.pdf")
    return tex


def test_settle_writes_the_measured_imprint_and_reruns_only_when_it_changed(tmp_path):
    tex = settle_project(tmp_path)
    runs = []
    assert imprint.settle(tex, lambda: runs.append(1)) is True
    written = (tmp_path / "book-imprint.tex").read_text(encoding="utf-8")
    assert "印张 & 0.5" in written and "开本 & 787mm×1092mm 1/16" in written and len(runs) == 1
    assert imprint.settle(tex, lambda: runs.append(1)) is False and len(runs) == 1  # nothing changed: no run


def test_an_imprint_that_never_settles_stops_the_build(tmp_path, monkeypatch):
    from zhbook.tools import texrun

    tex = settle_project(tmp_path)

    def grow():  # each XeLaTeX run sets four more pages: the 印张 never agrees with the page
        document = pymupdf.open(tex.with_suffix(".pdf"))
        for _ in range(4):
            document.new_page(width=page_geometry.BOOK.width * MM, height=page_geometry.BOOK.height * MM)
        document.save(tmp_path / "next.pdf")
        document.close()
        (tmp_path / "next.pdf").replace(tex.with_suffix(".pdf"))

    with pytest.raises(imprint.ImprintError, match=r"book\.tex: the 版本记录 does not settle"):
        imprint.settle(tex, grow)
    # texrun turns it into the one-line failure the build prints.
    monkeypatch.setattr(texrun, "run_latexmk", lambda tex, quiet=True, force=False: (grow(), 1)[1])
    with pytest.raises(texrun.TexFailure, match="does not settle"):
        texrun.settle_imprint(tex)
