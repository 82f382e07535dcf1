"""Chinese line and page breaking in every format: 避头尾, no 孤字, no 寡行, no letter-spaced line, tables and boxes
across pages (issue 14).

What this Sphinx extension owns (W3C clreq; GB/T 15834 for the punctuation):

- **Citation marks** stay with the character before them and with the punctuation after them, and a mark is never
  broken inside (“……问题[20]。”, never “……问题 / [20]。” or “[3, / 34]”). LaTeX: no break before the mark (xeCJK's
  ``\\xeCJKnobreak``) nor between the mark and closing punctuation. HTML and EPUB: the character, the mark and the
  punctuation after it share one ``<span class="zh-nobreak">`` that does not wrap.
- **No 孤字**: a paragraph's last line holds at least two characters, punctuation and marks not counted. The break
  between the paragraph's last two characters (and everything after them) is forbidden — in LaTeX by a penalty, in
  HTML and EPUB by a ``zh-nobreak`` span — so the typesetter takes one more character down instead. The text is
  never changed. In browsers ``text-wrap: pretty`` evens out the last lines as well.
- **Page breaks** (LaTeX): a paragraph never leaves a single line at the foot or the head of a page (寡行), so a
  glossary term, which shares a paragraph with its definition, never ends a page (headings never do: titlesec).
- **Tables across pages** (LaTeX): every table in the flow of the text is a long table (the template
  ``templates/latex/longtable.tex.jinja``): the continuation opens with 续表, the table's number and the repeated
  header, at least two rows stay on each side of a break, and a table that opens a section keeps its heading.
  Nothing runs over the foot of the page into the folio.
- **No empty page foot** (LaTeX): boxes (admonitions) break across pages as the text does, the title with two lines
  or more, and two lines or more on the next page; a heading asks for room for its first two lines, not six.
- **No letter-spaced lines** (LaTeX): table cells and the 参考文献 are set ragged right, so that a long address, a
  date or a narrow column cannot pull the characters of a justified line apart.
- **CSS** for the HTML and EPUB (``static/zhbook-typography.css``): ``line-break: strict`` (no closing punctuation
  or 々/小书き at a line start), ``text-wrap: pretty``, ``text-spacing-trim`` and ``text-autospace`` where the
  reading engine supports them (others ignore them).

:mod:`zhbook.tools.typography_check` measures the result on the built PDF, HTML and EPUB.
"""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config

from zhbook.core.chinese import CJK_TEXT, CLOSING, COUNTED

STATIC = Path(__file__).with_name("static")
LATEX_TEMPLATES = Path(__file__).with_name("templates") / "latex"  # longtable.tex.jinja: tables across pages
CSS_FILE = "zhbook-typography.css"

# The longest run (in counted characters) the HTML keeps on one line at a paragraph's end: a link or an emphasis
# that ends the paragraph is kept whole only while it is this short, so that it cannot overflow a phone's screen.
LONGEST_TAIL = 8

LATEX_PREAMBLE = r"""
% --- Chinese line and page breaking (zhbook.ext.typography) ---
% No break here: the break before a citation mark and inside a paragraph's last two characters. xeCJK's own
% command removes its inter-character glue first, so that no breakpoint is left before the penalty.
\providecommand{\zhbooknobreak}{\ifdefined\xeCJKnobreak\xeCJKnobreak\else\nobreak\fi}
% 寡行: never a single line of a paragraph at the foot or the head of a page. A glossary term and the first line
% of its definition are one paragraph (\sphinxlineitem), so a term never ends a page either.
\widowpenalty=10000
\clubpenalty=10000
\displaywidowpenalty=10000
% Table cells ragged right: a narrow column set justified spreads its few characters apart. Each cell's paragraph
% starts with \sphinxAtStartPar, inside the group every table opens with \sphinxthistablewithglobalstyle.
\makeatletter
\newcommand{\zhbook@raggedcells}{\let\zhbook@atstartpar\sphinxAtStartPar
  \def\sphinxAtStartPar{\raggedright\zhbook@atstartpar}}
\expandafter\def\expandafter\sphinxthistablewithglobalstyle\expandafter{%
  \sphinxthistablewithglobalstyle\zhbook@raggedcells}
\makeatother
"""

