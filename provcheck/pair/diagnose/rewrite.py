"""The spinner's word map: words of the source replaced by other words in aligned sentences.

Word boundaries come from the *source*: the two texts of a pair are aligned element by element
(a CJK character, or a whole Latin word), and each changed stretch is widened to whole source words,
mirroring the unchanged elements on the suspect side. So 教育→教化 is reported as a word pair even where jieba
cuts the spun text differently.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right

from provcheck.model import Finding, FindingType, Segmented
from provcheck.pair.align import diff
from provcheck.pair.diagnose.pairdiff import PairDiff, Word
from provcheck.text.normalize import all_cjk

__all__ = ["substitution_findings"]

_MAX_SWAP_CHARS = 4
_LINK = re.compile(r"https?://|www\.", re.I)
# The dateline and byline that open a report (新华社酒泉4月25日电（记者…）, 本报讯, BEIJING, April 25
# (Xinhua) --): a reprint gives them its own agency, place and reporters, so what changes there is
# no swap of the body's words (matched on normalized text: simplified script, lower case).
_DATELINE = re.compile(
    r"\s*(?:[^，,。！？!?；;\n]{0,30}?\d{1,2}月\d{1,2}日(?:电|讯)|本报讯|本网讯|[^()\n]{0,60}\((?:ap|reuters|afp|xinhua)\)\s*[-—–]+)"
    r"(?:\s*[(（][^)）\n]{0,40}[)）])?"
)


def _elements(words: tuple[Word, ...]) -> tuple[list[str], list[tuple[int, int]], list[int]]:
    """Diff elements: each CJK character alone, each other word (Latin, numbers) whole; their
    normalized spans; and the element index where each word starts (plus the end)."""
    elems: list[str] = []
    spans: list[tuple[int, int]] = []
    bounds = [0]
    for w in words:
        offs = w.offsets or tuple(range(w.start, w.end))
        if all_cjk(w.text):
            elems.extend(w.text)
            spans.extend((o, o + 1) for o in offs)
        else:
            elems.append(w.text)
            spans.append((w.start, w.end))
        bounds.append(len(elems))
    return elems, spans, bounds


def _widen(lo: int, hi: int, bounds: list[int]) -> tuple[int, int]:
    start = bounds[bisect_right(bounds, lo) - 1]
    k = bisect_left(bounds, max(hi, lo + 1))
    return start, bounds[min(k, len(bounds) - 1)]


def _pairs(a: list[str], b: list[str], bounds: list[int]) -> list[tuple[int, int, int, int]]:
    """Changed stretches as ``(a0, a1, b0, b1)`` element ranges widened to whole source words.

    A pure insertion of two or more characters (or of a whole word) is a splice or an addition
    (judged in :mod:`.extras`), not a substitution; a one-character insertion joins the word it
    extends (在→正在).
    """
    out: list[list[int]] = []
    for op in diff(a, b):
        if op.tag == "equal":
            continue
        if op.tag == "insert" and (op.b_end - op.b_start >= 2 or len(b[op.b_start]) > 1):
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


def _join(elems: list[str]) -> str:
    return "".join(elems) if all(len(e) == 1 for e in elems) else " ".join(elems)


def _word_like(text: str) -> bool:
    """A dictionary-sized word: up to four CJK characters, or one Latin word."""
    if all_cjk(text):
        return 1 <= len(text) <= _MAX_SWAP_CHARS
    return " " not in text and text.isalpha() and len(text) >= 3  # not a jammer's stray letters


def _dateline_end(seg: Segmented, i: int) -> int:
    """Normalized offset where the dateline and byline opening sentence ``i`` end (its start if
    it has none)."""
    s = seg.sentences[i]
    m = _DATELINE.match(seg.norm.text, s.start, s.end)
    return m.end() if m else s.start


def substitution_findings(
    src: Segmented, sus: Segmented, diffs: list[PairDiff], well_aligned: float = 0.5
) -> list[Finding]:
    """One finding per substituted source word (or run of words), over each whole aligned pair.

    A substitution is marked ``swap`` when it reads as a spinner's word-for-word swap: a word for a
    word, cut at word boundaries on both sides, inside a pair that aligns well. A new headline,
    byline or dateline aligned against the old one yields fragments cut across words (学院→日电,
    本报讯→亮相吴): those stay substitutions of record but are not swaps, and only swaps make a
    copy ``rewritten``. Nor is anything inside a dateline and byline (新华社→人民网 in "人民网酒泉4月25日电"):
    a reprint's own agency and reporters replace the source's.
    """
    out: list[Finding] = []
    for pd in diffs:
        if pd.identical or all(op.tag == "equal" for op in pd.ops):
            continue
        a_words = tuple(w for op in pd.ops for w in op.source)
        b_words = tuple(w for op in pd.ops for w in op.suspect)
        a, a_spans, bounds = _elements(a_words)
        b, b_spans, b_bounds = _elements(b_words)
        b_cuts = set(b_bounds)
        src_text = "".join(src.sentences[j].text for j in pd.pair.source)
        aligned_well = pd.pair.score >= well_aligned and not _LINK.search(src_text)
        numeric = [(bounds[k], bounds[k + 1]) for k, w in enumerate(a_words) if w.number is not None]
        src_head = _dateline_end(src, pd.pair.source[0])
        sus_head = _dateline_end(sus, pd.pair.suspect[0])
        for a0, a1, b0, b1 in _pairs(a, b, bounds):
            if b1 <= b0:
                continue
            sa, sb = _join(a[a0:a1]), _join(b[b0:b1])
            if sa == sb or not any(c.isalnum() for c in sa) or not any(c.isalnum() for c in sb):
                continue
            if any(n0 < a1 and a0 < n1 for n0, n1 in numeric) or any(c.isdigit() for c in sb):
                continue  # numbers are judged by value in .numbers
            rspan = src.span(a_spans[a0][0], a_spans[a1 - 1][1])
            sspan = sus.span(b_spans[b0][0], b_spans[b1 - 1][1])
            out.append(
                Finding(
                    FindingType.SUBSTITUTION,
                    sspan,
                    rspan,
                    sus.doc.text[sspan.start : sspan.end],
                    src.doc.text[rspan.start : rspan.end],
                    (
                        ("source_word", sa),
                        ("suspect_word", sb),
                        (
                            "swap",
                            aligned_well
                            and a_spans[a0][0] >= src_head
                            and b_spans[b0][0] >= sus_head
                            and b0 in b_cuts
                            and b1 in b_cuts
                            and _word_like(sa)
                            and _word_like(sb),
                        ),
                    ),
                )
            )
    return out
