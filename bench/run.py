"""Speed benchmark of the book pipeline (issue 10); writes bench/RESULTS.md.

``python bench/run.py`` (or ``make bench``) measures, in one run on this machine:

- a clean build of each format (``make html``, ``epub-draft``, ``pdf``, ``handouts``, ``catalog``) and of everything;
- ``make`` with nothing changed, and whether it started Sphinx or XeLaTeX or touched a file under build/;
- one paragraph of one chapter edited, then ``make epub-draft``, ``make html``, ``make pdf`` (and ``make handouts``):
  time, XeLaTeX passes (read from zhbook.tools.texrun's output) and how many documents each Sphinx builder re-read;
- the handouts serially and with ``make -j2``;
- the baseline: plain Sphinx (bench/baseline/conf.py) on the same sources, ``-b html``, ``-b epub``, ``-b latex``
  then latexmk;
- the live preview: a one-paragraph save until `make serve` serves the page and sends the reload message, against
  plain Sphinx's incremental HTML build of the same edit (and `make html` after it), in the same run
  (``--preview-only`` measures just this);
- synthetic books five and ten times longer (every chapter copied with each label, name and chapter file renamed
  with a suffix) built clean to HTML, EPUB and PDF: the line through 1x and 10x must predict 5x if the cost grows
  linearly.

Every figure is the median of several runs (``--runs`` for the short measurements and the handouts, ``--long-runs``
for clean builds of the PDF, the catalogue and everything, one run for the synthetic books). Wall time is what an
editor waits; CPU time (user + system of every process started) is given beside it, and so is the load other
processes put on the machine meanwhile, because the machine may be shared.

Nothing runs in the live tree, where others build: the book is copied into bench/work/ (``--source committed``,
the default, takes the last commit; ``--source worktree`` the files as they are now), with a link to the
project's .venv and PYTHONPATH pointing at the copy, so the copy's zhbook is the one that runs.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
WORK = BENCH / "work"
BASELINE_CONF = BENCH / "baseline" / "conf.py"
RESULTS = BENCH / "RESULTS.md"
# Stands in for .venv/.installed inside a copy, so that make never runs `pip install -e` there: that would point
# the shared .venv's editable zhbook at the copy.
INSTALLED_STAMP = ".bench-installed"
EDIT_MARKS = "甲乙丙丁戊己庚辛壬癸"
# The EPUB as Sphinx writes it, to set beside plain Sphinx's: `make epub-draft` (`make epub` also waits for the PDF,
# whose folios its print page list follows).
MAKE_TARGETS = {"epub": "epub-draft"}
TARGET_CELLS = {"epub+html -j2": "-j2 epub-draft html", "epub": "epub-draft"}
SIZES = (5, 10)  # the synthetic books: 10x as the issue asks, 5x to see whether the growth is a straight line


# --------------------------------------------------------------------------------------------------- running

@dataclass
class Run:
    """One timed command: wall and CPU seconds, success, and its output lines with their time since start."""
    cmd: list[str]
    wall: float
    cpu: float
    ok: bool
    lines: list[tuple[float, str]] = field(default_factory=list)
    started: float = 0.0  # time.time() at start, to compare with file mtimes
    others: float = 0.0  # cores other processes kept busy during the run, on average

    @property
    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def xelatex_passes(self) -> int | None:
        counts = [int(n) for n in re.findall(r"(\d+) XeLaTeX pass", self.text)]
        return sum(counts) if counts else None

    def progress(self) -> list[str]:
        """The pipeline's own progress lines (two-space indent): which stages ran."""
        return [line.strip() for _, line in self.lines if re.match(r"^  \S", line)]

    def tail(self, n: int = 12) -> str:
        return "\n".join(line for _, line in self.lines[-n:])


ALL_RUNS: list[Run] = []


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy since boot (every core, every process)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: Path, env: dict[str, str], label: str) -> Run:
    """Run ``cmd`` and time it; CPU time counts every process it started (they are all waited for)."""
    print(f"[bench] {label}: {' '.join(cmd)}", file=sys.stderr, flush=True)
    cpu0, busy0, started, t0 = children_cpu(), machine_busy(), time.time(), time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors="replace")
    lines = [(time.perf_counter() - t0, line.rstrip("\n")) for line in proc.stdout]
    rc = proc.wait()
    run = Run(cmd, time.perf_counter() - t0, children_cpu() - cpu0, rc == 0, lines, started)
    # Cores that other processes kept busy meanwhile, on average: the machine may be shared.
    run.others = max(0.0, machine_busy() - busy0 - run.cpu) / run.wall if run.wall > 0 else 0.0
    ALL_RUNS.append(run)
    status = "ok" if run.ok else f"FAILED (exit {rc})"
    print(f"[bench]   {run.wall:.2f} s wall, {run.cpu:.2f} s CPU, others {run.others:.2f} cores, {status}",
          file=sys.stderr, flush=True)
    if not run.ok:
        print(run.tail(), file=sys.stderr, flush=True)
    return run


@dataclass
class Figure:
    """Several runs of one measurement, summarised by medians."""
    runs: list[Run]

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.ok for r in self.runs)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    def cell(self) -> str:
        if not self.runs:
            return "—"
        if not self.ok:
            return "failed"
        return f"{self.wall:.2f}"

    def cpu_cell(self) -> str:
        return f"{self.cpu:.2f}" if self.ok else "—"

    def others_cell(self) -> str:
        return f"{statistics.median(r.others for r in self.runs):.2f}" if self.runs else "—"

    def runs_cell(self) -> str:
        return ", ".join(f"{r.wall:.2f}" for r in self.runs) if self.runs else "—"


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


def repeat(n: int, before, action) -> Figure:
    runs = []
    for _ in range(n):
        if before:
            before()
        runs.append(action())
    return Figure(runs)


