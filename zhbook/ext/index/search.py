"""The HTML search for Chinese text: every word, abbreviation and number of a page finds that page.

A browser does not segment what a reader types, and a word segmenter (jieba, which Sphinx uses for "zh") cuts the
text its own way: 乡村振兴 becomes 乡村 / 振兴, and a query that does not start and end where its words do
(村振兴, or an abbreviation the segmenter cuts in two) can never match. So the index does not hold words at all (no
dictionary is loaded, nothing to keep up to date):

- each run of Chinese characters (or kana) is indexed by its overlapping two-character pieces and by its single
  characters: 振兴 → 振兴, 振, 兴;
- Latin words and numbers as whole tokens (``show_topic`` also as ``show`` and ``topic``), Latin words stemmed as
  Sphinx stems English, English stop words left out;
- the text of a block (paragraph, heading, table cell, term, caption) is split as one string: a paragraph's last
  characters or the character before a citation mark sit in their own span (:mod:`zhbook.ext.typography`), and a
  word cut by such inline markup would otherwise never be seen whole.

In the browser (JavaScript appended to ``language_data.js``, which the search page loads after Sphinx's
``searchtools.js``), a Chinese stretch of the query is split the same way, so a page is found when it holds every
two-character piece of the word; a page found so, whose text turns out not to hold the word itself, is dropped
before the results are shown. A number is a query word too (Sphinx drops every all-digit one), and every query
word is required (Sphinx makes words of one or two characters optional when longer ones are present).

Two bugs of Sphinx 9.0.4's index of an incremental build are fixed here too: words of a page's old text stayed in
``searchindex.js`` with an empty page list (the same sources gave different bytes), and the index entries of every
page not written again were lost (``IndexBuilder.load`` does not restore them), so a search found them only after
a clean build.

Sphinx 9.0.4's own Chinese search is also broken in the browser: its ``language_data.js`` names a
``ChineseStemmer`` that does not exist (sphinx-doc/sphinx#14229); this language names the English stemmer its
Python side uses.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import snowballstemmer
import sphinx.search
from docutils import nodes
from sphinx.search import IndexBuilder, SearchLanguage, WordStore, _feed_visit_nodes
from sphinx.search._stopwords.en import ENGLISH_STOPWORDS

from zhbook.core.chinese import HAN, KANA

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

#: Characters indexed by their pieces: Han (with its extensions and compatibility forms) and kana.
CJK_CHARS = HAN + KANA
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
#: Latin-script words and numbers (accented letters included); an underscore joins parts of one token.
LATIN_TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+(?:_[0-9A-Za-z\u00c0-\u024f]+)*")


def cjk_pieces(run: str) -> list[str]:
    """乡村振兴 → 乡, 村, 振, 兴, 乡村, 村振, 振兴: the single characters and the overlapping pairs."""
    return [*run, *(run[i:i + 2] for i in range(len(run) - 1))]


def _english_stemmer_js() -> str:
    minified = Path(sphinx.search.__file__).parent / "minified-js"
    base, english = ((minified / name).read_text(encoding="utf-8") for name in ("base-stemmer.js", "english-stemmer.js"))
    return f"{base}\n{english}\nwindow.Stemmer = EnglishStemmer;"


#: The query side; see the module docstring. It replaces ``splitQuery``, ``Search._parseQuery`` and
#: ``Search.query`` and filters ``Search.performTermsSearch``, of Sphinx 9.0.4's searchtools.js.
QUERY_JS = Path(__file__).with_name("search_query.js").read_text(encoding="utf-8").replace(
    "__ZH_CJK_CLASS__", json.dumps(CJK_CHARS))


class ChineseSearch(SearchLanguage):
    """Search language "zh": CJK text by characters and pairs of characters, Latin words stemmed as English."""

    lang = "zh"
    language_name = "Chinese"
    stopwords = ENGLISH_STOPWORDS
    js_stemmer_rawcode = ""  # so that Sphinx takes js_stemmer_code instead of naming a ChineseStemmer
    js_stemmer_code = _english_stemmer_js() + "\n" + QUERY_JS

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.latin_terms: set[str] = set()
        self.stemmer = snowballstemmer.stemmer("english")

    def split(self, input: str) -> list[str]:
        words: list[str] = []
        for run in CJK_RUN.findall(input):
            words.extend(cjk_pieces(run))
        for token in LATIN_TOKEN.findall(input):
            words.append(token)
            if "_" in token:
                words.extend(token.split("_"))
        self.latin_terms.update(word for word in words if word.isascii())
        return words

    def word_filter(self, word: str) -> bool:
        if CJK_RUN.fullmatch(word):
            return True
        return len(word) > 1 and word.lower() not in self.stopwords

    def stem(self, word: str) -> str:
        if CJK_RUN.match(word) or word.isdigit():
            return word
        stemmed = self.stemmer.stemWord(word.lower())
        # an acronym or a short word is kept whole rather than stemmed to less than three letters (as Sphinx's zh)
        if len(word) >= 3 > len(stemmed) and word in self.latin_terms:
            return word.lower()
        return stemmed


# --- the index: block text, and the two incremental-build fixes ----------------------------------------------

def _block_text(node: nodes.Element) -> str:
    """The text of a block as a reader sees it, without comments, raw markup and what is marked no-search."""
    parts = []
    for child in node.children:
        if isinstance(child, nodes.Text):
            parts.append(child.astext())
        elif isinstance(child, (nodes.comment, nodes.raw, nodes.system_message)):
            continue
        elif isinstance(child, nodes.Inline):
            if "no-search" not in child["classes"]:
                parts.append(_block_text(child))
        elif isinstance(child, nodes.Element):
            # a block inside the block (a resolved toctree puts its caption and lists in one paragraph): a word
            # never runs from one into the next
            parts.append(f"\n{_block_text(child)}\n" if "no-search" not in child["classes"] else "\n")
    return "".join(parts)


def _is_block(node: nodes.Node) -> bool:
    return isinstance(node, nodes.TextElement) and not isinstance(node, (nodes.Inline, nodes.title))


def collect_words(node: nodes.Node, store: WordStore, split: Callable[[str], list[str]], language: str) -> None:
    """Sphinx's word collection (``sphinx.search._feed_visit_nodes``), with each block's text split as a whole."""
    if isinstance(node, nodes.Element) and "no-search" in node["classes"]:
        return
    if _is_block(node):
        store.words.extend(split(_block_text(node)))
        return
    if isinstance(node, (nodes.Text, nodes.comment, nodes.raw, nodes.meta)):
        _feed_visit_nodes(node, word_store=store, split=split, language=language)
        return
    if isinstance(node, nodes.title):
        # the title (its text as a whole, as Sphinx takes it) and its words
        sub = WordStore(titles=store.titles)
        _feed_visit_nodes(node, word_store=sub, split=split, language=language)
        store.title_words.extend(sub.title_words)
        store.words.extend(split(_block_text(node)))
        return
    for child in node.children:
        collect_words(child, store, split, language)


class _Frozen:
    """A 'format' whose load() returns data already read (IndexBuilder.load takes a stream and a format)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def load(self, stream: Any) -> dict[str, Any]:
        return self.data


