"""Per-chapter A4 handouts: a ``handouts`` builder that writes one LaTeX file per numbered chapter.

A teacher prints one chapter for a class. Each handout keeps the book's own numbering (第二章, 2.1, 表 2.1), carries
a header with the course and the book's title and a footer 第 x 页 / 共 y 页, and is readable alone:

- a reference to another chapter becomes plain text with the book's numbers (第一章第2节“政策的定义”, 表 1.2)
  instead of a dead link; links into the back matter (glossary, timeline) keep their text only;
- the chapter ends with its own 参考文献: the works it cites, numbered 1, 2, 3 … in order of first citation in the
  chapter and formatted by the same GB/T 7714 style as the book, with the chapter's marks renumbered to match.

The builder reuses the book's Chinese LaTeX set-up (:mod:`zhbook.ext.latex_zh`) and overrides only the page (A4,
:data:`zhbook.core.page_geometry.HANDOUT`), the furniture and the title. ``make handouts`` runs it, then XeLaTeX on each file (in parallel under
``make -j``).
"""
from __future__ import annotations

import re

import pybtex_docutils
from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder
from sphinxcontrib.bibtex.nodes import raw_latex

from zhbook import metadata as book_metadata
from zhbook.core import page_geometry
from zhbook.core.chinese import chinese_number
from zhbook.tools.catalog.cip import latex_escape
from zhbook.ext.citations import compress_numbers, gbt_bibitem, gbt_bibliography

HYPERLINK = re.compile(r"\\hyperlink\{cite\.([^}]*)\}\{")


def numbered_chapters(env) -> list[tuple[str, int]]:
    """(docname, chapter number) of every chapter the numbered toctree holds, in book order."""
    chapters = []
    for docname in env.found_docs:
        number = env.toc_secnumbers.get(docname, {}).get("")
        if number and len(number) == 1:
            chapters.append((docname, number[0]))
    return sorted(chapters, key=lambda item: item[1])


def handout_name(docname: str) -> str:
    """``chapters/02-policy-process`` → ``02-policy-process``."""
    return docname.rsplit("/", 1)[-1]


class HandoutsBuilder(LaTeXBuilder):
    """One .tex per numbered chapter, A4, with the chapter's own bibliography."""

    name = "handouts"
    epilog = "The handouts' LaTeX files are in %(outdir)s."

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        # Never NoUri: every reference gets a target, so HandoutReferences can say where it points (第一章第2节)
        # instead of Sphinx silently dropping the number along with the link.
        return "%" + docname

    def init_document_data(self) -> None:
        book = book_metadata.from_app(self)
        self.titles = []
        self.chapter_numbers = {}
        for docname, number in numbered_chapters(self.env):
            title = self.env.titles[docname].astext()
            self.chapter_numbers[docname] = number
            entry = (docname, f"{handout_name(docname)}.tex", f"{book.title}·讲义：第{chinese_number(number)}章 {title}",
                     book.authors_line, "manual")
            self.document_data.append(entry)
            self.titles.append((docname, title))

    def assemble_doctree(self, indexfile: str, toctree_only: bool, appendices: list[str]) -> nodes.document:
        """The chapter wrapped in a document of its own, so that its title is a \\chapter, as in the book (the
        LaTeX writer takes a start document's own title for the document title and demotes the rest)."""
        self.docnames = {indexfile}
        # Sphinx's write_documents() calls update_doc_context() next with the entry's title only: it reads the
        # chapter from here (two chapters may share a title; a title is no key).
        self.current_docname = indexfile
        chapter = self.env.get_doctree(indexfile)
        tree = new_document("<handout>", chapter.settings)
        wrapper = nodes.section()
        wrapper += nodes.title("", self.env.titles[indexfile].astext())
        wrapper += addnodes.start_of_file("", *chapter.children, docname=indexfile)
        tree += wrapper
        tree["docname"] = indexfile
        self.env.resolve_references(tree, indexfile, self)
        return tree

    def update_doc_context(self, title, author, theme) -> None:
        super().update_doc_context(title, author, theme)
        book = book_metadata.from_app(self)
        number = self.chapter_numbers[self.current_docname]
        heading = latex_escape(f"{book.course}·《{book.title}》讲义" if book.course else f"《{book.title}》讲义")
        self.context.update(
            geometry=page_geometry.HANDOUT.latex(),
            extraclassoptions="openany",
            printindex="",
            makeindex="",
            tableofcontents="",
            maketitle=(rf"\hypersetup{{pdftitle={{{latex_escape(title)}}}}}"
                       rf"\renewcommand{{\zhbookhandoutheading}}{{{heading}}}"
                       rf"\setcounter{{chapter}}{{{number - 1}}}\pagestyle{{handout}}"),
        )
        if not hasattr(self, "_book_preamble"):
            self._book_preamble = self.context.get("preamble", "")
        self.context["preamble"] = self._book_preamble + HANDOUT_PREAMBLE


