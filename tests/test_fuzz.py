"""compare() on arbitrary text never raises anything but ProvcheckError, and its spans always
slice the original texts."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provcheck.errors import ProvcheckError
from provcheck.pair.comparer import Provcheck
from provcheck.text.read import decode_bytes, document_from_text

ALPHABET = st.sampled_from(
    list("的了是在中国教育发展哈尔滨开云电子十六二〇一万亿点百分之，。！？、：“”《》()（）【】\n\n 　")
    + list("abcXYZ019.,;:!?%-<>/&#")
    + [
        "<p>",
        "</p>",
        "<script>",
        "&amp;",
        "2023年",
        "4.33万",
        "16%",
        "www.x.com",
        "浏览次数:",
        "(完)",
        "\u00a0",
        "①",
    ]
)
TEXT = st.lists(ALPHABET, max_size=120).map("".join)
PC = Provcheck()


def check_spans(source: str, suspect: str) -> None:
    try:
        report = PC.compare(document_from_text(source, "a"), document_from_text(suspect, "b"))
    except ProvcheckError:
        return
    assert 0.0 <= report.score <= 1.0
    for f in report.findings:
        if f.suspect_span is not None:
            assert 0 <= f.suspect_span.start <= f.suspect_span.end <= len(report.suspect.text)
            assert report.suspect.text[f.suspect_span.start : f.suspect_span.end] == f.suspect_text
        if f.source_span is not None:
            assert report.source.text[f.source_span.start : f.source_span.end] == f.source_text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT)
def test_arbitrary_pairs(source: str, suspect: str) -> None:
    check_spans(source, suspect)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.data())
def test_edited_copies(source: str, data: st.DataObject) -> None:
    """A copy with random cuts and insertions: the realistic neighbourhood of the input space."""
    cuts = sorted(data.draw(st.lists(st.integers(0, len(source)), max_size=4)))
    pieces, prev = [], 0
    for c in cuts:
        pieces.append(source[prev:c])
        pieces.append(data.draw(TEXT))
        prev = c
    pieces.append(source[prev:])
    check_spans(source, "".join(pieces))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_decode_or_input_error(data: bytes) -> None:
    try:
        text, _ = decode_bytes(data, "x")
    except ProvcheckError:
        return
    assert isinstance(text, str) and "\r" not in text
