"""GB/T 7714-2015 顺序编码制: the pybtex formatting style for bibliography entries.

Registered as the pybtex plugin ``gbt7714`` (entry-point group ``pybtex.style.formatting``), so sphinxcontrib-bibtex
selects it with ``bibtex_default_style = "gbt7714"``. Entries keep the order they are given in (citation order) and
are labelled 1, 2, 3 ….

What this module owns: the layout of one entry as the standard prescribes it —

    主要责任者. 题名: 其他题名信息[文献类型标识/OL]. 其他责任者. 版本项. 出版地: 出版者, 出版年: 页码(更新日期)[引用日期]. URL. DOI.

for every 文献类型 of the standard — [M] [C] [G] [N] [J] [D] [R] [S] [P] [DB] [CP] [EB] [A] [CM] [DS] [Z] and
their /OL (or ``medium``: /DK, /CD, /MT) forms — reached from BibTeX's and biblatex's entry types (``ENTRY_TYPES``:
@phdthesis, @mastersthesis, @thesis, @techreport, @report, @inproceedings, @incollection, @standard, @patent,
@online, @periodical …) and their fields under either name (``address``/``location``, ``school``/``institution``,
``journal``/``journaltitle``, ``year``+``month``/``date``, ``howpublished = {\\url{…}}``/``url``); names (Chinese in
full, Western as ``DENHARDT R B``, corporate as written), at most three names then “等” or “et al.” chosen by the
entry's ``langid``, the placeholders [出版地不详]/[出版者不详] ([S.l.]/[s.n.]). A type it has no 文献类型 for raises
:class:`UnsupportedEntryType` rather than print a real document as [Z].

The bib files are checked first (``zhbook.ext.citations.bibcheck``), so a build meets the exception only through a check skipped.
"""
from __future__ import annotations

import re

from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.richtext import HRef, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle

from zhbook.core.chinese import HAN_CHARACTER
from zhbook.core.dates import YEAR, bib_entry_date, parse_date_range

#: Entry type → 文献类型标识 (GB/T 7714-2015, 文献类型和文献载体标识代码), for BibTeX's and biblatex's types and the
#: types of biblatex-gb7714-2015 that reference managers export. A type that is not here stops the build at its
#: .bib line (``zhbook.ext.citations.bibcheck``): formatting it as [Z] would hide a real document type.
ENTRY_TYPES = {
    # 普通图书 [M]; a part of one is written 析出题名[M]//专著
    "book": "M", "mvbook": "M", "booklet": "M", "manual": "M", "inbook": "M", "bookinbook": "M",
    "suppbook": "M", "incollection": "M", "suppcollection": "M",
    # 汇编 [G]: biblatex's edited collection (the standard's example 职工教育研究论文集[G])
    "collection": "G", "mvcollection": "G",
    # 会议录 [C] and a paper in one
    "proceedings": "C", "mvproceedings": "C", "inproceedings": "C", "conference": "C",
    # 期刊 [J]: an article, or a journal as a whole; biblatex writes a newspaper article as
    # @article with entrysubtype = {newspaper} (→ [N])
    "article": "J", "periodical": "J", "suppperiodical": "J",
    # 报纸 [N]
    "newspaper": "N",
    # 学位论文 [D]: biblatex @thesis (its ``type`` says which degree), BibTeX @phdthesis and @mastersthesis
    "thesis": "D", "phdthesis": "D", "mastersthesis": "D",
    # 报告 [R]: biblatex @report, BibTeX @techreport
    "report": "R", "techreport": "R",
    "standard": "S",  # 标准
    "patent": "P",  # 专利
    "database": "DB",  # 数据库 (biblatex-gb7714-2015)
    "software": "CP", "program": "CP",  # 计算机程序
    "online": "EB", "electronic": "EB", "www": "EB", "webpage": "EB",  # 电子公告
    "archive": "A",  # 档案 (biblatex-gb7714-2015)
    "map": "CM",  # 舆图 (biblatex-gb7714-2015)
    "dataset": "DS",  # 数据集
    "misc": "Z", "unpublished": "Z",  # 其他
}
#: 文献载体标识 a ``medium`` field may give instead of the /OL that a ``url`` implies: 磁带, 磁盘, 光盘, 联机网络.
CARRIERS = frozenset({"MT", "DK", "CD", "OL"})
#: Types that are a part of a host volume, written ``析出题名[M]//主要责任者. 专著题名``.
PART_TYPES = frozenset(
    {"incollection", "inbook", "bookinbook", "suppbook", "suppcollection", "inproceedings", "conference"}
)
#: Whole volumes whose 出版项 is printed with placeholders when unknown (出版地不详, 出版者不详).
PUBLISHED_TYPES = PART_TYPES | frozenset(
    {"book", "mvbook", "booklet", "manual", "collection", "mvcollection", "proceedings", "mvproceedings",
     "report", "techreport", "thesis", "phdthesis", "mastersthesis"}
)
#: Types whose number (standard number, report number, document number) follows the title as 其他题名信息.
NUMBERED_TYPES = frozenset(
    {"standard", "report", "techreport", "misc", "unpublished", "archive", "patent", "database", "dataset"}
)


