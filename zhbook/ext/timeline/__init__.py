"""The book's dated events: one data file, its checks, the ``event`` and ``date`` roles and the 大事年表 table.

Owns ``source/timeline.yaml`` (path from the config value ``timeline_file``, relative to the source directory),
a YAML list of events, each with ``id``, ``date`` ("YYYY", "YYYY-MM" or "YYYY-MM-DD": the real precision),
``what``, ``sources`` (bib keys), optional ``document`` (the bib key of the document whose issuing or publishing
*is* the event), ``evidence`` (``source``: one of the event's sources, ``text``: a short verbatim excerpt of it
that states the date — a dateline such as 新华社北京7月12日电 counts) and ``section`` (the label of the section
that discusses it).

Markup it provides:

- ``{event}`cpc17-report``` renders the event's date at its precision — 2007年10月15日, 2008年9月, 1982年 — and
  links it to the event's row of the timeline table when the book has one (else plain text).
- ``{date}`2013年3月``` renders its text unchanged and marks it as a written-out date that is not a timeline event.
- ``timeline`` directive: the chronological table (日期 / 事件 / 来源 / 见). The 来源 cell calls the registered
  ``cite`` role, so sphinxcontrib-bibtex numbers those marks like any ``{cite}``; the 见 cell links to the
  section by its label and shows the section's title. Each row carries the target ``event-<id>``.

Checks (each a warning through :mod:`sphinx.util.logging` with a location and type ``timeline``, so ``-W`` stops
the build with ``file:line: … [timeline.<subtype>]``):

- ``timeline.file``: the YAML is malformed, a field is missing, unknown or of the wrong kind, an id is not
  lowercase ASCII with hyphens or is repeated, a date is not a real YYYY / YYYY-MM / YYYY-MM-DD date.
- ``timeline.order``: an event is dated before an event written above it (the file *is* the table's order).
- ``timeline.source``: a key in ``sources`` or ``document`` is not in the bib files, or a source has no date.
- ``timeline.document``: the event's date differs from the ``date`` of its ``document`` bib entry.
- ``timeline.report``: a source other than the document is dated before the event it reports.
- ``timeline.evidence``: the evidence's source is not one of the event's sources; its text states no date; or the
  date it states differs from the event's date at the event's precision (reported at the ``date`` line). A month
  and day without a year (a dateline) take the year of the source that carries them; Chinese numerals
  (二〇〇九年六月三十日, also with ○ for zero), ranges (25日至27日) and ISO dates are read.
  ``zhbook.ext.quotations`` checks, in addition, that the excerpt is in the source's stored text when that source has
  an excerpt file.
- ``timeline.section``: the ``section`` label does not exist in the book (checked once all documents are read).
- ``timeline.event``: ``{event}`` names an id that is not in the data.
- ``timeline.date``: a written-out month or day date in the prose matches no event.

Data problems are reported at ``timeline.yaml:<line>``, the line of the offending field (the ``- id:`` line
of the event when the problem is the event as a whole); prose problems at ``<chapter file>:<line>``.
Every check runs in every build: the data checks at builder-inited (after sphinxcontrib-bibtex has parsed the
bib files), the section labels at env-updated (once all documents are read). Prose problems are found while a
document is read, kept in the environment per document and reported at env-updated, so a build that re-reads
nothing still reports them. Every document depends on the data file: editing it re-reads and re-checks the prose.

Dates and precision. A date is (year, month or None, day or None). Bib entries are dated by the biblatex
``date`` field (YYYY, YYYY-MM or YYYY-MM-DD; the start of a ``start/end`` range), else ``year`` + ``month``.
The document and report checks compare at the *coarser* of the two precisions: an event of 2009-07-12 and a
source dated 2009 agree (and the source is not "before" the event); a source dated 2009-06 reporting an event of
2009-07-12 is before it. The order check uses the same rule against every earlier row, so a year-precision
event may sit anywhere among the events of its year.

The prose-date scan (at doctree-read) reads the doctree's ``Text`` nodes, joining adjacent Text siblings,
and skips the ``event`` and ``date`` roles, literal text (inline literals, code blocks, math, raw), invisible
nodes (comments, targets, index entries) and the timeline table itself. Patterns (Arabic digits, as GB/T 15835
asks; year-only dates are not scanned):

- ``YYYY年M月D日`` (day) and ``YYYY年M月`` (month);
- day ranges ``2008年2月25日至27日``, ``2008年2月25—27日``, ``2008年2月25日至3月1日``, month ranges
  ``2008年2月至3月`` (至, 到, —, –, －, -, ~, ～ as separators; a range may carry its own year).

A written-out date *matches* when an event has the same date at the same precision: 2008年9月 matches an event
dated "2008-09" but not one dated "2008-09-08", and 2008年9月8日 does not match an event dated "2008-09". A range
matches when its first or its last day (month) is an event's date: a meeting is recorded on its opening or its
closing day. Dates rendered by ``{event}`` and text marked with ``{date}`` are not scanned.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, NamedTuple

import yaml
from docutils import nodes
from docutils.parsers.rst import roles as rst_roles
from sphinx.errors import NoUri
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.nodes import make_refnode

from zhbook.core.chinese import DIGIT_CHARACTERS, read_chinese_number
from zhbook.core.dates import PartialDate, bib_entry_date

logger = logging.getLogger(__name__)

EVENT_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_FIELDS = ("id", "date", "what", "sources", "evidence", "section")
OPTIONAL_FIELDS = ("document",)
EVIDENCE_FIELDS = ("source", "text")
TARGET_PREFIX = "event-"
TABLE_CLASS = "timeline"
EVENT_CLASS = "timeline-event"
DATE_CLASS = "timeline-date"
HEADER = ("日期", "事件", "来源", "见")
COLUMN_WIDTHS = (26, 44, 12, 18)  # the date column holds "2008年12月31日" on one line

_RANGE_SEP = r"\s*(?:至|到|—|–|－|-|~|～)\s*"
# One written-out month or day date, or a range of them (see the module docstring).
PROSE_DATE_PATTERN = re.compile(
    rf"""(?<!\d)(?P<y>\d{{4}})年(?P<m>\d{{1,2}})月
    (?:
        (?P<d>\d{{1,2}})
        (?:
            日(?:{_RANGE_SEP}(?:(?:(?P<y2>\d{{4}})年)?(?P<m2>\d{{1,2}})月)?(?P<d2>\d{{1,2}})日)?
          | {_RANGE_SEP}(?P<d3>\d{{1,2}})日
        )
      | (?:{_RANGE_SEP}(?:(?P<y4>\d{{4}})年)?(?P<m4>\d{{1,2}})月(?!\d))?
    )""",
    re.VERBOSE,
)

@dataclass
class Evidence:
    """A short verbatim excerpt of one of the event's sources that states its date, and that source's key."""

    source: str
    text: str
    line: int  # the "evidence:" line
    source_line: int
    text_line: int


@dataclass
class Event:
    id: str
    date: PartialDate | None
    what: str
    sources: list[str]
    section: str
    document: str | None
    line: int  # 1-based line of the event's "- id:" item
    field_lines: dict[str, int] = field(default_factory=dict)
    evidence: Evidence | None = None

    def line_of(self, field_name: str) -> int:
        return self.field_lines.get(field_name, self.line)


@dataclass
class Timeline:
    path: Path
    events: list[Event] = field(default_factory=list)

    @property
    def by_id(self) -> dict[str, Event]:
        return {event.id: event for event in self.events}


class Problem(NamedTuple):
    """A failed check, located in the data file or in a chapter."""

    location: str  # "path:line"
    message: str
    subtype: str


# --------------------------------------------------------------------------------------------------------------
# Loading the data file

def load_timeline(path: Path) -> tuple[Timeline, list[Problem]]:
    """Read the data file, keeping each field's line. Returns the well-formed events and the problems found."""
    timeline = Timeline(path=path)
    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(f"{path}:{line}", message, "file"))

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        problems.append(Problem(str(path), f"cannot read the timeline data file: {error.strerror}", "file"))
        return timeline, problems
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem(line, f"the timeline data is not valid YAML: {getattr(error, 'problem', error)}")
        return timeline, problems
    if root is None:
        return timeline, problems
    if not isinstance(root, yaml.SequenceNode):
        problem(root.start_mark.line + 1, "the timeline data must be a YAML list of events")
        return timeline, problems

    seen_ids: dict[str, int] = {}
    for item in root.value:
        item_line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problem(item_line, "each timeline entry must be a mapping (id, date, what, sources, section)")
            continue
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in item.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in values:
                problem(line, f"field {key!r} is given twice in this event")
                continue
            if key not in REQUIRED_FIELDS + OPTIONAL_FIELDS:
                problem(line, f"unknown field {key!r}; an event has {', '.join(REQUIRED_FIELDS + OPTIONAL_FIELDS)}")
                continue
            lines[key] = line
            if key == "sources" and isinstance(value_node, yaml.SequenceNode):
                if not all(isinstance(sub, yaml.ScalarNode) for sub in value_node.value):
                    problem(line, "'sources' must be a list of bib keys")
                    continue
                values[key] = [sub.value.strip() for sub in value_node.value]
            elif key == "evidence":
                evidence = _read_evidence(value_node, line, problem)
                if evidence:
                    values[key] = evidence
            elif isinstance(value_node, yaml.ScalarNode):
                values[key] = [value_node.value.strip()] if key == "sources" else value_node.value.strip()
            else:
                problem(line, f"field {key!r} must be a single value")

        missing = [name for name in REQUIRED_FIELDS if not values.get(name)]
        event_id = values.get("id", "")
        label = f"event {event_id!r}" if event_id else "this event"
        if missing:
            problem(item_line, f"{label} lacks {', '.join(missing)}")
            if "id" in missing:
                continue
        if not EVENT_ID_PATTERN.match(event_id):
            problem(lines["id"], f"event id {event_id!r} must be lowercase ASCII letters and digits with hyphens")
        if event_id in seen_ids:
            problem(lines["id"], f"event id {event_id!r} is used twice (first on line {seen_ids[event_id]})")
            continue
        seen_ids[event_id] = lines["id"]

        date = None
        if values.get("date"):
            try:
                date = PartialDate.parse_iso(values["date"])
            except ValueError as error:
                problem(lines["date"], f"{label}: date {error}")
        timeline.events.append(Event(
            id=event_id,
            date=date,
            what=values.get("what", ""),
            sources=values.get("sources", []),
            section=values.get("section", ""),
            document=values.get("document"),
            evidence=values.get("evidence"),
            line=item_line,
            field_lines=lines,
        ))
    return timeline, problems


