"""Relation, provenance score and gate decisions: pure functions of the alignment and findings."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from provcheck.errors import ConfigError
from provcheck.model import Alignment, Finding, FindingType, Relation, Report, Segmented, Stats
from provcheck.text.segment import content_length

__all__ = ["ScoreConfig", "check_max_score", "decide", "gate", "gate_values", "parse_fail_on"]


@dataclass(frozen=True, slots=True)
class ScoreConfig:
    strong_pair: float = 0.5  # a pair this similar is strong evidence on its own
    weak_pair: float = 0.25  # pairs count toward the score from this similarity, fully at strong_pair
    unrelated_strong: float = 0.1  # less of the suspect than this in strong pairs: unrelated,
    reuse_chars: int = 60  # unless the strong pairs hold this many characters (a short excerpt)
    partial_derived: float = 0.7  # less of the suspect (less chrome) derived than this: partial
    partial_coverage: float = 0.1  # or less of the source reproduced than this
    excerpt_coverage: float = 0.55  # or less of the source than this while the suspect adds
    excerpt_derived: float = 0.8  # more than a fifth of its own: an excerpt inside other text
    rewrite_rate: float = 0.25  # substituted words per 100 aligned source units (CJK chars, words)
    rewrite_min: int = 2  # and at least this many substitutions


def decide(
    source: Segmented,
    suspect: Segmented,
    alignment: Alignment,
    findings: tuple[Finding, ...],
    config: ScoreConfig,
) -> tuple[Relation, float, Stats]:
    """Return ``(relation, score, stats)``.

    ``score`` is the share of the suspect's content (less page chrome) that derives from the
    source, each aligned pair weighted by its similarity (a weak pair counts in part), so two
    independent texts on one topic stay near 0 while copies and rewrites approach 1.
    """
    cfg = config
    src_total = sum(s.content for s in source.sentences)
    sus_total = sum(s.content for s in suspect.sentences)
    aligned_src_idx = {j for p in alignment.pairs for j in p.source}
    aligned_src = sum(source.sentences[j].content for j in aligned_src_idx)
    aligned_units = sum(len(source.sentences[j].units) for j in aligned_src_idx)
    chrome = sum(content_length(f.suspect_text) for f in findings if f.type is FindingType.BOILERPLATE)
    # Spliced, inserted and chrome text inside an aligned pair does not derive from the source:
    # each such finding is taken off the one pair whose suspect span holds it.
    pair_spans = [
        suspect.span(suspect.sentences[min(p.suspect)].start, suspect.sentences[max(p.suspect)].end)
        for p in alignment.pairs
    ]
    starts = sorted((sp.start, k) for k, sp in enumerate(pair_spans))
    added = [0] * len(alignment.pairs)
    for f in findings:
        if (
            f.type not in (FindingType.SPLICED_SPAM, FindingType.INSERTED, FindingType.BOILERPLATE)
            or f.suspect_span is None
        ):
            continue
        at = bisect_right(starts, (f.suspect_span.start, len(pair_spans))) - 1
        if at >= 0 and f.suspect_span.end <= pair_spans[starts[at][1]].end:
            added[starts[at][1]] += content_length(f.suspect_text)
    derived = weighted = strong = 0.0
    for k, p in enumerate(alignment.pairs):
        chars = max(0, sum(suspect.sentences[i].content for i in p.suspect) - added[k])
        derived += chars
        conf = min(1.0, max(0.0, (p.score - cfg.weak_pair) / (cfg.strong_pair - cfg.weak_pair)))
        weighted += chars * conf
        if p.score >= cfg.strong_pair:
            strong += chars
    denom = max(1, sus_total - chrome)
    derived_share = min(1.0, derived / denom)
    score = min(1.0, weighted / denom)
    coverage = min(1.0, aligned_src / src_total) if src_total else 0.0
    subs = sum(1 for f in findings if f.type is FindingType.SUBSTITUTION)
    rate = 100.0 * subs / aligned_units if aligned_units else 0.0
    stats = Stats(
        src_total, sus_total, int(derived), coverage, derived_share, rate, subs, len(alignment.pairs)
    )
    if not alignment.pairs or (strong / denom < cfg.unrelated_strong and strong < cfg.reuse_chars):
        return Relation.UNRELATED, score, stats
    if (
        derived_share < cfg.partial_derived
        or coverage < cfg.partial_coverage
        or (coverage < cfg.excerpt_coverage and derived_share < cfg.excerpt_derived)
    ):
        return Relation.PARTIAL, score, stats
    if subs >= cfg.rewrite_min and rate >= cfg.rewrite_rate:
        return Relation.REWRITTEN, score, stats
    return Relation.COPY, score, stats


def parse_fail_on(spec: str | Iterable[str] | None) -> tuple[FindingType, ...]:
    """Finding types to gate on, from ``"altered_number,spliced_spam"`` or a list of names.

    >>> parse_fail_on("altered_number, spliced_spam")
    (<FindingType.ALTERED_NUMBER: 'altered_number'>, <FindingType.SPLICED_SPAM: 'spliced_spam'>)
    >>> parse_fail_on("spliced-spam")
    Traceback (most recent call last):
    ...
    provcheck.errors.ConfigError: unknown finding type spliced-spam; choose from altered_number, boilerplate, deleted, inserted, reformatted_number, spliced_spam, substitution
    """
    if spec is None:
        return ()
    names = spec.split(",") if isinstance(spec, str) else [n for item in spec for n in str(item).split(",")]
    wanted = [n.strip() for n in names if n.strip()]
    known = {t.value: t for t in FindingType}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise ConfigError(
            f"unknown finding type{plural} {', '.join(unknown)}; choose from {', '.join(sorted(known))}"
        )
    return tuple(dict.fromkeys(known[n] for n in wanted))


def check_max_score(max_score: float | None) -> float | None:
    """``max_score`` if it lies in [0, 1] (NaN does not), else a :class:`ConfigError`."""
    if max_score is not None and not 0.0 <= max_score <= 1.0:
        raise ConfigError(f"max score must be a number in [0, 1], got {max_score}")
    return max_score


def gate(report: Report, fail_on: str | Iterable[str] | None = (), max_score: float | None = None) -> str:
    """Return why the gate fails ('' when it passes). Unknown finding types and a ``max_score``
    outside [0, 1] are a :class:`ConfigError`."""
    return gate_values({f.type.value for f in report.findings}, report.score, fail_on, max_score)


def gate_values(
    types: Iterable[str],
    score: float,
    fail_on: str | Iterable[str] | None = (),
    max_score: float | None = None,
) -> str:
    """:func:`gate` on a report's finding types and score (e.g. read back from its JSON)."""
    wanted = {t.value for t in parse_fail_on(fail_on)}
    check_max_score(max_score)
    reasons = []
    hit = sorted(set(types) & wanted)
    if hit:
        reasons.append("findings " + ",".join(hit))
    if max_score is not None and score > max_score:
        reasons.append(f"score {score:.3f} > {max_score}")
    return "; ".join(reasons)
