"""Verification evidence: what grouping and naming keep of each compare report (:class:`Direction`),
and the link two directions make (:func:`link_of`)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from provcheck.clustering.candidates import content_grams
from provcheck.clustering.config import ClusterConfig
from provcheck.model import FindingType, Relation, Report, Span

__all__ = ["JOINING", "Direction", "link", "link_of", "summarize"]

JOINING = (Relation.COPY.value, Relation.REWRITTEN.value)


@dataclass(frozen=True, slots=True)
class Direction:
    """What one comparison (``source`` -> ``suspect``) says, reduced to what grouping and naming use.

    Character counts are of suspect text: page chrome, spam, short insertions (notes, datelines) and
    long insertions (content the source lacks). ``swaps`` holds the spinner's word pairs."""

    source: str
    suspect: str
    relation: str
    score: float
    source_coverage: float
    chrome: int = 0
    spam: int = 0
    notes: int = 0
    extra_content: int = 0
    swaps: tuple[tuple[str, str], ...] = ()
    suspect_chars: int = 0
    numbers: int = 0  # altered or reformatted numbers
    moved: int = 0  # aligned sentences out of the source's order
    spelled: int = 0  # reformatted numbers written in digits in the source and in words in the suspect
    added: tuple[
        tuple[str, str], ...
    ] = ()  # (chrome | spam | notes | extra, normalized text) of each addition

    @property
    def edits(self) -> int:
        """In-place changes between the two texts (symmetric in kind): swaps, numbers, moves."""
        return len(self.swaps) + self.numbers + self.moved


def summarize(report: Report, config: ClusterConfig | None = None) -> Direction:
    """Keep from a report what grouping and naming need (reports hold whole texts; this does not)."""
    cfg = config or ClusterConfig()
    chrome = spam = notes = extra = numbers = spelled = 0
    swaps: list[tuple[str, str]] = []
    added: list[tuple[str, str]] = []
    source_grams: frozenset[str] | None = None
    runs = _insert_runs(report)
    for k, f in enumerate(report.findings):
        n = len(f.suspect_span) if f.suspect_span is not None else 0
        if n and f.type in _ADDED:
            # text the source also holds (a moved sentence, a re-cut clause) is not an addition
            if source_grams is None:
                source_grams = _text_grams(
                    report.source_seg.norm.text if report.source_seg else report.source.text
                )
            piece = _norm_slice(report, f.suspect_span) or f.suspect_text
            grams = content_grams(piece)
            if grams and len(grams & source_grams) >= 0.6 * len(grams):
                continue
        if f.type is FindingType.BOILERPLATE:
            chrome += n
            added.append(("chrome", piece))
        elif f.type is FindingType.SPLICED_SPAM:
            spam += n
            added.append(("spam", piece))
        elif f.type is FindingType.INSERTED:
            if runs.get(k, n) <= cfg.short_insert or f.get("reason") == "editorial cue":
                notes += n
                added.append(("notes", piece))
            else:
                extra += n
                added.append(("extra", piece))
        elif f.type in (FindingType.ALTERED_NUMBER, FindingType.REFORMATTED_NUMBER):
            numbers += 1
            if (
                f.type is FindingType.REFORMATTED_NUMBER
                and _DIGITS.search(f.source_text)
                and not _DIGITS.search(f.suspect_text)
            ):
                spelled += 1
        elif f.type is FindingType.SUBSTITUTION:
            swaps.append(
                (str(f.get("source_word", f.source_text)), str(f.get("suspect_word", f.suspect_text)))
            )
    return Direction(
        report.source.id, report.suspect.id, report.relation.value, float(report.score),
        float(report.stats.source_coverage), chrome, spam, notes, extra, tuple(swaps), report.stats.suspect_chars,
        numbers, _moved(report), spelled, tuple(added),
    )  # fmt: skip


@lru_cache(maxsize=64)  # a document is the source of several comparisons in a row
def _text_grams(text: str) -> frozenset[str]:
    return frozenset(content_grams(text))


def _insert_runs(report: Report) -> dict[int, int]:
    """For each ``inserted`` finding (by index), the length of the run of adjacent insertions (and
    chrome) it belongs to (only white space or punctuation between them): a lost paragraph reported
    sentence by sentence is one long insertion, not several short notes."""
    spans = sorted(
        (f.suspect_span.start, f.suspect_span.end, k)
        for k, f in enumerate(report.findings)
        if f.type in (FindingType.INSERTED, FindingType.BOILERPLATE)
        and f.suspect_span is not None
        and f.get("reason") != "editorial cue"
    )
    text = report.suspect.text
    out: dict[int, int] = {}
    run: list[tuple[int, int, int]] = []

    def close() -> None:
        if run:
            length = sum(e - s for s, e, _ in run)
            for _, _, k in run:
                out[k] = length

    for start, end, k in spans:
        if run and _NON_WORD.fullmatch(text[run[-1][1] : start] or " ") is None:
            close()
            run = []
        run.append((start, end, k))
    close()
    return out


_ADDED = (FindingType.BOILERPLATE, FindingType.SPLICED_SPAM, FindingType.INSERTED)
_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"[0-9]")


def _norm_slice(report: Report, span: Span | None) -> str:
    """The normalized suspect text of an original span (same script as the normalized source)."""
    seg = report.suspect_seg
    if seg is None or span is None:
        return ""
    offs = seg.norm.offsets
    return seg.norm.text[
        bisect_left(offs, span.start, 0, len(offs) - 1) : bisect_left(offs, span.end, 0, len(offs) - 1)
    ]


def _moved(report: Report) -> int:
    """Aligned sentence pairs outside the longest run in source order (sentences moved)."""
    order = [
        min(p.source)
        for p in sorted(report.alignment.pairs, key=lambda p: min(p.suspect))
        if p.source and p.suspect
    ]
    tails: list[int] = []  # patience sorting: longest strictly increasing subsequence
    for x in order:
        k = bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    return len(order) - len(tails)


def link_of(
    ab: Direction, ba: Direction, min_join_score: float = 0.75, min_coverage: float = 0.0
) -> tuple[str, float]:
    """The relation between two documents from both comparisons: ``copy``/``rewritten`` when either
    direction finds one with a score of at least ``min_join_score`` whose suspect carries at least
    ``min_coverage`` of its source (a trimmed copy reads as partial the other way; an excerpt of a
    third of a page is a partial reuse, not a copy of it), else ``partial`` when either direction
    finds any derived share, else ``unrelated``; with the stronger score."""
    score = max(ab.score, ba.score)
    joins = [
        x
        for x in (ab, ba)
        if x.relation in JOINING and x.score >= min_join_score and x.source_coverage >= min_coverage
    ]
    if joins:
        rewritten = any(x.relation == Relation.REWRITTEN.value for x in joins)
        return (Relation.REWRITTEN.value if rewritten else Relation.COPY.value), score
    if any(x.relation in (*JOINING, Relation.PARTIAL.value) for x in (ab, ba)):
        return Relation.PARTIAL.value, score
    return Relation.UNRELATED.value, score


def link(ab: Direction, ba: Direction, config: ClusterConfig) -> tuple[str, float]:
    """:func:`link_of` with the thresholds of ``config``."""
    return link_of(ab, ba, config.min_join_score, config.min_join_coverage)