def _read_evidence(node, line: int, problem) -> Evidence | None:
    """``evidence: {source: <bib key>, text: <excerpt>}``; None (and a problem) when it is not that."""
    if not isinstance(node, yaml.MappingNode):
        problem(line, "'evidence' must be a mapping: source (a bib key of the event's sources) and text "
                      "(a short verbatim excerpt of it that states the date)")
        return None
    values, lines = {}, {}
    for key_node, value_node in node.value:
        key = key_node.value
        if key not in EVIDENCE_FIELDS or not isinstance(value_node, yaml.ScalarNode):
            problem(key_node.start_mark.line + 1, f"evidence field {key!r}: an evidence has source and text, "
                                                  "each a single value")
            continue
        values[key], lines[key] = " ".join(value_node.value.split()), key_node.start_mark.line + 1
    missing = [name for name in EVIDENCE_FIELDS if not values.get(name)]
    if missing:
        problem(line, f"the evidence lacks {', '.join(missing)}")
        return None
    return Evidence(values["source"], values["text"], line, lines["source"], lines["text"])


# --------------------------------------------------------------------------------------------------------------
# Dates stated in an evidence excerpt

_NUMBER = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_YEAR = rf"\d{{4}}|[{DIGIT_CHARACTERS}]{{4}}"
#: A stated date: 2009年7月12日, 二〇〇九年六月三十日, 7月12日 (a dateline: the year is the source's), 2009年7月,
#: 2001年, with a day range 2008年2月25日至27日; or ISO 2009-07-12.
STATED_DATE_PATTERN = re.compile(
    rf"""(?<![\d{DIGIT_CHARACTERS}])
    (?:(?P<y>{_YEAR})年)?
    (?:(?P<m>{_NUMBER})月
       (?:(?P<d>{_NUMBER})[日号]
          (?:{_RANGE_SEP}(?:(?P<m2>{_NUMBER})月)?(?P<d2>{_NUMBER})[日号])?
       )?
    )?
    |(?P<iso>\d{{4}}-\d{{2}}(?:-\d{{2}})?)(?!\d)""",
    re.VERBOSE,
)


