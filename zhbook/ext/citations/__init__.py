"""Citations in GB/T 7714-2015 顺序编码制 for every format: marks, numbering, the one 参考文献 list, bib checks.

What this Sphinx extension owns, on top of sphinxcontrib-bibtex (which it loads):

- the referencing style ``gbt7714`` (plugin group ``sphinxcontrib.bibtex.style.referencing``): ``{cite}`` gives a
  superscript bracketed number, ``[1]``, ``[1, 3]``, ``[2-4]``, with an optional page after the bracket
  (``{cite}`key{15-17}``` → ``[4]15-17``); each number links to its entry in HTML, EPUB and PDF. ``{cite:labelpar}``
  gives the same on the line (“见文献[2]”), ``{cite:t}`` the first author and the mark (“陈登原[1]”);
- numbering in order of first citation: entries are formatted by the pybtex style ``gbt7714`` (``zhbook.ext.citations.style``),
  which keeps sphinxcontrib-bibtex's citation order; the biblatex ``date`` also fills ``year``/``month`` so that
  ``{cite:year}`` and ``:filter:`` expressions work with it;
- LaTeX: the ``{bibliography}`` list stays where it is written (in the 参考文献 chapter), as a numbered list with
  link targets, instead of being moved to the end of the book under ``\\bibname`` and leaving an empty chapter;
  marks sit tight against the text under xeCJK and also work in figure and table captions;
- the check of the bib files (``zhbook.ext.citations.bibcheck``) when the build starts: each problem is a warning at
  ``file.bib:line`` naming the entry and field, and the build stops; a warning too when conf.py has not
  selected ``gbt7714`` for both ``bibtex_default_style`` and ``bibtex_reference_style``;
- incremental builds: when the numbering changes, every page with marks is written again;
- HTML and EPUB: the title of an entry in another language than Chinese carries that language (``lang="it"``,
  ``lang="ja"``, from ``langid``), so that a screen reader reads it with the right voice and the browser picks the
  right glyphs; English passages elsewhere are left to :mod:`zhbook.ext.chinese_text`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pybtex_docutils
from docutils import nodes
from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.template import join, node, tag
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinxcontrib.bibtex.nodes import raw_latex
from sphinxcontrib.bibtex.style.referencing import BaseReferenceStyle, GroupReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
from sphinxcontrib.bibtex.style.template import SphinxReferenceText, entry_label, reference

from zhbook.core.dates import bib_entry_date
from zhbook.ext.citations.style import entry_language_tag, short_author

logger = logging.getLogger(__name__)

STYLE_NAME = "gbt7714"


class BibliographyError(SphinxError):
    category = "Bibliography error"


# --- citation marks -----------------------------------------------------------------------------------------------


def _label_number(mark: SphinxReferenceText) -> int:
    return int(str(mark))


def compress_numbers(numbers: list[int]) -> list[list[int]]:
    """Ascending numbers as 顺序编码制 marks print them: a run of three or more as [first, last], the rest alone
    ([1, 2, 3, 5] → [[1, 3], [5]], printed 1-3, 5). The book's marks and the handouts' renumbered marks use it."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts: list[list[int]] = []
    for run in runs:
        parts.extend([[run[0], run[-1]]] if len(run) >= 3 else [[n] for n in run])
    return parts


def _compressed(marks: list[SphinxReferenceText]) -> Text:
    """The marks' numbers, compressed (:func:`compress_numbers`) and each kept as its linked mark: 1, 3 / 2-4."""
    unique = {_label_number(mark): mark for mark in marks}
    return Text(", ").join(Text(*([unique[part[0]], "-", unique[part[1]]] if len(part) == 2 else [unique[part[0]]]))
                           for part in compress_numbers(list(unique)))


def _numbers(marks: list[SphinxReferenceText], brackets: bool) -> Text:
    """The numbers of one citation; a page (post text) follows the bracket: [4]15-17."""
    left, right = ("[", "]") if brackets else ("", "")
    posts = [mark.info[0].post_text for mark in marks]
    if not any(posts):
        return Text(left, _compressed(marks), right)
    if len(marks) == 1:
        return Text(left, marks[0], right, posts[0]) if brackets else Text(marks[0], ", ", posts[0])
    # several works each with its page: no range can be formed, every number keeps its own page
    return Text(*(Text(left, mark, right, post) for mark, post in zip(marks, posts)))


def _pre_text(marks: list[SphinxReferenceText]) -> str:
    return " ".join(mark.info[0].pre_text for mark in marks if mark.info[0].pre_text)


