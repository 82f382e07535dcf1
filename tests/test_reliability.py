"""Nothing is ever lost, builds are reproducible, offline and write nothing into the book (issue 9).

These tests run `make` in throwaway copies of the small test book (tests/smallbook/): a failing LaTeX build and an
interrupted one must leave the copy's dist/ exactly as it was; a second clean build, made in another folder without
any network, must give the same bytes as the first and must not write into source/ or bib/.
"""
import os
import signal
import subprocess
import time

import pytest

from bookcopy import REPO, SMALL_BOOK_EPOCH, append_line, copy_small_book, copy_tree, tree_digest
from damage import build

CHAPTER1 = "source/chapters/01-first.md"
SLUG = "small-book"


def test_latex_error_from_a_chapter_names_the_chapter_line_and_keeps_dist(built_small_book, tmp_path):
    """A character no font of the book has stops the PDF build at its chapter line; dist/ stays as it was."""
    project = copy_tree(built_small_book, tmp_path / "book")
    before = tree_digest(project / "dist")
    line = append_line(project / CHAPTER1, "这一段含有书中字体没有的字符：\U0001F600。")
    result = build(project, "all")
    assert result.returncode != 0
    errors = [l for l in result.stderr.splitlines() if l.startswith("error:")]
    assert errors, result.stderr[-2000:]
    assert f"{project / CHAPTER1}:{line}:" in errors[0] and "U+1F600" in errors[0], errors
    assert tree_digest(project / "dist") == before, "a failed build changed dist/"


def test_interrupted_build_leaves_dist_as_it_was(built_small_book, tmp_path):
    """Ctrl-C while XeLaTeX runs: dist/ is untouched and holds no half-written file."""
    project = copy_tree(built_small_book, tmp_path / "book")
    before = tree_digest(project / "dist")
    append_line(project / CHAPTER1, "为测试中断而新增的一段。")
    proc = subprocess.Popen(["make", "-C", str(project), "all"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": SMALL_BOOK_EPOCH, "MAKEFLAGS": "",
                                 "MAKELEVEL": "", "ZHBOOK_LOCK_HELD": ""})
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            found = subprocess.run(["pgrep", "-s", str(proc.pid), "xelatex"], capture_output=True, text=True)
            if found.stdout.strip():
                break
            time.sleep(0.05)
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
    """A second clean build of the same sources, in another folder, with no network at all (a fresh network
    namespace)."""
    project = copy_small_book(tmp_path_factory.mktemp("clean") / "book")
    book_files = {name: tree_digest(project / name) for name in ("source", "bib")}
    result = make_offline(project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project, book_files


def make_offline(project):
    return subprocess.run(["unshare", "--net", "make", "-C", str(project), "all"], capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": SMALL_BOOK_EPOCH, "MAKEFLAGS": "", "MAKELEVEL": "",
                               "ZHBOOK_LOCK_HELD": ""}, timeout=900)


def deliverables(root):
    files = [f"{SLUG}.pdf", f"{SLUG}-press.pdf", f"{SLUG}.epub"]
    files += [str(p.relative_to(root)) for p in sorted((root / "catalog").glob("*"))]
    for folder in ("handouts", "booklets"):
        files += [str(p.relative_to(root)) for p in sorted((root / folder).glob("*.pdf"))]
    return files


def test_two_clean_builds_give_the_same_bytes(built_small_book, offline_clean_build):
    project, _ = offline_clean_build
    first, second = built_small_book / "dist", project / "dist"
    names = deliverables(first)
    assert len(names) > 3 and set(names) == set(deliverables(second))
    differing = [name for name in names if (first / name).read_bytes() != (second / name).read_bytes()]
    assert not differing, f"not byte-identical between two builds: {differing}"


def test_build_writes_nothing_into_the_book(offline_clean_build):
    project, before = offline_clean_build
    for name, digest in before.items():
        assert tree_digest(project / name) == digest, f"the build wrote into {name}/"


def test_latex_never_runs_shell_escape(built_small_book):
    log = built_small_book / "build" / "latex" / f"{SLUG}.log"
    text = log.read_text(encoding="utf-8", errors="replace")
    # XeTeX logs "\write18 enabled." (or "restricted \write18 enabled.") whenever any shell escape is possible.
    assert "\\write18 enabled" not in text
    assert "-no-shell-escape" in (REPO / "zhbook" / "tools" / "latexmkrc").read_text(encoding="utf-8")
