"""A small Chinese document whose boxes, tables and headings meet page feet, to typeset with zhbook.ext.typography:
a page of 300 pt text height (Sphinx's own 1 in margins on a 444 pt sheet), 30 characters to the line. The
paragraphs of index.md are as long as they need to be to bring each case to a page foot."""
project = "分页测试"
author = "编写组"
copyright = "2026, 编写组"
version = release = "1"
language = "zh_CN"
extensions = ["myst_parser", "zhbook.ext.typography"]
myst_enable_extensions = ["colon_fence"]
numfig = True
latex_engine = "xelatex"
latex_documents = [("index", "pages.tex", project, author, "howto")]
latex_elements = {
    "pointsize": "10pt",
    "geometry": r"\usepackage[paperwidth=444.54pt,paperheight=444.54pt]{geometry}",
    "fontpkg": r"""
\setmainfont{Noto Serif}
\setsansfont{Noto Sans}
\setmonofont{Noto Sans Mono CJK SC}
\setCJKmainfont{Noto Serif CJK SC}[BoldFont={Noto Sans CJK SC Bold}]
\setCJKsansfont{Noto Sans CJK SC}[BoldFont={Noto Sans CJK SC Bold}]
\setCJKmonofont{Noto Sans Mono CJK SC}
""",
    # a running head and a folio in small type on every page, as the book's (the checker leaves them out)
    "preamble": r"""\setlength{\parindent}{2em}
\fancypagestyle{normal}{\fancyhf{}\fancyhead[R]{\small 分页测试}\fancyfoot[R]{\small\thepage}}
\fancypagestyle{plain}{\fancyhf{}\fancyhead[R]{\small 分页测试}\fancyfoot[R]{\small\thepage}}
""",
    "maketitle": "",
    "tableofcontents": "",
}
