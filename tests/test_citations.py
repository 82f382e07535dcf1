"""Citations end to end: the same GB/T 7714 numbers in HTML, EPUB and the PDF, one 参考文献 list in place,
and the bib check stopping the build at file:line with the field.

The book root (tests/roots/test-citations-book) cites across two chapters, in a figure caption, with a page
number, a range and a textual citation; references.md holds the one ``{bibliography}``.
"""
import os
import re
import shutil
import subprocess
import zipfile
from io import StringIO
from pathlib import Path

import lxml.html
import pytest
from pypdf import PdfReader
from sphinx.util.console import strip_escape_sequences

from zhbook.ext.citations import BibliographyError

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = ("ch1", "ch2")

#: The marks of ch1 and ch2 in reading order, as the issue spells them.
EXPECTED_MARKS = ["[1]", "[2-4]", "[1, 3]", "[5]", "[6]", "陈登原[3]", "[3]29", "[7-9]", "2000", "[10]"]
#: The 参考文献 list: citation order, the uncited entry left out.
EXPECTED_ENTRIES = [
    ("denhardt2000", "DENHARDT R B, DENHARDT J V, SMITH A, et al. The New Public Service: Serving Rather than "
                     "Steering[J]. Public Administration Review, 2000, 60(6): 549-559."),
    ("cpc17-report", "胡锦涛. 高举中国特色社会主义伟大旗帜，为夺取全面建设小康社会新胜利而奋斗：在中国共产党第十七次"
                     "全国代表大会上的报告[Z]. 2007-10-15."),
    ("chen2000", "陈登原. 国史旧闻: 第1卷[M]. 北京: 中华书局, 2000: 29."),
    ("ding2000", "丁文祥. 数字革命与竞争国际化[N]. 中国青年报, 2000-11-20(15)."),
    ("accountability-regulation-2009", "中共中央办公厅, 国务院办公厅. 关于实行党政领导干部问责的暂行规定[Z]. 2009-07-12."),
    ("gbt7714-2015", "全国信息与文献标准化技术委员会. 信息与文献 参考文献著录规则: GB/T 7714—2015[S]. "
                     "北京: 中国标准出版社, 2015."),
    ("wang-liu2014", "王名, 刘国翰. 公民社会与治理现代化[EB/OL]. (2014-11-29)[2026-11-26]. "
                     "https://aisixiang.com/data/80689.html."),
    ("who1970", "World Health Organization. Factors regulating the immune response: report of WHO Scientific "
                "Group[R]. Geneva: WHO, 1970."),
    ("cnnic2012", "中国互联网络信息中心. 第29次中国互联网络发展现状统计报告[EB/OL]. (2012-01-16)[2013-03-26]. "
                  "http://www.cnnic.net.cn/hlwfzyj/hlwxzbg/201201/P020120709345264469680.pdf."),
    ("yuan2012", "袁训来, 陈哲, 肖书海, 等. 蓝田生物群: 一个认识多细胞生物起源和早期演化的新窗口[J]. 科学通报, "
                 "2012, 57(34): 3219."),
]
NUMBER_OF = {key: str(number) for number, (key, _) in enumerate(EXPECTED_ENTRIES, start=1)}


def squeeze(text: str) -> str:
    """Text without white space (PDF lines break anywhere) and with LaTeX's non-breaking hyphen as '-'."""
    return re.sub(r"\s+", "", text.replace("\u2011", "-"))


def bracketed(marks) -> list[str]:
    """The bracketed numbers of marks, in order: what a PDF's text and an HTML page must agree on."""
    return [found for mark in marks for found in re.findall(r"\[[\d, \-]+\]", mark)]


def marks_and_links(page: Path, suffix: str):
    """Citation marks of an HTML or XHTML page in reading order, and every (number, href) link inside them."""
    tree = lxml.html.fromstring(page.read_bytes())
    spans = tree.xpath("//span[contains(concat(' ', @class, ' '), ' bibtex-citation ')]")
    links = [(a.text_content(), a.get("href")) for span in spans for a in span.iter("a")]
    return [span.text_content() for span in spans], links


def bibliography_entries(page: Path):
    """(id, label, text) of each entry of the 参考文献 page."""
    tree = lxml.html.fromstring(page.read_bytes())
    entries = tree.xpath("//div[contains(concat(' ', @class, ' '), ' citation ')]")
    return [
        (entry.get("id"), entry.xpath(".//span[@class='label']")[0].text_content(),
         " ".join(entry.xpath(".//p")[0].text_content().split()))
        for entry in entries
    ]