PAGE_BREAKING = r"""
% --- Page breaking: no page foot left empty where the text could go on (zhbook.ext.typography) ---
% A heading keeps the two lines after it (titlesec's \nobreak and the club penalty), and asks for no more: Sphinx's
% titlesec option nobottomtitles* wants six lines of room below every heading, and moved headings to the next page
% with up to seven lines of the page before left empty.
\def\bottomtitlespace{-1pt}
% Boxes (admonitions) break across pages as the text does: framed splits a box only where its paragraphs may
% break, so that two lines stay on each side. Sphinx's \needspace before a box is gone: its stretch made a break
% before the box look better to TeX than a full page, and boxes that fitted went to the next page. The title
% stays with the first lines, and the last line never goes alone to the next page.
\renewcommand\sphinxheavyboxneedspacecommand{}
\makeatletter
% (a \nobreak behind the title's line, and one behind the kern that ends the title: a kern followed by glue is a
% place to break too)
\patchcmd\sphinxdotitlerow{\endgroup\vskip-\parskip}{\endgroup\nobreak\vskip-\parskip}{}%
  {\errmessage{zhbook.ext.typography: Sphinx's admonition title (sphinxdotitlerow) has changed}}
\apptocmd\sphinxdotitlerow{\nobreak}{}%
  {\errmessage{zhbook.ext.typography: Sphinx's admonition title (sphinxdotitlerow) has changed}}
\patchcmd\endsphinxheavybox{\par\unskip}{\par\unskip\zhbook@keeplastline}{}%
  {\errmessage{zhbook.ext.typography: Sphinx's admonition box (sphinxheavybox) has changed}}
% The box's last line, with the glue and kerns between it and the line before, taken off the box's list and put
% back behind a \nobreak (a penalty there would let a one-line paragraph or list item end the box alone).
\newbox\zhbook@line
\def\zhbook@keeplastline{%
  \setbox\zhbook@line\lastbox
  \ifvoid\zhbook@line\else
    \let\zhbook@between\@empty
    \zhbook@takebetween
    \nobreak\zhbook@between\nointerlineskip\box\zhbook@line
  \fi}
\def\zhbook@takebetween{%
  \let\zhbook@next\relax
  \ifcase\numexpr\lastnodetype-10\relax
  \or % glue
    \edef\zhbook@between{\noexpand\vskip\the\lastskip\relax\unexpanded\expandafter{\zhbook@between}}%
    \unskip\let\zhbook@next\zhbook@takebetween
  \or % kern
    \edef\zhbook@between{\noexpand\kern\the\lastkern\relax\unexpanded\expandafter{\zhbook@between}}%
    \unkern\let\zhbook@next\zhbook@takebetween
  \or % penalty
    \unpenalty\let\zhbook@next\zhbook@takebetween
  \fi
  \zhbook@next}
% Tables break across pages (longtable, see the template). A table that opens a section (its heading, then at
% once the table) starts on the heading's page only when the heading, the caption, the header and the first two
% rows fit there together: titlesec's room check below that heading asks for the room they took, which the table
% measured when it was set and wrote to the .aux (the same in every run: from the check to the table's rows).
\newcount\zhbook@tables
\newif\ifzhbook@keeping
\def\zhbook@keeping@table{0}
\def\zhbook@heading@table{0}
\def\zhbookkeepheadingwithtable{% before such a heading
  \xdef\zhbook@keeping@table{\the\numexpr\zhbook@tables+1\relax}%
  \global\zhbook@keepingtrue
  \global\let\zhbook@bottomtitlespace\bottomtitlespace
  \ifcsname zhbook@need@\zhbook@keeping@table\endcsname
    \xdef\bottomtitlespace{\csname zhbook@need@\zhbook@keeping@table\endcsname}%
  \else
    \gdef\bottomtitlespace{0pt}%
  \fi}
\def\zhbook@titlechecked{% right after titlesec's check (and the page break it made, if any)
  \ifzhbook@keeping
    \global\zhbook@keepingfalse
    \global\let\bottomtitlespace\zhbook@bottomtitlespace
    \xdef\zhbook@heading@at{\the\pagetotal}%
    \xdef\zhbook@heading@room{\the\dimexpr\pagegoal-\pagetotal\relax}%
    \xdef\zhbook@heading@page{\the\c@page}%
    \xdef\zhbook@heading@table{\zhbook@keeping@table}%
  \fi}
\patchcmd\ttl@straight@ii{\pagegoal\@tempskipb}{\pagegoal\@tempskipb\zhbook@titlechecked}{}%
  {\errmessage{zhbook.ext.typography: titlesec's room check below a heading has changed}}
\def\zhbooklongtablestart{\global\advance\zhbook@tables\@ne
  \ifzhbook@keeping\global\zhbook@keepingfalse\global\let\bottomtitlespace\zhbook@bottomtitlespace\fi}
\def\zhbook@tableneed#1#2{\expandafter\gdef\csname zhbook@need@#1\endcsname{#2}}
% (When the heading was left at the foot of the page before, more than the room it had there is asked for, so
% that the next run moves it, and measures the room it takes from the top of a page.)
\def\zhbook@measuretable{% in \LT@start, where \dimen@ is \pagetotal + caption, header, foot and first rows
  \ifnum\zhbook@tables=\zhbook@heading@table\relax
    \dimen@ii\dimen@
    \ifnum\c@page=\zhbook@heading@page\relax
      \advance\dimen@ii-\zhbook@heading@at\relax
    \else
      \advance\dimen@ii\zhbook@heading@room\relax
    \fi
    \if@filesw\immediate\write\@auxout{\string\zhbook@tableneed{\the\zhbook@tables}{\the\dimen@ii}}\fi
  \fi}
\AtBeginDocument{\if@filesw\immediate\write\@auxout{\string\providecommand\string\zhbook@tableneed[2]{}}\fi}
\patchcmd\LT@start{\advance\dimen@ -\pagegoal}{\zhbook@measuretable\advance\dimen@ -\pagegoal}{}%
  {\errmessage{zhbook.ext.typography: longtable's LT@start has changed}}
% The continuation of a table opens with 续表 and the table's number, centred above the repeated header.
\newcommand\zhbooktablecontinued[1]{\makebox[0pt]{\small 续\tablename#1}}
\makeatother
"""


