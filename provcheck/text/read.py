"""Read inputs: bytes to text (detected, never silently wrong), HTML to text with an offset map,
and iteration over files, folders and JSONL records."""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from provcheck.errors import InputError
from provcheck.model import Document
from provcheck.text.html import hidden_prose, html_to_text, looks_like_html

__all__ = [
    "ReadConfig",
    "check_document",
    "decode_bytes",
    "document_from_text",
    "iter_documents",
    "iter_jsonl",
    "read_document",
    "unique_ids",
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


def _common_share(text: str, encoding: str) -> float:
    """Share of the non-ASCII characters of ``text`` (decoded as ``encoding``, GB18030 or Big5)
    that are the encoding's common characters: GB2312 level 1 and punctuation, or Big5's frequent
    block and punctuation. Chinese text scores near 1; Latin or Cyrillic bytes read as Chinese land
    in rare or extension characters and score low."""
    wide = [c for c in text[:200_000] if ord(c) > 0x7F]  # a sample bounds the cost of large files
    if not wide:
        return 0.0
    good = 0
    for c in wide:
        try:
            lead = c.encode("gb2312" if encoding == "gb18030" else "big5")[0]
        except UnicodeEncodeError:
            continue
        good += (
            0xA1 <= lead <= 0xA9 or 0xB0 <= lead <= 0xD7 if encoding == "gb18030" else 0xA1 <= lead <= 0xC6
        )
    return good / len(wide)


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


_LATIN_MARKS = set("‘’‚“”„–—…«»‹›°£€¥©®™±×÷§¶·•¡¿\u00a0")
_WORD = re.compile(r"[^\W\d_]+")


def _latin(data: bytes) -> str | None:
    """The text as Windows-1252 (Latin-1 plus typographic marks), when that reads as Latin-script
    prose: every byte above ASCII is a letter or a typographic mark, and nine in ten words that
    hold such letters also hold an ASCII letter or are one letter long (é in café, à; not words made
    only of high bytes, as Cyrillic or Greek in their own code pages would read)."""
    text = _try(data, "cp1252")
    if text is None:
        return None
    if any(ord(c) > 0x7F and not c.isalpha() and c not in _LATIN_MARKS for c in text):
        return None
    latin_like = foreign = 0
    for word in _WORD.findall(text):
        if any(ord(c) > 0x7F for c in word):
            if len(word) == 1 or any(c.isascii() for c in word):
                latin_like += 1
            else:
                foreign += 1
    return text if foreign * 10 <= latin_like + foreign else None


@dataclass(frozen=True, slots=True)
class _Utf8Damage:
    valid: int  # multi-byte UTF-8 sequences that decode
    invalid: int  # bytes that do not
    first: int  # offset of the first byte that does not


def _utf8_damage(data: bytes) -> _Utf8Damage:
    text = data.decode("utf-8", "surrogateescape")  # each bad byte becomes one of U+DC80..U+DCFF
    bad = _ESCAPED.search(text)
    if bad is None:
        return _Utf8Damage(sum(1 for c in text if ord(c) > 0x7F), 0, -1)
    invalid = len(_ESCAPED.findall(text))
    valid = sum(1 for c in text if ord(c) > 0x7F) - invalid
    first = len(text[: bad.start()].encode("utf-8", "surrogateescape"))
    return _Utf8Damage(valid, invalid, first)


_ESCAPED = re.compile("[\udc80-\udcff]")


def _byte_at(data: bytes, offset: int) -> str:
    return f"byte {offset} (0x{data[offset]:02x})"


def _legacy(data: bytes, name: str) -> tuple[str, str]:
    """Bytes that are not UTF-8: a Chinese legacy encoding or Latin-1 when the decoding reads as
    such, otherwise an :class:`InputError` naming the first byte that is not UTF-8.

    UTF-8 with a few broken bytes (a Latin-1 é pasted into a UTF-8 file) is refused rather than read
    in an encoding that turns the whole file into mojibake."""
    damage = _utf8_damage(data)
    hint = "pass --encoding, or --errors replace to read it with U+FFFD in place of bad bytes"
    if damage.valid and damage.invalid <= damage.valid:
        raise InputError(
            f"cannot decode {name}: UTF-8 except for {damage.invalid} byte(s), the first at "
            f"{_byte_at(data, damage.first)}; {hint}"
        )
    chinese = {}
    for enc in ("gb18030", "big5"):
        text = _try(data, enc)
        wide = 0 if text is None else sum(1 for c in text if ord(c) > 0x7F)
        if text is not None and wide >= 2 and _common_share(text, enc) >= 0.8:
            chinese[enc] = text
    if len(chinese) == 2:
        enc = _gb_or_big5(chinese["gb18030"], chinese["big5"])
        return _universal_newlines(chinese[enc]), enc
    if chinese:
        enc, text = next(iter(chinese.items()))
        return _universal_newlines(text), enc
    latin = _latin(data)
    if latin is not None:
        return _universal_newlines(latin), "cp1252"
    wide_bytes = sum(1 for b in data if b > 0x7F)
    if wide_bytes >= 64:  # enough evidence for a statistical guess (Cyrillic, Greek, ... code pages)
        best = _best_guess(data)
        if best and best not in ("gb18030", "big5", "utf_8") and (text := _try(data, best)) is not None:
            return _universal_newlines(text), best
    raise InputError(
        f"cannot decode {name}: not UTF-8 ({_byte_at(data, damage.first)}), and no other encoding "
        f"reads it as text; {hint}"
    )


def decode_bytes(
    data: bytes, name: str = "input", encoding: str | None = None, errors: str = "strict"
) -> tuple[str, str]:
    """Decode ``data`` to text with universal newlines; return ``(text, encoding)``.

    Order: an explicit ``encoding``; a BOM; UTF-16 without BOM; strict UTF-8; GB18030 or Big5 when
    the decoding reads as common Chinese characters; Windows-1252 when it reads as Latin-script
    words; a statistical guess (charset-normalizer) only with 64 or more non-ASCII bytes of
    evidence. Anything else, including UTF-8 with a few broken bytes, is an :class:`InputError`
    naming the first bad byte, never a guess. ``errors="replace"`` is the caller's explicit choice
    to read such bytes as U+FFFD instead (in the forced encoding, else UTF-8).
    Raises :class:`InputError` for empty or binary data.

    >>> decode_bytes("新闻\\r\\n".encode("gb18030"))
    ('新闻\\n', 'gb18030')
    """
    if errors not in ("strict", "replace"):
        raise InputError(f"errors must be strict or replace, not {errors!r}")
    if not data:
        raise InputError(f"{name} is empty")
    if encoding:
        try:
            forced = data.decode(encoding, errors)
        except LookupError:
            raise InputError(f"cannot decode {name}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                f"cannot decode {name} as {encoding}: {_byte_at(data, exc.start)} is not {encoding}; "
                "pass --errors replace to read it with U+FFFD"
            ) from None
        return _universal_newlines(forced.lstrip("\ufeff")), encoding
    text: str | None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom) :], enc)
            if text is None and errors == "replace":
                text = data[len(bom) :].decode(enc, "replace")
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
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not _is_text(text):
            raise InputError(f"{name} is a binary file, not text")
        return _universal_newlines(text), "utf-8"
    try:
        return _legacy(data, name)
    except InputError:
        if errors != "replace":
            raise
    text = data.decode("utf-8", "replace")
    if not _is_text(text):
        raise InputError(f"{name} is a binary file, not text")
    return _universal_newlines(text), "utf-8"


