"""Trace every passage of a suspect to the archived documents it comes from (a patchwork's sources).

:meth:`Tracer.trace` takes the index's candidates (whole-text and passage matches,
:meth:`provcheck.archive.index.Index.candidates`), aligns each with the suspect
(:meth:`provcheck.pair.comparer.Provcheck.compare`) and attributes each content character of the suspect
(letters, digits, CJK characters of its normalized text) to the sources that supply it:

- a suspect sentence aligned to source sentences with similarity at least ``min_similarity`` is
  supplied by that source, with that similarity (lightly spun text included);
- a verbatim run of at least ``PassageConfig.min_run`` characters shared with a source is supplied by
  it with similarity 1 (a quoted passage shorter than a sentence, or cut mid-sentence).

Each character goes to its most similar source (ties: the source supplying more of the suspect, then
the id), so a stretch that draws on two sources in turn is split between them. A *passage* is a
maximal run of characters with one such source; it lists that source first and then every other
source supplying at least half of it. Per source, ``share`` is the part of the suspect's content
attributed to it (the shares add up to ``derived``) and ``covers`` all it supplies; ``derived`` is
the union, ``unattributed`` the rest. Every span is in code points of the original decoded text.

>>> import tempfile, os
>>> from provcheck.archive.index import Index
>>> from provcheck.archive.search import Archive
>>> with tempfile.TemporaryDirectory() as d:
...     with Index(os.path.join(d, "x.db")) as idx:
...         _ = idx.add(["corpus/001_f774ca4a0bf60419.txt", "corpus/002_9a4042f4b84dd83c.txt"])
...         found = Tracer(Archive(idx)).trace("corpus/000_4220fd22daa105e4.txt")
>>> [s.id for s in found.sources], found.derived > 0.5
(['corpus/001_f774ca4a0bf60419.txt'], True)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from provcheck.archive.search import Archive
from provcheck.errors import ConfigError
from provcheck.model import Document, Relation, Report, Segmented, Span

__all__ = [
    "PassageSource",
    "Trace",
    "TraceConfig",
    "TracedPassage",
    "TracedSource",
    "Tracer",
    "check_max_derived",
]


@dataclass(frozen=True, slots=True)
class TraceConfig:
    candidates: int = 10  # candidate sources aligned with the suspect
    min_similarity: float = 0.5  # an aligned sentence pair at least this similar attributes the sentence
    min_chars: int = 13  # a source supplying fewer content characters than this is left out

    def __post_init__(self) -> None:
        if self.candidates < 1 or not 0.0 < self.min_similarity <= 1.0 or self.min_chars < 1:
            raise ValueError("trace candidates and min_chars must be >= 1, min_similarity in (0, 1]")


@dataclass(frozen=True, slots=True)
class PassageSource:
    """One source of a passage: where in the source, how similar, what changed."""

    id: str
    source_span: Span | None  # in code points of the stored document's text
    similarity: float  # in [0, 1]: 1 for verbatim text
    findings: tuple[str, ...]  # finding types of the pair report inside the passage


@dataclass(frozen=True, slots=True)
class TracedPassage:
    span: Span  # in code points of the suspect's original text
    sources: tuple[PassageSource, ...]  # the attributed source first


@dataclass(frozen=True, slots=True)
class TracedSource:
    id: str
    share: float  # in [0, 1]: part of the suspect's content attributed to this source
    covers: float  # in [0, 1]: part of the suspect's content this source supplies (shared ones too)
    chars: int  # content characters attributed
    relation: Relation  # of the pair (partial for a passage too short for the pair verdict)
    score: float  # the pair's provenance score
    title: str | None = None
    date: str | None = None
    report: Report | None = None


@dataclass(frozen=True, slots=True)
class Trace:
    query: str
    length: int  # code points of the suspect's text
    content_chars: int  # content characters of the suspect (the shares' denominator)
    derived: float  # in [0, 1]: union share of the suspect supplied by some source
    unattributed: float  # 1 - derived
    sources: tuple[TracedSource, ...]  # most attributed first
    passages: tuple[TracedPassage, ...]  # in suspect order


class _Supply:
    """What one source supplies: per normalized suspect position, similarity and source position."""

    def __init__(self, n: int) -> None:
        self.sim = np.zeros(n, dtype=np.float64)
        self.lo = np.full(n, -1, dtype=np.int64)  # normalized source span supplying the position
        self.hi = np.full(n, -1, dtype=np.int64)
        self.exact = np.zeros(n, dtype=bool)  # supplied verbatim

    def put(self, at: np.ndarray, sim: float, lo: np.ndarray, hi: np.ndarray, exact: bool = False) -> None:
        """Keep the more similar supply of each position; an ``exact`` (verbatim, character by
        character) one also replaces an equally similar sentence-level one."""
        better = sim >= self.sim[at] if exact else sim > self.sim[at]
        at = at[better]
        self.sim[at] = sim
        self.lo[at] = lo[better]
        self.hi[at] = hi[better]
        self.exact[at] = exact


class Tracer:
    """Traces suspects against the archive of an :class:`Archive` (its index and comparison session)."""

    def __init__(self, archive: Archive, config: TraceConfig | None = None) -> None:
        self.archive = archive
        self.config = config or TraceConfig()

    def trace(self, suspect: str | Path | Document) -> Trace:
        archive = self.archive
        doc = archive.provcheck.read(suspect)
        sus = archive.provcheck.prepare(doc)
        text = sus.norm.text
        content = np.array([c.isalnum() for c in text], dtype=bool)
        positions = np.flatnonzero(content)
        units = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)[positions]
        supplies: list[tuple[Report, _Supply]] = []
        for cand in archive.index.candidates(doc, k=self.config.candidates):
            stored = archive.index.document(cand.id)
            report = archive.provcheck.compare(archive.prepared(stored), sus)
            supply = self._supply(report, sus, positions, units)
            if np.count_nonzero(supply.sim[positions] > 0) >= self.config.min_chars:
                supplies.append((report, supply))
        return self._attribute(doc, sus, positions, supplies)

    def _supply(self, report: Report, sus: Segmented, positions: np.ndarray, units: np.ndarray) -> _Supply:
        src = report.source_seg
        supply = _Supply(len(sus.norm.text))
        if src is None:
            return supply
        for pair in report.alignment.pairs:
            if pair.score < self.config.min_similarity:
                continue
            lo = min(src.sentences[j].start for j in pair.source)
            hi = max(src.sentences[j].end for j in pair.source)
            for i in pair.suspect:
                s = sus.sentences[i]
                at = np.arange(s.start, s.end)
                supply.put(at, float(pair.score), np.full(len(at), lo), np.full(len(at), hi))
        src_text = src.norm.text
        src_content = np.flatnonzero(np.array([c.isalnum() for c in src_text], dtype=bool))
        src_units = np.frombuffer(src_text.encode("utf-32-le"), dtype=np.uint32)[src_content]
        found = self.archive.index.passager.runs(units, src_units)
        hit = found >= 0
        if hit.any():
            where = src_content[found[hit]]
            supply.put(positions[hit], 1.0, where, where + 1, exact=True)
        return supply

    def _attribute(
        self, doc: Document, sus: Segmented, positions: np.ndarray, supplies: list[tuple[Report, _Supply]]
    ) -> Trace:
        total = len(positions)
        if not supplies or not total:
            return Trace(doc.id, len(doc.text), total, 0.0, 1.0, (), ())
        sims = np.stack([s.sim[positions] for _, s in supplies])  # sources x content positions
        covers = (sims > 0).sum(axis=1)
        # ties go to the source supplying more, then to the smaller id: order the rows that way
        order = sorted(range(len(supplies)), key=lambda r: (-int(covers[r]), supplies[r][0].source.id))
        sims, covers = sims[order], covers[order]
        supplies = [supplies[r] for r in order]
        best = np.argmax(sims, axis=0)  # the first of equal maxima
        best[sims.max(axis=0) <= 0] = -1
        passages = self._passages(sus, positions, best, sims, supplies)
        chars = np.bincount(best[best >= 0], minlength=len(supplies))
        sources = []
        for r, (report, _) in enumerate(supplies):
            if chars[r] == 0:
                continue
            relation = Relation.PARTIAL if report.relation is Relation.UNRELATED else report.relation
            sources.append(
                TracedSource(
                    report.source.id,
                    round(float(chars[r]) / total, 4),
                    round(float(covers[r]) / total, 4),
                    int(chars[r]),
                    relation,
                    round(report.score, 4),
                    report.source.meta_get("title"),
                    report.source.meta_get("date"),
                    report,
                )
            )
        sources.sort(key=lambda s: (-s.chars, s.id))
        derived = round(float(np.count_nonzero(best >= 0)) / total, 4)
        return Trace(doc.id, len(doc.text), total, derived, round(1.0 - derived, 4), tuple(sources), passages)

    def _passages(
        self,
        sus: Segmented,
        positions: np.ndarray,
        best: np.ndarray,
        sims: np.ndarray,
        supplies: list[tuple[Report, _Supply]],
    ) -> tuple[TracedPassage, ...]:
        out = []
        cuts = np.flatnonzero(np.diff(best)) + 1
        for lo, hi in zip(np.concatenate(([0], cuts)), np.concatenate((cuts, [len(best)])), strict=True):
            row = int(best[lo])
            if row < 0:
                continue
            span = sus.norm.orig_span(int(positions[lo]), int(positions[hi - 1]) + 1)
            others = [
                r
                for r in range(len(supplies))
                if r != row and np.count_nonzero(sims[r, lo:hi] > 0) * 2 >= hi - lo
            ]
            srcs = tuple(
                self._source(supplies[r], positions[lo:hi], sims[r, lo:hi], span, sus.norm.offsets)
                for r in [row, *others]
            )
            out.append(TracedPassage(span, srcs))
        return tuple(out)

    def _source(
        self,
        supplied: tuple[Report, _Supply],
        at: np.ndarray,
        sims: np.ndarray,
        span: Span,
        offsets: tuple[int, ...],
    ) -> PassageSource:
        report, supply = supplied
        used = at[sims > 0]
        lo, hi = supply.lo[used], supply.hi[used]
        source_span = None
        if report.source_seg is not None and len(used) and (lo >= 0).any():
            source_span = report.source_seg.norm.orig_span(int(lo[lo >= 0].min()), int(hi[hi >= 0].max()))
        # a finding lying wholly on characters copied verbatim is an artifact of where the passage
        # was cut (a sentence aligned whole against part of it), not a change: left out
        verbatim = np.sort(np.asarray(offsets, dtype=np.int64)[np.flatnonzero(supply.exact)])
        types = sorted(
            {
                f.type.value
                for f in report.findings
                if f.suspect_span is not None
                and _inside(f.suspect_span, span)
                and _count(verbatim, f.suspect_span) < sum(c.isalnum() for c in f.suspect_text)
            }
        )
        return PassageSource(
            report.source.id, source_span, round(float(sims[sims > 0].mean()), 4), tuple(types)
        )


def _count(sorted_positions: np.ndarray, span: Span) -> int:
    lo, hi = np.searchsorted(sorted_positions, [span.start, span.end])
    return int(hi - lo)


def _inside(found: Span | None, passage: Span) -> bool:
    """The finding lies mostly (at least half of it) inside the passage."""
    if found is None:
        return False
    overlap = min(found.end, passage.end) - max(found.start, passage.start)
    return overlap > 0 and 2 * overlap >= max(1, found.end - found.start)


def check_max_derived(value: float | None) -> float | None:
    """``value`` if it lies in [0, 1], else a :class:`ConfigError` (as for ``--max-score``)."""
    if value is not None and not 0.0 <= value <= 1.0:
        raise ConfigError(f"max derived share must be a number in [0, 1], got {value}")
    return value
