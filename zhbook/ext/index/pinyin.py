"""The 索引 in pinyin order, grouped A–Z, in every format.

This module owns:

- the sort key of an entry (:class:`Readings`: ``sort_key``, ``group_of``): pypinyin readings, with the book's
  own readings of its polyphonic terms (conf.py's ``pinyin_index_readings``: 行政 xíng zhèng, 重构 chóng gòu …)
  taking precedence, compared syllable by syllable and tone by tone, so that all entries that start with the same
  character stay together; Latin-script words sort among them by their letters, numbers and symbols come first.
  The readings belong to the Sphinx application that builds the book (its config), never to the process;
- the HTML and EPUB ``genindex`` page: Sphinx groups CJK entries by their first character in code-point order,
  so the ``html-page-context`` event (a documented hook; the EPUB builder fires it too, after fixing the links)
  re-sorts and regroups the page's entries A–Z;
- the LaTeX index: a makeindex replacement, ``python -m zhbook.ext.index.pinyin [-s style] [-o out.ind] in.idx``,
  that reads the .idx XeLaTeX writes for Sphinx (``\\indexentry{sort@\\spxentry{text}!sub@…|hyperpage}{12}``)
  and writes the .ind in the layout of Sphinx's ``python.ist``; the LaTeX builder appends the line that makes
  latexmk call it to the ``latexmkrc`` it writes (``latexmkrc_line()`` gives that line for another rc file);
  ``python -m zhbook.ext.index.pinyin --readings 行政 银行`` prints the readings the sort uses.

The syllables of every run of characters read are kept in the doctree folder between builds (``pinyin-runs.json``,
valid for one pypinyin version and one set of the book's readings): Sphinx regroups the genindex page on every
HTML build, and loading pypinyin's dictionaries took longer than the rest of a one-paragraph rebuild.

A book's readings come from its conf.py: ``pinyin_index_readings = {"还权于民": "huán quán yú mín"}``, one
syllable per character; list every polyphonic term even where pypinyin guesses right, so that a new pypinyin
cannot silently move it.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import json
import re
import shlex
import sys
import unicodedata
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from zhbook.core import files

from zhbook.core.chinese import HAN

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from sphinx.application import Sphinx
    from sphinx.config import Config

SYMBOLS, NUMBERS, LETTERS = 0, 1, 2  # ranks of the index's groups, in the order they are printed

_TOKEN_RE = re.compile(rf"(?P<han>[{HAN}]+)|(?P<number>\d+)|(?P<word>(?:(?![{HAN}])[^\W\d_])+)")
_SYLLABLE_RE = re.compile(r"([a-z]+)([1-5])")


class Unit(NamedTuple):
    """One compared unit of an entry: a Chinese character with its reading, a Latin word or a number."""

    rank: int  # NUMBERS or LETTERS; other scripts count as SYMBOLS
    letters: str  # the pinyin syllable without tone, or the word in lower case without accents
    number: int  # the value of a number
    tone: int  # 1–5 (5 is the neutral tone); 0 for a Latin word
    text: str  # the character or word itself, which orders homophones


class Readings:
    """The pinyin sort of one book: pypinyin's readings, with the book's own readings of phrases (conf.py's
    ``pinyin_index_readings``) taking precedence.

    A Han run is cut as pypinyin cuts it (the longest known phrase first, from the left), with the book's phrases
    added to pypinyin's; a book phrase is read as the book says, the rest by pypinyin. Nothing is taught to
    pypinyin itself (its phrase dictionary is one per process), so two books sorted in one process never see each
    other's readings. Build one with :func:`readings_of` (cached by value)."""

    def __init__(self, phrases: Mapping[str, str] | None = None):
        self._spoken: dict[str, list[str]] = {}
        for phrase, spoken in (phrases or {}).items():
            syllables = spoken.split()
            if len(syllables) != len(phrase):
                raise ValueError(f"reading {spoken!r} of {phrase!r} needs one syllable per character")
            self._spoken[phrase] = syllables
        self._longest = max(map(len, self._spoken), default=0)
        #: The syllables of each run read so far; kept between builds (:data:`RUNS_CACHE`), so pypinyin, whose
        #: dictionaries take longer to load than the rest of a one-paragraph HTML rebuild, loads only for a new run.
        self.runs: dict[str, list[str]] = {}

    @functools.cached_property
    def phrases(self) -> dict[str, list[str]]:
        """The book's phrases in TONE3 syllables (converted when first needed: that loads pypinyin)."""
        return {phrase: [_tone3(syllable) for syllable in syllables] for phrase, syllables in self._spoken.items()}

    def signature(self) -> str:
        """What the syllables of a run depend on: pypinyin's version and the book's phrases."""
        from importlib.metadata import version

        spoken = json.dumps(self._spoken, ensure_ascii=False, sort_keys=True)
        return f"pypinyin {version('pypinyin')} {hashlib.sha256(spoken.encode()).hexdigest()}"

    def _pinyin_of_run(self, han: str) -> list[str]:
        """TONE3 syllables (``zhong4``; 5 is the neutral tone) of a run of Han characters."""
        if han not in self.runs:
            self.runs[han] = self._read_run(han)
        return self.runs[han]

    def _read_run(self, han: str) -> list[str]:
        if not self._spoken:
            return _lazy_pinyin(han)
        from pypinyin.constants import PHRASES_DICT

        result: list[str] = []
        plain_start = start = 0
        while start < len(han):
            # pypinyin's cut: the longest phrase that starts here, the book's phrases counted among pypinyin's
            end = next((end for end in range(len(han), start + 1, -1)
                        if han[start:end] in self.phrases or han[start:end] in PHRASES_DICT), start + 1)
            if han[start:end] in self.phrases:
                result += _lazy_pinyin(han[plain_start:start]) if plain_start < start else []
                result += self.phrases[han[start:end]]
                plain_start = end
            start = end
        result += _lazy_pinyin(han[plain_start:]) if plain_start < len(han) else []
        return result

    def units(self, text: str) -> list[Unit]:
        """The compared units of ``text``; punctuation and spaces are skipped."""
        result: list[Unit] = []
        for match in _TOKEN_RE.finditer(text):
            if han := match["han"]:
                for char, syllable in zip(han, self._pinyin_of_run(han)):
                    if parsed := _SYLLABLE_RE.fullmatch(syllable):
                        result.append(Unit(LETTERS, parsed[1], 0, int(parsed[2]), char))
                    else:  # a character pypinyin cannot read
                        result.append(Unit(SYMBOLS, char, 0, 0, char))
            elif number := match["number"]:
                result.append(Unit(NUMBERS, "", int(number), 0, number))
            else:
                word = match["word"]
                folded = _fold_latin(word)
                rank = LETTERS if folded.isascii() else SYMBOLS
                result.append(Unit(rank, folded, 0, 0, word))
        return result

    def sort_key(self, text: str) -> tuple:
        """The key that puts index and glossary entries in pinyin order."""
        parts = self.units(text)
        rank = parts[0].rank if parts else SYMBOLS
        return (rank, parts, text)

    def group_of(self, text: str) -> str | int:
        """The index group of ``text``: its capital initial A–Z, or SYMBOLS or NUMBERS."""
        parts = self.units(text)
        if not parts or parts[0].rank != LETTERS:
            return parts[0].rank if parts else SYMBOLS
        return parts[0].letters[0].upper()

    def reading(self, text: str) -> str:
        """The pinyin reading used for sorting, e.g. ``xing2 zheng4``, for messages."""
        return " ".join(f"{u.letters}{u.tone}" if u.tone else (u.letters or u.text) for u in self.units(text))


