"""Chinese text in the HTML and the EPUB: no stray spaces from the source's line breaks, English marked as English.

Browsers and reading systems show a line break of the source as a space, also between two Chinese characters
(LaTeX drops it, so the PDF needs nothing): such breaks are dropped, while a break between two Latin words stays a
space. English passages and English-only bibliography entries get ``lang="en"`` (WCAG 3.1.2), so that a screen
reader switches voice.
"""
from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx

from zhbook.core.chinese import CJK_CHARACTER, CJK_TEXT

# A line break in the source next to Chinese text or Chinese quotes and dashes (CJK_TEXT): a browser or reading
# system shows it as a space (only LaTeX drops it), so the EPUB drops it; between two Latin words it stays a space.
LINE_BREAK = re.compile(r"[ \t]*\n[ \t]*")
# Two or more Latin-script words in a row: a phrase or sentence in English, not a name or an abbreviation.
LATIN_WORD = r"[A-Za-z][A-Za-z'’-]*"
LATIN_PASSAGE = re.compile(rf"{LATIN_WORD}(?:[,.:;!?]*\s+{LATIN_WORD})+[.!?]?")
NOT_PROSE = (nodes.literal, nodes.literal_block, nodes.raw, nodes.math, nodes.math_block, nodes.comment)


def _in_marked_or_code(node: nodes.Node) -> bool:
    while node is not None:
        if isinstance(node, NOT_PROSE) or any(c.startswith("language-") for c in node.get("classes", [])):
            return True
        node = node.parent
    return False


def fix_chinese_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Join the source's line breaks inside Chinese text, then mark English passages ``lang="en"``."""
    if app.builder.format != "html":  # LaTeX drops such line breaks itself
        return
    for element in list(doctree.findall(nodes.TextElement)):
        if not _in_marked_or_code(element):
            for index, child in enumerate(element.children):
                if isinstance(child, nodes.Text) and "\n" in child:
                    before = element.children[index - 1].astext()[-1:] if index else ""
                    after = element.children[index + 1].astext()[:1] if index + 1 < len(element.children) else ""
                    element[index] = nodes.Text(join_chinese_lines(str(child), before, after))
    mark_english_passages(doctree)


def join_chinese_lines(text: str, before: str = "", after: str = "") -> str:
    """Drop each line break of ``text`` that has Chinese on either side (``before``/``after``: the neighbours)."""
    def join(match: re.Match) -> str:
        left = text[match.start() - 1] if match.start() else before
        right = text[match.end()] if match.end() < len(text) else after
        return "" if CJK_TEXT.match(left or " ") or CJK_TEXT.match(right or " ") else match.group()
    return LINE_BREAK.sub(join, text)


def mark_english_passages(doctree: nodes.document) -> None:
    """Mark English in the Chinese text as ``lang="en"`` (docutils writes a ``language-en`` class as lang).

    A bibliography entry without any Chinese is English as a whole; elsewhere a run of two or more Latin-script
    words is (a quotation, a title, a term such as "civil society"); single words, names and abbreviations stay.
    """
    for citation in doctree.findall(nodes.citation):
        if not CJK_CHARACTER.search(citation.astext()):
            citation["classes"].append("language-en")
    for element in list(doctree.findall(nodes.Element)):
        if _in_marked_or_code(element):
            continue
        for index in reversed(range(len(element.children))):
            text = element.children[index]
            if isinstance(text, nodes.Text) and LATIN_PASSAGE.search(text):
                element[index:index + 1] = _split_english(str(text))


def _split_english(text: str) -> list[nodes.Node]:
    pieces, start = [], 0
    for match in LATIN_PASSAGE.finditer(text):
        pieces.append(nodes.Text(text[start:match.start()]))
        pieces.append(nodes.inline(match.group(), match.group(), classes=["language-en"]))
        start = match.end()
    pieces.append(nodes.Text(text[start:]))
    return [piece for piece in pieces if piece.astext()]


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", fix_chinese_text)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
