"""Nothing is ever lost, builds are reproducible, offline and write nothing into the book (issue 9).

These tests run `make` in throwaway copies of the project: a failing LaTeX build and an interrupted one must leave
the copy's dist/ exactly as it was; a second clean build, made without any network, must give the same bytes as
the real dist/ and must not write into source/ or bib/.
"""
import os
import signal
import subprocess
import time

import pytest

from bookcopy import append_line, make, tree_digest
from outputs import BOOK, CHAPTER1, DIST, REPO, copy_project, require

EPOCH = os.environ.get("SOURCE_DATE_EPOCH") or subprocess.run(
    ["git", "log", "-1", "--format=%ct"], cwd=REPO, capture_output=True, text=True).stdout.strip() or "0"


def test_latex_error_from_a_chapter_names_the_chapter_line_and_keeps_dist(tmp_path):
    """A character no font of the book has stops the PDF build at its chapter line; dist/ stays as it was."""
    require(DIST / f"{BOOK.slug}.pdf")
    project = copy_project(tmp_path / "book", with_build=True)
    before = tree_digest(project / "dist")
    line = append_line(project / CHAPTER1, "这一段含有书中字体没有的字符：\U0001F600。")
    result = make(project, "all", env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode != 0
    errors = [l for l in result.stderr.splitlines() if l.startswith("error:")]
    assert errors, result.stderr[-2000:]
    assert f"{project / CHAPTER1}:{line}:" in errors[0] and "U+1F600" in errors[0], errors
    assert tree_digest(project / "dist") == before, "a failed build changed dist/"


def test_interrupted_build_leaves_dist_as_it_was(tmp_path):
    """Ctrl-C while XeLaTeX runs: dist/ is untouched and holds no half-written file."""
    require(DIST / f"{BOOK.slug}.pdf")
    project = copy_project(tmp_path / "book", with_build=True)
    before = tree_digest(project / "dist")
    append_line(project / CHAPTER1, "为测试中断而新增的一段。")
    proc = subprocess.Popen(["make", "-C", str(project), "all"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            found = subprocess.run(["pgrep", "-s", str(proc.pid), "xelatex"], capture_output=True, text=True)
            if found.stdout.strip():
                break
            time.sleep(0.2)
        assert proc.poll() is None, "make finished before XeLaTeX could be interrupted"
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode != 0
    assert tree_digest(project / "dist") == before, "an interrupted build changed dist/"
    assert not (project / "dist.new").exists()


@pytest.fixture(scope="module")
def offline_clean_build(tmp_path_factory):
    """A second clean build of the same sources, with no network at all (a fresh network namespace)."""
    project = copy_project(tmp_path_factory.mktemp("clean") / "book")
    book_files = {name: tree_digest(project / name) for name in ("source", "bib")}
    result = make(project, "all", env={"SOURCE_DATE_EPOCH": EPOCH}, prefix=["unshare", "--net"])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project, book_files


def deliverables(root):
    files = [f"{BOOK.slug}.pdf", f"{BOOK.slug}-press.pdf", f"{BOOK.slug}.epub"]
    files += [str(p.relative_to(root)) for p in sorted((root / "catalog").glob("*"))]
    for folder in ("handouts", "booklets"):
        files += [str(p.relative_to(root)) for p in sorted((root / folder).glob("*.pdf"))]
    return files


def test_two_clean_builds_give_the_same_bytes(offline_clean_build):
    project, _ = offline_clean_build
    names = deliverables(DIST)
    assert set(names) == set(deliverables(project / "dist"))
    differing = [name for name in names if (DIST / name).read_bytes() != (project / "dist" / name).read_bytes()]
    assert not differing, f"not byte-identical between two builds: {differing}"


def test_build_writes_nothing_into_the_book(offline_clean_build):
    project, before = offline_clean_build
    for name, digest in before.items():
        assert tree_digest(project / name) == digest, f"the build wrote into {name}/"


def test_latex_never_runs_shell_escape():
    log = REPO / "build" / "latex" / f"{BOOK.slug}.log"
    text = require(log).read_text(encoding="utf-8", errors="replace")
    # XeTeX logs "\write18 enabled." (or "restricted \write18 enabled.") whenever any shell escape is possible.
    assert "\\write18 enabled" not in text
    assert "-no-shell-escape" in (REPO / "zhbook" / "tools" / "latexmkrc").read_text(encoding="utf-8")