@dataclass
class _NumericMarks(BaseReferenceStyle):
    """``p``/``ps``: superscript [1, 3]; ``labelpar``: [1, 3] on the line; ``alp``/``alps``/``label``: 1, 3."""

    def role_names(self) -> Iterable[str]:
        return ["p", "ps", "alp", "alps", "label", "labelpar"]

    def outer(self, role_name: str, children: list) -> node:
        marks = [child for child in children if isinstance(child, SphinxReferenceText)]
        numbers = _numbers(marks, brackets=role_name in {"p", "ps", "labelpar"})
        pre = _pre_text(marks)
        mark = tag("sup")[numbers] if role_name in {"p", "ps"} else join[numbers]
        return join[pre, mark] if pre else mark

    def inner(self, role_name: str) -> node:
        return reference[entry_label]


@node
def _first_author(children, data):
    """The first author, then 等/et al.: 陈登原, DENHARDT → Denhardt et al."""
    return Text(short_author(data["entry"]))


@node
def _year(children, data):
    date = bib_entry_date(data["entry"])
    return Text(str(date.year) if date else "")


@dataclass
class _TextualMarks(BaseReferenceStyle):
    """``t``/``ts``/``ct``/``cts``: the first author followed by the superscript mark, 陈登原[1]."""

    def role_names(self) -> Iterable[str]:
        return ["t", "ts", "ct", "cts"]

    def outer(self, role_name: str, children: list) -> node:
        return join(sep=", ")[children]

    def inner(self, role_name: str) -> node:
        return join[reference[_first_author], tag("sup")[join["[", reference[entry_label], "]"]]]


@dataclass
class _AuthorYearMarks(BaseReferenceStyle):
    """``author``…/``year``…: just the first author or the year, linked; the ``…par`` forms in parentheses."""

    def role_names(self) -> Iterable[str]:
        authors = ["author", "authors", "authorpar", "authorpars", "cauthor", "cauthors"]
        return authors + ["year", "yearpar"]

    def outer(self, role_name: str, children: list) -> node:
        text = join(sep=", ")[children]
        return join["(", text, ")"] if "par" in role_name else text

    def inner(self, role_name: str) -> node:
        return reference[_year] if role_name.startswith("year") else reference[_first_author]


@dataclass
class GBT7714ReferenceStyle(GroupReferenceStyle):
    """Citation marks of GB/T 7714-2015 顺序编码制 for every ``cite`` role."""

    def __post_init__(self):
        self.styles.extend([_NumericMarks(), _TextualMarks(), _AuthorYearMarks(), ExtraEmptyReferenceStyle()])
        super().__post_init__()


# --- bib files ----------------------------------------------------------------------------------------------------


def _bibfiles(app: Sphinx) -> list[Path]:
    return [(Path(app.confdir) / name).resolve() for name in app.config.bibtex_bibfiles or ()]


def check_bibliography_files(app: Sphinx) -> None:
    """Before sphinxcontrib-bibtex parses them: one warning per problem at file:line, then stop the build."""
    # Imported here, not at the top: ``python -m zhbook.ext.citations.bibcheck`` must not find it imported.
    from zhbook.ext.citations.bibcheck import check_bibfiles

    problems = check_bibfiles(_bibfiles(app))
    for problem in problems:
        logger.warning(problem.text, location=problem.location, type="zhbook", subtype="bib")
    if problems:
        raise BibliographyError(
            f"{len(problems)} problem(s) in the bib files, listed above as file:line warnings; "
            "the book is not built until they are fixed"
        )


def fill_year_from_date(app: Sphinx) -> None:
    """After sphinxcontrib-bibtex parsed the bib files: give ``year``/``month`` from ``date`` to who lacks them."""
    data = app.env.get_domain("cite").bibdata.data
    for entry in data.entries.values():
        if "date" in entry.fields and "year" not in entry.fields:
            date = bib_entry_date(entry)
            if date:
                entry.fields["year"] = str(date.year)
                if date.month:
                    entry.fields["month"] = str(date.month)


def rewrite_pages_when_numbers_change(app: Sphinx, env) -> list[str]:
    """Citation-order numbers are global: a citation added to chapter 1 renumbers the marks of chapter 3. When
    the numbers (or entry texts) differ from the last build, every page with marks or a list is written again,
    so that an incremental HTML or EPUB build never keeps stale numbers."""
    domain = env.get_domain("cite")
    numbers = sorted(
        (citation.key, citation.formatted_entry.label, citation.bibliography_key.docname,
         citation.formatted_entry.text.render_as("text"))
        for citation in domain.citations
    )
    if getattr(env, "zhbook_citation_numbers", None) == numbers:
        return []
    env.zhbook_citation_numbers = numbers
    pages = {ref.docname for ref in domain.citation_refs} | {key.docname for key in domain.bibliographies}
    return sorted(pages)