class no_line_break(nodes.Inline, nodes.Element):
    """No line break at this point (LaTeX only). It holds no text, so that nothing that reads a node's text (the
    handouts' plain-text references, the search index) ever sees it."""


def visit_no_line_break(self, node: no_line_break) -> None:
    self.body.append(r"\zhbooknobreak{}")


def depart_nothing(self, node: nodes.Node) -> None:
    pass


def skip_node(self, node: nodes.Node) -> None:
    raise nodes.SkipNode


def configure(app: Sphinx, config: Config) -> None:
    """Add the breaking rules to the LaTeX preamble (after zhbook.ext.latex_zh filled in its defaults), the long-table
    template, and the CSS."""
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + LATEX_PREAMBLE + PAGE_BREAKING
    config.latex_elements = elements
    if str(LATEX_TEMPLATES) not in config.templates_path:
        config.templates_path = [*config.templates_path, str(LATEX_TEMPLATES)]
    config.html_static_path = [*config.html_static_path, str(STATIC)]


# --- the doctree ---------------------------------------------------------------------------------------------------


def is_mark(node: nodes.Node) -> bool:
    """A superscript citation mark ([1], [2-4]), as zhbook.ext.citations writes it."""
    return isinstance(node, nodes.inline) and "bibtex-citation" in node["classes"] and any(
        isinstance(child, nodes.superscript) for child in node.findall(nodes.superscript))


def _text_leaves(node: nodes.Element):
    """The Text nodes of a paragraph in reading order, with nothing from citation marks, footnote references,
    raw markup or index entries (none of which a reader counts)."""
    for child in node.children:
        if isinstance(child, nodes.Text):
            yield child
        elif isinstance(child, (nodes.raw, nodes.footnote_reference, nodes.comment, nodes.target)) or is_mark(child):
            continue
        elif isinstance(child, nodes.Element) and not isinstance(child, (nodes.image, nodes.math)):
            yield from _text_leaves(child)


def last_two_characters(paragraph: nodes.Element) -> tuple[nodes.Text, int] | None:
    """Where the paragraph's second-to-last counted character is: (its Text node, its index in it), or None when
    the paragraph has fewer than two or ends in something that is not text (a formula, an image)."""
    last_leaf = paragraph
    while isinstance(last_leaf, nodes.Element) and last_leaf.children:
        last_leaf = last_leaf.children[-1]
    if isinstance(last_leaf, (nodes.math, nodes.image)) or isinstance(getattr(last_leaf, "parent", None), nodes.math):
        return None
    seen = 0
    for text in reversed(list(_text_leaves(paragraph))):
        for index in range(len(text) - 1, -1, -1):
            if COUNTED.match(text[index]):
                seen += 1
                if seen == 2:
                    # an address (LaTeX sets it verbatim, and it may break anywhere) is left to its own rules
                    return None if _in_address(text) else (text, index)
    return None