# ---------------------------------------------------------------------------------------------- the copies

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
                 "stamp variable has changed: update INSTALLED_STAMP handling in bench/run.py")


# ------------------------------------------------------------------------------------ the synthetic 10x book

LABEL_DEF = re.compile(r"^\(([^)\s]+)\)=[ \t]*$", re.M)
NAME_OPT = re.compile(r"^(:(?:name|label):[ \t]+)(\S+)[ \t]*$", re.M)
REF_ROLE = re.compile(r"\{(ref|numref|doc|eq|term)\}`([^`]*)`")


def multiply(book: Book, copies: int) -> tuple[int, int]:
    """Add ``copies - 1`` copies of every chapter to the book, every label, name and file renamed (-xK).

    References inside a copy point at the same copy's targets; references to targets outside the chapters (the
    timeline, the glossary) are left alone. Returns the number of chapter files and labels copied.
    """
    chapters = book.chapters()
    texts = {p: p.read_text(encoding="utf-8") for p in chapters}
    labels = set()
    for text in texts.values():
        labels.update(LABEL_DEF.findall(text))
        labels.update(m.group(2) for m in NAME_OPT.finditer(text))
    stems = {p.stem for p in chapters}

    def rename(text: str, suffix: str) -> str:
        text = LABEL_DEF.sub(lambda m: f"({m.group(1)}{suffix})=", text)
        text = NAME_OPT.sub(lambda m: f"{m.group(1)}{m.group(2)}{suffix}" if m.group(2) in labels else m.group(0),
                            text)

        def ref(m: re.Match) -> str:
            role, body = m.group(1), m.group(2)
            if role == "term":
                return m.group(0)
            explicit = re.match(r"^(.*<)([^>]+)(>)$", body, re.S)
            head, target, tail = explicit.groups() if explicit else ("", body, "")
            if role == "doc":
                stem = target.rsplit("/", 1)[-1]
                if stem in stems:
                    target = target[: len(target) - len(stem)] + stem + suffix
            elif target in labels:
                target += suffix
            return f"{{{role}}}`{head}{target}{tail}`"

        return REF_ROLE.sub(ref, text)

    index_path = book.root / "source" / "index.md"
    index = index_path.read_text(encoding="utf-8")
    last = f"chapters/{chapters[-1].stem}"
    extra = []
    for k in range(1, copies):
        suffix = f"-x{k}"
        for path, text in texts.items():
            path.with_name(f"{path.stem}{suffix}.md").write_text(rename(text, suffix), encoding="utf-8")
            extra.append(f"chapters/{path.stem}{suffix}")
    index = re.sub(rf"^{re.escape(last)}$", "\n".join([last, *extra]), index, count=1, flags=re.M)
    index_path.write_text(index, encoding="utf-8")
    return len(chapters), len(labels)


# -------------------------------------------------------------------------------------------- the baseline

def project_markup(root: Path) -> tuple[set[str], set[str]]:
    """The roles and directives the project's extensions add (plain Sphinx does not know them)."""
    roles, directives = set(), set()
    for module in (root / "zhbook").rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        roles.update(re.findall(r"add_role\(\s*[\"']([\w:-]+)[\"']", text))
        directives.update(re.findall(r"add_directive\(\s*[\"']([\w:-]+)[\"']", text))
    return roles, directives


def event_dates(root: Path) -> dict[str, str]:
    import yaml
    path = root / "source" / "timeline.yaml"
    if not path.exists():
        return {}
    dates = {}
    for event in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        parts = str(event.get("date", "")).split("-")
        dates[str(event.get("id"))] = "".join(f"{int(p)}{unit}" for p, unit in zip(parts, "年月日") if p.isdigit())
    return dates


def baseline_bib(src: Path, dest: Path) -> None:
    """A copy of a bib file a stock pybtex style can format: every entry @misc, ``year``/``month`` from ``date``."""
    from pybtex.database import BibliographyData, Entry, parse_file
    data = parse_file(str(src), bib_format="bibtex")
    out = BibliographyData()
    for key, entry in data.entries.items():
        fields = {k: v for k, v in entry.fields.items() if k.lower() not in {"date", "urldate", "langid"}}
        date = entry.fields.get("date", "")
        if re.match(r"^\d{4}", date):
            fields["year"] = date[:4]
        if re.match(r"^\d{4}-\d{2}", date):
            fields["month"] = str(int(date[5:7]))
        venue = next((entry.fields[f] for f in ("journal", "journaltitle", "publisher", "institution")
                      if f in entry.fields), None)
        if venue and "howpublished" not in fields:
            fields["howpublished"] = venue
        out.entries[key] = Entry("misc", fields=fields, persons=entry.persons)
    dest.write_text(out.to_string("bibtex"), encoding="utf-8")


def make_baseline(book: Book, dest: Path) -> dict[str, int]:
    """Plain-Sphinx sources: the chapters with the project's roles replaced by text, its directives dropped."""
    shutil.rmtree(dest, ignore_errors=True)
    src = dest / "src"
    shutil.copytree(book.root / "source", src, ignore=shutil.ignore_patterns("conf.py", "book.toml", "*.yaml"))
    shutil.copy2(BASELINE_CONF, src / "conf.py")
    (src / "bib").mkdir()
    for bib in sorted((book.root / "bib").glob("*.bib")):
        baseline_bib(bib, src / "bib" / bib.name)
    roles, directives = project_markup(book.root)
    dates = event_dates(book.root)
    counts = {"roles": 0, "directives": 0}
    role_re = re.compile(r"\{(" + "|".join(map(re.escape, roles)) + r")\}`([^`]*)`") if roles else None
    block_re = re.compile(r"^(`{3,}|:{3,})\{(" + "|".join(map(re.escape, directives)) + r")\}.*?^\1[ \t]*$\n?",
                          re.M | re.S) if directives else None
    for page in src.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if role_re:
            def plain(m: re.Match) -> str:
                counts["roles"] += 1
                return dates.get(m.group(2), m.group(2)) if m.group(1) == "event" else m.group(2)
            text = role_re.sub(plain, text)
        if block_re:
            text, n = block_re.subn("", text)
            counts["directives"] += n
        page.write_text(text, encoding="utf-8")
    return counts


