"""zhbook.ext.content_policy: raw LaTeX or HTML, a remote image and a document without a title are each refused at
their file and line (tests/roots/test-content-policy); a missing image is reported once by Sphinx and does not
crash the LaTeX builder."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sphinx.util.console import strip_escape_sequences

ROOT = Path(__file__).parent / "roots" / "test-content-policy"


def build(make_app, tmp_path, builder):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    app = make_app(builder, srcdir=srcdir, builddir=srcdir / "_build")
    app.build()
    lines = strip_escape_sequences(app.warning.getvalue()).splitlines()
    return [line.replace(f"{srcdir}/", "") for line in lines if "WARNING" in line], app


def line_of(text: str) -> int:
    lines = (ROOT / "index.md").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_each_refused_input_names_its_file_and_line(make_app, tmp_path):
    warnings, _ = build(make_app, tmp_path, "dummy")
    policy = sorted(w for w in warnings if "[zhbook." in w)
    assert policy == sorted([
        f"index.md:{line_of('{raw} latex')}: WARNING: raw latex is not allowed in the book's sources "
        "(use the book's own markup; see README) [zhbook.raw]",
        f"index.md:{line_of('<div')}: WARNING: raw html is not allowed in the book's sources "
        "(use the book's own markup; see README) [zhbook.raw]",
        f"index.md:{line_of('https://example.org')}: WARNING: remote image https://example.org/figure.png: builds are "
        "offline, put the file under source/figures/ [zhbook.remote_image]",
        "untitled.md:1: WARNING: the document has no title: start it with a heading (# 标题); the PDF's chapters, the "
        "EPUB's navigation and links to it are made from the title [zhbook.title]",
    ]), warnings


@pytest.mark.parametrize("builder", ["latex", "epub"])
def test_a_missing_image_is_one_warning_not_a_crash(make_app, tmp_path, builder):
    warnings, app = build(make_app, tmp_path, builder)
    missing = [w for w in warnings if "missing.png" in w]
    assert len(missing) == 1 and missing[0].startswith(f"index.md:{line_of('missing.png')}: WARNING:"), warnings
    assert not [w for w in warnings if re.search(r"Traceback|Exception", w)]
    built = Path(app.outdir)
    assert any(built.rglob("pic.png")), "the image that exists is still copied"
    assert not any(built.rglob("missing.png"))
