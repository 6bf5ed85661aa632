"""Numbers compare by value: only the writing differs for these pairs."""

from __future__ import annotations

import pytest

from provcheck.text.lexicon import Lexicon
from provcheck.text.numerals import designation, find_numbers


def keys(text: str) -> list[str]:
    return [m.key for m in find_numbers(text)]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("16人", "十六人"),
        ("2023年", "二〇二三年"),
        ("43300人", "4.33万人"),
        ("1,200元", "1200元"),
        ("16%", "百分之十六"),
        ("10月", "十月"),
        ("2000亿元", "二零零零亿元"),
        ("4万亿", "四万亿"),
        ("3500万", "三千五百万"),
        ("10500", "一万零五百"),
        ("两个", "2个"),
    ],
)
def test_same_value(a: str, b: str) -> None:
    assert keys(a) == keys(b) and keys(a)


@pytest.mark.parametrize(
    ("a", "b"), [("990", "9900"), ("16%", "16"), ("4.33万", "4.3万"), ("二〇二三", "二〇二四")]
)
def test_different_value(a: str, b: str) -> None:
    assert keys(a) != keys(b)


@pytest.mark.parametrize("text", ["万众瞩目", "百姓生活", "千方百计"])
def test_words_with_numeral_characters_are_not_numbers(text: str) -> None:
    assert keys(text) == []


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("这款z33十分相似", ["33"]),  # 十 starts 十分 ("very"), it is no magnitude of 33
        ("大家一起努力，一致同意", []),
        ("还有一些人三心二意", []),
        ("全国统一考试", []),
        ("等了十分钟", ["10"]),
        ("休息一天再走", ["1"]),
        ("三个人", ["3"]),
        ("4.33万人", ["43300"]),
    ],
)
def test_numeral_characters_of_ordinary_words_are_not_numbers(
    text: str, expected: list[str], lexicon: Lexicon
) -> None:
    assert [m.key for m in find_numbers(text, lexicon)] == expected


@pytest.mark.parametrize(
    ("text", "number", "letters"),
    [
        ("尼康d90上市", "90", "d"),
        ("佳能7d套机", "7", "d"),
        ("f-35战机", "35", "f"),
        ("跑了5km", "5", ""),
        ("售价990元", "990", ""),
        ("苹果iphone 15发布", "15", "iphone"),
        ("he was born in 2005", "2005", ""),
    ],
)
def test_designation_letters(text: str, number: str, letters: str) -> None:
    start = text.index(number)
    assert designation(text, start, start + len(number)) == letters


_MIXED = "去年2023年营收4.33万元，同比增长百分之十六。一些人说十分好，第三季度z33售价9900元。十月，三点五米。"


def test_no_number_starts_where_number_can_start_says_none_can() -> None:
    """The shortcut of the reuse measure's element ends: where ``number_can_start`` is false, no
    number found from there on starts at the first character."""
    from provcheck.text.numerals import number_can_start

    for off in range(len(_MIXED)):
        first = [m for m in find_numbers(_MIXED[off : off + 40]) if m.start == 0]
        if not number_can_start(_MIXED, off):
            assert first == []
    assert number_can_start(_MIXED, _MIXED.index("2023"))
    assert not number_can_start(_MIXED, _MIXED.index("营"))


def test_kept_numbers_are_the_numbers_found() -> None:
    from provcheck.text.numerals import text_numbers
    from provcheck.text.segment import Segmenter

    assert text_numbers(_MIXED) == tuple(find_numbers(_MIXED))
    seg = Segmenter()
    first = seg.numbers(_MIXED)
    assert first == find_numbers(_MIXED, seg.lexicon)
    assert [m.text for m in first] == ["2023", "4.33万", "百分之十六", "三", "33", "9900", "十", "三点五"]
    first.clear()  # a caller's copy: the kept numbers stay whole
    assert seg.numbers(_MIXED) == find_numbers(_MIXED, seg.lexicon)


def test_numeral_in_word_asked_of_its_window() -> None:
    """The kept answer for a numeral's window is the answer for the whole text, at the text's
    edges too."""
    from provcheck.text.numerals import _in_word, in_word

    lex = Lexicon()
    for text in (_MIXED, "十分", "一些人", "等了十分钟", "三心二意地说"):
        for k, c in enumerate(text):
            if c in "一二三四五六七八九十两":
                assert _in_word(text, k, k + 1, lex) == in_word(text, k, k + 1, lex), (text, k)