def _best_guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    result = from_bytes(data).best()
    if result is None or result.chaos > 0.3:
        return None
    return str(result.encoding)


@dataclass(frozen=True, slots=True)
class ReadConfig:
    """How input is read: ``encoding`` forces one instead of detecting it; ``errors`` is ``strict``
    (undecodable bytes are an error) or ``replace`` (read as U+FFFD, the user's explicit choice);
    ``max_bytes`` is the size limit of one document (a file, or one record of a JSONL file): a
    larger one is skipped with a reason, never read whole."""

    encoding: str | None = None
    errors: str = "strict"
    max_bytes: int = 8_000_000

    def __post_init__(self) -> None:
        if self.errors not in ("strict", "replace"):
            raise ValueError(f"errors must be 'strict' or 'replace', not {self.errors!r}")
        if self.max_bytes < 1:
            raise ValueError(f"max_bytes must be at least 1, not {self.max_bytes}")


def _megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n} bytes"


def _too_large(name: str, size: int, config: ReadConfig) -> InputError:
    return InputError(
        f"{name} is over the limit of {_megabytes(config.max_bytes)} per document "
        f"({_megabytes(size)}{'+' if size == config.max_bytes + 1 else ''}; setting [read] max_bytes)"
    )


def _config(encoding: str | None, config: ReadConfig | None) -> ReadConfig:
    config = config or ReadConfig()
    return replace(config, encoding=encoding) if encoding else config