class ChineseIndexBuilder(IndexBuilder):
    """Sphinx's IndexBuilder with block text and the incremental-build fixes (see the module docstring)."""

    def _word_collector(self, doctree: nodes.document) -> WordStore:
        store = WordStore()
        collect_words(doctree, store, self.lang.split, self.lang.lang)
        return store

    def load(self, stream: Any, format: Any) -> None:
        if isinstance(format, str):
            format = self.formats[format]
        frozen = format.load(stream)
        super().load(stream, _Frozen(frozen))
        # Sphinx restores titles and terms but not the index entries: those of the pages not written again would
        # be lost (they live in the environment, pickled before the pages are written). The index last written
        # is what they were; the dictionary is the environment's own, so it is refilled, not replaced.
        docnames = frozen["docnames"]
        restored: dict[str, set[tuple[str, str, str]]] = {}
        for entry, places in frozen.get("indexentries", {}).items():
            for doc, target_id, is_main in places:
                restored.setdefault(docnames[doc], set()).add((entry, target_id or "", "main" if is_main else ""))
        self._index_entries.clear()
        self._index_entries.update((docname, sorted(entries)) for docname, entries in sorted(restored.items()))

    def freeze(self) -> dict[str, Any]:
        frozen = super().freeze()
        # Sphinx lists an entry's pages in the order the pages were indexed, which an incremental build changes
        for places in frozen["indexentries"].values():
            places.sort(key=lambda place: (place[0], place[1], not place[2]))
        return frozen

    def prune(self, docnames: Iterable[str]) -> None:
        docnames = set(docnames)
        super().prune(docnames)
        # Sphinx empties the page lists of words no longer found but keeps the words
        for mapping in (self._mapping, self._title_mapping):
            for word in [word for word, pages in mapping.items() if not pages]:
                del mapping[word]
        for docname in [docname for docname in self._index_entries if docname not in docnames]:
            del self._index_entries[docname]


def _searches_chinese(builder: Builder) -> bool:
    language = builder.config.html_search_language or builder.config.language or ""
    return builder.format == "html" and bool(getattr(builder, "search", False)) and language.startswith("zh")


def use_chinese_index(app: Sphinx, builder: Builder) -> None:
    """Make the HTML builder's search indexer a :class:`ChineseIndexBuilder`.

    Sphinx 9.0.4 creates an ``IndexBuilder`` in ``prepare_writing`` (no setting names its class) and at once calls
    ``load_indexer``; the indexer takes its new class there, before it reads the old index.
    """
    if not _searches_chinese(builder) or "load_indexer" in vars(builder):
        return
    load_indexer = type(builder).load_indexer

    def load_chinese_indexer(docnames):
        if type(builder.indexer) is IndexBuilder:
            builder.indexer.__class__ = ChineseIndexBuilder
        return load_indexer(builder, docnames)

    builder.load_indexer = load_chinese_indexer


def setup(app: Sphinx) -> dict:
    app.add_search_language(ChineseSearch)
    app.connect("write-started", use_chinese_index)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
