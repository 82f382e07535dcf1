"""Running and timing: one command timed (wall, CPU of every process it started, the load others put on the
machine), several runs summarised by medians, and a description of the machine.
"""
from __future__ import annotations

import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from settings import REPO

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


def repeat(n: int, before, action) -> Figure:
    runs = []
    for _ in range(n):
        if before:
            before()
        runs.append(action())
    return Figure(runs)


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
