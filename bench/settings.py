"""Where the benchmark works and what it builds: the paths, the make targets it times, the synthetic sizes.
"""
from __future__ import annotations

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
