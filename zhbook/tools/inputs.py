"""The book's input files, decoded and checked before anything reads them: one line per fault, ``path:line: what``.

What this module owns:

- **the text contract** of every input an editor writes — MyST chapters (``.md``), ``.bib``, ``timeline.yaml``,
  ``book.toml``, SVG figures and CSS: UTF-8, with or without a byte-order mark, LF or CRLF line ends (what Windows
  editors save). :func:`decode` is the one reading of it; a BOM or CRLF builds to the same bytes as clean LF input;
- **the check run before Sphinx** (``python -m zhbook.tools.inputs --metadata source/book.toml source bib _static``,
  a Makefile stage): invalid UTF-8 (with a hint when the file is GBK), a NUL or other control character, a stray
  byte-order mark, U+FFFD left by an earlier bad conversion, a line separator; then per kind of file: YAML and
  TOML syntax, the metadata file's fields and their types (:mod:`zhbook.metadata`), an SVG that is not
  well-formed XML (truncated, say) or has no ``<svg>`` root, a stylesheet with an unclosed comment, string or
  block. Each fault prints ``path:line: what is wrong`` and the exit status is 1. Files of other kinds (PNG
  figures, ``conf.py``) are not read;
- **the copies Sphinx makes byte for byte** (SVG figures into ``_images/``, stylesheets into ``_static/``):
  as a Sphinx extension it rewrites them without BOM and with LF line ends in the HTML output folder, and
  :mod:`zhbook.ext.epub` calls :func:`normalise_copies` before it zips the EPUB.
"""
from __future__ import annotations

import argparse
import re
import sys
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

BOM = "\ufeff"
#: Suffixes of the files this module reads, and so checks; anything else (PNG, PDF, conf.py) is left alone.
TEXT_SUFFIXES = {".md", ".bib", ".yaml", ".yml", ".toml", ".svg", ".css"}
#: Files Sphinx copies into its output unchanged: rewritten there without BOM and with LF line ends.
VERBATIM_SUFFIXES = {".svg", ".css"}
#: At most this many faults of one kind are listed per file; the rest are counted.
MAX_LISTED = 5


@dataclass(frozen=True)
class Fault:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class InputError(Exception):
    """A file that cannot be read as the book's text: ``str()`` is the ``path:line: what`` line."""

    def __init__(self, fault: Fault):
        super().__init__(str(fault))
        self.fault = fault


# --- decoding ------------------------------------------------------------------------------------------------------

def normalise(data: bytes) -> bytes:
    """The bytes of a clean LF file: no byte-order mark, CRLF line ends turned into LF."""
    if data.startswith(BOM.encode()):
        data = data[len(BOM.encode()):]
    return data.replace(b"\r\n", b"\n")


def _invalid_utf8(path: Path, data: bytes, error: UnicodeDecodeError) -> Fault:
    line = data.count(b"\n", 0, error.start) + 1
    column = len(data[data.rfind(b"\n", 0, error.start) + 1:error.start].decode("utf-8", "replace")) + 1
    message = f"invalid UTF-8: byte 0x{data[error.start]:02X} at column {column}"
    try:
        data.decode("gb18030")
        message += "; the file seems to be saved as GBK/GB18030: save it as UTF-8"
    except UnicodeDecodeError:
        message += "; save the file as UTF-8"
    return Fault(path, line, message)


def decode(path: Path, data: bytes | None = None) -> str:
    """The text of an input file: UTF-8 with an optional BOM, CRLF read as LF. Raises :class:`InputError`."""
    path = Path(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(Fault(path, 1, f"cannot be read: {error.strerror}")) from None
    try:
        text = normalise(data).decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(_invalid_utf8(path, normalise(data), error)) from None
    return text


# --- characters ----------------------------------------------------------------------------------------------------

def _describe(char: str) -> str | None:
    """What is wrong with one character of a text file, or None when it is fine."""
    code = ord(char)
    if char in "\t\n":
        return None
    if code == 0:
        return "a NUL character (U+0000): the file is damaged or is not text"
    if char == "\r":
        return "a carriage return (CR) without a line feed: save the file with LF (or CRLF) line ends"
    if code < 0x20 or code == 0x7F or 0x80 <= code <= 0x9F:
        return f"a control character (U+{code:04X}) that no reader can show: delete it"
    if char == BOM:
        return "a byte-order mark (U+FEFF) inside the file (two files pasted together?): delete it"
    if char == "\ufffd":
        return "a replacement character (U+FFFD): the text was damaged by an earlier bad conversion"
    if char in "\u2028\u2029":
        return f"a Unicode {'line' if char == chr(0x2028) else 'paragraph'} separator (U+{code:04X}): use a normal line break"
    if unicodedata.category(char) == "Cn" and (code & 0xFFFE == 0xFFFE or 0xFDD0 <= code <= 0xFDEF):
        return f"U+{code:04X}, which is not a character"
    return None


#: Every character :func:`_describe` may object to, for a quick first search.
SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffd\u2028\u2029\ufdd0-\ufdef\ufffe\uffff]")


def character_faults(path: Path, text: str) -> list[Fault]:
    """NUL, control and other characters no book contains, each with its line and column."""
    faults: list[Fault] = []
    by_kind: dict[str, int] = {}
    seen: set[tuple[int, str]] = set()
    for match in SUSPECT.finditer(text):
        message = _describe(match.group())
        if message is None:
            continue
        line = text.count("\n", 0, match.start()) + 1
        if (line, message) in seen:  # one message per kind and line: a run of NULs is one fault
            continue
        seen.add((line, message))
        count = by_kind[message] = by_kind.get(message, 0) + 1
        if count <= MAX_LISTED:
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            faults.append(Fault(path, line, f"{message} (column {column})"))
    for message, count in by_kind.items():
        if count > MAX_LISTED:
            faults.append(Fault(path, faults[-1].line, f"… and {count - MAX_LISTED} more: {message}"))
    return faults


