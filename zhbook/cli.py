"""How every command of the build fails: with the book's own messages, and never with a traceback.

A traceback means a bug in the pipeline, not a mistake in the book, so an editor never sees one unless asked
(``make DEBUG=1`` sets ``ZHBOOK_DEBUG=1``). The Makefile starts each tool through this module:

- ``python -m zhbook.cli MODULE ARGS…`` runs ``zhbook.MODULE`` as ``python -m zhbook.MODULE`` would; an
  exception it does not handle becomes one line naming the tool and the exception;
- ``python -m zhbook.cli sphinx-build ARGS…`` runs Sphinx with its messages as they come, but turns its crash
  report (versions, extensions, the last frame of a traceback, some forty lines) into one line: the error's own
  message when Sphinx stopped on a problem in the book (a bad ``book.toml`` read by ``conf.py``), else the
  exception, the file where Sphinx saved the full report, and how to see it. A warning about a whole file
  ("document isn't included in any toctree") is given line 1, so that every message reads ``path:line: …``.

Exit statuses are passed on; a crash exits 70 (EX_SOFTWARE), Ctrl-C 130.
"""
from __future__ import annotations

import importlib.util
import os
import re
import runpy
import subprocess
import sys

DEBUG = bool(os.environ.get("ZHBOOK_DEBUG"))
EX_SOFTWARE = 70
HOW_TO_SEE = "a bug in the pipeline, not in the book: `make DEBUG=1` shows the traceback"
#: A problem in the book that reaches Sphinx as an exception already says where it is: ``path:line: …``.
LOCATED = re.compile(r"^\S[^:\n]*:\d+: ")
#: Lines that may open Sphinx's crash report ("Encoding error!", "Extension error (zhbook.x)!"): held back until
#: it is known whether a report follows.
CRASH_HEADER = re.compile(r"^\s*$|^[A-Za-z][^:]*!$")
WHOLE_FILE = re.compile(r"^(\S+\.(?:md|rst|bib|yaml|toml|svg|css|py)): (WARNING|ERROR|CRITICAL): ")
HANDLER_FAILED = re.compile(r"Handler <function (?P<function>\S+) at \S+> for event '(?P<event>[^']+)' threw an "
                            r"exception \(exception: (?P<exception>.*)\)$")


def module_name(tool: str) -> str:
    """The module a tool name stands for: ``texrun`` is ``zhbook.tools.texrun``, ``metadata`` is ``zhbook.metadata``,
    and a dotted name inside the package (``tools.catalog``) is taken as it is."""
    for candidate in (f"zhbook.tools.{tool}", f"zhbook.{tool}"):
        if importlib.util.find_spec(candidate.rpartition(".")[0]) and importlib.util.find_spec(candidate):
            return candidate
    raise SystemExit(f"error: zhbook has no tool named {tool!r}")


def run_module(tool: str, args: list[str]) -> int:
    module = module_name(tool)
    sys.argv = [module, *args]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as done:
        code = done.code
        if code is None or isinstance(code, int):
            return code or 0
        print(code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the one place that turns a crash into a message
        if DEBUG:
            raise
        print(f"error: {module} crashed ({type(error).__name__}: {error}); {HOW_TO_SEE}", file=sys.stderr)
        return EX_SOFTWARE
    return 0


def crash_summary(report: list[str]) -> str:
    """One line for Sphinx's crash report: the exception (the lines after the traceback's last frame)."""
    lines = [line.rstrip("\n") for line in report]
    saved = next((lines[i + 1].strip() for i, line in enumerate(lines)
                  if line.startswith("The full traceback has been saved in") and i + 1 < len(lines)), "")
    start = next((i for i, line in enumerate(lines) if line.strip() == "Traceback"), None)
    body: list[str] = []
    if start is not None:
        end = next((i for i, line in enumerate(lines) if line.startswith("The full traceback")), len(lines))
        section = [line for line in lines[start + 2:end] if line.strip()]
        frame = max((i for i, line in enumerate(section) if line.strip().startswith('File "')), default=-1)
        body = [line.strip() for line in section[frame + 1:] if not set(line.strip()) <= set("^~ ")]
        if frame >= 0 and body:
            body = body[1:] or body  # the frame's source line
    message = " ".join(body) or next((line.strip() for line in lines if line.strip()), "Sphinx stopped")
    located = re.sub(r"^[\w.]+(Error|Exception|SystemMessage): ", "", message)
    if LOCATED.match(located):
        return located
    # Sphinx names the category of a SphinxError ("Configuration error!", "Bibliography error!"): an error an
    # extension raised on purpose, after saying what is wrong. Not so an extension's handler that failed (a bug),
    # an encoding error (the input check should have caught it) or any other exception (no category at all).
    header = next((line.strip() for line in lines if CRASH_HEADER.match(line) and line.strip()), "")
    if header and not re.match(r"(Extension|Encoding|Recursion) error\b", header):
        return f"error: {located}"
    handler = HANDLER_FAILED.search(message)
    if handler:
        message = f"in {handler['function']}, handling {handler['event']}: {handler['exception']}"
    extension = re.search(r"\((\S+)\)!$", header)
    where = f" in {extension.group(1)}" if extension else ""
    return f"error: Sphinx crashed{where} ({message}); {HOW_TO_SEE}" + (f" (report: {saved})" if saved else "")




def run_sphinx(args: list[str]) -> int:
    """sphinx-build, its crash report condensed (passed on whole under ZHBOOK_DEBUG, with -T's traceback)."""
    command = [sys.executable, "-m", "sphinx", *args]
    if DEBUG:
        return subprocess.call([*command, "-T"])
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, errors="replace", bufsize=1)
    held: list[str] = []
    report: list[str] | None = None
    try:
        for line in proc.stderr:
            if report is not None:
                report.append(line)
            elif line.strip() == "Versions":
                report = held + [line]
                held = []
            elif CRASH_HEADER.match(line):
                held.append(line)
            else:
                sys.stderr.write("".join(held) + WHOLE_FILE.sub(r"\1:1: \2: ", line))
                sys.stderr.flush()
                held = []
        status = proc.wait()
    except KeyboardInterrupt:
        proc.wait()
        return 130
    sys.stderr.write("".join(held))
    if report is None:
        return status
    print(crash_summary(report), file=sys.stderr)
    return status or 1


def main(argv: list[str] | None = None) -> int:
    """The ``zhbook`` command: ``zhbook TOOL ARGS…`` runs a tool, ``zhbook sphinx-build ARGS…`` runs Sphinx."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "sphinx-build":
        return run_sphinx(argv[1:])
    return run_module(argv[0], argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
