"""After each build, the text a reader will see, scanned for what must never reach print: markup and ``??``.

What this module owns: the last check of every rendered output — the HTML pages, the EPUB's XHTML, the text
layer of each PDF (read by poppler's ``pdftotext``). It looks for

- MyST markup printed as text: a role (``{cite}`key``, its closing backtick lost), a directive fence
  (```` ```{figure} ````, ``:::{note}``), a role name left in front of code (``{cite}`` followed by a code span:
  its backticks paired with a later one);
- the tokens Sphinx and LaTeX print for what they could not resolve: ``??`` and ``[?]``.

Each hit is traced back to its source: an HTML or EPUB page names its document (``chapters/01-x.html`` →
``source/chapters/01-x.md``), a PDF is searched as a whole; the line is the one that holds the hit's text, or
the text just before it. It prints one ``path:line: what`` line per hit (the output file and page when no source
line matches) and exits 1, so that make stops before anything is published. ``zhbook.ext.stray_markup`` catches most
such mistakes earlier, while Sphinx reads the document; this scan is what holds whatever gets past it.

``python -m zhbook.tools.output_scan --srcdir source [--also bib] html build/html``  (or ``epub FILE.epub``,
``pdf FILE.pdf``).
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

ROLE = re.compile(r"\{[A-Za-z][\w.:+-]*\}`")
FENCE = re.compile(r"(?:`{2,}|~{3,}|:{2,})\s*\{[A-Za-z][\w.:+-]*\}")  # a fence, or one that lost a character
ROLE_BEFORE_CODE = re.compile(r"\{[A-Za-z][\w.:+-]*\}\s*$")
UNRESOLVED = re.compile(r"\?\?|\[\?\]")
SKIPPED_TAGS = {"script", "style", "head"}
SOURCE_SUFFIXES = (".md", ".rst")
SEARCHED_SUFFIXES = {".md", ".rst", ".bib", ".yaml", ".yml"}


@dataclass(frozen=True)
class Hit:
    where: str       # "source/chapters/01-x.md:12" or "build/latex/x.pdf (page 3)"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Page:
    """The visible text of one page of an output, with what tells where it came from."""
    output: str            # the output file (and page) for messages
    docname: str | None    # the Sphinx document, when the output names it
    text: str
    code_roles: list[tuple[str, str]]  # (role text, the text before it) of roles found right before code


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- reading the outputs ---------------------------------------------------------------------------------------------

def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def tree_text(root) -> tuple[str, list[tuple[str, str]]]:
    """The visible text of a parsed page (alt and title text included) and the roles printed before code."""
    parts: list[str] = []
    code_roles: list[tuple[str, str]] = []

    def visit(element) -> None:
        tag = _local(element.tag)
        if tag in SKIPPED_TAGS:
            return
        for attribute in ("alt", "title"):
            if element.get(attribute):
                parts.append(" " + element.get(attribute) + " ")
        if tag == "code":
            before = "".join(parts)
            match = ROLE_BEFORE_CODE.search(before)
            if match:
                code_roles.append((match.group().strip(), before[:match.start()]))
        parts.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str):
                visit(child)
            parts.append(child.tail or "")

    body = next((e for e in root.iter() if _local(e.tag) == "body"), root)
    visit(body)
    return "".join(parts), code_roles


def html_pages(folder: Path) -> list[Page]:
    pages = []
    for path in sorted(folder.rglob("*.html")):
        root = lxml_html.parse(str(path)).getroot()
        if root is None:
            continue
        text, code_roles = tree_text(root)
        docname = path.relative_to(folder).with_suffix("").as_posix()
        pages.append(Page(str(path), docname, text, code_roles))
    return pages


def epub_pages(epub: Path) -> list[Page]:
    pages = []
    with zipfile.ZipFile(epub) as zf:
        for name in sorted(n for n in zf.namelist() if n.endswith(".xhtml")):
            root = etree.fromstring(zf.read(name), etree.XMLParser(resolve_entities=False, no_network=True))
            text, code_roles = tree_text(root)
            docname = re.sub(r"^(OEBPS/)?", "", name).removesuffix(".xhtml")
            pages.append(Page(f"{epub} ({name})", docname, text, code_roles))
    return pages


def pdf_pages(pdf: Path) -> list[Page]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [Page(f"{pdf} (page {number})", None, page, []) for number, page in enumerate(text.split("\f"), 1)
            if page.strip()]


# --- tracing a hit back to its source --------------------------------------------------------------------------------

class Sources:
    """The book's source files, line by line with whitespace removed, to find where a piece of text came from."""

    def __init__(self, srcdir: Path, also: list[Path]):
        self.srcdir = srcdir
        files = [p for root in [srcdir, *also] if root.is_dir() for p in sorted(root.rglob("*"))
                 if p.suffix in SEARCHED_SUFFIXES and p.is_file()]
        self.lines: dict[Path, list[str]] = {}
        for path in files:
            text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n").lstrip("\ufeff")
            self.lines[path] = [squash(line) for line in text.split("\n")]

    def files_for(self, docname: str | None) -> list[Path]:
        if docname:
            for suffix in SOURCE_SUFFIXES:
                path = self.srcdir / f"{docname}{suffix}"
                if path in self.lines:
                    return [path]
        return list(self.lines)

    def find(self, needles: list[str], docname: str | None) -> str | None:
        for needle in needles:
            if len(needle) < 2 or not re.search(r"\w", needle):  # \w: Han characters too
                continue
            for path in self.files_for(docname):
                for number, line in enumerate(self.lines[path], 1):
                    if needle in line:
                        return f"{path}:{number}"
        return None