def read_document(
    path: str | Path,
    doc_id: str | None = None,
    encoding: str | None = None,
    *,
    config: ReadConfig | None = None,
) -> Document:
    """Read one file into a :class:`Document` (id = the path as given; ``-`` reads standard input).

    Only regular files are read (a FIFO or device would block or never end); a file over
    ``config.max_bytes`` is an :class:`InputError` and is never read whole."""
    cfg = _config(encoding, config)
    name = str(path)
    if name == "-":
        data = sys.stdin.buffer.read(cfg.max_bytes + 1)
        if len(data) > cfg.max_bytes:
            raise _too_large("standard input", len(data), cfg)
        text, enc = decode_bytes(data, "standard input", cfg.encoding, cfg.errors)
        return document_from_text(text, doc_id or name, enc)
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        dangling = p.is_symlink()
        raise InputError(f"{name}: {'dangling symbolic link' if dangling else 'no such file'}") from None
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{name} is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{name} is not a regular file (a pipe, socket or device); not read")
    if st.st_size > cfg.max_bytes:
        raise _too_large(name, st.st_size, cfg)
    try:
        with p.open("rb") as f:
            data = f.read(cfg.max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > cfg.max_bytes:  # it grew since stat
        raise _too_large(name, len(data), cfg)
    text, enc = decode_bytes(data, name, cfg.encoding, cfg.errors)
    return document_from_text(text, doc_id or name, enc)


def check_document(doc: Document) -> Document:
    """``doc`` when its id and text are valid Unicode (a Document built by hand may hold a lone
    surrogate, which no encoder takes); else an :class:`InputError`."""
    for what, value in (("id", doc.id), ("text", doc.text)):
        problem = _unicode_problem(value)
        if problem:
            raise InputError(f"{doc.id!r}: its {what} holds {problem}, not valid Unicode text")
    return doc


def document_from_text(
    text: str, doc_id: str, encoding: str = "utf-8", meta: dict[str, str] | None = None
) -> Document:
    """Wrap already-decoded text (newlines are made universal).

    Text with no letter or digit (empty, white space, zero-width characters) is an
    :class:`InputError`, as is a page that shows no text. A page is read as HTML only when its
    markup hides less prose than it shows: text inside ``<script>``, ``<iframe>`` and the like that
    outweighs the visible text makes the document plain text, so markup never hides what a reader
    of the file sees."""
    text = _universal_newlines(text)
    if not any(map(str.isalnum, text)):
        raise InputError(f"{doc_id} has no text" + (" (only invisible characters)" if text.strip() else ""))
    problem = _unicode_problem(text)
    if problem:
        raise InputError(f"{doc_id} holds {problem}, not valid Unicode text")
    kind = "text"
    if looks_like_html(text):
        shown = sum(map(str.isalnum, html_to_text(text)[0]))
        if hidden_prose(text) <= 2 * shown + 200:
            if not shown:
                raise InputError(f"{doc_id} is a page that shows no text (only markup, scripts or styles)")
            kind = "html"
    return Document(doc_id, text, encoding, kind, tuple(sorted((meta or {}).items())))


def _lines(f: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` of a binary file, never holding more than ``limit`` bytes of one
    line: a longer line comes as ``None`` (its rest is read past in pieces)."""
    lineno = 0
    while raw := f.readline(limit + 1):
        lineno += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while (more := f.readline(1 << 20)) and not more.endswith(b"\n"):
                pass
            yield lineno, None
            continue
        yield lineno, raw


def _unicode_problem(value: str) -> str | None:
    """Why ``value`` is not valid Unicode text (a lone surrogate from a JSON escape), or None."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"a lone surrogate (\\u{ord(value[exc.start]):04x}) at character {exc.start}"
    return None


def _record_id(rec: dict[str, object], fallback: str) -> str | None:
    """The record's id as text: a string or whole number; ``fallback`` when there is no id field;
    None when the id is null, empty or of another type (never ``"None"``)."""
    if "id" not in rec:
        return fallback
    rid = rec["id"]
    if isinstance(rid, bool) or not isinstance(rid, str | int):
        return None
    text = str(rid)
    return text if text.strip() else None


def iter_jsonl(path: str | Path, skipped: list[str], config: ReadConfig | None = None) -> Iterator[Document]:
    """Documents from a JSONL file of ``{"id", "text", ...}`` records, read line by line (UTF-8), so a
    large file never sits in memory whole. Bad lines go to ``skipped`` with their line number and
    reason (not UTF-8, not JSON, nested too deeply, a number too long, a lone surrogate, no text, an
    id that is null or not a string or whole number, an id seen before in the file, a record over
    ``config.max_bytes``); other fields become metadata (title, date, ...). A record without an
    ``id`` field gets ``FILE:LINE``."""
    cfg = config or ReadConfig()
    name = str(path)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError(f"{name} is not a regular file (a pipe, socket, device or folder); not read")
        f = open(path, "rb")  # noqa: SIM115 - opened here for a one-line error, closed by the with below
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    seen: dict[str, int] = {}
    with f:
        for lineno, raw in _lines(f, cfg.max_bytes):
            where = f"{name}:{lineno}"
            if raw is None:
                skipped.append(
                    f"{where}: record over the limit of {_megabytes(cfg.max_bytes)} ([read] max_bytes)"
                )
                continue
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except UnicodeDecodeError as exc:
                skipped.append(f"{where}: not UTF-8 (byte {exc.start} of the line)")
                continue
            except json.JSONDecodeError:
                skipped.append(f"{where}: not JSON")
                continue
            except RecursionError:
                skipped.append(f"{where}: JSON nested too deeply")
                continue
            except ValueError as exc:  # e.g. an integer over Python's digit limit
                skipped.append(f"{where}: not readable JSON ({str(exc).splitlines()[0][:80]})")
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or not rec["text"].strip():
                skipped.append(f"{where}: no text field")
                continue
            rid = _record_id(rec, where)
            if rid is None:
                skipped.append(f"{where}: id is {json.dumps(rec['id'])[:40]}, not a string or whole number")
                continue
            meta = {
                k: str(v)
                for k, v in rec.items()
                if k not in ("id", "text") and isinstance(v, str | int | float)
            }
            problem = next(
                (f"{k} holds {p}" for k, v in (("id", rid), ("text", rec["text"]), *meta.items())
                 if (p := _unicode_problem(v))),
                None,
            )  # fmt: skip
            if problem:
                skipped.append(f"{where}: {problem}")
                continue
            if rid in seen:
                skipped.append(
                    f"{where}: duplicate id {rid!r} (first at line {seen[rid]}); ids must be unique"
                )
                continue
            seen[rid] = lineno
            try:
                yield document_from_text(rec["text"], rid, "utf-8", meta)
            except InputError as exc:
                skipped.append(f"{where}: {exc}")


def unique_ids(docs: Iterable[Document], skipped: list[str] | None) -> Iterator[Document]:
    """``docs`` without a second document of an id already seen: it is reported in ``skipped``, or
    raises :class:`InputError` when ``skipped`` is None, and never replaces or merges with the first."""
    seen: set[str] = set()
    for doc in docs:
        if doc.id in seen:
            problem = f"{doc.id}: duplicate id (an earlier document has it); ids must be unique"
            if skipped is None:
                raise InputError(problem)
            skipped.append(problem)
            continue
        seen.add(doc.id)
        yield doc


def _walk(root: Path, problems: list[str]) -> list[Path]:
    """Regular files under ``root`` (sorted, names starting with a dot left out), following
    symbolic links to folders once. Dangling or looping links, unreadable folders and files that are
    not regular (pipes, sockets, devices) go to ``problems``."""
    found: list[Path] = []
    visited: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in visited:
                problems.append(f"{folder}: symbolic link loop, not followed")
                continue
            visited.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(f"cannot read folder {folder}: {exc.strerror or exc}")
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                st = path.stat()
            except OSError as exc:
                if path.is_symlink():
                    kind = "symbolic link loop" if exc.errno == errno.ELOOP else "dangling symbolic link"
                    problems.append(f"{path}: {kind}")
                else:
                    problems.append(f"cannot read {path}: {exc.strerror or exc}")
                continue
            if stat.S_ISDIR(st.st_mode):
                stack.append(path)
            elif entry.name.startswith("."):
                continue
            elif stat.S_ISREG(st.st_mode):
                found.append(path)
            else:
                problems.append(f"{path} is not a regular file (a pipe, socket or device); not read")
    return sorted(found)


def iter_documents(
    paths: list[str] | tuple[str, ...],
    skipped: list[str] | None = None,
    encoding: str | None = None,
    *,
    config: ReadConfig | None = None,
) -> Iterator[Document]:
    """Yield documents from files, folders (recursively, sorted) and JSONL files of
    ``{"id", "text", ...}`` records. Unreadable files and records (also dangling links, unreadable
    folders, files over the size limit, duplicate ids) are appended to ``skipped`` (when given) with
    a reason; without ``skipped`` they raise :class:`InputError`."""
    cfg = _config(encoding, config)
    sink: list[str] = [] if skipped is None else skipped

    def report(problem: str) -> None:
        if skipped is None:
            raise InputError(problem)
        sink.append(problem)

    def each() -> Iterator[Document]:
        for raw in paths:
            p = Path(raw)
            if not p.exists():
                if p.is_symlink():
                    raise InputError(f"{raw}: dangling symbolic link")
                raise InputError(f"{raw}: no such file or folder")
            if p.is_dir():
                problems: list[str] = []
                files = _walk(p, problems)
                for problem in problems:
                    report(problem)
            else:
                files = [p]
            for f in files:
                name = str(f) if f != p else str(raw)
                if f.suffix.lower() in _JSONL_SUFFIXES:
                    before = len(sink)
                    try:
                        yield from iter_jsonl(f, sink, cfg)
                    except InputError as exc:  # not opened (a pipe, no permission): one skipped file
                        report(str(exc))
                        continue
                    if skipped is None and len(sink) > before:
                        raise InputError(sink[before])
                    continue
                if p.is_dir() and f.suffix.lower() not in _TEXT_SUFFIXES:
                    continue
                try:
                    yield read_document(f, name, config=cfg)
                except InputError as exc:
                    report(str(exc))

    yield from unique_ids(each(), skipped)
