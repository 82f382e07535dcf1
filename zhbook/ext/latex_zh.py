"""Chinese LaTeX set-up: fonts, 16开 page, Chinese furniture, title and copyright pages, front/main/back matter.

This module owns everything that makes Sphinx's LaTeX output a Chinese book:

- XeLaTeX with ctex (names 目录, 参考文献, 索引, 图, 表; 五号 body text) instead of babel *english*;
- Noto Serif CJK SC for the body, Noto Sans CJK SC for headings, Noto Serif/Sans for Latin text, one place only;
- the 16开 page (zhbook.core.page_geometry.BOOK), two-sided, chapters opening on a right-hand page, blank versos really blank;
- chapter heads 第一章 …, running heads 第一章 标题 / 1.2 标题, no build date and no English anywhere;
- a title page and a 版权页 made from the book metadata file: the CIP block and the 版本记录, whose measured
  figures (印张, 字数) :mod:`zhbook.tools.catalog.imprint` fills in after XeLaTeX set the book;
- ``\\frontmatter`` / ``\\mainmatter`` / ``\\backmatter``: documents before the numbered toctree are front matter
  (the preface), documents after it are back matter (timeline, glossary, references, index);
- PDF document info and XMP metadata (title, authors, subject, keywords, language).

Settings a project already made in conf.py win over these defaults.
"""
from __future__ import annotations

import os

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform

from zhbook.tools import catalog
from zhbook.tools.catalog import imprint
from zhbook.tools.catalog.cip import latex_escape
from zhbook.core import page_geometry
from zhbook import metadata as book_metadata


# The one place where the book's faces are named.
FONTS = r"""
\setmainfont{Noto Serif}
\setsansfont{Noto Sans}
\setmonofont{Noto Sans Mono CJK SC}[Scale=0.9]
\setCJKmainfont{Noto Serif CJK SC}[BoldFont={Noto Sans CJK SC Bold}, ItalicFont={Noto Serif CJK SC}]
\setCJKsansfont{Noto Sans CJK SC}[BoldFont={Noto Sans CJK SC Bold}, ItalicFont={Noto Sans CJK SC}]
\setCJKmonofont{Noto Sans Mono CJK SC}
"""


