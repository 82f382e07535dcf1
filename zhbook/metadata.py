"""The book's one metadata file (``source/book.toml``): loading and validation.

Everything that describes the book — title, creators and their roles, publisher (and the GB/T 2260 code of its
place), edition, publication month and printing (印次), ISBN per format, subjects, CLC number, price, rights, slug —
is read here and nowhere else. A missing required field, a field of the wrong type (``year = "二〇二六"``), an
invalid ISBN, a CLC number not shaped like a CLC notation, a malformed CIP 核字号, a price without a currency or a
printing below 1 raises :class:`MetadataError` naming the file, the line and the field. The file is read as
:mod:`zhbook.tools.inputs` reads every input (UTF-8, a byte-order mark and CRLF line ends accepted).
"""
from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.errors import ConfigError
from stdnum import isbn as stdnum_isbn

REQUIRED_BOOK_FIELDS = ("title", "slug", "language", "edition", "year", "description", "rights")

# 中图分类号 (《中国图书馆分类法》 5th ed.): a class letter (L, M, W and Y are unused; T always takes a second
# letter, TB … TV), the class digits with a dot after every third (D630.1, TP311.13, I247.55, A811.1), then
# auxiliary numbers: -01 general subdivisions (D035-01, P19-49), =6 times, (1) places, "1" nations, <1> and [1].
_CLC_AUXILIARY = r'(?:-\d+(?:\.\d+)*|=\d+(?:\.\d+)*|\(\d+(?:\.\d+)*\)|"\d+"|<\d+(?:\.\d+)*>|\[\d+(?:\.\d+)*\])'
CLC_NUMBER = re.compile(r"(?:[A-KNOPQRSUVXZ]|T[BDEFGHJKLMNPQSUV])"
                        r"(?:\d{3}(?:\.\d{3})*(?:\.\d{1,2})?|\d{1,2})" + _CLC_AUXILIARY + "*")
# CIP 核字号 since 2022 (GB/T 12451-2023 examples): year + 6 letters/digits, printed as 核字第2021E25248号.
CIP_NUMBER = re.compile(r"\d{4}[0-9A-Z]{6}")
# A price as the 版权页 prints it (48.00元): digits, at most two decimals; the currency an ISO 4217 code.
PRICE_AMOUNT = re.compile(r"\d{1,6}(?:\.\d{1,2})?")
CURRENCY = re.compile(r"[A-Z]{3}")
# GB/T 2260 administrative division code: six digits (110000 北京市, 320100 南京市), for CNMARC 102 $b.
DIVISION_CODE = re.compile(r"[1-8]\d{5}")


def clc_numbers(value: str) -> list[str]:
    """The CLC numbers in the metadata's ``clc`` field (several are separated by ';')."""
    return [part.strip() for part in re.split(r"[;；]", value) if part.strip()]


class MetadataError(ConfigError):
    """A problem in the metadata file, already phrased as ``file:line: message``.

    A ConfigError, so that Sphinx prints just this message when conf.py reads a bad metadata file.
    """


@dataclass(frozen=True)
class Creator:
    name: str
    role: str  # MARC relator code, e.g. "aut", "edt"
    role_label: str = ""
    file_as: str = ""
    corporate: bool = False


@dataclass(frozen=True)
class BookMetadata:
    path: Path
    title: str
    subtitle: str
    slug: str
    language: str
    edition: str
    edition_number: int
    year: int
    course: str
    description: str
    rights: str
    subjects: tuple[str, ...]
    keywords: tuple[str, ...]
    series: str
    url: str
    creators: tuple[Creator, ...]
    publisher: str
    publisher_place: str
    publisher_place_code: str = ""  # GB/T 2260 code of the place of publication
    month: int = 0  # month of publication (1–12); 0 while not fixed
    printing: int = 1  # 印次: counted from the first printing of the first edition
    price: str = ""  # 定价 of the print edition, two decimals ("48.00"); "" while not set
    currency: str = ""  # ISO 4217 code of the price ("CNY")
    isbn_print: str = ""
    isbn_epub: str = ""
    clc: str = ""
    cip_number: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def authors_line(self) -> str:
        """Creators as printed on a title page: 名称 + 著作方式, joined by spaces."""
        return " ".join(f"{c.name}{c.role_label}" for c in self.creators)

    def isbn_hyphenated(self, fmt: str) -> str:
        """The ISBN of ``fmt`` ("print" or "epub") with correct hyphens, or "" when none is assigned."""
        value = getattr(self, f"isbn_{fmt}")
        return stdnum_isbn.format(value) if value else ""