_URL_IN_TEXT = re.compile(r"\\url\{([^}]*)\}|(https?://\S+)")


class UnsupportedEntryType(ValueError):
    """An entry type this style cannot format: the bib check reports it at the entry's line."""


def type_code(entry_type: str, fields=None) -> str:
    """The 文献类型标识 of an entry type; biblatex's @article with ``entrysubtype = {newspaper}`` is [N].
    Raises :class:`UnsupportedEntryType` for a type the style does not know."""
    name = entry_type.lower()
    if name not in ENTRY_TYPES:
        raise UnsupportedEntryType(f'GB/T 7714 has no document type for an entry "@{name}"')
    if name == "article" and fields is not None and fields.get("entrysubtype", "").strip().lower() == "newspaper":
        return "N"
    if name == "misc" and fields is not None and (fields.get("url", "").strip() or _URL_IN_TEXT.search(
            fields.get("howpublished", ""))):
        return "EB"  # BibTeX has no @online: a @misc with an address is how it cites a web page
    return ENTRY_TYPES[name]


CHINESE = "chinese"
ENGLISH = "english"
#: Words that differ by the language of an entry.
WORDS = {
    CHINESE: {"others": "等", "no_place": "出版地不详", "no_publisher": "出版者不详", "translated": "译"},
    ENGLISH: {"others": "et al.", "no_place": "S.l.", "no_publisher": "s.n.", "translated": "trans"},
}

_LATEX_ESCAPES = re.compile(r"\\([&%$#_{}])")
_PAGE_DASHES = re.compile(r"\s*(?:-{1,3}|–|—)\s*")


def plain(value: str) -> str:
    """BibTeX field text without its markup: protective braces dropped, ``\\&``-style escapes resolved.

    pybtex's ``Text.from_latex`` would read ``%`` as a comment and cut “增长50%” short, so this is done by hand.
    """
    protected = _LATEX_ESCAPES.sub(lambda match: "\0" + match.group(1), value)
    unbraced = protected.replace("{", "").replace("}", "")
    return unbraced.replace("\0", "")


def has_cjk(text: str) -> bool:
    return bool(HAN_CHARACTER.search(text))


#: ``langid`` (or BibTeX ``language``) values that make an entry Chinese: babel and polyglossia names and the
#: BCP 47 tags Zotero stores; any other language takes the English words (et al., S.l.).
CHINESE_LANGIDS = frozenset({"chinese", "schinese", "tchinese", "pinyin", "zh", "zh-cn", "zh-hans", "zh-hant",
                             "zh-tw", "zh-hk", "中文", "汉语"})


def entry_language(entry) -> str:
    """``chinese`` or ``english``: from ``langid`` (or ``language``); without one, Chinese when the title has
    Chinese characters."""
    langid = (entry.fields.get("langid", "") or entry.fields.get("language", "")).strip().lower()
    if langid:
        return CHINESE if langid in CHINESE_LANGIDS or langid.startswith("zh-") else ENGLISH
    return CHINESE if has_cjk(entry.fields.get("title", "")) else ENGLISH


