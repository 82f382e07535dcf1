"""zhbook.tools.output_scan: markup and ``??`` in a rendered HTML page, EPUB or PDF, traced back to the source line."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pikepdf
import pytest

from zhbook.tools import output_scan

CHAPTER = """(ch1)=
# 第一章

正文见{numref}`tab-x`，引用少了反引号{cite}`key-2020。
后面一段 see Table {numref}`tab-y` below。
"""


@pytest.fixture
def srcdir(tmp_path):
    source = tmp_path / "source"
    (source / "chapters").mkdir(parents=True)
    (source / "chapters" / "ch1.md").write_text(CHAPTER, encoding="utf-8")
    (source / "chapters" / "ch2.md").write_text("# 第二章\n\n正文。\n", encoding="utf-8")
    return source


def page(body: str) -> str:
    return f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>{body}</body></html>'


def messages(kind: str, target: Path, srcdir: Path) -> list[str]:
    return [str(hit).replace(f"{srcdir}/", "") for hit in output_scan.scan(kind, target, srcdir, [])]


def test_html_markup_is_traced_to_its_chapter_line(tmp_path, srcdir):
    html = tmp_path / "html"
    (html / "chapters").mkdir(parents=True)
    (html / "chapters" / "ch1.html").write_text(
        page("<p>正文见表 1.1，引用少了反引号{cite}`key-2020。</p>"), encoding="utf-8")
    (html / "chapters" / "ch2.html").write_text(page("<p>正文。</p>"), encoding="utf-8")
    found = messages("html", html, srcdir)
    assert len(found) == 1 and found[0].startswith("chapters/ch1.md:4: MyST markup printed as text: {cite}`key-2020")
    assert "HTML edition" in found[0]


def test_role_printed_before_code_and_markup_in_alt_text(tmp_path, srcdir):
    html = tmp_path / "html"
    (html / "chapters").mkdir(parents=True)
    (html / "chapters" / "ch1.html").write_text(
        page('<p>正文见{numref}<code class="literal">tab-x</code>。</p><img src="a.svg" alt="图{term}`术语`"/>'),
        encoding="utf-8")
    found = messages("html", html, srcdir)
    assert any(f.startswith("chapters/ch1.md:4: MyST role {numref} printed as text before code") for f in found), found
    assert any("{term}`" in f for f in found), found


def test_epub_directive_fence_is_traced_to_its_chapter(tmp_path, srcdir):
    (srcdir / "chapters" / "ch2.md").write_text("# 第二章\n\n正文。\n\n  ````{figure} a.svg\n", encoding="utf-8")
    epub = tmp_path / "book.epub"
    with zipfile.ZipFile(epub, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
        zf.writestr("chapters/ch2.xhtml", page("<p>正文。</p><pre>````{figure} a.svg</pre>"))
    found = messages("epub", epub, srcdir)
    assert len(found) == 1 and found[0].startswith("chapters/ch2.md:5: MyST directive printed as text: ````{figure}")
    assert "(in the EPUB)" in found[0]


def write_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF whose text layer holds ``lines`` (Helvetica, so ASCII only)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    text = "".join(f"BT /F1 12 Tf 72 {720 - 20 * i} Td ({line}) Tj ET\n" for i, line in enumerate(lines))
    pdf.add_blank_page(page_size=(612, 792))
    pdf.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    pdf.pages[0].Contents = pdf.make_stream(text.encode("ascii"))
    pdf.save(path)
    return path


def test_pdf_unresolved_reference_is_traced_by_the_words_before_it(tmp_path, srcdir):
    pdf = write_pdf(tmp_path / "book.pdf", ["see Table ?? below", "cited as [?] here"])
    found = messages("pdf", pdf, srcdir)
    assert found[0].startswith("chapters/ch1.md:5: ?? printed: an unresolved reference"), found
    # nothing in the sources holds "cited as": the hit is named by the PDF and its page instead
    assert found[1].startswith(f"{pdf} (page 1): [?] printed: an unresolved citation"), found


def test_clean_outputs_and_lookalikes_are_not_reported(tmp_path, srcdir):
    html = tmp_path / "html"
    html.mkdir()
    (html / "index.html").write_text(
        page("<p>集合{1, 2}，一个问号?，全角问号？？，JSON {\"a\": 1}，`反引号`。</p>"
             "<script>var x = '{cite}`a';</script>"), encoding="utf-8")
    assert messages("html", html, srcdir) == []
    assert messages("pdf", write_pdf(tmp_path / "ok.pdf", ["Why? Because {x} is fine."]), srcdir) == []


def test_command_line_exit_status(tmp_path, srcdir, capsys):
    html = tmp_path / "html"
    (html / "chapters").mkdir(parents=True)
    (html / "chapters" / "ch1.html").write_text(page("<p>{cite}`key-2020。</p>"), encoding="utf-8")
    assert output_scan.main(["--srcdir", str(srcdir), "html", str(html)]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    (html / "chapters" / "ch1.html").write_text(page("<p>正文。</p>"), encoding="utf-8")
    assert output_scan.main(["--srcdir", str(srcdir), "html", str(html)]) == 0