PREAMBLE = r"""
\usepackage{titletoc}
\usepackage{caption}
% A missing glyph is an error, not a silent hole in the page (the build also checks the log).
\tracinglostchars=2
\xeCJKsetup{CJKecglue={\hskip 0.25em plus 0.1em minus 0.05em}}
\linespread{1.35}\selectfont
\setlength{\parindent}{2em}
\setlength{\parskip}{0pt plus 1pt}
\makeatletter
% Chapter heads: 第一章 on one line, the title below, both centred, in the heading face.
\titleformat{\chapter}[display]{\centering\sffamily\bfseries}%
  {\Large\ifnum\c@secnumdepth>\m@ne\if@mainmatter 第\zhnumber{\thechapter}章\fi\fi}{2ex}{\LARGE}
\titlespacing*{\chapter}{0pt}{24pt}{30pt}
% The table of contents names chapters as the book does: 第一章 标题.
\titlecontents{chapter}[0pt]{\addvspace{0.8ex}\sffamily\bfseries}%
  {第\zhnumber{\thecontentslabel}章\quad}{}{\hfill\contentspage}
% Cross-references upright (Sphinx sets them in italics, which would slant the digits of 2008年3月18日).
\renewcommand{\sphinxcrossref}[1]{#1}
% Captions as Chinese books set them: 表 1.1 标题, no colon.
\captionsetup{labelsep=quad,font=small}
\titleformat{\section}{\Large\sffamily\bfseries}{\thesection}{1em}{}
\titleformat{\subsection}{\large\sffamily\bfseries}{\thesubsection}{1em}{}
\titleformat{\subsubsection}{\normalsize\sffamily\bfseries}{\thesubsubsection}{1em}{}
% Running heads: chapter on the left page, section on the right page, Chinese numbering.
\renewcommand{\chaptermark}[1]{\markboth{\ifnum\c@secnumdepth>\m@ne\if@mainmatter
  第\zhnumber{\thechapter}章\quad\fi\fi #1}{\ifnum\c@secnumdepth>\m@ne\if@mainmatter
  第\zhnumber{\thechapter}章\quad\fi\fi #1}}
\renewcommand{\sectionmark}[1]{\markright{\thesection\quad #1}}
\fancypagestyle{normal}{%
  \fancyhf{}%
  \fancyhead[LE]{\small\sffamily\leftmark}%
  \fancyhead[RO]{\small\sffamily\rightmark}%
  \fancyfoot[LE,RO]{\small\thepage}%
  \renewcommand{\headrulewidth}{0.4pt}%
  \renewcommand{\footrulewidth}{0pt}}
\fancypagestyle{plain}{%
  \fancyhf{}%
  \fancyfoot[LE,RO]{\small\thepage}%
  \renewcommand{\headrulewidth}{0pt}%
  \renewcommand{\footrulewidth}{0pt}}
% Sections of the front and back matter (the preface's, say) carry no number, as in the HTML: no "0.1".
\g@addto@macro\frontmatter{\setcounter{secnumdepth}{-1}}
\g@addto@macro\mainmatter{\setcounter{secnumdepth}{2}}
\g@addto@macro\backmatter{\setcounter{secnumdepth}{-1}}
% A blank verso before a chapter carries no head and no folio.
\renewcommand{\cleardoublepage}{\clearpage\if@twoside\ifodd\c@page\else
  \hbox{}\thispagestyle{empty}\newpage\if@twocolumn\hbox{}\newpage\fi\fi\fi}
\makeatother
"""


def title_pages(book: book_metadata.BookMetadata, metadata_relative: str = "") -> str:
    """The title page (recto) and the 版权页 (verso) as LaTeX, from the metadata file only.

    The 版权页 carries the CIP block made by :mod:`zhbook.tools.catalog`, the same code that writes ``cip.txt``,
    and the 版本记录 of :mod:`zhbook.tools.catalog.imprint`: its 开本, 印张 and 字数 are measured on the set book,
    so the page asks for them (``metadata_relative``: the metadata file, relative to the LaTeX output folder)
    and prints the measured 版本记录 once ``zhbook.tools.texrun`` has written it.
    """
    e = latex_escape
    subtitle = rf"{{\Large {e(book.subtitle)}\par}}\vspace{{2em}}" if book.subtitle else ""
    # The publisher line is left out when the publisher is the author (a course team publishing itself).
    publisher = "" if book.publisher in {c.name for c in book.creators} else rf"{{\large {e(book.publisher)}\par}}"
    cip = "{\\small " + catalog.cip_latex(book) + "}\n\\noindent\\rule{\\linewidth}{0.4pt}\\par\\medskip"
    request = imprint.request_line(metadata_relative) if metadata_relative else ""
    return rf"""
\begin{{titlepage}}
\centering\sffamily
\vspace*{{50mm}}
{{\fontsize{{32pt}}{{40pt}}\selectfont\bfseries {e(book.title)}\par}}
\vspace{{1.5em}}
{subtitle}
\vfill
{{\Large {e(book.authors_line)}\par}}
\vspace{{12mm}}
{publisher}
\vspace*{{15mm}}
\end{{titlepage}}
\thispagestyle{{empty}}
\vspace*{{\fill}}
{cip}
\begin{{flushleft}}\small
{request}{imprint.page_latex(book)}\par\medskip
{e(book.rights)}\par
\end{{flushleft}}
\clearpage
"""


