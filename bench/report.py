"""bench/RESULTS.md written from the figures: goals first, then every measurement with its runs.
"""
from __future__ import annotations

import statistics

from measure import FORMATS
from settings import SIZES, TARGET_CELLS
from timing import Figure

def wall(fig: Figure | None) -> float | None:
    return fig.wall if fig and fig.ok else None


def cpu(fig: Figure | None) -> float | None:
    return fig.cpu if fig and fig.ok else None


def add(*values: float | None) -> float | None:
    return None if any(v is None for v in values) else sum(values)


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}×" if a and b else "—"


def secs(x: float | None) -> str:
    return f"{x:.2f}" if x is not None else "—"


def met(ok: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "not measured"}[ok]


def report(info: dict, clean: dict, noop: dict, edit: dict, parallel: Figure | None, base: dict | None,
           synth: dict | None, one_x: dict, preview: dict | None = None) -> str:
    out = []
    w = out.append
    w("# Speed benchmark of the book pipeline")
    w("")
    w(f"Written by `bench/run.py` ({info['command']}) on {info['date']}; sources: {info['source']} "
      f"({info['commit']}). Every time is in seconds; **wall** is what an editor waits, **CPU** is user + system "
      "time of every process the step started. Figures are medians; the runs column lists every run's wall time.")
    w("")
    w("## Machine")
    w("")
    for key in ("cores", "memory", "os", "python", "sphinx", "xelatex", "latexmk"):
        w(f"- {key}: {info['machine'][key]}")
    w(f"- load average (1, 5, 15 min) at start: {info['load_start']}; at end: {info['load_end']}; other processes "
      f"kept {info['others']:.2f} cores busy on average while the steps were timed"
      + (" — the machine was shared with other builds, so wall times are inflated; CPU times are the steadier "
         "figures, and the others' load columns say how much each step had to share" if info["busy"] else ""))
    w(f"- runs per figure: {info['runs']} for short steps and the handouts, {info['long_runs']} for clean PDF, "
      "catalogue and full builds, 1 for the synthetic books; whole benchmark: "
      f"{info['elapsed'] / 60:.1f} min")
    w("")

    # Goals first: what the issue asked for.
    edit_rows = edit.get("rows", [])

    def med(target: str) -> float | None:
        values = [row[target].wall for row in edit_rows if target in row and row[target].ok]
        return statistics.median(values) if values else None

    epub_html = add(med("epub"), med("html"))
    noop_fig = noop.get("figure")
    handouts_serial = clean.get("handouts")
    hand_ratio = wall(parallel) / wall(handouts_serial) if wall(parallel) and wall(handouts_serial) else None
    ours, ours_cpu = add(wall(clean.get("epub")), wall(clean.get("pdf"))), add(cpu(clean.get("epub")), cpu(clean.get("pdf")))
    plain = add(*(wall(base[k]) for k in ("epub", "latex", "latexmk"))) if base else None
    plain_cpu = add(*(cpu(base[k]) for k in ("epub", "latex", "latexmk"))) if base else None
    w("## Goals")
    w("")
    w("| goal | target | measured | met |")
    w("|---|---|---|---|")
    w(f"| one-paragraph edit → `make epub-draft` + `make html` | < 5 s | {secs(epub_html)} s | "
      f"{met(epub_html < 5 if epub_html is not None else None)} |")
    both = med("epub+html -j2")
    w(f"| one-paragraph edit → `make -j2 epub-draft html` | < 5 s | {secs(both)} s | "
      f"{met(both < 5 if both is not None else None)} |")
    served = statistics.median(preview["served"]) if preview and preview.get("served") else None
    w(f"| one-paragraph save → page served by `make serve` | < 2 s | {secs(served)} s | "
      f"{met(served < 2 if served is not None else None)} |")
    w(f"| `make` with nothing changed | < 1 s | {secs(noop_fig.wall if noop_fig else None)} s | "
      f"{met(noop_fig.wall < 1 if noop_fig and noop_fig.ok else None)} |")
    w(f"| handouts with `make -j2` vs serial | ≤ 0.6× | "
      f"{f'{hand_ratio:.3f}×' if hand_ratio else 'not available yet'} | "
      f"{met(hand_ratio <= 0.6 if hand_ratio else None)} |")
    w(f"| clean EPUB + PDF vs plain Sphinx (epub, latex, latexmk) | ≤ 1.5× | wall {ratio(ours, plain)}, "
      f"CPU {ratio(ours_cpu, plain_cpu)} | {met(ours / plain <= 1.5 if ours and plain else None)} |")
    w("")

    for line in report_preview(preview):
        w(line)

    w("## Clean builds")
    w("")
    w("`rm -rf build dist`, then the target. Others' load: how many cores other processes kept busy during the "
      "runs (median), from /proc/stat; on this 2-core machine anything above 0 slows the step down and above 1 "
      "leaves `-j2` no second core.")
    w("")
    w("| format | make target | wall | CPU | runs | XeLaTeX passes | others' load |")
    w("|---|---|---|---|---|---|---|")
    for name, target, _ in FORMATS:
        fig = clean.get(target)
        if fig is None:
            w(f"| {name} | `{target}` | not available yet | | | | |")
            continue
        passes = sorted({r.xelatex_passes() for r in fig.runs if r.xelatex_passes() is not None})
        w(f"| {name} | `{target}` | {fig.cell()} | {fig.cpu_cell()} | {fig.runs_cell()} | "
          f"{', '.join(map(str, passes)) or '—'} | {fig.others_cell()} |")
    if one_x.get("pdf_split"):
        s, t = one_x["pdf_split"]
        w("")
        w(f"Book PDF, last run, split by the mtimes of the .tex and the .pdf: Sphinx LaTeX builder {s:.2f} s, "
          f"latexmk (XeLaTeX, index, xdvipdfmx) {t:.2f} s, finishing "
          f"{clean['pdf'].runs[-1].wall - s - t:.2f} s; {one_x.get('pages') or '?'} pages.")
    failed = [(t, f) for t, f in clean.items() if f is not None and not f.ok]
    for target, fig in failed:
        w("")
        w(f"`make {target}` failed:")
        w("")
        w("```")
        w(next(r for r in fig.runs if not r.ok).tail())
        w("```")
    w("")

    w("## `make` with nothing changed")
    w("")
    if noop_fig:
        w(f"After a full build: {noop_fig.cell()} s wall (runs {noop_fig.runs_cell()}), {noop_fig.cpu_cell()} s CPU. "
          f"Stages started: {', '.join(noop['stages']) or 'none (no Sphinx, no LaTeX)'}. "
          f"Files under build/ or dist/ changed: {len(noop['changed'])}"
          + (f" ({', '.join(noop['changed'][:8])})" if noop["changed"] else "") + ".")
    else:
        w("Not measured: the full build failed:")
        w("")
        w("```")
        w(noop.get("error", ""))
        w("```")
    w("")

    w("## One paragraph edited")
    w("")
    if edit_rows:
        w(f"A few characters inserted into one paragraph of `{edit['chapter']}` (a different paragraph text each "
          "run, on a fully built tree), then each target in turn. Re-read: documents whose doctree Sphinx wrote "
          "again, per builder.")
        w("")
        targets = [t for t in ("epub+html -j2", "epub", "html", "pdf", "handouts") if t in edit_rows[0]]
        tex_targets = [t for t in targets if t in ("pdf", "handouts")]
        w("| run | line | " + " | ".join(f"`make {TARGET_CELLS.get(t, t)}` wall (CPU)" for t in targets) + " | "
          + " | ".join(f"XeLaTeX passes, {t}" for t in tex_targets) + " | docs re-read | others' load |")
        w("|---|---|" + "---|" * (len(targets) + len(tex_targets)) + "---|---|")
        for k, row in enumerate(edit_rows, 1):
            cells = [f"{row[t].wall:.2f} ({row[t].cpu:.2f})" if row[t].ok else "failed" for t in targets]
            passes = [str(row[t].xelatex_passes()) if row[t].xelatex_passes() is not None else "—" for t in tex_targets]
            reread = ", ".join(f"{b} {n}" for b, n in sorted(row["reread"].items()))
            others = statistics.median(row[t].others for t in targets)
            w(f"| {k} | {row['line']} | " + " | ".join(cells + passes) + f" | {reread} | {others:.2f} |")
        w("| **median** | | " + " | ".join(secs(med(t)) for t in targets) + " |" + " |" * len(tex_targets) + " | |")
        w("")
        w(f"`make epub-draft` + `make html`: {secs(epub_html)} s; `make -j2 epub-draft html`: "
          f"{secs(med('epub+html -j2'))} s "
          "(goal < 5 s).")
        if "handouts" in targets:
            stages = [line for line in edit_rows[-1]["handouts"].progress()]
            w("")
            w(f"`make handouts` after the edit printed: {'; '.join(stages) or 'nothing'}.")
    w("")

    w("## Handouts: serial against `make -j2`")
    w("")
    if handouts_serial is None:
        w("Not available yet: the Makefile has no `handouts` target. The slot stays; rerun `make bench` once it exists.")
    else:
        w(f"Clean builds (`rm -rf build dist` first): serial {handouts_serial.cell()} s wall, "
          f"{handouts_serial.cpu_cell()} s CPU (runs {handouts_serial.runs_cell()}); `make -j2 handouts` "
          f"{parallel.cell() if parallel else '—'} s wall, {parallel.cpu_cell() if parallel else '—'} s CPU "
          f"(runs {parallel.runs_cell() if parallel else '—'}); ratio {f'{hand_ratio:.2f}×' if hand_ratio else '—'} "
          f"(goal ≤ 0.6×). Others' load: {handouts_serial.others_cell()} cores serial, "
          f"{parallel.others_cell() if parallel else '—'} with -j2.")
    w("")

    w("## Baseline: plain Sphinx on the same sources")
    w("")
    if base:
        c = base["counts"]
        w(f"`bench/baseline/conf.py` (myst_parser, sphinxcontrib.bibtex with the stock `unsrt` style, "
          f"sphinxcontrib.rsvgconverter, CJK fonts) on copies of the chapters with {c['roles']} uses of the project's "
          f"roles replaced by their text and {c['directives']} project directive(s) removed; bib copies as @misc "
          "with `year`. Clean output folders each run.")
        w("")
        w("| step | plain Sphinx wall (CPU) | runs | ours, clean wall (CPU) | ratio wall | ratio CPU |")
        w("|---|---|---|---|---|---|")
        for name, key in (("HTML", "html"), ("EPUB", "epub")):
            mine = clean.get(key)
            w(f"| {name} | {base[key].cell()} ({base[key].cpu_cell()}) | {base[key].runs_cell()} | "
              f"{mine.cell() if mine else '—'} ({mine.cpu_cell() if mine else '—'}) | "
              f"{ratio(wall(mine), wall(base[key]))} | {ratio(cpu(mine), cpu(base[key]))} |")
        w(f"| LaTeX builder | {base['latex'].cell()} ({base['latex'].cpu_cell()}) | {base['latex'].runs_cell()} | | | |")
        w(f"| latexmk ({', '.join(map(str, base['passes']))} XeLaTeX passes) | {base['latexmk'].cell()} "
          f"({base['latexmk'].cpu_cell()}) | {base['latexmk'].runs_cell()} | | | |")
        pdf_plain, pdf_plain_cpu = add(wall(base["latex"]), wall(base["latexmk"])), add(cpu(base["latex"]), cpu(base["latexmk"]))
        mine = clean.get("pdf")
        w(f"| PDF (LaTeX builder + latexmk) | {secs(pdf_plain)} ({secs(pdf_plain_cpu)}) | | "
          f"{mine.cell() if mine else '—'} ({mine.cpu_cell() if mine else '—'}) | {ratio(wall(mine), pdf_plain)} | "
          f"{ratio(cpu(mine), pdf_plain_cpu)} |")
        w(f"| **EPUB + PDF** | {secs(plain)} ({secs(plain_cpu)}) | | {secs(ours)} ({secs(ours_cpu)}) | "
          f"{ratio(ours, plain)} | {ratio(ours_cpu, plain_cpu)} |")
        for key in ("html", "epub", "latex", "latexmk"):
            if not base[key].ok:
                w("")
                w(f"Baseline step {key} failed:")
                w("")
                w("```")
                w(next(r for r in base[key].runs if not r.ok).tail())
                w("```")
    else:
        w("Not measured (--skip-baseline, or the book did not build).")
    w("")

    w(f"## A book {SIZES[-1]} times longer")
    w("")
    if synth:
        big = synth[-1]
        w(f"Each of the {big['chapters']} chapters copied {big['copies'] - 1} more times with its {big['labels']} "
          "labels and names and its file renamed (suffix -x1, -x2 …), references inside a copy pointing into the same "
          "copy; front and back matter once. A " + " and a ".join(f"{s['copies']}×" for s in synth) + " book, one "
          "clean run each; the 1× figures are the clean-build medians above. With two lengths besides 1× the growth "
          "can be checked, not just assumed: the line through 1× and the longest book predicts the middle one.")
        w("")
        w("| book | characters of Markdown | PDF pages | XeLaTeX passes |")
        w("|---|---|---|---|")
        w(f"| 1× | {one_x['chars']:,} | {one_x.get('pages') or '?'} | "
          f"{', '.join(str(r.xelatex_passes()) for r in clean['pdf'].runs) if clean.get('pdf') else '?'} |")
        for s in synth:
            w(f"| {s['copies']}× | {s['chars']:,} ({s['chars'] / one_x['chars']:.1f}×) | {s.get('pages') or '?'} | "
              f"{s['pdf'].runs[0].xelatex_passes() or '?'} |")
        w("")
        sizes = [one_x["chars"], *(s["chars"] for s in synth)]

        def series(name: str, values: list[float | None]) -> None:
            cells = " | ".join(secs(v) for v in values)
            if any(v is None for v in values):
                w(f"| {name} | {cells} | — | — | — | — |")
                return
            # cost = fixed + per_char * chars, through 1x and the longest book; the middle one checks the line
            per_char = (values[-1] - values[0]) / (sizes[-1] - sizes[0])
            fixed = values[0] - per_char * sizes[0]
            middle = [fixed + per_char * c for c in sizes[1:-1]]
            deviation = ", ".join(f"{(v - m) / m:+.0%}" for v, m in zip(values[1:-1], middle))
            w(f"| {name} | {cells} | {fixed:.2f} | {per_char * sizes[0]:.2f} | "
              f"{', '.join(f'{m:.2f}' for m in middle)} | {deviation} |")

        heads = " | ".join(["1×", *(f"{s['copies']}×" for s in synth)])
        middles = ", ".join(f"{s['copies']}×" for s in synth[:-1])
        w(f"| step (wall s) | {heads} | fixed cost | cost per 1× of text | line predicts {middles} "
          "| measured − predicted |")
        w("|---|" + "---|" * (len(synth) + 1) + "---|---|---|---|")
        for name, key in (("HTML", "html"), ("EPUB", "epub"), ("book PDF", "pdf")):
            series(name, [wall(clean.get(key)), *(wall(s[key]) for s in synth)])
        if one_x.get("pdf_split") and all(s.get("pdf_split") for s in synth):
            series("PDF: Sphinx LaTeX builder", [one_x["pdf_split"][0], *(s["pdf_split"][0] for s in synth)])
            series("PDF: latexmk", [one_x["pdf_split"][1], *(s["pdf_split"][1] for s in synth)])
        w("")
        w("Fixed cost: what the step costs for an empty book on that line (start-up, style files, fonts); cost per 1× "
          "of text: what each further book's worth of chapters adds. A middle book within about ±10 % of the line is "
          "linear growth at this precision (one run each on a shared machine); well above it means the cost "
          "flattens, well below means it grows faster than the length.")
        for s in synth:
            for key in ("html", "epub", "pdf"):
                if not s[key].ok:
                    w("")
                    w(f"{s['copies']}× `make {key}` failed:")
                    w("")
                    w("```")
                    w(s[key].runs[0].tail())
                    w("```")
    else:
        w("Not measured (--skip-synthetic, or the book did not build).")
    w("")
    return "\n".join(out)


