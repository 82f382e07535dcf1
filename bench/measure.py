"""The measurements: clean builds of each format, the no-op make, one paragraph edited, the handouts with -j2, the
baseline and the synthetic books. Each returns its figures for the report.
"""
from __future__ import annotations

import shutil

from copies import Book, book_env, clone, edit_paragraph, mtimes, reread_docs
from plain_sphinx import latexmk, latexmk_passes, make_baseline, sphinx_build
from settings import EDIT_MARKS, MAKE_TARGETS, WORK
from synthetic import multiply
from timing import Figure, Run, repeat

FORMATS = [  # (name, make target, long?)
    ("HTML", "html", False),
    ("EPUB", "epub", False),
    ("book PDF", "pdf", True),
    ("handouts", "handouts", False),  # short: its ratio to -j2 is a goal
    ("catalogue (needs the PDF)", "catalog", True),
    ("everything (`make`)", "all", True),
]


def bench_clean(book: Book, runs: int, long_runs: int, one_x: dict) -> dict:
    results = {}
    for name, target, long in FORMATS:
        if not book.has_target(MAKE_TARGETS.get(target, target)):
            results[target] = None
            continue

        def build() -> Run:
            run = book.make(MAKE_TARGETS.get(target, target))
            if target == "pdf":  # the stage split and page count of the book, for the 10x comparison
                one_x["pdf_split"], one_x["pages"] = pdf_split(book, run), book.pdf_pages()
            return run

        results[target] = repeat(long_runs if long else runs, book.clean, build)
    return results


def pdf_split(book: Book, run: Run) -> tuple[float, float] | None:
    """Seconds in Sphinx's LaTeX builder and in latexmk, from the mtimes of the .tex and the .pdf it writes."""
    tex = book.root / "build" / "latex" / f"{book.slug}.tex"
    pdf = tex.with_suffix(".pdf")
    if not (run.ok and tex.exists() and pdf.exists()):
        return None
    sphinx_done, tex_done = tex.stat().st_mtime - run.started, pdf.stat().st_mtime - tex.stat().st_mtime
    return sphinx_done, tex_done


def bench_noop(book: Book, runs: int) -> dict:
    book.clean()
    full = book.make("all", label="full build before the no-op runs")
    if not full.ok:
        return {"figure": None, "error": full.tail()}
    before = {**mtimes(book.root / "build"), **{f"dist/{k}": v for k, v in mtimes(book.root / "dist").items()}}
    figure = repeat(max(runs, 5), None, lambda: book.make(label="no-op make"))
    after = {**mtimes(book.root / "build"), **{f"dist/{k}": v for k, v in mtimes(book.root / "dist").items()}}
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    stages = sorted({line for r in figure.runs for line in r.progress()})
    return {"figure": figure, "changed": changed, "stages": stages}


def bench_edit(book: Book, runs: int, handouts: bool) -> dict:
    chapter = book.chapters()[0]
    original = chapter.read_text(encoding="utf-8")
    rows = []
    try:
        for k in range(runs):
            # Both editions at once, as `make -j2` would build them; then, after another edit, one by one.
            edit_paragraph(chapter, original, EDIT_MARKS[(2 * k + 1) % len(EDIT_MARKS)])
            together = book.make("epub-draft", "html", jobs=2, label=f"edit {k + 1}: make -j2 epub-draft html")
            line = edit_paragraph(chapter, original, EDIT_MARKS[2 * k % len(EDIT_MARKS)])
            doctrees = mtimes(book.root / "build" / "doctrees", "*/**/*.doctree")
            row = {"line": line, "epub+html -j2": together}
            for target in ("epub", "html", "pdf", *(("handouts",) if handouts else ())):
                row[target] = book.make(MAKE_TARGETS.get(target, target), label=f"edit {k + 1}: make {target}")
            row["reread"] = reread_docs(book, doctrees)
            rows.append(row)
    finally:
        chapter.write_text(original, encoding="utf-8")
    return {"chapter": chapter.relative_to(book.root), "rows": rows}


def bench_handouts_parallel(book: Book, runs: int) -> Figure | None:
    if not book.has_target("handouts"):
        return None
    return repeat(runs, book.clean, lambda: book.make("handouts", jobs=2))


def bench_baseline(book: Book, runs: int, long_runs: int) -> dict:
    dest = WORK / "baseline"
    counts = make_baseline(book, dest)
    python = book.root / ".venv" / "bin" / "python"
    env = dict(book.env)
    env.pop("PYTHONPATH", None)  # plain Sphinx: nothing of zhbook
    html = repeat(runs, None, lambda: sphinx_build(dest, "html", env, python))
    epub = repeat(runs, None, lambda: sphinx_build(dest, "epub", env, python))
    latex_runs, tex_runs = [], []
    for _ in range(long_runs):
        latex_runs.append(sphinx_build(dest, "latex", env, python))
        tex_runs.append(latexmk(dest, env))
    return {"counts": counts, "html": html, "epub": epub, "latex": Figure(latex_runs), "latexmk": Figure(tex_runs),
            "passes": [latexmk_passes(r) for r in tex_runs]}


def bench_synthetic(book: Book, copies: int) -> dict:
    big = Book(WORK / f"book{copies}", book_env(WORK / f"book{copies}"), book.make_vars)
    clone(book.root, big.root)
    chapters, labels = multiply(big, copies)
    results = {"copies": copies, "chapters": chapters, "labels": labels, "chars": big.book_chars()}
    for target in ("html", "epub", "pdf"):
        big.clean()
        run = big.make(target, label=f"{copies}x book: make {target}")
        results[target] = Figure([run])
        if target == "pdf":
            results["pdf_split"] = pdf_split(big, run)
            results["pages"] = big.pdf_pages()
    shutil.rmtree(big.root, ignore_errors=True)  # a 10x build tree is large; the figures are all we keep
    return results
