"""Quotations of documents, checked word for word against their stored text.

What this Sphinx extension owns:

- **The excerpt files.** The directory named by the config value ``quotation_excerpts`` (relative to the
  configuration directory; the book keeps its files in ``bib/excerpts/``) holds one YAML file per quoted document::

      document: some-regulation-2020                # the bib key of the document
      excerpts:
        - url: https://…                            # where the text was read (or ``page: 28`` of a printed edition)
          read: 2026-11-30                          # when it was read (with ``url``)
          text: |
            第三条　本规定适用于……

  Each excerpt is a verbatim passage: the quoted words and the sentences around them, no more (``MAX_EXCERPT``).
- **Finding quotations.** In every document of the book: text in “…” followed directly by a ``{cite}`` of a
  document that has an excerpt file (``“……”{cite}`some-report```); and every list that the book
  presents as the document's own wording: a bullet or numbered list whose lead-in paragraph ends with such a
  citation and a colon (``规定还写明{cite}`x`：``) — unless the lead-in says the list is a paraphrase (``概括``).
  In ``timeline.yaml`` (``zhbook.ext.timeline``): quotations in an event's ``what`` against its sources, and each
  event's ``evidence`` excerpt against its source when that source has an excerpt file.
- **The comparison.** A quotation must be a verbatim part of one excerpt of one of the cited documents. Only the
  width of punctuation (full-width ，：（） and half-width ,:()), the kind of quotation mark (“” and ‘’, as a quotation
  inside a quotation is written) and line breaks are ignored; ``……`` in a quotation stands for omitted words, so
  its parts must appear in that order in the same excerpt.
- **Messages.** Each problem is one warning at the file and line of the prose (or of the data), saying what differs
  (``after “…” the quotation has “X” where the stored text has “Y”``), type ``quotation`` and subtype ``text``,
  ``list``, ``evidence`` or ``file`` (a malformed excerpt file, at its line), so ``-W`` stops the build.

Quotations are collected while a document is read and kept in the environment, and compared at env-updated in
every build, so a change to an excerpt file is checked without reading the chapters again.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, NamedTuple

import yaml
from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.util import logging
from sphinxcontrib.bibtex.citation_target import parse_citation_targets

from zhbook.core.chinese import CJK_TEXT

logger = logging.getLogger(__name__)

#: The longest excerpt kept (characters): the quoted passage and the sentences around it, not the document.
MAX_EXCERPT = 1000
#: The word that marks a list as the book's paraphrase of a document rather than its wording.
PARAPHRASE_MARK = "概括"
QUOTATION = re.compile(r"“([^“”]+)”")
ELLIPSIS = re.compile(r"…+|\.{3,}")
_CITATION = "\ue000"  # stands for a citation in the flattened text of a paragraph
# A line break next to Chinese text or punctuation is no space (as zhbook.ext.chinese_text joins such lines).
_LINE_BREAK = re.compile(rf"(?<={CJK_TEXT.pattern})[ \t]*\n\s*|[ \t]*\n\s*(?={CJK_TEXT.pattern})")
_QUOTE_MARKS = str.maketrans({mark: '"' for mark in "“”‘’「」『』\"'＂＇"})
_SKIPPED = (nodes.literal, nodes.FixedTextElement, nodes.raw, nodes.math, nodes.Invisible, nodes.system_message,
            nodes.footnote_reference)


class Problem(NamedTuple):
    location: str  # "path:line"
    message: str
    subtype: str


@dataclass
class Excerpt:
    text: str
    where: str  # the address or page it was read at
    line: int


@dataclass
class DocumentText:
    """The stored excerpts of one document."""

    key: str
    path: Path
    line: int
    excerpts: list[Excerpt] = field(default_factory=list)


@dataclass
class Quotation:
    """A quotation found in the prose: its words, the keys cited after it, where it stands."""

    text: str
    keys: tuple[str, ...]
    location: str
    kind: str  # "text" (in “…”) or "list" (an item of a list presented as the document's wording)


# --------------------------------------------------------------------------------------------------------------
# Comparing text

def normalize(text: str) -> str:
    """The text as compared: line breaks dropped (between Chinese characters; a space between Latin words),
    punctuation folded to one width, all quotation marks alike."""
    text = _LINE_BREAK.sub("", text)
    text = re.sub(r"\s*\n\s*", " ", text)
    return unicodedata.normalize("NFKC", text).translate(_QUOTE_MARKS).strip()


def _short(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


class Difference(NamedTuple):
    """Where a quotation leaves the stored text: the words that still agree, the quotation's next words, the
    text's next words ("" when the quotation's start is nowhere)."""

    agreed: str
    quoted: str
    stored: str


def _longest_prefix(part: str, haystack: str) -> tuple[int, int]:
    """Length of the longest prefix of *part* found in *haystack*, and where it is found."""
    low, high, found = 0, len(part), 0
    while low < high:  # the longest prefix that occurs: prefixes of an occurring prefix occur too
        middle = (low + high + 1) // 2
        if part[:middle] in haystack:
            low = middle
        else:
            high = middle - 1
    if low:
        found = haystack.index(part[:low])
    return low, found


def compare(quotation: str, excerpts: list[str]) -> Difference | None:
    """None when *quotation* is a verbatim part of one of *excerpts* (``……`` separating parts that must follow one
    another in the same excerpt); else the first difference, in the excerpt that agrees longest."""
    parts = [normalize(part) for part in ELLIPSIS.split(quotation)]
    parts = [part for part in parts if part]
    best: tuple[int, Difference] | None = None
    for excerpt in excerpts:
        stored = normalize(excerpt)
        position, agreed_total = 0, 0
        for part in parts:
            at = stored.find(part, position)
            if at >= 0:
                position, agreed_total = at + len(part), agreed_total + len(part)
                continue
            length, found = _longest_prefix(part, stored[position:])
            found += position
            difference = Difference(
                agreed=part[:length][-10:],
                quoted=part[length:length + 8],
                stored=stored[found + length:found + length + 8] if length else "",
            )
            score = agreed_total + length
            if best is None or score > best[0]:
                best = (score, difference)
            break
        else:
            return None
    return best[1] if best else Difference("", parts[0][:8] if parts else "", "")


def describe(difference: Difference) -> str:
    if not difference.agreed:
        return f"no stored excerpt contains its beginning “{difference.quoted}”"
    if not difference.quoted:
        return f"the stored text breaks off after “{difference.agreed}”"
    stored = f"“{difference.stored}”" if difference.stored else "nothing more"
    return f"after “{difference.agreed}” the quotation has “{difference.quoted}” where the stored text has {stored}"


# --------------------------------------------------------------------------------------------------------------
# The excerpt files

def _scalar(node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def load_excerpts(directory: Path, bib_keys) -> tuple[dict[str, DocumentText], list[Problem]]:
    """Every ``*.yaml`` of *directory*: the stored texts by bib key, and what is wrong with the files."""
    texts: dict[str, DocumentText] = {}
    problems: list[Problem] = []
    if not directory.is_dir():
        return texts, [Problem(str(directory), "the quotation_excerpts directory does not exist", "file")]
    for path in sorted(directory.glob("*.yaml")):
        def problem(line: int, message: str) -> None:
            problems.append(Problem(f"{path}:{line}", message, "file"))

        try:
            root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except (OSError, UnicodeDecodeError) as error:
            problem(1, f"cannot be read: {error}")
            continue
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problem(mark.line + 1 if mark else 1, f"not valid YAML: {getattr(error, 'problem', error)}")
            continue
        if not isinstance(root, yaml.MappingNode):
            problem(1, "an excerpt file is a mapping with 'document' and 'excerpts'")
            continue
        fields = {key.value: value for key, value in root.value}
        lines = {key.value: key.start_mark.line + 1 for key, _ in root.value}
        unknown = sorted(set(fields) - {"document", "title", "excerpts"})
        if unknown:
            problem(lines[unknown[0]], f"unknown field {unknown[0]!r} (an excerpt file has document, title, excerpts)")
        key = _scalar(fields.get("document")) or ""
        if not key:
            problem(1, "'document' (the bib key of the quoted document) is missing")
            continue
        if key not in bib_keys:
            problem(lines["document"], f"document {key!r} is not a key in the bib files")
            continue
        if key in texts:
            problem(lines["document"], f"document {key!r} already has its excerpts in {texts[key].path.name}")
            continue
        document = DocumentText(key, path, lines["document"])
        items = fields.get("excerpts")
        if not isinstance(items, yaml.SequenceNode) or not items.value:
            problem(lines.get("excerpts", 1), "'excerpts' must be a list of excerpts, each with text and url or page")
            continue
        for item in items.value:
            line = item.start_mark.line + 1
            if not isinstance(item, yaml.MappingNode):
                problem(line, "an excerpt is a mapping: text, and url with read, or page")
                continue
            values = {k.value: _scalar(v) for k, v in item.value}
            value_lines = {k.value: k.start_mark.line + 1 for k, _ in item.value}
            unknown = sorted(set(values) - {"text", "url", "read", "page", "note"})
            if unknown:
                problem(value_lines[unknown[0]], f"unknown field {unknown[0]!r} (an excerpt has text, url, read, "
                                                 "page, note)")
            text = (values.get("text") or "").strip()
            url, read, page = (values.get(name) or "" for name in ("url", "read", "page"))
            if not text:
                problem(line, "the excerpt has no text")
                continue
            if len(text) > MAX_EXCERPT:
                problem(value_lines["text"], f"the excerpt has {len(text)} characters; keep it to the quoted passage "
                                             f"and the sentences around it (at most {MAX_EXCERPT})")
            if not (url or page):
                problem(line, "the excerpt says neither where it was read (url) nor its page")
            if url and not re.fullmatch(r"https?://\S+", url):
                problem(value_lines["url"], f"{url!r} is not an http(s) address")
            if url and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", read):
                problem(value_lines.get("read", line), "an excerpt read online gives the day it was read, "
                                                        "read: YYYY-MM-DD")
            document.excerpts.append(Excerpt(text, url or f"p. {page}", value_lines["text"]))
        texts[key] = document
    return texts, problems


# --------------------------------------------------------------------------------------------------------------
# Finding quotations in a doctree

def _cited_keys(node: pending_xref) -> tuple[str, ...]:
    try:
        return tuple(target.key for target in parse_citation_targets(node.get("reftarget", "")))
    except ValueError:
        return ()


class _Flat(NamedTuple):
    """A paragraph as one string (each citation one character), with the Text node at each offset."""

    text: str
    pieces: list[tuple[int, nodes.Text]]
    citations: dict[int, tuple[str, ...]]  # offset of the citation character → its keys


def flatten(element: nodes.Element) -> _Flat:
    parts: list[str] = []
    pieces: list[tuple[int, nodes.Text]] = []
    citations: dict[int, tuple[str, ...]] = {}
    length = 0

    def walk(node: nodes.Node) -> None:
        nonlocal length
        for child in node.children:
            if isinstance(child, nodes.Text):
                pieces.append((length, child))
                parts.append(child.astext())
                length += len(child.astext())
            elif isinstance(child, pending_xref) and child.get("refdomain") == "cite":
                citations[length] = _cited_keys(child)
                parts.append(_CITATION)
                length += 1
            elif isinstance(child, nodes.Element) and not isinstance(child, _SKIPPED):
                walk(child)

    walk(element)
    return _Flat("".join(parts), pieces, citations)


def _line_at(element: nodes.Element, flat: _Flat, offset: int) -> tuple[str | None, int | None]:
    """File and line of a character of a flattened element: its own line, or its nearest located ancestor's,
    plus the line breaks before the character (MyST keeps soft breaks as newlines)."""
    located = element
    while located is not None and located.line is None:
        located = located.parent
    if located is None:
        return None, None
    breaks = flat.text[:offset].count("\n")
    if located is not element:  # count the breaks of the ancestor's text before this element too
        for text in located.findall(nodes.Text):
            if text is (flat.pieces[0][1] if flat.pieces else None):
                break
            breaks += text.astext().count("\n")
    return located.source, located.line + breaks


def find_quotations(doctree: nodes.document, docname_path: str) -> Iterator[Quotation]:
    """Every “…” followed directly by a citation, and every item of a list whose lead-in ends with a citation and
    a colon, unless the lead-in marks the list as 概括."""
    for element in doctree.findall(lambda n: isinstance(n, (nodes.paragraph, nodes.caption, nodes.title,
                                                             nodes.term))):
        flat = flatten(element)
        for match in QUOTATION.finditer(flat.text):
            after = match.end()
            while after < len(flat.text) and flat.text[after] in " \t\n":
                after += 1
            if after < len(flat.text) and flat.text[after] == _CITATION:
                source, line = _line_at(element, flat, match.start())
                yield Quotation(match.group(1).replace(_CITATION, ""), flat.citations[after],
                                f"{source or docname_path}:{line or 0}", "text")
    for listing in doctree.findall(lambda n: isinstance(n, (nodes.bullet_list, nodes.enumerated_list))):
        lead_in = listing.previous_sibling()
        if not isinstance(lead_in, nodes.paragraph):
            continue
        flat = flatten(lead_in)
        ending = re.search(rf"{_CITATION}\s*[：:]\s*$", flat.text)
        if not ending or PARAPHRASE_MARK in flat.text:
            continue
        keys = flat.citations[ending.start()]
        for item in listing.children:
            paragraphs = list(item.findall(nodes.paragraph))
            if not paragraphs:
                continue
            item_flat = flatten(paragraphs[0])
            words = "".join(flatten(paragraph).text for paragraph in paragraphs).replace(_CITATION, "")
            words = re.sub(r"[；;。.，,、：:\s]+$", "", words)
            source, line = _line_at(paragraphs[0], item_flat, 0)
            yield Quotation(words, keys, f"{source or docname_path}:{line or 0}", "list")


# --------------------------------------------------------------------------------------------------------------
# Sphinx

def _texts(env) -> dict[str, DocumentText]:
    return getattr(env, "zhbook_excerpts", {})


def _found(env) -> dict[str, list[Quotation]]:
    if not hasattr(env, "zhbook_quotations"):
        env.zhbook_quotations = {}
    return env.zhbook_quotations


def _warn(problem: Problem) -> None:
    logger.warning(problem.message, location=problem.location, type="quotation", subtype=problem.subtype)


def _relative(app, path: Path) -> str:
    try:
        return str(path.relative_to(Path(app.confdir).parent))
    except ValueError:
        return str(path)


def load(app) -> None:
    """builder-inited, after sphinxcontrib-bibtex read the bib files: the excerpt files, checked."""
    app.env.zhbook_excerpts = {}
    if not app.config.quotation_excerpts:
        return
    directory = (Path(app.confdir) / app.config.quotation_excerpts).resolve()
    keys = set(app.env.get_domain("cite").bibdata.data.entries)
    texts, problems = load_excerpts(directory, keys)
    for problem in problems:
        _warn(problem)
    app.env.zhbook_excerpts = texts


def collect(app, doctree: nodes.document) -> None:
    """doctree-read: the quotations of the document, kept for the check at env-updated."""
    env = app.env
    _found(env)[env.docname] = list(find_quotations(doctree, str(env.doc2path(env.docname))))


def check_quotation(app, quotation: Quotation) -> Problem | None:
    """The problem with one quotation, or None when it is verbatim (or cites no document with stored text)."""
    texts = _texts(app.env)
    documents = [texts[key] for key in quotation.keys if key in texts]
    if not documents:
        return None
    excerpts = [excerpt.text for document in documents for excerpt in document.excerpts]
    difference = compare(quotation.text, excerpts)
    if difference is None:
        return None
    names = ", ".join(f"{document.key} ({_relative(app, document.path)})" for document in documents)
    if quotation.kind == "list":
        message = (f"list item “{_short(quotation.text)}” is given as the wording of {names}, which it is not: "
                   f"{describe(difference)} (if the list paraphrases, say {PARAPHRASE_MARK} in its lead-in)")
    else:
        message = f"quotation “{_short(quotation.text)}” is not verbatim in the stored text of {names}: " \
                  f"{describe(difference)}"
    return Problem(quotation.location, message, quotation.kind)


def timeline_quotations(app) -> Iterator[Quotation]:
    """Quotations in the ``what`` of timeline events (zhbook.ext.timeline), attributed to the event's sources."""
    timeline = getattr(app.env, "zhbook_timeline", None)
    for event in getattr(timeline, "events", ()):
        keys = tuple(dict.fromkeys(([event.document] if event.document else []) + list(event.sources)))
        for match in QUOTATION.finditer(event.what):
            yield Quotation(match.group(1), keys, f"{timeline.path}:{event.line_of('what')}", "text")


