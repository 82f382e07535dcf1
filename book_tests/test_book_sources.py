"""A slip in the book's sources stops `make` with one message at its file and line, and dist/ stays as it was
(issue 15).

Each test damages one thing in a throwaway copy of the real book (with its build/ and dist/) and runs `make` as
an editor would: a quotation that is no longer word for word in its document's stored excerpts, a timeline date
that differs from the date its evidence states, and evidence that names a key which is not one of the event's
sources. The build must fail with exactly one message — the file, the line and what differs — and no Python
traceback, and the copy's dist/ must not change.
"""
import os
import re
import subprocess

import pytest

from bookcopy import make, tree_digest, warnings
from outputs import CHAPTER1, DIST, PDF, REPO, copy_project, require

EPOCH = os.environ.get("SOURCE_DATE_EPOCH") or subprocess.run(
    ["git", "log", "-1", "--format=%ct"], cwd=REPO, capture_output=True, text=True).stdout.strip() or "0"
TIMELINE = "source/timeline.yaml"


@pytest.fixture
def book(tmp_path):
    require(PDF)
    require(DIST / ".complete")
    return copy_project(tmp_path / "book", with_build=True)


def damage(path, old, new):
    """Replace the one occurrence of ``old``; return the line it is on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the test expects {old!r} once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def build_fails_with(book, message):
    """`make` fails with exactly ``message`` as its one warning, no traceback, and dist/ unchanged."""
    before = tree_digest(book / "dist")
    result = make(book, "all", env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode != 0, "the build succeeded despite the damage"
    assert warnings(result) == [message], result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-3000:]
    assert tree_digest(book / "dist") == before, "a failed build changed dist/"


def test_a_quotation_that_differs_from_its_document(book):
    chapter = book / CHAPTER1
    line = damage(chapter, "“加快行政管理体制改革，建设服务型政府”", "“加快行政管理体制改革，建设服务性政府”")
    build_fails_with(book, f"{chapter}:{line}: WARNING: quotation “加快行政管理体制改革，建设服务性政府” is not "
                           "verbatim in the stored text of cpc17-report (bib/excerpts/cpc17-report.yaml): after "
                           "“理体制改革,建设服务” the quotation has “性政府” where the stored text has “型政府\"。” "
                           "[quotation.text]")


def test_a_timeline_date_the_evidence_contradicts(book):
    timeline = book / TIMELINE
    text = timeline.read_text(encoding="utf-8")
    assert re.search(r'^- id: approval-reform-1806-items\n  date: "2007-07-24"$', text, re.M)
    evidence = text[:text.index("    text: 据新华社济南7月24日电")].count("\n") + 1
    line = damage(timeline, 'approval-reform-1806-items\n  date: "2007-07-24"',
                  'approval-reform-1806-items\n  date: "2007-07-25"') + 1
    build_fails_with(book, f"{timeline}:{line}: WARNING: event 'approval-reform-1806-items' is dated 2007-07-25, but "
                           f"its evidence (line {evidence}, from 'xinhua-2007-07-24-approval-reform' in bib/news.bib) says "
                           "“7月24日” (2007年7月24日, the year from 'xinhua-2007-07-24-approval-reform' dated "
                           "2007-07-25), which differs from the event's date [timeline.evidence]")


def test_evidence_from_a_key_that_is_not_a_source_of_the_event(book):
    timeline = book / TIMELINE
    line = damage(timeline, "    source: qingdaonews-2010-01-27-accountability\n",
                  "    source: chinaorg-jp-2007-09-27-approval-items\n")
    build_fails_with(book, f"{timeline}:{line}: WARNING: event 'accountability-regulation-published': the "
                           "evidence's source 'chinaorg-jp-2007-09-27-approval-items' is not one of the event's sources "
                           "(qingdaonews-2010-01-27-accountability, chinaorg-jp-2009-07-13-accountability, "
                           "cnstock-2009-07-13-accountability) [timeline.evidence]")