def check_web_edition(outdir: Path, suffix: str, warnings: str):
    assert warnings == ""
    marks, links = [], []
    for chapter in CHAPTERS:
        chapter_marks, chapter_links = marks_and_links(outdir / f"{chapter}{suffix}", suffix)
        marks += chapter_marks
        links += chapter_links
    assert marks == EXPECTED_MARKS
    # every number links to its own entry on the 参考文献 page (the year is linked too, to the same entry)
    for text, href in links:
        page, anchor = href.split("#")
        assert page == f"references{suffix}"
        key = anchor.removeprefix("cite-")
        assert text in (NUMBER_OF[key], "陈登原", "2000"), (text, href)
    entries = bibliography_entries(outdir / f"references{suffix}")
    assert entries == [
        (f"cite-{key}", f"[{number}]", text) for number, (key, text) in enumerate(EXPECTED_ENTRIES, start=1)
    ]
    references = (outdir / f"references{suffix}").read_text(encoding="utf-8")
    assert "<h1>参考文献" in references
    assert "Bibliography" not in references
    return marks


@pytest.mark.sphinx("html", testroot="citations-book")
def test_html_marks_numbers_links_and_list(app):
    app.build()
    check_web_edition(Path(app.outdir), ".html", app.warning.getvalue())
    chapter1 = (Path(app.outdir) / "ch1.html").read_text(encoding="utf-8")
    assert '<sup>[<a class="reference internal" href="references.html#cite-denhardt2000"' in chapter1
    # the line break written before a mark does not part it from its word
    assert '多种文献<span class="bibtex-citation"' in chapter1


@pytest.mark.sphinx("epub", testroot="citations-book")
def test_epub_has_the_same_numbers(app):
    app.build()
    outdir = Path(app.outdir)
    marks = check_web_edition(outdir, ".xhtml", app.warning.getvalue())
    # and the packaged book holds those pages
    (epub,) = outdir.glob("*.epub")
    with zipfile.ZipFile(epub) as archive:
        assert {f"{name}.xhtml" for name in (*CHAPTERS, "references")} <= {
            Path(name).name for name in archive.namelist()
        }
    assert bracketed(marks) == bracketed(EXPECTED_MARKS)


@pytest.mark.sphinx("latex", testroot="citations-book")
def test_latex_list_in_place_and_pdf_numbers(app):
    """One list under the 参考文献 chapter, no \\bibname; compiled, the PDF shows the HTML's numbers."""
    app.build()
    assert app.warning.getvalue() == ""
    outdir = Path(app.outdir)
    tex = (outdir / "citations.tex").read_text(encoding="utf-8")
    for english in ("thebibliography", "\\bibname", "Bibliography", "\\refname"):
        assert english not in tex
    assert tex.count("\\chapter{参考文献}") == 1
    chapter = tex.split("\\chapter{参考文献}", 1)[1]
    assert chapter.count("\\bibitem[") == len(EXPECTED_ENTRIES)
    assert "\\chapter" not in chapter.split("\\end{list}", 1)[0]  # the entries are in that chapter
    for number, (key, _) in enumerate(EXPECTED_ENTRIES, start=1):
        assert f"\\bibitem[{number}]{{references:cite-{key}}}" in chapter
    # the caption's mark survives LaTeX's moving argument
    assert "\\caption{图注中的引用\\DUrole{bibtex-citation}{\\mbox{" in tex

    if not (shutil.which("latexmk") and shutil.which("xelatex")):
        pytest.skip("latexmk and xelatex are needed to compile the PDF")
    run = subprocess.run(
        ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "citations.tex"],
        cwd=outdir, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    reader = PdfReader(outdir / "citations.pdf")
    pages = [page.extract_text() for page in reader.pages]
    bibliography_page = next(i for i, text in enumerate(pages) if squeeze("[1]DENHARDT") in squeeze(text))
    assert "参考文献" in pages[bibliography_page]
    body = "\n".join(pages[:bibliography_page]).replace("\u2011", "-")
    assert "Bibliography" not in "".join(pages)

    # the marks: the numbers in the chapters' text, in order, as in HTML and EPUB
    chapters_text = body.split("第一章", 2)[-1]
    assert re.findall(r"\[[\d, \-]+\]", chapters_text) == bracketed(EXPECTED_MARKS)
    # the entries, in order, with their numbers (hyphens dropped: TeX hyphenates "Scien-tific" at a line end)
    listing = squeeze("\n".join(pages[bibliography_page:])).replace("-", "")
    position = 0
    for number, (_, text) in enumerate(EXPECTED_ENTRIES, start=1):
        found = listing.find(squeeze(f"[{number}]{text}").replace("-", ""), position)
        assert found >= 0, (number, text)
        position = found
    # each mark links to its entry: link destinations in reading order map to the numbers printed
    destinations = [
        annotation.get_object()["/A"]["/D"].removeprefix("cite.references:cite-")
        for page in reader.pages[:bibliography_page]
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/A", {}).get("/D", "").startswith("cite.")
    ]
    linked_numbers = [NUMBER_OF[key] for key in destinations]
    assert linked_numbers == ["1", "2", "4", "1", "3", "5", "6", "3", "3", "3", "7", "9", "3", "10"]
    named = reader.named_destinations
    for key in NUMBER_OF:
        assert reader.get_destination_page_number(named[f"cite.references:cite-{key}"]) == bibliography_page


