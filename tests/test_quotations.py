"""Quotations checked word for word against stored excerpts (zhbook.ext.quotations, issue 15).

The root tests/roots/test-quotations quotes a regulation whose excerpts are stored (in “…”, across a line break,
with an omission, and as a list given as its wording), paraphrases it in a list marked 概括, and quotes a news
report that has no stored text. Each test damages a copy of the root and expects exactly one message, naming the
file and line and saying what differs.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.util.console import strip_escape_sequences

from zhbook.ext.quotations import compare, describe, normalize

REPO = Path(__file__).resolve().parent.parent
ROOT = REPO / "tests" / "roots" / "test-quotations"


# --- comparing ------------------------------------------------------------------------------------------------------

def test_width_of_punctuation_quotation_marks_and_line_breaks_are_ignored():
    assert normalize("甲，乙：（丙）") == normalize("甲,乙:(丙)")
    assert normalize("按照“到2020年”的目标") == normalize("按照‘到2020年’的目标")
    assert normalize("政企分开、政资分开，\n建设服务型政府") == "政企分开、政资分开,建设服务型政府"
    assert normalize("are we\nforgetting") == "are we forgetting"  # between Latin words a break is a space


def test_everything_else_must_be_verbatim():
    stored = ["决策严重失误，造成重大损失或者恶劣影响的；"]
    assert compare("决策严重失误，造成重大损失或者恶劣影响的", stored) is None
    assert compare("决策严重失误,造成重大损失或者恶劣影响的", stored) is None
    assert compare("决策严重失误，造成严重损失或者恶劣影响的", stored) is not None  # one character
    assert compare("决策严重失误、造成重大损失或者恶劣影响的", stored) is not None  # 、 is not a comma
    assert compare("决策失误，造成重大损失", stored) is not None  # a word left out without ……


def test_an_ellipsis_stands_for_omitted_words_in_order():
    stored = ["甲乙丙丁戊己庚"]
    assert compare("甲乙……戊己", stored) is None
    assert compare("甲乙…戊己", stored) is None
    assert compare("戊己……甲乙", stored) is not None  # the parts must keep their order
    assert compare("甲乙……戊己", ["甲乙丙", "戊己庚"]) is not None  # … and stand in one excerpt


def test_the_difference_is_named():
    stored = ["第七条 对党政领导干部实行问责的方式分为：责令公开道歉、停职检查、引咎辞职、责令辞职、免职。"]
    assert describe(compare("责令公开道歉、停职反省", stored)) == (
        "after “责令公开道歉、停职” the quotation has “反省” where the stored text has “检查、引咎辞职、”")
    assert describe(compare("撤职查办", stored)) == "no stored excerpt contains its beginning “撤职查办”"


# --- the root, good and damaged --------------------------------------------------------------------------------------

def build(srcdir: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "dummy", "-W", "--keep-going", "-q", str(srcdir), str(tmp_path / "out")],
        capture_output=True, text=True, check=False)


def messages(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in strip_escape_sequences(result.stderr).splitlines() if "WARNING" in line]


@pytest.fixture
def root(tmp_path) -> Path:
    copy = tmp_path / "book"
    shutil.copytree(ROOT, copy)
    return copy


def damage(path: Path, old: str, new: str) -> int:
    """Replace *old* by *new* once; the line of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def assert_one_message(result, expected: str) -> None:
    assert result.returncode != 0, "the build succeeded despite the damage"
    assert "Traceback" not in result.stderr, result.stderr
    assert messages(result) == [expected]


def test_good_root_builds_without_warnings(root, tmp_path):
    result = build(root, tmp_path)
    assert result.returncode == 0, result.stderr
    assert messages(result) == []


def test_one_wrong_character_in_a_quotation(root, tmp_path):
    line = damage(root / "index.md", "造成重大损失或者恶劣影响的”", "造成严重损失或者恶劣影响的”")
    assert_one_message(build(root, tmp_path), (
        f"{root / 'index.md'}:{line}: WARNING: quotation “决策严重失误，造成严重损失或者恶劣影响的” is not verbatim in the "
        "stored text of regulation (book/excerpts/regulation.yaml): after “决策严重失误,造成” the quotation has "
        "“严重损失或者恶劣” where the stored text has “重大损失或者恶劣” [quotation.text]"))