class StatedDate(NamedTuple):
    text: str
    date: PartialDate
    year_from_source: bool


def find_stated_dates(text: str, source_date: PartialDate | None) -> list[StatedDate]:
    """The dates an excerpt states, at their precision. A month and day without a year (a dateline such as
    新华社北京7月12日电) takes the year of the source that reports it: the latest such day not after the
    source's date. Impossible dates and year-less dates of an undated source are left out."""
    found: list[StatedDate] = []
    for match in STATED_DATE_PATTERN.finditer(unicodedata.normalize("NFKC", text)):
        groups = match.groupdict()
        if groups["iso"]:
            try:
                found.append(StatedDate(match.group(), PartialDate.parse_iso(groups["iso"]), False))
            except ValueError:
                pass
            continue
        if not (groups["y"] or groups["m"]) or (groups["m"] is None and groups["y"] is None):
            continue
        if groups["y"] is None and groups["d"] is None:
            continue  # "7月" alone is not a date
        try:
            month = read_chinese_number(groups["m"]) if groups["m"] else None
            days = [read_chinese_number(day) for day in (groups["d"], groups["d2"]) if day]
            months = [month, read_chinese_number(groups["m2"]) if groups["m2"] else month]
            year, from_source = (read_chinese_number(groups["y"]), False) if groups["y"] else (None, True)
        except ValueError:  # 十十月: not a number
            continue
        if year is None:
            if source_date is None:
                continue
            year = source_date.year
            if source_date.month and (month, days[0] if days else 0) > (source_date.month, source_date.day or 31):
                year -= 1
        try:
            if not days:
                found.append(StatedDate(match.group(), PartialDate(year, month), from_source))
            for index, day in enumerate(days):
                found.append(StatedDate(match.group(), PartialDate(year, months[index], day), from_source))
        except ValueError:
            continue
    return found