# --- the bib check --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "bibfiles, expected",
    [
        (["missing-field.bib"],
         'missing-field.bib:2: WARNING: entry "no-journal", field "journal or journaltitle": is missing'),
        (["bad-date.bib"], 'bad-date.bib:5: WARNING: entry "bad-date", field "date": "2021-13-06" has no month 13'),
        (["good.bib", "duplicate-key.bib"],
         'duplicate-key.bib:10: WARNING: entry "good-book": the key is already used at {srcdir}/good.bib:1'),
        (["unknown-langid.bib"], 'unknown-langid.bib:7: WARNING: entry "misspelt-langid", field "langid": '
                                 '"chinses" names no language'),
        (["unknown-type.bib"], 'unknown-type.bib:3: WARNING: entry "licensing-law": GB/T 7714 has no document type '
                               'for an entry "@legislation" (use one of @book, '),
        (["url-without-urldate.bib"],
         'url-without-urldate.bib:1: WARNING: entry "no-access-date", field "urldate": is missing'),
        (["newspaper-month.bib"],
         'newspaper-month.bib:4: WARNING: entry "month-only", field "date": "2013-03" must be a day'),
        (["syntax-error.bib"],
         'syntax-error.bib:3: WARNING: entry "unclosed", field "title": BibTeX syntax error: premature end of file'),
    ],
    ids=["missing-field", "bad-date", "duplicate-key", "unknown-langid", "unknown-type", "url-without-urldate",
         "newspaper-month", "syntax-error"],
)
@pytest.mark.sphinx("html", testroot="citations-invalid")
def test_bad_entry_stops_the_build_at_file_line_field(make_app, app_params, bibfiles, expected):
    args, kwargs = app_params
    warnings = StringIO()
    with pytest.raises(BibliographyError, match=r"problem\(s\) in the bib files"):
        make_app(*args, confoverrides={"bibtex_bibfiles": bibfiles}, warning=warnings, **kwargs)
    srcdir = Path(kwargs["srcdir"])
    lines = [line for line in strip_escape_sequences(warnings.getvalue()).splitlines() if "WARNING" in line]
    (line,) = lines  # one message per problem, nothing else
    assert line.startswith(f"{srcdir}/{expected.format(srcdir=srcdir)}")
    assert line.endswith("[zhbook.bib]")


@pytest.mark.sphinx("html", testroot="citations-invalid")
def test_good_bib_file_builds(app):
    app.build()
    assert app.warning.getvalue() == ""
    assert "陈登原. 国史旧闻[M]. 北京: 中华书局, 2000." in (Path(app.outdir) / "index.html").read_text(encoding="utf-8")