def test_a_quotation_over_two_lines_is_reported_at_its_first_line(root, tmp_path):
    line = damage(root / "index.md", "连续发生重大事故……", "连续发生重大案件……")  # on the second line
    result = build(root, tmp_path)
    (message,) = messages(result)
    assert message.startswith(f"{root / 'index.md'}:{line - 1}: WARNING: quotation “因工作失职，致使本地区")
    assert message.endswith("after “短时间内连续发生重大” the quotation has “案件” where the stored text has "
                            "“事故、事件、案件” [quotation.text]")


def test_a_list_given_as_the_documents_wording(root, tmp_path):
    line = damage(root / "index.md", "- 停职检查；", "- 停职反省；")
    assert_one_message(build(root, tmp_path), (
        f"{root / 'index.md'}:{line}: WARNING: list item “停职反省” is given as the wording of regulation "
        "(book/excerpts/regulation.yaml), which it is not: after “停职” the quotation has “反省” where the stored "
        "text has “检查、引咎辞职、” (if the list paraphrases, say 概括 in its lead-in) [quotation.list]"))


def test_a_paraphrase_marked_as_such_is_free(root, tmp_path):
    damage(root / "index.md", "- 弄虚作假的，从重。", "- 弄虚作假、隐瞒真相的，一律从重处理。")
    assert messages(build(root, tmp_path)) == []


def test_a_list_without_the_mark_is_checked(root, tmp_path):
    line = damage(root / "index.md", "概括如下{cite}`regulation`：", "原文如下{cite}`regulation`：")
    result = build(root, tmp_path)
    (message,) = messages(result)
    assert message.startswith(f"{root / 'index.md'}:{line + 2}: WARNING: list item “弄虚作假的，从重”")


def test_a_source_without_stored_text_is_not_checked(root, tmp_path):
    damage(root / "index.md", "“近日印发”", "“日前印发”")
    assert messages(build(root, tmp_path)) == []


@pytest.mark.parametrize("old, new, line, message", [
    ("document: regulation", "document: no-such-key", 1,
     "document 'no-such-key' is not a key in the bib files [quotation.file]"),
    ("  - page: 12\n", "  - note: 无出处\n", 9, "the excerpt says neither where it was read (url) nor its page "
                                                 "[quotation.file]"),
    ("    read: 2026-11-30\n", "", 3, "an excerpt read online gives the day it was read, read: YYYY-MM-DD "
                                      "[quotation.file]"),
    ("excerpts:\n", "excerpts: [\n", 3, "not valid YAML"),
])
def test_a_malformed_excerpt_file_is_reported_at_its_line(root, tmp_path, old, new, line, message):
    damage(root / "excerpts" / "regulation.yaml", old, new)
    result = build(root, tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    found = messages(result)
    assert found and found[0].startswith(f"{root / 'excerpts' / 'regulation.yaml'}:{line}: WARNING: "), found
    assert message in found[0]


def test_an_overlong_excerpt_is_refused(root, tmp_path):
    path = root / "excerpts" / "regulation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("免职。\n", "免职。" + "问责" * 600 + "\n"), encoding="utf-8")
    (message,) = messages(build(root, tmp_path))
    assert re.search(r"regulation\.yaml:\d+: WARNING: the excerpt has \d+ characters; keep it to the quoted passage",
                     message)


def test_a_quotation_in_the_timeline_is_checked_at_its_line(root, tmp_path):
    line = damage(root / "timeline.yaml", "“决策严重失误，造成重大损失", "“决策严重失误，造成特大损失")
    assert_one_message(build(root, tmp_path), (
        f"{root / 'timeline.yaml'}:{line}: WARNING: quotation “决策严重失误，造成特大损失或者恶劣影响的” is not verbatim in "
        "the stored text of dispatch (book/excerpts/dispatch.yaml), regulation (book/excerpts/regulation.yaml): "
        "after “决策严重失误,造成” the quotation has “特大损失或者恶劣” where the stored text has “重大损失或者恶劣” "
        "[quotation.text]"))


def test_timeline_evidence_must_be_in_its_sources_stored_text(root, tmp_path):
    line = damage(root / "timeline.yaml", "text: 新华社北京7月12日电 中共中央办公厅、国务院办公厅日前印发",
                  "text: 新华社北京7月12日电 中共中央办公厅、国务院办公厅近日印发")
    assert_one_message(build(root, tmp_path), (
        f"{root / 'timeline.yaml'}:{line}: WARNING: event 'regulation-published': the evidence “新华社北京7月12日电 "
        "中共中央办公厅、国务院办…” is not in the stored text of dispatch (book/excerpts/dispatch.yaml): after "
        "“办公厅、国务院办公厅” the quotation has “近日印发” where the stored text has “日前印发了《关于” [quotation.evidence]"))
