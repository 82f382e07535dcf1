"""Building a damaged copy and reading what make said: shared by the damage tests and the fuzz test.

A build either succeeds or stops with messages of the form ``path:line: what is wrong`` (Sphinx adds
``WARNING:``, the LaTeX step ``error:``); nothing else an editor could mistake for a message about the book, and
never a traceback. ``dist/`` must be byte for byte as it was after a failure.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

from bookcopy import SMALL_BOOK_EPOCH

#: Lines make and the pipeline print around the messages about the book, which are not such messages.
NOISE = re.compile(r"^(make(\[\d+\])?: \*\*\* |  another make is running|  \S)")
PROBLEM = re.compile(r"^(?:error: )?(?P<path>[^\s:][^:]*):(?P<line>\d+): (?P<message>.*)$")
CRASH_SIGNS = ("Traceback", "Exception occurred", "crashed", "error!", "Error!")


class Hang(AssertionError):
    """A build that did not finish in its time: a hang is a failure of its own, never a slow success."""


def build(project: Path, *targets: str, timeout: int = 300, **env: str) -> subprocess.CompletedProcess:
    """`make TARGETS` in a copy, as an editor runs it: no flags or DEBUG inherited from a make around the tests.
    After ``timeout`` seconds the whole process group (make, Sphinx, XeLaTeX) is killed and :class:`Hang` raised."""
    environment = {**os.environ, "SOURCE_DATE_EPOCH": SMALL_BOOK_EPOCH, "MAKEFLAGS": "", "MAKELEVEL": "",
                   "DEBUG": "", "ZHBOOK_DEBUG": "", "ZHBOOK_LOCK_HELD": "", "NO_COLOR": "1", **env}
    command = ["make", "-C", str(project), "--no-print-directory", *targets]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise Hang(f"make {' '.join(targets)} did not finish within {timeout} s") from None
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def problems(result: subprocess.CompletedProcess, project: Path) -> list[tuple[str, int, str]]:
    """(path relative to the project, line, message) of every ``path:line:`` message, in order."""
    found = []
    for line in result.stderr.splitlines():
        match = PROBLEM.match(line.replace(f"{project}/", ""))
        if match and not line.startswith("make"):
            found.append((match["path"], int(match["line"]), match["message"]))
    return found


def crash_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines()
            if any(sign in line for sign in CRASH_SIGNS)]


def tree_digest(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
