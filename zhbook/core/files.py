"""Writing an output file so that no reader ever sees half of it: the one atomic write of zhbook.

What this module owns: replacing a file in one step. The new content is written to a temporary file in the same
folder (a rename is atomic only within one file system), flushed to the disk, and renamed over the target with
:func:`os.replace`. Until then the old file stays as it was; if the writing fails, the temporary file is removed and
the old file is untouched. The new file gets the permissions any new file gets (``0o666`` less the umask), not the
private ``0o600`` of a temporary file.

- :func:`atomic_path`, a context manager, gives the temporary path, for writers that want a file name
  (``pikepdf.Pdf.save``, ``zipfile.ZipFile``);
- :func:`write_bytes` and :func:`write_text` write a whole content at once.

The file is flushed with ``fsync`` before the rename: a few milliseconds per output, and after a power failure the
target holds the old content or the new one, never an empty file. (Publishing a whole ``dist/`` in one step is
:mod:`zhbook.tools.publish`'s job.)
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """A temporary path next to ``target``: whatever is written there replaces ``target`` when the block ends
    without an exception (the folder is made if need be). On an exception the temporary file is removed and
    ``target`` stays as it was."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o666 & ~_umask())
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes(target: str | os.PathLike, data: bytes) -> None:
    """Replace ``target`` with ``data`` in one step."""
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)


def write_text(target: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    """Replace ``target`` with ``text`` in one step (no newline translation: the bytes are the text's)."""
    write_bytes(target, text.encode(encoding))
