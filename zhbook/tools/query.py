"""``zhbook query KEY``: one value of the book's metadata file, for make and shell scripts.

``zhbook query slug`` prints the slug (``my-book``); any field of :class:`zhbook.metadata.BookMetadata`
can be asked for (``title``, ``subtitle``, ``year``, ``publisher``, ``isbn_print`` …), an empty one prints an empty
line. ``zhbook query makefile`` prints the path of the make rules of this zhbook (its ``book.mk``), which a
book's Makefile includes; it reads no metadata. ``zhbook query --make`` prints the values make needs as a makefile fragment (``SLUG := …``): ``book.mk``
writes it to ``build/book-vars.mk`` when ``book.toml`` changes, so that a ``make`` with nothing to do starts no
Python at all.

The file is read and validated as every tool reads it (:func:`zhbook.metadata.load`): a bad value prints
``path:line: what`` and exits 1.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from zhbook import metadata

DEFAULT_METADATA = Path("source/book.toml")
#: Keys that are about zhbook itself, not the book: key -> the answer.
ABOUT_ZHBOOK = {"makefile": lambda: str(Path(__file__).resolve().parent.parent / "book.mk")}
#: The values make reads: make variable -> metadata field.
MAKE_VARIABLES = {"SLUG": "slug"}


def fields() -> list[str]:
    """The keys a query may ask for: the metadata's fields, the path aside."""
    return [f.name for f in dataclasses.fields(metadata.BookMetadata) if f.name not in ("path", "extra")]


def value(book: metadata.BookMetadata, key: str) -> str:
    found = getattr(book, key)
    if isinstance(found, (tuple, list)):
        return "\n".join(getattr(item, "name", str(item)) for item in found)  # creators by name
    return str(found)


def make_value(text: str) -> str:
    """``text`` as the right-hand side of ``VAR := …``: make expands ``$`` and starts a comment at ``#``."""
    return text.replace("$", "$$").replace("#", r"\#").replace("\n", " ")


def make_fragment(book: metadata.BookMetadata) -> str:
    lines = [f"# Written by `zhbook query --make` from {book.path}: do not edit (make rewrites it when that file changes)."]
    lines += [f"{variable} := {make_value(value(book, key))}" for variable, key in MAKE_VARIABLES.items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhbook query", description=__doc__.splitlines()[0])
    parser.add_argument("key", nargs="?", help=f"one of: {', '.join([*ABOUT_ZHBOOK, *fields()])}")
    parser.add_argument("--make", action="store_true", help="print the values make needs as a makefile fragment")
    parser.add_argument("--metadata", type=Path, default=DEFAULT_METADATA,
                        help=f"the book's metadata file (default {DEFAULT_METADATA})")
    args = parser.parse_args(argv)
    if bool(args.key) == args.make:
        parser.error("give one KEY or --make")
    if args.key in ABOUT_ZHBOOK:
        print(ABOUT_ZHBOOK[args.key]())
        return 0
    if args.key and args.key not in fields():
        parser.error(f"no field {args.key!r}; the fields are: {', '.join(fields())}")
    try:
        book = metadata.load(args.metadata)
    except metadata.MetadataError as error:
        print(error, file=sys.stderr)
        return 1
    sys.stdout.write(make_fragment(book) if args.make else value(book, args.key) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
