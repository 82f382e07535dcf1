"""The HTML edition in Debian's Chromium, for the tests: axe-core on every page (tests/js/axe_check.js) and the
keyboard walk through the skip link and the search page (tests/js/keyboard_check.js), a page's colours in either
colour scheme (tests/js/scheme_probe.js), all with Node.js and the puppeteer-core and axe-core pinned in tools/axe
(the Makefile's install step runs ``npm ci`` there); and a page printed to PDF by Chromium itself.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
JS = REPO / "tests" / "js"
TOOLS = REPO / "tools" / "axe"
WIDTHS = (390, 1280)
SCHEMES = ("light", "dark")


def _node(script: str, *args: str, timeout: int = 600) -> dict:
    if not shutil.which("node") or not shutil.which("chromium"):
        pytest.skip("needs Node.js and Chromium (Debian packages nodejs and chromium)")
    assert (TOOLS / "node_modules" / "axe-core" / "axe.min.js").exists(), \
        "axe-core is not installed: run `make` (or `PUPPETEER_SKIP_DOWNLOAD=true npm ci --prefix tools/axe`)"
    result = subprocess.run(["node", str(JS / script), *args], capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def axe(html: Path, extra: list[str] = (), widths=WIDTHS, schemes=SCHEMES) -> dict:
    """axe-core's violations on every page of ``html`` (and each ``extra`` page state, e.g. ``search.html?q=…``)
    at each width and colour scheme: ``{"pages": [...], "violations": [{page, width, scheme, rule, nodes}]}``."""
    args = [str(html), "--widths", ",".join(map(str, widths)), "--schemes", ",".join(schemes)]
    if extra:
        args += ["--extra", ",".join(extra)]
    return _node("axe_check.js", *args)


def describe(violations: list[dict], limit: int = 40) -> str:
    """One line per violating element: page, width, scheme, rule, selector and HTML."""
    lines = [f"{v['page']} @{v['width']}px {v['scheme']}: {v['rule']} ({v['impact']}) {n['target']}  {n['html'][:120]}"
             for v in violations for n in v["nodes"]]
    more = f"\n… and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"{len(violations)} violation(s), {len(lines)} element(s):\n" + "\n".join(lines[:limit]) + more


def keyboard_walk(html: Path, word: str, width: int = 1280, scheme: str = "light") -> dict:
    """The keyboard-only walk of tests/js/keyboard_check.js: skip link, Tab to the search field, type ``word``,
    Enter, Tab to the first result, Enter."""
    return _node("keyboard_check.js", str(html), word, "--width", str(width), "--scheme", scheme)


def check_keyboard_walk(report: dict, word: str) -> None:
    """Assert what a keyboard user needs: the skip link first and visible, the main text focused after it, a
    visible focus ring on every stop, the search field reached, results for ``word`` announced, a result opened that holds
    it."""
    first = report["first"]
    assert first and "skip-link" in first["cls"] and first["href"] == "#main-content", first
    assert first["rect"]["top"] >= 0 and first["rect"]["left"] >= 0 and first["rect"]["height"] > 0, \
        f"the skip link is not shown when it has the focus: {first['rect']}"
    assert report["afterSkip"] and report["afterSkip"]["id"] == "main-content", report["afterSkip"]
    unringed = [s for s in [first, *report["stops"]] if s["outline"]["style"] == "none" or s["outline"]["width"] < 2]
    assert not unringed, "focus without a visible outline: " + "; ".join(
        f"{s['page']} {s['tag']}.{s['cls']} {s['text']!r} {s['outline']}" for s in unringed[:10])
    assert report["searchField"], "Tab never reached the search field: " + str([s["text"] for s in report["stops"]])
    assert report["searchUrl"].endswith(f"search.html?q={word}"), report["searchUrl"]
    assert report["summaryRole"] == "status", "a screen reader is not told that the search has finished"
    assert report["result"], f"no result link reached by Tab for {word!r}: {report.get('summary')!r}"
    assert word in report["openedText"], f"{report['opened']} does not hold {word!r}"


def scheme_colours(page: Path, scheme: str) -> dict:
    """Computed colours of ``page`` in the ``light`` or ``dark`` colour scheme (tests/js/scheme_probe.js)."""
    return _node("scheme_probe.js", str(page), scheme)


def luminance(css_colour: str) -> float:
    """WCAG relative luminance of an ``rgb(…)``/``rgba(…)`` colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", css_colour)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def print_to_pdf(page: Path, pdf: Path) -> Path:
    """Print one page as a reader's browser does (Chromium's print to PDF, no header or footer lines)."""
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("needs Debian's chromium")
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={pdf.parent / 'chromium-profile'}", f"--print-to-pdf={pdf}", page.as_uri()],
                   capture_output=True, text=True, timeout=120)
    assert pdf.exists(), f"Chromium printed no PDF of {page}"
    return pdf
