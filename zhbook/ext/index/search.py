"""Chinese words in the HTML search index: the book's terms become jieba words.

With ``html_search_language = "zh"`` Sphinx segments the text with jieba's ``cut_for_search``. jieba's own
dictionary does not know many terms of public administration: 问责 has frequency 0 and 问责制 swallows it, so
"官员问责制度" is indexed as 官员 / 问责制 / 度 and a search for 问责 misses the page. The browser does not segment
the query (a Chinese query is one search word), so every word a reader may type must be in the index.

Before the pages are written, every index entry and glossary term of the book that contains Chinese, and the
words jieba's HMM finds in it (官员问责制度 → 官员, 问责, 制度), are added to jieba's dictionary with
``jieba.add_word``; ``cut_for_search`` then yields the term and its parts. Words that are neither index entries
nor terms can still be given to Sphinx in a user dictionary: ``html_search_options = {"dict": "/abs/path.txt"}``.

Sphinx 9.0.4's Chinese search is broken in the browser: its language_data.js ends with
``window.Stemmer = ChineseStemmer;``, a class that does not exist (the Chinese search stems Latin words with the
English stemmer), so every query stops with a ReferenceError (sphinx-doc/sphinx#14229, fixed by #14416 after
9.0.4). ``ChineseSearch`` is registered for "zh" with ``app.add_search_language`` and names the English stemmer
the Python side uses; it also skips Sphinx's needless reloading of jieba's default dictionary (3 s per build).
"""
from __future__ import annotations

import logging as std_logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

import sphinx.search
from sphinx.search.zh import SearchChinese
from sphinx.util import logging
from sphinx.util.index_entries import split_index_msg

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

# The runs of text jieba treats as one stretch (its re_han_default); words are found inside them.
_JIEBA_RUN_RE = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
_HAN_RE = re.compile(r"[\u4E00-\u9FD5]")


def _english_stemmer_js() -> str:
    minified = Path(sphinx.search.__file__).parent / "minified-js"
    base, english = ((minified / name).read_text(encoding="utf-8") for name in ("base-stemmer.js", "english-stemmer.js"))
    return f"{base}\n{english}\nwindow.Stemmer = EnglishStemmer;"


class ChineseSearch(SearchChinese):
    """Sphinx's Chinese search, with the JavaScript stemmer that matches its Python one (see the docstring)."""

    js_stemmer_rawcode = ""  # so that Sphinx takes js_stemmer_code instead of naming a ChineseStemmer
    js_stemmer_code = _english_stemmer_js()

    def __init__(self, options: dict[str, str]) -> None:
        # Without a "dict" option Sphinx loads jieba's default dictionary again as a user dictionary: 3 s for
        # every HTML build, and it would reset the frequencies _add_book_words gave to words jieba knows.
        super().__init__({"dict": "", **options})


def _searches_chinese(app: Sphinx) -> bool:
    language = app.config.html_search_language or app.config.language or ""
    return app.builder.format == "html" and bool(getattr(app.builder, "search", False)) and language.startswith("zh")


def book_terms(env: BuildEnvironment) -> set[str]:
    """The texts of the index entries (each part of a pair, triple or sub-entry) and the glossary terms."""
    texts: set[str] = set()
    for entries in env.domains.index_domain.entries.values():
        for entry_type, value, _target, _main, _key in entries:
            try:
                texts.update(split_index_msg(entry_type, value))
            except ValueError:
                continue  # Sphinx itself warns about a malformed entry
    texts.update(name for objtype, name in env.domains.standard_domain.objects if objtype == "term")
    return texts


def search_words(texts: Iterable[str]) -> set[str]:
    """The words to add to jieba: each Chinese stretch of the texts and the longer words jieba's HMM sees in it."""
    import jieba

    words: set[str] = set()
    for text in texts:
        for run in _JIEBA_RUN_RE.findall(text):
            if not _HAN_RE.search(run):
                continue
            words.add(run)
            words.update(piece for piece in jieba.cut(run, HMM=True) if len(piece) > 1 and _HAN_RE.search(piece))
    return words


def _add_book_words(app: Sphinx, env: BuildEnvironment) -> list[str]:
    if not _searches_chinese(app):
        return []
    try:
        import jieba
    except ImportError:
        logger.warning(
            "jieba is not installed: the search index holds single characters, not words",
            type="zhbook",
            subtype="search",
        )
        return []
    jieba.setLogLevel(std_logging.WARNING)  # its progress messages would interleave with Sphinx's
    words = search_words(book_terms(env))
    for word in sorted(words):
        jieba.add_word(word)
    logger.info("zhbook.ext.index.search: %d words of the book's index and glossary added to jieba", len(words))
    return []


def setup(app: Sphinx) -> dict:
    app.add_search_language(ChineseSearch)
    app.connect("env-updated", _add_book_words)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
