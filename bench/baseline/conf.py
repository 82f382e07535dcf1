"""Plain Sphinx on the book's sources: the baseline the pipeline's cost is compared with (bench/run.py).

Only what the sources need to parse and XeLaTeX needs to run, nothing of the project's machinery:

- myst_parser with the two syntax extensions the chapters are written in (colon fences, definition lists);
- sphinxcontrib.bibtex with pybtex's stock ``unsrt`` style over copies of the book's bib files (bench/run.py
  turns their biblatex types and ``date`` fields into ``@misc`` with ``year``, which a stock style can format);
- sphinxcontrib.rsvgconverter, because LaTeX cannot include the SVG figures otherwise;
- CJK fonts for XeLaTeX: Sphinx's default Latin font (FreeSerif) is not installed and xeCJK has no default CJK
  font; xindy off, because it is not installed (makeindex instead, as Sphinx does without xindy).

bench/run.py copies this file next to copies of the chapters with the project's roles replaced by their text
({event} by the event's date, {date} by its text) and the project's directives (the 大事年表) removed.
"""
from pathlib import Path

project = "构建服务型政府"
language = "zh_CN"

extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinxcontrib.rsvgconverter"]
myst_enable_extensions = ["colon_fence", "deflist"]
numfig = True

bibtex_bibfiles = sorted(str(p.relative_to(Path(__file__).parent)) for p in Path(__file__).parent.glob("bib/*.bib"))
bibtex_default_style = "unsrt"

latex_engine = "xelatex"
latex_use_xindy = False
latex_documents = [("index", "baseline.tex", project, "", "manual")]
latex_elements = {
    "fontpkg": r"""
\setmainfont{Noto Serif}
\setsansfont{Noto Sans}
\setmonofont{Noto Sans Mono CJK SC}
\setCJKmainfont{Noto Serif CJK SC}
\setCJKsansfont{Noto Sans CJK SC}
\setCJKmonofont{Noto Sans Mono CJK SC}
""",
}
epub_basename = "baseline"
