"""The reuse measure's element stream and shared runs, against plain reference implementations."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provcheck.pair import reuse
from provcheck.text.numerals import find_numbers
from provcheck.text.segment import unit_code

_ELEMENTS = re.compile(r"[A-Za-z0-9]+|[^\W_A-Za-z0-9]+")


def reference_stream(text: str) -> tuple[str, list[int], list[int], int]:
    """One element at a time: the loop the array version replaced."""
    latin = 0
    chars: list[str] = []
    offs: list[int] = []
    weights: list[int] = []
    pos = 0
    for m in [*find_numbers(text), None]:
        stop = len(text) if m is None else m.start
        if m is not None and stop < pos:
            continue
        for e in _ELEMENTS.finditer(text, pos, stop):
            run = e.group()
            if run[0].isascii():
                chars.append(unit_code(reuse.stem(run)))
                offs.append(e.start())
                weights.append(len(run))
                latin += len(run)
            else:
                chars.append(run)
                offs.extend(range(e.start(), e.end()))
                weights.extend([1] * len(run))
        if m is not None:
            chars.append(unit_code("#" + m.key))
            offs.append(m.start)
            weights.append(max(1, sum(1 for c in m.text if c.isalnum())))
            latin += weights[-1] if m.text[0].isascii() else 0
            pos = m.end
    return "".join(chars), offs, weights, latin


def stream(text: str) -> tuple[str, list[int], list[int], int]:
    s = reuse._stream(text)
    assert s.units == s.codes.tobytes().decode("utf-32-le")
    assert s.total == sum(s.weights.tolist())
    return s.units, s.offs.tolist(), s.weights.tolist(), s.latin


TEXTS = [
    "",
    "，。 ",
    "去年2023年营收4.33万元，同比增长百分之十六。",
    "苹果iphone 15发布，售价5999元；z33十分相似，身高2米05。",
    "The company's revenue rose 16% to $4.3bn in 2023, its CEO said.",
    "Café naïve résumé: ①②③ ½ Ω-7 ＡＢＣ１２３ under_score x²",
    "混排text中文123abc456def。第三季度，“引号”里的话。\n新的一行",
    "𠀀𠀁 ext-B 字符 and \U0001f600 emoji",
]


@pytest.mark.parametrize("text", TEXTS)
def test_stream_matches_the_element_loop(text: str) -> None:
    assert stream(text) == reference_stream(text)


_ALPHABET = st.sampled_from(
    [*"abcXYZ0123456789 ,.%-_'中文字一二三十百千万亿点零〇两年月，。：“”「」\n①éΩ½", "𠀀"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_stream_matches_the_element_loop_on_generated_text(text: str) -> None:
    assert stream(text) == reference_stream(text)


def test_every_character_of_the_cjk_blocks_is_content() -> None:
    """The stream takes the two CJK ideograph blocks as content without asking each character."""
    blocks = [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)]
    assert all(chr(c).isalnum() for c in blocks)


PAIRS = [
    ("今天天气很好，我们去公园散步，然后一起吃午饭。", "我们去公园散步，然后一起吃午饭，今天天气很好。"),
    ("one two three four five six seven", "zero one two three four five six eight"),
    ("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉", "子丑寅卯辰巳午未申酉甲乙丙丁戊己庚辛壬癸"),
    ("短", "短"),
    ("", "没有来源"),
]


@pytest.mark.parametrize("base", [0x100000001B3, 0, 1])
@pytest.mark.parametrize(("source", "suspect"), PAIRS)
def test_shared_starts_match_the_gram_lookup(
    source: str, suspect: str, base: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shared runs found by hash are the runs the source's set of grams holds, also when every
    hash collides (a base of 0 or 1), so an unequal run behind an equal hash is never taken."""
    monkeypatch.setattr(reuse, "_BASE", np.uint64(base))
    reuse._sorted_grams.cache_clear()
    src, sus = reuse._stream(source), reuse._stream(suspect)
    for n in range(1, 8):
        grams = reuse._grams(src.units, n)
        want = [i for i in range(len(sus.units) - n + 1) if sus.units[i : i + n] in grams]
        got = reuse._shared_starts(src, sus, n) if len(sus.units) >= n else []
        assert got == want, n
    reuse._sorted_grams.cache_clear()


_ATTRIBUTED_BEFORE = re.compile(
    r"(?:表示|指出|认为|强调|透露|介绍|坦言|直言|声称|宣称|(?<![是句如据听来])说|称|显示)[，,：:]"
    r"|[，,](?:并|还|则|又)?称"
    r"|(?:^|(?<=[。！？!?；;，,\n]))据[^，,。！？!?；;\n]{0,20}[，,]"
)


@pytest.mark.parametrize(
    "text",
    [
        "据悉，会议召开。",
        "x据悉，",
        "。据悉，",
        "他说，好。",
        "是说，",
        "据说，",
        "公司，称",
        "，并称",
        "表示：",
        "说:",
        "\n据统计，",
    ],
)
def test_attribution_pattern_reads_as_before(text: str) -> None:
    """The reported-speech pattern with its look-behinds after the first character finds what the
    pattern with them in front found."""
    assert [m.span() for m in reuse._ATTRIBUTED.finditer(text)] == [
        m.span() for m in _ATTRIBUTED_BEFORE.finditer(text)
    ]
