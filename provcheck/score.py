"""Relation, provenance score and gate decisions (placeholder, being written)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import Alignment, Finding, Relation, Report, Segmented, Stats

__all__ = ["ScoreConfig", "decide", "gate"]


@dataclass(frozen=True, slots=True)
class ScoreConfig:
    pass


def decide(
    source: Segmented, suspect: Segmented, alignment: Alignment, findings: tuple[Finding, ...], config: ScoreConfig
) -> tuple[Relation, float, Stats]:
    return Relation.UNRELATED, 0.0, Stats()


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
