"""Checks of the bib files against what the GB/T 7714 style can format, each problem named by file, line and field.

What this module owns: reading ``bib/*.bib`` with line numbers (pybtex's parser keeps none) and reporting
every entry that the GB/T 7714 style (``zhbook.ext.citations.style``) could not format properly —

- an entry type the style has no 文献类型标识 for (``zhbook.ext.citations.style.ENTRY_TYPES``: BibTeX's and biblatex's types),
  or a key that is not ASCII without spaces, or is used twice (case-insensitively, as BibTeX compares keys);
- a field the entry's type needs that is missing or empty (``REQUIRED_FIELDS``, by 文献类型; BibTeX and
  biblatex names count alike: ``address``/``location``, ``school``/``institution``, ``journal``/``journaltitle``),
  or a field given twice;
- ``date`` not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (or a range of them, ``start/end``; a newspaper's to
  the day), BibTeX ``year`` not four digits or ``month`` not a month, ``year`` contradicting ``date``,
  ``urldate`` not a day or before ``date``;
- ``langid`` that names no language (a typo would silently turn 等 into et al.), ``medium`` that is no carrier;
- a ``url`` without ``urldate`` (GB/T 7714 requires the access date), a ``doi`` written as a URL;
- BibTeX syntax errors.

Entries exported by reference managers (Zotero with Better BibTeX, JabRef, EndNote) pass as they are: BibTeX's
``year``/``month``, camel-case keys and fields the style does not print (``file``, ``abstract``, ``keywords``) are
accepted; ``langid`` is optional (without one, an entry whose title has Chinese characters is Chinese).

``zhbook.ext.citations`` runs the check when a Sphinx build starts; ``python -m zhbook.ext.citations.bibcheck bib/*.bib`` runs it alone.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.database.input.bibtex import LowLevelParser, month_names
from pybtex.exceptions import PybtexError
from pybtex.scanner import PrematureEOF, PybtexSyntaxError
from pybtex.utils import CaseInsensitiveDict

from zhbook.core.dates import BibDateError, PartialDate, bib_entry_date
from zhbook.ext.citations.style import (
    CARRIERS, CHINESE_LANGIDS, ENTRY_TYPES, PART_TYPES, UnsupportedEntryType, type_code,
)

#: ``langid`` values besides the Chinese ones: babel/polyglossia names of the languages a reference list meets,
#: and any BCP 47 tag (``en``, ``en-US``, ``ja``); anything else is taken for a typo.
OTHER_LANGIDS = frozenset({
    "english", "american", "british", "usenglish", "ukenglish", "canadian", "australian", "newzealand",
    "german", "ngerman", "austrian", "naustrian", "swissgerman", "nswissgerman", "french", "francais", "japanese",
    "korean", "russian", "spanish", "italian", "portuguese", "portuges", "brazil", "brazilian", "dutch", "swedish",
    "danish", "norwegian", "norsk", "finnish", "polish", "czech", "greek", "latin", "arabic", "hebrew", "turkish",
    "vietnamese", "thai", "indonesian", "hungarian", "romanian", "ukrainian", "catalan",
})
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*", re.IGNORECASE)
KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.+/-]*")
#: Besides ``title`` (every type) and a date (``date`` or ``year``; every type but online resources): what each
#: 文献类型 needs, by type code; each tuple is one requirement, met by any of its fields.
REQUIRED_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "M": (("author", "editor"),),
    "G": (("editor", "author"), ("publisher",)),
    "C": (),
    "J": (("author",), ("journal", "journaltitle")),
    "N": (("journal", "journaltitle"),),
    "D": (("author",), ("publisher", "institution", "school")),
    "R": (("author", "institution"),),
    "S": (("number",),),
    "P": (("author", "holder"), ("number",)),
    "EB": (("url",),),
}
#: Types whose entries need more (or other) than their type code's.
REQUIRED_BY_TYPE: dict[str, tuple[tuple[str, ...], ...]] = {
    "book": (("author", "editor"), ("publisher",)),
    "mvbook": (("author", "editor"), ("publisher",)),
    "booklet": (),
    "manual": (),
    "inproceedings": (("author",), ("booktitle",)),
    "conference": (("author",), ("booktitle",)),
    "periodical": (),
    "suppperiodical": (),
    **{name: (("booktitle", "maintitle"), ("publisher",)) for name in PART_TYPES
       if name not in {"inproceedings", "conference"}},
}
UNDATED_CODES = frozenset({"EB"})  # a web page often has no date, only the access date
PERSON_FIELDS = ("author", "editor", "translator", "bookauthor", "holder")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a bib file, at a line, in an entry and field when there is one."""

    path: Path
    line: int
    message: str
    key: str = ""
    field: str = ""

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def text(self) -> str:
        """The message without the location: ``entry "x", field "date": …``."""
        where = []
        if self.key:
            where.append(f'entry "{self.key}"')
        if self.field:
            where.append(f'field "{self.field}"')
        return (", ".join(where) + ": " if where else "") + self.message

    def __str__(self) -> str:
        return f"{self.location}: {self.text}"


