"""Checks of the bib files against the book's bib conventions, each problem named by file, line and field.

What this module owns: reading ``bib/*.bib`` with line numbers (pybtex's parser keeps none) and reporting
every entry that the GB/T 7714 style (``zhbook.gbt7714``) could not format properly —

- an entry type outside the conventions, or a key that is not lowercase ASCII with hyphens, or used twice;
- a field the entry's type needs that is missing or empty (see ``REQUIRED_FIELDS``), or a field given twice;
- ``date`` not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a newspaper's to the day), ``urldate`` not a day or before
  ``date``, ``year``/``month`` instead of ``date``, ``langid`` other than ``chinese``/``english``;
- a ``url`` without ``urldate`` (GB/T 7714 requires the access date), a ``doi`` written as a URL;
- BibTeX syntax errors.

``zhbook.citations`` runs the check when a Sphinx build starts; ``python -m zhbook.bibcheck bib/*.bib`` runs it alone.
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

from zhbook.gbt7714 import parse_date

LANGUAGES = ("chinese", "english")
KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: Besides ``title`` and ``langid`` (every type) and ``date`` (every type but ``online``): each tuple is one
#: requirement, met by any of its fields.
REQUIRED_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "book": (("author", "editor"), ("publisher",)),
    "incollection": (("booktitle",), ("publisher",)),  # a part may have no author of its own
    "inbook": (("booktitle",), ("publisher",)),
    "collection": (("editor", "author"), ("publisher",)),
    "proceedings": (),
    "inproceedings": (("author",), ("booktitle",)),
    "article": (("author",), ("journal", "journaltitle")),
    "newspaper": (("journal", "journaltitle"),),
    "report": (("author", "institution"),),
    "standard": (("number",),),
    "thesis": (("author",), ("publisher", "institution", "school")),
    "archive": (),
    "misc": (),
    "online": (("url",),),
}
PERSON_FIELDS = ("author", "editor", "translator", "bookauthor")


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


def _check_date(record: BibRecord, name: str, problems: list[Problem], *, day: bool = False):
    """Parse the field *name*; report it unless it is a well-formed date (to the *day* if asked)."""
    value = record.value(name)
    try:
        date = parse_date(value)
    except ValueError as error:
        problems.append(Problem(record.path, record.line_of(name), str(error), record.key, name))
        return None
    if day and date.day is None:
        problems.append(
            Problem(record.path, record.line_of(name), f'"{value}" must be a day, YYYY-MM-DD', record.key, name)
        )
    return date


def check_record(record: BibRecord) -> list[Problem]:
    """Everything wrong with one entry, in the order of its fields."""
    problems: list[Problem] = []

    def report(name: str, message: str, line: int | None = None):
        problems.append(Problem(record.path, line or record.line_of(name), message, record.key, name))

    if record.type not in REQUIRED_FIELDS:
        known = ", ".join("@" + name for name in REQUIRED_FIELDS)
        problems.append(
            Problem(record.path, record.line, f'unknown entry type "@{record.type}" (use one of {known})', record.key)
        )
        return problems
    if not KEY_PATTERN.fullmatch(record.key):
        problems.append(
            Problem(record.path, record.line, "the key must be lowercase ASCII letters and digits joined by hyphens",
                    record.key)
        )
    for name, line in record.repeated_fields:
        report(name, "is given twice", line)
    needs_it = f"an @{record.type} needs it"
    required = [(("title",), needs_it), (("langid",), "it decides 等 or et al.")]
    required += [(alternatives, needs_it) for alternatives in REQUIRED_FIELDS[record.type]]
    if record.type != "online":
        required.append((("date",), needs_it))
    if record.value("url"):
        required.append((("urldate",), "GB/T 7714 gives the access date of every online resource"))
    for alternatives, reason in required:
        if not any(record.value(name) for name in alternatives):
            wanted = " or ".join(alternatives)
            problems.append(Problem(record.path, record.line, f"is missing ({reason})", record.key, wanted))
    for name in ("year", "month"):
        if name in record.fields:
            report(name, 'write the date in the "date" field (YYYY, YYYY-MM or YYYY-MM-DD) instead')
    langid = record.value("langid")
    if langid and langid not in LANGUAGES:
        report("langid", f'"{langid}" is not one of {", ".join(LANGUAGES)} (it decides 等 or et al.)')
    date = _check_date(record, "date", problems, day=record.type == "newspaper") if record.value("date") else None
    urldate = _check_date(record, "urldate", problems, day=True) if record.value("urldate") else None
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
    """``python -m zhbook.bibcheck FILE.bib …``: print each problem as file:line: message; exit 1 if any."""
    paths = sys.argv[1:] if argv is None else argv
    problems = check_bibfiles(paths)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
