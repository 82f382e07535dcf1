"""Shared pytest set-up: Sphinx's testing fixtures and the folder of small test roots.

Each failure mode has its own tiny Sphinx project under ``tests/roots/test-<name>/`` and is built with
``@pytest.mark.sphinx("html", testroot="<name>")``, as in Sphinx's own test suite.
"""
from pathlib import Path

import pytest

pytest_plugins = ("sphinx.testing.fixtures",)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def rootdir():
    return REPO / "tests" / "roots"
