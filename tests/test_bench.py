"""The benchmark's source transformations (bench/synthetic.py, bench/plain_sphinx.py): the synthetic longer book
and the plain-Sphinx copy.

The timings themselves are never tested (the issue: measure speed in a benchmark, never in a timed test); what is
tested is that the books the benchmark builds are the ones it claims to build.
"""
import importlib
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
PARTS = ("settings", "timing", "copies", "synthetic", "plain_sphinx")


@pytest.fixture(scope="module")
def bench():
    """The benchmark's parts, imported as bench/run.py imports them (from its own folder), and put away after."""
    sys.path.insert(0, str(BENCH))
    try:
        parts = {name: importlib.import_module(name) for name in PARTS}
        yield SimpleNamespace(Book=parts["copies"].Book, edit_paragraph=parts["copies"].edit_paragraph,
                              multiply=parts["synthetic"].multiply, make_baseline=parts["plain_sphinx"].make_baseline,
                              BASELINE_CONF=parts["settings"].BASELINE_CONF)
    finally:
        sys.path.remove(str(BENCH))
        for name in PARTS:
            sys.modules.pop(name, None)


CHAPTER_1 = """(ch1)=
# 第一章

(ch1-origins)=
## 由来

见{ref}`ch1-later`和{ref}`第三章的案例 <ch3-cases>`，对照{numref}`tab-ch1-contrast`，全文见{doc}`03-cases`。
术语{term}`服务型政府`，事件{event}`cpc17-report`，大事年表见{ref}`timeline-table`。

```{list-table} 对照
:name: tab-ch1-contrast

* - 甲
```

```{figure} ../figures/ch1-providers.svg
:name: fig-ch1-providers
:alt: 图

图题
```

(ch1-later)=
## 后来
"""

CHAPTER_3 = """(ch3)=
# 第三章

(ch3-cases)=
## 案例

回看{numref}`fig-ch1-providers`。
"""

INDEX = """# 书

```{toctree}
:numbered:

chapters/01-origins
chapters/03-cases
```

```{toctree}
backmatter/timeline
```
"""


def make_book(root: Path) -> None:
    (root / "source" / "chapters").mkdir(parents=True)
    (root / "source" / "index.md").write_text(INDEX, encoding="utf-8")
    (root / "source" / "chapters" / "01-origins.md").write_text(CHAPTER_1, encoding="utf-8")
    (root / "source" / "chapters" / "03-cases.md").write_text(CHAPTER_3, encoding="utf-8")


def test_multiply_renames_every_target_and_points_references_into_the_same_copy(bench, tmp_path):
    make_book(tmp_path)
    book = bench.Book(tmp_path, {}, [])
    chapters, labels = bench.multiply(book, 3)
    assert (chapters, labels) == (2, 7)

    copy = (tmp_path / "source/chapters/01-origins-x2.md").read_text(encoding="utf-8")
    assert re.findall(r"^\((\S+)\)=$", copy, re.M) == ["ch1-x2", "ch1-origins-x2", "ch1-later-x2"]
    assert ":name: tab-ch1-contrast-x2" in copy and ":name: fig-ch1-providers-x2" in copy
    assert "{ref}`ch1-later-x2`" in copy
    assert "{ref}`第三章的案例 <ch3-cases-x2>`" in copy
    assert "{numref}`tab-ch1-contrast-x2`" in copy
    assert "{doc}`03-cases-x2`" in copy
    # targets outside the chapters, terms, events and file paths stay as they are
    assert "{ref}`timeline-table`" in copy and "{term}`服务型政府`" in copy and "{event}`cpc17-report`" in copy
    assert "../figures/ch1-providers.svg" in copy
    assert "{numref}`fig-ch1-providers-x2`" in (tmp_path / "source/chapters/03-cases-x2.md").read_text(encoding="utf-8")
    # the original is untouched and every copy is in the numbered toctree, in order, before the back matter
    assert (tmp_path / "source/chapters/01-origins.md").read_text(encoding="utf-8") == CHAPTER_1
    assert [p.relative_to(tmp_path / "source").as_posix() for p in book.chapters()] == [
        "chapters/01-origins.md", "chapters/03-cases.md",
        "chapters/01-origins-x1.md", "chapters/03-cases-x1.md",
        "chapters/01-origins-x2.md", "chapters/03-cases-x2.md",
    ]
    index = (tmp_path / "source/index.md").read_text(encoding="utf-8")
    assert index.index("03-cases-x2") < index.index("backmatter/timeline")


def test_edit_paragraph_changes_one_prose_line_only(bench, tmp_path):
    chapter = tmp_path / "ch.md"
    long = "，足够长" * 20
    # a fenced block first: were its lines taken for prose, the line picked would be one of them
    text = "(ch1)=\n# 标题\n\n```{code-block} text\n" + "\n".join(f"代码{i}{long}。" for i in range(4)) + \
        "\n```\n\n" + "\n".join(f"第{i}段的文字{long}。" for i in range(2)) + "\n"
    chapter.write_text(text, encoding="utf-8")
    line = bench.edit_paragraph(chapter, text, "甲")
    before, after = text.split("\n"), chapter.read_text(encoding="utf-8").split("\n")
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert changed == [line]
    assert "基准测试改动甲" in after[line - 1] and after[line - 1].startswith("第")


def test_baseline_copy_has_no_project_markup(bench, tmp_path):
    root = tmp_path / "book"
    make_book(root)
    (root / "zhbook").mkdir()
    (root / "zhbook" / "timeline.py").write_text(
        'def setup(app):\n    app.add_role("event", X())\n    app.add_role("date", Y())\n'
        '    app.add_directive("timeline", Z)\n', encoding="utf-8")
    (root / "source" / "timeline.yaml").write_text('- id: cpc17-report\n  date: "2007-10-15"\n', encoding="utf-8")
    (root / "source" / "backmatter").mkdir()
    (root / "source" / "backmatter" / "timeline.md").write_text(
        "# 大事年表\n\n```{timeline}\n```\n\n{date}`2013年3月`以后。\n", encoding="utf-8")
    (root / "bib").mkdir()
    (root / "bib" / "news.bib").write_text(
        "@newspaper{a-2004, author = {{新华社}}, title = {标题}, journal = {人民日报}, date = {2004-02-22},"
        " langid = {chinese}}\n", encoding="utf-8")
    counts = bench.make_baseline(bench.Book(root, {}, []), tmp_path / "baseline")
    src = tmp_path / "baseline" / "src"
    assert counts == {"roles": 2, "directives": 1}
    chapter = (src / "chapters" / "01-origins.md").read_text(encoding="utf-8")
    assert "事件2007年10月15日，" in chapter and "{event}" not in chapter
    timeline = (src / "backmatter" / "timeline.md").read_text(encoding="utf-8")
    assert "{timeline}" not in timeline and "2013年3月以后" in timeline
    bib = (src / "bib" / "news.bib").read_text(encoding="utf-8")
    assert "@misc{a-2004" in bib and 'year = "2004"' in bib and 'month = "2"' in bib and "date" not in bib
    assert (src / "conf.py").read_text(encoding="utf-8") == bench.BASELINE_CONF.read_text(encoding="utf-8")