# --------------------------------------------------------------------------------------------------------------
# Checks on the data

def check_events(timeline: Timeline, bib_entries: Mapping[str, Any],
                 bib_files: Mapping[str, str] | None = None) -> list[Problem]:
    """Order, bib keys, document dates and report dates. *bib_entries* maps keys to pybtex entries and
    *bib_files* keys to the file that holds them (for messages)."""
    bib_files = bib_files or {}
    problems: list[Problem] = []

    def problem(event: Event, field_name: str, message: str, subtype: str) -> None:
        problems.append(Problem(f"{timeline.path}:{event.line_of(field_name)}", message, subtype))

    def where(key: str) -> str:
        return f" in {bib_files[key]}" if key in bib_files else ""

    dated = [event for event in timeline.events if event.date is not None]
    for index, event in enumerate(dated):
        later_above = [earlier for earlier in dated[:index] if event.date.compare(earlier.date) < 0]
        if later_above:
            earlier = later_above[-1]
            problem(event, "date",
                    f"event {event.id!r} ({event.date.iso}) is out of chronological order: it comes after "
                    f"{earlier.id!r} ({earlier.date.iso}, line {earlier.line}); the timeline must be "
                    f"sorted by date", "order")

    for event in timeline.events:
        # One wrong date is one mistake: once the document or the evidence contradicts the event's date, the
        # checks that follow from that date (the evidence, the reports' dates) stay silent for this event.
        before = len(problems)
        if event.document and event.document not in bib_entries:
            problem(event, "document", f"event {event.id!r}: document {event.document!r} is not a key in the "
                    f"bib files", "source")
        elif event.document and event.date:
            try:
                document_date = bib_entry_date(bib_entries[event.document])
            except ValueError as error:
                problem(event, "document", f"event {event.id!r}: the date of document {event.document!r}"
                        f"{where(event.document)} cannot be read ({error})", "source")
            else:
                if document_date is None:
                    problem(event, "document", f"event {event.id!r}: document {event.document!r}"
                            f"{where(event.document)} has no date field", "source")
                elif event.date.compare(document_date) != 0:
                    problem(event, "date", f"event {event.id!r} is dated {event.date.iso} but it is the issuing "
                            f"of {event.document!r}, dated {document_date.iso}{where(event.document)}",
                            "document")
        date_line = f"{timeline.path}:{event.line_of('date')}"
        if event.evidence and event.date and not any(p.location == date_line for p in problems[before:]):
            problems.extend(_check_evidence(timeline, event, bib_entries, where))
        date_contradicted = any(p.location == date_line for p in problems[before:])
        for key in event.sources:
            if key not in bib_entries:
                problem(event, "sources", f"event {event.id!r}: source {key!r} is not a key in the bib files",
                        "source")
                continue
            if key == event.document or event.date is None:
                continue
            try:
                source_date = bib_entry_date(bib_entries[key])
            except ValueError as error:
                problem(event, "sources", f"event {event.id!r}: the date of source {key!r}{where(key)} cannot be "
                        f"read ({error})", "source")
                continue
            if source_date is None:
                problem(event, "sources", f"event {event.id!r}: source {key!r}{where(key)} has no date, so it "
                        f"cannot be checked against the event", "source")
            elif source_date.compare(event.date) < 0 and not date_contradicted:
                problem(event, "sources", f"event {event.id!r} ({event.date.iso}) is reported by {key!r}, "
                        f"dated {source_date.iso}{where(key)}: a source cannot predate the event it reports",
                        "report")
    return problems


