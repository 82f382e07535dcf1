"""The HTML search (zhbook.ext.index.search) on the small root ``test-search``: every word, abbreviation and number
of a page finds that page, through Sphinx's own searchtools.js and the query code the language adds, and the
index is the same bytes after an incremental build as after a clean one.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS / "roots" / "test-search"
needs_node = pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed")


def build(srcdir: Path, outdir: Path, *options: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "build", "-b", "html", "-W", "-q", *options, str(srcdir), str(outdir)],
        capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    assert result.returncode == 0, result.stderr


def load_index(outdir: Path) -> dict:
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1: text.rindex(")")])


def search(outdir: Path, words: list[str], texts: dict[str, str] | None = None) -> dict[str, set[str]]:
    """Each word's result pages, as search.html finds them (with the page-text check when ``texts`` is given)."""
    words_file = outdir.parent / "words.json"
    words_file.write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    args = ["node", str(TESTS / "js" / "search_words.js"), str(outdir), str(words_file)]
    if texts is not None:
        texts_file = outdir.parent / "texts.json"
        texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        args.append(str(texts_file))
    result = subprocess.run(args, check=True, capture_output=True, text=True)
    return {word: set(pages) for word, pages in json.loads(result.stdout).items()}


def page_texts(outdir: Path) -> dict[str, str]:
    """The main text of every page, as searchtools.js reads it for a summary."""
    from lxml import html

    texts = {}
    for page in outdir.glob("*.html"):
        main = html.fromstring(page.read_bytes()).xpath("//*[@role='main']")
        if main:
            for junk in main[0].xpath(".//a[@class='headerlink'] | .//script | .//style"):
                junk.getparent().remove(junk)
            texts[page.stem] = main[0].text_content()
    return texts


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("search") / "html"
    build(ROOT, outdir)
    return outdir


@needs_node
def test_words_abbreviations_and_numbers_find_their_page(built):
    found = search(built, ["十八大", "十七大", "2009", "2013", "1806", "绩效评估", "Denhardt", "topic", "show_topic",
                           "New Public Service", "行政审批制度改革", "十八大报告", "责", "公正"], page_texts(built))
    assert found == {
        # jieba cut these into 十八 / 大, 十七 / 大 and 绩效 / 评估: no query could find them
        "十八大": {"congress"}, "十七大": {"congress"}, "绩效评估": {"congress"},
        # Sphinx's searchtools.js drops every query word made of digits
        "2009": {"congress"}, "2013": {"reform"}, "1806": {"congress"},
        "Denhardt": {"congress"}, "topic": {"congress"}, "show_topic": {"congress"},
        "New Public Service": {"congress"},
        "行政审批制度改革": {"reform"}, "十八大报告": {"congress"},
        "责": {"congress"},  # one character
        "公正": {"congress"},  # 公*正*: the text of the paragraph is split whole, not node by node
    }


@needs_node
def test_a_page_holding_the_pairs_but_not_the_word_is_dropped(built):
    """reform holds 十八 (十八项) and 八大 (八大方面), not 十八大: the index finds it, the page-text check drops it."""
    assert search(built, ["十八大"])["十八大"] == {"congress", "reform"}
    assert search(built, ["十八大"], page_texts(built))["十八大"] == {"congress"}


@needs_node
def test_a_word_that_is_not_in_the_text_finds_nothing(built):
    assert search(built, ["问责年", "绩效年"], page_texts(built)) == {"问责年": set(), "绩效年": set()}


def test_index_holds_pairs_single_characters_numbers_and_latin_words(built):
    terms = load_index(built)["terms"]
    assert {"十八", "八大", "十", "2009", "1806", "denhardt", "show_top", "topic"} <= terms.keys()
    assert "the" not in terms  # English stop words stay out, as in Sphinx's English index
    assert all(pages != [] for pages in terms.values())


def test_incremental_build_writes_the_same_index_as_a_clean_one(tmp_path):
    """Sphinx 9.0.4 keeps the words of a page's old text with no pages, and loses the index entries of the pages
    it does not write again."""
    srcdir = shutil.copytree(ROOT, tmp_path / "src")
    build(srcdir, tmp_path / "incremental")
    chapter = srcdir / "congress.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("共有1806项审批事项被取消。", "另有若干事项下放。"),
                       encoding="utf-8")
    build(srcdir, tmp_path / "incremental")
    build(srcdir, tmp_path / "clean", "-E")
    incremental = (tmp_path / "incremental" / "searchindex.js").read_bytes()
    clean = (tmp_path / "clean" / "searchindex.js").read_bytes()
    index = load_index(tmp_path / "incremental")
    assert "1806" not in index["terms"] and "审批" in index["terms"]  # 审批 stays: reform still holds it
    assert {"行政审批制度改革", "十八大报告"} <= index["indexentries"].keys()
    assert incremental == clean


def test_language_data_carries_the_query_code(built):
    language_data = (built / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert re.findall(r"window\.Stemmer = (\w+);", language_data) == ["EnglishStemmer"]
    assert "Search._parseQuery = " in language_data and "Search.zhKeepPagesHolding = " in language_data
