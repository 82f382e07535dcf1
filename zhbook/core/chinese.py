"""Chinese text as zhbook reads it: the one set of character classes, and Chinese numerals both ways.

What this module owns — every module that asks "is this a Chinese character?" asks here:

- the ranges, as strings to put inside ``[…]``: :data:`HAN` (every CJK ideograph: the unified blocks with their
  extensions A to H, the compatibility ideographs, and 〇), :data:`KANA`, :data:`CJK_SYMBOLS` (the CJK Symbols and
  Punctuation block: 、。《》「」【】 and the ideographic space), :data:`FULLWIDTH` (，：；！？（）０-９Ａ-Ｚ),
  :data:`SHARED_PUNCTUATION` (— ‘ ’ “ ” …, which Chinese text shares with Western text);
- the compiled classes built from them: :data:`HAN_CHARACTER`; :data:`CJK_CHARACTER` (Han and kana: the
  characters xeCJK sets with glue between them); :data:`CJK_TEXT` (any character of text set without spaces: Han,
  kana, CJK and full-width punctuation, Chinese quotes and dashes — a line break next to one is no space);
  :data:`COUNTED` (what a reader counts as a character of a line: Han, kana, letters and digits, not punctuation);
  :data:`LETTERS` and :data:`LETTERS_AND_DIGITS` (Han and Latin letters: what two renderings of one text share,
  whatever their punctuation and spacing); :data:`FULLWIDTH_PUNCTUATION` (punctuation with a full-width glyph box);
- :data:`CLOSING` and :data:`OPENING`: the punctuation that may not start a line and the marks that may not end one
  (W3C clreq 3.1.7, GB/T 15834), as the typesetter and its checker use them;
- Chinese numerals: :func:`chinese_number` (12 → 十二, as chapter numbers are printed) and
  :func:`read_chinese_number` (二十 → 20, 二〇〇九 → 2009, also with ○ for zero as documents are often typed).
"""
from __future__ import annotations

import re

#: CJK ideographs: 〇, extension A, the unified block, the compatibility ideographs, and the supplementary planes'
#: extensions B to H with the compatibility supplement.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
#: Hiragana and katakana (with ・ and ー).
KANA = "\u3040-\u30ff"
#: The CJK Symbols and Punctuation block: the ideographic space, 、。〃々〆〇〈〉《》「」『』【】〔〕〖〗〘〙〜 …
CJK_SYMBOLS = "\u3000-\u303f"
#: The Halfwidth and Fullwidth Forms block: ，．：；！？（）［］｛｝０-９Ａ-Ｚａ-ｚ％ and half-width katakana.
FULLWIDTH = "\uff00-\uffef"
#: The punctuation Chinese text shares with Western text: the em dash, curly quotes and the ellipsis.
SHARED_PUNCTUATION = "\u2014\u2018-\u201d\u2026"

HAN_CHARACTER = re.compile(f"[{HAN}]")
CJK_CHARACTER = re.compile(f"[{HAN}{KANA}]")
CJK_TEXT = re.compile(f"[{HAN}{KANA}{CJK_SYMBOLS}{FULLWIDTH}{SHARED_PUNCTUATION}]")
#: Full-width digits and Latin letters (not the ［＼］＾＿｀ between them).
FULLWIDTH_ALPHANUMERIC = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
COUNTED = re.compile(f"[{HAN}{KANA}0-9A-Za-z{FULLWIDTH_ALPHANUMERIC}]")
LETTERS = re.compile(f"[{HAN}A-Za-z]")
LETTERS_AND_DIGITS = re.compile(f"[{HAN}A-Za-z0-9]")
#: Punctuation whose glyph box is a whole em wide (xeCJK compresses it at a line's start or end).
FULLWIDTH_PUNCTUATION = re.compile(f"[\u2018-\u201d{CJK_SYMBOLS}\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")

#: Punctuation that may not start a line (GB/T 15834 点号 and closing 标号). Of the half-width forms only brackets
#: and the per cent sign: a web address may break before its points and colons.
CLOSING = frozenset("，。、；：？！）》」』”’…〉】〕｝〗〙．·・％‰)]}%")
#: Opening marks that may not end a line.
OPENING = frozenset("（《「『“‘〈【〔｛〖〘([{")

# --------------------------------------------------------------------------------------------------------------
# Numerals

#: The digits 零 to 九, as :func:`chinese_number` writes them.
CHINESE_DIGITS = "零一二三四五六七八九"
#: The value of every digit :func:`read_chinese_number` reads: 〇 (U+3007) is the standard zero; official documents
#: are as often typed with ○ (U+25CB, 二○○七年); 零 is the zero inside a number.
DIGIT_VALUES = {"〇": 0, "○": 0, **{digit: value for value, digit in enumerate(CHINESE_DIGITS)}}
#: Every digit character, for a regular expression's ``[…]``.
DIGIT_CHARACTERS = "".join(DIGIT_VALUES)


def chinese_number(n: int) -> str:
    """0 to 99 as a Chinese book prints a chapter number: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (\\zhnumber in
    LaTeX)."""
    if not 0 <= n <= 99:
        raise ValueError(f"{n} is not a number from 0 to 99")
    if n < 10:
        return CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")


def read_chinese_number(text: str) -> int:
    """A number written in Arabic digits or Chinese numerals, as dates write them: 12 → 12, 二十 → 20,
    三十一 → 31, 十五 → 15, 二〇〇九 and 二○○九 (digit by digit) → 2009. Raises ValueError for anything else."""
    if text.isdigit():
        return int(text)
    try:
        if "十" not in text:
            if not text:
                raise KeyError(text)
            return int("".join(str(DIGIT_VALUES[char]) for char in text))
        tens, _, units = text.partition("十")
        if len(tens) > 1 or len(units) > 1:
            raise KeyError(text)
        return (DIGIT_VALUES[tens] if tens else 1) * 10 + (DIGIT_VALUES[units] if units else 0)
    except KeyError:
        raise ValueError(f"{text!r} is not a number in Chinese numerals") from None
