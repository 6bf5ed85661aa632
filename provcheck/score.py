"""Relation, provenance score and gate decisions: pure functions of the alignment and findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import Alignment, Finding, FindingType, Relation, Report, Segmented, Stats
from .segment import content_length

__all__ = ["ScoreConfig", "decide", "gate"]


@dataclass(frozen=True, slots=True)
class ScoreConfig:
    unrelated_below: float = 0.2  # score and source coverage both below this: unrelated
    partial_coverage: float = 0.6  # less of the source reproduced than this: partial
    partial_derived: float = 0.5  # less of the suspect derived than this: partial
    rewrite_rate: float = 0.4  # substituted words per 100 aligned source characters: rewritten
    rewrite_min: int = 3  # and at least this many substitutions


def decide(
    source: Segmented, suspect: Segmented, alignment: Alignment, findings: tuple[Finding, ...], config: ScoreConfig
) -> tuple[Relation, float, Stats]:
    """Return ``(relation, score, stats)``; ``score`` is the share of the suspect's content (less
    page chrome) that derives from the source."""
    src_total = sum(content_length(s.text) for s in source.sentences)
    sus_total = sum(content_length(s.text) for s in suspect.sentences)
    aligned_src = sum(content_length(source.sentences[j].text) for j in {j for p in alignment.pairs for j in p.source})
    aligned_sus = sum(content_length(suspect.sentences[i].text) for p in alignment.pairs for i in p.suspect)
    chrome = sum(content_length(f.suspect_text) for f in findings if f.type is FindingType.BOILERPLATE)
    aligned_spans = [
        (suspect.span(suspect.sentences[min(p.suspect)].start, suspect.sentences[max(p.suspect)].end)) for p in alignment.pairs
    ]
    added_inline = sum(
        content_length(f.suspect_text)
        for f in findings
        if f.type in (FindingType.SPLICED_SPAM, FindingType.INSERTED)
        and f.suspect_span is not None
        and any(sp.start <= f.suspect_span.start and f.suspect_span.end <= sp.end for sp in aligned_spans)
    )
    derived = max(0, aligned_sus - added_inline)
    denom = max(1, sus_total - chrome)
    score = min(1.0, derived / denom)
    coverage = aligned_src / src_total if src_total else 0.0
    subs = sum(1 for f in findings if f.type is FindingType.SUBSTITUTION)
    rate = 100.0 * subs / aligned_src if aligned_src else 0.0
    stats = Stats(src_total, sus_total, derived, coverage, score, rate, subs, len(alignment.pairs))
    if not alignment.pairs or (score < config.unrelated_below and coverage < config.unrelated_below):
        return Relation.UNRELATED, score, stats
    if coverage < config.partial_coverage or score < config.partial_derived:
        return Relation.PARTIAL, score, stats
    if subs >= config.rewrite_min and rate >= config.rewrite_rate:
        return Relation.REWRITTEN, score, stats
    return Relation.COPY, score, stats


def gate(report: Report, fail_on: Iterable[str] = (), max_score: float | None = None) -> str:
    """Return why the gate fails ('' when it passes)."""
    reasons = []
    wanted = {t.strip() for t in fail_on if t.strip()}
    hit = sorted({f.type.value for f in report.findings} & wanted)
    if hit:
        reasons.append("findings " + ",".join(hit))
    if max_score is not None and report.score > max_score:
        reasons.append(f"score {report.score:.3f} > {max_score}")
    return "; ".join(reasons)