def _check_evidence(timeline: Timeline, event: Event, bib_entries: Mapping[str, Any], where) -> list[Problem]:
    """The evidence names one of the event's sources, and states the event's date at the event's precision."""
    evidence = event.evidence

    def problem(line: int, message: str) -> list[Problem]:
        return [Problem(f"{timeline.path}:{line}", f"event {event.id!r}: {message}", "evidence")]

    allowed = list(dict.fromkeys(event.sources + ([event.document] if event.document else [])))
    if evidence.source not in allowed:
        return problem(evidence.source_line, f"the evidence's source {evidence.source!r} is not one of the event's "
                                             f"sources ({', '.join(allowed)})")
    if evidence.source not in bib_entries:
        return []  # reported with the sources
    try:
        source_date = bib_entry_date(bib_entries[evidence.source])
    except ValueError:
        source_date = None
    stated = find_stated_dates(evidence.text, source_date)
    if not stated:
        return problem(evidence.text_line, f"the evidence “{evidence.text}” states no date (write the excerpt of "
                                           f"{evidence.source!r} that gives {event.date.zh()})")
    precision = event.date.precision
    if any(found.date.precision >= precision and found.date.truncated(precision) == event.date.truncated(precision)
           for found in stated):
        return []
    found = stated[0]
    said = f" ({found.date.zh()}, the year from {evidence.source!r} dated {source_date.iso})" \
        if found.year_from_source else ""
    coarser = found.date.precision < precision and event.date.compare(found.date) == 0
    reason = "less precise than" if coarser else "which differs from"
    return [Problem(f"{timeline.path}:{event.line_of('date')}",
                    f"event {event.id!r} is dated {event.date.iso}, but its evidence (line {evidence.text_line}, "
                    f"from {evidence.source!r}{where(evidence.source)}) says “{found.text}”{said}, {reason} the "
                    f"event's date", "evidence")]


def check_sections(timeline: Timeline, labels: Iterable[str]) -> list[Problem]:
    """Every event names the label of an existing section."""
    known = set(labels)
    return [
        Problem(f"{timeline.path}:{event.line_of('section')}",
                f"event {event.id!r}: section label {event.section!r} does not exist in the book", "section")
        for event in timeline.events
        if event.section and event.section not in known
    ]


# --------------------------------------------------------------------------------------------------------------
# The prose-date scan

class ProseDate(NamedTuple):
    text: str
    start: int  # offset in the scanned text
    dates: tuple[PartialDate, ...]  # one date, or the two ends of a range


