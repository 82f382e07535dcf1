"""The 索引 and 术语表 in pinyin order in HTML, EPUB and PDF, and Chinese words in the HTML search.

Roots: ``test-index-pinyin`` (a small book whose index mixes polyphonic terms, Latin words, a number and
sub-entries) and one ``test-index-glossary-*`` root per glossary failure mode.
"""
from __future__ import annotations

import json
import re
import runpy
import unicodedata
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader
from pypinyin import Style, lazy_pinyin
from sphinx.util.console import strip_colors

from zhbook.ext.index import pinyin as pinyin_index
from zhbook.ext.index.pinyin import READINGS_FILE, Readings, readings_of

TESTS = Path(__file__).resolve().parent
# The test book's own readings of its polyphonic terms, as its conf.py gives them.
ROOT_READINGS = runpy.run_path(str(TESTS / "roots" / "test-index-pinyin" / "conf.py"))["pinyin_index_readings"]
READINGS = readings_of(ROOT_READINGS)
reading, sort_key, group_of = READINGS.reading, READINGS.sort_key, READINGS.group_of

# The index of test-index-pinyin as a reader expects it: readings 参与 cānyù, 长效 chángxiào, 重构 chónggòu,
# 行业 hángyè, 调节 tiáojié, 行政 xíngzhèng, 银行 yínháng; Latin words among them by their letters; the number
# first; the sub-entries of 行政 after it.
EXPECTED_ENTRIES = [
    "12345热线",
    "财政", "参与", "长效机制", "重构",
    "单位",
    "e-government",
    "服务型政府",
    "官员问责制度",
    "行业",
    "New Public Service", "NPM",
    "调节",
    "行政", "简政放权", "行政审批制度改革", "行政问责",
    "银行",
    "责任政府", "政务公开", "中央",
]
SUB_ENTRIES = {"行政": ["简政放权", "行政审批制度改革", "行政问责"]}
EXPECTED_LETTERS = ["C", "D", "E", "F", "G", "H", "N", "T", "X", "Y", "Z"]


def reference_reading(entry: str) -> list[str]:
    """pypinyin's reading of an entry, syllable by syllable, with the test book's own readings of its phrases put
    in; Latin words and numbers as they are written."""
    syllables = [
        syllable.lower()
        for syllable in lazy_pinyin(entry, style=Style.NORMAL, errors=lambda chunk: re.findall(r"[A-Za-z]+|\d+", chunk))
    ]
    if re.fullmatch(r"[\u4e00-\u9fff]+", entry):  # one syllable per character
        for phrase, spoken in ROOT_READINGS.items():
            for start in (match.start() for match in re.finditer(phrase, entry)):
                plain = "".join(c for c in unicodedata.normalize("NFKD", spoken) if not unicodedata.combining(c))
                syllables[start:start + len(phrase)] = plain.split()
    return syllables


def assert_pinyin_order(entries: list[str]) -> None:
    top_level = [entry for entry in entries if entry not in SUB_ENTRIES["行政"]]
    readings = [reference_reading(entry) for entry in top_level]
    assert readings == sorted(readings), "top-level entries are not in the order of their pypinyin readings"
    assert entries == EXPECTED_ENTRIES


def assert_letter_groups(groups: list[tuple[str, list[str]]]) -> None:
    """Groups are 数字 and 符号 first, then A–Z, and each entry sits under the initial of its reading: entries that
    start with a number under 数字, as in the PDF's index."""
    non_letters = {"数字", "符号"}
    letters = [heading for heading, _entries in groups if heading not in non_letters]
    assert letters == EXPECTED_LETTERS
    assert all(heading in non_letters for heading, _ in groups[: len(groups) - len(letters)])
    for heading, entries in groups:
        for entry in (entry for entry in entries if entry not in SUB_ENTRIES["行政"]):
            initial = reference_reading(entry)[0][0].upper()
            expected = initial if initial.isalpha() else "数字" if initial.isdigit() else "符号"
            assert heading == expected, (heading, entry)


# -- the sort key ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("行政", "xing2 zheng4"),
        ("银行", "yin2 hang2"),
        ("重构", "chong2 gou4"),
        ("调节", "tiao2 jie2"),
        ("参与", "can1 yu4"),
        ("单位", "dan1 wei4"),
        ("长效机制", "chang2 xiao4 ji1 zhi4"),
        ("还权于民", "huan2 quan2 yu2 min2"),
        ("行政审批制度改革", "xing2 zheng4 shen3 pi1 zhi4 du4 gai3 ge2"),
    ],
)
def test_polyphonic_terms_read_right(term, expected):
    assert reading(term) == expected


