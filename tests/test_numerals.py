"""Numbers compare by value: only the writing differs for these pairs."""

from __future__ import annotations

import pytest

from provcheck.text.numerals import find_numbers


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
