"""The live preview of the HTML edition (``make serve``, ``PORT=N``): every save shows in the open page.

``python -m zhbook.tools.serve [--port N] [--builddir build/preview] SOURCE_DIR [WATCHED_DIR …]``

- one Python process keeps one Sphinx application warm: extensions are imported and set up once, the
  environment stays in memory, and a save costs an incremental build (a fraction of a second for one paragraph)
  instead of a new Sphinx process;
- the watched folders (the source folder, ``bib/``, ``_static/``) are followed with watchfiles; the changed text
  files are checked first (:mod:`zhbook.tools.inputs`); a change to a ``.bib`` or ``.yaml`` file runs the
  ``builder-inited`` handlers again (sphinxcontrib-bibtex reads the bibliography there, zhbook's extensions check
  the timeline and excerpts there); a change to ``conf.py`` or ``book.toml``, or a ``.bib`` file added or
  removed, restarts the process (a second Sphinx application in one process is not supported);
- Sphinx writes into ``BUILDDIR/html``; only a build without warnings is copied, file by file, into
  ``BUILDDIR/serve``, the folder served: a build that fails prints its messages as ``path:line: …`` and the last
  good pages stay served. A page that warned is read again at the next save even when it did not change;
- the server is sphinx-autobuild's (Starlette and uvicorn, its middleware that adds a reload script to every
  page) on 127.0.0.1, with a WebSocket that tells the open pages to reload after a good build. The script
  reconnects, so the page also reloads after a restart;
- Ctrl-C (SIGINT) or SIGTERM stops it with exit status 0 (``make`` around it then exits 0 when the server alone
  was signalled, as ``kill PID`` does; Ctrl-C in a terminal signals make too, which then ends by the signal).

Its build folders are its own: ``make`` (build/html, dist/) and ``make serve`` never write the same files, and
``make serve`` does not take the Makefile's lock, so the editor can run ``make`` beside it.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import mimetypes
import os
import re
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

#: Editors' temporary and backup files (Emacs .#x and x~, Vim .x.swp and its 4913 probe, sed -i's sedXXXXXX).
EDITOR_TEMP = [r"/\.#[^/]*$", r"~$", r"\.sw[pox]$", r"/4913$", r"/sed[A-Za-z0-9]{6}$", r"\.tmp$"]
#: Files whose change needs a new Sphinx application: the configuration and what it reads.
CONFIG_NAMES = {"conf.py", "book.toml"}
#: Files read at builder-inited (bibliography, timeline, excerpts): those handlers run again.
INITED_SUFFIXES = {".bib", ".yaml", ".yml"}
#: The page reloads on "refresh"; when the connection drops (a restart), it retries and reloads once it is back.
RELOAD_SCRIPT = """
<script>
(() => {
  let wasClosed = false;
  const connect = () => {
    const ws = new WebSocket(`ws://${location.host}/websocket-reload`);
    ws.onopen = () => { if (wasClosed) location.reload(); };
    ws.onmessage = () => location.reload();
    ws.onclose = () => { wasClosed = true; setTimeout(connect, 500); };
  };
  connect();
})();
</script>
"""
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def say(message: str) -> None:
    print(message, flush=True)


class WarningSink:
    """The stream Sphinx writes its warnings to: one list of lines per build."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> int:
        self.lines.extend(line for line in ANSI.sub("", text).splitlines() if line.strip())
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def relative(path: str, root: Path) -> str:
    try:
        return os.path.relpath(path, root) if os.path.isabs(path) else path
    except ValueError:
        return path


def located(line: str, root: Path) -> str:
    """A Sphinx warning as ``path:line: …`` with the path relative to the project (a whole-file one at line 1)."""
    from zhbook.cli import WHOLE_FILE

    path, sep, rest = line.partition(":")
    if sep and os.path.isabs(path):
        line = relative(path, root) + ":" + rest
    return WHOLE_FILE.sub(r"\1:1: \2: ", line)


def publish(built: Path, served: Path) -> int:
    """Copy into ``served`` the files of ``built`` that differ (each replaced in one step, so a reader never gets
    half a page); remove those that are gone. Returns how many files changed."""
    from zhbook.core import files

    changed = 0
    present = set()
    for path in built.rglob("*"):
        if path.is_dir() or path.name.startswith(".buildinfo"):
            continue
        rel = path.relative_to(built)
        present.add(rel)
        target = served / rel
        data = path.read_bytes()
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        files.write_bytes(target, data)
        changed += 1
    for path in sorted(served.rglob("*"), reverse=True):
        if path.is_file() and path.relative_to(served) not in present:
            path.unlink()
            changed += 1
    return changed