def _in_address(node: nodes.Node) -> bool:
    """Inside a link shown as its web address, or inside code."""
    for ancestor in _ancestors(node):
        if isinstance(ancestor, nodes.literal) or (
                isinstance(ancestor, nodes.reference) and "://" in ancestor.get("refuri", "")
                and ancestor.astext() in (ancestor["refuri"], ancestor["refuri"].split("://", 1)[-1])):
            return True
    return False


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def _position(node: nodes.Node) -> int:
    """The node's index among its parent's children (by identity: equal Text nodes compare equal)."""
    return next(i for i, child in enumerate(node.parent.children) if child is node)


def _previous(node: nodes.Node) -> nodes.Node | None:
    position = _position(node)
    return node.parent.children[position - 1] if position else None


def _split_text(text: nodes.Text, index: int) -> tuple[nodes.Text, nodes.Text]:
    """Replace ``text`` in its parent by two Text nodes cut before ``index`` (0 < index < len), and return them."""
    parent, position = text.parent, _position(text)
    head, tail = nodes.Text(str(text)[:index]), nodes.Text(str(text)[index:])
    parent[position:position + 1] = [head, tail]
    return head, tail


def _insert_after(node: nodes.Node, new: nodes.Node) -> None:
    node.parent.insert(_position(node) + 1, new)


def _insert_before(node: nodes.Node, new: nodes.Node) -> None:
    node.parent.insert(_position(node), new)


# --- LaTeX ---------------------------------------------------------------------------------------------------------


def latex_breaks(doctree: nodes.document) -> None:
    """No break before a citation mark, between a mark and the punctuation after it, or within the last two
    characters of a paragraph."""
    for mark in list(doctree.findall(is_mark)):
        if _previous(mark) is not None:  # (a mark that opens a cell has nothing to keep)
            _insert_before(mark, no_line_break())
        after = mark.next_node(descend=False, siblings=True)
        if isinstance(after, nodes.Text) and str(after) != str(after).lstrip():
            # the source's line break after a mark is no space before Chinese (理论[1]与…, not 理论[1] 与…)
            rest = str(after).lstrip()
            following = rest or (after.next_node(descend=False, siblings=True) or nodes.Text("")).astext()
            if following[:1] and CJK_TEXT.match(following[0]):
                after.parent[_position(after)] = after = nodes.Text(rest)
        if isinstance(after, nodes.Text) and after[:1] in CLOSING:
            _insert_after(mark, no_line_break())
    for paragraph in list(doctree.findall(nodes.paragraph)):
        found = last_two_characters(paragraph)
        if found is None:
            continue
        text, index = found
        if index + 1 < len(text):
            head, _tail = _split_text(text, index + 1)
            _insert_after(head, no_line_break())
        else:
            _insert_after(text, no_line_break())


# Where a table may be set as a long table, which breaks across pages: in the flow of a chapter, not inside a box,
# a list, a footnote or another table (LaTeX cannot break those).
FLOW = (nodes.document, nodes.section, addnodes.start_of_file, nodes.container, nodes.compound)


def breakable_tables(doctree: nodes.document) -> None:
    """Every table in the flow of the text, with its column widths known, becomes a long table (Sphinx's
    ``longtable`` class), so that a table taller than what is left of the page breaks across pages with its header
    repeated instead of running over the foot of the page. A table that follows its heading directly is kept with
    that heading (``\\zhbookkeepheadingwithtable`` before the heading)."""
    for table in list(doctree.findall(nodes.table)):
        colspecs = list(table.findall(nodes.colspec))
        if (not all(isinstance(ancestor, FLOW) for ancestor in _ancestors(table))
                or "colwidths-auto" in table["classes"] or not colspecs
                or not all(spec.get("colwidth") for spec in colspecs)):
            continue
        for name in ("longtable", "colwidths-given"):
            if name not in table["classes"]:
                table["classes"].append(name)
        section = table.parent
        if isinstance(section, nodes.section) and _opens(section, table):
            section.parent.insert(_position(section), nodes.raw("", "\\zhbookkeepheadingwithtable\n",
                                                                 format="latex"))


