"""The 术语表: terms in pinyin order, each defined once and referenced at least once.

- A ``glossary`` with the ``:sorted:`` option is put in pinyin order (Sphinx would sort it by code point); in
  one without it, a term out of pinyin order is a warning at its line that says where it belongs.
- A term defined twice is already a warning of Sphinx's standard domain ("duplicate term description").
- A term that no ``{term}`` in another document refers to is a warning at the line of its definition: each
  term of the 术语表 is there because the chapters use it.

The sort key is that of the index (``zhbook.ext.index.pinyin``). The ``glossary`` directive is Sphinx's, registered
again (``add_directive_to_domain``) only to give its terms their real line numbers in MyST files: MyST numbers a
directive's content lines from 0, so Sphinx's term locations (and its duplicate-term warning) pointed near the top
of the file.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, cast

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.domains.std import Glossary
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from zhbook.ext.index.pinyin import readings_of

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

# env attributes: docname -> [(term, line)] of the terms it defines, docname -> lower-cased {term} targets
TERMS = "zhbook_glossary_terms"
REFERENCES = "zhbook_glossary_references"


class MystLinesGlossary(Glossary):
    """Sphinx's glossary directive, with the content lines of a MyST document counted from the top of the file."""

    def run(self) -> list[nodes.Node]:
        if not type(self.state_machine).__module__.startswith("myst_parser"):
            return super().run()
        # MyST: lineno is the 1-based line of the opening fence, content_offset the lines from there to the
        # content, and the content's own line offsets start at 0.
        first_line = self.lineno + self.content_offset + 1
        items = [(source, first_line + offset) for source, offset in self.content.items]
        self.content = StringList(list(self.content), items=items)
        # A definition is parsed with the line of its first item, which MyST counts from the directive again:
        # give it back the offset MyST expects, or its messages land lines past the end of the file.
        state = self.state
        parse = state.nested_parse
        state.nested_parse = lambda block, offset, *args, **kwargs: parse(block, offset - first_line, *args, **kwargs)
        try:
            return super().run()
        finally:
            del state.nested_parse


def _first_term(item: nodes.definition_list_item) -> nodes.term:
    return cast("nodes.term", item[0])


class PinyinGlossary(SphinxTransform):
    """Sort ``:sorted:`` glossaries by pinyin, check the order of the others, and note terms and references."""

    default_priority = 501  # after Sphinx's GlossarySorter (500), hence after translation

    def apply(self, **kwargs: object) -> None:
        docname = self.env.current_document.docname
        terms = getattr(self.env, TERMS).setdefault(docname, [])
        for glossary in self.document.findall(addnodes.glossary):
            definition_list = cast("nodes.definition_list", glossary[0])
            if glossary["sorted"]:
                readings = readings_of(self.config.pinyin_index_readings)
                definition_list[:] = sorted(
                    definition_list, key=lambda item: readings.sort_key(_first_term(item).astext()))
            else:
                self._check_order(definition_list)
            for term in definition_list.findall(nodes.term):
                terms.append((term.astext(), term.line))
        references = getattr(self.env, REFERENCES).setdefault(docname, set())
        for xref in self.document.findall(addnodes.pending_xref):
            if xref.get("refdomain") == "std" and xref.get("reftype") == "term":
                references.add(xref["reftarget"].lower())

    def _check_order(self, definition_list: nodes.definition_list) -> None:
        readings = readings_of(self.config.pinyin_index_readings)
        items = list(definition_list)
        for previous, item in zip(items, items[1:]):
            before, term = _first_term(previous).astext(), _first_term(item).astext()
            if readings.sort_key(term) < readings.sort_key(before):
                logger.warning(
                    "glossary term %r (%s) is out of pinyin order: it belongs before %r (%s)",
                    term,
                    readings.reading(term),
                    before,
                    readings.reading(before),
                    location=_first_term(item),
                    type="zhbook",
                    subtype="glossary",
                )


def _init_env(app: Sphinx) -> None:
    for name in (TERMS, REFERENCES):
        if not hasattr(app.env, name):
            setattr(app.env, name, {})


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for name in (TERMS, REFERENCES):
        getattr(env, name, {}).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
    for name in (TERMS, REFERENCES):
        mine, theirs = getattr(env, name), getattr(other, name, {})
        mine.update({docname: theirs[docname] for docname in docnames if docname in theirs})


def _check_references(app: Sphinx, env: BuildEnvironment) -> None:
    references: dict[str, set[str]] = getattr(env, REFERENCES, {})
    for docname, terms in sorted(getattr(env, TERMS, {}).items()):
        used = set().union(*(targets for other, targets in references.items() if other != docname))
        for term, line in terms:
            if term.lower() not in used:
                logger.warning(
                    "glossary term %r is not referenced: link at least one use in the chapters with {term}`%s`",
                    term,
                    term,
                    location=(docname, line),
                    type="zhbook",
                    subtype="glossary",
                )


def setup(app: Sphinx) -> dict:
    app.setup_extension("zhbook.ext.index.pinyin")
    app.add_directive_to_domain("std", "glossary", MystLinesGlossary, override=True)
    app.add_transform(PinyinGlossary)
    app.connect("builder-inited", _init_env)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check_references)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
