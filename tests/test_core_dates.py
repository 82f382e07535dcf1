"""zhbook.core.dates: the one partial date and the one reading of a bib entry's date, shared by the GB/T 7714
style, the bib check and the timeline."""
from __future__ import annotations

import pytest
from pybtex.database import Entry

from zhbook.core.dates import DAY, MONTH, YEAR, BibDateError, PartialDate, bib_entry_date, parse_date_range


def test_a_date_keeps_its_precision():
    assert [PartialDate.parse_iso(t).precision for t in ("2009", "2009-07", "2009-07-12")] == [YEAR, MONTH, DAY]
    assert [PartialDate.parse_iso(t).iso for t in ("2009", "2009-07", " 2009-07-12 ")] == ["2009", "2009-07",
                                                                                           "2009-07-12"]
    assert [PartialDate.parse_iso(t).zh() for t in ("1982", "2008-09", "2007-10-15")] == ["1982年", "2008年9月",
                                                                                          "2007年10月15日"]
    assert tuple(PartialDate(2008, 9)) == (2008, 9, None)
    assert {PartialDate(2009, 7, 12), PartialDate.parse_iso("2009-07-12")} == {PartialDate(2009, 7, 12)}


@pytest.mark.parametrize("text, message", [
    ("2009-7", '"2009-7" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD'),
    ("2009/07/12", '"2009/07/12" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD'),
    ("2021-13-06", '"2021-13-06" has no month 13'),
    ("2009-02-30", '"2009-02-30" is not a day of the calendar'),
    ("0000", '"0000" is not a date of the calendar'),
])
def test_a_date_that_does_not_exist_is_refused_saying_why(text, message):
    with pytest.raises(ValueError) as error:
        PartialDate.parse_iso(text)
    assert str(error.value) == message


@pytest.mark.parametrize("parts", [(2009, 13), (2009, 2, 29), (2009, None, 1), (0,)])
def test_no_partial_date_can_be_made_wrong(parts):
    with pytest.raises(ValueError):
        PartialDate(*parts)


def test_dates_compare_at_the_coarser_precision():
    day, month, year = PartialDate(2009, 7, 12), PartialDate(2009, 6), PartialDate(2009)
    assert day.compare(year) == 0 and year.compare(day) == 0
    assert month.compare(day) < 0 and day.compare(month) > 0
    assert PartialDate(2009, 7).compare(day) == 0
    assert PartialDate(2008).compare(day) < 0
    assert day.truncated(MONTH) == (2009, 7) and year.truncated(DAY) == (2009,)


def test_ranges():
    assert parse_date_range("2008-02-25/2008-02-27") == (PartialDate(2008, 2, 25), PartialDate(2008, 2, 27))
    assert parse_date_range("1984/") == (PartialDate(1984), None)
    with pytest.raises(ValueError):
        parse_date_range("2008-02-25/2008-02-30")


@pytest.mark.parametrize("fields, date", [
    ({"date": "2009-06-30", "year": "2010"}, PartialDate(2009, 6, 30)),  # date wins
    ({"date": "2009-06-30/2009-07-12"}, PartialDate(2009, 6, 30)),
    ({"year": "2008"}, PartialDate(2008)),
    ({"year": "2008", "month": "9"}, PartialDate(2008, 9)),
    ({"year": "2008", "month": "09"}, PartialDate(2008, 9)),
    ({"year": "2008", "month": "August"}, PartialDate(2008, 8)),  # what BibTeX's aug macro gives
    ({"year": "2008", "month": "aug"}, PartialDate(2008, 8)),
    ({"year": "2008", "month": "Aug."}, PartialDate(2008, 8)),
    ({"year": "2008", "month": "Sept"}, PartialDate(2008, 9)),
    ({"title": "无日期"}, None),
])
def test_bib_dates(fields, date):
    assert bib_entry_date(fields) == date
    assert bib_entry_date(Entry("misc", list(fields.items()))) == date  # a pybtex entry reads the same


@pytest.mark.parametrize("fields, field, message", [
    ({"date": "2009-7"}, "date", '"2009-7" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD'),
    ({"year": "09"}, "year", '"09" is not a year of four digits'),
    ({"year": "二〇〇九"}, "year", '"二〇〇九" is not a year of four digits'),
    ({"year": "2009", "month": "13"}, "month", '"13" is not a month'),
    ({"year": "2009", "month": "Septx"}, "month", '"Septx" is not a month'),
])
def test_an_unreadable_bib_date_names_its_field(fields, field, message):
    with pytest.raises(BibDateError) as error:
        bib_entry_date(fields)
    assert (error.value.field, str(error.value)) == (field, message)


BIB = """@online{{x,
  title = {{关于深化行政管理体制改革的意见}},
  author = {{{{国务院}}}},
  year = {{2008}},
  month = {{{month}}},
  url = {{https://www.gov.cn/}},
  urldate = {{2025-01-02}},
}}
"""