def find_prose_dates(text: str) -> Iterator[ProseDate]:
    """Written-out month and day dates (and ranges) in *text*; impossible dates come back with no dates."""
    for match in PROSE_DATE_PATTERN.finditer(text):
        groups = match.groupdict()
        year, month = int(groups["y"]), int(groups["m"])
        if groups["d"]:
            first = (year, month, int(groups["d"]))
            end_day = groups["d2"] or groups["d3"]
            last = (int(groups["y2"] or year), int(groups["m2"] or month), int(end_day)) if end_day else None
        else:
            first = (year, month, None)
            last = (int(groups["y4"] or year), int(groups["m4"]), None) if groups["m4"] else None
        try:
            dates = tuple(PartialDate(*parts) for parts in (first, last) if parts)
        except ValueError:
            dates = ()
        yield ProseDate(match.group(), match.start(), dates)


def prose_date_matches(prose: ProseDate, event_dates: set[PartialDate]) -> bool:
    """Same date at the same precision as an event; a range matches by either end."""
    return any(date in event_dates for date in prose.dates)


_SKIPPED_NODES = (nodes.literal, nodes.FixedTextElement, nodes.raw, nodes.math, nodes.Invisible,
                  nodes.system_message)


def _skipped(node: nodes.Element) -> bool:
    return (
        isinstance(node, (*_SKIPPED_NODES, pending_event_link))
        or bool({TABLE_CLASS, EVENT_CLASS, DATE_CLASS} & set(node.get("classes", [])))
    )


def _text_runs(node: nodes.Element) -> Iterator[list[nodes.Text]]:
    """Runs of adjacent Text children, depth first, outside skipped nodes."""
    run: list[nodes.Text] = []
    for child in node.children:
        if isinstance(child, nodes.Text):
            run.append(child)
            continue
        if run:
            yield run
            run = []
        if isinstance(child, nodes.Element) and not _skipped(child):
            yield from _text_runs(child)
    if run:
        yield run


def _source_line(text_node: nodes.Text, offset: int) -> tuple[str | None, int | None]:
    """File and line of a character of a Text node: the nearest located ancestor's line plus the line
    breaks between that ancestor's start and the character (MyST keeps soft breaks as newlines)."""
    ancestor = text_node.parent
    while ancestor is not None and ancestor.line is None:
        ancestor = ancestor.parent
    if ancestor is None:
        return None, None
    breaks = text_node.astext()[:offset].count("\n")
    for other in ancestor.findall(nodes.Text):
        if other is text_node:
            break
        breaks += other.astext().count("\n")
    return ancestor.source, ancestor.line + breaks


def scan_doctree(doctree: nodes.Node, event_dates: set[PartialDate]) -> Iterator[tuple[ProseDate, str | None, int | None]]:
    """Yield each written-out date of the doctree that matches no event, with its file and line."""
    for run in _text_runs(doctree):
        text = "".join(node.astext() for node in run)
        for prose in find_prose_dates(text):
            if prose_date_matches(prose, event_dates):
                continue
            # find the Text node of the run where the date starts
            offset = prose.start
            for node in run:
                if offset < len(node.astext()):
                    break
                offset -= len(node.astext())
            source, line = _source_line(node, offset)
            yield prose, source, line


# --------------------------------------------------------------------------------------------------------------
# Sphinx: nodes, roles, directive, transforms, event handlers

class pending_event_link(nodes.Inline, nodes.Element):
    """An ``{event}`` date, linked to its timeline row (or left as text) once all documents are read."""


class pending_section_link(nodes.Inline, nodes.Element):
    """The 见 cell of a timeline row: a link to the section label, showing the section's title."""


def _timeline(env) -> Timeline:
    return getattr(env, "zhbook_timeline", None) or Timeline(path=Path(env.srcdir) / env.config.timeline_file)


def _warn(problem: Problem) -> None:
    logger.warning(problem.message, location=problem.location, type="timeline", subtype=problem.subtype)


