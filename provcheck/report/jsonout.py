"""Stable JSON for reports: fixed key order, spans as ``[start, end]`` in original code points."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from provcheck.model import Finding, FindingType, Report, Segmented, Span
from provcheck.report.verdict import verdict_of

__all__ = ["finding_to_dict", "report_to_dict", "report_to_json", "substitution_table"]

SCHEMA_VERSION = 1


def _span(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def finding_to_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {"type": f.type.value}
    if f.suspect_span is not None:
        out["suspect_span"] = _span(f.suspect_span)
        out["suspect_text"] = f.suspect_text
    if f.source_span is not None:
        out["source_span"] = _span(f.source_span)
        out["source_text"] = f.source_text
    for k, v in f.detail:
        out[k] = v
    return out


def substitution_table(report: Report) -> list[dict[str, Any]]:
    """The spinner's word map: ``source -> suspect`` with counts, most frequent first."""
    counts: Counter[tuple[str, str]] = Counter()
    for f in report.findings:
        if f.type is FindingType.SUBSTITUTION:
            counts[(f.get("source_word", f.source_text), f.get("suspect_word", f.suspect_text))] += 1
    return [
        {"source": a, "suspect": b, "count": n}
        for (a, b), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _pair_span(seg: Segmented | None, idx: tuple[int, ...]) -> list[int] | None:
    if seg is None or not idx:
        return None
    first, last = seg.sentences[min(idx)], seg.sentences[max(idx)]
    return _span(seg.span(first.start, last.end))


def report_to_dict(report: Report) -> dict[str, Any]:
    s = report.stats
    counts = Counter(f.type.value for f in report.findings)
    return {
        "schema": SCHEMA_VERSION,
        "source": report.source.id,
        "suspect": report.suspect.id,
        "relation": report.relation.value,
        "score": round(report.score, 4),
        "verdict": verdict_of(report).to_dict(),
        "encoding": {"source": report.source.encoding, "suspect": report.suspect.encoding},
        "stats": {
            "source_chars": s.source_chars,
            "suspect_chars": s.suspect_chars,
            "derived_chars": s.derived_chars,
            "source_coverage": round(s.source_coverage, 4),
            "suspect_derived": round(s.suspect_derived, 4),
            "substitution_rate": round(s.substitution_rate, 4),
            "substitutions": s.substitutions,
            "aligned_pairs": s.aligned_pairs,
        },
        "counts": {t.value: counts.get(t.value, 0) for t in FindingType},
        "substitutions": substitution_table(report),
        "findings": [finding_to_dict(f) for f in report.findings],
        "alignment": [
            {
                "source": list(p.source),
                "suspect": list(p.suspect),
                "score": round(p.score, 4),
                "source_span": _pair_span(report.source_seg, p.source),
                "suspect_span": _pair_span(report.suspect_seg, p.suspect),
            }
            for p in report.alignment.pairs
        ],
    }


def report_to_json(report: Report, indent: int | None = 2) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=indent)
