"""MyST markup that the parser left as text, found while Sphinx reads a document, at its file and line.

A role with its closing backtick missing (``{cite}`key。``) is not an error to MyST: it is text, and the build
would print ``{cite}`key。`` in every edition. What this Sphinx extension owns: after each document is read, its
text (alt text included) is searched for

- a role printed as text: ``{name}`` followed by a backtick;
- a directive fence printed as text: ```` ```{name} ````, ``~~~{name}``, ``:::{name}``;
- a role name left in front of code: ``{name}`` right before an inline literal (``{ref} `label```, a space
  between the two).

Each is a warning of type ``zhbook.markup`` at the line that holds it, so ``-W`` stops the build there.
:mod:`zhbook.tools.output_scan` makes the same search in the rendered outputs, for whatever gets past this one.
"""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from zhbook.tools import inputs

logger = logging.getLogger(__name__)

ROLE = re.compile(r"\{[A-Za-z][\w.:+-]*\}`")
FENCE = re.compile(r"(?:`{2,}|~{3,}|:{2,})\s*\{[A-Za-z][\w.:+-]*\}")  # a fence, or one that lost a character
ROLE_AT_END = re.compile(r"\{[A-Za-z][\w.:+-]*\}\s?$")
INVISIBLE = (nodes.comment, nodes.raw, nodes.substitution_definition)


def _located(node: nodes.Node) -> nodes.Node | None:
    while node is not None and not node.line:
        node = node.parent
    return node


def _source_lines(app: Sphinx, source: str, cache: dict) -> list[str]:
    if source not in cache:
        try:
            cache[source] = inputs.decode(Path(source)).split("\n")
        except (inputs.InputError, OSError):
            cache[source] = []
    return cache[source]


def _line_of(app: Sphinx, node: nodes.Node, needle: str, cache: dict) -> tuple[str | None, int | None]:
    """The file and line of ``needle``: the first line that holds it from the node's located ancestor on, else
    from the top (inside some directives docutils counts lines from the directive's content, past the file's end)."""
    anchor = _located(node)
    if anchor is None:
        return None, None
    lines = _source_lines(app, anchor.source or "", cache)
    first = anchor.line or 1
    for start in (max(first - 1, 0), 0):
        for number in range(start, len(lines)):
            if needle in lines[number]:
                return anchor.source, number + 1
    return anchor.source, max(1, min(first, len(lines)))


def find_stray_markup(doctree: nodes.document) -> list[tuple[nodes.Node, str, str, str]]:
    """(node, the markup, its kind, the text as printed from it on) for every piece of markup left as text."""
    found = []
    for text in doctree.findall(nodes.Text):
        if any(isinstance(ancestor, INVISIBLE) for ancestor in _ancestors(text)):
            continue
        value = str(text)
        for pattern, kind in ((ROLE, "role"), (FENCE, "directive")):
            for match in pattern.finditer(value):
                found.append((text, match.group(), kind, value[match.start():match.start() + 40].split("\n")[0]))
        match = ROLE_AT_END.search(value)
        following = _next_sibling(text)
        if match and isinstance(following, nodes.literal):
            found.append((text, match.group().strip(), "role before code", match.group() + following.astext()[:30]))
    for image in doctree.findall(nodes.image):
        alt = image.get("alt") or ""
        for pattern in (ROLE, FENCE):
            for match in pattern.finditer(alt):
                found.append((image, match.group(), "alt", alt[match.start():match.start() + 40]))
    return found


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def _next_sibling(node: nodes.Node) -> nodes.Node | None:
    parent = node.parent
    if parent is None:
        return None
    index = parent.index(node)
    return parent[index + 1] if index + 1 < len(parent) else None


MESSAGES = {
    "role": "MyST markup left as text: {shown} (a role needs a backtick on both sides of its content, "
            "{{cite}}`key`, and a fence around it must be closed)",
    "directive": "MyST markup left as text: {shown} (a directive fence is three backticks or colons at the start of "
                 "its own line)",
    "role before code": "MyST role {markup} left as text in front of code ({shown}): nothing may stand between "
                        "a role's name and its backtick",
    "alt": "MyST markup in alt text, which is printed as written: {shown}",
}


def check_document(app: Sphinx, doctree: nodes.document) -> None:
    cache: dict = {}
    for node, markup, kind, shown in find_stray_markup(doctree):
        needle = markup if kind != "alt" else shown[:20]
        source, line = _line_of(app, node, needle, cache)
        location = node
        if source:  # Sphinx reads a location's file and line from a node: one that stands for the exact line
            location = nodes.inline()
            location.source, location.line = source, line
        logger.warning(MESSAGES[kind].format(markup=markup, shown=shown.strip()), location=location,
                       type="zhbook", subtype="markup")


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", check_document)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
