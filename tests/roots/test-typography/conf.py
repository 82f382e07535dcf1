"""A small Chinese text with citation marks, to typeset with zhbook.ext.typography: its LaTeX column is exactly 20
characters wide (10 pt type, 200 pt measure, first lines indented 2 characters), so that the paragraphs below end
where their comments in index.md say."""
project = "排版测试"
author = "编写组"
copyright = "2026, 编写组"
version = release = "1"
language = "zh_CN"
extensions = ["myst_parser", "zhbook.ext.citations", "zhbook.ext.chinese_text", "zhbook.ext.typography"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "gbt7714"
bibtex_reference_style = "gbt7714"
html_theme = "basic"
latex_engine = "xelatex"
latex_documents = [("index", "typography.tex", project, author, "howto")]
latex_elements = {
    "pointsize": "10pt",
    # Sphinx sets 1 in side margins itself: 200 pt of text (20 characters) on a page 2 in wider
    "geometry": r"\usepackage[paperwidth=344.54pt,paperheight=297mm]{geometry}",
    "fontpkg": r"""
\setmainfont{Noto Serif}
\setsansfont{Noto Sans}
\setmonofont{Noto Sans Mono CJK SC}
\setCJKmainfont{Noto Serif CJK SC}
\setCJKsansfont{Noto Sans CJK SC}
\setCJKmonofont{Noto Sans Mono CJK SC}
""",
    "preamble": r"\setlength{\parindent}{2em}",
    "maketitle": "",
    "tableofcontents": "",
}
