"""zhbook.ext.template_cache: the compiled templates are kept in the doctree folder and the pages come out the
same bytes whether the templates were compiled or taken from the cache."""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

from zhbook.ext.template_cache import CACHE_FOLDER

ROOT = Path(__file__).resolve().parent / "roots" / "test-search"
EXTENSIONS = "myst_parser,zhbook.ext.index.search,zhbook.ext.template_cache"


def build(outdir: Path, doctrees: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "build", "-b", "html", "-W", "-q", "-E", "-D", f"extensions={EXTENSIONS}",
         "-d", str(doctrees), str(ROOT), str(outdir)],
        capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    assert result.returncode == 0, result.stderr


def test_pages_are_the_same_with_the_cached_templates(tmp_path):
    doctrees = tmp_path / "doctrees"
    build(tmp_path / "compiled", doctrees)
    cached = sorted((doctrees / CACHE_FOLDER).iterdir())
    assert cached and all(path.name.endswith(".cache") for path in cached)
    stamps = {path: path.stat().st_mtime_ns for path in cached}
    build(tmp_path / "from-cache", doctrees)
    assert {path: path.stat().st_mtime_ns for path in cached} == stamps  # read, not written again
    comparison = filecmp.dircmp(tmp_path / "compiled", tmp_path / "from-cache", ignore=[".buildinfo", ".doctrees"])
    differing = []

    def walk(cmp: filecmp.dircmp) -> None:
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        differing.extend(mismatch + errors + cmp.left_only + cmp.right_only)
        for sub in cmp.subdirs.values():
            walk(sub)

    walk(comparison)
    assert differing == []
