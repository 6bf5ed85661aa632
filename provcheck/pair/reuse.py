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
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from provcheck.model import Finding, FindingType, Segmented
from provcheck.text.numerals import find_numbers, number_can_start, text_numbers
from provcheck.text.segment import unit_code

__all__ = ["Reuse", "ReuseConfig", "measure_reuse", "reuse_totals", "shared_findings", "stem"]

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


# Latin words (ASCII letters and digits), and runs of other content characters (what str.isalnum accepts).
_ELEMENTS = re.compile(r"[A-Za-z0-9]+|[^\W_A-Za-z0-9]+")


@lru_cache(maxsize=64)  # a text meets several others in a row (both directions, a group)
def _stream(text: str) -> tuple[str, list[int], list[int], int]:
    """Content elements of ``text``: each CJK character, each Latin word (by its stem), and each
    number as one element standing for its value (16 and 十六, 43300 and 4.33万 read the same); a word or number
    weighs as many content characters as it holds. Returns the elements, the offset and the weight
    of each, and the weight of the elements written in ASCII (Latin words, Arabic numbers)."""
    latin = 0
    chars: list[str] = []
    offs: list[int] = []
    weights: list[int] = []
    pos = 0
    for m in [*text_numbers(text), None]:
        stop = len(text) if m is None else m.start
        if m is not None and stop < pos:
            continue  # inside the number before
        for e in _ELEMENTS.finditer(text, pos, stop):
            run = e.group()
            if run[0].isascii():
                # A Latin word is one element: a run of twelve letters is two words, not a passage.
                chars.append(unit_code(stem(run)))
                offs.append(e.start())
                weights.append(len(run))
                latin += len(run)
            else:  # each CJK (or other non-Latin) character is one element
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


@lru_cache(maxsize=64)  # a source meets each of its copies in turn
def _grams(stream: str, n: int) -> frozenset[str]:
    """The runs of ``n`` elements of a stream."""
    return frozenset(stream[i : i + n] for i in range(len(stream) - n + 1))


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
    r"(?:表示|指出|认为|强调|透露|介绍|坦言|直言|声称|宣称|(?<![是句如据听来])说|称|显示)[，,：:]"
    r"|[，,](?:并|还|则|又)?称"
    r"|(?:^|(?<=[。！？!?；;，,\n]))据[^，,。！？!?；;\n]{0,20}[，,]"  # 据悉，… 据中国地震台网测定，…
)
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


def _hits(source: str, suspect: str, cfg: ReuseConfig) -> tuple[bytearray, int, int]:
    """Which elements of the normalized ``suspect`` lie in a shared run, the run length in
    elements, and the suspect's weight written in ASCII."""
    n = cfg.min_run
    src = _stream(source)[0]
    sus, _, weights, latin = _stream(suspect)
    if latin > sum(weights) // 2:
        n = cfg.min_run_words  # mostly Latin words: a run is counted in words
    # A text shorter than a run is reused when it is reproduced whole.
    n = max(1, min(n, len(src), len(sus)))
    grams = _grams(src, n)
    hit = bytearray(len(sus))
    ones = b"\x01" * n
    for i in [i for i in range(len(sus) - n + 1) if sus[i : i + n] in grams]:
        hit[i : i + n] = ones
    return hit, n, latin


def reuse_totals(source: str, suspect: str, config: ReuseConfig | None = None) -> tuple[int, int, int, int]:
    """:func:`measure_reuse` summed over the whole suspect, from the two normalized texts alone (no
    segmenting): the suspect's content characters, those in shared runs, those of them quoted, and
    the source's content characters. Equal to the sums of :class:`Reuse`'s per-sentence counts,
    since sentences hold every content character (only white space falls between them)."""
    hit = _hits(source, suspect, config or ReuseConfig())[0]
    _, offs, weights, _ = _stream(suspect)
    quotes = _quote_mask(suspect)
    covered = quoted = 0
    for w, off, h in zip(weights, offs, hit, strict=True):
        if h:
            covered += w
            quoted += w * quotes[off]
    return sum(weights), covered, quoted, sum(_stream(source)[2])


def measure_reuse(source: Segmented, suspect: Segmented, config: ReuseConfig | None = None) -> Reuse:
    """Mark the suspect's content characters that lie in a run of ``min_run`` or more content
    characters also found, in that order, in the source."""
    cfg = config or ReuseConfig()
    src, src_offs, src_weights, _ = _stream(source.norm.text)
    sus, offs, weights, _ = _stream(suspect.norm.text)
    hit, n, latin = _hits(source.norm.text, suspect.norm.text, cfg)
    quotes = _quote_mask(suspect.norm.text)
    sentences = suspect.sentences
    # Per element: its weight inside quotations, and both when it lies in a shared run.
    quoted_w = [w * quotes[off] for w, off in zip(weights, offs, strict=True)]
    hit_w = [w if h else 0 for w, h in zip(weights, hit, strict=True)]
    hit_q = [w if h else 0 for w, h in zip(quoted_w, hit, strict=True)]
    covered: list[int] = []
    quoted: list[int] = []
    content: list[int] = []
    in_quotes: list[int] = []
    for sent in sentences:  # the elements of a sentence: offsets in [start, end)
        a, b = bisect_left(offs, sent.start), bisect_left(offs, sent.end)
        content.append(sum(weights[a:b]))
        in_quotes.append(sum(quoted_w[a:b]))
        covered.append(sum(hit_w[a:b]))
        quoted.append(sum(hit_q[a:b]))
    runs: list[tuple[int, int, int, int]] = []
    k = 0
    while k < len(hit):
        if not hit[k]:
            k += 1
            continue
        start = k
        while k < len(hit) and hit[k]:
            k += 1
        at = src.find(sus[start:k])
        if at < 0:  # overlapping grams from two places: point at where the run begins
            at = src.find(sus[start : start + n])
        length = k - start if src.startswith(sus[start:k], at) else n
        runs.append(
            (
                offs[start],
                _end(suspect.norm.text, offs[k - 1]),
                src_offs[at],
                _end(source.norm.text, src_offs[at + length - 1]),
            )
        )
    return Reuse(
        tuple(covered),
        tuple(quoted),
        tuple(content),
        sum(src_weights),
        tuple(runs),
        tuple(in_quotes),
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
