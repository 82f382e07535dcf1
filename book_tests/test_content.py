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
FACT_TABLE = yaml.safe_load((REPO / "book_tests" / "data" / "fact_check.yaml").read_text(encoding="utf-8"))
FACTS = FACT_TABLE["facts"]
KEY_DOCUMENTS = {"cpc17-report": "十七", "cpc18-report": "十八", "accountability-regulation-2009": "问责"}
EXCERPTS = REPO / "bib" / "excerpts"
# The prose whose numbers and quotations the fact table answers for: what a reader reads as the book's own text.
PROSE_FILES = [SOURCE / "preface.md", *CHAPTERS, SOURCE / "backmatter" / "glossary.md"]
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
        for key in {e["source"] for e in fact.get("evidence") or []}:
            assert re.search(rf"@\w+\{{{re.escape(key)},", bib), f"{fact['claim']}: unknown source {key}"
    verdicts = [f["verdict"] for f in FACTS]
    assert verdicts.count("wrong") + verdicts.count("misattributed") >= 4 and "anachronistic" in verdicts


@pytest.mark.skipif(not SEEDCOPY.exists(), reason="the seedcopy tool of the shared workspace is not on this machine")
def test_no_sentence_of_the_lecture_deck_is_copied():
    result = subprocess.run([shutil.which("python3") or "python3", str(SEEDCOPY), str(SOURCE)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]


def prose_lines(paths=None):
    """(file, line number, text) of the prose in the book's Markdown: no code blocks, directive options or labels.

    A fence opened with ```{directive} holds prose (a table, a figure caption, a note) and ends at a bare ```;
    only a fence without a directive (code) is skipped as a whole.
    """
    for path in paths or sorted(SOURCE.rglob("*.md")):
        fence = None
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("```"):
                if fence is None:
                    fence = line[3:].strip() or "code"
                elif line.strip() == "```":
                    fence = None
                continue
            if fence == "code" or line.lstrip().startswith(":") or re.fullmatch(r"\([\w-]+\)=\s*", line):
                continue
            yield path, number, line


def _without_roles(line, keep=("date", "index", "term")):
    """A prose line with its roles: the words of {date}, {index} and {term} kept, any other role (cite, ref…) dropped."""
    return re.sub(r"\{([a-z:]+)\}`([^`]*)`", lambda m: f" {m.group(2)} " if m.group(1) in keep else " ", line)


DATE_TOKEN = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?(?:至\d{1,2}日)?|\d{1,2}月\d{1,2}日")
NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?%?")


def number_tokens(text):
    """The numbers of a text as a reader reads them: dates whole (2008年9月14日), then figures (9619.21万, 47.5%)."""
    return DATE_TOKEN.findall(text) + NUMBER_TOKEN.findall(DATE_TOKEN.sub(" ", text))


def prose_numbers():
    """{number: first file:line} of every number in the prose (role syntax and URLs left out, {date} text kept)."""
    found = {}
    for path, number, line in prose_lines(PROSE_FILES):
        for token in number_tokens(re.sub(r"https?://\S+", " ", _without_roles(line))):
            found.setdefault(token, f"{path.relative_to(REPO)}:{number}")
    return found


CITED_QUOTATION = re.compile(r"“([^“”]+)”\s*\{cite\}`([^`]+)`")


def cited_quotations():
    """(file, quotation, keys) of every “…” directly followed by a citation: the book quoting a source's words."""
    for path in PROSE_FILES:
        text = re.sub(r"\n\s*", "", path.read_text(encoding="utf-8"))
        for match in CITED_QUOTATION.finditer(text):
            quotation = re.sub(r"\{[a-z:]+\}`([^`]*)`", r"\1", match.group(1))  # a role inside keeps its words
            yield path, quotation, [k.strip() for k in match.group(2).split(",")]


def test_typography_full_width_punctuation_and_no_space_between_chinese_and_latin():
    rules = [
        (re.compile(r"[\u4e00-\u9fff] +[A-Za-z0-9]|[A-Za-z0-9] +[\u4e00-\u9fff]"),
         "a space between Chinese and Latin or digits"),
        (re.compile(r"[\u4e00-\u9fff][,;:?!()\"]|[,;:?!(\"][\u4e00-\u9fff]"), "ASCII punctuation in Chinese text"),
    ]
    problems = [f"{path.relative_to(REPO)}:{number}: {message}: …{match.group()}…"
                for path, number, line in prose_lines()
                for line in [re.sub(r"https?://\S+", "U", re.sub(r"\{[a-z:]+\}`[^`]*`", "R", line))]
                for pattern, message in rules
                for match in [pattern.search(line)] if match]
    assert not problems, "\n".join(problems[:20])


# --- the fact table answers for every number and quotation of the prose (issue 15) ---------------------------------

STATUSES = ("verified", "copy", "carried-over", "hedged")
BIB_KEYS = set(re.findall(r"@\w+\{([^,\s]+),", "".join(p.read_text(encoding="utf-8") for p in (REPO / "bib").glob("*.bib"))))


def _stored_excerpts(key):
    """The texts of bib/excerpts/<key>.yaml, or None when the book keeps no excerpt file for that source."""
    path = EXCERPTS / f"{key}.yaml"
    if not path.exists():
        return None
    return [e["text"] for e in yaml.safe_load(path.read_text(encoding="utf-8"))["excerpts"]]


def _evidence_text(evidence):
    """What an evidence entry says, in the book's script: a page read in traditional characters carries its
    simplified transcription next to the verbatim excerpt."""
    return evidence.get("simplified") or evidence["excerpt"]


def test_every_number_of_the_prose_is_in_the_fact_table():
    listed = {str(n) for fact in FACTS for n in fact.get("numbers") or []}
    listed |= {str(n) for entry in FACT_TABLE["not_facts"] for n in entry["numbers"]}
    missing = [f"{where}: {token}" for token, where in prose_numbers().items() if token not in listed]
    assert not missing, "numbers of the prose that no fact (or not_facts entry) answers for:\n" + "\n".join(missing)


def test_every_quotation_with_a_citation_is_in_the_fact_table_with_its_excerpt():
    """Each “…”{cite} is a quote of a fact whose evidence comes from a cited source and contains the quoted words."""
    from zhbook.ext.quotations import compare, describe
    problems = []
    for path, quotation, keys in cited_quotations():
        facts = [f for f in FACTS if quotation in (f.get("quotes") or [])]
        if not facts:
            problems.append(f"{path.name}: “{quotation}” is in no fact's quotes")
            continue
        evidence = [_evidence_text(e) for f in facts for e in f.get("evidence") or [] if e["source"] in keys]
        if not evidence:
            problems.append(f"{path.name}: “{quotation}”: no evidence from the cited {', '.join(keys)}")
        elif (difference := compare(quotation, evidence)) is not None:
            problems.append(f"{path.name}: “{quotation}”: not in the evidence: {describe(difference)}")
    assert not problems, "\n".join(problems)


def test_every_fact_gives_its_evidence():
    from zhbook.ext.quotations import compare, describe
    problems = []
    for fact in FACTS:
        claim, evidence = fact["claim"], fact.get("evidence") or []
        if fact.get("status") not in STATUSES:
            problems.append(f"{claim}: status {fact.get('status')!r} is not one of {STATUSES}")
        if fact.get("status") in ("verified", "copy") and not evidence:
            problems.append(f"{claim}: {fact['status']} without evidence")
        if fact.get("status") in ("carried-over", "hedged", "copy") and not fact.get("note"):
            problems.append(f"{claim}: {fact['status']} needs a note saying what could not be read")
        for item in evidence:
            if item.get("source") not in BIB_KEYS:
                problems.append(f"{claim}: evidence from {item.get('source')!r}, which is no entry of bib/")
            if not str(item.get("excerpt") or "").strip():
                problems.append(f"{claim}: evidence from {item.get('source')} without an excerpt")
            where = str(item.get("read") or "")
            if not (re.match(r"https?://\S+", where) or item.get("print")):
                problems.append(f"{claim}: evidence from {item.get('source')} says neither read: <url> nor print:")
            stored = _stored_excerpts(item.get("source"))
            if stored is not None and (difference := compare(_evidence_text(item), stored)) is not None:
                problems.append(f"{claim}: the excerpt of {item['source']} is not in bib/excerpts/{item['source']}.yaml:"
                                f" {describe(difference)}")
    assert not problems, "\n".join(problems)


def test_the_key_documents_have_a_real_type_stored_excerpts_and_a_recorded_choice():
    """Issue 15: a book edition [M] or the official online text [EB/OL], never [Z]; the choice in the fact table."""
    references = page("backmatter/references")
    for key in KEY_DOCUMENTS:
        entry = squash(references.xpath(f'//*[@id="cite-{key}"]')[0].text_content())
        assert "[M]" in entry or "[EB/OL]" in entry, f"{key}: {entry}"
        assert "[Z]" not in entry, f"{key}: {entry}"
        assert _stored_excerpts(key), f"bib/excerpts/{key}.yaml is missing or empty"
        assert any(key in {e["source"] for e in f.get("evidence") or []} and "Choice" in (f.get("note") or "")
                   for f in FACTS), f"{key}: no fact records the choice of the entry and its evidence"


# --- the 大事年表 covers what the book is about, and the prose takes its dates from it ------------------------------

TIMELINE = yaml.safe_load((SOURCE / "timeline.yaml").read_text(encoding="utf-8"))
#: The dated events a reader or reviewer of a book on service-oriented government looks for in its 大事年表: the
#: congress reports, the key regulations and laws, every State Council reform the book tabulates, the national
#: e-government and hotline reforms. Each is dated only as precisely as a stored excerpt of its source allows.
KEY_EVENTS = {
    "wen-2004-party-school-speech", "cpc17-report", "cpc18-report", "cpc19-report",
    "accountability-regulation-published", "party-accountability-regulation",
    "gov-info-disclosure-regulation", "gov-info-disclosure-regulation-revised", "administrative-licensing-law",
    "sc-reform-1982", "sc-reform-1988", "sc-reform-1993", "sc-reform-1998", "sc-reform-2003", "sc-reform-2008",
    "sc-reform-2013", "sc-reform-2018", "sc-reform-2023", "internet-plus-gov-services", "hotline-opinion-published",
}


def test_the_timeline_has_the_events_the_book_is_about():
    ids = [event["id"] for event in TIMELINE]
    assert sorted(KEY_EVENTS - set(ids)) == [], "events missing from source/timeline.yaml"
    assert len(ids) >= 35, f"the 大事年表 has {len(ids)} events; it had 35 evidenced ones (issue 15 follow-up)"


def test_every_timeline_event_is_dated_in_the_prose_with_the_event_role():
    """A date the prose shares with the 大事年表 comes from it ({event}), so the two cannot drift apart."""
    prose = "".join(path.read_text(encoding="utf-8") for path in PROSE_FILES)
    used = set(re.findall(r"\{event\}`([^`]+)`", prose))
    unused = [event["id"] for event in TIMELINE if event["id"] not in used]
    assert unused == [], "timeline events whose date no chapter writes with {event}: " + ", ".join(unused)
