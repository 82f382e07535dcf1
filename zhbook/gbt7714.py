"""GB/T 7714-2015 顺序编码制: the pybtex formatting style for bibliography entries.

Registered as the pybtex plugin ``gbt7714`` (entry-point group ``pybtex.style.formatting``), so sphinxcontrib-bibtex
selects it with ``bibtex_default_style = "gbt7714"``. Entries keep the order they are given in (citation order) and
are labelled 1, 2, 3 ….

What this module owns: the layout of one entry as the standard prescribes it —

    主要责任者. 题名: 其他题名信息[文献类型标识/OL]. 其他责任者. 版本项. 出版地: 出版者, 出版年: 页码(更新日期)[引用日期]. URL. DOI.

for every entry type of the book's bib conventions (``ENTRY_TYPES``): names (Chinese in full, Western as
``DENHARDT R B``, corporate as written), at most three names then “等” or “et al.” chosen by the entry's ``langid``,
the biblatex ``date`` field (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``; ``year``/``month`` still work), the placeholders
[出版地不详]/[出版者不详] ([S.l.]/[s.n.]) and the /OL carrier mark for entries with a ``url``.
The bib files are checked separately (``zhbook.bibcheck``); this style formats whatever it is given.
"""
from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.richtext import HRef, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle

#: Entry type → 文献类型标识 (GB/T 7714-2015, 文献类型和文献载体标识代码). ``online`` is 电子公告 [EB].
ENTRY_TYPES = {
    "book": "M",
    "incollection": "M",  # 专著中的析出文献
    "inbook": "M",
    "collection": "G",
    "proceedings": "C",
    "inproceedings": "C",
    "article": "J",
    "newspaper": "N",
    "report": "R",
    "standard": "S",
    "thesis": "D",
    "archive": "A",
    "misc": "Z",
    "online": "EB",
}
#: Types that are a part of a host volume, written ``析出题名[M]//主要责任者. 专著题名``.
PART_TYPES = frozenset({"incollection", "inbook", "inproceedings"})
#: Types whose 出版项 is printed with placeholders when unknown (出版地不详, 出版者不详).
PUBLISHED_TYPES = frozenset(
    {"book", "incollection", "inbook", "collection", "proceedings", "inproceedings", "report", "thesis"}
)

CHINESE = "chinese"
ENGLISH = "english"
#: Words that differ by the language of an entry.
WORDS = {
    CHINESE: {"others": "等", "no_place": "出版地不详", "no_publisher": "出版者不详", "translated": "译"},
    ENGLISH: {"others": "et al.", "no_place": "S.l.", "no_publisher": "s.n.", "translated": "trans"},
}

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_MONTH_NAMES = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_LATEX_ESCAPES = re.compile(r"\\([&%$#_{}])")
_PAGE_DASHES = re.compile(r"\s*(?:-{1,3}|–|—)\s*")


@dataclass(frozen=True)
class PartialDate:
    """A date at the precision it is known: year, year-month or year-month-day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def precise(self) -> bool:
        """More precise than a year: worth printing as an update date."""
        return self.month is not None


def parse_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError saying what is wrong."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(f'"{text}" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD')
    year, month, day = (int(part) if part else None for part in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f'"{text}" has no month {month}')
    if day is not None:
        try:
            datetime.date(year, month, day)
        except ValueError:
            raise ValueError(f'"{text}" is not a day of the calendar') from None
    return PartialDate(year, month, day)


def entry_date(entry) -> PartialDate | None:
    """The entry's date: biblatex ``date``, else BibTeX ``year`` (and ``month``); None when it has neither."""
    fields = entry.fields
    if fields.get("date"):
        return parse_date(fields["date"])
    year = fields.get("year", "").strip()
    if not year.isdigit():
        return None
    month_text = fields.get("month", "").strip().lower()
    month = int(month_text) if month_text.isdigit() else _MONTH_NAMES.get(month_text)
    return PartialDate(int(year), month if month and 1 <= month <= 12 else None)


def plain(value: str) -> str:
    """BibTeX field text without its markup: protective braces dropped, ``\\&``-style escapes resolved.

    pybtex's ``Text.from_latex`` would read ``%`` as a comment and cut “增长50%” short, so this is done by hand.
    """
    protected = _LATEX_ESCAPES.sub(lambda match: "\0" + match.group(1), value)
    unbraced = protected.replace("{", "").replace("}", "")
    return unbraced.replace("\0", "")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def entry_language(entry) -> str:
    """``chinese`` or ``english``: from ``langid``; without one, Chinese when the title has Chinese characters."""
    langid = entry.fields.get("langid", "").strip().lower()
    if langid:
        return CHINESE if langid in {"chinese", "zh", "zh-cn", "zh-hans", "pinyin"} else ENGLISH
    return CHINESE if has_cjk(entry.fields.get("title", "")) else ENGLISH


def is_corporate(person: Person) -> bool:
    """A corporate author is written in braces, ``{国务院办公厅}``: one brace-protected last name."""
    names = person.first_names + person.middle_names + person.prelast_names + person.lineage_names
    return not names and len(person.last_names) == 1 and person.last_names[0].startswith("{")


