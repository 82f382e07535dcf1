"""zhbook.tools.inputs: every input file decoded and checked, one ``path:line: what`` per fault (issue 18).

The build-level tests (test_damage.py) damage a whole book; these pin down the details: lines and columns,
what is accepted, and the kinds of file each check understands.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from zhbook.tools import inputs
from zhbook import metadata


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def faults(path: Path, metadata_file: Path | None = None) -> list[str]:
    return [str(f).replace(f"{path.parent}/", "") for f in inputs.check_file(path, metadata_file)]


def test_bom_and_crlf_read_as_clean_lf(tmp_path):
    clean = "第一行\n第二行\n"
    saved = write(tmp_path, "a.md", b"\xef\xbb\xbf" + clean.replace("\n", "\r\n").encode("utf-8"))
    assert inputs.decode(saved) == clean
    assert faults(saved) == []


def test_characters_are_reported_at_line_and_column(tmp_path):
    path = write(tmp_path, "a.md", "一行\n第二行\x00\x00\x00尾\n第三\u200b行\x1b\n\ufeff\n")
    assert faults(path) == [
        "a.md:2: a NUL character (U+0000): the file is damaged or is not text (column 4)",
        "a.md:3: a control character (U+001B) that no reader can show: delete it (column 5)",
        "a.md:4: a byte-order mark (U+FEFF) inside the file (two files pasted together?): delete it (column 1)",
    ]


def test_many_faults_of_one_kind_are_counted_not_listed(tmp_path):
    path = write(tmp_path, "a.bib", "".join(f"line {i}\x01\n" for i in range(12)))
    found = faults(path)
    assert len(found) == inputs.MAX_LISTED + 1 and found[-1].startswith("a.bib:5: … and 7 more:")


def test_lone_cr_replacement_character_and_line_separator(tmp_path):
    path = write(tmp_path, "a.md", "甲\r乙\n丙\ufffd\n丁\u2028戊\n")
    assert [f.split(": ")[1].split(" (")[0] for f in faults(path)] == [
        "a carriage return", "a replacement character", "a Unicode line separator"]


def test_invalid_utf8_names_line_column_and_gbk(tmp_path):
    path = write(tmp_path, "a.md", "第一行\n第二行".encode("utf-8") + b"\xff" + "尾\n".encode("utf-8"))
    assert faults(path) == ["a.md:2: invalid UTF-8: byte 0xFF at column 4; save the file as UTF-8"]
    gbk = write(tmp_path, "b.md", "标题\n正文。\n".encode("gb18030"))
    assert faults(gbk)[0].startswith("b.md:1: invalid UTF-8") and "GBK" in faults(gbk)[0]


@pytest.mark.parametrize("css, expected", [
    ("a { color: red; }\n}\n", "a.css:2: stylesheet: a } closes no block"),
    ("a { color: red; }\n/* 注释\nb { }\n", "a.css:2: stylesheet: a comment /* is never closed"),
    ('a { content: "x\n"; }\n', "a.css:1: stylesheet: a string opened with \" is not closed on its line"),
    ("a {\n  color: red;\nb {\n}\n", "a.css:1: stylesheet: a block opened with { is never closed"),
    ('/* { */ a::before { content: "}"; }\n@media print {\n  a { b: c }\n}\n', None),
])
def test_stylesheets(tmp_path, css, expected):
    found = faults(write(tmp_path, "a.css", css))
    assert (found[0].startswith(expected) if expected else found == []), found


def test_svg_checks(tmp_path):
    good = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1"/></svg>\n'
    assert faults(write(tmp_path, "ok.svg", good)) == []
    assert faults(write(tmp_path, "cut.svg", good[:40] + "\n" + good[40:60]))[0].startswith(
        "cut.svg:2: malformed SVG:") and "cut short" in faults(tmp_path / "cut.svg")[0]
    assert "not <svg>" in faults(write(tmp_path, "svg-without-namespace.svg", "<svg><g/></svg>"))[0]
    # an external entity is neither loaded nor expanded
    secret = write(tmp_path, "secret.txt", "secret")
    xxe = f'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file://{secret}">]>\n' \
          '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>\n'
    assert faults(write(tmp_path, "xxe.svg", xxe)) == []


def test_yaml_and_toml_syntax(tmp_path):
    assert faults(write(tmp_path, "t.yaml", "- id: a\n  date: [1\n- id: b\n"))[0].startswith("t.yaml:3: invalid YAML")
    assert faults(write(tmp_path, "b.toml", 'a = 1\nb = "x\n'))[0].startswith("b.toml:2: invalid TOML")


def test_other_files_are_not_read(tmp_path):
    assert faults(write(tmp_path, "figure.png", b"\x89PNG\r\n\x1a\n\x00\x00")) == []
    assert inputs.input_files([tmp_path]) == []


def test_a_book_inside_a_hidden_folder_is_still_checked(tmp_path):
    book = tmp_path / ".cache" / "book"
    book.mkdir(parents=True)
    write(book, "a.md", "正文\x00\n")
    (book / ".git").mkdir()
    write(book / ".git", "b.md", "正文\x00\n")
    assert inputs.input_files([book]) == [book / "a.md"]


def test_metadata_types_are_checked_in_their_own_table(tmp_path):
    toml = write(tmp_path, "book.toml", (Path(__file__).parent / "smallbook/source/book.toml").read_text("utf-8"))
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('role_label = "编著"', "role_label = 3"), encoding="utf-8")
    line = text.split("\n").index('role_label = "编著"') + 1
    assert faults(toml, toml) == [f"book.toml:{line}: creators: role_label: must be a string in quotes, not a number (3)"]
    toml.write_text(text.replace('place = ""', "place = []"), encoding="utf-8")
    line = text.split("\n").index('place = ""') + 1
    assert faults(toml, toml) == [f"book.toml:{line}: place: must be a string in quotes, not a list ([])"]
    toml.write_text(text.replace("[publisher]", "[publishers]"), encoding="utf-8")
    with pytest.raises(metadata.MetadataError, match=r"book.toml:1: name: \[publisher\] name is required"):
        metadata.load(toml)


def test_copies_rewritten_as_clean_lf(tmp_path):
    out = tmp_path / "out"
    (out / "_static").mkdir(parents=True)
    css = write(out / "_static", "a.css", b"\xef\xbb\xbfa {\r\n}\r\n")
    png = write(out / "_static", "a.png", b"\x89PNG\r\n")
    inputs.normalise_copies(out)
    assert css.read_bytes() == b"a {\n}\n" and png.read_bytes() == b"\x89PNG\r\n"


def test_command_line(tmp_path, capsys):
    write(tmp_path, "good.md", "正文。\n")
    assert inputs.main([str(tmp_path)]) == 0
    write(tmp_path, "bad.md", "正文\x00。\n")
    assert inputs.main([str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"{tmp_path}/bad.md:1: a NUL character (U+0000): the file is damaged or is " \
                                      "not text (column 3)\n"