def _opens(section: nodes.section, node: nodes.Node) -> bool:
    """The node is the first thing under the section's title (labels and index entries aside)."""
    for child in section.children:
        if isinstance(child, (nodes.title, nodes.target, addnodes.index, nodes.comment)):
            continue
        return child is node
    return False


# --- HTML and EPUB -------------------------------------------------------------------------------------------------


def html_marks(doctree: nodes.document) -> None:
    """Each citation mark in one non-wrapping span with the character before it and the punctuation after it.
    After a link or an emphasis too long to keep whole, a WORD JOINER (U+2060) opens the mark instead."""
    closing = re.compile(f"[{re.escape(''.join(sorted(CLOSING)))}]+")
    for mark in list(doctree.findall(is_mark)):
        gathered: list[nodes.Node] = []
        before = _previous(mark)
        while isinstance(before, nodes.Text) and not str(before).strip():  # a line break of the source
            gone, before = before, _previous(before)
            gone.parent.pop(_position(gone))
        if isinstance(before, nodes.Text):
            text = str(before).rstrip()  # a space between the word and its mark goes, as in print
            last = nodes.Text(text[-1])
            before.parent[_position(before):_position(before) + 1] = [
                *([nodes.Text(text[:-1])] if text[:-1] else []), last]
            gathered.append(last)
        elif isinstance(before, nodes.Element) and len(COUNTED.findall(before.astext())) <= LONGEST_TAIL:
            gathered.append(before)
        elif before is not None:
            first = next(mark.findall(nodes.Text), None)
            if first is not None:
                first.parent[_position(first)] = nodes.Text("\u2060" + str(first))
        gathered.append(mark)
        after = mark.next_node(descend=False, siblings=True)
        if isinstance(after, nodes.Text):
            punctuation = closing.match(str(after))
            if punctuation:
                if punctuation.end() < len(after):
                    after, _rest = _split_text(after, punctuation.end())
                gathered.append(after)
        _wrap(gathered)


def _wrap(siblings: list[nodes.Node]) -> nodes.inline:
    """Put neighbouring siblings into one zh-nobreak span, where the first of them stood."""
    parent, position = siblings[0].parent, _position(siblings[0])
    del parent[position:position + len(siblings)]
    span = nodes.inline("", "", *siblings, classes=["zh-nobreak"])
    parent.insert(position, span)
    return span


def html_paragraph_ends(doctree: nodes.document) -> None:
    """A paragraph's last two characters, and what follows them, in one zh-nobreak span."""
    for paragraph in list(doctree.findall(nodes.paragraph)):
        found = last_two_characters(paragraph)
        if found is None:
            continue
        text, index = found
        # the paragraph's child that holds the character: the span starts with it, or with the character itself
        child: nodes.Node = text
        while child.parent is not paragraph:
            child = child.parent
        if child is text:
            if index:
                _head, text = _split_text(text, index)
            start = text
        else:
            start = child
            if len(COUNTED.findall(child.astext())) > LONGEST_TAIL:
                continue  # a long link or emphasis ends the paragraph: text-wrap: pretty has to do
        tail = list(paragraph.children[_position(start):])
        if len(tail) == 1 and isinstance(tail[0], nodes.inline) and "zh-nobreak" in tail[0]["classes"]:
            continue
        _wrap(tail)


def apply_breaking_rules(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """doctree-resolved, after every other extension changed the text (the handouts' references, timeline links)."""
    if app.builder.format == "latex":
        latex_breaks(doctree)
        breakable_tables(doctree)
    elif app.builder.format == "html":
        html_marks(doctree)
        html_paragraph_ends(doctree)


def setup(app: Sphinx) -> dict:
    app.add_node(no_line_break, latex=(visit_no_line_break, depart_nothing), html=(skip_node, None),
                 text=(skip_node, None))
    app.connect("config-inited", configure, priority=700)  # after zhbook.ext.latex_zh's defaults (600)
    app.connect("doctree-resolved", apply_breaking_rules, priority=950)  # after zhbook.ext.handouts (900)
    app.add_css_file(CSS_FILE)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
