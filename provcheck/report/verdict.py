"""The one-line verdict every report starts with: the relation, and whether the copy was tampered with.

Tampering is what changes what a reader is told: altered figures and spliced spam. Other edits
(page chrome, an editor's note, trimmed sentences, a spinner's synonyms) are listed as edits, not
tampering. Every front end (terminal, HTML, JSON, the cluster pages, ``check``) takes its first line
from :func:`verdict_of`, so they cannot disagree.

>>> from provcheck.api import compare
>>> v = verdict_of(compare("corpus/001_f774ca4a0bf60419.txt", "corpus/000_4220fd22daa105e4.txt"))
>>> v.headline
'Rewritten, tampered: spam spliced at 6 places'
>>> v.tampered, v.signs
(True, (('spliced_spam', 6),))
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from provcheck.model import FindingType, Relation, Report
from provcheck.pair.score import ScoreConfig

__all__ = [
    "RELATION_ZH",
    "TAMPERING",
    "Verdict",
    "derived_figures",
    "percent",
    "verdict_of",
]

# The finding types that make a copy "tampered": they change what the reader is told.
TAMPERING = (FindingType.ALTERED_NUMBER, FindingType.SPLICED_SPAM)
RELATION_ZH = {
    Relation.COPY: "转载",
    Relation.REWRITTEN: "洗稿",
    Relation.PARTIAL: "部分引用",
    Relation.UNRELATED: "无关",
}
_EDITS = (FindingType.INSERTED, FindingType.DELETED, FindingType.BOILERPLATE, FindingType.SUBSTITUTION)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _phrase_en(t: FindingType, n: int) -> str:
    if t is FindingType.ALTERED_NUMBER:
        return f"{_plural(n, 'figure', 'figures')} altered"
    if t is FindingType.SPLICED_SPAM:
        return f"spam spliced at {_plural(n, 'place', 'places')}"
    if t is FindingType.INSERTED:
        return _plural(n, "insertion", "insertions")
    if t is FindingType.DELETED:
        return _plural(n, "deletion", "deletions")
    if t is FindingType.BOILERPLATE:
        return f"{_plural(n, 'piece', 'pieces')} of page chrome"
    return _plural(n, "word substitution", "word substitutions")


_ZH = {
    FindingType.ALTERED_NUMBER: "{n} 处数字被改",
    FindingType.SPLICED_SPAM: "{n} 处植入广告",
    FindingType.INSERTED: "{n} 处新增",
    FindingType.DELETED: "{n} 处删除",
    FindingType.BOILERPLATE: "{n} 处网页模板",
    FindingType.SUBSTITUTION: "{n} 处同义替换",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """``relation``; ``tampered`` and its ``signs`` (finding type, count), the other ``edits``."""

    relation: Relation
    tampered: bool
    signs: tuple[tuple[str, int], ...]
    edits: tuple[tuple[str, int], ...]

    @property
    def headline(self) -> str:
        """``Copy, tampered: 4 figures altered, spam spliced at 6 places`` (English)."""
        name = self.relation.value.capitalize()
        if self.relation is Relation.UNRELATED:
            return name
        if not self.tampered:
            return f"{name}, not tampered: no figure altered, no spam spliced"
        return f"{name}, tampered: " + ", ".join(_phrase_en(FindingType(t), n) for t, n in self.signs)

    @property
    def headline_zh(self) -> str:
        """The headline in Chinese: ``转载，已篡改：4 处数字被改，6 处植入广告``."""
        name = RELATION_ZH[self.relation]
        if self.relation is Relation.UNRELATED:
            return name
        if not self.tampered:
            return f"{name}，未篡改：数字未改，无植入广告"
        return f"{name}，已篡改：" + "，".join(_ZH[FindingType(t)].format(n=n) for t, n in self.signs)

    def to_dict(self) -> dict[str, Any]:
        """The machine-readable form in the JSON reports."""
        return {
            "headline": self.headline,
            "headline_zh": self.headline_zh,
            "tampered": self.tampered,
            "tampering": dict(self.signs),
            "edits": dict(self.edits),
        }


def verdict_of(report: Report) -> Verdict:
    """The verdict of one compare report."""
    counts = Counter(f.type for f in report.findings)
    related = report.relation is not Relation.UNRELATED
    signs = tuple((t.value, counts[t]) for t in TAMPERING if counts[t] and related)
    edits = tuple((t.value, counts[t]) for t in _EDITS if counts[t] and related)
    return Verdict(report.relation, bool(signs), signs, edits)


def derived_figures(report: Report) -> tuple[int, int, float]:
    """``(derived, content, share)``: the suspect's content characters (letters, digits, CJK; page
    chrome left out) and how many of them derive from the source. ``share`` is the report's
    ``suspect_derived``; every front end shows this one figure."""
    s = report.stats
    share = s.suspect_derived
    content = round(s.derived_chars / share) if share > 0 else s.suspect_chars
    return s.derived_chars, max(s.derived_chars, min(content, s.suspect_chars)), share


def percent(share: float) -> str:
    """A share as a whole percentage that never rounds a difference away: ``>99%``, ``<1%``."""
    if 0.995 <= share < 1.0:
        return ">99%"
    if 0.0 < share < 0.005:
        return "<1%"
    return f"{share:.0%}"


def similarity_note() -> tuple[str, str]:
    """What the per-sentence figure means (English, Chinese), for every report that shows it."""
    strong, weak = ScoreConfig().strong_pair, ScoreConfig().weak_pair
    return (
        "each sentence's similarity to its source sentence: the share of its wording kept. A spun "
        "sentence keeps little of it and still derives: a pair counts toward the score in full from "
        f"{strong:.0%} similarity, in part from {weak:.0%}",
        f"每句与原文对应句的相似度，即保留原措辞的比例；洗稿句保留得少，但仍来源于原文：相似度达 {strong:.0%} "
        f"的句对全额计入溯源分，{weak:.0%} 起部分计入",
    )
