"""Verbatim reuse: which of the suspect's characters lie in long runs it shares with the source.

An editor calls text reused when a stretch of it reads the same as the source, not when two
sentences merely report the same facts. A run counts once it holds ``min_run`` content characters
(letters, digits, CJK) in the same order on both sides; punctuation and white space are skipped, so
they never break a run. The measure works on normalized text (NFKC, simplified script, converter
pinyin glosses dropped), so a traditional-script mirror reuses its source as fully as a simplified
copy does. Quoted text is counted apart: two independent reports may share a quotation without one
deriving from the other. Quoted means inside quotation marks (“…”, 「…」) or reported speech, the rest
of a sentence after a reporting verb or an attribution (公司表示，…; 发布公告，称…; 据统计，…), which is how Chinese news
quotes a statement or an announcement both reports received.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from provcheck.model import Finding, FindingType, Segmented
from provcheck.text.numerals import NumberMention, find_numbers, number_can_start, text_numbers
from provcheck.text.segment import unit_code

__all__ = ["Reuse", "ReuseConfig", "measure_reuse", "reuse_totals", "shared_findings", "stem", "word_unit"]

_OPEN_QUOTES = "“「『"
_CLOSE_QUOTES = "”」』"
_QUOTE_EVENT = re.compile(f"[{_OPEN_QUOTES}{_CLOSE_QUOTES}\n]")


@dataclass(frozen=True, slots=True)
class ReuseConfig:
    min_run: int = 12  # content characters a shared run needs (CNKI flags 13)
    min_run_words: int = 5  # in a text of Latin words, words a shared run needs


@dataclass(frozen=True, slots=True)
class Reuse:
    """Per suspect sentence: content characters inside shared runs, and how many of them are quoted."""

    covered: tuple[int, ...]
    quoted: tuple[int, ...]
    content: tuple[int, ...]  # content characters of each sentence
    source_content: int = 0  # content characters of the source
    runs: tuple[tuple[int, int, int, int], ...] = ()  # shared runs: normalized suspect, source spans
    quoted_content: tuple[int, ...] = ()  # content characters of each sentence inside quotation
    latin: bool = False  # the suspect is mostly Latin words (counts are letters, not CJK characters)

    @property
    def total(self) -> int:
        return sum(self.covered)

    def sentence_share(self, i: int) -> float:
        return self.covered[i] / self.content[i] if self.content[i] else 0.0


_SUFFIXES = (
    ("ies", "y"),
    ("sses", "ss"),
    ("ing", ""),
    ("edly", ""),
    ("ed", ""),
    ("ly", ""),
    ("es", ""),
    ("s", ""),
)


@lru_cache(maxsize=1 << 16)  # the same words recur in every text
def stem(word: str) -> str:
    """A Latin word less its inflection (classes, classed -> class; studies -> study; makes,
    making -> mak), so a sentence reworded only in its endings still reads as the same run. A light
    suffix rule, not a full stemmer: it only has to map a word's forms to one key.

    >>> [stem(w) for w in ("inherits", "inherited", "inheriting", "uses", "studies", "is")]
    ['inherit', 'inherit', 'inherit', 'use', 'study', 'is']
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, repl in _SUFFIXES:
        if (
            word.endswith(suffix)
            and len(word) - len(suffix) >= 3
            and not (suffix == "s" and word.endswith(("ss", "us", "is")))
        ):
            word = word[: -len(suffix)] + repl
            break
    if len(word) > 3 and word[-1] == "e":
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # running -> runn -> run
    return word


