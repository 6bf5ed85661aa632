"""JSON for archive results: the fields ``provcheck find`` and ``provcheck check`` print, for any front end.

Results are taken by shape (``query``, ``matches``, ``best``, ``passed``, ``reason``), so this module
stays below :mod:`provcheck.archive.search` in the one-way pipeline.
"""

from __future__ import annotations

from typing import Any

from provcheck.report.jsonout import report_to_dict
from provcheck.report.verdict import verdict_of

__all__ = ["check_to_dict", "find_to_dict", "match_to_dict"]


def match_to_dict(match: Any) -> dict[str, Any]:
    """One stored document related to the query."""
    relation = match.relation
    return {
        "path": match.id,
        "score": round(match.score, 4),
        "relation": None if relation is None else relation.value,
        "estimate": match.estimate,
        "title": match.candidate.title,
        "date": match.candidate.date,
        # the pair could not be related whatever diagnosis found, so it was not diagnosed: its
        # relation is certain, its score the undiagnosed one
        "screened": bool(getattr(match, "screened", False)),
    }


def find_to_dict(result: Any) -> dict[str, Any]:
    """The contract shape: ``{"query": PATH, "candidates": [{"path", "score", ...}, ...]}``, best first."""
    return {"query": result.query, "candidates": [match_to_dict(m) for m in result.matches]}


def check_to_dict(result: Any) -> dict[str, Any]:
    """The gate's decision with the best source's relation, score and findings."""
    best = result.best
    found = best is not None
    report = best.report if found else None
    return {
        "query": result.query,
        "passed": result.passed,
        "reason": result.reason,
        "source": best.id if found else None,
        "relation": best.relation.value if found and best.relation is not None else "unrelated",
        "score": round(best.score, 4) if found else 0.0,
        "verdict": None if report is None else verdict_of(report).to_dict(),
        "findings": [] if report is None else report_to_dict(report)["findings"],
        "candidates": [match_to_dict(m) for m in result.matches],
        **({} if getattr(result, "derived", None) is None else {"derived": result.derived}),
    }
