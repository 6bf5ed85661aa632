"""The spinner's word map: words of the source replaced by other words in aligned sentences.

Word boundaries come from the *source*: inside a changed region the two texts are aligned
character by character, and each changed stretch is widened to whole source words, mirroring the
unchanged characters on the suspect side. So 教育→教化 is reported as a word pair even where jieba
cuts the spun text differently.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right

from ..align import diff
from ..model import Finding, FindingType, Segmented
from .pairdiff import PairDiff, Word

__all__ = ["substitution_findings"]


def _chars(words: tuple[Word, ...]) -> tuple[str, list[int], list[int]]:
    """Joined text, each char's normalized offset, and word boundaries (char indices)."""
    text: list[str] = []
    offs: list[int] = []
    bounds = [0]
    for w in words:
        text.append(w.text)
        offs.extend(w.offsets or range(w.start, w.end))
        bounds.append(bounds[-1] + len(w.text))
    return "".join(text), offs, bounds


def _widen(lo: int, hi: int, bounds: list[int]) -> tuple[int, int]:
    start = bounds[bisect_right(bounds, lo) - 1]
    k = bisect_left(bounds, max(hi, lo + 1))
    return start, bounds[min(k, len(bounds) - 1)]


def _pairs(a_words: tuple[Word, ...], b_words: tuple[Word, ...]) -> list[tuple[int, int, int, int]]:
    """Changed stretches as ``(a0, a1, b0, b1)`` char ranges widened to whole source words.

    A pure insertion of two or more characters is a splice (judged in :mod:`.extras`), not a
    substitution; a one-character insertion joins the word it extends (在→正在).
    """
    a, _, bounds = _chars(a_words)
    b = "".join(w.text for w in b_words)
    out: list[list[int]] = []
    for op in diff(a, b):
        if op.tag == "equal" or (op.tag == "insert" and op.b_end - op.b_start >= 2):
            continue
        a0, a1 = _widen(op.a_start, op.a_end, bounds)
        b0, b1 = op.b_start - (op.a_start - a0), op.b_end + (a1 - op.a_end)
        if out and a0 < out[-1][1]:  # overlaps the previous stretch: one substitution
            prev = out[-1]
            out[-1] = [min(prev[0], a0), max(prev[1], a1), min(prev[2], b0), max(prev[3], b1)]
        else:
            out.append([a0, a1, b0, b1])
    result: list[tuple[int, int, int, int]] = []
    for a0, a1, b0, b1 in out:
        b0, b1 = max(0, b0), min(len(b), b1)
        inner = [x for x in bounds if a0 < x < a1]
        if inner and a1 - a0 == b1 - b0:
            # Same length on both sides: a run of word-for-word swaps, split at source words.
            cuts = [a0, *inner, a1]
            result.extend((x, y, b0 + x - a0, b0 + y - a0) for x, y in itertools.pairwise(cuts))
        else:
            result.append((a0, a1, b0, b1))
    return result


def substitution_findings(src: Segmented, sus: Segmented, diffs: list[PairDiff]) -> list[Finding]:
    """One finding per substituted source word (or run of words), over each whole aligned pair."""
    out: list[Finding] = []
    for pd in diffs:
        if pd.identical or all(op.tag == "equal" for op in pd.ops):
            continue
        a = tuple(w for op in pd.ops for w in op.source)
        b = tuple(w for op in pd.ops for w in op.suspect)
        a_text, a_offs, a_bounds = _chars(a)
        b_text, b_offs, _ = _chars(b)
        numeric = [(a_bounds[k], a_bounds[k + 1]) for k, w in enumerate(a) if w.number is not None]
        for a0, a1, b0, b1 in _pairs(a, b):
            sa, sb = a_text[a0:a1], b_text[b0:b1]
            if sa == sb or b1 <= b0 or not any(c.isalnum() for c in sa) or not any(c.isalnum() for c in sb):
                continue
            if any(n0 < a1 and a0 < n1 for n0, n1 in numeric) or any(c.isdigit() for c in sb):
                continue  # numbers are judged by value in .numbers
            rspan = src.span(a_offs[a0], a_offs[a1 - 1] + 1)
            sspan = sus.span(b_offs[b0], b_offs[b1 - 1] + 1)
            out.append(
                Finding(
                    FindingType.SUBSTITUTION,
                    sspan,
                    rspan,
                    sus.doc.text[sspan.start : sspan.end],
                    src.doc.text[rspan.start : rspan.end],
                    (("source_word", sa), ("suspect_word", sb)),
                )
            )
    return out
