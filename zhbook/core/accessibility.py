"""The EPUB's accessibility summary (``schema:accessibilitySummary``), composed from its accessibility features.

The summary says in words what the package's ``schema:accessibilityFeature`` entries claim, so that the two never
disagree: the EPUB builder (:mod:`zhbook.ext.epub`) writes it for the features it declares, and the print page
list (:mod:`zhbook.tools.epub_pages`), which adds ``pageBreakMarkers`` and ``pageNavigation``, writes it again for
the longer list. The text is the same for every book built by zhbook: it names no fact of a book, only what the
pipeline guarantees (a reflowable EPUB checked by EPUBCheck and DAISY Ace on every build, table headers, pop-up
footnotes, foreign passages marked with their language, no hazards) and what the features say.
"""
from __future__ import annotations

from collections.abc import Collection

#: The features a print page list adds: markers where each printed page starts, and a page list to jump to them.
PAGE_FEATURES = ("pageBreakMarkers", "pageNavigation")

CONFORMANCE = ("本书为可重排的电子书，符合 EPUB 无障碍 1.1 与 WCAG 2.1 AA 级的要求（出版方自评，"
               "每次构建都经 EPUBCheck 与 DAISY Ace 检查）。")
NO_HAZARDS = "本书没有闪烁、声音或动态内容。"
WITHOUT_PAGES = "电子版不含印刷版的页码。"
WITH_PAGES = "电子版标出了印刷版的页码，可按页码跳转，与纸质书和 PDF 的页码一致。"


def accessibility_summary(features: Collection[str]) -> str:
    """The summary for the package's ``schema:accessibilityFeature`` values (W3C discoverability vocabulary)."""
    navigation = "、".join(name for feature, name in (("structuralNavigation", "结构化的标题"),
                                                       ("tableOfContents", "目录")) if feature in features)
    if "index" in features:
        navigation = f"{navigation}和索引" if navigation else "索引"
    text = CONFORMANCE + "正文全部是文字" + (f"，有{navigation}" if navigation else "")
    details = ["每幅图都有替代文字"] if "alternativeText" in features else []
    details += ["表格有表头", "脚注可以弹出显示", "外文段落标明了语言"]
    if "displayTransformability" in features:
        details.append("字体、字号和颜色可以由读者调整")
    text += "；" + "，".join(details) + "。" + NO_HAZARDS
    return text + (WITH_PAGES if all(feature in features for feature in PAGE_FEATURES) else WITHOUT_PAGES)
