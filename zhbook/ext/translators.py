"""One HTML translator, composed of the mixins of every extension that changes how a node is written.

Sphinx keeps one translator class per builder, and ``app.set_translator`` replaces whatever another extension set
before it, silently. An extension that changes how some nodes are written in the HTML and the EPUB (the book's
section numbers, the ARIA markup) registers a *mixin* here instead, a class with no base that overrides a few
``visit_``/``depart_`` methods and calls ``super()``. When a builder that writes HTML starts, the mixins are
stacked, in the order they were registered, on top of the translator the builder would otherwise use (Sphinx's
own, or one another extension set), so every mixin sees the others' output and none is lost.
"""
from __future__ import annotations

from weakref import WeakKeyDictionary

from sphinx.application import Sphinx

_MIXINS: WeakKeyDictionary[Sphinx, list[type]] = WeakKeyDictionary()


def add_translator_mixin(app: Sphinx, mixin: type) -> None:
    """Register ``mixin`` for every builder that writes HTML (html, dirhtml, singlehtml, epub …); once per app."""
    mixins = _MIXINS.setdefault(app, [])
    if mixin not in mixins:
        mixins.append(mixin)
    if len(mixins) == 1:
        app.connect("builder-inited", compose_translator, priority=900)


def compose_translator(app: Sphinx) -> None:
    """Give the builder a translator class that is its own with every registered mixin on top (the last
    registered outermost). Safe to run again on the same application (a warm preview re-runs builder-inited)."""
    if app.builder.format != "html":
        return
    current = app.registry.get_translator_class(app.builder)
    base = getattr(current, "zhbook_composed_from", current)
    mixins = _MIXINS.get(app, [])
    if not mixins:
        return
    bases = (*reversed(mixins), base)
    name = "".join(m.__name__ for m in reversed(mixins)) + base.__name__
    composed = type(name, bases, {"zhbook_composed_from": base, "__module__": __name__})
    app.set_translator(app.builder.name, composed, override=True)

