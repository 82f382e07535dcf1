"""The private copies the benchmark builds: the book copied out of the live tree (last commit or working tree),
checked to import its own zhbook, built with its own Makefile; and the edits made to a copy between builds.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from settings import INSTALLED_STAMP, REPO
from timing import Run, timed

class Book:
    """A private copy of the project, built with its own Makefile."""

    def __init__(self, root: Path, env: dict[str, str], make_vars: list[str]):
        self.root = root
        self.env = env
        self.make_vars = make_vars

    def make(self, *targets: str, jobs: int = 1, label: str = "") -> Run:
        cmd = ["make", *(["-j", str(jobs)] if jobs > 1 else []), *self.make_vars, *targets]
        return timed(cmd, self.root, self.env, label or f"{self.root.name}: make {' '.join(targets)}")

    def clean(self) -> None:
        for name in ("build", "dist", "dist.new", "dist.old"):
            shutil.rmtree(self.root / name, ignore_errors=True)

    def has_target(self, target: str) -> bool:
        proc = subprocess.run(["make", "-n", *self.make_vars, target], cwd=self.root, env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return proc.returncode == 0 and "No rule to make target" not in proc.stdout

    @property
    def slug(self) -> str:
        match = re.search(r'^slug\s*=\s*"(.*)"', (self.root / "source/book.toml").read_text(encoding="utf-8"), re.M)
        return match.group(1) if match else "book"

    def chapters(self) -> list[Path]:
        """The chapter files in the order of the numbered toctree of index.md."""
        index = (self.root / "source/index.md").read_text(encoding="utf-8")
        names = re.findall(r"^(chapters/[^\s]+)$", index, re.M)
        return [self.root / "source" / f"{name}.md" for name in names if (self.root / "source" / f"{name}.md").exists()]

    def book_chars(self) -> int:
        return sum(len(p.read_text(encoding="utf-8")) for p in (self.root / "source").rglob("*.md"))

    def pdf_pages(self) -> int | None:
        pdf = self.root / "build" / "latex" / f"{self.slug}.pdf"
        if not pdf.exists():
            return None
        out = subprocess.run(["pdfinfo", str(pdf)], stdout=subprocess.PIPE, text=True).stdout
        match = re.search(r"^Pages:\s+(\d+)", out, re.M)
        return int(match.group(1)) if match else None


def snapshot(dest: Path, source: str) -> None:
    """Copy the project into ``dest``: the last commit, or the working tree's tracked and unignored files."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    if source == "committed":
        archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=REPO, stdout=subprocess.PIPE,
                                 check=True).stdout
        names = None
    else:
        listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                                 stdout=subprocess.PIPE, check=True).stdout.decode()
        names = [n for n in listing.split("\0") if n and (REPO / n).is_file()]
        archive = None
    if archive is not None:
        import io
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
    else:
        for name in names:
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target)
    shutil.rmtree(dest / "bench", ignore_errors=True)  # the benchmark does not benchmark itself
    (dest / ".venv").symlink_to(REPO / ".venv")
    (dest / INSTALLED_STAMP).touch()


def clone(src: Path, dest: Path) -> None:
    """Another private copy made from a copy (without its build outputs)."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest, symlinks=True, ignore=shutil.ignore_patterns("build", "dist", "dist.*"))
    (dest / INSTALLED_STAMP).touch()


def book_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}}
    epoch = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=REPO, stdout=subprocess.PIPE, text=True).stdout
    env["SOURCE_DATE_EPOCH"] = epoch.strip() or "0"
    env["PYTHONPATH"] = str(root)  # before the editable install, which points at the live tree
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def check_copy(book: Book) -> None:
    """Refuse to run if the copy would import the live tree's zhbook or reinstall into the shared .venv."""
    python = book.root / ".venv" / "bin" / "python"
    where = subprocess.run([str(python), "-c", "import zhbook; print(zhbook.__file__)"], cwd="/", env=book.env,
                           stdout=subprocess.PIPE, text=True, check=True).stdout.strip()
    if not Path(where).resolve().is_relative_to(book.root.resolve()):
        sys.exit(f"bench: the copy imports zhbook from {where}, not from {book.root}")
    dry = subprocess.run(["make", "-n", *book.make_vars, "all"], cwd=book.root, env=book.env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    if "pip install" in dry:
        sys.exit("bench: make would run pip install in the copy (the shared .venv); the Makefile's INSTALLED "
                 "stamp variable has changed: update INSTALLED_STAMP handling in bench/settings.py")


def mtimes(root: Path, pattern: str = "**/*") -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.glob(pattern) if p.is_file()}


def reread_docs(book: Book, before: dict[str, int]) -> dict[str, int]:
    """Per Sphinx builder, how many doctrees were written again since ``before``."""
    after = mtimes(book.root / "build" / "doctrees", "*/**/*.doctree")
    counts: dict[str, int] = {}
    for name, stamp in after.items():
        builder = name.split("/", 1)[0]
        counts.setdefault(builder, 0)
        if before.get(name) != stamp:
            counts[builder] += 1
    return counts


def edit_paragraph(chapter: Path, original: str, mark: str) -> int:
    """Change one prose paragraph of ``chapter`` (a few characters inside it); returns its line number."""
    lines = original.split("\n")
    fence = None
    candidates = []
    for i, line in enumerate(lines):
        opener = re.match(r"^(`{3,}|:{3,})", line)
        if opener:
            fence = None if fence and line.startswith(fence) else (fence or opener.group(1))
            continue
        if fence is None and len(line) >= 60 and re.match(r"^[\u4e00-\u9fff“]", line) and "，" in line:
            candidates.append(i)
    if not candidates:
        raise SystemExit(f"bench: no prose paragraph to edit in {chapter}")
    i = candidates[len(candidates) // 3]
    lines[i] = lines[i].replace("，", f"，这一句为基准测试改动{mark}，", 1)
    chapter.write_text("\n".join(lines), encoding="utf-8")
    return i + 1
