"""Dates in zhbook: the one partial-date type, the one reading of a bib entry's date, the one build date.

What this module owns:

- :class:`PartialDate`, a date at the precision it is known — a year (``2009``), a month (``2009-07``) or a day
  (``2009-07-12``) — read from ISO 8601 text (:meth:`PartialDate.parse_iso`; ``2009-02-30``, ``2009-13`` and
  ``2009-7`` are refused with a message that quotes the text), written back as ISO (:attr:`PartialDate.iso`) or
  as Chinese text at its precision (:meth:`PartialDate.zh`: 2007年10月15日, 2008年9月, 1982年), and compared
  at the coarser of two precisions (:meth:`PartialDate.compare`: 2009 and 2009-07-12 agree);
- :func:`bib_entry_date`, the date of a BibTeX/biblatex entry: biblatex ``date`` (the start of a range such as
  ``2008-02-25/2008-02-27`` or ``1984/``), else BibTeX ``year`` (four digits) and ``month`` (a number, or an
  English month name or abbreviation as the ``jan``–``dec`` macros give it; ``Sept.`` too). The GB/T 7714 style,
  the bib check and the timeline all read dates through it, so a date that one accepts the others read alike;
- :func:`source_date_epoch`, the build's date: every output that carries a date (PDF and XMP dates, the EPUB's
  ``dcterms:modified`` and zip times, XeLaTeX's font tags, catalogue records) takes it from the environment
  variable ``SOURCE_DATE_EPOCH`` (reproducible-builds.org), never from the clock. The book's make rules set it to
  the time of the last commit that changed the book or its machinery. **Unset, empty or not a whole number of
  seconds, it is an error** (:class:`SourceDateEpochError`, a message that names the variable and how to set it):
  the clock would make every build differ, and a default such as 0 would stamp 1970 into records a library or a
  store keeps. No zhbook output has a default date.
"""
from __future__ import annotations

import calendar
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

YEAR, MONTH, DAY = 1, 2, 3  # precisions

ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class PartialDate:
    """A date at its real precision: ``month`` and ``day`` are None when unknown. A date that does not exist
    (month 13, 30 February) cannot be made: the constructor raises ValueError."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"there is no year {self.year}")
        if self.month is None and self.day is not None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"there is no month {self.month}")
        if self.day is not None and not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
            raise ValueError(f"{self.year}-{self.month:02d} has no day {self.day}")

    @classmethod
    def parse_iso(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (surrounding spaces ignored); raise ValueError saying what
        is wrong, with the text quoted."""
        match = ISO_DATE.fullmatch(text.strip())
        if not match:
            raise ValueError(f'"{text}" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD')
        year, month, day = (int(part) if part else None for part in match.groups())
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f'"{text}" has no month {month}')
        try:
            return cls(year, month, day)
        except ValueError:
            raise ValueError(f'"{text}" is not a {"day" if day else "date"} of the calendar') from None

    def __iter__(self) -> Iterator[int | None]:
        """``tuple(date)`` is (year, month, day)."""
        return iter((self.year, self.month, self.day))

    @property
    def precision(self) -> int:
        """:data:`YEAR`, :data:`MONTH` or :data:`DAY`."""
        return YEAR if self.month is None else MONTH if self.day is None else DAY

    def truncated(self, precision: int) -> tuple[int, ...]:
        """The date's parts down to ``precision`` (at most its own): (2009, 7) for 2009-07-12 at MONTH."""
        return tuple(self)[:min(precision, self.precision)]

    def compare(self, other: PartialDate) -> int:
        """-1, 0 or 1, comparing at the coarser of the two precisions: 2009 and 2009-07-12 compare equal, 2009-06
        is before 2009-07-12."""
        precision = min(self.precision, other.precision)
        mine, theirs = self.truncated(precision), other.truncated(precision)
        return (mine > theirs) - (mine < theirs)

    @property
    def iso(self) -> str:
        """``2009``, ``2009-07`` or ``2009-07-12``."""
        return "-".join([f"{self.year:04d}"] + [f"{part:02d}" for part in (self.month, self.day) if part])

    def zh(self) -> str:
        """Chinese text at the date's precision, with Arabic digits as GB/T 15835 asks: 2007年10月15日, 2008年9月,
        1982年."""
        text = f"{self.year}年"
        if self.month:
            text += f"{self.month}月"
        if self.day:
            text += f"{self.day}日"
        return text