def test_sort_key_orders_syllables_then_tones_and_keeps_a_character_together():
    words = ["政府", "正式", "行政", "形式", "行政问责", "NPM", "南京", "e-government", "2008年", "12345热线"]
    assert sorted(words, key=sort_key) == [
        "2008年", "12345热线",  # numbers first, by value
        "e-government", "南京", "NPM",  # nan < npm
        "形式", "行政", "行政问责",  # xing2 both: 形 before 行 by code point, and all 行… stay together
        "政府", "正式",  # zheng4 both: 政 before 正
    ]


def test_groups_are_initials_of_the_reading():
    assert [group_of(word) for word in ["行政", "银行", "重构", "NPM", "“小政府”", "12345热线"]] == [
        "X", "Y", "C", "N", "X", pinyin_index.NUMBERS,
    ]


def test_readings_command_prints_the_sort_readings(tmp_path, capsys):
    assert pinyin_index.main(["--readings", "重构", "银行"]) == 0
    assert capsys.readouterr().out == "重构\tzhong4 gou4\n银行\tyin2 hang2\n"  # pypinyin's alone
    readings_file = tmp_path / READINGS_FILE
    readings_file.write_text(json.dumps(ROOT_READINGS, ensure_ascii=False), encoding="utf-8")
    assert pinyin_index.main(["--readings-file", str(readings_file), "--readings", "重构", "银行"]) == 0
    assert capsys.readouterr().out == "重构\tchong2 gou4\n银行\tyin2 hang2\n"  # the book's


def test_a_reading_needs_one_syllable_per_character():
    with pytest.raises(ValueError, match="one syllable per character"):
        Readings({"行政": "xíngzhèng"})


@pytest.mark.sphinx("html", testroot="index-pinyin-readings", confoverrides={"pinyin_index_readings": {"行政": "x"}})
def test_a_wrong_reading_in_conf_stops_the_build(make_app, app_params):
    from sphinx.errors import ConfigError

    args, kwargs = app_params
    with pytest.raises(ConfigError, match=r"^pinyin_index_readings: reading 'x' of '行政' needs one syllable per"):
        make_app(*args, **kwargs)


def test_the_book_readings_are_the_books_not_the_package(make_app, rootdir, tmp_path):
    """Two books built one after the other in one process: each index and glossary sorts by its own readings.
    (The readings were a process-wide global: the first book's 重构 chóng gòu leaked into the second.)"""
    from sphinx.testing.util import _clean_up_global_state

    def build(name: str, readings: dict | None):
        src = tmp_path / name
        shutil.copytree(rootdir / "test-index-pinyin-readings", src)
        overrides = {"pinyin_index_readings": readings} if readings is not None else {}
        app = make_app("html", srcdir=src, confoverrides=overrides)
        app.build()
        assert strip_colors(app.warning.getvalue()) == ""
        groups, _links = genindex_groups(app.outdir / "genindex.html")
        page = lxml_html.fromstring((app.outdir / "glossary.html").read_bytes())
        glossary = [term.text_content().strip().rstrip("¶") for term in page.xpath('//dl[contains(@class, "glossary")]/dt')]
        _clean_up_global_state()
        return groups, glossary

    book = ([("C", ["财政", "重构"]), ("Z", ["中央"])], ["重构", "中央"])  # 重构 chóng gòu
    plain = ([("C", ["财政"]), ("Z", ["中央", "重构"])], ["中央", "重构"])  # 重构 zhòng gòu, after 中央 zhōng yāng
    assert build("first", {"重构": "chóng gòu"}) == book
    assert build("second", None) == plain
    assert build("third", {"重构": "chóng gòu"}) == book


def test_ind_uses_the_readings_the_latex_build_wrote(tmp_path):
    idx = tmp_path / "book.idx"
    idx.write_text("\\indexentry{重构@\\spxentry{重构}|hyperpage}{2}\n\\indexentry{中央@\\spxentry{中央}|hyperpage}{3}\n",
                   encoding="utf-8")

    def items() -> list[str]:
        assert pinyin_index.main(["-q", str(idx)]) == 0
        ind = idx.with_suffix(".ind").read_text(encoding="utf-8")
        return [line.strip() for line in ind.splitlines() if line.strip().startswith(("\\item", "\\bigletter"))]

    assert items() == [r"\bigletter Z", r"\item \spxentry{中央}, \hyperpage{3}", r"\item \spxentry{重构}, \hyperpage{2}"]
    (tmp_path / READINGS_FILE).write_text('{"重构": "chóng gòu"}\n', encoding="utf-8")
    assert items() == [r"\bigletter C", r"\item \spxentry{重构}, \hyperpage{2}", r"\bigletter Z",
                       r"\item \spxentry{中央}, \hyperpage{3}"]


