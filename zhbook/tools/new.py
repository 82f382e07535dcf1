"""``zhbook new DIR --title T [--slug S]``: start a new course book in DIR, ready for ``make`` and ``make test``.

What this module owns: writing the files of ``zhbook/scaffold/`` into DIR with the book's title, slug, year and
the zhbook it depends on filled in (``{{title}}``, ``{{slug}}``, ``{{year}}``, ``{{zhbook_url}}``,
``{{zhbook_path}}``). The new book's pyproject.toml depends on the zhbook that wrote it — this checkout, by a
``file://`` URL — and its Makefile includes that zhbook's ``book.mk``.

The slug names the output files (``dist/<slug>.pdf``); by default it is the title in pinyin, syllables joined by
``-`` (pypinyin). DIR must not exist or be empty: nothing is ever written over a file.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import zhbook
from zhbook.core.dates import SourceDateEpochError, source_date_epoch

SCAFFOLD = Path(__file__).resolve().parent.parent / "scaffold"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def default_slug(title: str) -> str:
    """The title in toneless pinyin, each syllable and each run of ASCII letters or digits a lower-case word."""
    from pypinyin import lazy_pinyin

    words = []
    for part in lazy_pinyin(title):
        words += re.findall(r"[a-z0-9]+", part.lower())
    return "-".join(words)


def zhbook_home() -> Path:
    """The folder that holds the zhbook package and its pyproject.toml (this checkout)."""
    return Path(zhbook.__file__).resolve().parent.parent


def values(title: str, slug: str) -> dict[str, str]:
    home = zhbook_home()
    try:  # a new book is dated like a build when SOURCE_DATE_EPOCH is set (the tests), else by today's clock
        year = time.gmtime(source_date_epoch()).tm_year
    except SourceDateEpochError:
        year = time.gmtime().tm_year
    return {"title": title, "slug": slug, "year": str(year), "zhbook_path": str(home),
            "zhbook_url": home.as_uri()}


def render(text: str, fields: dict[str, str]) -> str:
    for key, value in fields.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def write_book(dest: Path, title: str, slug: str) -> list[Path]:
    """Write the scaffold into ``dest`` (which must not exist or be empty); return the files written."""
    fields = values(title, slug)
    written = []
    dest.mkdir(parents=True, exist_ok=True)
    for src in sorted(SCAFFOLD.rglob("*")):
        if not src.is_file() or "__pycache__" in src.parts or src.suffix == ".pyc":
            continue
        target = dest / src.relative_to(SCAFFOLD)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(src.read_text(encoding="utf-8"), fields), encoding="utf-8")
        target.chmod(src.stat().st_mode & 0o777)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhbook new", description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path, help="the new book's folder (must not exist, or be empty)")
    parser.add_argument("--title", required=True, help="the book's title, e.g. 公共政策分析")
    parser.add_argument("--slug", help="the name of the output files (default: the title in pinyin)")
    args = parser.parse_args(argv)
    title = args.title.strip()
    if not title or any(c in title for c in '"\\\n'):
        print(f"zhbook new: the title must be one line without \" or \\: {args.title!r}", file=sys.stderr)
        return 2
    slug = args.slug if args.slug is not None else default_slug(title)
    if not SLUG.match(slug):
        print(f"zhbook new: the slug {slug!r} must be lower-case letters and digits joined by '-'"
              + ("" if args.slug else " (give one with --slug)"), file=sys.stderr)
        return 2
    if args.dir.exists() and (not args.dir.is_dir() or any(args.dir.iterdir())):
        print(f"zhbook new: {args.dir} is not empty; give a new folder", file=sys.stderr)
        return 2
    written = write_book(args.dir, title, slug)
    print(f"  wrote 《{title}》 ({slug}): {len(written)} files in {args.dir}")
    print(f"  next: cd {args.dir} && make && make test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
