"""compare() on arbitrary text never raises anything but ProvcheckError, and its spans always
slice the original texts."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

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


# -- reading hostile bytes and records (issue 13): a result or a ProvcheckError, in bounded time ----

PIECES = st.sampled_from(
    [
        "新闻报道称，".encode(),
        "新闻报道称，".encode("gb18030"),
        "新聞報導稱，".encode("big5"),
        b"caf\xe9 ",
        b"\xe9",
        b"\xff\xfe",
        b"\xef\xbb\xbf",
        b"\x00",
        b"\r\n",
        b"<p>",
        b"<iframe>",
        b"</script>",
        "\u200b".encode(),
        b"plain words ",
        b"\xed\xa0\x80",  # an encoded surrogate: not UTF-8
    ]
)
HOSTILE_BYTES = st.one_of(st.binary(max_size=400), st.lists(PIECES, max_size=40).map(b"".join))


@settings(max_examples=300, deadline=2000)
@given(HOSTILE_BYTES, st.sampled_from(["strict", "replace"]))
def test_read_gives_a_document_or_a_provcheck_error(data: bytes, errors: str) -> None:
    from provcheck.text.read import ReadConfig, read_document

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.txt"
        path.write_bytes(data)
        try:
            doc = read_document(path, config=ReadConfig(errors=errors, max_bytes=10_000))
        except ProvcheckError as exc:
            assert "\n" not in str(exc)
            return
    assert "\r" not in doc.text and any(map(str.isalnum, doc.text))
    doc.text.encode("utf-8")  # valid Unicode: no lone surrogate gets through


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)
RECORD = st.fixed_dictionaries(
    {}, optional={"id": JSON_VALUES, "text": JSON_VALUES | st.text(), "title": JSON_VALUES}
)
LINES = st.one_of(
    RECORD.map(lambda r: json.dumps(r, ensure_ascii=bool(len(r) % 2)).encode()),
    HOSTILE_BYTES.map(lambda b: b.replace(b"\n", b" ")),
    st.integers(1, 3000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(1, 6000).map(lambda n: b'{"text": "x", "n": ' + b"9" * n + b"}"),
    st.just(b'{"id": "s", "text": "\\ud800 x"}'),
)


@settings(max_examples=200, deadline=2000)
@given(st.lists(LINES, max_size=12))
def test_jsonl_reader_gives_documents_or_skips_every_line(lines: list[bytes]) -> None:
    from provcheck.text.read import iter_jsonl

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.jsonl"
        path.write_bytes(b"\n".join(lines) + b"\n")
        skipped: list[str] = []
        try:
            docs = list(iter_jsonl(path, skipped))
        except ProvcheckError:
            return
    ids = [doc.id for doc in docs]
    assert len(ids) == len(set(ids))  # never two documents under one id
    for doc in docs:
        doc.text.encode("utf-8")
    assert len(docs) + len(skipped) <= sum(1 for line in lines if line.strip())
