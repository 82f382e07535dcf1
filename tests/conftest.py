"""Shared pytest set-up: Sphinx's testing fixtures and the folder of small test roots.

Each failure mode has its own tiny Sphinx project under ``tests/roots/test-<name>/`` and is built with
``@pytest.mark.sphinx("html", testroot="<name>")``, as in Sphinx's own test suite.
"""
import os
from pathlib import Path

import pytest

# Tests read Sphinx's messages as plain text. Sphinx colours them whenever CI=true or FORCE_COLOR is set
# (as on the CI runner), even into a pipe, so switch colour off for every build the tests start.
os.environ["NO_COLOR"] = "1"

pytest_plugins = ("sphinx.testing.fixtures",)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def rootdir():
    return REPO / "tests" / "roots"


@pytest.fixture(scope="session")
def built_small_book(tmp_path_factory):
    """The small test book (tests/smallbook/), built once with `make` into every deliverable. Tests copy the built
    tree, damage the copy and build it again: a whole `make` of it takes seconds."""
    from bookcopy import copy_small_book
    from damage import build

    project = copy_small_book(tmp_path_factory.mktemp("smallbook") / "book")
    result = build(project, "all")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project
