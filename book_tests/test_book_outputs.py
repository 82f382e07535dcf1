"""The real book's deliverables, checked as a reader, a printer and a store would check them (issue 2).

These tests read what ``make`` put into dist/: the PDF's page size, fonts and furniture, EPUBCheck's verdict on
the EPUB and its language tags, the HTML edition, and that every internal link of the EPUB and the HTML lands on an
anchor that exists.
"""
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
import pytest
from lxml import etree

from outputs import (BOOK, CATALOG, DIST, EPUB, HTML, PDF, REPO, XHTML_NS, epub_members, epub_xhtml, epubcheck,
                     html_pages, pdf_text, require, stray_english_words)

MM = 72 / 25.4


def test_make_has_nothing_left_to_do():
    """dist/ is up to date with the sources, so a second `make` would run no Sphinx and no LaTeX."""
    result = subprocess.run(["make", "-q", "all"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, "make -q all: dist/ is out of date with the sources (or a build failed)"


def test_dry_runs_change_nothing():
    """`make -n` and `make -q` only tell; the epub target's recipe, which runs make itself, must not publish."""
    before = {p: p.stat().st_mtime_ns for p in DIST.rglob("*")}
    for flags in (["-n"], ["-q"], ["-n", "--no-print-directory"]):
        subprocess.run(["make", *flags, "epub", "html", "pdf"], cwd=REPO, capture_output=True, text=True)
    assert {p: p.stat().st_mtime_ns for p in DIST.rglob("*")} == before


def test_dist_holds_every_deliverable():
    for path in (PDF, EPUB, HTML / "index.html", CATALOG / f"{BOOK.slug}.mrc"):
        require(path)


def test_pdf_page_size_is_16kai():
    with pikepdf.open(require(PDF)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            llx, lly, urx, ury = (float(v) for v in page.mediabox)
            assert abs((urx - llx) / MM - 185) < 0.5 and abs((ury - lly) / MM - 260) < 0.5, f"page {number}"


def test_pdf_embeds_every_font():
    """pdffonts lists each font with its emb column; every one must say yes (a print shop rejects the file else)."""
    out = subprocess.run(["pdffonts", str(require(PDF))], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, "no fonts found at all"
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not not_embedded, not_embedded
    names = " ".join(row.split()[0] for row in rows)
    assert "NotoSerifCJK" in names and "NotoSansCJK" in names


def test_pdf_furniture_is_chinese():
    text = pdf_text(PDF)
    for word in ("目录", "第一章", "第二章", "参考文献", "索引", "表 1.1"):
        assert word in text, word
    for english in ("Chapter", "CHAPTER", "Contents", "Bibliography", "Index", "Release", "Table 1"):
        assert not re.search(rf"\b{english}\b", text), english


def test_pdf_has_no_unresolved_reference():
    text = pdf_text(PDF)
    assert "??" not in text
    assert "[?]" not in text


def test_epubcheck_reports_nothing():
    report = epubcheck(EPUB)
    messages = [f"{m['severity']} {m['ID']}: {m['message']}" for m in report["messages"]
                if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert report["checker"]["nFatal"] == report["checker"]["nError"] == report["checker"]["nWarning"] == 0, messages


def test_epub_language_is_zh_cn_everywhere():
    members = epub_members()
    opf = members["content.opf"].decode()
    assert '<dc:language>zh-CN</dc:language>' in opf
    for name, root in epub_xhtml().items():
        assert root.get("lang") == "zh-CN", name
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN", name


def _check_links(documents, anchors_of, label):
    broken = []
    for name, hrefs in documents.items():
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("mailto:", "javascript:")):
                continue
            target = name if not parts.path else str((REPO / "x" / name).parent.joinpath(unquote(parts.path))
                                                          .resolve().relative_to(REPO / "x"))
            if target not in anchors_of:
                broken.append(f"{name}: {href} (no such file)")
            elif parts.fragment and unquote(parts.fragment) not in anchors_of[target]:
                broken.append(f"{name}: {href} (no such anchor)")
    assert not broken, f"{label}: " + "; ".join(broken[:20])


def test_every_epub_link_lands():
    docs = epub_xhtml()
    anchors = {name: {el.get("id") for el in root.iter() if el.get("id")} for name, root in docs.items()}
    for name, data in epub_members().items():
        anchors.setdefault(name, set())
    hrefs = {name: [a.get("href") for a in root.iter(f"{{{XHTML_NS}}}a") if a.get("href")]
             for name, root in docs.items()}
    _check_links(hrefs, anchors, "EPUB")


def test_every_html_link_lands():
    pages = html_pages()
    anchors = {name: {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
               for name, root in pages.items()}
    for path in HTML.rglob("*"):
        if path.is_file():
            anchors.setdefault(str(path.relative_to(HTML)), set())
    hrefs = {name: [a.get("href") for a in root.iter("a") if a.get("href")] for name, root in pages.items()}
    _check_links(hrefs, anchors, "HTML")


def _heading_labels(root, ns: str = "") -> list[tuple[str, str]]:
    """(tag, text of the section number) for every numbered h1/h2 of a page, in order."""
    return [(h.tag.split("}")[-1], "".join(h.xpath(f"./{ns}span[@class='section-number']//text()",
                                                  namespaces={"x": XHTML_NS})))
            for h in root.iter(f"{{{XHTML_NS}}}h1", f"{{{XHTML_NS}}}h2", "h1", "h2")
            if h.xpath(f"./{ns}span[@class='section-number']", namespaces={"x": XHTML_NS})]


def test_html_and_epub_number_chapters_as_the_pdf_does():
    """第二章 for a chapter and 2.1 for a section, never Sphinx's "2." and "2.1.", wherever a reader sees a number."""
    chapter_words = ["第一章", "第二章", "第三章", "第四章"]
    pages = html_pages()
    xhtml = epub_xhtml()
    for n, word in enumerate(chapter_words, 1):
        [page] = [name for name in pages if name.startswith(f"chapters/0{n}-")]
        for labels in (_heading_labels(pages[page]), _heading_labels(xhtml[page.replace(".html", ".xhtml")], "x:")):
            assert labels[0] == ("h1", f"{word}\u3000"), (page, labels[:2])
            sections = [text for tag, text in labels if tag == "h2"]
            assert sections and all(re.fullmatch(rf"{n}\.\d+\u3000", t) for t in sections), (page, sections)
    # the page body's contents and the sidebar's: the same entries twice
    contents = list(dict.fromkeys(a.text_content() for a in pages["index.html"].xpath("//li[@class='toctree-l1']/a")))
    assert [t[:3] for t in contents if t[:3] in chapter_words] == chapter_words, contents
    assert not any(re.match(r"\d+\.\s", t) for t in contents), contents
    assert "前言" in contents, "front matter is listed, unnumbered"
    members = epub_members()
    nav = etree.fromstring(members["nav.xhtml"])
    nav_text = [a.text for a in nav.iter(f"{{{XHTML_NS}}}a")]
    assert [t[:3] for t in nav_text if t[:3] in chapter_words] == chapter_words, nav_text
    assert "1.1\u3000" in "".join(nav_text) and "前言" in nav_text
    ncx_text = [t.text for t in etree.fromstring(members["toc.ncx"]).iter("{http://www.daisy.org/z3986/2005/ncx/}text")]
    assert [t[:3] for t in ncx_text if t[:3] in chapter_words] == chapter_words, ncx_text


def test_html_chapter_title_that_fits_the_line_stays_on_one_line(tmp_path):
    """Headless Chromium lays out chapter 2, whose title fills the text column: its ¶ link must not push an empty
    second line under it (the gap a reader saw between 第二章 and 学习目标)."""
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("needs Debian's chromium")
    site = tmp_path / "html"
    shutil.copytree(require(HTML), site)
    page = next((site / "chapters").glob("02-*.html"))
    probe = page.with_name("layout-probe.html")
    script = ('<script>var h=document.querySelector("h1");document.body.setAttribute("data-lines",'
              'String(Math.round(h.getBoundingClientRect().height/parseFloat(getComputedStyle(h).lineHeight))));'
              '</script></body>')
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", script), encoding="utf-8")
    dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1100,700",
                          f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    assert re.search(r'data-lines="1"', dom), re.search(r'data-lines="\d+"', dom)


def test_html_pages_declare_chinese_and_a_viewport():
    for name, root in html_pages().items():
        assert root.get("lang") == "zh-CN", name
        assert root.xpath("//meta[@name='viewport']"), f"{name} has no viewport meta: unreadable on a phone"


def test_real_catalogue_records_describe_the_built_book():
    """The records in dist/catalog/ for the real book: page count of the built PDF, nothing invented."""
    import json

    import pymarc
    from lxml import etree

    # The extent as a cataloguer reads it off the book: the last folio of the front matter and of the main matter.
    folios = pdf_text(PDF).split("\f")
    front = [f for f in (page.split()[-1] for page in folios if page.split()) if re.fullmatch(r"[ivxlc]+", f)]
    main = [f for f in (page.split()[-1] for page in folios if page.split()) if f.isdigit()]
    pages = f"{front[-1]}, {main[-1]}"
    assert front and int(main[-1]) > 50
    with open(require(CATALOG / f"{BOOK.slug}.mrc"), "rb") as handle:
        records = list(pymarc.MARCReader(handle, to_unicode=True, force_utf8=True))
    assert [r["001"].data for r in records] == [f"{BOOK.slug}-print", f"{BOOK.slug}-epub"]
    print_record, epub_record = records
    assert print_record["300"]["a"].startswith(f"{pages}页"), print_record["300"]
    assert f"({pages}页)" in epub_record["300"]["a"], epub_record["300"]
    assert BOOK.title in print_record["245"]["a"]
    # The real book has no ISBN, CLC number or CIP number yet: no record may carry one.
    for record in records:
        assert not record.get_fields("020") and not record.get_fields("084")
    assert "核字" not in (CATALOG / "cip.txt").read_text(encoding="utf-8")
    lint = subprocess.run(["perl", str(REPO / "tests" / "marclint.pl"), str(CATALOG / f"{BOOK.slug}.mrc")],
                          capture_output=True, text=True)
    assert (lint.returncode, lint.stdout) == (0, ""), lint.stdout
    dump = subprocess.run(["yaz-marcdump", "-i", "marcxml", str(CATALOG / f"{BOOK.slug}.xml")],
                          capture_output=True, text=True)
    assert dump.returncode == 0 and BOOK.title in dump.stdout
    dc = etree.parse(str(CATALOG / f"{BOOK.slug}-dc.xml"))
    assert dc.findtext("{http://purl.org/dc/elements/1.1/}language") == "zh-CN"
    index = html_pages()["index.html"]
    (script,) = index.xpath('//script[@type="application/ld+json"]')
    jsonld = json.loads(script.text)
    assert jsonld["@type"] == "Book" and jsonld["name"] == BOOK.title
    assert len(jsonld["workExample"]) == 2 and not any("isbn" in w for w in jsonld["workExample"])


def test_real_cnmarc_and_onix_records_describe_the_built_book():
    """dist/catalog/'s CNMARC and ONIX files for the real book: the figures of the built PDF and EPUB, nothing
    that an agency has not assigned (no ISBN, CLC class, price), read by yaz and EDItEUR's schemas."""
    import onixcheck
    import pymarc

    from zhbook.tools.catalog.facts import measure

    facts = measure(PDF)
    folios = [page.split()[-1] for page in pdf_text(PDF).split("\f") if page.split()]
    front = [f for f in folios if re.fullmatch(r"[ivxlc]+", f)][-1]
    main = [f for f in folios if f.isdigit()][-1]
    iso = require(CATALOG / f"{BOOK.slug}-cnmarc.iso")
    with open(iso, "rb") as handle:
        records = list(pymarc.MARCReader(handle, to_unicode=True, force_utf8=True))
    with open(CATALOG / f"{BOOK.slug}.mrc", "rb") as handle:
        marc21 = list(pymarc.MARCReader(handle, to_unicode=True, force_utf8=True))
    assert [r["001"].data for r in records] == [f"{BOOK.slug}-print", f"{BOOK.slug}-epub"]
    printed, epub = records
    assert printed["215"]["a"] == f"{front},{main}页" and epub["215"]["a"] == f"1在线资源({front},{main}页)"
    assert printed["200"]["a"] == BOOK.title and printed["200"]["f"].startswith(BOOK.creators[0].name)
    # The book prints figures and an index: MARC 21 and CNMARC say so alike.
    assert "图" in pdf_text(PDF) and "索引" in pdf_text(PDF)
    for cn, us in zip(records, marc21, strict=True):
        assert cn["105"]["a"][0:4] == "a   " and cn["105"]["a"][10] == "1"
        assert us["008"].data[18:22] == "a   " and us["008"].data[31] == "1"
        count = re.search(r"\d+", us["504"]["a"]).group()
        assert f"参考文献{count}条" in cn["320"]["a"] and int(count) > 50
        assert not {f.tag for f in cn.fields} & {"010", "205", "690"}, "an identifier or price was invented"
        assert cn["210"]["a"] == "[出版地不详]" and cn["102"].get_subfields("b") == []
    assert epub["135"]["a"] == "drcn mmmannbn"  # the book's figures and boxes are in colour
    dump = subprocess.run(["yaz-marcdump", "-f", "UTF-8", "-t", "UTF-8", "-i", "marc", str(iso)],
                          capture_output=True, text=True)
    assert dump.returncode == 0 and not dump.stderr and dump.stdout.count(BOOK.title) >= 2

    ns = {"o": "http://ns.editeur.org/onix/3.1/reference"}
    document = etree.parse(str(require(CATALOG / f"{BOOK.slug}-onix.xml")))
    schemas = Path(onixcheck.__file__).parent / "schema"
    xsd = etree.XMLSchema(etree.parse(str(schemas / "xsd3.1" / "ONIX_BookProduct_3.1_reference.xsd")))
    assert xsd.validate(document), xsd.error_log
    products = document.getroot().findall("o:Product", ns)
    assert [p.findtext("o:DescriptiveDetail/o:ProductForm", namespaces=ns) for p in products] == ["BC", "ED"]
    for product in products:
        assert [i.findtext("o:ProductIDType", namespaces=ns) for i in product.findall("o:ProductIdentifier", ns)
                ] == ["01"]
        assert product.find("o:ProductSupply/o:SupplyDetail/o:Price", ns) is None
        assert "88" not in [s.findtext("o:SubjectSchemeIdentifier", namespaces=ns)
                            for s in product.findall("o:DescriptiveDetail/o:Subject", ns)]
    extents = [(e.findtext("o:ExtentType", namespaces=ns), e.findtext("o:ExtentValue", namespaces=ns))
               for p in products for e in p.findall("o:DescriptiveDetail/o:Extent", ns)]
    assert extents == [("00", main), ("03", str(facts.front_matter_pages)), ("08", str(facts.content_pages))]
    # The EPUB product claims exactly what the EPUB's own accessibility metadata claims.
    opf_terms = {}
    for name, data in epub_members(EPUB).items():
        if name.endswith(".opf"):
            for meta in etree.fromstring(data).iter("{http://www.idpf.org/2007/opf}meta"):
                if meta.get("property", "").startswith(("schema:", "dcterms:conformsTo")):
                    opf_terms.setdefault(meta.get("property"), set()).add(meta.text)
    onix_codes = {(f.findtext("o:ProductFormFeatureType", namespaces=ns),
                   f.findtext("o:ProductFormFeatureValue", namespaces=ns))
                  for f in products[1].findall("o:DescriptiveDetail/o:ProductFormFeature", ns)}
    crosswalk = {"structuralNavigation": "29", "tableOfContents": "11", "readingOrder": "13",
                 "displayTransformability": "36", "alternativeText": "14", "index": "12", "pageBreakMarkers": "19",
                 "pageNavigation": "41"}
    assert {("09", crosswalk[t]) for t in opf_terms["schema:accessibilityFeature"]} <= onix_codes
    assert (("12", "00") in onix_codes) == (opf_terms["schema:accessibilityHazard"] == {"none"})
    assert (("09", "52") in onix_codes) == ("textual" in opf_terms["schema:accessModeSufficient"])
    assert ({("09", "04"), ("09", "81"), ("09", "85")} <= onix_codes) == (
        opf_terms["dcterms:conformsTo"] == {"EPUB Accessibility 1.1 - WCAG 2.1 Level AA"})


def test_html_shows_no_english_interface_words():
    """Every word a reader sees in the HTML edition is the book's own or Chinese: no theme strings in English."""
    # search.html's translated notice names JavaScript: a proper name inside a Chinese sentence
    stray = {name: [w for w in stray_english_words(root) if w != "JavaScript"] for name, root in html_pages().items()}
    assert not any(stray.values()), {name: words for name, words in stray.items() if words}
