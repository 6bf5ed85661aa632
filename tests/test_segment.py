"""Sentences across CJK and Latin punctuation, lines broken mid-sentence, and units."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provcheck.model import Segmented
from provcheck.text.normalize import Normalizer, is_cjk
from provcheck.text.read import document_from_text
from provcheck.text.segment import Segmenter, _letters


def seg(text: str) -> Segmented:
    doc = document_from_text(text, "t")
    return Segmenter().segment(doc, Normalizer().normalize(doc))


def test_sentences_cjk_and_latin() -> None:
    s = seg("他说：“今天下雨。”我们走吧！Is it late? Yes. 价格是4.5元。")
    assert [x.text for x in s.sentences] == [
        "他说:“今天下雨。”",
        "我们走吧!",
        "is it late?",
        "yes.",
        "价格是4.5元。",
    ]


def test_line_broken_mid_sentence_is_joined() -> None:
    s = seg(
        "哈尔滨市职业教育聚焦高质量发展工作主线，深入贯彻\n落实国家、省关于职业教育的决策部署。\n下一段。"
    )
    assert len(s.sentences) == 2
    assert s.sentences[0].text.endswith("决策部署。")


def test_short_lines_and_glued_keywords_stay_apart() -> None:
    s = seg(
        "新闻中心\n2024-05-17 22:51:08\n浏览次数:\n这是正文的第一句话，内容很长很长很长。传奇私服\n未经允许不得转载!"
    )
    texts = [x.text for x in s.sentences]
    assert "新闻中心" in texts and "浏览次数:" in texts
    assert "传奇私服" in texts


def test_units_are_words_and_numbers() -> None:
    s = seg("The 16 cats, 十六只猫。")
    sent = s.sentences[0]
    # words the, 16, cats, then 十六 (same unit as 16), 只, 猫
    assert len(sent.units) == 6
    assert sent.units[1] == sent.units[3]


@given(
    st.text(alphabet=st.sampled_from("ab Z1,。、中文〇\U00020001\uf900ÉΩж\u3000\u9fff\u2fff_"), max_size=40)
)
def test_letter_count_is_the_reference_count(line: str) -> None:
    """The count that tells a prose line from furniture (``_stops_mid_sentence``), by pattern."""
    assert _letters(line) == sum(1 for c in line if is_cjk(c) or c.isalpha())
