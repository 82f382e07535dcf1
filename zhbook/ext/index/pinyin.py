"""The 索引 in pinyin order, grouped A–Z, in every format.

This module owns:

- the sort key of an entry (``sort_key``, ``group_of``): pypinyin readings, with a phrase dictionary for the
  book's polyphonic terms (行政 xíngzhèng, 银行 yínháng, 重构 chónggòu …), compared syllable by syllable and
  tone by tone, so that all entries that start with the same character stay together; Latin-script words sort
  among them by their letters, numbers and symbols come first;
- the HTML and EPUB ``genindex`` page: Sphinx groups CJK entries by their first character in code-point order,
  so the ``html-page-context`` event (a documented hook; the EPUB builder fires it too, after fixing the links)
  re-sorts and regroups the page's entries A–Z;
- the LaTeX index: a makeindex replacement, ``python -m zhbook.ext.index.pinyin [-s style] [-o out.ind] in.idx``,
  that reads the .idx XeLaTeX writes for Sphinx (``\\indexentry{sort@\\spxentry{text}!sub@…|hyperpage}{12}``)
  and writes the .ind in the layout of Sphinx's ``python.ist``; the LaTeX builder appends the line that makes
  latexmk call it to the ``latexmkrc`` it writes (``latexmkrc_line()`` gives that line for another rc file);
  ``python -m zhbook.ext.index.pinyin --readings 行政 银行`` prints the readings the sort uses.

Extra readings come from conf.py: ``pinyin_index_readings = {"还权于民": "huán quán yú mín"}``.
"""
from __future__ import annotations

import argparse
import re
import shlex
import sys
import unicodedata
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from sphinx.application import Sphinx
    from sphinx.config import Config

# Readings of the book's terms whose characters have several readings. pypinyin guesses most of them right;
# they are listed anyway so that a new pypinyin cannot silently move them, and the wrong guesses
# (重构 zhònggòu, 长效 zhǎngxiào, 还权 háiquán …) are corrected.
BOOK_READINGS: dict[str, str] = {
    "行政": "xíng zhèng",
    "银行": "yín háng",
    "行业": "háng yè",
    "重构": "chóng gòu",
    "重塑": "chóng sù",
    "重组": "chóng zǔ",
    "重建": "chóng jiàn",
    "重大": "zhòng dà",
    "重点": "zhòng diǎn",
    "调节": "tiáo jié",
    "调整": "tiáo zhěng",
    "调控": "tiáo kòng",
    "协调": "xié tiáo",
    "调研": "diào yán",
    "调查": "diào chá",
    "参与": "cān yù",
    "单位": "dān wèi",
    "长效": "cháng xiào",
    "长期": "cháng qī",
    "增长": "zēng zhǎng",
    "还权于民": "huán quán yú mín",
    "还权": "huán quán",
    "为人民服务": "wèi rén mín fú wù",
    "为民": "wèi mín",
    "供给": "gōng jǐ",
    "会计": "kuài jì",
    "处理": "chǔ lǐ",
    "数量": "shù liàng",
    "质量": "zhì liàng",
    "强制": "qiáng zhì",
    "着力": "zhuó lì",
    "差距": "chā jù",
    "传递": "chuán dì",
    "省直管县": "shěng zhí guǎn xiàn",
}

SYMBOLS, NUMBERS, LETTERS = 0, 1, 2  # ranks of the index's groups, in the order they are printed

_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN_RE = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<number>\d+)|(?P<word>(?:(?![{_HAN}])[^\W\d_])+)")
_SYLLABLE_RE = re.compile(r"([a-z]+)([1-5])")


class Unit(NamedTuple):
    """One compared unit of an entry: a Chinese character with its reading, a Latin word or a number."""

    rank: int  # NUMBERS or LETTERS; other scripts count as SYMBOLS
    letters: str  # the pinyin syllable without tone, or the word in lower case without accents
    number: int  # the value of a number
    tone: int  # 1–5 (5 is the neutral tone); 0 for a Latin word
    text: str  # the character or word itself, which orders homophones


