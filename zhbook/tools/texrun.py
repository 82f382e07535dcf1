"""Run XeLaTeX on a Sphinx-generated .tex file and turn its failures into one clear message.

``python -m zhbook.tools.texrun build/latex/my-book.tex`` runs latexmk (XeLaTeX, no shell escape, as many
passes as the aux files need — none when nothing changed) and then checks the log: an error, a missing glyph, an
undefined reference or citation stops the build. The message names the chapter source file and the nearest line
whose text matches, and quotes only the relevant lines of the LaTeX log, not the whole log. A book whose copyright
page asks for its 版本记录 then gets it from its own measures (:func:`zhbook.tools.catalog.imprint.settle`: one more
XeLaTeX pass when 印张 or 字数 changed).
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from zhbook.core.dates import SourceDateEpochError, source_date_epoch
from zhbook.ext.index import pinyin as pinyin_index
from zhbook.tools import stages

LATEXMKRC = Path(__file__).with_name("latexmkrc")
DOC_LABEL = re.compile(r"\\label\{\\detokenize\{([^}:]+)::doc\}\}")
LOG_PROBLEMS = [
    (re.compile(r"Missing character: There is no (\S+?)(?: \(U\+[0-9A-F]+\))? in font ([^!\n]+)!?"),
     "missing glyph {0} in font {1}"),
    (re.compile(r"LaTeX Warning: Reference `([^']+)' on page \d+ undefined"), "undefined reference {0}"),
    (re.compile(r"LaTeX Warning: Citation `([^']+)' on page \d+ undefined"), "undefined citation {0}"),
    (re.compile(r"LaTeX Warning: Hyper reference `([^']+)' on page \d+ undefined"), "link to a missing target {0}"),
]


IMPRINT_REQUEST = "% zhbook-imprint: "  # the copyright page's request (zhbook.tools.catalog.imprint.REQUEST)
INPUT_LINE = re.compile(r" on input line (\d+)\.")
FONT_COMMANDS = re.compile(r"\\set(?:CJK)?(?:main|sans|mono)font\{([^}]+)\}(?:\[([^\]]*)\])?")


class TexFailure(Exception):
    pass


def missing_fonts(tex: Path) -> list[str]:
    """Font families the .tex asks for that fontconfig does not know (XeLaTeX would stop with a long trace)."""
    text = tex.read_text(encoding="utf-8", errors="replace")
    wanted = set()
    for family, options in FONT_COMMANDS.findall(text):
        wanted.add(family.strip())
        wanted.update(f.strip() for f in re.findall(r"Font=\{?([^,}]+)\}?", options or ""))
    missing = []
    for family in sorted(wanted):
        bold = family.endswith(" Bold")
        query = f":family={family.removesuffix(' Bold')}" + (":style=Bold" if bold else "")
        found = subprocess.run(["fc-list", query, "family"], capture_output=True, text=True).stdout.strip()
        if not found:
            missing.append(family)
    return missing


def locate_characters(chars: set[str], srcdir: Path) -> list[str]:
    """``file:line`` of each source line that holds one of ``chars``."""
    places = []
    for path in sorted(srcdir.rglob("*.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            hit = sorted(c for c in chars if c in line)
            if hit:
                places.append(f"{path}:{number}: character {', '.join(f'{c} (U+{ord(c):04X})' for c in hit)} "
                              "has no glyph in the book's fonts")
    return places


def run_latexmk(tex: Path, quiet: bool = True, force: bool = False) -> int:
    """Run latexmk in the .tex file's folder (``force``: at least one pass, as after a changed \\input file);
    return the number of XeLaTeX passes it made."""
    # xdvipdfmx derives dates, the /ID and font-subset tags from SOURCE_DATE_EPOCH; unset, it would take the clock:
    # that stops the build instead, before anything runs.
    try:
        epoch = str(source_date_epoch())
    except SourceDateEpochError as error:
        raise TexFailure(str(error)) from None
    absent = missing_fonts(tex)
    if absent:
        raise TexFailure(f"{tex}: font(s) not installed: {', '.join(absent)} "
                         "(Debian packages fonts-noto-cjk and fonts-noto-core; run `make install`)")
    # The index is sorted by pinyin (zhbook.ext.index.pinyin), not by makeindex, which knows no pinyin.
    cmd = ["latexmk", "-norc", "-r", str(LATEXMKRC), "-e", pinyin_index.latexmkrc_line(), "-xelatex", tex.name]
    # latexmk watches neither SOURCE_DATE_EPOCH nor the book's pinyin readings (which the index sort reads from the
    # build folder): a change of either forces a run, so that a PDF never keeps the font tags of an older epoch or
    # an index sorted by older readings.
    epoch_file = tex.with_suffix(".epoch")
    readings = tex.parent / pinyin_index.READINGS_FILE
    stamp = epoch + ("\n" + readings.read_text(encoding="utf-8") if readings.is_file() else "")
    if force or not epoch_file.exists() or epoch_file.read_text(encoding="utf-8") != stamp:
        cmd.insert(1, "-g")
    if quiet:
        cmd.insert(1, "-quiet")
    # Unwrapped log lines (TeX breaks them at 79 characters), so that every message can be read in one piece.
    env = {**os.environ, "max_print_line": "100000", "error_line": "254", "half_error_line": "238"}
    proc = subprocess.run(cmd, cwd=tex.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors="replace", env=env)
    passes = len(re.findall(r"Run number \d+ of rule '(?:xe|pdf)?latex'", proc.stdout))
    if proc.returncode != 0:
        raise TexFailure(explain_error(tex))
    epoch_file.write_text(stamp, encoding="utf-8")
    return passes


def settle_imprint(tex: Path, quiet: bool = True) -> int:
    """Give a book whose copyright page asks for its 版本记录 the one its PDF measures; return the XeLaTeX passes
    that took (none when the 版本记录 was already right, or the .tex asks for none)."""
    if IMPRINT_REQUEST not in tex.read_text(encoding="utf-8", errors="replace"):
        return 0
    # Imported only here: the catalogue's libraries are not needed for the handouts.
    from zhbook.metadata import MetadataError
    from zhbook.tools.catalog import CatalogError, imprint

    passes = []
    try:
        imprint.settle(tex, lambda: passes.append(run_latexmk(tex, quiet=quiet, force=True)))
    except (MetadataError, CatalogError, imprint.ImprintError) as exc:
        raise TexFailure(str(exc)) from None
    return sum(passes)


def source_of_tex_line(tex: Path, lineno: int, srcdir: Path) -> str:
    """The chapter file (and best-matching line) that produced line ``lineno`` of the generated .tex."""
    lines = tex.read_text(encoding="utf-8", errors="replace").splitlines()
    docname = None
    for line in reversed(lines[:lineno]):
        match = DOC_LABEL.search(line)
        if match:
            docname = match.group(1)
            break
    if docname is None:
        return f"{tex.name}:{lineno} (preamble or title pages)"
    candidates = [p for p in (srcdir / f"{docname}.md", srcdir / f"{docname}.rst") if p.exists()]
    if not candidates:
        return f"{docname}"
    source = candidates[0]
    offending = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    # The longest run of CJK or word characters of the offending line is usually verbatim in the source.
    runs = sorted(re.findall(r"\w{4,}", offending), key=len, reverse=True)  # \w: Han characters too
    src_lines = source.read_text(encoding="utf-8").splitlines()
    for run in runs:
        for i, src in enumerate(src_lines, 1):
            if run in src:
                return f"{source}:{i}"
    return f"{source}"


def explain_error(tex: Path, srcdir: Path | None = None) -> str:
    """One short message: where (chapter file and line) and the relevant lines of the log."""
    srcdir = srcdir or find_srcdir(tex)
    log = tex.with_suffix(".log")
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    loglines = text.splitlines()
    for i, line in enumerate(loglines):
        match = re.match(r"^(?:\./)?([^:\s]+\.(?:tex|ind|bbl|aux)):(\d+): (.*)", line)
        if match and not match.group(1).endswith(".tex"):
            # An error in a generated auxiliary file (the index, say) has no chapter line to point at.
            context = [l for l in loglines[i:i + 6] if l.strip()]
            return f"{tex.parent / match.group(1)}:{match.group(2)}: LaTeX error: {match.group(3)}\n" + \
                "\n".join("    " + l for l in context)
        if match:
            lineno, message = int(match.group(2)), match.group(3)
        elif line.startswith("! "):
            message = line[2:]
            found = (re.match(r"^l\.(\d+)", later) for later in loglines[i:i + 20])
            lineno = next((int(m.group(1)) for m in found if m), 0)
        else:
            continue
        where = source_of_tex_line(tex, lineno, srcdir) if lineno else tex.name
        context = [l for l in loglines[i:i + 6] if l.strip()]
        return f"{where}: LaTeX error: {message}\n" + "\n".join("    " + l for l in context)
    tail = "\n".join("    " + l for l in loglines[-8:])
    return f"{tex}: LaTeX failed; last lines of {log.name}:\n{tail}"


def check_log(tex: Path, srcdir: Path | None = None) -> list[str]:
    """Problems a successful run can still leave in the log: missing glyphs, unresolved references."""
    srcdir = srcdir or find_srcdir(tex)
    text = tex.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    problems = []
    for pattern, message in LOG_PROBLEMS:
        for match in pattern.finditer(text):
            problem = message.format(*match.groups())
            # An unresolved reference names the .tex line it is on: say which chapter line that came from.
            end = text.find("\n", match.end())
            line = INPUT_LINE.search(text, match.end(), end if end >= 0 else len(text))
            if line and pattern is not LOG_PROBLEMS[0][0]:
                problem = f"{source_of_tex_line(tex, int(line.group(1)), srcdir)}: {problem}"
            problems.append(problem)
    glyphs = {m.group(1) for m in LOG_PROBLEMS[0][0].finditer(text)}
    located = locate_characters(glyphs, srcdir) if glyphs else []
    return located + sorted(set(problems))


def find_srcdir(tex: Path) -> Path:
    """The Sphinx source folder: ``source/`` of the project that holds ``build/``."""
    for parent in tex.resolve().parents:
        if (parent / "source" / "conf.py").exists():
            return parent / "source"
    return tex.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tex", type=Path)
    parser.add_argument("--srcdir", type=Path, default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    start = time.monotonic()
    try:
        passes = run_latexmk(args.tex, quiet=not args.verbose)
        if not check_log(args.tex, args.srcdir):
            passes += settle_imprint(args.tex, quiet=not args.verbose)
    except TexFailure as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    problems = check_log(args.tex, args.srcdir)
    if problems:
        for problem in problems:
            where = "" if problem.startswith("/") else f"{args.tex.with_suffix('.log')}: "
            print(f"error: {where}{problem}", file=sys.stderr)
        return 1
    seconds = time.monotonic() - start
    print(f"  pdf  {args.tex.with_suffix('.pdf').name}: {passes} XeLaTeX pass(es), {seconds:.1f} s")
    if passes:
        stages.record(f"xelatex {args.tex.stem}", seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
