"""The dated-event data and its checks (zhbook.ext.timeline).

The good root (tests/roots/test-timeline-good) is built to HTML, LaTeX and EPUB and its output is read back:
the ``{event}`` dates at their precision and their links to the table rows, the 大事年表 table in the data's
order, each row's citation numbered like the prose ``{cite}`` and its link to the section. Each failure mode has
its own root, which must give exactly the one expected warning, naming file and line. This book (source/) is
checked in book_tests/test_book_timeline.py.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html
from pybtex.database import Entry
from sphinx.util.console import strip_escape_sequences

from zhbook.ext.timeline import PartialDate, bib_entry_date, find_prose_dates

REPO = Path(__file__).resolve().parent.parent
ROOTS = REPO / "tests" / "roots"
WARNING_LINE = re.compile(r"^(?P<file>\S+?):(?P<line>\d+): WARNING: (?P<message>.*) \[timeline\.(?P<subtype>\w+)\]$")


def timeline_warnings(app) -> list[re.Match]:
    """The [timeline.*] warnings of a build, parsed into file, line, message and subtype."""
    lines = strip_escape_sequences(app.warning.getvalue()).splitlines()
    found = [line for line in lines if "[timeline." in line]
    parsed = [WARNING_LINE.match(line) for line in found]
    assert all(parsed), f"a timeline warning without file:line: {found}"
    return parsed


def all_warnings(app) -> list[str]:
    return [line for line in strip_escape_sequences(app.warning.getvalue()).splitlines() if "WARNING" in line]


@pytest.fixture
def build_root(make_app, tmp_path):
    """Copy a test root to a fresh folder and build it; returns the app."""
    def build(name: str, buildername: str = "dummy", srcdir: Path | None = None):
        if srcdir is None:
            srcdir = tmp_path / name
            shutil.copytree(ROOTS / f"test-{name}", srcdir)
        app = make_app(buildername, srcdir=srcdir, builddir=srcdir / "_build")
        app.build()
        return app
    return build


# ----------------------------------------------------------------------------------------------------------------
# Dates, the prose pattern and bib dates

def test_partial_date_renders_at_its_precision():
    assert PartialDate.parse_iso("2007-10-15").zh() == "2007年10月15日"
    assert PartialDate.parse_iso("2008-09").zh() == "2008年9月"
    assert PartialDate.parse_iso("1982").zh() == "1982年"
    for bad in ("2009-02-30", "2009-13", "07-10-15", "2007/10/15", "2007-1-5"):
        with pytest.raises(ValueError):
            PartialDate.parse_iso(bad)


def test_partial_dates_compare_at_the_coarser_precision():
    day, month, year = PartialDate(2009, 7, 12), PartialDate(2009, 6), PartialDate(2009)
    assert day.compare(year) == 0 and year.compare(day) == 0
    assert month.compare(day) < 0 and day.compare(month) > 0
    assert PartialDate(2009, 7).compare(day) == 0


@pytest.mark.parametrize("text, dates", [
    ("于2009年7月12日播发", [(2009, 7, 12)]),
    ("2008年9月，襄汾", [(2008, 9, None)]),
    ("全会于2008年2月25日至27日举行", [(2008, 2, 25), (2008, 2, 27)]),
    ("会期2008年2月25—27日", [(2008, 2, 25), (2008, 2, 27)]),
    ("2008年2月25日至3月1日", [(2008, 2, 25), (2008, 3, 1)]),
    ("2008年12月30日至2009年1月2日", [(2008, 12, 30), (2009, 1, 2)]),
    ("2008年2月至3月", [(2008, 2, None), (2008, 3, None)]),
    ("１９８２年３月８日", [(1982, 3, 8)]),  # full-width digits are read too
])
def test_prose_dates_are_found_with_their_ranges(text, dates):
    found = list(find_prose_dates(text))
    assert len(found) == 1
    assert [tuple(date) for date in found[0].dates] == dates


def test_year_only_and_impossible_dates():
    assert list(find_prose_dates("1982年、1988年和1982—2013年的改革")) == []
    (impossible,) = find_prose_dates("2009年2月30日")
    assert impossible.dates == ()


@pytest.mark.parametrize("text, source_date, dates", [
    ("新华社北京7月12日电 中共中央办公厅、国务院办公厅日前印发", (2009, 7, 13), [(2009, 7, 12)]),  # a dateline
    ("北京12月31日电", (2010, 1, 2), [(2009, 12, 31)]),  # a dateline of the last year
    ("二〇〇九年六月三十日", None, [(2009, 6, 30)]),
    ("总理 温家宝 二○○七年四月五日", (2011, 11, 18), [(2007, 4, 5)]),  # ○ (U+25CB) for zero, as documents type it
    ("全会于2008年2月25日至27日在北京举行", None, [(2008, 2, 25), (2008, 2, 27)]),
    ("截至2017年4月", None, [(2017, 4, None)]),
    ("2001年起，南京开展", None, [(2001, None, None)]),
    ("发布时间:2017-10-18 11:20", None, [(2017, 10, 18)]),
    ("７月１２日电", (2009, 7, 13), [(2009, 7, 12)]),  # full-width digits
    ("7月12日电", None, []),  # no year, and no dated source to take it from
    ("三年后又把它扩展成专著", None, []),
])
def test_dates_stated_in_evidence(text, source_date, dates):
    from zhbook.ext.timeline import find_stated_dates

    source = PartialDate(*source_date) if source_date else None
    assert [tuple(found.date) for found in find_stated_dates(text, source)] == dates


def test_bib_dates_prefer_the_date_field_then_year_and_month():
    assert bib_entry_date(Entry("misc", [("date", "2009-06-30"), ("year", "2010")])) == PartialDate(2009, 6, 30)
    assert bib_entry_date(Entry("misc", [("date", "2009-06-30/2009-07-12")])) == PartialDate(2009, 6, 30)
    assert bib_entry_date(Entry("misc", [("year", "2008"), ("month", "August")])) == PartialDate(2008, 8)
    assert bib_entry_date(Entry("misc", [("year", "2008"), ("month", "9")])) == PartialDate(2008, 9)
    assert bib_entry_date(Entry("misc", [("year", "2008")])) == PartialDate(2008)
    assert bib_entry_date(Entry("misc", [("title", "无日期")])) is None


# ----------------------------------------------------------------------------------------------------------------
# The good root, in every output

def good_events() -> list[dict]:
    return yaml.safe_load((ROOTS / "test-timeline-good" / "timeline.yaml").read_text(encoding="utf-8"))


def test_good_root_html(build_root):
    app = build_root("timeline-good", "html")
    assert all_warnings(app) == []
    chapter = lxml_html.parse(str(app.outdir / "chapter.html"))
    table_page = lxml_html.parse(str(app.outdir / "timeline.html"))
    references = lxml_html.parse(str(app.outdir / "references.html"))

    # {event}: the date at its precision, linked to the event's row
    links = {a.get("href"): a.text_content() for a in chapter.iterfind(".//a") if "#event-" in a.get("href", "")}
    assert links == {
        "timeline.html#event-cpc17-report": "2007年10月15日",
        "timeline.html#event-reform-1982": "1982年",
        "timeline.html#event-xiangfen-dam": "2008年9月",
        "timeline.html#event-accountability-regulation": "2009年7月12日",
    }
    # {date}: the text unchanged
    assert [span.text for span in chapter.iterfind(".//span[@class='timeline-date']")] == [
        "2007年10月15日至21日", "2013年3月"]

    # the table: one row per event, in the data's order, each with its anchor
    (table,) = table_page.iterfind(".//table[@class]")
    assert "timeline" in table.get("class")
    assert [th.text_content() for th in table.iterfind(".//thead//th")] == ["日期", "事件", "来源", "见"]
    rows = table.findall(".//tbody/tr")
    events = good_events()
    assert len(rows) == len(events)
    for row, event in zip(rows, events):
        date_cell, what_cell, source_cell, see_cell = row.findall("td")
        assert date_cell.find(".//span[@id]").get("id") == f"event-{event['id']}"
        assert date_cell.text_content() == PartialDate.parse_iso(event["date"]).zh()
        assert what_cell.text_content() == event["what"]
        # the sources are cited like {cite}: one resolved mark per key, pointing into the bibliography
        marks = source_cell.findall(".//span[@class='bibtex-citation']//a")
        assert len(marks) == len(event["sources"])
        for mark in marks:
            href = mark.get("href")
            assert href.startswith("references.html#")
            assert mark.text_content().isdigit()
        # 见: the section, by its label, showing its title
        (see,) = see_cell.iterfind(".//a")
        assert see.get("href") == f"chapter.html#{event['section']}"
        assert see.text_content() == chapter.find(f".//section[@id='{event['section']}']/h2").text_content().rstrip("¶")
    # the cpc17-report mark in the table is the same number as the prose {cite} of the same key
    prose_mark = chapter.find(".//span[@class='bibtex-citation']//a[@title]")
    table_marks = {a.get("href"): a.text_content() for a in table.iterfind(".//span[@class='bibtex-citation']//a")}
    assert table_marks[prose_mark.get("href")] == prose_mark.text_content()


def test_good_root_latex(build_root):
    app = build_root("timeline-good", "latex")
    assert all_warnings(app) == []
    (tex,) = app.outdir.glob("*.tex")
    source = tex.read_text(encoding="utf-8")
    table = source[source.index(r"\begin{longtable}"):source.index(r"\end{longtable}")]
    for event in good_events():
        date = PartialDate.parse_iso(event["date"]).zh()
        assert rf"\phantomsection\label{{\detokenize{{timeline:event-{event['id']}}}}}{date}" in table
        assert rf"\hyperref[\detokenize{{chapter:{event['section']}}}]" in table
    assert table.count(r"\hyperlink{cite.references:") == sum(len(e["sources"]) for e in good_events())
    assert (r"\hyperref[\detokenize{timeline:event-cpc17-report}]{\sphinxcrossref{\DUrole{timeline-event}"
            r"{2007年10月15日}}}") in source


def test_good_root_epub(build_root):
    app = build_root("timeline-good", "epub")
    assert all_warnings(app) == []
    page = (app.outdir / "timeline.xhtml").read_text(encoding="utf-8")
    chapter = (app.outdir / "chapter.xhtml").read_text(encoding="utf-8")
    assert 'id="event-cpc17-report"' in page and 'href="chapter.xhtml#ch-origins"' in page
    assert 'href="timeline.xhtml#event-cpc17-report"' in chapter


# ----------------------------------------------------------------------------------------------------------------
# One root per failure mode: exactly the expected warnings, each naming its file and line

FAILURES = {
    "timeline-unknown-key": [("timeline.yaml", 14, "source", "'no-such-key' is not a key in the bib files")],
    "timeline-document-date": [("timeline.yaml", 12, "document",
                                "dated 2009-07-13 but it is the issuing of 'regulation', dated 2009-07-12")],
    "timeline-report-before": [("timeline.yaml", 4, "report",
                                "reported by 'early-report', dated 2008-08")],
    "timeline-order": [("timeline.yaml", 20, "order", "'congress' (2007-10-15) is out of chronological order")],
    "timeline-prose-date": [("index.md", 9, "date", "written-out date 2009年6月3日 matches no event"),
                            ("index.md", 10, "date", "2008年9月8日 matches no event in timeline.yaml "
                                                     "(event 'dam' is dated 2008年9月)")],
    "timeline-unknown-section": [("timeline.yaml", 8, "section", "section label 'no-such-section' does not exist")],
    "timeline-duplicate-id": [("timeline.yaml", 10, "file", "event id 'reform' is used twice (first on line 1)")],
    "timeline-unknown-event": [("index.md", 6, "event", "unknown timeline event 'reform-1988'")],
    "timeline-evidence": [
        ("timeline.yaml", 57, "file", "event 'unsupported' lacks evidence"),
        ("timeline.yaml", 13, "evidence", "event 'published' is dated 2009-07-13, but its evidence (line 18, from "
                                          "'next-day-report' in timeline-evidence/refs.bib) says “7月12日” (2009年7月12日, "
                                          "the year from 'next-day-report' dated 2009-07-13), which differs from the "
                                          "event's date"),
        # one wrong date, one message: the next-day report now predates the event too, but stays unmentioned
        ("timeline.yaml", 22, "evidence", "event 'moved-later' is dated 2009-07-20, but its evidence (line 27, from "
                                          "'next-day-report' in timeline-evidence/refs.bib) says “7月12日”"),
        ("timeline.yaml", 35, "evidence", "event 'wrong-source': the evidence's source 'yearbook' is not one of the "
                                          "event's sources (next-day-report)"),
        ("timeline.yaml", 45, "evidence", "event 'no-date': the evidence “问责制度化的进程此后加快” states no date "
                                          "(write the excerpt of 'yearbook' that gives 2009年8月)"),
        ("timeline.yaml", 49, "evidence", "event 'coarser' is dated 2009-09-01, but its evidence (line 54, from "
                                          "'yearbook' in timeline-evidence/refs.bib) says “2009年9月”, less precise "
                                          "than the event's date"),
    ],
}


@pytest.mark.parametrize("root", sorted(FAILURES))
def test_failure_roots_name_file_and_line(build_root, root):
    app = build_root(root)
    warnings = timeline_warnings(app)
    got = [(Path(w["file"]).name, int(w["line"]), w["subtype"]) for w in warnings]
    assert got == [(name, line, subtype) for name, line, subtype, _ in FAILURES[root]]
    for warning, (_, _, _, text) in zip(warnings, FAILURES[root]):
        assert Path(warning["file"]).parent == app.srcdir
        assert text in warning["message"]


def test_cached_build_still_reports_prose_dates(build_root, tmp_path):
    """A second build that re-reads nothing reports the same problems: a cached environment hides nothing."""
    first = build_root("timeline-prose-date")
    second = build_root("timeline-prose-date", srcdir=first.srcdir)
    assert "reading sources... [" not in strip_escape_sequences(second.status.getvalue())
    assert [w.group(0) for w in timeline_warnings(second)] == [w.group(0) for w in timeline_warnings(first)]


def test_sphinx_build_W_fails_with_file_and_line(tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-timeline-report-before", srcdir)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "dummy", "-W", "-q", str(srcdir), str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0
    assert f"{srcdir / 'timeline.yaml'}:4: WARNING:" in result.stderr
    assert result.stderr.rstrip().endswith("[timeline.report]")
