"""`make serve` (zhbook.tools.serve) on a copy of the small test book: it serves the HTML on 127.0.0.1, shows every
save in the served page and tells the open page to reload, keeps the last good page served when an edit breaks the
build (printing ``path:line``), and stops with status 0 on Ctrl-C. No timing is asserted (that is `make bench`).

The tests share one server and run in file order: each step starts from the text the one before left.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from websockets.sync.client import connect

from bookcopy import REPO, SMALL_BOOK_EPOCH, append_line, copy_small_book

#: The chapter edited, in the copy's source folder; messages name it from the copy's folder (source/…).
CHAPTER = Path("chapters/01-first.md")
PAGE = "chapters/01-first.html"
WAIT = 30  # seconds before a step is given up


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up after {timeout} s waiting for {what}")


class Server:
    def __init__(self, project: Path, port: int) -> None:
        self.project = project
        self.out, self.err = project / "serve.out", project / "serve.err"
        self.process = subprocess.Popen(
            # VENV given: the copy uses the project's environment as it is and never reinstalls zhbook into it
            ["make", "-C", str(project), "serve", f"PORT={port}", f"VENV={REPO / '.venv'}"],
            stdout=self.out.open("w"), stderr=self.err.open("w"), start_new_session=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": SMALL_BOOK_EPOCH})
        self.url = wait_for(lambda: re.search(r"serving the preview at (\S+)", self.stdout()) or self.ended(),
                            "the server to start", timeout=300)
        assert self.process.poll() is None, self.stdout() + self.stderr()
        self.url = self.url.group(1)

    def ended(self) -> bool:
        return self.process.poll() is not None

    def stdout(self) -> str:
        return self.out.read_text(encoding="utf-8")

    def stderr(self) -> str:
        return self.err.read_text(encoding="utf-8")

    def page(self, path: str = PAGE) -> str:
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = copy_small_book(tmp_path_factory.mktemp("serve") / "book")
    running = Server(project, free_port())
    yield running
    if running.process.poll() is None:
        os.killpg(running.process.pid, signal.SIGKILL)
        running.process.wait()


def test_serves_the_book_on_localhost_with_a_reload_script(server):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", server.url)
    index = server.page("")
    assert "<title>" in index and "websocket-reload" in index
    assert not (server.project / "dist").exists()  # its own build folder, never dist/ or build/html
    assert not (server.project / "build" / "html").exists()
    assert (server.project / "build" / "preview" / "serve" / "index.html").is_file()
    # it takes no lock: another make in the same folder runs beside it
    beside = subprocess.run(["make", "-C", str(server.project), "help"], capture_output=True, text=True, timeout=60)
    assert beside.returncode == 0 and "another make is running" not in beside.stderr


def test_an_edit_shows_in_the_served_page_and_the_page_is_told_to_reload(server):
    chapter = server.project / "source" / CHAPTER
    with connect(server.url.replace("http://", "ws://") + "websocket-reload", open_timeout=5) as socket_:
        append_line(chapter, "预览测试的第一段新文字。")
        wait_for(lambda: "预览测试的第一段新文字" in server.page(), "the first edit to be served")
        assert socket_.recv(timeout=WAIT) == "refresh"
    append_line(chapter, "预览测试的第二段新文字。")
    wait_for(lambda: "预览测试的第二段新文字" in server.page(), "the second edit to be served")
    assert "预览测试的第一段新文字" in server.page()


def test_a_broken_edit_prints_file_and_line_and_the_last_good_page_stays(server):
    chapter = server.project / "source" / CHAPTER
    good = server.page()
    line = append_line(chapter, "引用了不存在的标签 {ref}`no-such-label-anywhere`。")
    message = f"source/{CHAPTER}:{line}: WARNING: undefined label: 'no-such-label-anywhere'"
    wait_for(lambda: message in server.stderr(), f"the message {message!r}")
    wait_for(lambda: "the last good pages stay served" in server.stdout(), "the build to be reported as failed")
    assert server.page() == good
    assert "Traceback" not in server.stderr()
    # the repaired text is built and served (the page that warned is read again)
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "引用了不存在的标签 {ref}`no-such-label-anywhere`。", "标签问题已经改正。"), encoding="utf-8")
    wait_for(lambda: "标签问题已经改正" in server.page(), "the repaired page to be served")


def test_a_damaged_file_is_reported_before_sphinx_reads_it(server):
    chapter = server.project / "source" / CHAPTER
    good = server.page()
    line = append_line(chapter, "一个控制字符\x01混进了正文。")
    wait_for(lambda: f"source/{CHAPTER}:{line}:" in server.stderr(), "the input check's message")
    assert "Traceback" not in server.stderr()
    assert server.page() == good
    # a save of another file does not let Sphinx read the damaged one
    reported = server.stderr().count(f"source/{CHAPTER}:{line}:")
    append_line(server.project / "source/chapters/02-second.md", "第二章多了一句。")
    wait_for(lambda: server.stderr().count(f"source/{CHAPTER}:{line}:") == reported + 1, "the damage to be reported again")
    assert server.page() == good
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("一个控制字符\x01混进了正文。", "控制字符已经删除。"),
                       encoding="utf-8")
    wait_for(lambda: "控制字符已经删除" in server.page(), "the repaired page to be served")


def test_a_bib_syntax_error_is_reported_and_the_repair_is_served(server):
    bib = next((server.project / "bib").glob("*.bib"))
    text = bib.read_text(encoding="utf-8")
    match = re.search(r"title\s*=\s*\{([^{}]+)\}", text)
    good = server.page()
    bib.write_text(text[:match.end() - 1] + text[match.end():], encoding="utf-8")  # the closing brace is gone
    # pybtex notices the missing brace where the next entry starts: the line is the parser's, not asserted
    wait_for(lambda: re.search(rf"^bib/{bib.name}:\d+: WARNING: .*BibTeX syntax error", server.stderr(), re.M),
             "the bib file's message")
    assert "Traceback" not in server.stderr()
    assert server.page() == good
    bib.write_text(text, encoding="utf-8")
    wait_for(lambda: "starting afresh" in server.stdout(), "the fresh start after Sphinx stopped")
    wait_for(lambda: server.stdout().count("serving the preview at " + server.url) == 2, "the server to be back")


def test_a_bib_edit_shows_in_the_page_that_cites_it(server):
    bib = next((server.project / "bib").glob("*.bib"))
    text = bib.read_text(encoding="utf-8")
    title = re.search(r"title\s*=\s*\{([^{}]+)\}", text).group(1)
    bib.write_text(text.replace(title, title + "修订版", 1), encoding="utf-8")
    wait_for(lambda: any(title + "修订版" in path.read_text(encoding="utf-8")
                         for path in (server.project / "build/preview/serve").rglob("*.html")),
             "the changed reference to be served")


def test_a_stylesheet_edit_is_served(server):
    css = next((server.project / "_static").glob("*.css"))
    css.write_text(css.read_text(encoding="utf-8") + "\n.preview-test-rule { color: #123456; }\n", encoding="utf-8")
    wait_for(lambda: "#123456" in server.page(f"_static/{css.name}"), "the changed stylesheet to be served")


def test_a_metadata_edit_restarts_the_preview_on_the_same_address(server):
    toml = server.project / "source" / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('title = "小书"', 'title = "改名的小书"', 1), encoding="utf-8")
    wait_for(lambda: "restarting" in server.stdout(), "the restart")
    wait_for(lambda: server.stdout().count("serving the preview at " + server.url) == 3, "the server to be back")
    assert "改名的小书" in server.page("")


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_sigint_to_the_server_stops_it_and_make_with_status_0(server):
    """The issue's way: the server is stopped by its process id (make's only child: bash execs the command)."""
    (pid,) = children(server.process.pid)
    os.kill(pid, signal.SIGINT)
    server.process.wait(timeout=WAIT)
    assert "preview stopped" in server.stdout().splitlines()
    assert "Traceback" not in server.stderr()
    assert server.process.returncode == 0, server.stderr()


def test_ctrl_c_in_the_terminal_stops_it_cleanly(tmp_path):
    """Ctrl-C reaches the whole foreground group, make too: the server still stops cleanly, with status 0. (make
    itself then ends by the signal, as it always does on Ctrl-C.)"""
    running = Server(copy_small_book(tmp_path / "book"), free_port())
    (pid,) = children(running.process.pid)
    os.killpg(running.process.pid, signal.SIGINT)
    running.process.wait(timeout=WAIT)
    assert "preview stopped" in running.stdout().splitlines()
    assert "Traceback" not in running.stderr() and "Error" not in running.stderr()
    assert not Path(f"/proc/{pid}").exists()