def _needles(hit: str, before: str, after: str, with_hit: bool) -> list[str]:
    """What to look for in the sources, most specific first: the hit with what follows it (markup is in the
    source as written), then the text before it (a ``??`` was made by LaTeX, the words before it were not)."""
    hit, before, after = squash(hit), squash(before), squash(after)
    needles = [hit + after[:n] for n in (24, 12, 6, 0)] if with_hit else []
    return needles + [before[-n:] for n in (16, 10, 6, 4, 2)]


def scan_pages(pages: list[Page], sources: Sources, edition: str) -> list[Hit]:
    hits: list[Hit] = []

    def report(page: Page, message: str, hit: str, start: int, end: int, with_hit: bool = True) -> None:
        place = sources.find(_needles(hit, page.text[max(0, start - 40):start], page.text[end:end + 40], with_hit),
                             page.docname)
        hits.append(Hit(place or page.output, f"{message} (in the {edition})"))

    for page in pages:
        for pattern, what in ((FENCE, "MyST directive printed as text: {} (a fence the parser did not take)"),
                              (ROLE, "MyST markup printed as text: {} (a role whose backticks do not pair up)")):
            for match in pattern.finditer(page.text):
                shown = (match.group() + page.text[match.end():match.end() + 24]).split("\n")[0].strip()
                report(page, what.format(shown), match.group(), match.start(), match.end())
        for role, before in page.code_roles:
            hits.append(Hit(sources.find(_needles(role, before, "", True), page.docname) or page.output,
                            f"MyST role {role} printed as text before code: its backticks pair with a later one "
                            f"(in the {edition})"))
        for match in UNRESOLVED.finditer(page.text):
            kind = "citation" if match.group() == "[?]" else "reference"
            report(page, f"{match.group()} printed: an unresolved {kind}, or {match.group()} written in the text",
                   match.group(), match.start(), match.end(), with_hit=True)
    unique: list[Hit] = []
    for hit in hits:
        if hit not in unique:
            unique.append(hit)
    return unique


def scan(kind: str, target: Path, srcdir: Path, also: list[Path]) -> list[Hit]:
    reader, edition = {"html": (html_pages, "HTML edition"), "epub": (epub_pages, "EPUB"),
                       "pdf": (pdf_pages, f"PDF {target.name}")}[kind]
    return scan_pages(reader(target), Sources(srcdir, also), edition)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--srcdir", type=Path, default=Path("source"))
    parser.add_argument("--also", type=Path, action="append", default=[], help="more folders of sources (bib/)")
    parser.add_argument("kind", choices=("html", "epub", "pdf"))
    parser.add_argument("target", type=Path)
    args = parser.parse_args(argv)
    hits = scan(args.kind, args.target, args.srcdir, args.also)
    for hit in hits:
        print(hit, file=sys.stderr)
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