class Preview:
    """One warm Sphinx application and the served copy of its last good build."""

    def __init__(self, srcdir: Path, builddir: Path, root: Path, watched: list[Path]) -> None:
        self.srcdir, self.root, self.watched = srcdir, root, watched
        self.outdir, self.doctreedir, self.served = builddir / "html", builddir / "doctrees", builddir / "serve"
        for folder in (self.outdir, self.doctreedir, self.served):
            folder.mkdir(parents=True, exist_ok=True)
        self.sink = WarningSink()
        self.app = None
        self.warned: set[str] = set()  # documents that warned last time: read again next time
        self.lock = threading.Lock()
        self.restart_needed = False  # after Sphinx raised, its state is not to be trusted
        self.updated = 0  # files the last build changed in the served folder
        self.damaged: set[Path] = set()  # files the input check failed: checked again before every build
        self.bib_files = self._bib_files()
        self.started = self.mtimes()  # the watched files as the first build reads them

    def mtimes(self) -> dict[Path, int]:
        return {path.resolve(): path.stat().st_mtime_ns for folder in self.watched for path in folder.rglob("*")
                if path.is_file()}

    def changed_since_start(self, ignore) -> list[Path]:
        """The files changed, added or removed since :attr:`started` was taken (before the first build)."""
        now = self.mtimes()
        return sorted(path for path in set(now) | set(self.started)
                      if now.get(path) != self.started.get(path) and not ignore(str(path)))

    def _bib_files(self) -> set[Path]:
        """The .bib files in the watched folders: conf.py lists them when it is read."""
        return {path.resolve() for folder in self.watched for path in folder.rglob("*.bib")}

    def _make_app(self):
        from sphinx.application import Sphinx

        app = Sphinx(self.srcdir, self.srcdir, self.outdir, self.doctreedir, "html", status=None,
                     warning=self.sink, warningiserror=True, keep_going=True, confoverrides={"nitpicky": True})
        app.connect("env-get-outdated", lambda app, env, added, changed, removed:
                    sorted(self.warned & set(env.found_docs)))
        return app

    def _input_faults(self, changed: list[Path]) -> list[str]:
        """The input check (zhbook.tools.inputs) of the changed files and of those that failed it before."""
        from zhbook.tools import inputs

        metadata = self.srcdir / "book.toml"
        faults = []
        damaged = set()
        for path in sorted(set(changed) | self.damaged):
            if path.is_file() and path.suffix in inputs.TEXT_SUFFIXES:
                found = inputs.check_file(path, metadata if path == metadata else None)
                faults += [located(str(fault), self.root) for fault in found]
                damaged.update([path] if found else [])
        self.damaged = damaged
        return faults

    def build(self, changed: list[Path]) -> bool:
        """Build; publish when no warning. Returns whether the build was good (``self.updated``: files changed)."""
        with self.lock:
            start = time.monotonic()
            faults = self._input_faults(changed)
            self.updated = 0
            if faults:
                for fault in faults:
                    print(fault, file=sys.stderr, flush=True)
                say("  not built: the last good pages stay served")
                return False
            self.sink.lines = []
            try:
                if self.app is None:
                    self.app = self._make_app()
                else:
                    self.app._warncount = 0
                    self.app.statuscode = 0
                    if any(path.suffix in INITED_SUFFIXES for path in changed):
                        self.app.events.emit("builder-inited")
                self.app.build()
                ok = self.app.statuscode == 0 and not self.sink.lines
            except Exception as error:  # noqa: BLE001 - Sphinx stopped on the book (or crashed): say so, go on
                ok = False
                self.restart_needed = True
                message = ANSI.sub("", str(error)).strip() or type(error).__name__
                self.sink.lines.append(located(message, self.root) if re.match(r"^\S+:\d+: ", message)
                                       else f"error: Sphinx stopped ({type(error).__name__}: {message})")
            messages = [located(line, self.root) for line in self.sink.lines]
            for line in messages:
                print(line, file=sys.stderr, flush=True)
            self.warned = set()
            if self.app is not None:
                for line in self.sink.lines:
                    path = line.partition(":")[0]
                    docname = self.app.env.path2doc(path) if os.path.isabs(path) else None
                    if docname:
                        self.warned.add(docname)
            if not ok:
                say("  build failed: the last good pages stay served")
                return False
            self.updated = publish(self.outdir, self.served)
            say(f"  built in {time.monotonic() - start:.2f} s, {self.updated} file(s) updated")
            return True


def needs_restart(changed: list[Path], preview: Preview) -> bool:
    """conf.py or book.toml changed, or a .bib file came or went (an editor's save by rename is neither)."""
    return any(path.name in CONFIG_NAMES for path in changed) or (
        any(path.suffix == ".bib" for path in changed) and preview._bib_files() != preview.bib_files)


def listening_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(64)
    return sock