# -- the makeindex replacement ---------------------------------------------------------------------------

IDX_LINES = [
    r"\indexentry{beta@\spxentry{beta}|hyperpage}{3}",
    r"\indexentry{alpha@\spxentry{alpha}|hyperpage}{2}",
    r"\indexentry{alpha@\spxentry{alpha}!sub@\spxentry{sub}|hyperpage}{4}",
    r"\indexentry{alpha@\spxentry{alpha}|hyperindexformat{\spxpagem}}{5}",
    r"\indexentry{alpha@\spxentry{alpha}|hyperpage}{6}",
    r"\indexentry{alpha@\spxentry{alpha}|hyperpage}{7}",
    r"\indexentry{alpha@\spxentry{alpha}|hyperpage}{8}",
    r"\indexentry{alpha@\spxentry{alpha}|hyperpage}{2}",
    r"\indexentry{gamma@\spxentry{gamma}|hyperindexformat{\see{beta}}}{9}",
    r"\indexentry{12345@\spxentry{12345}|hyperpage}{9}",
    r"\indexentry{only@\spxentry{only}!child@\spxentry{child}|hyperpage}{11}",
    r"\indexentry{front@\spxentry{front}|hyperpage}{iv}",
    r"\indexentry{front@\spxentry{front}|hyperpage}{12}",
    r"\indexentry{front@\spxentry{front}|hyperpage}{13}",
    r"\indexentry{delta@\spxentry{delta}|hyperpage}{1}",
    r"\indexentry{delta@\spxentry{delta}|hyperpage}{3}",
]


@pytest.mark.skipif(not shutil.which("makeindex"), reason="makeindex is not installed")
def test_ind_layout_equals_makeindex_for_latin_entries(tmp_path):
    """On entries where pinyin plays no part, the .ind is byte for byte what makeindex writes with python.ist."""
    import sphinx

    (tmp_path / "book.idx").write_text("\n".join(IDX_LINES) + "\n", encoding="utf-8")
    shutil.copy(Path(sphinx.__file__).parent / "texinputs" / "python.ist", tmp_path)
    subprocess.run(["makeindex", "-q", "-s", "python.ist", "-o", "makeindex.ind", "book.idx"], cwd=tmp_path, check=True)
    assert pinyin_index.main(["-q", "-s", "python.ist", "-o", str(tmp_path / "ours.ind"), str(tmp_path / "book.idx")]) == 0
    assert (tmp_path / "ours.ind").read_text(encoding="utf-8") == (tmp_path / "makeindex.ind").read_text(encoding="utf-8")


def test_ind_sorts_by_pinyin_and_reads_sphinx_quoting(tmp_path):
    idx = tmp_path / "book.idx"
    idx.write_text(
        "\n".join([
            r"\indexentry{银行@\spxentry{银行}|hyperpage}{7}",
            r"\indexentry{行政@\spxentry{行政}!行政问责@\spxentry{行政问责}|hyperpage}{9}",
            r"\indexentry{行政@\spxentry{行政}!简政放权@\spxentry{简政放权}|hyperpage}{8}",
            r"\indexentry{行政@\spxentry{行政}|hyperpage}{3}",
            r"\indexentry{e\sphinxhyphen{}government@\spxentry{e\sphinxhyphen{}government}|hyperpage}{4}",
            r'\indexentry{问责"!@\spxentry{问责"!}|hyperpage}{5}',
            r'\indexentry{a"@b@\spxentry{a"@b}|hyperpage}{6}',
            r"\indexentry{重构@\spxentry{重构}|hyperpage}{2}",
        ]) + "\n",
        encoding="utf-8",
    )
    (tmp_path / READINGS_FILE).write_text(json.dumps(ROOT_READINGS, ensure_ascii=False), encoding="utf-8")
    assert pinyin_index.main(["-q", str(idx)]) == 0
    ind = idx.with_suffix(".ind").read_text(encoding="utf-8")
    lines = [line.strip() for line in ind.splitlines() if line.strip().startswith(("\\item", "\\subitem", "\\bigletter"))]
    assert lines == [
        r"\bigletter A",
        r"\item \spxentry{a@b}, \hyperpage{6}",
        r"\bigletter C",
        r"\item \spxentry{重构}, \hyperpage{2}",
        r"\bigletter E",
        r"\item \spxentry{e\sphinxhyphen{}government}, \hyperpage{4}",
        r"\bigletter W",
        r"\item \spxentry{问责!}, \hyperpage{5}",
        r"\bigletter X",
        r"\item \spxentry{行政}, \hyperpage{3}",
        r"\subitem \spxentry{简政放权}, \hyperpage{8}",
        r"\subitem \spxentry{行政问责}, \hyperpage{9}",
        r"\bigletter Y",
        r"\item \spxentry{银行}, \hyperpage{7}",
    ]
    assert ind.startswith("\\begin{sphinxtheindex}") and ind.endswith("\\end{sphinxtheindex}\n")


