"""Throwaway copies of a book, for tests that break something on purpose or build it a second time.

A copy holds the project's files (mtimes kept, so Make sees what is up to date) and shares the project's .venv
through a symlink. ``copy_small_book`` puts the small test book of ``tests/smallbook/`` beside the project's
Makefile and machinery, for machinery tests that need a whole ``make`` in seconds (book_tests/outputs.py copies this
book).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SMALL_BOOK = REPO / "tests" / "smallbook"
MACHINERY_FILES = ("zhbook", "Makefile", "pyproject.toml")
#: The small book's builds are dated by this epoch (a copy is no git checkout, so make cannot ask git).
SMALL_BOOK_EPOCH = "1700000000"


def copy_small_book(dest: Path) -> Path:
    """The small test book in ``dest`` (source/, bib/, _static/) with the project's Makefile and zhbook/."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("source", "bib", "_static"):
        shutil.copytree(SMALL_BOOK / name, dest / name)
    for name in MACHINERY_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(src, dest / name)
    (dest / ".venv").symlink_to(REPO / ".venv")
    return dest


def copy_tree(src: Path, dest: Path) -> Path:
    """A copy of a built copy (build/ and dist/ included, mtimes kept, the .venv link kept as a link)."""
    shutil.copytree(src, dest, symlinks=True)
    return dest


def append_line(path: Path, text: str) -> int:
    """Append ``text`` as a paragraph of its own; return the line number it lands on."""
    body = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(body + text + "\n", encoding="utf-8")
    return body.count("\n") + 1


def sphinx(project: Path, builder: str = "html") -> subprocess.CompletedProcess:
    """Build the copy as the Makefile does (warnings are errors), into the copy's own folders."""
    return subprocess.run(
        [str(REPO / ".venv/bin/sphinx-build"), "-b", builder, "-W", "--keep-going", "-n", "-q",
         "-d", str(project / "build/doctrees" / builder), str(project / "source"), str(project / "build" / builder)],
        capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})


def make(project: Path, *targets: str, env: dict | None = None, prefix: list[str] | None = None,
         timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([*(prefix or []), "make", "-C", str(project), *targets], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def tree_digest(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, to compare a folder before and after."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def warnings(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
