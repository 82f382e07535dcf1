"""The print deliverables as a printer and a teacher check them: the book PDF, the press PDF, the handouts (issue 6).
"""
import re
import subprocess

import pikepdf
import pytest

from outputs import BOOK, DIST, PDF, SOURCE, pdf_pages_text, require, squash
from zhbook.tools import catalog

MM = 72 / 25.4
PRESS = DIST / f"{BOOK.slug}-press.pdf"
CHAPTERS = sorted((SOURCE / "chapters").glob("*.md"))
HANDOUTS = [DIST / "handouts" / f"{c.stem}.pdf" for c in CHAPTERS]


def chapter_title(path):
    return next(line[2:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# "))


def distinctive_sentences(path, count=3):
    """Long plain runs of Chinese prose from the chapter body, as its handout must print them."""
    runs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "(", ":", "`", "-", "*", "|", ">")) or "{" in line:
            continue
        runs += [r for r in re.findall(r"[\u4e00-\u9fff，、]{24,}", line)]
    assert len(runs) >= count, f"{path.name}: not enough plain prose to identify the chapter"
    step = len(runs) // count
    return [runs[i * step][:24] for i in range(count)]


def fonts_of(pdf):
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [row.split() for row in out.splitlines()[2:]]


def outline_titles(pdf_path):
    with pikepdf.open(pdf_path) as pdf, pdf.open_outline() as outline:
        titles = []
        stack = list(outline.root)
        while stack:
            item = stack.pop(0)
            titles.append(item.title)
            stack[0:0] = list(item.children)
        return titles


def outline_pages(pdf_path):
    """(title, 1-based physical page) of the outline's top-level entries."""
    with pikepdf.open(pdf_path) as pdf, pdf.open_outline() as outline:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, 1)}
        names = pdf.Root.Names.Dests if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names else None
        tree = pikepdf.NameTree(names) if names is not None else {}
        result = []
        for item in outline.root:
            dest = item.destination
            if dest is None and item.action is not None:
                dest = item.action.get("/D")
            if isinstance(dest, (pikepdf.String, str)):
                dest = tree[str(dest)]
            if isinstance(dest, pikepdf.Dictionary):
                dest = dest.D
            result.append((item.title, pages.get(dest[0].objgen)))
        return result


# --- the book -----------------------------------------------------------------------------------------------------


def test_book_fonts_are_embedded_and_subset():
    for row in fonts_of(require(PDF)):
        name, emb, sub = row[0], row[-5], row[-4]
        assert emb == "yes" and sub == "yes" and re.match(r"[A-Z]{6}\+", name), row


def test_book_metadata_info_and_xmp():
    with pikepdf.open(require(PDF)) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == BOOK.title
        assert all(c.name in str(info["/Author"]) for c in BOOK.creators)
        assert str(info["/Subject"]) and str(info["/Keywords"])
        assert str(pdf.Root.Lang) == "zh-CN"
        meta = pdf.open_metadata()
        assert meta["dc:title"] == BOOK.title
        assert [c.name for c in BOOK.creators] == list(meta["dc:creator"])
        assert "zh-CN" in list(meta["dc:language"])
        assert set(BOOK.keywords) <= set(meta["dc:subject"])


def test_book_outline_has_every_chapter_and_section():
    titles = outline_titles(require(PDF))
    for chapter in CHAPTERS:
        assert any(chapter_title(chapter) in t for t in titles), chapter_title(chapter)
    for backmatter in ("大事年表", "术语表", "参考文献", "索引"):
        assert any(backmatter in t for t in titles), backmatter
    assert len(titles) > 4 * len(CHAPTERS), "sections are missing from the bookmarks"


def test_chapters_open_on_right_hand_pages_and_blank_versos_are_blank():
    pages = pdf_pages_text(require(PDF))
    for title, page in outline_pages(PDF):
        assert page and page % 2 == 1, f"{title} opens on page {page}, a left-hand page"
    with pikepdf.open(PDF) as pdf:
        for number, text in enumerate(pages[:len(pdf.pages)], 1):
            if not text.strip():
                ops = [str(op) for _, op in pikepdf.parse_content_stream(pdf.pages[number - 1])]
                drawing = [op for op in ops if op in ("Tj", "TJ", "l", "re", "Do", "S", "f")]
                assert not drawing, f"blank page {number} still carries {set(drawing)} (a running head or folio?)"


def test_copyright_page_carries_the_cip_block_of_cip_txt():
    pages = pdf_pages_text(require(PDF))
    page = next(p for p in pages[:6] if "图书在版编目" in p)
    assert catalog.cip_differences(BOOK, page) == []
    cip_txt = (DIST / "catalog" / "cip.txt").read_text(encoding="utf-8")
    assert squash(BOOK.title) in squash(cip_txt)
    assert squash(BOOK.rights) in squash(page)