def test_malformed_idx_line_names_file_and_line(tmp_path, capsys):
    idx = tmp_path / "book.idx"
    idx.write_text("\\indexentry{行政@\\spxentry{行政}|hyperpage}{3}\n\\indexentry{行政@\\spxentry{行政|hyperpage}{4}\n")
    assert pinyin_index.main([str(idx)]) == 1
    assert f"{idx}:2: unbalanced braces" in capsys.readouterr().err


def test_empty_idx_gives_empty_ind(tmp_path):
    idx = tmp_path / "book.idx"
    idx.write_text("")
    assert pinyin_index.main(["-q", str(idx)]) == 0
    assert idx.with_suffix(".ind").read_text() == ""


# -- HTML and EPUB ---------------------------------------------------------------------------------------


def genindex_groups(path: Path) -> tuple[list[tuple[str, list[str]]], dict[str, list[str]]]:
    """(heading, entries) in page order, sub-entries flattened after their entry, and the links of each entry."""

    def name(item) -> str:  # an entry without a link of its own is bare text before its sub-entries
        return (item.text or "").strip() or item.xpath("string(a[1])").strip()

    tree = lxml_html.fromstring(path.read_bytes())
    groups, links = [], {}
    for table in tree.xpath('//table[contains(@class, "genindextable")]'):
        heading = table.xpath("preceding-sibling::h2[1]")[0].text_content().strip()
        entries = []
        for item in table.xpath("tr/td/ul/li"):
            for entry in [item, *item.xpath("ul/li")]:
                entries.append(name(entry))
                links[name(entry)] = entry.xpath("a/@href")
        groups.append((heading, entries))
    return groups, links


@pytest.mark.sphinx("html", testroot="index-pinyin")
def test_html_genindex_in_pinyin_order(app):
    app.build()
    assert strip_colors(app.warning.getvalue()) == ""
    groups, links = genindex_groups(app.outdir / "genindex.html")
    assert_pinyin_order([entry for _heading, entries in groups for entry in entries])
    assert_letter_groups(groups)
    assert links["重构"] == ["reform.html#index-7"]
    assert links["行政问责"] == ["accountability.html#index-1"]


@pytest.mark.sphinx("epub", testroot="index-pinyin")
def test_epub_genindex_in_pinyin_order_with_working_links(app):
    app.build()
    assert strip_colors(app.warning.getvalue()) == ""
    groups, links = genindex_groups(app.outdir / "genindex.xhtml")
    assert_pinyin_order([entry for _heading, entries in groups for entry in entries])
    assert_letter_groups(groups)
    for entry, hrefs in links.items():
        for href in hrefs:
            page, anchor = href.split("#")
            assert f'id="{anchor}"' in (app.outdir / page).read_text(encoding="utf-8"), (entry, href)


@pytest.mark.sphinx("html", testroot="index-pinyin", confoverrides={"html_split_index": True})
def test_split_index_is_refused(app):
    app.build()
    assert "html_split_index is not supported" in strip_colors(app.warning.getvalue())


# -- LaTeX and the PDF -----------------------------------------------------------------------------------