def parse_date_range(text: str) -> tuple[PartialDate, PartialDate | None]:
    """biblatex's ``date`` may be a range, ``2008-02-25/2008-02-27``, ``1957/1990`` or open-ended ``1984/``:
    its start, and its end (None when there is none or the range is open)."""
    start, slash, end = text.partition("/")
    return PartialDate.parse_iso(start), (PartialDate.parse_iso(end) if slash and end.strip() else None)


# --------------------------------------------------------------------------------------------------------------
# Bib entries

#: English month names and abbreviations (BibTeX's ``jan``–``dec`` macros expand to the full names), and ``sept``.
MONTH_NAMES = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTH_NAMES.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTH_NAMES["sept"] = 9


class BibDateError(ValueError):
    """A date field of a bib entry that cannot be read; ``field`` names it (``date``, ``year`` or ``month``)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def bib_month(text: str) -> int:
    """A BibTeX ``month``: ``7``, ``07``, ``July``, ``jul``, ``Jul.``, ``Sept``; raise ValueError otherwise."""
    value = text.strip().lower().removesuffix(".")
    number = int(value) if value.isdigit() else MONTH_NAMES.get(value)
    if number is None or not 1 <= number <= 12:
        raise ValueError(f'"{text.strip()}" is not a month')
    return number


def bib_entry_date(entry: Any) -> PartialDate | None:
    """The date of a bib entry — a pybtex ``Entry``, or a mapping of its field names to their values: biblatex
    ``date`` first (the start of a range), else ``year`` and ``month``. None when the entry has neither; a field
    that cannot be read raises :class:`BibDateError` naming it."""
    fields: Mapping[str, str] = getattr(entry, "fields", entry)
    date = str(fields.get("date", "") or "").strip()
    if date:
        try:
            return parse_date_range(date)[0]
        except ValueError as error:
            raise BibDateError("date", str(error)) from None
    year = str(fields.get("year", "") or "").strip()
    if not year:
        return None
    if not re.fullmatch(r"\d{4}", year):
        raise BibDateError("year", f'"{year}" is not a year of four digits')
    month = str(fields.get("month", "") or "").strip()
    if not month:
        return PartialDate(int(year))
    try:
        return PartialDate(int(year), bib_month(month))
    except ValueError as error:
        raise BibDateError("month", str(error)) from None


# --------------------------------------------------------------------------------------------------------------
# The build's date

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


class SourceDateEpochError(ValueError):
    """``SOURCE_DATE_EPOCH`` is unset or malformed: the message says so and how to set it."""


def source_date_epoch() -> int:
    """The build's date in seconds since 1970 (UTC), from ``SOURCE_DATE_EPOCH``; raises
    :class:`SourceDateEpochError` when it is unset, empty or not a whole number of seconds."""
    raw = os.environ.get(SOURCE_DATE_EPOCH)
    how = ("set it to a whole number of seconds since 1970, e.g. the last commit's time: "
           "export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) (the book's make rules set it so); "
           "zhbook never dates an output from the clock")
    if raw is None or not raw.strip():
        raise SourceDateEpochError(f"{SOURCE_DATE_EPOCH} is not set: {how}")
    if not raw.strip().isdigit():
        raise SourceDateEpochError(f"{SOURCE_DATE_EPOCH}={raw!r} is not a whole number of seconds: {how}")
    return int(raw.strip())


def build_datetime() -> datetime:
    """:func:`source_date_epoch` as a UTC datetime."""
    return datetime.fromtimestamp(source_date_epoch(), tz=timezone.utc)