def add_readings(readings: dict[str, str]) -> None:
    """Teach pypinyin the readings of phrases, written as space-separated syllables with tone marks."""
    phrases = {}
    for phrase, spoken in readings.items():
        syllables = spoken.split()
        if len(syllables) != len(phrase):
            raise ValueError(f"reading {spoken!r} of {phrase!r} needs one syllable per character")
        phrases[phrase] = [[syllable] for syllable in syllables]
    _PHRASES.update(phrases)
    _READINGS.clear()  # a new phrase can change the reading of any run
    if _pypinyin.cache_info().currsize:
        _pypinyin().load_phrases_dict(phrases)


# Readings taught to pypinyin; it is imported only when a sort key is first needed, because loading its
# dictionaries takes half a second that most processes importing this module (texrun, for one) never use.
_PHRASES: dict[str, list[list[str]]] = {}
#: The readings pypinyin gave, per run of characters (see ``READINGS_CACHE``).
_READINGS: dict[str, list[str]] = {}


@cache
def _pypinyin():
    import pypinyin
    pypinyin.load_phrases_dict(_PHRASES)
    return pypinyin


add_readings(BOOK_READINGS)

# The readings pypinyin gave, per run of characters. Sphinx regroups the genindex page on every HTML build, and
# loading pypinyin's dictionaries costs more than the rest of a one-paragraph rebuild; so the readings are kept
# in the doctree folder between builds (``READINGS_CACHE``), valid for one pypinyin version and one set of
# phrases, and pypinyin is loaded only for a run not seen before.
READINGS_CACHE = "pinyin-readings.json"


def _readings_signature() -> str:
    import hashlib
    import json
    from importlib.metadata import version

    phrases = json.dumps(_PHRASES, ensure_ascii=False, sort_keys=True)
    return f"pypinyin {version('pypinyin')} {hashlib.sha256(phrases.encode()).hexdigest()}"


def _load_readings(app: Sphinx) -> None:
    import json

    cache = Path(app.doctreedir, READINGS_CACHE)
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(data, dict) and data.get("signature") == _readings_signature():
        for han, readings in data.get("readings", {}).items():
            _READINGS.setdefault(han, readings)


