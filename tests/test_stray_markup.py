"""zhbook.ext.stray_markup: MyST markup the parser left as text is a warning at its own line (issue 18)."""
import shutil
from pathlib import Path

from sphinx.util.console import strip_escape_sequences

ROOT = Path(__file__).parent / "roots" / "test-stray-markup"


def test_markup_left_as_text_is_reported_at_its_line(make_app, tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    app = make_app("dummy", srcdir=srcdir, builddir=srcdir / "_build")
    app.build()
    warnings = [line.replace(f"{srcdir}/", "") for line in strip_escape_sequences(app.warning.getvalue()).splitlines()
                if "[zhbook.markup]" in line and line.startswith(f"{srcdir}/index.md")]
    lines = [(w.split(": WARNING: ")[0], w) for w in warnings]
    assert [where for where, _ in lines] == ["index.md:7", "index.md:9", "index.md:15", "index.md:18"], warnings
    assert "{ref}`target。" in warnings[0] and "backtick" in warnings[0]
    assert "{ref}" in warnings[1] and "in front of code" in warnings[1]
    assert "```{figure}" in warnings[2]
    assert "alt text" in warnings[3] and "{term}`" in warnings[3]


def test_a_line_past_the_end_of_the_file_is_never_reported(make_app, tmp_path):
    """In a glossary whose closing fence was pulled onto a definition line, docutils counts lines past the file's
    end; the warning goes to the line that holds the markup."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    app = make_app("dummy", srcdir=srcdir, builddir=srcdir / "_build")
    app.build()
    warnings = [line.replace(f"{srcdir}/", "") for line in strip_escape_sequences(app.warning.getvalue()).splitlines()
                if "[zhbook.markup]" in line and line.startswith(f"{srcdir}/glossary.md")]
    assert warnings and warnings[0].startswith("glossary.md:6: WARNING: MyST markup left as text: {ref}`target`"), \
        warnings


def test_messages_from_a_glossary_definition_name_its_line(make_app, tmp_path):
    """Sphinx's own warnings from inside a glossary definition (zhbook.ext.index.glossary renumbers its lines for MyST) land
    on the definition's line: they landed five lines past the end of the file."""
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    (srcdir / "glossary.md").write_text("(glossary)=\n# 术语表\n\n```{glossary}\n窗口服务\n  当面办理事项的方式，"
                                        "见{ref}`no-such-label`。\n```\n", encoding="utf-8")
    app = make_app("html", srcdir=srcdir, builddir=srcdir / "_build")
    app.build()
    warnings = [line.replace(f"{srcdir}/", "") for line in strip_escape_sequences(app.warning.getvalue()).splitlines()
                if "no-such-label" in line]
    assert warnings and warnings[0].startswith("glossary.md:6: WARNING: undefined label"), warnings