def test_copyright_page_states_the_imprint_measured_on_this_pdf():
    """The 版本记录 (GB/T 12450-2001): 开本 from the page geometry, 印张 from this PDF's page count, 字数 from its
    text block, 版次 and 印次 from book.toml; no 书号 or 定价 while none is assigned."""
    import math
    from collections import Counter

    import pymupdf

    from zhbook.core.chinese import CJK_SYMBOLS, FULLWIDTH, HAN
    from zhbook.tools.catalog import imprint
    from zhbook.tools.catalog.facts import measure

    pages = pdf_pages_text(require(PDF))
    page = squash(next(p for p in pages[:6] if "版次" in p))
    facts = measure(PDF)
    # 印张, counted here from the page count: the book block's faces in quarter sheets of 16 pages.
    with pikepdf.open(PDF) as pdf:
        count = len(pdf.pages)
    sheets = math.ceil((count + count % 2) / 4) / 4
    assert facts.printing_sheets == sheets
    # 字数: the commonest full line of Chinese body text holds the characters a line is counted with.
    lengths = Counter()
    with pymupdf.open(PDF) as document:
        for pdf_page in document:
            for block in pdf_page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    text = "".join(span["text"] for span in line["spans"])
                    if (line["spans"] and all(round(span["size"], 2) == 10.5 for span in line["spans"])
                            and re.fullmatch(f"[{HAN}{CJK_SYMBOLS}{FULLWIDTH}]+", text)):
                        lengths[len(text)] += 1
    assert lengths.most_common(1)[0][0] == facts.chars_per_line
    thousands = math.ceil(facts.chars_per_line * facts.lines_per_page * (count - facts.blank_pages) / 1000)
    date = imprint.edition_date(BOOK)
    for expected in ("开本787mm×1092mm1/16", f"印张{sheets:g}", f"字数{thousands}千字",
                     f"版次{date}{BOOK.edition}", f"印次{date}第{BOOK.printing}次印刷"):
        assert expected in page, (expected, page)
    assert "书号" not in page and "定价" not in page and "ISBN" not in page


def test_links_and_citations_are_clickable():
    with pikepdf.open(require(PDF)) as pdf:
        links = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
    assert len(links) > 100, "cross-references and citations should be links"


# --- the press PDF ------------------------------------------------------------------------------------------------