def _initials(given: str) -> str:
    """``Robert`` → ``R``, ``B.`` → ``B``, ``Jean-Paul`` → ``J-P`` (GB/T 7714: initials without points)."""
    return "-".join(part[0] for part in plain(given).replace(".", " ").replace("-", " - ").split() if part != "-")


def format_person(person: Person) -> str:
    """One name as GB/T 7714-2015 writes it: 温家宝, 国务院办公厅, DENHARDT R B, PEEBLES P Z, Jr."""
    surname = plain(" ".join(person.prelast_names + person.last_names))
    if is_corporate(person):
        return surname
    given = person.first_names + person.middle_names
    if has_cjk(str(person)):
        # Chinese (and Chinese-translated) names are written as they are given, surname first.
        return surname + plain("".join(given))
    initials = " ".join(filter(None, (_initials(name) for name in given)))
    text = f"{surname.upper()} {initials}".strip()
    if person.lineage_names:
        text += ", " + plain(" ".join(person.lineage_names))
    return text


def _is_others(person: Person) -> bool:
    return str(person).strip().lower() == "others"


def format_names(persons, language: str) -> str:
    """Up to three names joined by ', '; more (or BibTeX's ``and others``) end in ', 等' or ', et al.'."""
    persons = list(persons)
    truncated = bool(persons) and _is_others(persons[-1])
    if truncated:
        persons = persons[:-1]
    if len(persons) > 3:
        persons, truncated = persons[:3], True
    text = ", ".join(format_person(person) for person in persons)
    if truncated and text:
        text += ", " + WORDS[language]["others"]
    return text


def persons_of(entry, role: str) -> list[Person]:
    """Persons in *role*; roles pybtex keeps as plain fields (translator, bookauthor) are split here."""
    if role in entry.persons:
        return list(entry.persons[role])
    return [Person(name) for name in split_name_list(entry.fields.get(role, "")) if name.strip()]


def short_author(entry) -> str:
    """First responsible party for textual citations: 温家宝, 国务院办公厅, Denhardt; then 等 / et al."""
    language = entry_language(entry)
    listed = persons_of(entry, "author") or persons_of(entry, "editor")
    truncated = bool(listed) and _is_others(listed[-1])
    persons = [person for person in listed if not _is_others(person)]
    if not persons:
        return plain(entry.fields.get("title", ""))
    first = persons[0]
    if is_corporate(first) or has_cjk(str(first)):
        name = format_person(first)
    else:
        name = plain(" ".join(first.prelast_names + first.last_names))
    if len(persons) > 1 or truncated:
        name += WORDS[language]["others"] if language == CHINESE else " " + WORDS[language]["others"]
    return name


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def format_edition(edition: str, language: str) -> str:
    """版本项: the first edition is not given; 2 → ``2版`` / ``2nd ed``; any other wording is kept."""
    edition = plain(edition).strip()
    if not edition or edition == "1":
        return ""
    if edition.isdigit():
        return f"{edition}版" if language == CHINESE else f"{_ordinal(int(edition))} ed"
    return edition


def format_pages(pages: str) -> str:
    """Page ranges with a hyphen, as the standard's examples: ``605--609`` → ``605-609``."""
    return _PAGE_DASHES.sub("-", plain(pages).strip())


class _Entry:
    """The fields of one entry, read the way the standard needs them."""

    def __init__(self, entry):
        self.entry = entry
        self.type = entry.type.lower()
        self.fields = entry.fields
        self.language = entry_language(entry)
        self.words = WORDS[self.language]
        self.date = entry_date(entry)
        self.url = self.fields.get("url", "").strip()
        self.urldate = self.fields.get("urldate", "").strip()

    def get(self, *names: str) -> str:
        for name in names:
            value = self.fields.get(name, "")
            if value.strip():
                return plain(value).strip()
        return ""

    @property
    def mark(self) -> str:
        mark = ENTRY_TYPES.get(self.type, "Z")
        return f"[{mark}/OL]" if self.url else f"[{mark}]"

    @property
    def year(self) -> str:
        return str(self.date.year) if self.date else ""

    def responsibility(self) -> str:
        # A part's editor is the host volume's, printed after "//", never in front of the part.
        for role in ("author",) if self.type in PART_TYPES else ("author", "editor"):
            persons = persons_of(self.entry, role)
            if persons:
                return format_names(persons, self.language)
        if self.type in {"report", "standard"} and self.get("institution", "organization"):
            return self.get("institution", "organization")
        return ""

    def title(self) -> str:
        """题名: 其他题名信息 — subtitle, book volume, standard or document number."""
        parts = [self.get("title"), self.get("subtitle")]
        if self.type in {"book", "collection", "proceedings"} and self.get("volume"):
            volume = self.get("volume")
            if volume.isdigit():
                volume = f"第{volume}卷" if self.language == CHINESE else f"Vol. {volume}"
            parts.append(volume)
        if self.type in {"standard", "report", "misc", "archive"}:
            parts.append(self.get("number"))
        return ": ".join(part for part in parts if part)

    def host(self) -> tuple[str, str]:
        """For a part: the host's responsible party (editor or bookauthor) and its title."""
        persons = persons_of(self.entry, "editor") or persons_of(self.entry, "bookauthor")
        title = ": ".join(part for part in (self.get("booktitle"), self.get("booksubtitle")) if part)
        volume = self.get("volume")
        if volume:
            title += ": " + (f"第{volume}卷" if volume.isdigit() and self.language == CHINESE else volume)
        return format_names(persons, self.language), title

    def other_responsibility(self) -> str:
        translators = persons_of(self.entry, "translator")
        if not translators:
            return ""
        return format_names(translators, self.language) + ", " + self.words["translated"]

    def publisher(self) -> str:
        names = ("publisher", "institution", "school") if self.type in {"report", "thesis"} else ("publisher",)
        if self.type in {"proceedings", "inproceedings"}:
            names = ("publisher", "organization")
        return self.get(*names)

    def imprint(self) -> str:
        """出版地: 出版者, 出版年: 页码 — or "" when this kind of entry has no imprint to give."""
        place, publisher = self.get("location", "address"), self.publisher()
        if not (place or publisher):
            if self.type not in PUBLISHED_TYPES or self.url:
                return ""
            text = f"[{self.words['no_place']}: {self.words['no_publisher']}]"
        else:
            text = f"{place or '[' + self.words['no_place'] + ']'}: {publisher or '[' + self.words['no_publisher'] + ']'}"
        if self.year:
            text += ", " + self.year
        return text

    def access(self, printed_date: bool) -> str:
        """(更新或修改日期)[引用日期] for an online entry; *printed_date*: the year is already in the imprint."""
        if not self.url:
            return ""
        update = ""
        if self.date and (self.date.precise or not printed_date):
            update = f"({self.date.iso})"
        return update + (f"[{self.urldate}]" if self.urldate else "")