def evidence_problems(app) -> Iterator[Problem]:
    """An event's ``evidence`` excerpt must be in the stored text of its source, when that source has one."""
    timeline = getattr(app.env, "zhbook_timeline", None)
    texts = _texts(app.env)
    for event in getattr(timeline, "events", ()):
        evidence = getattr(event, "evidence", None)
        if not evidence or evidence.source not in texts:
            continue
        document = texts[evidence.source]
        difference = compare(evidence.text, [excerpt.text for excerpt in document.excerpts])
        if difference is not None:
            yield Problem(f"{timeline.path}:{evidence.text_line}",
                          f"event {event.id!r}: the evidence “{_short(evidence.text)}” is not in the stored text of "
                          f"{evidence.source} ({_relative(app, document.path)}): {describe(difference)}", "evidence")


def check_all(app, env) -> None:
    """env-updated, every build: each quotation of each document, of the timeline, and the timeline's evidence."""
    for docname in sorted(_found(env)):
        if docname not in env.found_docs:
            continue
        for quotation in _found(env)[docname]:
            problem = check_quotation(app, quotation)
            if problem:
                _warn(problem)
    for quotation in timeline_quotations(app):
        problem = check_quotation(app, quotation)
        if problem:
            _warn(problem)
    for problem in evidence_problems(app):
        _warn(problem)


def purge(app, env, docname: str) -> None:
    _found(env).pop(docname, None)


def merge(app, env, docnames: set[str], other) -> None:
    for docname in docnames:
        _found(env)[docname] = _found(other).get(docname, [])


def setup(app) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    app.add_config_value("quotation_excerpts", "", "env", types=frozenset({str}))
    app.connect("builder-inited", load, priority=650)  # after sphinxcontrib-bibtex and zhbook.ext.timeline
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-updated", check_all, priority=700)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