def serve(preview: Preview, watched: list[Path], host: str, port: int) -> int:
    import uvicorn
    import watchfiles
    from sphinx_autobuild.filter import IgnoreFilter
    from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import Response
    from starlette.routing import Mount, WebSocketRoute
    from starlette.staticfiles import StaticFiles
    from starlette.websockets import WebSocket, WebSocketDisconnect

    clients: set[asyncio.Queue] = set()
    sock = listening_socket(host, port)
    url = f"http://{host}:{sock.getsockname()[1]}/"
    server: uvicorn.Server | None = None
    state = {"restart": False, "port": sock.getsockname()[1]}

    class SnapshotFiles(StaticFiles):
        """Each file read whole when asked for: a page replaced while it is sent would not match the length
        announced from its size (Starlette's file responses stat the file first, then read it)."""

        def file_response(self, full_path, stat_result, scope, status_code=200):
            try:
                data = Path(full_path).read_bytes()
            except OSError:
                return Response("Not Found", status_code=404, media_type="text/plain")
            media_type = mimetypes.guess_type(str(full_path))[0] or "application/octet-stream"
            return Response(data, status_code=status_code, media_type=media_type, headers={"Cache-Control": "no-cache"})

    class ReloadInjector(JavascriptInjectorMiddleware):
        def __init__(self, app) -> None:
            super().__init__(app, ws_url="")
            self.script = RELOAD_SCRIPT.encode("utf-8")

    async def reload_socket(websocket: WebSocket) -> None:
        await websocket.accept()
        queue: asyncio.Queue = asyncio.Queue()
        clients.add(queue)
        receiver = asyncio.ensure_future(websocket.receive_text())
        try:
            while True:
                getter = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait({getter, receiver}, return_when=asyncio.FIRST_COMPLETED)
                if receiver in done:
                    getter.cancel()
                    break
                await websocket.send_text("refresh")
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            receiver.cancel()
            clients.discard(queue)

    async def watch() -> None:
        ignore = IgnoreFilter([preview.outdir.parent, ".git"], EDITOR_TEMP)
        ready = False
        # yield_on_timeout: an empty set when nothing changed for a while, so the first one says the watcher runs
        async for changes in watchfiles.awatch(*watched, watch_filter=lambda _, path: not ignore(path),
                                               debounce=1600, step=50, yield_on_timeout=True, rust_timeout=300):
            if not ready:
                ready = True
                # a save made while the first build ran, before the watcher started, is not lost
                changes = {(None, str(path)) for path in preview.changed_since_start(ignore)} | set(changes)
                say(f"serving the preview at {url}  (Ctrl-C stops it)")
            if not changes:
                continue
            changed = sorted({Path(path).resolve() for _, path in changes})
            say("changed: " + ", ".join(relative(str(path), preview.root) for path in changed[:5])
                + (f" and {len(changed) - 5} more" if len(changed) > 5 else ""))
            if needs_restart(changed, preview) or preview.restart_needed:
                say("  Sphinx stopped last time: starting afresh" if preview.restart_needed
                    else "  the configuration changed: restarting")
                state["restart"] = True
                server.should_exit = True
                return
            if await asyncio.to_thread(preview.build, changed) and preview.updated:
                for queue in list(clients):
                    queue.put_nowait("refresh")

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        task = asyncio.create_task(watch())
        yield
        task.cancel()

    app = Starlette(routes=[WebSocketRoute("/websocket-reload", reload_socket),
                            Mount("/", app=SnapshotFiles(directory=preview.served, html=True))],
                    middleware=[Middleware(ReloadInjector)], lifespan=lifespan)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    sock.close()
    return -state["port"] if state["restart"] else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zhbook serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("srcdir", type=Path, help="the Sphinx source folder (conf.py)")
    parser.add_argument("watch", type=Path, nargs="*", help="more folders whose changes rebuild (bib/, _static/)")
    parser.add_argument("--port", type=int, default=8000, help="0 takes a free port (default 8000)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--builddir", type=Path, default=Path("build/preview"))
    args = parser.parse_args(argv)
    root = Path.cwd()
    srcdir = args.srcdir.resolve()
    watched = [srcdir, *(path.resolve() for path in args.watch if path.is_dir())]
    preview = Preview(srcdir, args.builddir.resolve(), root, watched)

    import signal

    signal.signal(signal.SIGTERM, lambda *_: signal.raise_signal(signal.SIGINT))
    try:
        start = time.monotonic()
        say(f"building the preview of {relative(str(srcdir), root)} into {relative(str(preview.outdir), root)} …")
        if preview.build([]):
            say(f"  first build {time.monotonic() - start:.1f} s")
        status = serve(preview, watched, args.host, args.port)
    except KeyboardInterrupt:
        status = 0
    if status < 0:  # a new process, with the same arguments, on the same port
        sys.stdout.flush()
        arguments = [str(args.srcdir), *map(str, args.watch), "--port", str(-status), "--host", args.host,
                     "--builddir", str(args.builddir)]
        os.execv(sys.executable, [sys.executable, "-m", "zhbook.tools.serve", *arguments])
    say("preview stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
