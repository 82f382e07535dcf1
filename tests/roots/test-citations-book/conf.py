"""A small book citing in GB/T 7714 顺序编码制: numbering across chapters, ranges, pages, a caption, one 参考文献."""
project = "引文测试"
author = "编写组"
copyright = "2026, 编写组"
version = release = "1"
language = "zh_CN"
extensions = ["myst_parser", "zhbook.ext.citations"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "gbt7714"
bibtex_reference_style = "gbt7714"
latex_engine = "xelatex"
latex_elements = {
    # only what xelatex needs to set Chinese here; the book's own set-up lives in zhbook.ext.latex_zh
    "fontpkg": r"""
\setmainfont{Noto Serif CJK SC}
\setsansfont{Noto Sans CJK SC}
\setmonofont{Noto Sans Mono CJK SC}
\setCJKmainfont{Noto Serif CJK SC}
\setCJKsansfont{Noto Sans CJK SC}
\setCJKmonofont{Noto Sans Mono CJK SC}
""",
}
latex_documents = [("index", "citations.tex", project, author, "manual")]
