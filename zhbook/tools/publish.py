"""Publishing into dist/: the folder changes only by one atomic swap, after everything it will hold was built.

``python -m zhbook.tools.publish build/stage dist`` makes ``dist`` a copy of the staging folder;
``python -m zhbook.tools.publish build/stage dist my-book.pdf`` replaces just those entries and keeps the
rest of the current ``dist``. Either way the new tree is assembled beside ``dist`` and exchanged with it in one
``renameat2(RENAME_EXCHANGE)`` call, so a reader (or a Ctrl-C) never sees a half-written ``dist``.
"""
from __future__ import annotations

import argparse
import ctypes
import os
import shutil
import sys
from pathlib import Path

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the call is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def _copy(src: Path, dst: Path) -> None:
    if src.is_dir():
        shutil.copytree(src, dst)
    else:
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)


def publish(stage: Path, dist: Path, entries: list[str] | None = None) -> None:
    """Make ``dist`` hold ``stage`` (or, with ``entries``, those entries of it over the current ``dist``)."""
    new = dist.with_name(dist.name + ".new")
    shutil.rmtree(new, ignore_errors=True)
    if entries:
        if dist.is_dir():
            shutil.copytree(dist, new)
        else:
            new.mkdir(parents=True)
        for entry in entries:
            target = new / entry
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
            _copy(stage / entry, target)
    else:
        shutil.copytree(stage, new)
    if dist.exists() and _exchange(new, dist):
        shutil.rmtree(new)
        return
    # First publication, or no renameat2: the old tree is moved aside before the new one takes its name.
    old = dist.with_name(dist.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dist.exists():
        dist.rename(old)
    new.rename(dist)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", type=Path)
    parser.add_argument("dist", type=Path)
    parser.add_argument("entries", nargs="*")
    args = parser.parse_args(argv)
    missing = [e for e in args.entries if not (args.stage / e).exists()]
    if missing or not args.stage.is_dir():
        print(f"error: nothing to publish: {', '.join(missing) or args.stage} not built", file=sys.stderr)
        return 1
    publish(args.stage, args.dist, args.entries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