#: The TOML type of each field, per table ("book.creators" is the array of creator tables).
FIELD_TYPES: dict[str, dict[str, type]] = {
    "book": {"title": str, "subtitle": str, "slug": str, "language": str, "edition": str, "edition_number": int,
             "year": int, "month": int, "printing": int, "course": str, "description": str, "rights": str,
             "subjects": list, "keywords": list, "series": str, "url": str, "creators": list},
    "book.creators": {"name": str, "file_as": str, "role": str, "role_label": str, "corporate": bool},
    "publisher": {"name": str, "place": str, "place_code": str},
    "identifiers": {"isbn_print": str, "isbn_epub": str, "clc": str, "cip_number": str},
    "price": {"amount": str, "currency": str},
}
TYPE_NAMES = {str: "a string in quotes", int: "a whole number without quotes", bool: "true or false",
              list: "a list in [ ]", dict: "a table"}
LIST_ITEM_TYPES = {"subjects": str, "keywords": str, "creators": dict}


def _line_of(text: str, key: str, table: str = "", index: int = 0) -> int:
    """Best-effort line number of ``key = …`` in the TOML text (tomllib keeps no positions): searched from the
    header of ``table`` (the ``index``-th one for an array of tables), else from the top."""
    start = 0
    if table:
        headers = list(re.finditer(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?", text, re.M))
        if len(headers) <= index:
            return 1
        start = headers[index].end()
    end = next((m.start() for m in re.finditer(r"^\s*\[", text[start:], re.M)), len(text) - start) + start
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.M)
    match = pattern.search(text, start, end) or pattern.search(text)
    if match:
        return text.count("\n", 0, match.start()) + 1
    return text.count("\n", 0, start) + 1 if start else 1


def _type_error(value, expected: type) -> str | None:
    """What is wrong with ``value`` where a value of type ``expected`` belongs (bool is not a number here)."""
    if type(value) is expected or (expected is list and isinstance(value, list)):
        return None
    found = {str: "a string", int: "a number", float: "a number", bool: "true/false", list: "a list",
             dict: "a table"}.get(type(value), type(value).__name__)
    shown = str(value).lower() if isinstance(value, bool) else repr(value)
    return f"must be {TYPE_NAMES[expected]}, not {found} ({shown})"


def _check_types(data: dict, text: str, path: Path) -> None:
    """Every known field has its TOML type; a table is a table, a list holds what it should."""
    for table, fields in FIELD_TYPES.items():
        if "." in table:
            continue
        section = data.get(table, {})
        if not isinstance(section, dict):
            raise MetadataError(f"{path}:{_line_of(text, table)}: {table}: must be a table ([{table}])")
        for key, expected in fields.items():
            if key not in section:
                continue
            problem = _type_error(section[key], expected)
            if problem is None and expected is list:
                item_type = LIST_ITEM_TYPES[key]
                wrong = [item for item in section[key] if type(item) is not item_type]
                if wrong:
                    problem = f"every item must be {TYPE_NAMES[item_type]}, not {wrong[0]!r}"
            if problem:
                raise MetadataError(f"{path}:{_line_of(text, key, table)}: {key}: {problem}")
    for index, creator in enumerate(data.get("book", {}).get("creators", [])):
        for key, expected in FIELD_TYPES["book.creators"].items():
            problem = _type_error(creator[key], expected) if key in creator else None
            if problem:
                line = _line_of(text, key, "book.creators", index)
                raise MetadataError(f"{path}:{line}: creators: {key}: {problem}")


def load(path: str | Path) -> BookMetadata:
    """Read and validate the metadata file at ``path``."""
    from zhbook.tools import inputs

    path = Path(path)
    try:
        text = inputs.decode(path)
    except inputs.InputError as error:
        raise MetadataError(str(error)) from None
    faults = inputs.character_faults(path, text) or inputs.toml_faults(path, text)
    if faults:
        raise MetadataError(str(faults[0]))
    data = tomllib.loads(text)
    _check_types(data, text, path)

    def fail(key: str, message: str, table: str = "book"):
        raise MetadataError(f"{path}:{_line_of(text, key, table)}: {key}: {message}")

    book = data.get("book", {})
    for key in REQUIRED_BOOK_FIELDS:
        if book.get(key) in (None, ""):
            fail(key, "required field is missing or empty")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", book["slug"]):
        fail("slug", "must be lowercase ASCII letters, digits and hyphens (it names the output files)")
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Z]{2})?", book["language"]):
        fail("language", f"{book['language']!r} is not a BCP 47 language tag such as zh-CN")
    month = book.get("month", 0)
    if "month" in book and not 1 <= month <= 12:
        fail("month", f"the month of publication must be 1 to 12, not {month}")
    printing = book.get("printing", 1)
    if printing < 1:
        fail("printing", f"印次 must be 1 or more (the first printing is 1), not {printing}")

    creators = []
    for raw in book.get("creators", []):
        if not raw.get("name") or not raw.get("role"):
            fail("creators", "every creator needs a name and a MARC relator role")
        creators.append(Creator(name=raw["name"], role=raw["role"], role_label=raw.get("role_label", ""),
                                file_as=raw.get("file_as", ""), corporate=bool(raw.get("corporate", False))))
    if not creators:
        fail("creators", "at least one creator is required")

    publisher = data.get("publisher", {})
    if not publisher.get("name"):
        fail("name", "[publisher] name is required", "publisher")
    place_code = publisher.get("place_code", "").strip()
    if place_code and not DIVISION_CODE.fullmatch(place_code):
        fail("place_code", f"{place_code!r} is not a GB/T 2260 division code: six digits, e.g. 110000 for 北京",
             "publisher")
    if place_code and not publisher.get("place", "").strip():
        fail("place_code", "a division code needs the place it codes: set place too", "publisher")

    price = data.get("price", {})
    amount, currency = price.get("amount", "").strip(), price.get("currency", "").strip()
    if amount and not PRICE_AMOUNT.fullmatch(amount):
        fail("amount", f"{amount!r} is not a price: digits with at most two decimals, e.g. \"48.00\"", "price")
    if amount and not currency:
        fail("amount", f"the price {amount} has no currency: add currency = \"CNY\" (an ISO 4217 code) to [price]",
             "price")
    if currency and not CURRENCY.fullmatch(currency):
        fail("currency", f"{currency!r} is not an ISO 4217 currency code such as CNY", "price")

    ids = data.get("identifiers", {})
    isbns = {}
    for fmt in ("print", "epub"):
        key = f"isbn_{fmt}"
        value = ids.get(key, "")
        if value:
            if not stdnum_isbn.is_valid(value):
                fail(key, f"{value!r} is not a valid ISBN (check digit or length is wrong)", "identifiers")
            value = stdnum_isbn.compact(stdnum_isbn.to_isbn13(value))
        isbns[key] = value

    # Agency-assigned classification data: checked for form only, never filled in (see catalog.py).
    clc = ids.get("clc", "").strip()
    for number in clc_numbers(clc):
        if not CLC_NUMBER.fullmatch(number):
            fail("clc", f"{number!r} is not shaped like a 中图分类号 (CLC notation) such as D630.1 or D035-01 "
                        "(several are separated by ';')", "identifiers")
    cip_number = ids.get("cip_number", "").strip()
    if cip_number and not CIP_NUMBER.fullmatch(cip_number):
        fail("cip_number", f"{cip_number!r} is not a CIP 核字号: expected the 10 characters the agency prints "
                           "between 核字第 and 号, e.g. 2026A12345", "identifiers")

    return BookMetadata(
        path=path, title=book["title"], subtitle=book.get("subtitle", ""), slug=book["slug"],
        language=book["language"], edition=book["edition"], edition_number=int(book.get("edition_number", 1)),
        year=int(book["year"]), course=book.get("course", ""), description=book["description"].strip(),
        rights=book["rights"], subjects=tuple(book.get("subjects", ())), keywords=tuple(book.get("keywords", ())),
        series=book.get("series", ""), url=book.get("url", ""), creators=tuple(creators),
        publisher=publisher["name"], publisher_place=publisher.get("place", ""), publisher_place_code=place_code,
        month=month, printing=printing, price=f"{Decimal(amount):.2f}" if amount else "",
        currency=currency if amount else "",
        clc=clc, cip_number=cip_number, **isbns,
    )


CONFIG_NAME = "zhbook_metadata_file"


def add_config_value(app) -> None:
    """Declare the ``zhbook_metadata_file`` config value once, whichever zhbook extension is loaded first."""
    if CONFIG_NAME not in app.config.values:
        app.add_config_value(CONFIG_NAME, "book.toml", "env", types=[str])


def metadata_path(confdir, config) -> Path:
    """The metadata file named by the config, relative to the Sphinx configuration directory."""
    return Path(confdir) / getattr(config, CONFIG_NAME, "book.toml")


def from_app(app) -> BookMetadata:
    """The book metadata of a running Sphinx application, or of one of its builders (anything with ``confdir``
    and ``config``: Sphinx 9 deprecates ``Builder.app``), read once per object."""
    cached = getattr(app, "_zhbook_metadata", None)
    if cached is None:
        cached = load(metadata_path(app.confdir, app.config))
        app._zhbook_metadata = cached
    return cached


def main(argv: list[str] | None = None) -> int:
    """``python -m zhbook.metadata source/book.toml``: check the metadata file, print one line per problem."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    try:
        load(args[0] if args else "source/book.toml")
    except MetadataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