class EventRole(SphinxRole):
    """``{event}`id``: the event's date from the data, at its precision."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        timeline = _timeline(self.env)
        self.env.note_dependency(str(timeline.path))
        event_id = self.text.strip()
        event = timeline.by_id.get(event_id)
        if event is None or event.date is None:
            if event is None:  # an event with an unreadable date was reported against the data file
                _doc_problems(self.env).setdefault(self.env.docname, []).append(Problem(
                    self.get_location(), f"unknown timeline event {event_id!r}: no event with this id in "
                    f"{timeline.path.name}", "event"))
            return [nodes.inline(self.rawtext, self.text, classes=[EVENT_CLASS])], []
        text = event.date.zh()
        link = pending_event_link(self.rawtext, eventid=event_id, refdoc=self.env.docname)
        link += nodes.inline(text, text, classes=[EVENT_CLASS])
        return [link], []


class DateRole(SphinxRole):
    """``{date}`2013年3月``: a written-out date that is deliberately not a timeline event."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        return [nodes.inline(self.rawtext, self.text, classes=[DATE_CLASS])], []


class TimelineDirective(SphinxDirective):
    """``timeline``: the 大事年表 table, one row per event, in the data file's (chronological) order."""

    has_content = False
    required_arguments = 0

    def run(self) -> list[nodes.Node]:
        timeline = _timeline(self.env)
        self.env.note_dependency(str(timeline.path))
        table = nodes.table(classes=[TABLE_CLASS, "longtable", "colwidths-given"])
        self.set_source_info(table)
        tgroup = nodes.tgroup(cols=len(HEADER))
        table += tgroup
        for width in COLUMN_WIDTHS:
            tgroup += nodes.colspec(colwidth=width)
        thead = nodes.thead()
        thead += self._row([nodes.Text(heading) for heading in HEADER])
        tgroup += thead
        tbody = nodes.tbody()
        tgroup += tbody
        for event in timeline.events:
            if event.date is None:
                continue
            target = nodes.target("", "", names=[TARGET_PREFIX + event.id])
            self.state.document.note_explicit_target(target, target)
            date_text = event.date.zh()
            see = pending_section_link(event.section, reftarget=event.section, refdoc=self.env.docname)
            see += nodes.Text(event.section)
            tbody += self._row([
                [target, nodes.Text(date_text)],
                [nodes.Text(event.what)],
                self._citation(event.sources),
                [see],
            ])
        return [table]

    def _citation(self, keys: list[str]) -> list[nodes.Node]:
        """The same nodes as ``{cite}`key1,key2``` written in the prose, via the registered ``cite`` role."""
        if not keys:
            return []
        target = ",".join(keys)
        role, messages = rst_roles.role("cite", self.state.memo.language, self.lineno, self.state.reporter)
        if role is None:  # sphinxcontrib-bibtex is set up by setup(); this only guards a broken configuration
            return [nodes.Text(target), *messages]
        result, role_messages = role("cite", f"{{cite}}`{target}`", target, self.lineno, self.state.inliner)
        return [*result, *messages, *role_messages]

    @staticmethod
    def _row(cells: list) -> nodes.row:
        row = nodes.row()
        for content in cells:
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            paragraph.extend(content if isinstance(content, list) else [content])
            entry += paragraph
            row += entry
        return row


def resolve_links(app, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved: turn the pending links into references, or plain text when there is nothing to link
    to (a book without the table; a missing section label, already reported against the data file)."""
    std = app.env.domains.standard_domain

    def link(node: nodes.Element, todocname: str, labelid: str, content) -> nodes.Node:
        # A target in a document this builder does not write (one left out of every toctree, already reported):
        # plain text, as Sphinx does for its own references.
        try:
            return make_refnode(app.builder, node["refdoc"], todocname, labelid, content)
        except NoUri:
            return content

    for node in list(doctree.findall(pending_event_link)):
        target = std.anonlabels.get(TARGET_PREFIX + node["eventid"])
        content = node.children[:]
        if target:
            node.replace_self(link(node, target[0], target[1], content))
        else:
            node.replace_self(content)
    for node in list(doctree.findall(pending_section_link)):
        label = std.labels.get(node["reftarget"])
        if label:
            todocname, labelid, title = label
            text = nodes.inline(title, title, classes=["std", "std-ref"])
            node.replace_self(link(node, todocname, labelid, text))
        else:
            node.replace_self(node.children[:])


def _bib_index(env) -> tuple[Mapping[str, Any], dict[str, str]]:
    """Entries parsed by sphinxcontrib-bibtex, and the (source-relative) file of each key."""
    bibdata = env.get_domain("cite").bibdata
    files: dict[str, str] = {}
    for path, bibfile in bibdata.bibfiles.items():
        for key in bibfile.keys:
            try:
                files[key] = str(Path(path).relative_to(Path(env.srcdir).parent))
            except ValueError:
                files[key] = str(path)
    return bibdata.data.entries, files


def load_and_check(app) -> None:
    """builder-inited (after sphinxcontrib-bibtex): load the data and check it against the bib files."""
    path = Path(app.srcdir) / app.config.timeline_file
    timeline, problems = load_timeline(path)
    entries, files = _bib_index(app.env)
    problems += check_events(timeline, entries, files)
    for problem in problems:
        _warn(problem)
    app.env.zhbook_timeline = timeline


def check_prose(app, doctree: nodes.document) -> None:
    """doctree-read: every written-out date of the document matches an event or is marked with {date}."""
    env = app.env
    timeline = _timeline(env)
    env.note_dependency(str(timeline.path))
    events = [event for event in timeline.events if event.date]
    problems = _doc_problems(env).setdefault(env.docname, [])
    for prose, source, line in scan_doctree(doctree, {event.date for event in events}):
        if not prose.dates:
            reason = "is not a real date"
        else:
            reason = f"matches no event in {timeline.path.name}"
            near = [event for event in events for date in prose.dates if event.date.compare(date) == 0]
            if near:  # same day or month at another precision: most likely the event, written imprecisely
                reason += f" (event {near[0].id!r} is dated {near[0].date.zh()})"
        problems.append(Problem(
            f"{source or env.doc2path(env.docname)}:{line or 0}",
            f"written-out date {prose.text} {reason}; write it with {{event}}`<id>` or mark it "
            f"{{date}}`{prose.text}` if it is not a timeline event", "date"))


def _doc_problems(env) -> dict[str, list[Problem]]:
    """Problems found while reading each document, kept in the environment so that every build reports them,
    not only the build that re-reads the document."""
    if not hasattr(env, "zhbook_timeline_problems"):
        env.zhbook_timeline_problems = {}
    return env.zhbook_timeline_problems


def purge_doc(app, env, docname: str) -> None:
    _doc_problems(env).pop(docname, None)


def merge_doc_problems(app, env, docnames: set[str], other) -> None:
    for docname in docnames:
        _doc_problems(env)[docname] = _doc_problems(other).get(docname, [])


def report_book_problems(app, env) -> None:
    """env-updated (every build, after all documents are read): prose problems of every document, then
    the section labels of the data."""
    for docname in sorted(_doc_problems(env)):
        if docname in env.found_docs:
            for problem in _doc_problems(env)[docname]:
                _warn(problem)
    for problem in check_sections(_timeline(env), env.domains.standard_domain.labels):
        _warn(problem)


def _visit_pending(translator, node: nodes.Element) -> None:
    pass


def _depart_pending(translator, node: nodes.Element) -> None:
    pass


def setup(app) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    app.add_config_value("timeline_file", "timeline.yaml", "env", types=frozenset({str}))
    app.add_role("event", EventRole())
    app.add_role("date", DateRole())
    app.add_directive("timeline", TimelineDirective)
    # resolve_links replaces both nodes; a copy that escapes it (a title copied into a sidebar toctree) is
    # written as its content
    writers = {fmt: (_visit_pending, _depart_pending) for fmt in ("html", "latex", "text", "man", "texinfo")}
    app.add_node(pending_event_link, **writers)
    app.add_node(pending_section_link, **writers)
    app.connect("builder-inited", load_and_check, priority=600)  # after sphinxcontrib-bibtex parses bib/
    app.connect("doctree-read", check_prose)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_doc_problems)
    app.connect("env-updated", report_book_problems)
    app.connect("doctree-resolved", resolve_links)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