@dataclass
class BibRecord:
    """One entry as written: its type, key, line, and each field's value and line."""

    path: Path
    type: str
    key: str
    line: int
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    repeated_fields: list[tuple[str, int]] = field(default_factory=list)

    def value(self, name: str) -> str:
        return self.fields.get(name, ("", 0))[0].strip()

    def line_of(self, name: str) -> int:
        return self.fields.get(name, ("", self.line))[1]


class _LineRecordingParser(LowLevelParser):
    """pybtex's own BibTeX scanner, remembering the line of each entry and field."""

    def __init__(self, text: str, path: Path):
        super().__init__(text, filename=str(path), macros=CaseInsensitiveDict(month_names))
        self.entry_line = 0
        self.field_lines: list[tuple[str, int]] = []

    def parse_command(self):
        self.entry_line = self.lineno  # the scanner stands on the '@'
        self.field_lines = []
        return super().parse_command()

    def parse_field(self):
        name = self.optional([self.NAME])
        if not name:
            return
        self.current_field_name = name.value
        self.field_lines.append((name.value.lower(), self.lineno))
        self.required([self.EQUALS])
        self.parse_value()


def read_bibfile(path: Path) -> tuple[list[BibRecord], list[Problem]]:
    """The entries of one bib file with their lines; a syntax error ends the reading with a problem."""
    records: list[BibRecord] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return records, [Problem(path, 1, f"cannot be read as UTF-8 text: {error}")]
    parser = _LineRecordingParser(text, path)
    try:
        for command, body in parser:
            if command.lower() in {"string", "preamble"}:
                continue
            key, fields = body
            record = BibRecord(path, command.lower(), key or "", parser.entry_line)
            for (name, value_parts), (_, line) in zip(fields, parser.field_lines):
                name = name.lower()
                value = " ".join("".join(value_parts).split())
                if name in record.fields:
                    record.repeated_fields.append((name, line))
                else:
                    record.fields[name] = (value, line)
            records.append(record)
    except PybtexSyntaxError as error:
        # An unclosed brace is only noticed at the end of the file: point at the field that opened it.
        field_name, field_line = parser.field_lines[-1] if parser.field_lines else ("", 0)
        unclosed = isinstance(error, PrematureEOF) and field_line
        message = f"BibTeX {error.error_type}: {error.args[0]}" + (" (a brace or quote left open?)" if unclosed else "")
        line = field_line if unclosed else error.lineno or parser.entry_line
        return records, [Problem(path, line, message, parser.current_entry_key or "", field_name)]
    except PybtexError as error:
        return records, [Problem(path, parser.lineno, f"BibTeX error: {error}")]
    return records, []


def _entry_date(record: BibRecord, problems: list[Problem], *, day: bool = False) -> PartialDate | None:
    """The entry's date as the style reads it (:func:`zhbook.core.dates.bib_entry_date`), each unreadable field
    reported (a bad ``month`` leaves the year); a ``date`` that must be a *day* and is not is reported too."""
    try:
        date = bib_entry_date({name: value for name, (value, _) in record.fields.items()})
    except BibDateError as error:
        problems.append(Problem(record.path, record.line_of(error.field), str(error), record.key, error.field))
        return PartialDate(int(record.value("year"))) if error.field == "month" else None
    if day and date is not None and record.value("date") and date.day is None:
        problems.append(Problem(record.path, record.line_of("date"), f'"{record.value("date")}" must be a day, '
                                "YYYY-MM-DD", record.key, "date"))
    return date


def _access_date(record: BibRecord, problems: list[Problem]) -> PartialDate | None:
    """``urldate``: a day, YYYY-MM-DD."""
    value = record.value("urldate")
    try:
        date = PartialDate.parse_iso(value)
    except ValueError as error:
        problems.append(Problem(record.path, record.line_of("urldate"), str(error), record.key, "urldate"))
        return None
    if date.day is None:
        problems.append(Problem(record.path, record.line_of("urldate"), f'"{value}" must be a day, YYYY-MM-DD',
                                record.key, "urldate"))
    return date