@pytest.mark.sphinx("latex", testroot="index-pinyin")
def test_pdf_index_in_pinyin_order_with_page_numbers(app):
    app.build()
    assert strip_colors(app.warning.getvalue()) == ""
    assert pinyin_index.LATEXMKRC_MARK in (app.outdir / "latexmkrc").read_text(encoding="utf-8")
    # latexmk reads the latexmkrc Sphinx wrote, with our $makeindex line appended by the extension.
    subprocess.run(
        ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "pinyin.tex"],
        cwd=app.outdir,
        check=True,
        capture_output=True,
    )
    assert "zhbook.ext.index.pinyin" in (app.outdir / "pinyin.ilg").read_text(encoding="utf-8")

    reader = PdfReader(app.outdir / "pinyin.pdf")
    texts = [page.extract_text() for page in reader.pages]
    first = next(i for i, text in enumerate(texts) if text.lstrip().startswith("索引"))
    lines = [line.strip() for text in texts[first:] for line in text.splitlines()[1:]]
    groups: list[tuple[str, list[str]]] = []
    pages: dict[str, str] = {}
    for line in lines:
        if re.fullmatch(r"[A-Z]|数字|符号", line):
            groups.append((line, []))
        elif match := re.fullmatch(r"(.+), (\d+)", line):
            groups[-1][1].append(match[1].replace(" ", "") if re.search(r"[\u4e00-\u9fff]", match[1]) else match[1])
            pages[groups[-1][1][-1]] = match[2]
    assert_pinyin_order([entry for _heading, entries in groups for entry in entries])
    letters = [heading for heading, _entries in groups if heading not in {"数字", "符号"}]
    assert letters == EXPECTED_LETTERS
    # Each page number is the printed number of a page that discusses the entry.
    labels = reader.page_labels
    for entry in ["官员问责制度", "银行", "政务公开", "服务型政府"]:
        labelled = [texts[i].replace(" ", "") for i, label in enumerate(labels) if label == pages[entry]]
        assert any(entry in text for text in labelled), (entry, pages[entry])


@pytest.mark.sphinx("latex", testroot="index-pinyin", confoverrides={"latex_use_xindy": True})
def test_xindy_is_refused(app):
    app.build()
    assert "set latex_use_xindy = False" in strip_colors(app.warning.getvalue())
    assert pinyin_index.LATEXMKRC_MARK not in (app.outdir / "latexmkrc").read_text(encoding="utf-8")


# -- the 术语表 -----------------------------------------------------------------------------------------


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    numbers = [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == text]
    return numbers[occurrence - 1]


@pytest.mark.sphinx("html", testroot="index-glossary-order")
def test_glossary_out_of_pinyin_order_is_one_warning_at_its_line(app):
    app.build()
    glossary = app.srcdir / "glossary.md"
    warnings = strip_colors(app.warning.getvalue()).strip().splitlines()
    assert warnings == [
        f"{glossary}:{line_of(glossary, '服务型政府')}: WARNING: glossary term '服务型政府' (fu2 wu4 xing2 zheng4 fu3) "
        "is out of pinyin order: it belongs before '政府' (zheng4 fu3) [zhbook.glossary]"
    ]


@pytest.mark.sphinx("html", testroot="index-glossary-sorted")
def test_sorted_glossary_comes_out_in_pinyin_order(app):
    app.build()
    assert strip_colors(app.warning.getvalue()) == ""
    tree = lxml_html.fromstring((app.outdir / "glossary.html").read_bytes())
    terms = [dt.text_content().strip().rstrip("¶").strip() for dt in tree.xpath('//dl[contains(@class, "glossary")]/dt')]
    assert terms == ["参与", "服务型政府", "NPM", "行政", "银行", "政府"]
    assert [reference_reading(term) for term in terms] == sorted(reference_reading(term) for term in terms)


@pytest.mark.sphinx("html", testroot="index-glossary-unreferenced")
def test_unreferenced_glossary_term_is_a_warning_at_its_definition(app):
    app.build()
    glossary = app.srcdir / "glossary.md"
    warnings = strip_colors(app.warning.getvalue()).strip().splitlines()
    # 责任政府 is only referred to from the glossary itself, which does not count.
    assert warnings == [
        f"{glossary}:{line_of(glossary, '责任政府')}: WARNING: glossary term '责任政府' is not referenced: "
        "link at least one use in the chapters with {term}`责任政府` [zhbook.glossary]"
    ]


@pytest.mark.sphinx("html", testroot="index-glossary-duplicate")
def test_glossary_term_defined_twice_is_a_warning_at_the_second_definition(app):
    app.build()
    glossary = app.srcdir / "glossary.md"
    warnings = strip_colors(app.warning.getvalue()).strip().splitlines()
    assert warnings == [
        f"{glossary}:{line_of(glossary, '服务型政府', occurrence=2)}: WARNING: "
        "duplicate term description of 服务型政府, other instance in glossary"
    ]


