"""The book as a student, an editor and a reviewer check it (issue 3).

Structure and length of every chapter, the three key documents cited and listed, the fact check of the lecture
deck agreeing with what the built book says, original prose, and the typography rules applied everywhere.
"""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from outputs import HTML, REPO, SOURCE, require, squash

CHAPTERS = sorted((SOURCE / "chapters").glob("*.md"))
HAN = re.compile(r"[\u4e00-\u9fff]")
FACTS = yaml.safe_load((REPO / "tests" / "data" / "fact_check.yaml").read_text(encoding="utf-8"))
KEY_DOCUMENTS = {"cpc17-report": "十七", "cpc18-report": "十八", "accountability-regulation-2009": "问责"}
SEEDCOPY = REPO.parent / "shared" / "tools" / "seedcopy"


def page(docname):
    return lxml_html.parse(str(require(HTML / f"{docname}.html"))).getroot()


def main_text(root, drop_tables=False):
    body = root.xpath('//div[@role="main"]')[0]
    if drop_tables:
        for node in body.xpath(".//table|.//figure"):
            node.drop_tree()
    return body.text_content()


def book_text():
    return "".join(main_text(lxml_html.parse(str(p)).getroot()) for p in sorted(require(HTML).rglob("*.html"))
                   if p.name not in ("search.html", "genindex.html"))


def test_every_chapter_is_in_the_toctree_in_order():
    index = (SOURCE / "index.md").read_text(encoding="utf-8")
    listed = re.findall(r"^chapters/(\S+)$", index, re.M)
    assert listed == [c.stem for c in CHAPTERS]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.stem)
def test_chapter_length_is_5000_to_9000_characters(chapter):
    """Chinese characters a reader reads in the chapter (tables and figures excluded)."""
    count = len(HAN.findall(main_text(page(f"chapters/{chapter.stem}"), drop_tables=True)))
    assert 5000 <= count <= 9000, f"{chapter.stem}: {count} Chinese characters"


def test_whole_book_is_at_least_25000_characters():
    assert len(HAN.findall(book_text())) >= 25000


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.stem)
def test_chapter_has_the_textbook_apparatus(chapter):
    root = page(f"chapters/{chapter.stem}")
    text = main_text(root)
    assert root.xpath('//div[contains(@class,"learning-objectives")]'), "学习目标 box is missing"
    assert len(root.xpath('//section/section/h2')) >= 3, "fewer than three numbered sections"
    for rubric in ("本章小结", "关键术语", "思考题"):
        assert rubric in text, rubric
    rubrics = root.xpath('//p[contains(@class,"rubric")]')
    terms = next(r for r in rubrics if "关键术语" in r.text_content())
    assert terms.getnext().xpath('.//a[contains(@href,"glossary")]'), "关键术语 are not linked to the glossary"
    questions = next(r for r in rubrics if "思考题" in r.text_content()).getnext()
    assert questions.tag == "ol" and len(questions.xpath("./li")) >= 5, "fewer than five 思考题"
    numbered = root.xpath('//table[caption]/@id | //figure/@id')
    assert numbered, "no numbered table or figure"
    linked = set(root.xpath('//a[contains(@class,"reference")]/@href'))
    assert any(f"#{i}" in href for i in numbered for href in linked), "no table or figure is referred to"
    for table_or_figure in root.xpath('//table[caption]|//figure'):
        assert table_or_figure.xpath(".//caption|.//figcaption"), "a table or figure without caption"


def test_the_three_key_documents_are_cited_and_listed():
    references = page("backmatter/references")
    cited_anywhere = set()
    for chapter in CHAPTERS:
        root = page(f"chapters/{chapter.stem}")
        cited_anywhere |= {h.split("#")[-1] for h in root.xpath('//a/@href') if "#cite-" in h}
    for key, word in KEY_DOCUMENTS.items():
        entry = references.xpath(f'//*[@id="cite-{key}"]')
        assert entry, f"{key} is not in 参考文献"
        assert word in entry[0].getparent().text_content(), f"{key}: the entry does not read as expected"
        assert f"cite-{key}" in cited_anywhere, f"{key} is never cited in a chapter"


def test_fact_check_agrees_with_the_built_book():
    text = squash(book_text())
    timeline = {e["id"] for e in yaml.safe_load((SOURCE / "timeline.yaml").read_text(encoding="utf-8"))}
    bib = "".join(p.read_text(encoding="utf-8") for p in (REPO / "bib").glob("*.bib"))
    for fact in FACTS:
        assert fact["verdict"] in ("correct", "wrong", "misattributed", "anachronistic", "unverifiable"), fact
        if fact.get("book_says"):
            assert squash(fact["book_says"]) in text, f"the book does not say {fact['book_says']!r}: {fact['claim']}"
        if fact.get("book_must_not_say"):
            assert squash(fact["book_must_not_say"]) not in text, f"the book repeats {fact['book_must_not_say']!r}"
        if fact.get("event"):
            assert fact["event"] in timeline, fact["event"]
        for key in fact.get("sources") or []:
            assert re.search(rf"@\w+\{{{re.escape(key)},", bib), f"{fact['claim']}: unknown source {key}"
    verdicts = [f["verdict"] for f in FACTS]
    assert verdicts.count("wrong") + verdicts.count("misattributed") >= 4 and "anachronistic" in verdicts


@pytest.mark.skipif(not SEEDCOPY.exists(), reason="the seedcopy tool of the shared workspace is not on this machine")
def test_no_sentence_of_the_lecture_deck_is_copied():
    result = subprocess.run([shutil.which("python3") or "python3", str(SEEDCOPY), str(SOURCE)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]


def prose_lines():
    """(file, line number, text) of the prose in the book's Markdown: no directives, options, labels or code."""
    for path in sorted(SOURCE.rglob("*.md")):
        fence = False
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("```") and not line.startswith("```{"):
                fence = not fence
            if fence or line.startswith((":", "```", "(", ":::")):
                continue
            line = re.sub(r"\{[a-z:]+\}`[^`]*`", "R", line)  # roles keep their own (ASCII) syntax
            yield path, number, re.sub(r"https?://\S+", "U", line)


def test_typography_full_width_punctuation_and_no_space_between_chinese_and_latin():
    rules = [
        (re.compile(r"[\u4e00-\u9fff] +[A-Za-z0-9]|[A-Za-z0-9] +[\u4e00-\u9fff]"),
         "a space between Chinese and Latin or digits"),
        (re.compile(r"[\u4e00-\u9fff][,;:?!()\"]|[,;:?!(\"][\u4e00-\u9fff]"), "ASCII punctuation in Chinese text"),
    ]
    problems = [f"{path.relative_to(REPO)}:{number}: {message}: …{match.group()}…"
                for path, number, line in prose_lines() for pattern, message in rules
                for match in [pattern.search(line)] if match]
    assert not problems, "\n".join(problems[:20])