def sphinx_build(dest: Path, builder: str, env: dict[str, str], python: Path) -> Run:
    out = dest / "out"
    shutil.rmtree(out / builder, ignore_errors=True)
    shutil.rmtree(out / "doctrees" / builder, ignore_errors=True)
    cmd = [str(python), "-m", "sphinx", "-b", builder, "-q", "-d", str(out / "doctrees" / builder), str(dest / "src"),
           str(out / builder)]
    return timed(cmd, dest, env, f"baseline: sphinx-build -b {builder}")


def latexmk(dest: Path, env: dict[str, str]) -> Run:
    """What Sphinx's own latex Makefile does (latexmk with the latexmkrc Sphinx wrote), without quiet mode."""
    latex = dest / "out" / "latex"
    for aux in latex.glob("baseline.*"):
        if aux.suffix != ".tex":
            aux.unlink()
    cmd = ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error", "baseline.tex"]
    run = timed(cmd, latex, env, "baseline: latexmk")
    return run


def latexmk_passes(run: Run) -> int:
    return len(re.findall(r"Run number \d+ of rule '(?:xe|pdf)?latex'", run.text))


# ----------------------------------------------------------------------------------------------- helpers

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


def machine() -> dict[str, str]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))

    def first_line(cmd: list[str]) -> str:
        try:
            out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
            return out.strip().splitlines()[0] if out.strip() else "?"
        except OSError:
            return "not installed"

    return {
        "cores": f"{os.cpu_count()} ({model})" if model else str(os.cpu_count()),
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "sphinx": first_line([str(REPO / ".venv/bin/sphinx-build"), "--version"]),
        "xelatex": first_line(["xelatex", "--version"]),
        "latexmk": first_line(["latexmk", "--version"]).replace("Latexmk, ", ""),
    }


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def wall(fig: Figure | None) -> float | None:
    return fig.wall if fig and fig.ok else None


def cpu(fig: Figure | None) -> float | None:
    return fig.cpu if fig and fig.ok else None


def add(*values: float | None) -> float | None:
    return None if any(v is None for v in values) else sum(values)


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "—"


def secs(x: float | None) -> str:
    return f"{x:.2f}" if x is not None else "—"


def met(ok: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "not measured"}[ok]


# ----------------------------------------------------------------------------------------------- sections

FORMATS = [  # (name, make target, long?)
    ("HTML", "html", False),
    ("EPUB", "epub", False),
    ("book PDF", "pdf", True),
    ("handouts", "handouts", False),  # short: its ratio to -j2 is a goal
    ("catalogue (needs the PDF)", "catalog", True),
    ("everything (`make`)", "all", True),
]


def bench_clean(book: Book, runs: int, long_runs: int, one_x: dict) -> dict:
    results = {}
    for name, target, long in FORMATS:
        if not book.has_target(MAKE_TARGETS.get(target, target)):
            results[target] = None
            continue

        def build() -> Run:
            run = book.make(MAKE_TARGETS.get(target, target))
            if target == "pdf":  # the stage split and page count of the book, for the 10x comparison
                one_x["pdf_split"], one_x["pages"] = pdf_split(book, run), book.pdf_pages()
            return run

        results[target] = repeat(long_runs if long else runs, book.clean, build)
    return results


def pdf_split(book: Book, run: Run) -> tuple[float, float] | None:
    """Seconds in Sphinx's LaTeX builder and in latexmk, from the mtimes of the .tex and the .pdf it writes."""
    tex = book.root / "build" / "latex" / f"{book.slug}.tex"
    pdf = tex.with_suffix(".pdf")
    if not (run.ok and tex.exists() and pdf.exists()):
        return None
    sphinx_done, tex_done = tex.stat().st_mtime - run.started, pdf.stat().st_mtime - tex.stat().st_mtime
    return sphinx_done, tex_done


def bench_noop(book: Book, runs: int) -> dict:
    book.clean()
    full = book.make("all", label="full build before the no-op runs")
    if not full.ok:
        return {"figure": None, "error": full.tail()}
    before = {**mtimes(book.root / "build"), **{f"dist/{k}": v for k, v in mtimes(book.root / "dist").items()}}
    figure = repeat(max(runs, 5), None, lambda: book.make(label="no-op make"))
    after = {**mtimes(book.root / "build"), **{f"dist/{k}": v for k, v in mtimes(book.root / "dist").items()}}
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    stages = sorted({line for r in figure.runs for line in r.progress()})
    return {"figure": figure, "changed": changed, "stages": stages}


def bench_edit(book: Book, runs: int, handouts: bool) -> dict:
    chapter = book.chapters()[0]
    original = chapter.read_text(encoding="utf-8")
    rows = []
    try:
        for k in range(runs):
            # Both editions at once, as `make -j2` would build them; then, after another edit, one by one.
            edit_paragraph(chapter, original, EDIT_MARKS[(2 * k + 1) % len(EDIT_MARKS)])
            together = book.make("epub-draft", "html", jobs=2, label=f"edit {k + 1}: make -j2 epub-draft html")
            line = edit_paragraph(chapter, original, EDIT_MARKS[2 * k % len(EDIT_MARKS)])
            doctrees = mtimes(book.root / "build" / "doctrees", "*/**/*.doctree")
            row = {"line": line, "epub+html -j2": together}
            for target in ("epub", "html", "pdf", *(("handouts",) if handouts else ())):
                row[target] = book.make(MAKE_TARGETS.get(target, target), label=f"edit {k + 1}: make {target}")
            row["reread"] = reread_docs(book, doctrees)
            rows.append(row)
    finally:
        chapter.write_text(original, encoding="utf-8")
    return {"chapter": chapter.relative_to(book.root), "rows": rows}


