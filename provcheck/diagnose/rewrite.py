"""The spinner's word map: words of the source replaced by other words in aligned sentences."""

from __future__ import annotations

from ..model import Finding, FindingType, Segmented
from .pairdiff import PairDiff, Word

__all__ = ["substitution_findings"]


def _content(words: tuple[Word, ...]) -> bool:
    return any(c.isalnum() for w in words for c in w.text)


def substitution_findings(src: Segmented, sus: Segmented, diffs: list[PairDiff]) -> list[Finding]:
    """One finding per substituted word (or phrase, where the word counts differ)."""
    out: list[Finding] = []
    for pd in diffs:
        for op in pd.ops:
            if op.tag != "replace":
                continue
            a = tuple(w for w in op.source if w.number is None)
            b = tuple(w for w in op.suspect if w.number is None)
            if not a or not b or not _content(a) or not _content(b):
                continue
            groups = list(zip(((w,) for w in a), ((w,) for w in b), strict=True)) if len(a) == len(b) else [(a, b)]
            for ga, gb in groups:
                sa, sb = "".join(w.text for w in ga), "".join(w.text for w in gb)
                if sa == sb:
                    continue
                sspan = sus.span(gb[0].start, gb[-1].end)
                rspan = src.span(ga[0].start, ga[-1].end)
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