# --- LaTeX: the list stays in its chapter -------------------------------------------------------------------------


class gbt_bibliography(nodes.General, nodes.Element):
    """The entries of one ``{bibliography}`` in LaTeX, written in place as a numbered list."""


class gbt_bibitem(nodes.Part, nodes.Element):
    """One entry of :class:`gbt_bibliography`: ``label`` and ``key`` attributes, the paragraph as child."""


def _bibtex_citation_ids(env) -> set[tuple[str, str]]:
    domain = env.get_domain("cite")
    return {(citation.bibliography_key.docname, citation.citation_id) for citation in domain.citations}


class CitationsForLaTeX(SphinxPostTransform):
    """LaTeX only, before Sphinx's LaTeX builder gathers every citation node into one ``thebibliography`` at the
    end of the document (titled \\bibname, priority 750):

    - each ``{bibliography}`` list becomes a :class:`gbt_bibliography` written where it stands, its entries
      carrying the link targets the marks point to;
    - each mark is boxed, so that xeCJK adds no space around it (“理论[1]。”, not “理论 [1] 。”), and its links are
      protected, so that a mark in a figure or table caption (a moving argument) compiles.
    """

    # after sphinxcontrib-bibtex fills the bibliography (5) and the marks are resolved (ReferencesResolver, 10)
    default_priority = 11
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        self.keep_bibliographies_in_place()
        for mark in list(self.document.findall(nodes.inline)):
            if "bibtex-citation" in mark["classes"]:
                self.box(mark)

    def keep_bibliographies_in_place(self) -> None:
        ours = _bibtex_citation_ids(self.env)
        for container in list(self.document.findall(nodes.container)):
            citations = [child for child in container.children if isinstance(child, nodes.citation)]
            if not citations or len(citations) != len(container.children):
                continue
            if not all((citation.get("docname"), citation["ids"][0]) in ours for citation in citations):
                continue
            listing = gbt_bibliography()
            for citation in citations:
                label = citation[0].astext()
                # hyperref anchors \\bibitem{KEY} as cite.KEY, the name sphinxcontrib-bibtex's \\hyperlink uses
                item = gbt_bibitem(label=label, key=f"{citation['docname']}:{citation['ids'][0]}")
                item.extend(child.deepcopy() for child in citation.children[1:])
                listing += item
            container.replace_self(listing)

    @staticmethod
    def box(mark: nodes.inline) -> None:
        for link in mark.findall(raw_latex):
            link.rawsource = link.rawsource.replace("\\hyperlink{", "\\protect\\hyperlink{")
        mark.insert(0, nodes.raw("", "\\mbox{", format="latex"))
        mark.append(nodes.raw("", "}", format="latex"))


class AttachMarks(SphinxPostTransform):
    """A superscript mark belongs to the word before it: drop the space or line break written in front of it
    (``全文\n{cite}`x``` reads 全文[1], not 全文 [1]), in every format."""

    default_priority = 11  # after the marks are resolved (ReferencesResolver, 10)

    def run(self, **kwargs) -> None:
        for mark in list(self.document.findall(nodes.inline)):
            if "bibtex-citation" not in mark["classes"] or not mark.children:
                continue
            if not isinstance(mark.children[0], nodes.superscript):
                continue
            before = mark.previous_sibling()
            if isinstance(before, nodes.Text) and before.rstrip() != before:
                # by position: replace() finds the first *equal* Text, another line break of the paragraph
                parent = before.parent
                parent[next(i for i, c in enumerate(parent.children) if c is before)] = nodes.Text(before.rstrip())


def visit_gbt_bibliography(self, node: gbt_bibliography) -> None:
    # Within the list only: labels as wide as the widest number; no xeCJK space between 规定 and [Z] and no
    # sentence space after a point (the standard sets none); addresses in the text face, as in the standard;
    # no line break inside a date or a page range (2008-02-27, 549-559); ragged right, because a justified line
    # before an address or a date that cannot break is pulled apart letter by letter.
    widest = max((len(item["label"]) for item in node.children), default=1)
    self.body.append(
        "\n\\begin{list}{}{\\settowidth{\\labelwidth}{[%s]}\\setlength{\\leftmargin}{\\labelwidth}"
        "\\addtolength{\\leftmargin}{\\labelsep}\\setlength{\\itemsep}{0pt}}\n"
        "\\raggedright\\frenchspacing\\urlstyle{same}\\ifdefined\\xeCJKsetup\\xeCJKsetup{CJKecglue={}}\\fi\n"
        "\\ifdefined\\sphinxhyphennobreak\\let\\sphinxhyphen\\sphinxhyphennobreak\\fi\n" % ("0" * widest)
    )