def _sentences(blocks) -> Text:
    """Join blocks with '. ' and close with '.', without doubling a point that is already there."""
    text = Text()
    blocks = [block for block in blocks if block]
    for index, block in enumerate(blocks):
        text += block
        ends_with_point = str(block).endswith(".")
        if index < len(blocks) - 1:
            text += " " if ends_with_point else ". "
        elif not ends_with_point:
            text += "."
    return text


class GBT7714Style(BaseStyle):
    """GB/T 7714-2015 顺序编码制: entries in citation order, numbered from 1."""

    default_name_style = "plain"
    default_label_style = "number"
    default_sorting_style = "none"

    def format_entry(self, label, entry, bib_data=None):
        return FormattedEntry(entry.key, self.format_text(entry), label)

    def format_text(self, entry) -> Text:
        item = _Entry(entry)
        if item.type in {"article", "newspaper"}:
            return self._serial_part(item)
        return self._monograph(item)

    def _title_with_mark(self, item: _Entry) -> str:
        return item.title() + item.mark

    def _links(self, item: _Entry) -> list:
        blocks = []
        if item.url:
            blocks.append(HRef(item.url, item.url))
        doi = item.fields.get("doi", "").strip()
        if doi:
            blocks.append(Text("DOI:", HRef(f"https://doi.org/{doi}", doi)))
        return blocks

    def _monograph(self, item: _Entry) -> Text:
        """专著, 专著中的析出文献, 报告, 标准, 学位论文, 汇编, 档案, 其他, 电子资源."""
        blocks = [item.responsibility()]
        title = self._title_with_mark(item)
        if item.type in PART_TYPES:
            host_names, host_title = item.host()
            title += "//" + host_names if host_names else "//" + host_title
            blocks += [title, item.other_responsibility()]
            if host_names:
                blocks.append(host_title)
        else:
            blocks += [title, item.other_responsibility()]
        blocks.append(format_edition(item.fields.get("edition", ""), item.language))
        imprint = item.imprint()
        pages = format_pages(item.fields.get("pages", ""))
        if imprint:
            publication = imprint + (": " + pages if pages else "") + item.access(printed_date=True)
        elif item.url:
            publication = item.access(printed_date=False)
        else:
            # No imprint and not online (a regulation, a standard without publisher): the date as known.
            publication = item.date.iso if item.date else ""
            publication += (": " + pages) if pages and publication else ""
        blocks.append(publication)
        return _sentences(blocks + self._links(item))

    def _serial_part(self, item: _Entry) -> Text:
        """期刊、报纸中的析出文献: 刊名, 年, 卷(期): 页码 / 报纸名, 年-月-日(版次)."""
        journal = item.get("journal", "journaltitle")
        number = item.get("number", "issue")
        pages = format_pages(item.fields.get("pages", ""))
        if item.type == "newspaper":
            source = f"{journal}, {item.date.iso if item.date else ''}" + (f"({number})" if number else "")
            source += f"[{item.urldate}]" if item.url and item.urldate else ""
        else:
            source = f"{journal}, {item.year}"
            volume = item.get("volume")
            source += f", {volume}" if volume else ""
            source += f"({number})" if number else ""
            source += f": {pages}" if pages else ""
            source += item.access(printed_date=True)
        blocks = [item.responsibility(), self._title_with_mark(item), source]
        return _sentences(blocks + self._links(item))
