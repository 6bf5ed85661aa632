"""The two texts as rows in suspect order: aligned pairs, with sentences found on one side only in
the gap where they belong. The terminal and the HTML report lay the texts out from these rows."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from provcheck.model import AlignedPair, Report

__all__ = ["Row", "aligned_rows"]

Row = tuple[tuple[int, ...], tuple[int, ...], AlignedPair | None]  # source sentences, suspect sentences, pair


def aligned_rows(report: Report) -> list[Row]:
    """Aligned pairs in suspect order; unmatched sentences in the gap where they belong."""
    al = report.alignment
    pairs = sorted(al.pairs, key=lambda p: (min(p.suspect, default=0), min(p.source, default=0)))
    gap_src: list[list[int]] = [[] for _ in range(len(pairs) + 1)]
    gap_sus: list[list[int]] = [[] for _ in range(len(pairs) + 1)]
    firsts = [min(p.suspect, default=0) for p in pairs]  # ascending
    for i in sorted(al.unmatched_suspect):  # before the first pair that starts after it
        gap_sus[bisect_right(firsts, i)].append(i)
    placed = sorted((s, k) for k, p in enumerate(pairs) for s in p.source)
    for j in sorted(al.unmatched_source):  # after the pair holding the nearest earlier source sentence
        at = bisect_left(placed, (j, -1))
        gap_src[placed[at - 1][1] + 1 if at else 0].append(j)
    rows: list[Row] = []
    for g in range(len(pairs) + 1):
        if gap_src[g] or gap_sus[g]:
            rows.append((tuple(gap_src[g]), tuple(gap_sus[g]), None))
        if g < len(pairs):
            rows.append((tuple(sorted(pairs[g].source)), tuple(sorted(pairs[g].suspect)), pairs[g]))
    return rows
