"""Normalizing keeps an exact map back to the original text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from provcheck.model import Document
from provcheck.text.normalize import Normalizer
from provcheck.text.read import document_from_text

N = Normalizer()


def test_width_case_traditional_and_spaces() -> None:
    nt = N.normalize_text("ＡＢＣ１２３  後來 的　發展\n\n\n下一段")
    assert nt.text == "abc123后来的发展\n下一段"


def test_orig_span_slices_the_original() -> None:
    original = "第一行\n\n  開雲電子 簽訂 協議\n"
    nt = N.normalize_text(original)
    start = nt.text.index("开云电子")
    span = nt.orig_span(start, start + 4)
    assert original[span.start : span.end] == "開雲電子"


def test_html_document_maps_into_the_page() -> None:
    page = "<html><body><p>标题</p><p>正文&nbsp;内容，共<b>16</b>人。</p></body></html>"
    doc = document_from_text(page, "p.html")
    assert doc.kind == "html"
    nt = N.normalize(doc)
    assert "正文内容,共16人。" in nt.text
    i = nt.text.index("16")
    span = nt.orig_span(i, i + 2)
    assert page[span.start : span.end] == "16"


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from([*list("abc ABＣ１\n\t\u3000中國後來，。!?、"), "\xa0", "①", "ﬁ"]),
        max_size=60,
    )
)
def test_offsets_are_monotone_and_in_range(text: str) -> None:
    nt = N.normalize(Document("t", text))
    assert len(nt.offsets) == len(nt.text) + 1
    assert all(a <= b for a, b in zip(nt.offsets, nt.offsets[1:], strict=False))
    assert all(0 <= o <= len(text) for o in nt.offsets)
    for i, ch in enumerate(nt.text):
        if ch not in " \n":
            span = nt.orig_span(i, i + 1)
            assert span.end > span.start
            assert text[span.start : span.end].strip()


def test_white_space_folds_only_where_it_changes() -> None:
    # A lone space between printable ASCII stays in place; a space beside CJK goes; one between
    # letters of other scripts stays; tabs and runs become one space; a line break stays, but not
    # at either end of the text; a space beside punctuation outside ASCII goes.
    text = "\nsay, hi 中 文 café au lait\tя  ж «x» end\n\n"
    nt = N.normalize_text(text)
    assert nt.text == "say, hi中文café au lait я ж«x»end"
    for i, ch in enumerate(nt.text):
        if ch != " ":
            span = nt.orig_span(i, i + 1)
            assert text[span.start : span.end] == ch
