"""zhbook.core.files: the one atomic write, and the tools that write their outputs through it."""
from __future__ import annotations

import os
import stat

import pikepdf
import pytest

from zhbook.core import files


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_write_replaces_the_file_whole_with_the_permissions_of_a_new_file(tmp_path):
    target = tmp_path / "out" / "book.pdf"  # the folder is made
    old_mask = os.umask(0o027)
    try:
        files.write_bytes(target, b"first")
        assert target.read_bytes() == b"first"
        assert stat.S_IMODE(target.stat().st_mode) == 0o640  # not the 0o600 of a temporary file
        files.write_text(target, "第二\n")
        assert target.read_bytes() == "第二\n".encode()
    finally:
        os.umask(old_mask)
    assert leftovers(target.parent) == []


def test_the_old_file_stays_until_the_new_one_is_complete(tmp_path):
    target = tmp_path / "book.epub"
    target.write_bytes(b"old")
    with files.atomic_path(target) as temporary:
        assert temporary.parent == target.parent  # same folder: the rename is atomic
        temporary.write_bytes(b"half")
        assert target.read_bytes() == b"old"
    assert target.read_bytes() == b"half"


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "book.epub"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with files.atomic_path(target) as temporary:
            temporary.write_bytes(b"half a zip")
            raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def one_page_pdf(path):
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(595.28, 841.89))
        pdf.docinfo["/Title"] = "讲义"
        pdf.save(path)
    return path


@pytest.mark.parametrize("tool", ["booklet", "press"])
def test_the_pdf_tools_keep_the_last_good_output_when_saving_fails(tmp_path, monkeypatch, tool):
    """booklet and press (like pdf_finish and epub_pages) save through atomic_path: a save that dies half way
    leaves the previous output as it was."""
    from zhbook.tools import booklet, press

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    src = one_page_pdf(tmp_path / "in.pdf")
    dst = tmp_path / "out.pdf"
    dst.write_bytes(b"the last good output")

    def dying_save(self, filename, *args, **kwargs):
        with open(filename, "wb") as partial:
            partial.write(b"%PDF-1.7 half")
        raise OSError("no space left on device")

    monkeypatch.setattr(pikepdf.Pdf, "save", dying_save)
    with pytest.raises(OSError):
        booklet.impose(src, dst) if tool == "booklet" else press.make_press(src, dst)
    assert dst.read_bytes() == b"the last good output"
    assert leftovers(tmp_path) == []