def test_command_line_check(tmp_path):
    bib = tmp_path / "x.bib"
    bib.write_text("@misc{x,\n  title = {T},\n  date = {2009-7},\n  langid = {chinese},\n}\n", encoding="utf-8")
    run = subprocess.run(
        [str(REPO / ".venv" / "bin" / "python"), "-m", "zhbook.ext.citations.bibcheck", str(bib)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert run.returncode == 1
    assert run.stderr == f'{bib}:3: entry "x", field "date": "2009-7" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD\n'


@pytest.mark.sphinx("html", testroot="citations-book", srcdir="citations-book-incremental")
def test_incremental_build_renumbers_every_page(make_app, app_params):
    """A citation added at the start of chapter 1 shifts the numbers of chapter 2, which was not edited: the next
    build (a new run on the saved environment, as `make` does) writes chapter 2 again."""
    args, kwargs = app_params
    make_app(*args, **kwargs).build()
    chapter1 = Path(kwargs["srcdir"]) / "ch1.md"
    text = chapter1.read_text(encoding="utf-8")
    chapter1.write_text(text.replace("服务型政府的理念", "世界卫生组织的报告{cite}`who1970`。服务型政府的理念", 1),
                        encoding="utf-8")
    later = chapter1.stat().st_mtime + 10
    os.utime(chapter1, (later, later))
    app = make_app(*args, **kwargs)
    app.build()
    assert "1 changed" in app.status.getvalue()  # only chapter 1 was read again
    outdir = Path(app.outdir)
    entries = {anchor: label for anchor, label, _ in bibliography_entries(outdir / "references.html")}
    assert entries["cite-who1970"] == "[1]"
    assert entries["cite-accountability-regulation-2009"] == "[6]"
    marks, links = marks_and_links(outdir / "ch2.html", ".html")
    assert marks[0] == "[6]"
    for number, href in links:
        assert number in ("陈登原", "2000") or f"[{number}]" == entries[href.split("#")[1]]


@pytest.mark.sphinx("html", testroot="citations-date")
def test_date_works_where_year_and_month_did(app):
    """sphinxcontrib-bibtex's :filter: reads year and month; entries give only the biblatex date."""
    app.build()
    assert app.warning.getvalue() == ""
    entries = bibliography_entries(Path(app.outdir) / "index.html")
    assert entries == [
        ("cite-ding2000", "[1]", "丁文祥. 数字革命与竞争国际化[N]. 中国青年报, 2000-11-20(15)."),
        ("cite-other2000", "[2]", "无名氏. 未被引用的书[M]. 北京: 某出版社, 2000."),
    ]
    marks, _ = marks_and_links(Path(app.outdir) / "index.html", ".html")
    assert marks == ["[1]", "2000"]


@pytest.mark.parametrize(
    "numbers, printed",
    [([1], "1"), ([1, 2], "1, 2"), ([3, 1, 2], "1-3"), ([1, 2, 3, 5, 6], "1-3, 5, 6"), ([4, 4], "4"),
     ([10, 8, 9, 1], "1, 8-10")],
)
def test_numbers_of_one_mark(numbers, printed):
    """Ascending, duplicates once, runs of three or more as first-last (GB/T 7714 顺序编码制)."""
    from pybtex.richtext import Text
    from sphinxcontrib.bibtex.style.template import SphinxReferenceText

    from zhbook.ext.citations import _compressed

    marks = [SphinxReferenceText(None, Text(str(number))) for number in numbers]
    assert str(_compressed(marks)) == printed


def test_every_cite_role_has_a_mark():
    """{cite:p}, {cite:t}, {cite:year} … : a role without a template would fail at the first use."""
    from sphinxcontrib.bibtex.domain import BibtexDomain

    from zhbook.ext.citations import GBT7714ReferenceStyle

    assert set(BibtexDomain._role_names) <= set(GBT7714ReferenceStyle().role_names())


@pytest.mark.sphinx("html", testroot="citations-invalid", confoverrides={"bibtex_reference_style": "label"})
def test_forgotten_reference_style_is_reported(app):
    assert 'bibtex_reference_style is "label"; GB/T 7714 citations need bibtex_reference_style = "gbt7714"' in (
        strip_escape_sequences(app.warning.getvalue())
    )



def check_title_languages(app, suffix: str) -> None:
    """An Italian and a Japanese title inside the Chinese page say which language they are in (a screen reader
    would read the Italian with English rules, the Japanese with Chinese ones); only the title, not the Chinese
    name of the website; an English entry is English as a whole."""
    app.build()
    assert strip_escape_sequences(app.warning.getvalue()) == ""
    page = lxml.html.fromstring((Path(app.outdir) / f"index{suffix}").read_bytes())
    entries = {c.get("id"): c for c in page.xpath("//div[contains(@class, 'citation')]")}
    marked = {entry: [(s.get("lang"), s.text_content()) for s in c.xpath(".//*[@lang]")]
              for entry, c in entries.items()}
    assert marked["cite-it-report"] == [("it", "[Apertura del 18° Congresso Nazionale]")], marked
    assert marked["cite-ja-report"] == [("ja", "行政審査項目の取消を決定")], marked
    assert entries["cite-en-article"].get("lang") == "en" and marked["cite-en-article"] == [], marked


@pytest.mark.sphinx("html", testroot="citations-languages")
def test_titles_in_other_languages_carry_their_language_html(app):
    check_title_languages(app, ".html")


@pytest.mark.sphinx("epub", testroot="citations-languages", srcdir="citations-languages-epub")
def test_titles_in_other_languages_carry_their_language_epub(app):
    check_title_languages(app, ".xhtml")
