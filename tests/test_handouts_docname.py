"""zhbook.ext.handouts finds the chapter of each handout by its docname, not by comparing title strings."""
from __future__ import annotations

import re

import pytest

from zhbook.ext.handouts import HandoutsBuilder


def chapter_counter(tex: str) -> int:
    """The chapter number a handout's .tex sets (\\setcounter{chapter}{N - 1})."""
    (counter,) = re.findall(r"\\setcounter\{chapter\}\{(\d+)\}", tex)
    return int(counter) + 1


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767268800")


@pytest.mark.sphinx("handouts", testroot="handouts-same-title")
def test_each_handout_is_its_own_chapter(epoch, app):
    app.build()
    assert app.warning.getvalue() == ""
    first, second = ((app.outdir / name).read_text(encoding="utf-8") for name in ("first.tex", "second.tex"))
    assert (chapter_counter(first), chapter_counter(second)) == (1, 2)
    assert "第一章的案例" in first and "第二章的案例" not in first
    assert "第二章的案例" in second and "第一章的案例" not in second


@pytest.mark.sphinx("handouts", testroot="handouts-same-title")
def test_two_handouts_with_one_title_keep_their_own_chapter(epoch, app, monkeypatch):
    """Both chapters are titled 案例; give both handouts one document title as well (as a title without the
    chapter number would): the second handout still sets 第二章, where a lookup by title found the first."""
    original = HandoutsBuilder.init_document_data

    def one_title(self):
        original(self)
        self.document_data = [(docname, target, "讲义", *rest) for docname, target, _title, *rest in self.document_data]

    monkeypatch.setattr(HandoutsBuilder, "init_document_data", one_title)
    app.build()
    second = (app.outdir / "second.tex").read_text(encoding="utf-8")
    assert chapter_counter(second) == 2
