"""This book's dated events (source/timeline.yaml) pass every check of zhbook.ext.timeline, and its 大事年表
appendix lists them. The extension's own tests are in tests/test_timeline.py."""
from __future__ import annotations

import runpy

import pytest
from sphinx.testing.util import SphinxTestApp

from outputs import REPO
from test_timeline import timeline_warnings


@pytest.fixture(scope="module")
def real_book(tmp_path_factory):
    """source/ built once with the dummy builder (reading runs every check); zhbook.ext.timeline is added when
    conf.py does not list it yet, so the book's data and prose are checked either way."""
    source = REPO / "source"
    extensions = runpy.run_path(str(source / "conf.py"))["extensions"]
    overrides = {} if "zhbook.ext.timeline" in extensions else {"extensions": [*extensions, "zhbook.ext.timeline"]}
    app = SphinxTestApp("dummy", srcdir=source, builddir=tmp_path_factory.mktemp("real-book"),
                        confoverrides=overrides)
    try:
        app.build()
        yield app
    finally:
        app.cleanup()


def test_real_book_passes_every_timeline_check(real_book):
    assert len(real_book.env.zhbook_timeline.events) >= 35  # every event is dated by a stored excerpt of one of its sources (issue 15)
    assert [w.group(0) for w in timeline_warnings(real_book)] == []


def test_real_book_renders_the_timeline_appendix(real_book):
    anchors = real_book.env.domains.standard_domain.anonlabels
    missing = [e.id for e in real_book.env.zhbook_timeline.events if f"event-{e.id}" not in anchors]
    assert missing == [], "the book has no timeline directive (source/backmatter/timeline.md)"
    assert anchors[f"event-{real_book.env.zhbook_timeline.events[0].id}"][0] == "backmatter/timeline"
