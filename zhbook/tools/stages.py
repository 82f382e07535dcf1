"""Progress and a summary for long builds: each stage says what it builds and how long it took.

``python -m zhbook.tools.stages run "sphinx html" -- sphinx-build …`` runs the command, prints ``  sphinx html  4.3 s``
when it is done and notes the stage in ``build/stages.log``; ``python -m zhbook.tools.stages summary`` prints what this
``make`` rebuilt and the time it took in all, then starts the log afresh. The command's exit status is passed on.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

LOG = Path("build") / "stages.log"


def record(label: str, seconds: float) -> None:
    """Note a finished stage for the summary."""
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with LOG.open("a", encoding="utf-8") as log:
        log.write(f"{seconds:.3f}\t{label}\n")


def run(label: str, command: list[str]) -> int:
    start = time.monotonic()
    status = subprocess.call(command)
    seconds = time.monotonic() - start
    if status == 0:
        print(f"  {label:<44} {seconds:6.1f} s", flush=True)
        record(label, seconds)
    return status


def summary() -> int:
    lines = LOG.read_text(encoding="utf-8").splitlines() if LOG.exists() else []
    stages = [line.split("\t", 1) for line in lines if "\t" in line]
    total = sum(float(seconds) for seconds, _ in stages)
    if stages:
        print(f"  rebuilt {len(stages)} stage(s) in {total:.1f} s of work: "
              + ", ".join(label for _, label in stages))
    else:
        print("  nothing to rebuild")
    LOG.unlink(missing_ok=True)
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["summary"]:
        return summary()
    if len(argv) >= 4 and argv[0] == "run" and argv[2] == "--":
        return run(argv[1], argv[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
