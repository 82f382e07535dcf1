"""The live preview measured (issue 17): a one-paragraph save until `make serve` serves the page and sends the
reload message, against plain Sphinx's incremental HTML build of the same edit on the plain-Sphinx copy, and
`make html` after the same edit; the same chapter, paragraph and number of runs for all three."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from copies import Book, edit_paragraph
from plain_sphinx import make_baseline, sphinx_build
from settings import EDIT_MARKS, WORK
from timing import Figure, timed


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
                shown = [f"{x:.2f} s" if x is not None else "never" for x in (s, r)]
                print(f"[bench]   save -> served {shown[0]}, reload message {shown[1]}", file=sys.stderr, flush=True)
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