@cache
def _readings_of(items: frozenset[tuple[str, str]]) -> Readings:
    return Readings(dict(items))


def readings_of(phrases: Mapping[str, str] | None = None) -> Readings:
    """The :class:`Readings` for a book's phrase readings (one per distinct mapping, so keys are computed once)."""
    return _readings_of(frozenset((phrases or {}).items()))


def app_readings(app: Sphinx) -> Readings:
    """The readings of the book this Sphinx application builds (its ``pinyin_index_readings``)."""
    return readings_of(app.config.pinyin_index_readings)


# pypinyin is imported only when a sort key is first needed, because loading its dictionaries takes half a second
# that most processes importing this module (texrun, for one) never use.
@cache
def _pypinyin():
    import pypinyin
    return pypinyin


def _lazy_pinyin(han: str) -> list[str]:
    pypinyin = _pypinyin()
    return pypinyin.lazy_pinyin(han, style=pypinyin.Style.TONE3, neutral_tone_with_five=True)


def _tone3(syllable: str) -> str:
    """``zhòng`` → ``zhong4``, as pypinyin writes its own readings in TONE3."""
    _pypinyin()
    from pypinyin.contrib.tone_convert import to_tone3
    return to_tone3(syllable, neutral_tone_with_five=True)


def _fold_latin(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def sort_key(text: str) -> tuple:
    """The sort key with pypinyin's readings only (a book's own readings: ``readings_of(...).sort_key``)."""
    return readings_of().sort_key(text)


def group_of(text: str) -> str | int:
    """The index group with pypinyin's readings only: capital initial A–Z, or SYMBOLS or NUMBERS."""
    return readings_of().group_of(text)


def reading(text: str) -> str:
    """The reading with pypinyin's readings only, e.g. ``xing2 zheng4``."""
    return readings_of().reading(text)


# ----------------------------------------------------------------------------------------------------------
# HTML and EPUB: the genindex page


def regroup_genindex(genindex: list, symbols_name: str, numbers_name: str,
                     readings: Readings | None = None) -> tuple[list, list[int]]:
    """Sphinx's genindex entries re-sorted in pinyin order and regrouped A–Z; returns (entries, counts).

    Entries that start with a number and with a symbol get groups of their own, named as the PDF's index names
    them (\\sphinxnumbersname, \\sphinxsymbolsname: 数字, 符号 in Chinese)."""
    readings = readings or readings_of()
    entries = [entry for _letter, group in genindex for entry in group]
    entries.sort(key=lambda entry: readings.sort_key(entry[0]))
    for _name, (_targets, sub_entries, _category) in entries:
        sub_entries.sort(key=lambda sub_entry: readings.sort_key(sub_entry[0]))

    def heading(entry: tuple) -> str:
        group = readings.group_of(entry[0])
        return group if isinstance(group, str) else numbers_name if group == NUMBERS else symbols_name

    regrouped = [(letter, list(group)) for letter, group in groupby(entries, key=heading)]
    counts = [sum(1 + len(sub_entries) for _name, (_t, sub_entries, _c) in group) for _letter, group in regrouped]
    return regrouped, counts


def _on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    if pagename in {"genindex", "genindex-all"} and "genindexentries" in context:
        from sphinx.locale import _

        context["genindexentries"], context["genindexcounts"] = regroup_genindex(
            context["genindexentries"], _("Symbols"), _("Numbers"), app_readings(app)
        )


def _check_builder(app: Sphinx) -> None:
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    if app.builder.format == "html" and app.config.html_split_index:
        logger.warning(
            "html_split_index is not supported: the pages per letter would keep Sphinx's code-point order",
            type="zhbook",
            subtype="pinyin_index",
        )
    if app.builder.name == "latex" and app.config.latex_use_xindy:
        logger.warning(
            "set latex_use_xindy = False: xindy knows no pinyin; zhbook.ext.index.pinyin replaces makeindex",
            type="zhbook",
            subtype="pinyin_index",
        )


# ----------------------------------------------------------------------------------------------------------
# LaTeX: the makeindex replacement

LATEXMKRC_MARK = "# zhbook.ext.index.pinyin: the index in pinyin order"
#: The book's ``pinyin_index_readings``, written next to the .tex files of every LaTeX build (the book's and the
#: handouts'), where the makeindex replacement, run by latexmk in that folder, reads them.
READINGS_FILE = "zhbook-pinyin-readings.json"


def latexmkrc_line(python: str | None = None) -> str:
    """The latexmkrc line that makes latexmk build the index with this module instead of makeindex."""
    command = f"{shlex.quote(python or sys.executable)} -m zhbook.ext.index.pinyin %O -o %D %S"
    return f"$makeindex = q{{{command}}};"  # q{} keeps any shell quotes of the path intact in Perl


def _write_readings_file(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "latex":
        readings = json.dumps(dict(sorted(app.config.pinyin_index_readings.items())), ensure_ascii=False, indent=1)
        path = Path(app.outdir, READINGS_FILE)
        if not path.is_file() or path.read_text(encoding="utf-8") != readings + "\n":
            files.write_text(path, readings + "\n")


def load_readings_file(path: Path) -> Readings:
    """The readings a LaTeX build wrote (:data:`READINGS_FILE`); raise ValueError naming the file if unreadable."""
    try:
        phrases = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(phrases, dict) or not all(isinstance(v, str) for v in phrases.values()):
            raise ValueError("not an object of phrase: reading strings")
        return readings_of(phrases)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"{path}: {error}") from None


def _append_latexmkrc(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name != "latex" or app.config.latex_use_xindy:
        return
    latexmkrc = Path(app.outdir, "latexmkrc")
    if not latexmkrc.is_file():
        return
    text = latexmkrc.read_text(encoding="utf-8")
    if LATEXMKRC_MARK not in text:
        # The later assignment wins over Sphinx's 'makeindex -s python.ist'.
        latexmkrc.write_text(f"{text.rstrip()}\n{LATEXMKRC_MARK}\n{latexmkrc_line()}\n", encoding="utf-8")


class IdxError(ValueError):
    """A line of the .idx file that is not a well-formed \\indexentry."""


@dataclass
class _Node:
    """An entry at one level of the index, with its pages and its sub-entries."""

    sort: str
    display: str
    pages: dict[tuple[int, int, str], set[str]] = field(default_factory=dict)  # page key -> encaps
    children: dict[tuple[str, str], _Node] = field(default_factory=dict)


_QUOTE, _ESCAPE, _LEVEL, _ACTUAL, _ENCAP = '"', "\\", "!", "@", "|"
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_CONTROL_WORD_RE = re.compile(r"\\[A-Za-z]+\s*(\{\})?")
_CONTROL_SYMBOL_RE = re.compile(r"\\(.)")


def _read_group(text: str, start: int) -> int:
    """Index just past the brace group that opens at ``text[start]``, honouring makeindex's quote."""
    depth = 0
    i = start
    while i < len(text):
        char = text[i]
        if char in (_QUOTE, _ESCAPE):
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise IdxError("unbalanced braces")


def _split_unquoted(text: str, separator: str, maxsplit: int = -1) -> list[str]:
    """Split at ``separator`` where it is not quoted by ``"`` (makeindex's quote character)."""
    parts, current, i = [], [], 0
    while i < len(text):
        char = text[i]
        if char == _ESCAPE and i + 1 < len(text) and text[i + 1] == _QUOTE:
            current.append(text[i : i + 2])  # \" is TeX's umlaut accent, not a quote
            i += 2
        elif char == _QUOTE and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
        elif char == separator and maxsplit != 0:
            parts.append("".join(current))
            current = []
            maxsplit -= 1
            i += 1
        else:
            current.append(char)
            i += 1
    parts.append("".join(current))
    return parts


def _unquote(text: str) -> str:
    return re.sub(r'(?<!\\)"(.)', r"\1", text)


def _plain(latex: str) -> str:
    """The text of a sort key as Sphinx writes it (``\\sphinxhyphen{}`` and the like only matter as punctuation)."""
    return _CONTROL_SYMBOL_RE.sub(r"\1", _CONTROL_WORD_RE.sub(" ", latex)).replace("{", "").replace("}", "")


def _page_key(page: str) -> tuple[int, int, str]:
    """makeindex's page order: roman (front matter) before arabic before anything else."""
    if page.isdigit():
        return (1, int(page), page)
    if page and set(page) <= set(_ROMAN):
        value = 0
        for char, following in zip(page, page[1:] + " "):
            value += -_ROMAN[char] if _ROMAN.get(following, 0) > _ROMAN[char] else _ROMAN[char]
        return (0, value, page)
    return (2, 0, page)


def parse_idx(lines: Iterable[str], filename: str = "<idx>") -> _Node:
    """Read ``\\indexentry{key}{page}`` lines into a tree of entries; a malformed line raises IdxError."""
    root = _Node("", "")
    prefix = "\\indexentry"
    for lineno, line in enumerate(lines, start=1):
        line = line.strip()
        if not line:
            continue
        try:
            if not line.startswith(prefix + "{"):
                raise IdxError("not an \\indexentry line")
            key_end = _read_group(line, len(prefix))
            page_end = _read_group(line, key_end)
            if line[page_end:].strip():
                raise IdxError("text after the page number")
            key, page = line[len(prefix) + 1 : key_end - 1], line[key_end + 1 : page_end - 1]
            levels_text, *encap = _split_unquoted(key, _ENCAP, maxsplit=1)
            levels = _split_unquoted(levels_text, _LEVEL)
            if len(levels) > 3:
                raise IdxError("more than three levels")
            node = root
            for level in levels:
                sort, *display = _split_unquoted(level, _ACTUAL, maxsplit=1)
                sort, display_text = _unquote(sort), _unquote(display[0] if display else sort)
                if not sort.strip():
                    raise IdxError("empty entry")
                node = node.children.setdefault((sort, display_text), _Node(sort, display_text))
            # "(" and ")" open and close explicit ranges, which Sphinx never writes: they count as pages.
            encap_text = _unquote(encap[0]).lstrip("()") if encap else ""
            node.pages.setdefault(_page_key(page), set()).add(encap_text)
        except IdxError as error:
            raise IdxError(f"{filename}:{lineno}: {error}: {line}") from None
    return root


def _format_pages(pages: dict[tuple[int, int, str], set[str]]) -> list[str]:
    """The page references of an entry, with runs of three or more pages merged into ranges as makeindex does."""
    items: list[tuple[tuple[int, int, str], str]] = []
    for page_key in sorted(pages):
        encaps = pages[page_key]
        if len(encaps) > 1:
            encaps = encaps - {"hyperpage", ""} or encaps  # a main or 'see' reference wins over a plain one
        items.extend((page_key, encap) for encap in sorted(encaps))
    result: list[str] = []
    i = 0
    while i < len(items):
        (kind, value, page), encap = items[i]
        end = i  # the last page of a run of consecutive pages with the same encap
        while (
            kind < 2
            and end + 1 < len(items)
            and items[end + 1][1] == encap
            and items[end + 1][0][0] == kind
            and items[end + 1][0][1] == items[end][0][1] + 1
        ):
            end += 1
        # As makeindex: two consecutive pages share one reference "12, 13", three or more make a range "12--14".
        separator = ", " if end - i == 1 else "--"
        text = page if end == i else f"{page}{separator}{items[end][0][2]}"
        result.append(f"\\{encap}{{{text}}}" if encap else text)
        i = end + 1
    return result


_PREAMBLE = (
    "\\begin{sphinxtheindex}\n"
    "\\let\\bigletter\\sphinxstyleindexlettergroup\n"
    "\\let\\spxpagem \\sphinxstyleindexpagemain\n"
    "\\let\\spxentry \\sphinxstyleindexentry\n"
    "\\let\\spxextra \\sphinxstyleindexextra\n\n"
)
_POSTAMBLE = "\n\n\\end{sphinxtheindex}\n"
_GROUP_SKIP = "\n\n  \\indexspace\n"
_ITEMS = ("\n  \\item ", "\n    \\subitem ", "\n      \\subsubitem ")
_HEADINGS = {SYMBOLS: "{\\sphinxsymbolsname}", NUMBERS: "{\\sphinxnumbersname}"}


def _sorted_children(node: _Node, readings: Readings) -> list[_Node]:
    return sorted(node.children.values(), key=lambda child: (readings.sort_key(_plain(child.sort)), child.display))


def _format_entry(node: _Node, level: int, readings: Readings) -> str:
    pages = _format_pages(node.pages)
    text = _ITEMS[level] + node.display + (", " + ", ".join(pages) if pages else "")
    return text + "".join(_format_entry(child, level + 1, readings) for child in _sorted_children(node, readings))


def write_ind(root: _Node, readings: Readings | None = None) -> str:
    """The .ind text of the index tree, laid out as makeindex does with Sphinx's python.ist."""
    if not root.children:
        return ""  # no index at all, as Sphinx does for xindy: no empty 索引 chapter
    readings = readings or readings_of()
    groups = groupby(_sorted_children(root, readings), key=lambda node: readings.group_of(_plain(node.sort)))
    parts = []
    for group, nodes in groups:
        heading = group if isinstance(group, str) else _HEADINGS[group]
        parts.append("  \\bigletter " + heading + "".join(_format_entry(node, 0, readings) for node in nodes))
    return _PREAMBLE + _GROUP_SKIP.join(parts) + _POSTAMBLE


def main(argv: Sequence[str] | None = None) -> int:
    """Command line compatible with the makeindex options latexmk passes.

    The book's own readings are read from :data:`READINGS_FILE` in the folder of the .idx file, where the LaTeX
    build wrote them (without it, pypinyin's readings alone).

    ``python -m zhbook.ext.index.pinyin [--readings-file FILE] --readings 行政 银行 …`` prints the readings the sort
    uses instead, for an editor to check a term with a polyphonic character (add a wrong one to
    ``pinyin_index_readings``; FILE is the :data:`READINGS_FILE` of a LaTeX build, e.g. build/latex/).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    readings = readings_of()
    if argv[:1] == ["--readings-file"] and len(argv) > 1:
        try:
            readings = load_readings_file(Path(argv[1]))
        except ValueError as error:
            print(f"zhbook.ext.index.pinyin: {error}", file=sys.stderr)
            return 1
        argv = argv[2:]
    if argv[:1] == ["--readings"]:
        for text in argv[1:]:
            print(f"{text}\t{readings.reading(text)}")
        return 0
    parser = argparse.ArgumentParser(
        prog="python -m zhbook.ext.index.pinyin",
        description="makeindex replacement that sorts a Sphinx .idx file in pinyin order.",
    )
    parser.add_argument("idx", help="the .idx file that LaTeX wrote")
    parser.add_argument("-o", dest="ind", help="the .ind file to write (default: the .idx name with .ind)")
    parser.add_argument("-t", dest="log", help="the transcript file (default: the .idx name with .ilg)")
    parser.add_argument("-s", dest="style", help="ignored: the layout is that of Sphinx's python.ist")
    parser.add_argument("-q", action="store_true", help="quiet")
    for flag in ("-c", "-g", "-l", "-r", "-L", "-T"):
        parser.add_argument(flag, action="store_true", help="accepted for makeindex compatibility; ignored")
    parser.add_argument("-p", dest="start_page", help="accepted for makeindex compatibility; ignored")
    args = parser.parse_args(argv)

    idx = Path(args.idx)
    if not idx.exists() and not idx.suffix:
        idx = idx.with_suffix(".idx")  # makeindex accepts the base name
    ind = Path(args.ind) if args.ind else idx.with_suffix(".ind")
    log = Path(args.log) if args.log else idx.with_suffix(".ilg")
    try:
        root = parse_idx(idx.read_text(encoding="utf-8").splitlines(), str(idx))
        if (idx.parent / READINGS_FILE).is_file():
            readings = load_readings_file(idx.parent / READINGS_FILE)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        message = f"zhbook.ext.index.pinyin: {error}"
        log.write_text(message + "\n", encoding="utf-8")
        print(message, file=sys.stderr)
        return 1
    ind.write_text(write_ind(root, readings), encoding="utf-8")
    message = f"zhbook.ext.index.pinyin: {len(root.children)} entries from {idx} sorted by pinyin into {ind}"
    log.write_text(message + "\n", encoding="utf-8")
    if not args.q:
        print(message)
    return 0


# ----------------------------------------------------------------------------------------------------------


def _check_configured_readings(app: Sphinx, config: Config) -> None:
    from sphinx.errors import ConfigError

    try:
        readings_of(config.pinyin_index_readings)
    except ValueError as error:
        raise ConfigError(f"pinyin_index_readings: {error}") from None


# The syllables of the runs read in earlier builds (Readings.runs), in the doctree folder.
RUNS_CACHE = "pinyin-runs.json"


def _load_runs(app: Sphinx) -> None:
    readings = app_readings(app)
    try:
        data = json.loads(Path(app.doctreedir, RUNS_CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(data, dict) and data.get("signature") == readings.signature():
        for han, syllables in data.get("runs", {}).items():
            readings.runs.setdefault(han, syllables)


def _save_runs(app: Sphinx, exception: Exception | None) -> None:
    readings = app_readings(app)
    if exception is not None or not readings.runs:
        return
    text = json.dumps({"signature": readings.signature(), "runs": dict(sorted(readings.runs.items()))},
                      ensure_ascii=False, indent=0)
    path = Path(app.doctreedir, RUNS_CACHE)
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    files.write_text(path, text)


def setup(app: Sphinx) -> dict:
    app.add_config_value("pinyin_index_readings", {}, "env", types=frozenset({dict}))
    app.connect("config-inited", _check_configured_readings)
    app.connect("builder-inited", _check_builder)
    app.connect("builder-inited", _load_runs)
    app.connect("build-finished", _save_runs)
    app.connect("html-page-context", _on_html_page_context)
    app.connect("build-finished", _append_latexmkrc)
    app.connect("build-finished", _write_readings_file)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    sys.exit(main())
