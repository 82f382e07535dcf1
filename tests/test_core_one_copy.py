"""Each shared idea has one copy, in zhbook/core/: no module of the package outside it writes its own regex for a
Chinese character (core.chinese), reads SOURCE_DATE_EPOCH itself (core.dates) or saves through its own temporary
file and rename (core.files). Issue 19 found five, five and four copies that disagreed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "zhbook"

COPIES = {
    "a Chinese character class (use zhbook.core.chinese)": re.compile(r"\\u4[eE]00|\\u9[fF][fF]|\\u3400|一-龥"),
    "a SOURCE_DATE_EPOCH read (use zhbook.core.dates.source_date_epoch)":
        re.compile(r"""(?:environ(?:\.get\(|\[)|getenv\()\s*["']SOURCE_DATE_EPOCH"""),
    "a temporary file and rename (use zhbook.core.files)": re.compile(r"\bos\.(?:replace|rename)\(|\.rename\("),
}
# Copies that are no copy of the shared idea, with the reason.
ALLOWED = {
    # dist/ as a whole is swapped for the staged tree (renameat2, else rename aside): a folder, not a file save.
    ("tools/publish.py", "a temporary file and rename (use zhbook.core.files)"),
}


def sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.suffix in {".py", ".js"} and "core" not in
                  p.relative_to(PACKAGE).parts[:1])


@pytest.mark.parametrize("what", COPIES)
def test_one_copy_of_each_shared_idea(what):
    found = []
    for path in sources():
        name = path.relative_to(PACKAGE).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if COPIES[what].search(line) and (name, what) not in ALLOWED:
                found.append(f"zhbook/{name}:{number}: {line.strip()}")
    assert found == [], f"{what}:\n" + "\n".join(found)


def test_the_scan_finds_a_copy(tmp_path):
    """The patterns recognise the copies the issue found."""
    for line, what in [('HAN_RE = re.compile(r"[\\u4e00-\\u9fff]")', 0),
                       ('epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))', 1),
                       ("os.replace(tmp, target)", 2), ("tmp.rename(target)", 2)]:
        assert list(COPIES.values())[what].search(line), line
