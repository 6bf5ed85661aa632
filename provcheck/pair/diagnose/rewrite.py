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
from collections.abc import Callable

from provcheck.model import Finding, FindingType, Segmented, Span
from provcheck.pair.align import diff, similarity
from provcheck.pair.diagnose.pairdiff import PairDiff, Word
from provcheck.text.normalize import all_cjk
from provcheck.text.segment import unit_code

__all__ = ["split_fragments", "substitution_findings"]

_MAX_SWAP_CHARS = 4
_LINK = re.compile(r"https?://|www\.", re.I)
# The dateline and byline that open a report (新华社酒泉4月25日电（记者…）, 本报讯, BEIJING, April 25
# (Xinhua) --): a reprint gives them its own agency, place and reporters, so what changes there is
# no swap of the body's words (matched on normalized text: simplified script, lower case).
_DATELINE = re.compile(
    r"\s*(?:[^，,。！？!?；;\n]{0,30}?\d{1,2}月\d{1,2}日(?:电|讯)|本报讯|本网讯|[^()\n]{0,60}\((?:ap|reuters|afp|xinhua)\)\s*[-—–]+)"
    r"(?:\s*[(（][^)）\n]{0,40}[)）])?"
)


def _elements(words: tuple[Word, ...]) -> tuple[list[str], list[int]]:
    """Diff elements: each CJK character alone, each other word (Latin, numbers) whole; and the
    element index where each word starts (plus the end). :func:`_element_span` gives an element's
    normalized span."""
    elems: list[str] = []
    bounds = [0]
    for w in words:
        if all_cjk(w.text):
            elems.extend(w.text)
        else:
            elems.append(w.text)
        bounds.append(len(elems))
    return elems, bounds


def _element_span(words: tuple[Word, ...], bounds: list[int], k: int) -> tuple[int, int]:
    """The normalized span of element ``k`` of :func:`_elements`: its character of a CJK word, else
    its whole word."""
    n = bisect_right(bounds, k) - 1
    w = words[n]
    if all_cjk(w.text):
        o = (w.offsets or range(w.start, w.end))[k - bounds[n]]
        return o, o + 1
    return w.start, w.end


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
    return "".join(elems) if set(map(len, elems)) <= {1} else " ".join(elems)  # all one character


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


_LINE_CHARS = 60  # a headline, byline or site line is short
_LINE_UNIT = re.compile(r"[a-z0-9]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _line(text: str, off: int) -> str | None:
    """The line of normalized ``text`` holding ``off`` when it is a headline, byline or site line: a
    short line without closing punctuation."""
    start = text.rfind("\n", 0, off) + 1
    end = text.find("\n", off)
    line = text[start : len(text) if end < 0 else end].strip()
    return line if len(line) <= _LINE_CHARS and not _CLOSING.search(line) else None


def _line_units(line: str) -> str:
    return "".join(unit_code(u) for u in _LINE_UNIT.findall(line))


_CLOSING = re.compile(r"[。！？!?.…；;][”’\"'」』）)]*\s*$")


def substitution_findings(
    src: Segmented,
    sus: Segmented,
    diffs: list[PairDiff],
    well_aligned: float = 0.5,
    name: Callable[[str], bool] | None = None,
) -> list[Finding]:
    """One finding per substituted source word (or run of words), over each whole aligned pair.

    A substitution is marked ``swap`` when it reads as a spinner's word-for-word swap: a word for a
    word, cut at word boundaries on both sides, inside a pair that aligns well; only swaps make a
    copy ``rewritten``. A change is marked ``fragment`` (and :func:`split_fragments` reports it as an
    insertion plus a deletion) where two lines were aligned for want of anything else: in a
    headline, byline or site line (a short line without closing punctuation) set against one that
    reads otherwise (a new headline for the old one), and inside a dateline and byline
    (新华社→人民网 in "人民网酒泉4月25日电") when cut across words (学院→日电, 本报讯→亮相吴) or one name for
    another (a reprint's reporter for the source's; ``name`` tells names). A word for a word in a
    dateline stays a substitution of record, never a swap.
    """
    out: list[Finding] = []
    for pd in diffs:
        if pd.identical or all(op.tag == "equal" for op in pd.ops):
            continue
        a_words = tuple(w for op in pd.ops for w in op.source)
        b_words = tuple(w for op in pd.ops for w in op.suspect)
        a, bounds = _elements(a_words)
        b, b_bounds = _elements(b_words)
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
            a_start, b_start = _element_span(a_words, bounds, a0)[0], _element_span(b_words, b_bounds, b0)[0]
            rspan = src.span(a_start, _element_span(a_words, bounds, a1 - 1)[1])
            sspan = sus.span(b_start, _element_span(b_words, b_bounds, b1 - 1)[1])
            in_head = a_start < src_head or b_start < sus_head
            # A headline, byline or site line (a short line without closing punctuation, on both
            # sides) set against one that reads otherwise, even inside a pair that aligns well for
            # the body sentence the segmenter joined it to: no word of it is a swap.
            sline, rline = _line(sus.norm.text, b_start), _line(src.norm.text, a_start)
            loose = (
                sline is not None
                and rline is not None
                and similarity(_line_units(sline), _line_units(rline)) < well_aligned
            )
            # A word for a word in a sentence that aligns well (a spun headline's).
            word_for_word = (
                aligned_well and b0 in b_cuts and b1 in b_cuts and _word_like(sa) and _word_like(sb)
            )
            swap = word_for_word and not in_head and not loose
            # One name for another in a byline is a reprint's reporter for the source's.
            named = name is not None and in_head and name(sa) and name(sb)
            fragment = loose or (not swap and in_head and (named or not word_for_word))
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
                        ("swap", swap),
                        *((("fragment", True),) if fragment else ()),
                    ),
                )
            )
    return out


def split_fragments(src: Segmented, sus: Segmented, findings: list[Finding]) -> list[Finding]:
    """A misaligned fragment (a ``fragment`` substitution: a new headline, byline or site line set
    against the old one) is an insertion plus a deletion, not a substitution: neighbouring fragments
    of one line (only spaces or punctuation between them, on both sides) make one of each. Other
    findings pass unchanged."""
    out: list[Finding] = []
    runs: list[list[Finding]] = []
    for f in findings:
        if f.type is not FindingType.SUBSTITUTION or not f.get("fragment"):
            out.append(f)
            continue
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and _adjacent(sus.doc.text, last.suspect_span, f.suspect_span)
            and _adjacent(src.doc.text, last.source_span, f.source_span)
        ):
            runs[-1].append(f)
        else:
            runs.append([f])
    reason = ("reason", "misaligned fragment")
    for run in runs:
        first, last = run[0], run[-1]
        assert first.suspect_span and last.suspect_span and first.source_span and last.source_span
        sspan = Span(first.suspect_span.start, last.suspect_span.end)
        rspan = Span(first.source_span.start, last.source_span.end)
        suspect_text = sus.doc.text[sspan.start : sspan.end]
        source_text = src.doc.text[rspan.start : rspan.end]
        out.append(Finding(FindingType.INSERTED, sspan, None, suspect_text, "", (reason,)))
        out.append(Finding(FindingType.DELETED, None, rspan, "", source_text, (("scope", "words"), reason)))
    return out


def _adjacent(text: str, a: Span | None, b: Span | None) -> bool:
    """``b`` follows ``a`` in ``text`` with only spaces or punctuation, and no line break, between."""
    if a is None or b is None or b.start < a.end:
        return False
    gap = text[a.end : b.start]
    return "\n" not in gap and not any(c.isalnum() for c in gap)
