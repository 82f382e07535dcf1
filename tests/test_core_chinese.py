"""zhbook.core.chinese: the one set of Chinese character classes and numerals, and the modules that use them."""
from __future__ import annotations

import pytest

from zhbook.core import chinese


@pytest.mark.parametrize("char", ["中", "〇", "㐀", "\U00020BB7", "\U0002A6A5", "\U00031350", "\uf900"])
def test_han_is_every_ideograph_with_its_extensions(char):
    # 𠮷 (extension B), 𪚥 (extension C), 𱍐 (extension H), a compatibility ideograph, 〇
    assert chinese.HAN_CHARACTER.fullmatch(char)


@pytest.mark.parametrize("char", ["A", "1", "，", "。", "“", "の", "Ａ", "䷀"])
def test_han_is_nothing_else(char):
    assert not chinese.HAN_CHARACTER.fullmatch(char)  # ䷀ (U+4DC0) is a hexagram symbol, not an ideograph


def test_text_set_without_spaces_takes_in_its_punctuation_and_kana():
    assert all(chinese.CJK_TEXT.fullmatch(c) for c in "中〇の、。，（）—“”‘’…　０")
    assert not any(chinese.CJK_TEXT.fullmatch(c) for c in "Aa1,.()-\"' ")


def test_counted_characters_are_letters_and_digits_not_punctuation():
    assert "".join(chinese.COUNTED.findall("第２章Ｆ，《行政》［１］＿")) == "第２章Ｆ行政１"
    # the full-width ［＼］＾＿｀ between Ｚ and ａ are punctuation: the old range \uff21-\uff5a counted them
    assert not any(chinese.COUNTED.fullmatch(c) for c in "［＼］＾＿｀")


def test_letters_are_what_two_renderings_share():
    assert "".join(chinese.LETTERS.findall("第2章 行政（administration）〇")) == "第章行政administration〇"
    assert "".join(chinese.LETTERS_AND_DIGITS.findall("表 2.1：12345")) == "表2112345"


def test_line_breaking_marks():
    assert {"，", "。", "”", "）", "》", "%"} <= chinese.CLOSING
    assert {"“", "（", "《", "("} <= chinese.OPENING
    assert not chinese.CLOSING & chinese.OPENING


@pytest.mark.parametrize("n, text", [(0, "零"), (1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"),
                                     (21, "二十一"), (99, "九十九")])
def test_chapter_numbers_both_ways(n, text):
    assert chinese.chinese_number(n) == text
    assert chinese.read_chinese_number(text) == n


@pytest.mark.parametrize("n", [-1, 100])
def test_a_chapter_number_beyond_99_is_refused(n):
    with pytest.raises(ValueError):
        chinese.chinese_number(n)


@pytest.mark.parametrize("text, n", [("二〇〇九", 2009), ("二○○七", 2007), ("二零一三", 2013), ("三十一", 31),
                                     ("十五", 15), ("07", 7), ("2009", 2009)])
def test_numbers_as_dates_write_them(text, n):
    assert chinese.read_chinese_number(text) == n


@pytest.mark.parametrize("text", ["十十", "二十十", "甲", ""])
def test_what_is_no_number(text):
    with pytest.raises(ValueError):
        chinese.read_chinese_number(text)


def test_a_garbled_numeral_in_an_evidence_is_no_date():
    from zhbook.ext.timeline import find_stated_dates

    assert find_stated_dates("十十月三日", None) == []


def test_the_html_and_the_quotation_check_join_the_same_line_breaks():
    """zhbook.ext.chinese_text (what the reader sees) and zhbook.ext.quotations (what is compared with the
    document) agree on which line breaks of the source are no space: the quotation check used a narrower class
    that missed — and … ."""
    from zhbook.ext.chinese_text import join_chinese_lines
    from zhbook.ext.quotations import normalize

    for text, joined in [("服务\n型", True), ("政府——\nNPM", True), ("等等……\nand", True), ("“\n改革", True),
                         ("public\nservice", False)]:
        assert ("\n" not in join_chinese_lines(text)) is joined
        assert (" " not in normalize(text)) is joined


def test_an_english_reference_is_marked_english_whatever_its_punctuation():
    """A bibliography entry without Chinese characters is English (lang="en") even when it has a full-width
    colon: chinese_text took any CJK punctuation for Chinese."""
    from docutils import nodes
    from docutils.utils import new_document
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser

    from zhbook.ext.chinese_text import mark_english_passages

    document = new_document("<test>", get_default_settings(Parser))
    english = nodes.citation("", nodes.paragraph(text="DENHARDT R B. The New Public Service：serving"))
    chinese_entry = nodes.citation("", nodes.paragraph(text="国务院. 关于…的意见"))
    document += [english, chinese_entry]
    mark_english_passages(document)
    assert "language-en" in english["classes"]
    assert "language-en" not in chinese_entry["classes"]