#: babel/polyglossia language names (``langid``) → BCP 47 tags, for ``lang`` in the HTML and the EPUB.
BABEL_LANGUAGE_TAGS = {
    "english": "en", "american": "en-US", "usenglish": "en-US", "british": "en-GB", "ukenglish": "en-GB",
    "canadian": "en-CA", "australian": "en-AU", "newzealand": "en-NZ", "german": "de", "ngerman": "de",
    "austrian": "de-AT", "naustrian": "de-AT", "swissgerman": "de-CH", "nswissgerman": "de-CH", "french": "fr",
    "francais": "fr", "japanese": "ja", "korean": "ko", "russian": "ru", "spanish": "es", "italian": "it",
    "portuguese": "pt", "portuges": "pt", "brazil": "pt-BR", "brazilian": "pt-BR", "dutch": "nl", "swedish": "sv",
    "danish": "da", "norwegian": "no", "norsk": "no", "finnish": "fi", "polish": "pl", "czech": "cs", "greek": "el",
    "latin": "la", "arabic": "ar", "hebrew": "he", "turkish": "tr", "vietnamese": "vi", "thai": "th",
    "indonesian": "id", "hungarian": "hu", "romanian": "ro", "ukrainian": "uk", "catalan": "ca",
}


def entry_language_tag(entry) -> str | None:
    """The BCP 47 tag of the language an entry's ``langid`` (or ``language``) names, when it is neither Chinese nor
    unset: ``italian`` → ``it``, ``ja-JP`` → ``ja-JP``."""
    langid = (entry.fields.get("langid", "") or entry.fields.get("language", "")).strip()
    if not langid or langid.lower() in CHINESE_LANGIDS or langid.lower().startswith("zh"):
        return None
    return BABEL_LANGUAGE_TAGS.get(langid.lower(), langid.replace("_", "-"))


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
    """The fields of one entry, read the way the standard needs them, whatever BibTeX or biblatex name they have."""

    def __init__(self, entry):
        self.entry = entry
        self.type = entry.type.lower()
        self.code = type_code(self.type, entry.fields)
        self.fields = entry.fields
        self.language = entry_language(entry)
        self.words = WORDS[self.language]
        self.date = bib_entry_date(entry)
        self.url = self.fields.get("url", "").strip() or self._url_in_howpublished()
        self.urldate = self.fields.get("urldate", "").strip()

    def _url_in_howpublished(self) -> str:
        """BibTeX has no ``url`` field: ``howpublished = {\\url{…}}`` is the usual way to give one."""
        match = _URL_IN_TEXT.search(self.fields.get("howpublished", ""))
        return (match.group(1) or match.group(2)).strip() if match else ""

    def get(self, *names: str) -> str:
        for name in names:
            value = self.fields.get(name, "")
            if value.strip():
                return plain(value).strip()
        return ""

    @property
    def mark(self) -> str:
        """[M], [M/OL], [CP/DK]: the type code and the carrier — a ``medium`` field, else /OL for a ``url``."""
        medium = self.get("medium").upper()
        carrier = medium if medium in CARRIERS else ("OL" if self.url else "")
        return f"[{self.code}/{carrier}]" if carrier else f"[{self.code}]"

    @property
    def year(self) -> str:
        return str(self.date.year) if self.date else ""

    def responsibility(self) -> str:
        # A part's editor is the host volume's, printed after "//", never in front of the part.
        roles = ("author",) if self.type in PART_TYPES else ("author", "editor")
        if self.type == "patent":
            roles = ("holder", "author")  # 专利申请者或所有者
        for role in roles:
            persons = persons_of(self.entry, role)
            if persons:
                return format_names(persons, self.language)
        if self.code in {"R", "S", "CP", "DB"} and self.get("institution", "organization"):
            return self.get("institution", "organization")
        return ""

    def title(self) -> str:
        """题名: 其他题名信息 — subtitle, book volume, standard, report, patent or document number."""
        parts = [self.get("title"), self.get("subtitle")]
        if self.code in {"M", "G", "C"} and self.type not in PART_TYPES and self.get("volume"):
            volume = self.get("volume")
            if volume.isdigit():
                volume = f"第{volume}卷" if self.language == CHINESE else f"Vol. {volume}"
            parts.append(volume)
        if self.type in NUMBERED_TYPES:
            parts.append(self.get("number"))
        if self.code == "CP" and self.get("version"):
            parts.append(self.get("version"))
        return ": ".join(part for part in parts if part)

    def host(self) -> tuple[str, str]:
        """For a part: the host's responsible party (editor or bookauthor) and its title."""
        persons = persons_of(self.entry, "editor") or persons_of(self.entry, "bookauthor")
        title = ": ".join(part for part in (self.get("booktitle", "maintitle"), self.get("booksubtitle")) if part)
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
        names = {
            "D": ("publisher", "school", "institution"),
            "R": ("publisher", "institution"),
            "C": ("publisher", "organization"),
            "CP": ("publisher", "organization"),
            "DB": ("publisher", "organization"),
            "A": ("publisher", "institution"),
        }.get(self.code, ("publisher",))
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
        if self.date and (self.date.precision > YEAR or not printed_date):
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
        if item.type == "periodical" or item.type == "suppperiodical":
            return self._periodical(item)
        if item.code in {"J", "N"}:
            return self._serial_part(item)
        if item.code == "P":
            return self._patent(item)
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
        """专著, 专著中的析出文献, 会议录, 汇编, 报告, 标准, 学位论文, 档案, 舆图, 数据库, 计算机程序, 数据集, 电子资源, 其他."""
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

    def _patent(self, item: _Entry) -> Text:
        """专利文献: 专利申请者或所有者. 专利题名: 专利号[P]. 公告日期或公开日期[引用日期]. 获取和访问路径. DOI."""
        published = item.date.iso if item.date else ""
        if item.url and item.urldate:
            published += f"[{item.urldate}]"
        blocks = [item.responsibility(), self._title_with_mark(item), published]
        return _sentences(blocks + self._links(item))

    def _periodical(self, item: _Entry) -> Text:
        """连续出版物 as a whole: 主要责任者. 题名[J]. 年, 卷(期)-年, 卷(期). 出版地: 出版者, 出版年-出版年.
        The years come from a ``date`` range (``1984/`` open, ``1957/1990`` closed); ``volume`` and ``number``
        give the first issue, or first and last as ``1--4``."""
        start, end = parse_date_range(item.fields.get("date", "") or item.year)

        def ends(field: str) -> tuple[str, str]:
            first, _, last = format_pages(item.fields.get(field, "")).partition("-")
            return first, last

        (volume, last_volume), (number, last_number) = ends("volume"), ends("number")

        def issue(year: int | None, vol: str, num: str) -> str:
            text = str(year) if year else ""
            text += (", " + vol) if vol else ""
            return text + (f"({num})" if num else "")

        coverage = issue(start.year, volume, number) + "-"
        if end:
            coverage += issue(end.year, last_volume, last_number)
        years = f"{start.year}-" + (str(end.year) if end else "")
        place, publisher = item.get("location", "address"), item.publisher()
        imprint = ""
        if place or publisher:
            imprint = f"{place or '[' + item.words['no_place'] + ']'}: " \
                      f"{publisher or '[' + item.words['no_publisher'] + ']'}, {years}"
        blocks = [item.responsibility(), self._title_with_mark(item), coverage, imprint]
        return _sentences(blocks + self._links(item))

    def _serial_part(self, item: _Entry) -> Text:
        """期刊、报纸中的析出文献: 刊名, 年, 卷(期): 页码 / 报纸名, 年-月-日(版次)."""
        journal = item.get("journal", "journaltitle")
        number = item.get("number", "issue")
        if item.code == "N" and not number:
            number = format_pages(item.fields.get("pages", ""))  # a newspaper's page is its 版次
        pages = format_pages(item.fields.get("pages", ""))
        if item.code == "N":
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