def check_record(record: BibRecord) -> list[Problem]:
    """Everything wrong with one entry, in the order of its fields."""
    problems: list[Problem] = []

    def report(name: str, message: str, line: int | None = None):
        problems.append(Problem(record.path, line or record.line_of(name), message, record.key, name))

    try:
        code = type_code(record.type, {name: value for name, (value, _) in record.fields.items()})
    except UnsupportedEntryType as error:
        known = ", ".join("@" + name for name in ENTRY_TYPES)
        problems.append(Problem(record.path, record.line, f"{error} (use one of {known})", record.key))
        return problems
    if not KEY_PATTERN.fullmatch(record.key):
        problems.append(
            Problem(record.path, record.line, "the key must be ASCII letters, digits and _:.+/- without spaces",
                    record.key)
        )
    for name, line in record.repeated_fields:
        report(name, "is given twice", line)
    needs_it = f"an @{record.type} needs it"
    required = [(("title",), needs_it)]
    requirements = REQUIRED_BY_TYPE.get(record.type, REQUIRED_FIELDS.get(code, ()))
    required += [(alternatives, needs_it) for alternatives in requirements]
    if code not in UNDATED_CODES:
        required.append((("date", "year"), needs_it))
    if record.value("url"):
        required.append((("urldate",), "GB/T 7714 gives the access date of every online resource"))
    for alternatives, reason in required:
        if not any(record.value(name) for name in alternatives):
            wanted = " or ".join(alternatives)
            problems.append(Problem(record.path, record.line, f"is missing ({reason})", record.key, wanted))
    langid = record.value("langid")
    if langid and not (langid.lower() in CHINESE_LANGIDS | OTHER_LANGIDS or _LANGUAGE_TAG.fullmatch(langid)):
        report("langid", f'"{langid}" names no language (write chinese, english or a tag such as zh-CN; '
                         "it decides 等 or et al.)")
    medium = record.value("medium")
    if medium and medium.upper() not in CARRIERS:
        report("medium", f'"{medium}" is no carrier of GB/T 7714 (one of {", ".join(sorted(CARRIERS))})')
    date = _entry_date(record, problems, day=code == "N")
    if record.value("date") and record.value("year") and date:
        year = record.value("year")
        if year.isdigit() and int(year) != date.year:
            report("year", f"{year} contradicts the date {date.iso}")
    urldate = _access_date(record, problems) if record.value("urldate") else None
    if urldate and date and urldate.iso < date.iso:
        report("urldate", f"{urldate.iso} is before the document's date {date.iso}")
    if record.value("urldate") and not record.value("url"):
        report("urldate", 'is given without a "url"')
    url = record.value("url")
    if url and not re.match(r"https?://\S+$", url):
        report("url", f'"{url}" is not an http(s) address')
    doi = record.value("doi")
    if doi and not re.fullmatch(r"10\.\d{4,9}/\S+", doi):
        report("doi", f'"{doi}" is not a DOI; write it bare, like 10.1111/0033-3352.00117')
    for name in PERSON_FIELDS:
        if record.value(name):
            try:
                [Person(person) for person in split_name_list(record.value(name))]
            except PybtexError as error:
                report(name, f"cannot be read as names: {error}")
    return problems


def check_bibfiles(paths) -> list[Problem]:
    """Check every entry of the bib files *paths*; keys must be unique across all of them."""
    problems: list[Problem] = []
    first_seen: dict[str, BibRecord] = {}
    for path in map(Path, paths):
        if not path.is_file():
            problems.append(Problem(path, 0, "bib file not found"))
            continue
        records, read_problems = read_bibfile(path)
        problems += read_problems
        for record in records:
            earlier = first_seen.setdefault(record.key.lower(), record)
            if earlier is not record:
                problems.append(
                    Problem(record.path, record.line,
                            f"the key is already used at {earlier.path}:{earlier.line}", record.key)
                )
            problems += check_record(record)
    return sorted(problems, key=lambda problem: (str(problem.path), problem.line))


def main(argv: list[str] | None = None) -> int:
    """``python -m zhbook.ext.citations.bibcheck FILE.bib …``: print each problem as file:line: message; exit 1 if any."""
    paths = sys.argv[1:] if argv is None else argv
    problems = check_bibfiles(paths)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
