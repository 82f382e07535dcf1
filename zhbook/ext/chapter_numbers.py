"""Chapter and section numbers as a Chinese book prints them: 第二章 for a chapter, 2.1 for a section.

The PDF sets them in LaTeX (:mod:`zhbook.ext.latex_zh`, ``\\zhnumber``); this module owns the spelling everywhere else:

- :func:`section_label` (with :func:`zhbook.core.chinese.chinese_number`), shared by the LaTeX set-up and the
  handouts;
- in the HTML and the EPUB, headings, tables of contents, the sidebar and the previous/next links read
  “第二章　政策过程” and “2.1　议程设置” instead of Sphinx's “2. …” and “2.1. …”;
- the EPUB's navigation document (what a reader's table of contents shows) carries the same numbers, which
  Sphinx leaves out of it altogether.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from zhbook.ext.translators import add_translator_mixin

from zhbook.core.chinese import chinese_number

# Between the number and the title: an ideographic space, as Chinese books set 第二章　标题.
NUMBER_SEPARATOR = "\u3000"


def section_label(numbers: tuple[int, ...] | list[int]) -> str:
    """(2,) → 第二章, (2, 1) → 2.1, (2, 1, 3) → 2.1.3."""
    if len(numbers) == 1:
        return f"第{chinese_number(numbers[0])}章"
    return ".".join(map(str, numbers))


class ChineseNumbering:
    """Mixin for the HTML5 translator (:mod:`zhbook.ext.translators`): the book's section labels in headings and
    in toctree entries."""

    def add_secnumber(self, node: nodes.Element) -> None:
        numbers = self.get_secnumber(node)
        if numbers:
            self.body.append(f'<span class="section-number">{section_label(numbers)}{NUMBER_SEPARATOR}</span>')

    def visit_reference(self, node: nodes.Element) -> None:
        numbers = node.attributes.pop("secnumber", None)
        try:
            super().visit_reference(node)
        finally:
            if numbers:
                node["secnumber"] = numbers
        if numbers:
            self.body.append(f"{section_label(numbers)}{NUMBER_SEPARATOR}")


def numbered_nav_entries(env, entries: list[dict], out_suffix: str) -> list[dict]:
    """Prefix each EPUB navigation entry (Sphinx's ``refnodes``) with its section label, where it has one."""
    for entry in entries:
        refuri = entry["refuri"]
        page, _, anchor = refuri.partition("#")
        if not page.endswith(out_suffix):
            continue
        numbers = env.toc_secnumbers.get(page.removesuffix(out_suffix), {}).get(f"#{anchor}" if anchor else "")
        if numbers:
            entry["text"] = f"{section_label(numbers)}{NUMBER_SEPARATOR}{entry['text']}"
    return entries


def setup(app: Sphinx) -> dict:
    add_translator_mixin(app, ChineseNumbering)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
