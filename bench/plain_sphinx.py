"""The baseline: the same sources for plain Sphinx (bench/baseline/conf.py), the project's roles replaced by their
text and its directives dropped, built with sphinx-build and latexmk as Sphinx's own Makefile would.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from copies import Book
from settings import BASELINE_CONF
from timing import Run, timed

def project_markup(root: Path) -> tuple[set[str], set[str]]:
    """The roles and directives the project's extensions add (plain Sphinx does not know them)."""
    roles, directives = set(), set()
    for module in (root / "zhbook").rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        roles.update(re.findall(r"add_role\(\s*[\"']([\w:-]+)[\"']", text))
        directives.update(re.findall(r"add_directive\(\s*[\"']([\w:-]+)[\"']", text))
    return roles, directives


def event_dates(root: Path) -> dict[str, str]:
    import yaml
    path = root / "source" / "timeline.yaml"
    if not path.exists():
        return {}
    dates = {}
    for event in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        parts = str(event.get("date", "")).split("-")
        dates[str(event.get("id"))] = "".join(f"{int(p)}{unit}" for p, unit in zip(parts, "年月日") if p.isdigit())
    return dates


def baseline_bib(src: Path, dest: Path) -> None:
    """A copy of a bib file a stock pybtex style can format: every entry @misc, ``year``/``month`` from ``date``."""
    from pybtex.database import BibliographyData, Entry, parse_file
    data = parse_file(str(src), bib_format="bibtex")
    out = BibliographyData()
    for key, entry in data.entries.items():
        fields = {k: v for k, v in entry.fields.items() if k.lower() not in {"date", "urldate", "langid"}}
        date = entry.fields.get("date", "")
        if re.match(r"^\d{4}", date):
            fields["year"] = date[:4]
        if re.match(r"^\d{4}-\d{2}", date):
            fields["month"] = str(int(date[5:7]))
        venue = next((entry.fields[f] for f in ("journal", "journaltitle", "publisher", "institution")
                      if f in entry.fields), None)
        if venue and "howpublished" not in fields:
            fields["howpublished"] = venue
        out.entries[key] = Entry("misc", fields=fields, persons=entry.persons)
    dest.write_text(out.to_string("bibtex"), encoding="utf-8")


def make_baseline(book: Book, dest: Path) -> dict[str, int]:
    """Plain-Sphinx sources: the chapters with the project's roles replaced by text, its directives dropped."""
    shutil.rmtree(dest, ignore_errors=True)
    src = dest / "src"
    shutil.copytree(book.root / "source", src, ignore=shutil.ignore_patterns("conf.py", "book.toml", "*.yaml"))
    shutil.copy2(BASELINE_CONF, src / "conf.py")
    (src / "bib").mkdir()
    for bib in sorted((book.root / "bib").glob("*.bib")):
        baseline_bib(bib, src / "bib" / bib.name)
    roles, directives = project_markup(book.root)
    dates = event_dates(book.root)
    counts = {"roles": 0, "directives": 0}
    role_re = re.compile(r"\{(" + "|".join(map(re.escape, roles)) + r")\}`([^`]*)`") if roles else None
    block_re = re.compile(r"^(`{3,}|:{3,})\{(" + "|".join(map(re.escape, directives)) + r")\}.*?^\1[ \t]*$\n?",
                          re.M | re.S) if directives else None
    for page in src.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if role_re:
            def plain(m: re.Match) -> str:
                counts["roles"] += 1
                return dates.get(m.group(2), m.group(2)) if m.group(1) == "event" else m.group(2)
            text = role_re.sub(plain, text)
        if block_re:
            text, n = block_re.subn("", text)
            counts["directives"] += n
        page.write_text(text, encoding="utf-8")
    return counts


def sphinx_build(dest: Path, builder: str, env: dict[str, str], python: Path) -> Run:
    out = dest / "out"
    shutil.rmtree(out / builder, ignore_errors=True)
    shutil.rmtree(out / "doctrees" / builder, ignore_errors=True)
    cmd = [str(python), "-m", "sphinx", "-b", builder, "-q", "-d", str(out / "doctrees" / builder), str(dest / "src"),
           str(out / builder)]
    return timed(cmd, dest, env, f"baseline: sphinx-build -b {builder}")


def latexmk(dest: Path, env: dict[str, str]) -> Run:
    """What Sphinx's own latex Makefile does (latexmk with the latexmkrc Sphinx wrote), without quiet mode."""
    latex = dest / "out" / "latex"
    for aux in latex.glob("baseline.*"):
        if aux.suffix != ".tex":
            aux.unlink()
    cmd = ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error", "baseline.tex"]
    run = timed(cmd, latex, env, "baseline: latexmk")
    return run


def latexmk_passes(run: Run) -> int:
    return len(re.findall(r"Run number \d+ of rule '(?:xe|pdf)?latex'", run.text))