def depart_gbt_bibliography(self, node: gbt_bibliography) -> None:
    self.body.append("\\end{list}\n")


def visit_gbt_bibitem(self, node: gbt_bibitem) -> None:
    # \\bibitem works in any list: it sets "[1]" flush left and, with hyperref, the link target of the marks.
    self.body.append(f"\\bibitem[{self.encode(node['label'])}]{{{node['key']}}}")


def depart_gbt_bibitem(self, node: gbt_bibitem) -> None:
    self.body.append("\n")


def configure(app: Sphinx, config) -> None:
    """Both styles must be ``gbt7714`` (a forgotten ``bibtex_reference_style`` gives plain [1] marks, not the
    superscript the standard asks for). Anchors are named after the bib key (``references.html#cite-chen2000``,
    not ``#id3``) so that links into the 参考文献 page survive edits, unless conf.py sets ``bibtex_cite_id``;
    a document then holds one ``{bibliography}`` (a second needs ``:keyprefix:`` and ``:labelprefix:``)."""
    for name in ("bibtex_default_style", "bibtex_reference_style"):
        if config[name] != STYLE_NAME:
            logger.warning(
                f'{name} is "{config[name]}"; GB/T 7714 citations need {name} = "{STYLE_NAME}" in conf.py',
                type="zhbook", subtype="cite_style",
            )
    if not config.bibtex_cite_id:
        config.bibtex_cite_id = "cite-{key}"


def mark_title_languages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Wrap the title of each non-Chinese bibliography entry in an inline with class ``language-<tag>`` (docutils
    writes it as ``lang``); before :mod:`zhbook.ext.chinese_text` guesses English from the script."""
    if app.builder.format != "html":
        return
    entries = {c.citation_id: c.entry for c in app.env.get_domain("cite").citations}
    for citation in doctree.findall(nodes.citation):
        entry = entries.get(citation["ids"][0] if citation["ids"] else "")
        tag = entry_language_tag(entry) if entry is not None else None
        if not tag or tag.lower().startswith("en"):
            continue  # an English entry is marked as a whole by chinese_text
        title = Text.from_latex(entry.fields.get("title", "")).render_as("text")
        for text in list(citation.findall(nodes.Text)):
            start = str(text).find(title) if title else -1
            if start >= 0:
                parent = text.parent
                parent.replace(text, [piece for piece in (
                    nodes.Text(str(text)[:start]),
                    nodes.inline(title, title, classes=[f"language-{tag}"]),
                    nodes.Text(str(text)[start + len(title):])) if piece.astext()])
                break
        else:
            logger.warning("cannot mark the language (%s) of the title of %s: its title is not found in the "
                           "formatted entry", tag, entry.key, location=citation, type="zhbook", subtype="langid")


def register_backends_once() -> None:
    """pybtex looks its output backends up among every installed package's entry points on each use (4–7 ms, a few
    hundred times per build, a third of a long book's LaTeX run): register the ones the book uses as run-time
    plugins, which pybtex checks first."""
    for name in ("plaintext", "text"):
        register_plugin("pybtex.backends", name, PlainTextBackend, force=True)
    register_plugin("pybtex.backends", "docutils", pybtex_docutils.Backend, force=True)


def setup(app: Sphinx) -> dict:
    register_backends_once()
    app.setup_extension("sphinxcontrib.bibtex")
    app.connect("config-inited", configure)
    app.connect("builder-inited", check_bibliography_files, priority=400)
    app.connect("builder-inited", fill_year_from_date, priority=600)
    app.connect("env-updated", rewrite_pages_when_numbers_change, priority=600)  # after sphinxcontrib-bibtex
    # Long addresses break at any character instead of stretching the line before them.
    app.add_latex_package("xurl", after_hyperref=True)
    app.add_node(gbt_bibliography, latex=(visit_gbt_bibliography, depart_gbt_bibliography))
    app.add_node(gbt_bibitem, latex=(visit_gbt_bibitem, depart_gbt_bibitem))
    app.connect("doctree-resolved", mark_title_languages, priority=400)  # before chinese_text's English guess
    app.add_post_transform(AttachMarks)
    app.add_post_transform(CitationsForLaTeX)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