HANDOUT_PREAMBLE = r"""
\usepackage{lastpage}
\newcommand{\zhbookhandoutheading}{}
\makeatletter
\fancypagestyle{handout}{%
  \fancyhf{}%
  \fancyhead[L]{\small\sffamily\zhbookhandoutheading}%
  \fancyhead[R]{\small\sffamily\leftmark}%
  \fancyfoot[C]{\small 第\,\thepage\,页 / 共\,\pageref*{LastPage}\,页}%
  \renewcommand{\headrulewidth}{0.4pt}}
\let\ps@plain\ps@handout
\let\ps@normal\ps@handout
\makeatother
"""


def cross_chapter_text(env, docname: str, anchor: str, text: str, chapters: dict[str, int]) -> str:
    """What a reference into another document reads as on paper: 第一章第2节“标题”, 第一章“标题”, or its text."""
    if docname not in chapters:
        return text
    numbers = env.toc_secnumbers.get(docname, {}).get(f"#{anchor}" if anchor else "", ())
    chapter = f"第{chinese_number(chapters[docname])}章"
    if re.match(r"^[表图]\s*\d", text):  # numref: 表 1.2 already says where it is
        return text
    if len(numbers) >= 2:
        return f"{chapter}第{'.'.join(map(str, numbers[1:]))}节“{text}”"
    return f"{chapter}“{text}”"


def localise_references(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved, last of all and for handouts only: renumber the chapter's citations, then turn every
    link that leaves the chapter into plain text (links made at doctree-resolved, like timeline dates, included)."""
    if app.builder.name != "handouts":
        return
    renumber_citations(app.env, doctree)
    chapters = dict(numbered_chapters(app.env))
    inside = app.builder.docnames
    for ref in list(doctree.findall(nodes.reference)):
        uri = ref.get("refuri", "")
        if not uri.startswith("%"):
            continue
        target, _sep, anchor = uri[1:].partition("#")
        if target in inside:
            continue
        text = cross_chapter_text(app.env, target, anchor, ref.astext(), chapters)
        ref.replace_self(nodes.inline(text, text))


def renumber_citations(env, doctree: nodes.document) -> None:
    """The chapter's marks numbered 1, 2, 3 … in order of first citation, and its own 参考文献 at the end."""
    domain = env.get_domain("cite")
    by_target = {f"{c.bibliography_key.docname}#{c.citation_id}": c for c in domain.citations}
    local: dict[str, int] = {}
    order = []
    for mark in list(doctree.findall(nodes.inline)):
        if "bibtex-citation" not in mark["classes"]:
            continue
        targets = [ref.get("refuri", "").lstrip("%") for ref in mark.findall(nodes.reference)]
        citations = [by_target[t] for t in dict.fromkeys(targets) if t in by_target]
        if not citations:
            continue
        for citation in citations:
            if citation.key not in local:
                local[citation.key] = len(local) + 1
                order.append(citation)
        rewrite_mark(mark, [local[c.key] for c in citations])
    if order:
        doctree += handout_bibliography(order, local)


def rewrite_mark(mark: nodes.inline, numbers: list[int]) -> None:
    """The mark's numbers become the chapter's own: [1, 3] / [2-4], each linked to the handout's list."""
    pieces = []
    for part in compress_numbers(numbers):
        for i, number in enumerate(part):
            if i:
                pieces.append(nodes.Text("-"))
            pieces += [raw_latex(f"\\protect\\hyperlink{{cite.handout:{number}}}{{"), nodes.Text(str(number)),
                       raw_latex("}")]
        pieces.append(nodes.Text(", "))
    pieces.pop()
    superscript = next(mark.findall(nodes.superscript), None)
    holder = superscript if superscript is not None else mark
    post = holder.astext().rpartition("]")[2]
    # keep the raw wrappers (the \mbox that keeps xeCJK from spacing the mark) around the new numbers
    head = [c for c in holder.children[:1] if isinstance(c, nodes.raw)]
    tail = [c for c in holder.children[-1:] if isinstance(c, nodes.raw)]
    holder.children = []
    holder.extend([*head, nodes.Text("["), *pieces, nodes.Text("]" + post), *tail])



def handout_bibliography(order, local) -> nodes.Node:
    backend = pybtex_docutils.Backend()
    listing = gbt_bibliography()
    for citation in order:
        item = gbt_bibitem(label=str(local[citation.key]), key=f"handout:{local[citation.key]}")
        item += nodes.paragraph("", "", *citation.formatted_entry.text.render(backend))
        listing += item
    heading = nodes.raw("", "\n\\section*{参考文献}\n", format="latex")
    return nodes.container("", heading, listing)


def setup(app: Sphinx) -> dict:
    app.setup_extension("zhbook.ext.latex_zh")
    app.setup_extension("zhbook.ext.citations")
    app.add_builder(HandoutsBuilder)
    app.connect("doctree-resolved", localise_references, priority=900)  # after the timeline's links (500)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
