"""zhbook.tools.publish: dist/ becomes the staging folder (or gets just the named entries of it) in one swap, with
nothing left beside it, and a missing entry publishes nothing."""
from __future__ import annotations

import os

import pytest

from zhbook.tools import publish


def tree(root):
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def stage(tmp_path):
    stage = tmp_path / "build" / "stage"
    (stage / "html").mkdir(parents=True)
    (stage / "book.pdf").write_text("new pdf", encoding="utf-8")
    (stage / "book.epub").write_text("new epub", encoding="utf-8")
    (stage / "html" / "index.html").write_text("new html", encoding="utf-8")
    return stage


@pytest.fixture
def dist(tmp_path):
    dist = tmp_path / "dist"
    (dist / "html").mkdir(parents=True)
    (dist / "book.pdf").write_text("old pdf", encoding="utf-8")
    (dist / "html" / "old.html").write_text("old html", encoding="utf-8")
    (dist / "extra.txt").write_text("kept?", encoding="utf-8")
    return dist


def test_first_publication_copies_the_stage(tmp_path, stage):
    assert publish.main([str(stage), str(tmp_path / "dist")]) == 0
    assert tree(tmp_path / "dist") == tree(stage)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "dist"]


def test_whole_publication_replaces_dist_in_one_swap(tmp_path, stage, dist):
    before = os.stat(dist).st_ino
    assert publish.main([str(stage), str(dist)]) == 0
    assert tree(dist) == tree(stage), "old entries are gone, new ones in"
    assert os.stat(dist).st_ino != before, "dist/ is a new folder swapped in, not one rewritten in place"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "dist"], "no dist.new or dist.old left"
    assert tree(stage)["book.pdf"] == "new pdf", "the stage is copied, not moved"


def test_named_entries_replace_only_themselves(tmp_path, stage, dist):
    assert publish.main([str(stage), str(dist), "book.pdf", "html"]) == 0
    assert tree(dist) == {"book.pdf": "new pdf", "html/index.html": "new html", "extra.txt": "kept?"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "dist"]


def test_a_missing_entry_publishes_nothing(tmp_path, stage, dist, capsys):
    before = tree(dist)
    assert publish.main([str(stage), str(dist), "book.pdf", "handouts"]) == 1
    assert capsys.readouterr().err == "error: nothing to publish: handouts not built\n"
    assert tree(dist) == before
    assert publish.main([str(tmp_path / "nowhere"), str(dist)]) == 1
    assert tree(dist) == before