# -- the Chinese search ----------------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="index-pinyin")
def test_language_data_names_a_stemmer_it_defines(app):
    """Sphinx 9.0.4 writes window.Stemmer = ChineseStemmer, which no script defines (sphinx-doc/sphinx#14229)."""
    app.build()
    language_data = (app.outdir / "_static" / "language_data.js").read_text(encoding="utf-8")
    stemmers = re.findall(r"window\.Stemmer = (\w+);", language_data)
    assert stemmers == ["EnglishStemmer"]
    assert re.search(r"\bvar EnglishStemmer\s*=", language_data)


@pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed")
@pytest.mark.sphinx("html", testroot="index-pinyin")
def test_searching_for_wenze_in_sphinx_search_code_finds_the_pages(app):
    """The query runs through Sphinx's own searchtools.js with the scripts search.html loads."""
    app.build()

    def search(query: str) -> set[str]:
        result = subprocess.run(
            ["node", str(TESTS / "js" / "search_probe.js"), str(app.outdir), query],
            check=True, capture_output=True, text=True,
        )
        return set(json.loads(result.stdout))

    # 问责 is a word of the book (the index entry 行政问责), though jieba's dictionary only knows 问责制.
    assert search("问责") >= {"accountability", "glossary"}
    assert "reform" not in search("问责")
    assert search("银行") == {"reform"}
    assert search("政务公开") == {"accountability"}
    assert search("服务型政府") >= {"reform", "accountability", "glossary"}


def test_new_readings_rerun_latex_so_the_pdf_index_is_not_stale(tmp_path, monkeypatch):
    """latexmk does not know the readings file: texrun forces a run (-g) when it changes, as when the epoch does."""
    from zhbook.tools import texrun

    runs = []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767268800")
    monkeypatch.setattr(texrun, "missing_fonts", lambda tex: [])
    monkeypatch.setattr(texrun.subprocess, "run",
                        lambda cmd, **kwargs: runs.append(cmd) or subprocess.CompletedProcess(cmd, 0, ""))
    tex = tmp_path / "book.tex"
    tex.write_text("", encoding="utf-8")
    readings = tmp_path / READINGS_FILE
    readings.write_text('{"重构": "chóng gòu"}\n', encoding="utf-8")
    for _ in range(2):
        texrun.run_latexmk(tex)
    readings.write_text('{"重构": "zhòng gòu"}\n', encoding="utf-8")
    texrun.run_latexmk(tex)
    assert ["-g" in cmd for cmd in runs] == [True, False, True]


def test_a_rebuild_takes_the_readings_from_the_cache_without_loading_pypinyin(tmp_path):
    """pypinyin's dictionaries cost more than the rest of a one-paragraph HTML rebuild: the readings of the index
    entries are kept in the doctree folder, and the genindex page comes out the same."""
    srcdir = shutil.copytree(TESTS / "roots" / "test-index-pinyin", tmp_path / "src")
    build = ("import sys; from sphinx.cmd.build import main; status = main(sys.argv[1:]); "
             "print('pypinyin loaded' if 'pypinyin' in sys.modules else 'pypinyin not loaded'); sys.exit(status)")

    def run(*options: str) -> str:
        result = subprocess.run([sys.executable, "-c", build, "-b", "html", "-q", "-W", *options, str(srcdir),
                                 str(tmp_path / "html"), "-d", str(tmp_path / "doctrees")],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert run() == "pypinyin loaded"
    first = (tmp_path / "html" / "genindex.html").read_bytes()
    assert (tmp_path / "doctrees" / pinyin_index.RUNS_CACHE).is_file()
    reform = srcdir / "reform.md"
    reform.write_text(reform.read_text(encoding="utf-8") + "\n改革仍在继续。\n", encoding="utf-8")
    assert run() == "pypinyin not loaded"
    assert (tmp_path / "html" / "genindex.html").read_bytes() == first
    # a new entry is read by pypinyin, and sorted as before
    reform.write_text(reform.read_text(encoding="utf-8") + "\n{index}`调查`很重要。\n", encoding="utf-8")
    assert run() == "pypinyin loaded"
    assert "调查" in (tmp_path / "html" / "genindex.html").read_text(encoding="utf-8")
