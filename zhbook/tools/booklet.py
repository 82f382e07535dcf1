"""A handout imposed as an A5 booklet on A4 sheets, for a duplex printer.

``python -m zhbook.tools.booklet dist/handouts/02-paths.pdf build/stage/booklets/02-paths.pdf``

A teacher who would rather hand out a folded booklet than stapled A4 sheets prints this file double-sided,
flipping on the short edge, folds the stack once and staples it on the fold. Each A4 landscape side carries two
handout pages reduced to A5 (A4 → A5 is exactly 1/√2, so nothing is cropped or distorted); the page count is
padded with blank pages to a multiple of four and the pages are placed in saddle-stitch order, so that the folded
stack reads 1, 2, 3 … Document info, XMP metadata and language come from the handout; links and bookmarks are
dropped, as on any paper edition. Saved with a deterministic /ID: the same handout gives the same bytes.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name

from zhbook.core import files

A4_LANDSCAPE = (841.89, 595.28)


def saddle_stitch_order(pages: int) -> list[tuple[int | None, int | None]]:
    """(left, right) page indices for each printed side, front then back of each sheet; None is a blank page.

    For 8 pages: (7, 0), (1, 6), (5, 2), (3, 4), i.e. sheet 1 carries 8|1 and 2|7, sheet 2 6|3 and 4|5.
    """
    padded = -(-pages // 4) * 4
    sides = []
    for sheet in range(padded // 4):
        outer_left, outer_right = padded - 1 - 2 * sheet, 2 * sheet
        inner_left, inner_right = 2 * sheet + 1, padded - 2 - 2 * sheet
        sides += [(outer_left, outer_right), (inner_left, inner_right)]
    return [tuple(i if i < pages else None for i in side) for side in sides]


def _placement(box: pikepdf.Array, slot_x: float) -> tuple[float, float, float]:
    """Scale and offsets that fit a page box into the half-sheet starting at ``slot_x``, centred."""
    x0, y0, x1, y1 = (float(v) for v in box)
    slot_w, slot_h = A4_LANDSCAPE[0] / 2, A4_LANDSCAPE[1]
    scale = min(slot_w / (x1 - x0), slot_h / (y1 - y0))
    dx = slot_x + (slot_w - (x1 - x0) * scale) / 2 - x0 * scale
    dy = (slot_h - (y1 - y0) * scale) / 2 - y0 * scale
    return scale, dx, dy


def impose(src: Path, dst: Path) -> int:
    """Write the booklet of ``src`` to ``dst``; return the number of A4 sides."""
    with pikepdf.open(src) as handout, pikepdf.new() as booklet:
        forms = [booklet.copy_foreign(page.as_form_xobject()) for page in handout.pages]
        boxes = [page.trimbox for page in handout.pages]
        for left, right in saddle_stitch_order(len(forms)):
            resources = Dictionary(XObject=Dictionary())
            content = []
            for slot, index in enumerate((left, right)):
                if index is None:
                    continue
                name = f"/P{index + 1}"
                resources.XObject[name] = forms[index]
                scale, dx, dy = _placement(boxes[index], slot * A4_LANDSCAPE[0] / 2)
                content.append(f"q {scale:.6f} 0 0 {scale:.6f} {dx:.4f} {dy:.4f} cm {name} Do Q")
            page = pikepdf.Page(Dictionary(
                Type=Name.Page, MediaBox=[0, 0, *A4_LANDSCAPE], Resources=resources,
                Contents=booklet.make_stream("\n".join(content).encode("ascii"))))
            booklet.pages.append(page)
        for key, value in handout.docinfo.items():
            booklet.docinfo[key] = value  # strings and names: direct objects, copied as they are
        title = str(handout.docinfo.get("/Title", ""))
        if title:
            title = f"{title}（A5 小册子）"
            booklet.docinfo["/Title"] = title
        if "/Metadata" in handout.Root:
            booklet.Root.Metadata = booklet.copy_foreign(handout.Root.Metadata)
            if title:
                with booklet.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
                    xmp["dc:title"] = title
        if "/Lang" in handout.Root:
            booklet.Root.Lang = handout.Root.Lang
        booklet.Root.ViewerPreferences = Dictionary(Duplex=Name.DuplexFlipShortEdge, PrintScaling=Name.None_)
        with files.atomic_path(dst) as tmp:
            booklet.save(tmp, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                         compress_streams=True)
        return len(booklet.pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path, help="a handout PDF")
    parser.add_argument("dst", type=Path, help="the booklet to write")
    args = parser.parse_args(argv)
    try:
        impose(args.src, args.dst)
    except (OSError, pikepdf.PdfError) as exc:
        print(f"{args.src}: cannot impose a booklet: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