def test_press_pdf_boxes_bleed_and_output_intent():
    with pikepdf.open(require(PRESS)) as press, pikepdf.open(PDF) as book:
        assert len(press.pages) == len(book.pages)
        for number, page in enumerate(press.pages, 1):
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert abs((trim[2] - trim[0]) / MM - 185) < 0.3 and abs((trim[3] - trim[1]) / MM - 260) < 0.3, number
            for i, sign in enumerate((-1, -1, 1, 1)):
                assert abs((bleed[i] - trim[i]) / MM - 3 * sign) < 0.05, f"page {number}: bleed is not 3 mm"
                assert (media[i] - bleed[i]) * sign >= 0, f"page {number}: BleedBox outside MediaBox"
            assert "/Annots" not in page.obj, f"page {number} keeps annotations"
        intent = press.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX" and "/DestOutputProfile" in intent
        assert str(press.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4"
        assert str(press.docinfo["/Trapped"]) == "/False"
        assert press.pdf_version >= "1.6"


def test_press_pdf_has_no_rgb_and_every_font_embedded():
    with pikepdf.open(require(PRESS)) as press:
        seen = set()
        streams = []
        for page in press.pages:
            streams.append(page)
            for xobj in page.obj.Resources.XObject.values():
                stack = [xobj]
                while stack:
                    x = stack.pop()
                    if x.objgen in seen or x.get("/Subtype") != "/Form":
                        continue
                    seen.add(x.objgen)
                    streams.append(x)
                    stack += list(x.get("/Resources", {}).get("/XObject", {}).values())
        for owner in streams:
            ops = {str(op) for _, op in pikepdf.parse_content_stream(owner)}
            assert not ops & {"rg", "RG"}, "DeviceRGB colour in the press PDF"
    assert all(row[-5] == "yes" for row in fonts_of(PRESS))


# --- the handouts -------------------------------------------------------------------------------------------------


def test_one_a4_handout_per_chapter():
    for handout in HANDOUTS:
        with pikepdf.open(require(handout)) as pdf:
            for page in pdf.pages:
                llx, lly, urx, ury = (float(v) for v in page.mediabox)
                assert abs((urx - llx) / MM - 210) < 0.5 and abs((ury - lly) / MM - 297) < 0.5, handout.name


@pytest.mark.parametrize("index", range(len(CHAPTERS)))
def test_handout_holds_its_chapter_and_no_other(index):
    handout, chapter = HANDOUTS[index], CHAPTERS[index]
    pages = pdf_pages_text(require(handout))
    text = squash("".join(pages))
    assert squash(chapter_title(chapter)) in text
    from zhbook.ext.chapter_numbers import chinese_number
    assert f"第{chinese_number(index + 1)}章" in text
    for sentence in distinctive_sentences(chapter):
        assert squash(sentence) in text, sentence
    for other in CHAPTERS:
        if other != chapter:
            for sentence in distinctive_sentences(other):
                assert squash(sentence) not in text, f"{handout.name} holds text of {other.name}: {sentence}"
    assert BOOK.title in squash(pages[0]), "the header names the book"
    total = len([p for p in pages if p.strip()])
    for number, page in enumerate(pages[:total], 1):
        assert f"第{number}页/共{total}页" in squash(page), f"{handout.name} page {number}: footer"


@pytest.mark.parametrize("index", range(len(CHAPTERS)))
def test_handout_has_its_own_numbered_references_and_no_dead_links(index):
    handout = HANDOUTS[index]
    text = "".join(pdf_pages_text(require(handout)))
    assert "??" not in text
    if "参考文献" not in text:
        return  # a chapter that cites nothing has no list
    listing = text[text.rindex("参考文献"):]
    numbers = [int(n) for n in re.findall(r"^\s*\[(\d+)\]", listing, re.M)]
    assert numbers == list(range(1, len(numbers) + 1)), "the handout's references are numbered 1, 2, 3 …"
    body = text[:text.rindex("参考文献")]
    cited = [int(n) for group in re.findall(r"\[([\d,\s\-–]+)\]", body) for n in re.findall(r"\d+", group)]
    assert cited and max(cited) <= len(numbers), "a mark in the handout points past its own list"
    with pikepdf.open(handout) as pdf:
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                action = annot.get("/A")
                assert action is None or action.get("/S") != "/GoToR", "a link leads out of the handout"


def test_cross_chapter_references_become_plain_text_with_numbers():
    text = squash("".join(pdf_pages_text(require(HANDOUTS[1]))))
    assert re.search(r"第一章第\d+节", text), "chapter 2 refers to chapter 1; its handout should say 第一章第N节"


@pytest.mark.parametrize("pdf", [PDF, PRESS] + HANDOUTS, ids=lambda p: p.name)
def test_no_unresolved_reference_in_any_pdf(pdf):
    text = "".join(pdf_pages_text(require(pdf)))
    assert "??" not in text and "[?]" not in text


# --- the A5 booklets ----------------------------------------------------------------------------------------------

BOOKLETS = [DIST / "booklets" / f"{c.stem}.pdf" for c in CHAPTERS]


def half_text(pdf, side: int, half: str) -> str:
    """The text on the left or right half of one A4 landscape side of a booklet."""
    x = 0 if half == "left" else 421
    return subprocess.run(["pdftotext", "-f", str(side), "-l", str(side), "-x", str(x), "-y", "0", "-W", "421",
                           "-H", "596", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("pages, sides", [
    (1, [(None, 0), (None, None)]),
    (4, [(3, 0), (1, 2)]),
    (6, [(None, 0), (1, None), (5, 2), (3, 4)]),
    (8, [(7, 0), (1, 6), (5, 2), (3, 4)]),
])
def test_saddle_stitch_order(pages, sides):
    from zhbook.tools.booklet import saddle_stitch_order
    assert saddle_stitch_order(pages) == sides


@pytest.mark.parametrize("index", range(len(CHAPTERS)))
def test_booklet_folds_into_the_handout_in_reading_order(index):
    """Printed duplex and folded, side 1 shows the last page | page 1, side 2 page 2 | the one before last …"""
    from zhbook.tools.booklet import saddle_stitch_order
    handout, booklet = HANDOUTS[index], BOOKLETS[index]
    with pikepdf.open(require(handout)) as source:
        pages = len(source.pages)
        title = str(source.docinfo["/Title"])
    with pikepdf.open(require(booklet)) as pdf:
        assert len(pdf.pages) == 2 * -(-pages // 4), "two A4 sides per four handout pages"
        for page in pdf.pages:
            llx, lly, urx, ury = (float(v) for v in page.mediabox)
            assert abs((urx - llx) / MM - 297) < 0.5 and abs((ury - lly) / MM - 210) < 0.5, "A4 landscape"
        assert str(pdf.docinfo["/Title"]).startswith(title) and pdf.Root.Lang == BOOK.language
        assert pdf.Root.ViewerPreferences.Duplex == pikepdf.Name.DuplexFlipShortEdge
    for side, slots in enumerate(saddle_stitch_order(pages), 1):
        for half, index_on_page in zip(("left", "right"), slots):
            text = squash(half_text(booklet, side, half))
            if index_on_page is None:
                assert text == "", f"{booklet.name} side {side} {half}: should be a blank page"
            else:
                assert f"第{index_on_page + 1}页/共{pages}页" in text, f"{booklet.name} side {side} {half}"
    assert squash(chapter_title(CHAPTERS[index])) in squash(half_text(booklet, 1, "right"))
    assert all(row[-5] == "yes" for row in fonts_of(booklet)), "every font embedded"