def report_preview(preview: dict | None) -> list[str]:
    out = ["## Live preview: `make serve` against plain Sphinx", ""]
    if not preview:
        out += ["Not measured.", ""]
        return out
    if preview.get("error"):
        out += ["`make serve` did not start:", "", "```", preview["error"], "```", ""]
        return out
    served, reloaded = preview["served"], preview["reloaded"]
    med_served = statistics.median(served) if served else None
    med_reloaded = statistics.median(reloaded) if reloaded else None
    plain, html = preview["plain"], preview["html"]
    out += [
        f"One paragraph of `{preview['chapter']}` changed (a different text each of {preview['runs']} runs, the same "
        "edit for all three rows). `make serve` keeps one Sphinx application warm; *served* is from the save to the "
        "first HTTP answer that holds the new text (polled every 10 ms), *reload message* to the WebSocket message "
        "that makes the open page reload. Plain Sphinx: `sphinx-build -b html` (a new process, incremental) on the "
        "plain-Sphinx copy of the same sources (bench/baseline/conf.py), the same paragraph edited.",
        "",
        "| step | median wall | runs |",
        "|---|---|---|",
        f"| `make serve`: save → page served | {secs(med_served)} | {', '.join(f'{x:.2f}' for x in served)}"
        + (f" ({preview['missed']} not served within 30 s)" if preview["missed"] else "") + " |",
        f"| `make serve`: save → reload message | {secs(med_reloaded)} | {', '.join(f'{x:.2f}' for x in reloaded)} |",
        f"| plain Sphinx: incremental `sphinx-build -b html` | {plain.cell()} (CPU {plain.cpu_cell()}) | "
        f"{plain.runs_cell()} |",
        f"| `make html` after the same edit | {html.cell()} (CPU {html.cpu_cell()}) | {html.runs_cell()} |",
        "",
        f"Goal (issue 17): a one-paragraph save served in under 2 s (median): {met(med_served < 2 if med_served else None)}"
        f"; first build of the preview {secs(preview.get('first'))} s.",
        "",
    ]
    return out