# --- kinds of files ------------------------------------------------------------------------------------------------

def yaml_faults(path: Path, text: str) -> list[Fault]:
    import yaml

    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        what = " ".join(str(part) for part in (getattr(error, "context", None), getattr(error, "problem", None))
                        if part) or str(error).splitlines()[0]
        return [Fault(path, mark.line + 1 if mark else 1, f"invalid YAML: {what}")]
    return []


TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


def toml_faults(path: Path, text: str) -> list[Fault]:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = TOML_POSITION.search(message)
        line = int(position.group(1)) if position and position.group(1) else text.count("\n") + 1
        where = f" (column {position.group(2)})" if position and position.group(2) else ""
        return [Fault(path, line, f"invalid TOML: {TOML_POSITION.sub('', message)}{where}")]
    return []


SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def svg_faults(path: Path, data: bytes) -> list[Fault]:
    """Well-formed XML (no DTD or entity is loaded, nothing from the network) with an ``<svg>`` root."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(normalise(data), parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno or 1
        message = re.sub(r",? line \d+, column \d+$", "", error.msg or "not well-formed")
        if line >= normalise(data).rstrip(b"\n").count(b"\n") + 1:
            message += " at the end of the file (is it cut short?)"
        return [Fault(path, line, f"malformed SVG: {message}")]
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        return [Fault(path, root.sourceline or 1,
                      f"malformed SVG: the root element is <{etree.QName(root).localname}>, not <svg> in the SVG "
                      "namespace (xmlns=\"http://www.w3.org/2000/svg\")")]
    return []


def css_faults(path: Path, text: str) -> list[Fault]:
    """Comments, strings and blocks that are opened and never closed (a file cut short), or closed twice."""
    opened: list[int] = []  # lines of the open "{"
    line, i, n = 1, 0, len(text)
    while i < n:
        char = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                return [Fault(path, line, "stylesheet: a comment /* is never closed")]
            line += text.count("\n", i, end)
            i = end + 2
            continue
        if char in "\"'":
            j = i + 1
            while j < n and text[j] != char and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            if j >= n or text[j] == "\n":
                return [Fault(path, line, f"stylesheet: a string opened with {char} is not closed on its line")]
            line += text.count("\n", i, j)
            i = j + 1
            continue
        if char == "{":
            opened.append(line)
        elif char == "}":
            if not opened:
                return [Fault(path, line, "stylesheet: a } closes no block")]
            opened.pop()
        elif char == "\n":
            line += 1
        i += 1
    if opened:
        return [Fault(path, opened[-1], "stylesheet: a block opened with { is never closed (is the file cut short?)")]
    return []


# --- one file, a whole book ----------------------------------------------------------------------------------------

def check_file(path: Path, metadata_file: Path | None = None) -> list[Fault]:
    """Every fault of one input file (none for a kind of file this module does not read)."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        return []
    try:
        data = path.read_bytes()
        text = decode(path, data)
    except InputError as error:
        return [error.fault]
    faults = character_faults(path, text)
    if faults:
        return faults
    if suffix in (".yaml", ".yml"):
        return yaml_faults(path, text)
    if suffix == ".toml":
        faults = toml_faults(path, text)
        if not faults and metadata_file is not None and path.resolve() == metadata_file.resolve():
            faults = metadata_faults(path)
        return faults
    if suffix == ".svg":
        return svg_faults(path, data)
    if suffix == ".css":
        return css_faults(path, text)
    return []


def metadata_faults(path: Path) -> list[Fault]:
    from zhbook import metadata

    try:
        metadata.load(path)
    except metadata.MetadataError as error:
        where, _, message = str(error).partition(": ")
        line = where.rpartition(":")[2]
        return [Fault(path, int(line) if line.isdigit() else 1, message or str(error))]
    return []


def input_files(roots: list[Path]) -> list[Path]:
    """The files under ``roots`` (files or folders) that this module reads, in a fixed order."""
    files: list[Path] = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files += sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
                            and not any(part.startswith(".") or part == "__pycache__"
                                        for part in p.relative_to(root).parts))
    return files


def check(roots: list[Path], metadata_file: Path | None = None) -> list[Fault]:
    faults: list[Fault] = []
    for path in input_files(roots):
        faults += check_file(path, metadata_file)
    if metadata_file is not None and not metadata_file.exists():
        faults.append(Fault(metadata_file, 1, "the metadata file is missing"))
    return faults


# --- the copies Sphinx makes ---------------------------------------------------------------------------------------

def normalise_copies(outdir: Path, names=None) -> None:
    """Rewrite the SVG and CSS files under ``outdir`` (or just ``names`` there) as clean LF files."""
    paths = [outdir / name for name in names] if names is not None else outdir.rglob("*")
    for path in paths:
        if path.suffix.lower() in VERBATIM_SUFFIXES and path.is_file():
            data = path.read_bytes()
            clean = normalise(data)
            if clean != data:
                path.write_bytes(clean)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="+", type=Path, help="files or folders to check")
    parser.add_argument("--metadata", type=Path, help="the book's metadata file (book.toml)")
    args = parser.parse_args(argv)
    faults = check(args.roots, args.metadata)
    for fault in faults:
        print(fault, file=sys.stderr)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