def configure_latex(app: Sphinx, config: Config) -> None:
    """Fill in the LaTeX settings of a Chinese book unless conf.py set them itself."""
    book = book_metadata.load(book_metadata.metadata_path(app.confdir, config))
    e = latex_escape
    hyper = (rf"\hypersetup{{pdftitle={{{e(book.title)}}}, pdfauthor={{{e(book.authors_line)}}}, "
             rf"pdfsubject={{{e('；'.join(book.subjects))}}}, pdfkeywords={{{e('，'.join(book.keywords))}}}, "
             rf"pdflang={{{book.language}}}, pdfcreator={{zhbook}}, pdfproducer={{XeLaTeX}}, "
             r"bookmarksnumbered=true, bookmarksopen=true, colorlinks=true, linkcolor=black, citecolor=black, "
             r"urlcolor=black}")
    defaults = {
        "papersize": "",
        "pointsize": "10pt",
        "extraclassoptions": "openright,twoside",
        "babel": "",
        "fontenc": r"\usepackage[UTF8,scheme=chinese,heading=false,fontset=none,zihao=5]{ctex}",
        "fontpkg": FONTS,
        "fncychap": "",
        "geometry": page_geometry.BOOK.latex(),
        "preamble": PREAMBLE,
        "hyperref": r"\usepackage{hyperref}" "\n" r"\usepackage{hypcap}" "\n" + hyper,
        # The title and copyright pages open the front matter, so that their page labels are i and ii and no
        # label repeats in the PDF (a reader's "go to page 1" and the EPUB's page list mean chapter one).
        "maketitle": r"\frontmatter" + title_pages(book, metadata_relative(app, config)),
        # Sphinx names the contents after the first toctree's caption; the book's contents are 目录.
        "tableofcontents": r"\pagestyle{normal}\renewcommand{\contentsname}{目录}\setcounter{tocdepth}{1}"
                           r"\tableofcontents"
                           r"\cleardoublepage",
        "releasename": "",
        "sphinxsetup": "HeaderFamily=\\sffamily\\bfseries, TitleColor={rgb}{0,0,0}, InnerLinkColor={rgb}{0,0,0}",
        "printindex": r"\printindex",
    }
    elements = dict(defaults)
    elements.update(config.latex_elements or {})
    config.latex_elements = elements
    config.latex_engine = "xelatex"
    config.latex_docclass = config.latex_docclass or {"manual": "book"}
    config.latex_use_xindy = False
    config.latex_show_urls = "no"
    config.latex_show_pagerefs = False
    if not config.latex_documents or config.latex_documents[0][1] != f"{book.slug}.tex":
        config.latex_documents = [(config.root_doc, f"{book.slug}.tex", book.title, book.authors_line, "manual")]


def metadata_relative(app: Sphinx, config: Config) -> str:
    """The metadata file as seen from the LaTeX output folder (a copy of the project finds its own)."""
    path = book_metadata.metadata_path(app.confdir, config)
    return os.path.relpath(path, app.outdir).replace(os.sep, "/")


class MatterDivisions(SphinxPostTransform):
    """Insert ``\\mainmatter`` before the first numbered chapter and ``\\backmatter`` after the last one.

    Documents the numbered toctree holds are the main matter; those before it are front matter (the preface) and
    those after it back matter, so their chapters carry no number in the PDF, as in the HTML.
    """

    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        numbered = self.env.toc_secnumbers
        files = list(self.document.findall(lambda n: n.__class__.__name__ == "start_of_file"))
        flags = [bool(numbered.get(f["docname"])) for f in files]
        if True not in flags:
            return
        first = flags.index(True)
        last = len(flags) - 1 - flags[::-1].index(True)
        files[first].insert(0, nodes.raw("", "\\mainmatter\n", format="latex"))
        if last + 1 < len(files):
            files[last + 1].insert(0, nodes.raw("", "\\backmatter\n", format="latex"))


def setup(app: Sphinx) -> dict:
    book_metadata.add_config_value(app)
    app.connect("config-inited", configure_latex, priority=600)
    app.add_post_transform(MatterDivisions)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
