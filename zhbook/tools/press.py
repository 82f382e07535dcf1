"""The print-shop PDF: the book's pages with 3 mm bleed, crop marks, TrimBox/BleedBox and print colours.

``python -m zhbook.tools.press dist/my-book.pdf build/stage/my-book-press.pdf``

Each page of the finished book PDF becomes a form placed on a larger sheet: the TrimBox is the 185 × 260 mm
page, the BleedBox 3 mm beyond it on every side, the MediaBox leaves room for crop marks drawn in the /All
separation (they print on every plate) outside the bleed. Link annotations are dropped (they mean nothing on paper
and PDF/X forbids them inside the bleed). Colours: the book is set in DeviceGray; any DeviceRGB fill or stroke
(from a converted SVG figure, say) is rewritten as gray when neutral and as CMYK otherwise, so every plate
separates as the shop expects. The file carries a FOGRA39 (ISO Coated v2) output intent and identifies itself as
PDF/X-4; what that claim rests on, and what no tool here validates, is stated in README.md.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

from zhbook.core import files
from zhbook.core.dates import SourceDateEpochError, build_datetime

MM = 72 / 25.4
BLEED = 3 * MM
MARK_OFFSET = 3 * MM   # crop marks start this far outside the trim edge (at the bleed edge)
MARK_LENGTH = 7 * MM
SLUG = MARK_OFFSET + MARK_LENGTH + 3 * MM  # margin of the sheet around the trim box
FOGRA39 = Path("/usr/share/texlive/texmf-dist/tex/generic/colorprofiles/FOGRA39L_coated.icc")


class PressError(Exception):
    pass


def _rgb_to_print(r: float, g: float, b: float) -> tuple[str, list[float]]:
    """Neutral RGB becomes gray; other RGB a naive CMYK (flat vector art only, no photographs in this book)."""
    if abs(r - g) < 1e-3 and abs(g - b) < 1e-3:
        return "gray", [r]
    k = 1 - max(r, g, b)
    if k >= 1:
        return "cmyk", [0, 0, 0, 1]
    return "cmyk", [(1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k]


def _rewrite_colours(pdf: pikepdf.Pdf, stream_owner, where: str) -> None:
    """Rewrite rg/RG operators of one content stream (a page or a form XObject) into g/G or k/K."""
    instructions = pikepdf.parse_content_stream(stream_owner)
    changed = False
    out = []
    for operands, op in instructions:
        name = str(op)
        if name in ("rg", "RG"):
            space, values = _rgb_to_print(*(float(v) for v in operands))
            op = Operator(("g" if space == "gray" else "k") if name == "rg" else ("G" if space == "gray" else "K"))
            operands = values
            changed = True
        elif name in ("cs", "CS") and operands and str(operands[0]) == "/DeviceRGB":
            raise PressError(f"{where}: a DeviceRGB colour space set with {name}; convert the figure to gray or CMYK")
        out.append((operands, op))
    if changed:
        data = pikepdf.unparse_content_stream(out)
        if isinstance(stream_owner, pikepdf.Page):
            stream_owner.obj.Contents = pdf.make_stream(data)
        else:
            stream_owner.write(data)


def print_colours(pdf: pikepdf.Pdf) -> None:
    """Every page and form XObject in DeviceGray/DeviceCMYK; an RGB image stops the press build."""
    seen = set()
    for number, page in enumerate(pdf.pages, 1):
        _rewrite_colours(pdf, page, f"page {number}")
        stack = [page.obj.get("/Resources", Dictionary())]
        while stack:
            resources = stack.pop()
            for name, xobj in resources.get("/XObject", Dictionary()).items():
                if xobj.objgen in seen:
                    continue
                seen.add(xobj.objgen)
                if xobj.get("/Subtype") == Name.Image:
                    if xobj.get("/ColorSpace") not in (Name.DeviceGray, Name.DeviceCMYK):
                        raise PressError(f"page {number}: image {name} is not gray or CMYK")
                elif xobj.get("/Subtype") == Name.Form:
                    _rewrite_colours(pdf, xobj, f"page {number} form {name}")
                    stack.append(xobj.get("/Resources", Dictionary()))


def crop_marks(trim: list[float]) -> bytes:
    """Eight 0.25 pt lines in the /All separation, two at each corner, outside the bleed."""
    llx, lly, urx, ury = trim
    lines = []
    for x, y, sx, sy in ((llx, lly, -1, -1), (urx, lly, 1, -1), (llx, ury, -1, 1), (urx, ury, 1, 1)):
        lines.append(f"{x:.3f} {y + sy * MARK_OFFSET:.3f} m {x:.3f} {y + sy * (MARK_OFFSET + MARK_LENGTH):.3f} l S")
        lines.append(f"{x + sx * MARK_OFFSET:.3f} {y:.3f} m {x + sx * (MARK_OFFSET + MARK_LENGTH):.3f} {y:.3f} l S")
    return ("q /CSAll CS 1 SCN 0.25 w\n" + "\n".join(lines) + "\nQ\n").encode()


def make_press(src: Path, dst: Path) -> None:
    moment = build_datetime()
    with pikepdf.open(src) as pdf:
        print_colours(pdf)
        all_sep = Array([Name.Separation, Name.All, Name.DeviceCMYK, pdf.make_stream(
            b"{dup dup dup}", FunctionType=4, Domain=[0, 1], Range=[0, 1, 0, 1, 0, 1, 0, 1])])
        for page in pdf.pages:
            llx, lly, urx, ury = (float(v) for v in page.mediabox)
            width, height = urx - llx, ury - lly
            page.contents_coalesce()
            form = pdf.make_stream(page.obj.Contents.read_bytes(), Type=Name.XObject, Subtype=Name.Form,
                                   BBox=page.mediabox, Resources=page.obj.Resources)
            sheet = [0, 0, width + 2 * SLUG, height + 2 * SLUG]
            trim = [SLUG, SLUG, SLUG + width, SLUG + height]
            page.obj.Resources = Dictionary(XObject=Dictionary(Pg=form),
                                            ColorSpace=Dictionary(CSAll=all_sep))
            content = f"q 1 0 0 1 {SLUG - llx:.3f} {SLUG - lly:.3f} cm /Pg Do Q\n".encode() + crop_marks(trim)
            page.obj.Contents = pdf.make_stream(content)
            page.obj.MediaBox = Array(sheet)
            page.obj.TrimBox = Array(trim)
            page.obj.BleedBox = Array([trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED])
            for key in ("/CropBox", "/ArtBox", "/Annots"):
                if key in page.obj:
                    del page.obj[key]
        icc = pdf.make_stream(FOGRA39.read_bytes(), N=4)
        pdf.Root.OutputIntents = Array([Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFX, OutputConditionIdentifier="FOGRA39",
            RegistryName="http://www.color.org", Info="Coated FOGRA39 (ISO 12647-2:2004)",
            DestOutputProfile=icc)])
        pdf.docinfo["/Trapped"] = Name("/False")
        pdf.docinfo["/GTS_PDFXVersion"] = "PDF/X-4"
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["pdfxid:GTS_PDFXVersion"] = "PDF/X-4"
            xmp["pdf:Trapped"] = "False"
            xmp["xmpMM:RenditionClass"] = "default"
            xmp["xmpMM:VersionID"] = "1"
            xmp["xmpMM:DocumentID"] = f"uuid:{bytes(pdf.trailer.ID[0]).hex()}"
            xmp["xmp:ModifyDate"] = moment.isoformat()
        with files.atomic_path(dst) as tmp:
            pdf.save(tmp, deterministic_id=True, min_version="1.6",
                     object_stream_mode=pikepdf.ObjectStreamMode.generate)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("dst", type=Path)
    args = parser.parse_args(argv)
    try:
        make_press(args.src, args.dst)
    except PressError as exc:
        print(f"error: {args.src}: {exc}", file=sys.stderr)
        return 1
    except SourceDateEpochError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
