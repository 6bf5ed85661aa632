"""Verbatim reuse: which of the suspect's characters lie in long runs it shares with the source.

An editor calls text reused when a stretch of it reads the same as the source, not when two
sentences merely report the same facts. A run counts once it holds ``min_run`` content characters
(letters, digits, CJK) in the same order on both sides; punctuation and white space are skipped, so
they never break a run. The measure works on normalized text (NFKC, simplified script, converter
pinyin glosses dropped), so a traditional-script mirror reuses its source as fully as a simplified
copy does. Quoted text (“…”, 「…」) is counted apart: two
independent reports may share a quotation without one deriving from the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from provcheck.model import Finding, FindingType, Segmented
from provcheck.text.numerals import find_numbers
from provcheck.text.segment import unit_code

__all__ = ["Reuse", "ReuseConfig", "measure_reuse", "shared_findings"]

_OPEN_QUOTES = "“「『"
_CLOSE_QUOTES = "”」』"


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

    @property
    def total(self) -> int:
        return sum(self.covered)

    def sentence_share(self, i: int) -> float:
        return self.covered[i] / self.content[i] if self.content[i] else 0.0


@lru_cache(maxsize=64)  # a text meets several others in a row (both directions, a group)
def _stream(text: str) -> tuple[str, list[int], list[int]]:
    """Content elements of ``text``: each CJK character, each Latin word, and each number as one
    element standing for its value (16 and 十六, 43300 and 4.33万 read the same); a word or number
    weighs as many content characters as it holds. Returns the elements, the offset and the weight
    of each."""
    nums = {m.start: m for m in find_numbers(text)}
    chars: list[str] = []
    offs: list[int] = []
    weights: list[int] = []
    k = 0
    while k < len(text):
        m = nums.get(k)
        if m is not None:
            chars.append(unit_code("#" + m.key))
            offs.append(k)
            weights.append(max(1, sum(1 for c in m.text if c.isalnum())))
            k = m.end
            continue
        if text[k].isascii() and text[k].isalnum():
            # A Latin word is one element: a run of twelve letters is two words, not a passage.
            e = k
            while e < len(text) and text[e].isascii() and text[e].isalnum() and e not in nums:
                e += 1
            chars.append(unit_code(text[k:e]))
            offs.append(k)
            weights.append(e - k)
            k = e
            continue
        if text[k].isalnum():
            chars.append(text[k])
            offs.append(k)
            weights.append(1)
        k += 1
    return "".join(chars), offs, weights


def _end(text: str, off: int) -> int:
    """End of the element at ``off``: past a whole number or Latin word, else one character."""
    for m in find_numbers(text[off : off + 40]):
        if m.start == 0:
            return off + m.end
    e = off + 1
    if text[off].isascii():
        while e < len(text) and text[e].isascii() and text[e].isalnum():
            e += 1
    return e


def _quote_mask(text: str) -> bytearray:
    mask = bytearray(len(text))
    depth = 0
    for k, c in enumerate(text):
        if c in _OPEN_QUOTES:
            depth += 1
        elif c in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
        elif c == "\n":
            depth = 0  # an unclosed quotation ends with its paragraph
        elif depth:
            mask[k] = 1
    return mask


def measure_reuse(source: Segmented, suspect: Segmented, config: ReuseConfig | None = None) -> Reuse:
    """Mark the suspect's content characters that lie in a run of ``min_run`` or more content
    characters also found, in that order, in the source."""
    cfg = config or ReuseConfig()
    n = cfg.min_run
    src, src_offs, src_weights = _stream(source.norm.text)
    sus, offs, weights = _stream(suspect.norm.text)
    latin = sum(w for w, off in zip(weights, offs, strict=True) if suspect.norm.text[off].isascii())
    if latin > sum(weights) // 2:
        n = cfg.min_run_words  # mostly Latin words: a run is counted in words
    # A text shorter than a run is reused when it is reproduced whole.
    n = max(1, min(n, len(src), len(sus)))
    grams = {src[i : i + n] for i in range(len(src) - n + 1)}
    hit = bytearray(len(sus))
    for i in range(len(sus) - n + 1):
        if sus[i : i + n] in grams:
            hit[i : i + n] = b"\x01" * n
    quotes = _quote_mask(suspect.norm.text)
    sentences = suspect.sentences
    covered = [0] * len(sentences)
    quoted = [0] * len(sentences)
    content = [0] * len(sentences)
    s = 0
    for k, off in enumerate(offs):
        while s < len(sentences) and sentences[s].end <= off:
            s += 1
        if s >= len(sentences):
            break
        if off < sentences[s].start:
            continue
        content[s] += weights[k]
        if hit[k]:
            covered[s] += weights[k]
            quoted[s] += weights[k] * quotes[off]
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
    return Reuse(tuple(covered), tuple(quoted), tuple(content), sum(src_weights), tuple(runs))


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
