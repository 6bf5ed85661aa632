"""Read inputs: bytes to text (detected, never silently wrong), HTML to text with an offset map,
and iteration over files, folders and JSONL records."""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from provcheck.errors import InputError
from provcheck.model import Document
from provcheck.text.html import looks_like_html

__all__ = [
    "decode_bytes",
    "document_from_text",
    "iter_documents",
    "iter_jsonl",
    "read_document",
]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters other than tab/newline/CR/form feed mean "binary", not text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".xhtml", ""}
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}


def _universal_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_text(text: str) -> bool:
    if not text:
        return True
    bad = len(_CONTROL.findall(text[:20000]))
    return bad <= max(2, len(text[:20000]) // 1000)


def _plausible(text: str) -> float:
    """Share of characters that are printable ASCII, line breaks, CJK or CJK punctuation."""
    if not text:
        return 0.0
    ok = sum(
        1
        for c in text
        if " " <= c <= "~" or c in "\n\t\r" or "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"
    )
    return ok / len(text)


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without a BOM: the byte order whose decoding reads as text."""
    if len(data) % 2:
        return None
    best, best_score = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            score = _plausible(data[:8000].decode(enc))
        except UnicodeDecodeError:
            continue
        if score > best_score:
            best, best_score = enc, score
    return best if best_score >= 0.9 else None


def _try(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if _is_text(text) else None


def _gb_or_big5(gb: str, big5: str) -> str:
    """Both decodings succeeded: pick the one that reads as common characters.

    GB2312 text read as Big5 lands in rare level-2 Big5 characters, and Big5 text read as GBK lands
    outside GB2312, so each side is scored by the share of its characters in its common set.
    """
    gb_cjk = [c for c in gb if "\u4e00" <= c <= "\u9fff"]
    b5_cjk = [c for c in big5 if "\u4e00" <= c <= "\u9fff"]
    if not gb_cjk or not b5_cjk:
        return "gb18030"

    def in_gb2312(c: str) -> bool:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            return False
        return True

    gb_score = sum(map(in_gb2312, gb_cjk)) / len(gb_cjk)
    b5_score = sum(1 for c in b5_cjk if 0xA4 <= c.encode("big5")[0] <= 0xC6) / len(b5_cjk)
    return "big5" if b5_score > gb_score else "gb18030"


def decode_bytes(data: bytes, name: str = "input", encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to text with universal newlines; return ``(text, encoding)``.

    Order: an explicit ``encoding``; a BOM; UTF-16 without BOM; strict UTF-8; GB18030 or Big5
    (chosen by charset-normalizer where both decode); charset-normalizer for the rest.
    Raises :class:`InputError` for empty, binary or undecodable data.

    >>> decode_bytes("新闻\\r\\n".encode("gb18030"))
    ('新闻\\n', 'gb18030')
    """
    if not data:
        raise InputError(f"{name} is empty")
    if encoding:
        try:
            forced = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(f"cannot decode {name} as {encoding}: {exc.__class__.__name__}") from None
        return _universal_newlines(forced.lstrip("\ufeff")), encoding
    text: str | None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom) :], enc)
            if text is None:
                raise InputError(
                    f"cannot decode {name}: it starts with a {enc} byte-order mark but is not {enc}"
                )
            return _universal_newlines(text), enc
    if b"\x00" in data[:4000]:
        enc16 = _utf16_guess(data)
        if enc16 and (text := _try(data, enc16)) is not None:
            return _universal_newlines(text), enc16
        raise InputError(f"{name} is a binary file, not text")
    text = _try(data, "utf-8")
    if text is not None:
        return _universal_newlines(text), "utf-8"
    gb, big5 = _try(data, "gb18030"), _try(data, "big5")
    if gb is not None and big5 is None:
        return _universal_newlines(gb), "gb18030"
    if big5 is not None and gb is None:
        return _universal_newlines(big5), "big5"
    if gb is not None and big5 is not None:
        if _gb_or_big5(gb, big5) == "big5":
            return _universal_newlines(big5), "big5"
        return _universal_newlines(gb), "gb18030"
    best = _best_guess(data)
    if best and (text := _try(data, best)) is not None:
        return _universal_newlines(text), best
    raise InputError(f"cannot decode {name}: not UTF-8, GB18030, Big5 or UTF-16; pass --encoding")


def _best_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    result = from_bytes(data).best()
    if result is None or result.chaos > 0.3:
        return None
    return str(result.encoding)


def read_document(path: str | Path, doc_id: str | None = None, encoding: str | None = None) -> Document:
    """Read one file into a :class:`Document` (id = the path as given; ``-`` reads standard input)."""
    p = Path(path)
    name = str(path)
    if name == "-":
        text, enc = decode_bytes(sys.stdin.buffer.read(), "standard input", encoding)
        return document_from_text(text, doc_id or name, enc)
    if not p.exists():
        raise InputError(f"{name}: no such file")
    if p.is_dir():
        raise InputError(f"{name} is a folder, not a file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    text, enc = decode_bytes(data, name, encoding)
    return document_from_text(text, doc_id or name, enc)


def document_from_text(
    text: str, doc_id: str, encoding: str = "utf-8", meta: dict[str, str] | None = None
) -> Document:
    """Wrap already-decoded text (newlines are made universal)."""
    text = _universal_newlines(text)
    if not text.strip():
        raise InputError(f"{doc_id} has no text")
    kind = "html" if looks_like_html(text) else "text"
    return Document(doc_id, text, encoding, kind, tuple(sorted((meta or {}).items())))


def iter_jsonl(path: str | Path, skipped: list[str]) -> Iterator[Document]:
    """Documents from a JSONL file of ``{"id", "text", ...}`` records, read line by line (UTF-8), so a
    large file never sits in memory whole. Bad lines go to ``skipped`` with their line number; other
    fields become metadata (title, date, ...)."""
    name = str(path)
    try:
        f = open(path, "rb")  # noqa: SIM115 - opened here for a one-line error, closed by the with below
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    with f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except UnicodeDecodeError:
                skipped.append(f"{name}:{lineno}: not UTF-8")
                continue
            except json.JSONDecodeError:
                skipped.append(f"{name}:{lineno}: not JSON")
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or not rec["text"].strip():
                skipped.append(f"{name}:{lineno}: no text field")
                continue
            rid = str(rec.get("id", f"{name}:{lineno}"))
            meta = {
                k: str(v)
                for k, v in rec.items()
                if k not in ("id", "text") and isinstance(v, str | int | float)
            }
            yield document_from_text(rec["text"], rid, "utf-8", meta)


def iter_documents(
    paths: list[str] | tuple[str, ...], skipped: list[str] | None = None, encoding: str | None = None
) -> Iterator[Document]:
    """Yield documents from files, folders (recursively, sorted) and JSONL files of
    ``{"id", "text", ...}`` records. Unreadable records are appended to ``skipped`` (when given) with
    a reason; without ``skipped`` they raise :class:`InputError`."""
    sink: list[str] = [] if skipped is None else skipped
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError(f"{raw}: no such file or folder")
        files = (
            [p]
            if p.is_file()
            else sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
        )
        for f in files:
            name = str(f) if f != p else str(raw)
            if f.suffix.lower() in _JSONL_SUFFIXES:
                before = len(sink)
                yield from iter_jsonl(f, sink)
                if skipped is None and len(sink) > before:
                    raise InputError(sink[before])
                continue
            if p.is_dir() and f.suffix.lower() not in _TEXT_SUFFIXES:
                continue
            try:
                yield read_document(f, name, encoding)
            except InputError as exc:
                if skipped is None:
                    raise
                sink.append(str(exc))
