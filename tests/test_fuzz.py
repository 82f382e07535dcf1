"""Random damage to the small test book, with Hypothesis: the build succeeds or names a file and line (issue 18).

Each example copies the built small book (tests/smallbook/), applies one to three random mutations to its input
files — bytes (NUL, 0xFF, a lone UTF-8 lead byte, CR, a BOM, an escape, U+2028, random bytes), MyST, BibTeX, YAML,
TOML, XML and CSS tokens inserted or deleted, a line doubled, a file cut short — and runs `make` with a timeout.
Every example must end in one of two ways:

- the build succeeds (its own checks, the output scan included, found nothing wrong); or
- it fails, and its first message is ``path:line: …`` naming an input file of the book and a line that file has;

and never in a traceback or crash report, a hang, or a changed dist/ after a failure.

``make test`` runs a few examples (ZHBOOK_FUZZ_EXAMPLES, default 6), always the same ones (derandomized), building
the HTML edition; ``make fuzz`` runs 200 random ones and builds everything (ZHBOOK_FUZZ_TARGETS=all). Hypothesis
prints the damage of a failing example, and ``@reproduce_failure`` replays it.
"""
from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookcopy import copy_tree
from damage import build, crash_lines, problems, tree_digest

EXAMPLES = int(os.environ.get("ZHBOOK_FUZZ_EXAMPLES", "6"))
LONG_RUN = "ZHBOOK_FUZZ_EXAMPLES" in os.environ
TARGETS = os.environ.get("ZHBOOK_FUZZ_TARGETS", "all" if LONG_RUN else "html").split()
TIMEOUT = 300  # seconds for one build: the small book builds everything in about 15

INPUTS = ["source/chapters/01-first.md", "source/chapters/02-second.md", "source/index.md",
          "source/backmatter/glossary.md", "bib/sample.bib", "source/timeline.yaml", "source/book.toml",
          "source/figures/flow.svg", "_static/epub.css"]
TOKENS = [b"`", b"``", b"```", b"{cite}`", b"{ref}`", b"{numref}`", b"{term}`", b"{event}`", b"{index}`",
          b"```{figure}", b"```{list-table}", b":::", b":::{note}", b"(ch1)=", b"(", b")", b")=", b"[", b"]",
          b"{", b"}", b"\n", b"\n\n", b"# ", b"## ", b"* ", b"- ", b"1. ", b"|", b"$", b"$$", b"%", b"@", b"@book{",
          b",", b"=", b'"', b"'", b":", b": ", b"---", b"<", b">", b"</", b"/>", b"&", b"&amp;", b"<!--", b"*/",
          b"/*", b"\\", b"*", b"_", b"??", b"[?]", b"\t", b"  ", b"\xe3\x80\x82", b"\xef\xbc\x8c"]
SPECIAL_BYTES = [b"\x00", b"\xff", b"\xc3", b"\xe4\xb8", b"\r", b"\r\n", b"\xef\xbb\xbf", b"\x1b", b"\x7f",
                 "\u2028".encode(), "\ufffd".encode(), b"\xc2\x85"]

position = st.floats(min_value=0, max_value=1, allow_nan=False)
mutation = st.one_of(
    st.tuples(st.just("insert"), position, st.sampled_from(TOKENS + SPECIAL_BYTES) | st.binary(min_size=1,
                                                                                                  max_size=3)),
    st.tuples(st.just("delete"), position, st.integers(min_value=1, max_value=40)),
    st.tuples(st.just("delete token"), position, st.sampled_from(TOKENS)),
    st.tuples(st.just("double line"), position, st.just(b"")),
    st.tuples(st.just("cut short"), position, st.just(b"")),
)
damage = st.lists(st.tuples(st.sampled_from(INPUTS), mutation), min_size=1, max_size=3)


def mutate(data: bytes, kind: str, where: float, arg) -> bytes:
    at = int(where * len(data))
    if kind == "insert":
        return data[:at] + arg + data[at:]
    if kind == "delete":
        return data[:at] + data[at + arg:]
    if kind == "delete token":
        found = data.find(arg, at)
        found = found if found >= 0 else data.find(arg)
        return data if found < 0 else data[:found] + data[found + len(arg):]
    if kind == "double line":
        start = data.rfind(b"\n", 0, at) + 1
        end = data.find(b"\n", at)
        end = len(data) if end < 0 else end + 1
        return data[:end] + data[start:end] + data[end:]
    return data[:at]  # cut short


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG_RUN, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(damage=damage)
def test_damaged_book_builds_or_names_file_and_line(built_small_book, workdir, damage):
    project = workdir / "book"
    shutil.rmtree(project, ignore_errors=True)
    copy_tree(built_small_book, project)
    dist = tree_digest(project / "dist")
    for name, (kind, where, arg) in damage:
        path = project / name
        path.write_bytes(mutate(path.read_bytes(), kind, where, arg))

    result = build(project, *TARGETS, timeout=TIMEOUT)

    assert not crash_lines(result), "\n".join(crash_lines(result))
    if result.returncode == 0:
        return
    found = problems(result, project)
    assert found, "the build failed without a file:line message:\n" + result.stderr[-3000:]
    path, line, message = found[0]
    source = project / path
    assert path.split("/")[0] in ("source", "bib", "_static") and source.is_file(), found[0]
    assert 1 <= line <= source.read_bytes().count(b"\n") + 1, found[0]
    assert tree_digest(project / "dist") == dist, "a failed build changed dist/"