@pytest.mark.parametrize("month, date", [("Sept.", "2008-09"), ("jul", "2008-07"), ("8", "2008-08")])
def test_style_check_and_timeline_read_one_date(tmp_path, month, date):
    """The bib check accepts the month, the GB/T 7714 style prints it as the update date and the timeline
    compares with it: one reading (the style ignored "Sept." and the check took "Septx" for September)."""
    from pybtex.database import parse_string

    from zhbook.ext.citations.bibcheck import check_bibfiles
    from zhbook.ext.citations.style import GBT7714Style
    from zhbook.ext.timeline import Event, Timeline, check_events

    bib = tmp_path / "x.bib"
    bib.write_text(BIB.format(month=month), encoding="utf-8")
    assert check_bibfiles([bib]) == []
    entry = parse_string(bib.read_text(encoding="utf-8"), "bibtex").entries["x"]
    assert f"({date})" in str(GBT7714Style().format_entry("1", entry).text)
    event = Event(id="e", date=PartialDate.parse_iso(date), what="", sources=["x"], section="", document="x", line=1)
    assert check_events(Timeline(path=tmp_path / "timeline.yaml", events=[event]), {"x": entry}) == []


def test_the_bib_check_reports_a_wrong_month_at_its_line(tmp_path):
    from zhbook.ext.citations.bibcheck import check_bibfiles

    bib = tmp_path / "x.bib"
    bib.write_text(BIB.format(month="Septx"), encoding="utf-8")
    assert [str(p) for p in check_bibfiles([bib])] == [f'{bib}:5: entry "x", field "month": "Septx" is not a month']


# -- the build's date ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, epoch", [("1767268800", 1767268800), (" 1767268800\n", 1767268800), ("0", 0)])
def test_the_build_date_comes_from_source_date_epoch(monkeypatch, value, epoch):
    from zhbook.core.dates import build_datetime, source_date_epoch

    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert source_date_epoch() == epoch
    assert build_datetime().timestamp() == epoch and build_datetime().tzinfo is not None


@pytest.mark.parametrize("value, start", [
    (None, "SOURCE_DATE_EPOCH is not set: "),
    ("", "SOURCE_DATE_EPOCH is not set: "),
    ("  ", "SOURCE_DATE_EPOCH is not set: "),
    ("yesterday", "SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds: "),
    ("-5", "SOURCE_DATE_EPOCH='-5' is not a whole number of seconds: "),
    ("1767268800.5", "SOURCE_DATE_EPOCH='1767268800.5' is not a whole number of seconds: "),
])
def test_an_unset_or_malformed_build_date_is_an_error_never_the_clock_or_1970(monkeypatch, value, start):
    from zhbook.core.dates import SourceDateEpochError, source_date_epoch

    if value is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(SourceDateEpochError) as error:
        source_date_epoch()
    assert str(error.value).startswith(start)
    assert "git log -1 --format=%ct" in str(error.value)


def one_page_pdf(path):
    import pikepdf

    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(595.28, 841.89))
        pdf.save(path)
    return path


@pytest.mark.parametrize("tool", ["pdf_finish", "press"])
def test_the_pdf_tools_stop_without_a_build_date_and_keep_the_last_output(tmp_path, monkeypatch, capsys, tool):
    """Before, both stamped 1970-01-01 into the PDF's dates when SOURCE_DATE_EPOCH was unset."""
    from pathlib import Path

    from zhbook.tools import pdf_finish, press

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    src, dst = one_page_pdf(tmp_path / "in.pdf"), tmp_path / "out.pdf"
    dst.write_bytes(b"the last good output")
    metadata = Path(__file__).parent / "roots" / "test-epub" / "book.toml"
    code = (pdf_finish.main([str(src), str(dst), "--metadata", str(metadata)]) if tool == "pdf_finish"
            else press.main([str(src), str(dst)]))
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: SOURCE_DATE_EPOCH is not set: ") and err.count("\n") == 1
    assert "Traceback" not in err
    assert dst.read_bytes() == b"the last good output"


def test_xelatex_is_not_run_without_a_build_date(tmp_path, monkeypatch):
    """xdvipdfmx would date the PDF and its font tags by the clock."""
    from zhbook.tools.texrun import TexFailure, run_latexmk

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    tex = tmp_path / "book.tex"
    tex.write_text("\\documentclass{article}\\begin{document}x\\end{document}\n", encoding="utf-8")
    with pytest.raises(TexFailure, match=r"^SOURCE_DATE_EPOCH is not set: "):
        run_latexmk(tex)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.tex"]


def test_the_epub_build_stops_without_a_build_date(tmp_path):
    """Before, the EPUB's dcterms:modified and zip times fell back to 1980-01-01."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = shutil.copytree(Path(__file__).parent / "roots" / "test-epub", tmp_path / "src")
    env = {name: value for name, value in os.environ.items() if name != "SOURCE_DATE_EPOCH"}
    # as the make rules run Sphinx: through the zhbook command, which turns Sphinx's crash report into one line
    result = subprocess.run([sys.executable, "-m", "zhbook", "sphinx-build", "-b", "epub", "-W", "-q", "-d", str(tmp_path / "d"),
                             str(root), str(tmp_path / "out")], capture_output=True, text=True, env=env)
    assert result.returncode != 0
    assert result.stderr.startswith("error: SOURCE_DATE_EPOCH is not set: ") and result.stderr.count("\n") <= 1
    assert not list((tmp_path / "out").glob("*.epub"))
