"""Reading: every encoding edge case, HTML offsets, and bad input as InputError."""

from __future__ import annotations

import codecs

import opencc
import pytest

from provcheck.errors import InputError
from provcheck.text.html import html_to_text, looks_like_html
from provcheck.text.read import decode_bytes, iter_documents, read_document
from tests.cases import SEED_SOURCE, read

TEXT = read(SEED_SOURCE)
TRAD = opencc.OpenCC("s2t").convert(TEXT)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TRAD.encode("big5", errors="ignore"), "big5"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_detects_encoding(data: bytes, encoding: str) -> None:
    text, enc = decode_bytes(data, "x")
    assert enc == encoding
    assert "哈尔滨" in text or "哈爾濱" in text
    assert "\ufeff" not in text


def test_gb18030_round_trips_exactly() -> None:
    text, _ = decode_bytes(TEXT.encode("gb18030"))
    assert text == TEXT


def test_universal_newlines() -> None:
    text, _ = decode_bytes("一行\r\n二行\r三行\n".encode("gb18030"))
    assert text == "一行\n二行\n三行\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"\x00\x01\x02\x03binary\x00\xff\xfe\x00\x00\x10" * 50, "binary"),
        (bytes(range(128, 256)) * 20, "cannot decode"),
    ],
)
def test_bad_bytes_raise_input_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        decode_bytes(data, "bad.txt")


def test_missing_and_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="folder"):
        read_document(tmp_path)


def test_explicit_encoding_wins(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "a.txt"
    p.write_bytes("新闻".encode("gb18030"))
    assert read_document(p, encoding="gb18030").text == "新闻"
    with pytest.raises(InputError, match="as utf-8"):
        read_document(p, encoding="utf-8")


def test_html_text_keeps_offsets_into_the_page() -> None:
    page = "<html><head><title>t</title><script>var x='<p>';</script></head><body><p>第一段&amp;文字</p><div>second &#x4E2D; line</div></body></html>"
    assert looks_like_html(page)
    text, offs = html_to_text(page)
    assert "第一段&文字" in text and "second 中 line" in text
    assert "var x" not in text
    for i, ch in enumerate(text):
        if ch not in "\n&中":
            assert page[offs[i]] == ch
    amp = text.index("&")
    assert page[offs[amp] : offs[amp] + 5] == "&amp;"


def test_iter_documents_folders_and_jsonl(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("甲文。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("乙文。".encode("gb18030"))
    (tmp_path / "c.jsonl").write_text(
        '{"id": "r1", "text": "丙文。", "title": "T"}\n{"id": "r2"}\nnot json\n', encoding="utf-8"
    )
    skipped: list[str] = []
    docs = list(iter_documents([str(tmp_path)], skipped))
    assert sorted(d.id for d in docs) == sorted(
        [str(tmp_path / "b.txt"), "r1", str(tmp_path / "sub" / "a.txt")]
    )
    assert next(d for d in docs if d.id == "r1").meta_get("title") == "T"
    assert len(skipped) == 2 and "no text field" in skipped[0] and "not JSON" in skipped[1]
    with pytest.raises(InputError):
        list(iter_documents([str(tmp_path / "c.jsonl")]))