_ASCII_ALNUM = np.zeros(128, dtype=bool)  # ASCII letters and digits: the characters of Latin words
_ASCII_ALNUM[[ord(c) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"]] = True


class _Stream(NamedTuple):
    units: str  # one character per element
    codes: np.ndarray  # the code points of ``units``
    offs: np.ndarray  # the normalized offset of each element, increasing
    weights: np.ndarray  # the content characters of each element
    latin: int  # the weight of the elements written in ASCII (Latin words, Arabic numbers)
    total: int  # the weight of all elements


@lru_cache(maxsize=1 << 16)  # the same words recur in every text
def word_unit(word: str) -> str:
    """``unit_code(stem(word))``: the unit a Latin word stands for, whatever its inflection."""
    return unit_code(stem(word))


@lru_cache(maxsize=64)  # a text meets several others in a row (both directions, a group)
def _stream(text: str) -> _Stream:
    """Content elements of ``text``: each CJK character, each Latin word (by its stem), and each
    number as one element standing for its value (16 and 十六, 43300 and 4.33万 read the same); a word or number
    weighs as many content characters as it holds. A Latin word is one element: a run of twelve
    letters is two words, not a passage.

    Content characters are what ``str.isalnum`` accepts; a Latin word is a run of ASCII letters and
    digits, each other content character is an element of its own (every CJK ideograph is one), and
    a number is read first (its characters are no other element). The text is classified as an
    array of code points: only the distinct characters outside ASCII and the two CJK ideograph
    blocks are asked ``isalnum`` one by one."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    narrow = codes < 128
    latin = np.zeros(len(codes), dtype=bool)
    latin[narrow] = _ASCII_ALNUM[codes[narrow]]
    single = ((codes >= 0x4E00) & (codes <= 0x9FFF)) | ((codes >= 0x3400) & (codes <= 0x4DBF))
    rest = ~narrow & ~single
    if rest.any():
        other = [c for c in np.unique(codes[rest]).tolist() if chr(c).isalnum()]
        if other:
            single |= rest & np.isin(codes, other)
    nums: list[NumberMention] = []
    pos = 0
    for m in text_numbers(text):
        if m.start >= pos:  # else inside the number before
            nums.append(m)
            latin[m.start : m.end] = False
            single[m.start : m.end] = False
            pos = m.end
    starts, ends = _true_runs(latin)
    units = codes.copy()
    weights = np.ones(len(codes), dtype=np.int64)
    elements = single
    ascii_weight = 0
    if len(starts):
        units[starts] = [
            ord(word_unit(text[a:b])) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
        ]
        lengths = ends - starts
        weights[starts] = lengths
        ascii_weight = int(lengths.sum())
        elements[starts] = True
    if nums:
        at = [m.start for m in nums]
        units[at] = [ord(unit_code("#" + m.key)) for m in nums]
        held = [max(1, sum(map(str.isalnum, m.text))) for m in nums]
        weights[at] = held
        ascii_weight += sum(w for w, m in zip(held, nums, strict=True) if m.text[0].isascii())
        elements[at] = True
    where = np.flatnonzero(elements)
    offs, kept, units = where, weights[where], units[where]
    offs.flags.writeable = kept.flags.writeable = units.flags.writeable = False  # kept: read only
    return _Stream(units.tobytes().decode("utf-32-le"), units, offs, kept, ascii_weight, int(kept.sum()))


def _true_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of true values of a boolean array starts, and where it ends (exclusive)."""
    padded = np.zeros(len(mask) + 2, dtype=np.int8)
    padded[1:-1] = mask
    edge = padded[1:] - padded[:-1]
    return np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)


@lru_cache(maxsize=64)  # a source meets each of its copies in turn
def _grams(stream: str, n: int) -> frozenset[str]:
    """The runs of ``n`` elements of a stream."""
    return frozenset(stream[i : i + n] for i in range(len(stream) - n + 1))


_BASE = np.uint64(0x100000001B3)  # an odd multiplier: hashes of n code points, modulo 2**64


def _gram_hashes(codes: np.ndarray, n: int) -> np.ndarray:
    """A hash of each run of ``n`` code points (a polynomial in the code points, modulo 2**64)."""
    m = len(codes) - n + 1
    wide = codes.astype(np.uint64)
    out = wide[:m].copy()
    for k in range(1, n):
        out *= _BASE
        out += wide[k : k + m]
    return out


@lru_cache(maxsize=64)  # a source meets each of its copies in turn
def _sorted_grams(stream: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The hashes of the stream's runs of ``n`` elements, sorted, and where each run starts."""
    hashes = _gram_hashes(_stream_codes(stream), n)
    order = np.argsort(hashes, kind="stable")
    return hashes[order], order


def _stream_codes(stream: str) -> np.ndarray:
    return np.frombuffer(stream.encode("utf-32-le"), dtype=np.uint32)


def _shared_starts(src: _Stream, sus: _Stream, n: int) -> list[int]:
    """Where a run of ``n`` elements of the suspect that the source holds too starts:
    ``[i for i in range(len(sus) - n + 1) if sus[i : i + n] in _grams(src, n)]``. Runs are matched
    by hash and the match checked element by element; a run whose hash met another run of the
    source (a collision) is looked up exactly."""
    hashes, order = _sorted_grams(src.units, n)
    if not len(hashes):
        return []
    mine = _gram_hashes(sus.codes, n)
    at = np.minimum(np.searchsorted(hashes, mine), len(hashes) - 1)
    found = np.flatnonzero(hashes[at] == mine)
    if not len(found):
        return []
    there = order[at[found]]
    same = np.ones(len(found), dtype=bool)
    for k in range(n):
        same &= sus.codes[found + k] == src.codes[there + k]
    starts: list[int] = found[same].tolist()
    if not same.all():
        grams = _grams(src.units, n)
        units = sus.units
        starts = sorted(starts + [i for i in found[~same].tolist() if units[i : i + n] in grams])
    return starts


def _end(text: str, off: int) -> int:
    """End of the element at ``off``: past a whole number or Latin word, else one character."""
    if number_can_start(text, off):  # else no number found in the slice starts at its first character
        for m in find_numbers(text[off : off + 40]):
            if m.start == 0:
                return off + m.end
    e = off + 1
    if text[off].isascii():
        while e < len(text) and text[e].isascii() and text[e].isalnum():
            e += 1
    return e


# A reporting verb and the comma or colon after it (or 称 right after a comma), or an attribution
# (据…，) opening a clause: the rest of the sentence is reported speech. 说 in 也就是说, 比如说, 据说 is no speech.
_ATTRIBUTED = re.compile(
    r"(?:表示|指出|认为|强调|透露|介绍|坦言|直言|声称|宣称|说(?<![是句如据听来]说)|称|显示)[，,：:]"
    r"|[，,](?:并|还|则|又)?称"
    r"|据(?<![^。！？!?；;，,\n]据)[^，,。！？!?；;\n]{0,20}[，,]"  # 据悉，… 据中国地震台网测定，…
)  # every branch opens with a character (the look-behinds follow it): the engine skips to where one can match
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def _quote_mask(text: str) -> bytearray:
    """1 for each character of ``text`` inside quotation marks or reported speech."""
    mask = bytearray(len(text))
    for m in _ATTRIBUTED.finditer(text):
        end = _SENTENCE_END.search(text, m.end())
        stop = end.start() if end else len(text)
        mask[m.end() : stop] = b"\x01" * (stop - m.end())
    depth = 0
    pos = (
        0  # the characters from pos up to the next quotation mark or line break are inside `depth` quotations
    )
    for m in _QUOTE_EVENT.finditer(text):
        k = m.start()
        if depth and k > pos:
            mask[pos:k] = b"\x01" * (k - pos)
        c = text[k]
        if c in _OPEN_QUOTES:
            depth += 1
        elif c in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
        else:
            depth = 0  # an unclosed quotation ends with its paragraph
        pos = k + 1
    if depth and len(text) > pos:
        mask[pos:] = b"\x01" * (len(text) - pos)
    return mask


def _hits(source: str, suspect: str, cfg: ReuseConfig) -> tuple[np.ndarray, int, int]:
    """Which elements of the normalized ``suspect`` lie in a shared run (a boolean array), the run
    length in elements, and the suspect's weight written in ASCII."""
    n = cfg.min_run
    src, sus = _stream(source), _stream(suspect)
    units = sus.units
    if sus.latin > sus.total // 2:
        n = cfg.min_run_words  # mostly Latin words: a run is counted in words
    # A text shorter than a run is reused when it is reproduced whole.
    n = max(1, min(n, len(src.units), len(units)))
    starts = _shared_starts(src, sus, n) if len(units) >= n else []
    if not starts:
        return np.zeros(len(units), dtype=bool), n, sus.latin
    marks = np.zeros(len(units) + 1, dtype=np.int64)  # +1 where a run of n starts, -1 past its end
    at = np.array(starts)
    marks[at] += 1
    marks[at + n] -= 1
    return np.cumsum(marks[:-1]) > 0, n, sus.latin


def reuse_totals(source: str, suspect: str, config: ReuseConfig | None = None) -> tuple[int, int, int, int]:
    """:func:`measure_reuse` summed over the whole suspect, from the two normalized texts alone (no
    segmenting): the suspect's content characters, those in shared runs, those of them quoted, and
    the source's content characters. Equal to the sums of :class:`Reuse`'s per-sentence counts,
    since sentences hold every content character (only white space falls between them)."""
    hit = _hits(source, suspect, config or ReuseConfig())[0]
    sus = _stream(suspect)
    quotes = np.frombuffer(_quote_mask(suspect), dtype=np.uint8)
    covered = sus.weights[hit]
    quoted = covered * quotes[sus.offs[hit]]
    return sus.total, int(covered.sum()), int(quoted.sum()), _stream(source).total


def measure_reuse(source: Segmented, suspect: Segmented, config: ReuseConfig | None = None) -> Reuse:
    """Mark the suspect's content characters that lie in a run of ``min_run`` or more content
    characters also found, in that order, in the source."""
    cfg = config or ReuseConfig()
    src, sus = _stream(source.norm.text), _stream(suspect.norm.text)
    hit, n, latin = _hits(source.norm.text, suspect.norm.text, cfg)
    quotes = np.frombuffer(_quote_mask(suspect.norm.text), dtype=np.uint8)
    # Per element: its weight inside quotations, and both when it lies in a shared run; summed
    # per sentence (its elements have offsets in [start, end)) as differences of running sums.
    weights = sus.weights
    quoted_w = weights * quotes[sus.offs]
    sentences = suspect.sentences
    a = np.searchsorted(sus.offs, [s.start for s in sentences])
    b = np.searchsorted(sus.offs, [s.end for s in sentences])

    def per_sentence(values: np.ndarray) -> tuple[int, ...]:
        running = np.concatenate((np.zeros(1, dtype=np.int64), np.cumsum(values)))
        return tuple((running[b] - running[a]).tolist())

    runs: list[tuple[int, int, int, int]] = []
    offs, src_offs = sus.offs, src.offs
    starts, ends = _true_runs(hit)
    for start, k in zip(starts.tolist(), ends.tolist(), strict=True):
        at = src.units.find(sus.units[start:k])
        if at < 0:  # overlapping grams from two places: point at where the run begins
            at = src.units.find(sus.units[start : start + n])
        length = k - start if src.units.startswith(sus.units[start:k], at) else n
        runs.append(
            (
                int(offs[start]),
                _end(suspect.norm.text, int(offs[k - 1])),
                int(src_offs[at]),
                _end(source.norm.text, int(src_offs[at + length - 1])),
            )
        )
    return Reuse(
        per_sentence(np.where(hit, weights, 0)),
        per_sentence(np.where(hit, quoted_w, 0)),
        per_sentence(weights),
        src.total,
        tuple(runs),
        per_sentence(quoted_w),
        n == cfg.min_run_words and latin > 0,
    )


def shared_findings(source: Segmented, suspect: Segmented, reuse: Reuse) -> tuple[Finding, ...]:
    """The runs two texts share, as ``shared`` findings: what an editor checks in a pair judged
    unrelated (a quotation, a statistic, a sentence of a common press release, a formula)."""
    out: list[Finding] = []
    for a, b, c, d in reuse.runs:
        sspan, rspan = suspect.span(a, b), source.span(c, d)
        out.append(
            Finding(
                FindingType.SHARED,
                sspan,
                rspan,
                suspect.doc.text[sspan.start : sspan.end],
                source.doc.text[rspan.start : rspan.end],
                (("reason", "text both share"),),
            )
        )
    return tuple(out)