def _save_readings(app: Sphinx, exception: Exception | None) -> None:
    import json
    import os

    if exception is not None or not _READINGS:
        return
    cache = Path(app.doctreedir, READINGS_CACHE)
    data = {"signature": _readings_signature(), "readings": dict(sorted(_READINGS.items()))}
    text = json.dumps(data, ensure_ascii=False, indent=0)
    try:
        if cache.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_name(f".{cache.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    partial.replace(cache)


def _fold_latin(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def units(text: str) -> list[Unit]:
    """The compared units of ``text``; punctuation and spaces are skipped."""
    result: list[Unit] = []
    for match in _TOKEN_RE.finditer(text):
        if han := match["han"]:
            # The whole run is read at once, so that pypinyin's phrases (and ours) choose the readings.
            readings = _READINGS.get(han)
            if readings is None:
                pypinyin = _pypinyin()
                readings = _READINGS[han] = pypinyin.lazy_pinyin(han, style=pypinyin.Style.TONE3,
                                                                 neutral_tone_with_five=True)
            for char, syllable in zip(han, readings):
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


def sort_key(text: str) -> tuple:
    """The key that puts index and glossary entries in pinyin order."""
    parts = units(text)
    rank = parts[0].rank if parts else SYMBOLS
    return (rank, parts, text)


def group_of(text: str) -> str | int:
    """The index group of ``text``: its capital initial A–Z, or SYMBOLS or NUMBERS."""
    parts = units(text)
    if not parts or parts[0].rank != LETTERS:
        return parts[0].rank if parts else SYMBOLS
    return parts[0].letters[0].upper()


def reading(text: str) -> str:
    """The pinyin reading used for sorting, e.g. ``xing2 zheng4``, for messages."""
    return " ".join(f"{u.letters}{u.tone}" if u.tone else (u.letters or u.text) for u in units(text))


# ----------------------------------------------------------------------------------------------------------
# HTML and EPUB: the genindex page


def regroup_genindex(genindex: list, symbols_name: str, numbers_name: str) -> tuple[list, list[int]]:
    """Sphinx's genindex entries re-sorted in pinyin order and regrouped A–Z; returns (entries, counts).

    Entries that start with a number and with a symbol get groups of their own, named as the PDF's index names
    them (\\sphinxnumbersname, \\sphinxsymbolsname: 数字, 符号 in Chinese)."""
    entries = [entry for _letter, group in genindex for entry in group]
    entries.sort(key=lambda entry: sort_key(entry[0]))
    for _name, (_targets, sub_entries, _category) in entries:
        sub_entries.sort(key=lambda sub_entry: sort_key(sub_entry[0]))

    def heading(entry: tuple) -> str:
        group = group_of(entry[0])
        return group if isinstance(group, str) else numbers_name if group == NUMBERS else symbols_name

    regrouped = [(letter, list(group)) for letter, group in groupby(entries, key=heading)]
    counts = [sum(1 + len(sub_entries) for _name, (_t, sub_entries, _c) in group) for _letter, group in regrouped]
    return regrouped, counts


def _on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    if pagename in {"genindex", "genindex-all"} and "genindexentries" in context:
        from sphinx.locale import _

        context["genindexentries"], context["genindexcounts"] = regroup_genindex(
            context["genindexentries"], _("Symbols"), _("Numbers")
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


def latexmkrc_line(python: str | None = None) -> str:
    """The latexmkrc line that makes latexmk build the index with this module instead of makeindex."""
    command = f"{shlex.quote(python or sys.executable)} -m zhbook.ext.index.pinyin %O -o %D %S"
    return f"$makeindex = q{{{command}}};"  # q{} keeps any shell quotes of the path intact in Perl


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


def _sorted_children(node: _Node) -> list[_Node]:
    return sorted(node.children.values(), key=lambda child: (sort_key(_plain(child.sort)), child.display))


def _format_entry(node: _Node, level: int) -> str:
    pages = _format_pages(node.pages)
    text = _ITEMS[level] + node.display + (", " + ", ".join(pages) if pages else "")
    return text + "".join(_format_entry(child, level + 1) for child in _sorted_children(node))


def write_ind(root: _Node) -> str:
    """The .ind text of the index tree, laid out as makeindex does with Sphinx's python.ist."""
    if not root.children:
        return ""  # no index at all, as Sphinx does for xindy: no empty 索引 chapter
    groups = groupby(_sorted_children(root), key=lambda node: group_of(_plain(node.sort)))
    parts = []
    for group, nodes in groups:
        heading = group if isinstance(group, str) else _HEADINGS[group]
        parts.append("  \\bigletter " + heading + "".join(_format_entry(node, 0) for node in nodes))
    return _PREAMBLE + _GROUP_SKIP.join(parts) + _POSTAMBLE


def main(argv: Sequence[str] | None = None) -> int:
    """Command line compatible with the makeindex options latexmk passes.

    ``python -m zhbook.ext.index.pinyin --readings 行政 银行 …`` prints the readings the sort uses instead, for an
    editor to check a term with a polyphonic character (add a wrong one to ``pinyin_index_readings``).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--readings"]:
        for text in argv[1:]:
            print(f"{text}\t{reading(text)}")
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
    except (OSError, UnicodeDecodeError, IdxError) as error:
        message = f"zhbook.ext.index.pinyin: {error}"
        log.write_text(message + "\n", encoding="utf-8")
        print(message, file=sys.stderr)
        return 1
    ind.write_text(write_ind(root), encoding="utf-8")
    message = f"zhbook.ext.index.pinyin: {len(root.children)} entries from {idx} sorted by pinyin into {ind}"
    log.write_text(message + "\n", encoding="utf-8")
    if not args.q:
        print(message)
    return 0


# ----------------------------------------------------------------------------------------------------------


def _add_configured_readings(app: Sphinx, config: Config) -> None:
    from sphinx.errors import ConfigError

    try:
        add_readings(config.pinyin_index_readings)
    except ValueError as error:
        raise ConfigError(f"pinyin_index_readings: {error}") from None


def setup(app: Sphinx) -> dict:
    app.add_config_value("pinyin_index_readings", {}, "env", types=frozenset({dict}))
    app.connect("config-inited", _add_configured_readings)
    app.connect("builder-inited", _check_builder)
    app.connect("builder-inited", _load_readings)
    app.connect("build-finished", _save_readings)
    app.connect("html-page-context", _on_html_page_context)
    app.connect("build-finished", _append_latexmkrc)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    sys.exit(main())