def bench_handouts_parallel(book: Book, runs: int) -> Figure | None:
    if not book.has_target("handouts"):
        return None
    return repeat(runs, book.clean, lambda: book.make("handouts", jobs=2))


def bench_baseline(book: Book, runs: int, long_runs: int) -> dict:
    dest = WORK / "baseline"
    counts = make_baseline(book, dest)
    python = book.root / ".venv" / "bin" / "python"
    env = dict(book.env)
    env.pop("PYTHONPATH", None)  # plain Sphinx: nothing of zhbook
    html = repeat(runs, None, lambda: sphinx_build(dest, "html", env, python))
    epub = repeat(runs, None, lambda: sphinx_build(dest, "epub", env, python))
    latex_runs, tex_runs = [], []
    for _ in range(long_runs):
        latex_runs.append(sphinx_build(dest, "latex", env, python))
        tex_runs.append(latexmk(dest, env))
    return {"counts": counts, "html": html, "epub": epub, "latex": Figure(latex_runs), "latexmk": Figure(tex_runs),
            "passes": [latexmk_passes(r) for r in tex_runs]}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_line(path: Path, pattern: str, proc: subprocess.Popen, timeout: float) -> re.Match | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        match = re.search(pattern, path.read_text(encoding="utf-8", errors="replace"))
        if match:
            return match
        time.sleep(0.1)
    return None


def served_after_save(url: str, chapter: Path, original: str, mark: str, timeout: float = 30.0) -> tuple:
    """Edit one paragraph; return (seconds until the served page holds it, seconds until the reload message)."""
    import urllib.request

    from websockets.sync.client import connect

    page = url + chapter.relative_to(chapter.parents[1]).with_suffix(".html").as_posix()
    marker = f"这一句为基准测试改动{mark}"
    served = reloaded = None
    with connect(url.replace("http://", "ws://") + "websocket-reload", open_timeout=10) as socket_:
        t0 = time.perf_counter()
        edit_paragraph(chapter, original, mark)
        while time.perf_counter() - t0 < timeout and (served is None or reloaded is None):
            if reloaded is None:
                try:
                    if socket_.recv(timeout=0.01) == "refresh":
                        reloaded = time.perf_counter() - t0
                except TimeoutError:
                    pass
            if served is None:
                with urllib.request.urlopen(page, timeout=5) as response:
                    if marker in response.read().decode("utf-8"):
                        served = time.perf_counter() - t0
            time.sleep(0.01)
    return served, reloaded


def bench_preview(book: Book, runs: int) -> dict:
    """The live preview against plain Sphinx: a one-paragraph save, timed until `make serve` serves the page (and
    tells the browser to reload); plain Sphinx's incremental HTML build of the same edit of the plain-Sphinx copy;
    and `make html` after the same edit. The same chapter, paragraph and number of runs for all three."""
    runs = max(runs, 5)
    chapter = book.chapters()[0]
    original = chapter.read_text(encoding="utf-8")
    marks = [f"{EDIT_MARKS[k % len(EDIT_MARKS)]}{k}" for k in range(runs)]
    result: dict = {"chapter": chapter.relative_to(book.root), "runs": runs}
    # make serve
    out, err = book.root / "serve.out", book.root / "serve.err"
    cmd = ["make", *book.make_vars, "serve", f"PORT={free_port()}"]
    print(f"[bench] make serve: {' '.join(cmd)}", file=sys.stderr, flush=True)
    with out.open("w") as stdout, err.open("w") as stderr:
        proc = subprocess.Popen(cmd, cwd=book.root, env=book.env, stdout=stdout, stderr=stderr, start_new_session=True)
    served, reloaded = [], []
    try:
        match = wait_for_line(out, r"serving the preview at (\S+)", proc, timeout=600)
        if match is None:
            result["error"] = (out.read_text(errors="replace") + err.read_text(errors="replace"))[-2000:]
        else:
            first = re.search(r"first build ([\d.]+) s", out.read_text(encoding="utf-8"))
            result["first"] = float(first.group(1)) if first else None
            for mark in marks:
                time.sleep(1.0)  # settle: the watcher and the last reload
                s, r = served_after_save(match.group(1), chapter, original, mark)
                print(f"[bench]   save -> served {secs(s)} s, reload message {secs(r)} s", file=sys.stderr, flush=True)
                served.append(s)
                reloaded.append(r)
    finally:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        pids = children.read_text().split() if children.exists() else []
        for pid in pids:
            os.kill(int(pid), 2)  # SIGINT to the server: Ctrl-C
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
        chapter.write_text(original, encoding="utf-8")
    result["served"] = [s for s in served if s is not None]
    result["reloaded"] = [r for r in reloaded if r is not None]
    result["missed"] = sum(1 for s in served if s is None)
    # plain Sphinx, incremental, on the plain copy of the same sources
    dest = WORK / "baseline-preview"
    make_baseline(book, dest)
    python = book.root / ".venv" / "bin" / "python"
    env = dict(book.env)
    env.pop("PYTHONPATH", None)
    plain_chapter = dest / "src" / chapter.relative_to(book.root / "source")
    plain_original = plain_chapter.read_text(encoding="utf-8")
    sphinx_build(dest, "html", env, python)  # the full build the incremental ones start from
    out_dir = dest / "out"
    plain_cmd = [str(python), "-m", "sphinx", "-b", "html", "-q", "-d", str(out_dir / "doctrees" / "html"),
                 str(dest / "src"), str(out_dir / "html")]
    plain = []
    try:
        for mark in marks:
            edit_paragraph(plain_chapter, plain_original, mark)
            plain.append(timed(plain_cmd, dest, env, "baseline: incremental sphinx-build -b html"))
    finally:
        plain_chapter.write_text(plain_original, encoding="utf-8")
    result["plain"] = Figure(plain)
    # make html after the same edit
    book.make("html", label="make html before the one-paragraph runs")
    html = []
    try:
        for mark in marks:
            edit_paragraph(chapter, original, mark)
            html.append(book.make("html", label="one paragraph: make html"))
    finally:
        chapter.write_text(original, encoding="utf-8")
    result["html"] = Figure(html)
    return result


