"""Tests of this book (《构建服务型政府》): its sources, fact table, key documents, originality and the deliverables
`make` built into dist/. The machinery's own tests are in tests/ and never read this book; these reuse their small
helpers (tests/bookcopy.py, tests/damage.py, tests/test_epub.py's readers), so tests/ goes on the import path.
"""
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

# Tests read Sphinx's messages as plain text (see tests/conftest.py).
os.environ["NO_COLOR"] = "1"

pytest_plugins = ("sphinx.testing.fixtures",)
