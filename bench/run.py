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

This file holds the command; each part reads alone: settings.py (paths, targets, sizes), timing.py (running and
timing a command, medians, the machine), copies.py (the private copies and the edits made to them), synthetic.py
(the longer book), plain_sphinx.py (the baseline), measure.py (each measurement), preview.py (the live preview
measured), report.py (RESULTS.md).
"""
from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import time
from pathlib import Path

from copies import Book, book_env, check_copy, snapshot
from measure import (bench_baseline, bench_clean, bench_edit, bench_handouts_parallel, bench_noop,
                     bench_synthetic)
from preview import bench_preview
from report import report, report_preview
from settings import INSTALLED_STAMP, REPO, RESULTS, SIZES, WORK
from timing import ALL_RUNS, load, machine


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