def report_preview(preview: dict | None) -> list[str]:
    out = ["## Live preview: `make serve` against plain Sphinx", ""]
    if not preview:
        out += ["Not measured.", ""]
        return out
    if preview.get("error"):
        out += ["`make serve` did not start:", "", "```", preview["error"], "```", ""]
        return out
    served, reloaded = preview["served"], preview["reloaded"]
    med_served = statistics.median(served) if served else None
    med_reloaded = statistics.median(reloaded) if reloaded else None
    plain, html = preview["plain"], preview["html"]
    out += [
        f"One paragraph of `{preview['chapter']}` changed (a different text each of {preview['runs']} runs, the same "
        "edit for all three rows). `make serve` keeps one Sphinx application warm; *served* is from the save to the "
        "first HTTP answer that holds the new text (polled every 10 ms), *reload message* to the WebSocket message "
        "that makes the open page reload. Plain Sphinx: `sphinx-build -b html` (a new process, incremental) on the "
        "plain-Sphinx copy of the same sources (bench/baseline/conf.py), the same paragraph edited.",
        "",
        "| step | median wall | runs |",
        "|---|---|---|",
        f"| `make serve`: save → page served | {secs(med_served)} | {', '.join(f'{x:.2f}' for x in served)}"
        + (f" ({preview['missed']} not served within 30 s)" if preview["missed"] else "") + " |",
        f"| `make serve`: save → reload message | {secs(med_reloaded)} | {', '.join(f'{x:.2f}' for x in reloaded)} |",
        f"| plain Sphinx: incremental `sphinx-build -b html` | {plain.cell()} (CPU {plain.cpu_cell()}) | "
        f"{plain.runs_cell()} |",
        f"| `make html` after the same edit | {html.cell()} (CPU {html.cpu_cell()}) | {html.runs_cell()} |",
        "",
        f"Goal (issue 17): a one-paragraph save served in under 2 s (median): {met(med_served < 2 if med_served else None)}"
        f"; first build of the preview {secs(preview.get('first'))} s.",
        "",
    ]
    return out


def bench_synthetic(book: Book, copies: int) -> dict:
    big = Book(WORK / f"book{copies}", book_env(WORK / f"book{copies}"), book.make_vars)
    clone(book.root, big.root)
    chapters, labels = multiply(big, copies)
    results = {"copies": copies, "chapters": chapters, "labels": labels, "chars": big.book_chars()}
    for target in ("html", "epub", "pdf"):
        big.clean()
        run = big.make(target, label=f"{copies}x book: make {target}")
        results[target] = Figure([run])
        if target == "pdf":
            results["pdf_split"] = pdf_split(big, run)
            results["pages"] = big.pdf_pages()
    shutil.rmtree(big.root, ignore_errors=True)  # a 10x build tree is large; the figures are all we keep
    return results


# ------------------------------------------------------------------------------------------------- report

def report(info: dict, clean: dict, noop: dict, edit: dict, parallel: Figure | None, base: dict | None,
           synth: dict | None, one_x: dict, preview: dict | None = None) -> str:
    out = []
    w = out.append
    w("# Speed benchmark of the book pipeline")
    w("")
    w(f"Written by `bench/run.py` ({info['command']}) on {info['date']}; sources: {info['source']} "
      f"({info['commit']}). Every time is in seconds; **wall** is what an editor waits, **CPU** is user + system "
      "time of every process the step started. Figures are medians; the runs column lists every run's wall time.")
    w("")
    w("## Machine")
    w("")
    for key in ("cores", "memory", "os", "python", "sphinx", "xelatex", "latexmk"):
        w(f"- {key}: {info['machine'][key]}")
    w(f"- load average (1, 5, 15 min) at start: {info['load_start']}; at end: {info['load_end']}; other processes "
      f"kept {info['others']:.2f} cores busy on average while the steps were timed"
      + (" — the machine was shared with other builds, so wall times are inflated; CPU times are the steadier "
         "figures, and the others' load columns say how much each step had to share" if info["busy"] else ""))
    w(f"- runs per figure: {info['runs']} for short steps and the handouts, {info['long_runs']} for clean PDF, "
      "catalogue and full builds, 1 for the synthetic books; whole benchmark: "
      f"{info['elapsed'] / 60:.1f} min")
    w("")

    # Goals first: what the issue asked for.
    edit_rows = edit.get("rows", [])

    def med(target: str) -> float | None:
        values = [row[target].wall for row in edit_rows if target in row and row[target].ok]
        return statistics.median(values) if values else None

    epub_html = add(med("epub"), med("html"))
    noop_fig = noop.get("figure")
    handouts_serial = clean.get("handouts")
    hand_ratio = wall(parallel) / wall(handouts_serial) if wall(parallel) and wall(handouts_serial) else None
    ours, ours_cpu = add(wall(clean.get("epub")), wall(clean.get("pdf"))), add(cpu(clean.get("epub")), cpu(clean.get("pdf")))
    plain = add(*(wall(base[k]) for k in ("epub", "latex", "latexmk"))) if base else None
    plain_cpu = add(*(cpu(base[k]) for k in ("epub", "latex", "latexmk"))) if base else None
    w("## Goals")
    w("")
    w("| goal | target | measured | met |")
    w("|---|---|---|---|")
    w(f"| one-paragraph edit → `make epub-draft` + `make html` | < 5 s | {secs(epub_html)} s | "
      f"{met(epub_html < 5 if epub_html is not None else None)} |")
    both = med("epub+html -j2")
    w(f"| one-paragraph edit → `make -j2 epub-draft html` | < 5 s | {secs(both)} s | "
      f"{met(both < 5 if both is not None else None)} |")
    served = statistics.median(preview["served"]) if preview and preview.get("served") else None
    w(f"| one-paragraph save → page served by `make serve` | < 2 s | {secs(served)} s | "
      f"{met(served < 2 if served is not None else None)} |")
    w(f"| `make` with nothing changed | < 1 s | {secs(noop_fig.wall if noop_fig else None)} s | "
      f"{met(noop_fig.wall < 1 if noop_fig and noop_fig.ok else None)} |")
    w(f"| handouts with `make -j2` vs serial | ≤ 0.6× | "
      f"{f'{hand_ratio:.3f}×' if hand_ratio else 'not available yet'} | "
      f"{met(hand_ratio <= 0.6 if hand_ratio else None)} |")
    w(f"| clean EPUB + PDF vs plain Sphinx (epub, latex, latexmk) | ≤ 1.5× | wall {ratio(ours, plain)}, "
      f"CPU {ratio(ours_cpu, plain_cpu)} | {met(ours / plain <= 1.5 if ours and plain else None)} |")
    w("")

    for line in report_preview(preview):
        w(line)

    w("## Clean builds")
    w("")
    w("`rm -rf build dist`, then the target. Others' load: how many cores other processes kept busy during the "
      "runs (median), from /proc/stat; on this 2-core machine anything above 0 slows the step down and above 1 "
      "leaves `-j2` no second core.")
    w("")
    w("| format | make target | wall | CPU | runs | XeLaTeX passes | others' load |")
    w("|---|---|---|---|---|---|---|")
    for name, target, _ in FORMATS:
        fig = clean.get(target)
        if fig is None:
            w(f"| {name} | `{target}` | not available yet | | | | |")
            continue
        passes = sorted({r.xelatex_passes() for r in fig.runs if r.xelatex_passes() is not None})
        w(f"| {name} | `{target}` | {fig.cell()} | {fig.cpu_cell()} | {fig.runs_cell()} | "
          f"{', '.join(map(str, passes)) or '—'} | {fig.others_cell()} |")
    if one_x.get("pdf_split"):
        s, t = one_x["pdf_split"]
        w("")
        w(f"Book PDF, last run, split by the mtimes of the .tex and the .pdf: Sphinx LaTeX builder {s:.2f} s, "
          f"latexmk (XeLaTeX, index, xdvipdfmx) {t:.2f} s, finishing "
          f"{clean['pdf'].runs[-1].wall - s - t:.2f} s; {one_x.get('pages') or '?'} pages.")
    failed = [(t, f) for t, f in clean.items() if f is not None and not f.ok]
    for target, fig in failed:
        w("")
        w(f"`make {target}` failed:")
        w("")
        w("```")
        w(next(r for r in fig.runs if not r.ok).tail())
        w("```")
    w("")

    w("## `make` with nothing changed")
    w("")
    if noop_fig:
        w(f"After a full build: {noop_fig.cell()} s wall (runs {noop_fig.runs_cell()}), {noop_fig.cpu_cell()} s CPU. "
          f"Stages started: {', '.join(noop['stages']) or 'none (no Sphinx, no LaTeX)'}. "
          f"Files under build/ or dist/ changed: {len(noop['changed'])}"
          + (f" ({', '.join(noop['changed'][:8])})" if noop["changed"] else "") + ".")
    else:
        w("Not measured: the full build failed:")
        w("")
        w("```")
        w(noop.get("error", ""))
        w("```")
    w("")

    w("## One paragraph edited")
    w("")
    if edit_rows:
        w(f"A few characters inserted into one paragraph of `{edit['chapter']}` (a different paragraph text each "
          "run, on a fully built tree), then each target in turn. Re-read: documents whose doctree Sphinx wrote "
          "again, per builder.")
        w("")
        targets = [t for t in ("epub+html -j2", "epub", "html", "pdf", "handouts") if t in edit_rows[0]]
        tex_targets = [t for t in targets if t in ("pdf", "handouts")]
        w("| run | line | " + " | ".join(f"`make {TARGET_CELLS.get(t, t)}` wall (CPU)" for t in targets) + " | "
          + " | ".join(f"XeLaTeX passes, {t}" for t in tex_targets) + " | docs re-read | others' load |")
        w("|---|---|" + "---|" * (len(targets) + len(tex_targets)) + "---|---|")
        for k, row in enumerate(edit_rows, 1):
            cells = [f"{row[t].wall:.2f} ({row[t].cpu:.2f})" if row[t].ok else "failed" for t in targets]
            passes = [str(row[t].xelatex_passes()) if row[t].xelatex_passes() is not None else "—" for t in tex_targets]
            reread = ", ".join(f"{b} {n}" for b, n in sorted(row["reread"].items()))
            others = statistics.median(row[t].others for t in targets)
            w(f"| {k} | {row['line']} | " + " | ".join(cells + passes) + f" | {reread} | {others:.2f} |")
        w("| **median** | | " + " | ".join(secs(med(t)) for t in targets) + " |" + " |" * len(tex_targets) + " | |")
        w("")
        w(f"`make epub-draft` + `make html`: {secs(epub_html)} s; `make -j2 epub-draft html`: "
          f"{secs(med('epub+html -j2'))} s "
          "(goal < 5 s).")
        if "handouts" in targets:
            stages = [line for line in edit_rows[-1]["handouts"].progress()]
            w("")
            w(f"`make handouts` after the edit printed: {'; '.join(stages) or 'nothing'}.")
    w("")

    w("## Handouts: serial against `make -j2`")
    w("")
    if handouts_serial is None:
        w("Not available yet: the Makefile has no `handouts` target. The slot stays; rerun `make bench` once it exists.")
    else:
        w(f"Clean builds (`rm -rf build dist` first): serial {handouts_serial.cell()} s wall, "
          f"{handouts_serial.cpu_cell()} s CPU (runs {handouts_serial.runs_cell()}); `make -j2 handouts` "
          f"{parallel.cell() if parallel else '—'} s wall, {parallel.cpu_cell() if parallel else '—'} s CPU "
          f"(runs {parallel.runs_cell() if parallel else '—'}); ratio {f'{hand_ratio:.2f}×' if hand_ratio else '—'} "
          f"(goal ≤ 0.6×). Others' load: {handouts_serial.others_cell()} cores serial, "
          f"{parallel.others_cell() if parallel else '—'} with -j2.")
    w("")

    w("## Baseline: plain Sphinx on the same sources")
    w("")
    if base:
        c = base["counts"]
        w(f"`bench/baseline/conf.py` (myst_parser, sphinxcontrib.bibtex with the stock `unsrt` style, "
          f"sphinxcontrib.rsvgconverter, CJK fonts) on copies of the chapters with {c['roles']} uses of the project's "
          f"roles replaced by their text and {c['directives']} project directive(s) removed; bib copies as @misc "
          "with `year`. Clean output folders each run.")
        w("")
        w("| step | plain Sphinx wall (CPU) | runs | ours, clean wall (CPU) | ratio wall | ratio CPU |")
        w("|---|---|---|---|---|---|")
        for name, key in (("HTML", "html"), ("EPUB", "epub")):
            mine = clean.get(key)
            w(f"| {name} | {base[key].cell()} ({base[key].cpu_cell()}) | {base[key].runs_cell()} | "
              f"{mine.cell() if mine else '—'} ({mine.cpu_cell() if mine else '—'}) | "
              f"{ratio(wall(mine), wall(base[key]))} | {ratio(cpu(mine), cpu(base[key]))} |")
        w(f"| LaTeX builder | {base['latex'].cell()} ({base['latex'].cpu_cell()}) | {base['latex'].runs_cell()} | | | |")
        w(f"| latexmk ({', '.join(map(str, base['passes']))} XeLaTeX passes) | {base['latexmk'].cell()} "
          f"({base['latexmk'].cpu_cell()}) | {base['latexmk'].runs_cell()} | | | |")
        pdf_plain, pdf_plain_cpu = add(wall(base["latex"]), wall(base["latexmk"])), add(cpu(base["latex"]), cpu(base["latexmk"]))
        mine = clean.get("pdf")
        w(f"| PDF (LaTeX builder + latexmk) | {secs(pdf_plain)} ({secs(pdf_plain_cpu)}) | | "
          f"{mine.cell() if mine else '—'} ({mine.cpu_cell() if mine else '—'}) | {ratio(wall(mine), pdf_plain)} | "
          f"{ratio(cpu(mine), pdf_plain_cpu)} |")
        w(f"| **EPUB + PDF** | {secs(plain)} ({secs(plain_cpu)}) | | {secs(ours)} ({secs(ours_cpu)}) | "
          f"{ratio(ours, plain)} | {ratio(ours_cpu, plain_cpu)} |")
        for key in ("html", "epub", "latex", "latexmk"):
            if not base[key].ok:
                w("")
                w(f"Baseline step {key} failed:")
                w("")
                w("```")
                w(next(r for r in base[key].runs if not r.ok).tail())
                w("```")
    else:
        w("Not measured (--skip-baseline, or the book did not build).")
    w("")

    w(f"## A book {SIZES[-1]} times longer")
    w("")
    if synth:
        big = synth[-1]
        w(f"Each of the {big['chapters']} chapters copied {big['copies'] - 1} more times with its {big['labels']} "
          "labels and names and its file renamed (suffix -x1, -x2 …), references inside a copy pointing into the same "
          "copy; front and back matter once. A " + " and a ".join(f"{s['copies']}×" for s in synth) + " book, one "
          "clean run each; the 1× figures are the clean-build medians above. With two lengths besides 1× the growth "
          "can be checked, not just assumed: the line through 1× and the longest book predicts the middle one.")
        w("")
        w("| book | characters of Markdown | PDF pages | XeLaTeX passes |")
        w("|---|---|---|---|")
        w(f"| 1× | {one_x['chars']:,} | {one_x.get('pages') or '?'} | "
          f"{', '.join(str(r.xelatex_passes()) for r in clean['pdf'].runs) if clean.get('pdf') else '?'} |")
        for s in synth:
            w(f"| {s['copies']}× | {s['chars']:,} ({s['chars'] / one_x['chars']:.1f}×) | {s.get('pages') or '?'} | "
              f"{s['pdf'].runs[0].xelatex_passes() or '?'} |")
        w("")
        sizes = [one_x["chars"], *(s["chars"] for s in synth)]

        def series(name: str, values: list[float | None]) -> None:
            cells = " | ".join(secs(v) for v in values)
            if any(v is None for v in values):
                w(f"| {name} | {cells} | — | — | — | — |")
                return
            # cost = fixed + per_char * chars, through 1x and the longest book; the middle one checks the line
            per_char = (values[-1] - values[0]) / (sizes[-1] - sizes[0])
            fixed = values[0] - per_char * sizes[0]
            middle = [fixed + per_char * c for c in sizes[1:-1]]
            deviation = ", ".join(f"{(v - m) / m:+.0%}" for v, m in zip(values[1:-1], middle))
            w(f"| {name} | {cells} | {fixed:.2f} | {per_char * sizes[0]:.2f} | "
              f"{', '.join(f'{m:.2f}' for m in middle)} | {deviation} |")

        heads = " | ".join(["1×", *(f"{s['copies']}×" for s in synth)])
        middles = ", ".join(f"{s['copies']}×" for s in synth[:-1])
        w(f"| step (wall s) | {heads} | fixed cost | cost per 1× of text | line predicts {middles} "
          "| measured − predicted |")
        w("|---|" + "---|" * (len(synth) + 1) + "---|---|---|---|")
        for name, key in (("HTML", "html"), ("EPUB", "epub"), ("book PDF", "pdf")):
            series(name, [wall(clean.get(key)), *(wall(s[key]) for s in synth)])
        if one_x.get("pdf_split") and all(s.get("pdf_split") for s in synth):
            series("PDF: Sphinx LaTeX builder", [one_x["pdf_split"][0], *(s["pdf_split"][0] for s in synth)])
            series("PDF: latexmk", [one_x["pdf_split"][1], *(s["pdf_split"][1] for s in synth)])
        w("")
        w("Fixed cost: what the step costs for an empty book on that line (start-up, style files, fonts); cost per 1× "
          "of text: what each further book's worth of chapters adds. A middle book within about ±10 % of the line is "
          "linear growth at this precision (one run each on a shared machine); well above it means the cost "
          "flattens, well below means it grows faster than the length.")
        for s in synth:
            for key in ("html", "epub", "pdf"):
                if not s[key].ok:
                    w("")
                    w(f"{s['copies']}× `make {key}` failed:")
                    w("")
                    w("```")
                    w(s[key].runs[0].tail())
                    w("```")
    else:
        w("Not measured (--skip-synthetic, or the book did not build).")
    w("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=("committed", "worktree"), default="committed",
                        help="what to copy into bench/work/: the last commit (default) or the working tree")
    parser.add_argument("--runs", type=int, default=3, help="runs per short measurement (median), default 3")
    parser.add_argument("--long-runs", type=int, default=2, help="runs per clean PDF, catalogue and full build")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--lenient", action="store_true",
                        help="build without -W (for a book in the middle of being written; the report says so)")
    parser.add_argument("--skip-preview", action="store_true")
    parser.add_argument("--preview-only", action="store_true",
                        help="measure only the live preview, plain Sphinx's incremental HTML and make html (~2 min)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    info = {
        "command": " ".join(["bench/run.py", *(argv if argv is not None else sys.argv[1:])]) or "bench/run.py",
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "source": "last commit" if args.source == "committed" else "working tree",
        "commit": subprocess.run(["git", "log", "-1", "--format=%h %s"], cwd=REPO, stdout=subprocess.PIPE,
                                 text=True).stdout.strip()[:80],
        "machine": machine(), "load_start": load(), "runs": args.runs, "long_runs": args.long_runs,
    }
    if args.source == "worktree":
        info["commit"] += ", plus uncommitted changes"

    WORK.mkdir(parents=True, exist_ok=True)
    root = WORK / "book"
    snapshot(root, args.source)
    make_vars = [f"INSTALLED={INSTALLED_STAMP}"] + (["SPHINXOPTS=-q -n"] if args.lenient else [])
    book = Book(root, book_env(root), make_vars)
    check_copy(book)
    one_x = {"chars": book.book_chars()}

    if args.preview_only:
        preview = bench_preview(book, args.runs)
        info["elapsed"] = time.perf_counter() - t0
        lines = ["# Speed benchmark: the live preview only", "",
                 f"Written by `bench/run.py` ({info['command']}) on {info['date']}; sources: {info['source']} "
                 f"({info['commit']}). Times in seconds. Load average at start {info['load_start']}, at end "
                 f"{load()}; {info['machine']['cores']} cores. The whole benchmark is `make bench`.", "",
                 *report_preview(preview)]
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"[bench] wrote {args.out} in {info['elapsed'] / 60:.1f} min", file=sys.stderr)
        return 0

    clean = bench_clean(book, args.runs, args.long_runs, one_x)
    builds = any(fig is not None and fig.ok for fig in clean.values())
    if not builds:
        print("[bench] the book does not build at all: the remaining measurements are skipped", file=sys.stderr)
    noop = bench_noop(book, args.runs) if builds else {"error": "the book does not build (see the clean builds)"}
    edit = bench_edit(book, args.runs, book.has_target("handouts")) if noop.get("figure") else {}
    parallel = bench_handouts_parallel(book, args.runs) if builds else None
    base = None if args.skip_baseline or not builds else bench_baseline(book, args.runs, args.long_runs)
    synth = [] if args.skip_synthetic or not builds else [bench_synthetic(book, n) for n in SIZES]
    preview = None if args.skip_preview or not builds else bench_preview(book, args.runs)

    info["load_end"] = load()
    timed_seconds = sum(r.wall for r in ALL_RUNS)
    info["others"] = sum(r.others * r.wall for r in ALL_RUNS) / timed_seconds if timed_seconds else 0.0
    info["busy"] = info["others"] > 0.2
    info["elapsed"] = time.perf_counter() - t0
    text = report(info, clean, noop, edit, parallel, base, synth, one_x, preview)
    if args.lenient:
        text = text.replace("# Speed benchmark of the book pipeline\n",
                            "# Speed benchmark of the book pipeline\n\n**Lenient run: built without -W "
                            "(warnings did not stop the build); not a valid measurement of the real pipeline.**\n", 1)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"[bench] wrote {args.out} in {info['elapsed'] / 60:.1f} min", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
