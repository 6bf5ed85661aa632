"""Find the sources of a suspect in an archive index, and gate imports on what is found.

:meth:`Archive.find` takes the index's fingerprint candidates (:meth:`provcheck.archive.index.Index.candidates`) and
verifies the best ``verify`` of them with the aligner (:meth:`provcheck.pair.comparer.Provcheck.compare`, stored
document as source, suspect as suspect). Matches are ordered by the alignment's provenance score,
then by the fingerprint estimate, then by id. A candidate the aligner calls ``unrelated`` is dropped
unless its fingerprint estimate reaches ``keep_estimate`` (strong fingerprint evidence is kept even
when alignment disagrees), or it shares at least ``passage_chars``
content characters in verbatim runs (:meth:`provcheck.archive.passages.Passager.shared_chars`): a
quoted passage too short for the pair comparison's own threshold is reported as ``partial``, its
score the share of the suspect's content characters in those runs. :meth:`Archive.check` takes the best match and applies the gate
(:func:`provcheck.pair.score.gate`): reject copies of what we hold (``max_score``) or tampering findings
(``fail_on``).

A candidate that cannot be related whatever diagnosis would find (:func:`provcheck.pair.screen.surely_unrelated`:
too few strong pairs, swaps and shared runs for any relation) is not diagnosed (``screen``): its
relation is the one full diagnosis gives, its score the undiagnosed estimate, and :attr:`Match.screened`
says so. Stored documents stay prepared (normalized, segmented) between queries (``prepared_cache``).

>>> import tempfile, os
>>> from provcheck.archive.index import Index
>>> with tempfile.TemporaryDirectory() as d:
...     with Index(os.path.join(d, "x.db")) as idx:
...         _ = idx.add(["corpus/001_f774ca4a0bf60419.txt", "corpus/002_9a4042f4b84dd83c.txt"])
...         result = Archive(idx).find("corpus/000_4220fd22daa105e4.txt")
>>> [(m.id, m.relation.value) for m in result.matches]
[('corpus/001_f774ca4a0bf60419.txt', 'rewritten')]
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from provcheck.archive.index import Candidate, Index
from provcheck.model import Document, Relation, Report, Segmented
from provcheck.pair.comparer import Provcheck
from provcheck.pair.score import check_max_score, gate, parse_fail_on

__all__ = ["Archive", "ArchiveConfig", "CheckResult", "FindResult", "Match"]


@dataclass(frozen=True, slots=True)
class ArchiveConfig:
    verify: int = 5  # candidates aligned per query, at least k (0: fingerprints only, no alignment)
    keep_estimate: float = 0.3  # keep a candidate the aligner calls unrelated when the estimate is this high
    screen: bool = True  # skip diagnosing a candidate that is unrelated whatever diagnosis finds
    # (its relation is certain, its score the undiagnosed one; Match.screened marks it)
    prepared_cache: int = 128  # stored documents kept prepared (normalized, segmented) between queries
    passage_chars: int = 30  # a candidate sharing this many content characters in
    # verbatim runs (PassageConfig.min_run) is a shared passage (partial) though the pair looks unrelated


@dataclass(frozen=True, slots=True)
class Match:
    """One stored document related to the suspect."""

    id: str
    score: float  # provenance score in [0, 1] from alignment (the fingerprint estimate when not verified)
    relation: Relation | None  # None when not verified
    estimate: float  # fingerprint estimate in [0, 1]
    candidate: Candidate
    report: Report | None = None  # the alignment report (source = stored document)
    screened: bool = False  # unrelated whatever diagnosis finds, so not diagnosed: the relation is
    # certain, the score the undiagnosed one (see provcheck.pair.screen)


@dataclass(frozen=True, slots=True)
class FindResult:
    query: str
    matches: tuple[Match, ...]

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The gate's decision on one suspect: ``reason`` is '' when it passes."""

    query: str
    best: Match | None
    reason: str
    matches: tuple[Match, ...] = ()
    derived: float | None = None  # union share traced to the archive, when the gate asked for it

    @property
    def passed(self) -> bool:
        return not self.reason


@dataclass(slots=True)
class _Kept:
    """A stored document kept prepared between queries, with its passage content once needed."""

    doc: Document
    segmented: Segmented
    content: str | None = None


class Archive:
    """An index plus a comparison session: ``find`` and ``check`` many suspects, loading once."""

    def __init__(
        self, index: Index, provcheck: Provcheck | None = None, config: ArchiveConfig | None = None
    ) -> None:
        self.index = index
        self.provcheck = provcheck or Provcheck()
        self.config = config or ArchiveConfig()
        # prepared stored documents, most recently used last: a session (serve, a folder of
        # suspects) meets the same sources again; an entry serves only while the document is
        # unchanged. With each, its passage content once a suspect has needed it.
        self._prepared: OrderedDict[str, _Kept] = OrderedDict()

    def prepared(self, stored: Document) -> Segmented:
        """A stored document read from the index, prepared for comparison (kept between queries)."""
        return self._kept(stored).segmented

    def _content(self, stored: Document) -> str:
        """The stored document's passage content (:meth:`provcheck.archive.passages.Passager.content`),
        kept with its prepared form."""
        hit = self._prepared.get(stored.id)
        if hit is None or hit.doc != stored:  # not kept (no cache)
            return self.index.passager.content(stored)
        if hit.content is None:
            hit.content = self.index.passager.content(stored)
        return hit.content

    def _kept(self, stored: Document) -> _Kept:
        hit = self._prepared.get(stored.id)
        if hit is None or hit.doc != stored:
            hit = self._prepared[stored.id] = _Kept(stored, self.provcheck.prepare(stored))
        self._prepared.move_to_end(stored.id)
        if len(self._prepared) > self.config.prepared_cache:
            self._prepared.popitem(last=False)
        return hit

    def find(self, suspect: str | Path | Document, k: int = 5) -> FindResult:
        """Stored documents the suspect derives from (or that derive from it), best first, at most ``k``."""
        doc = self.provcheck.read(suspect)
        candidates = self.index.candidates(doc, k=max(k, self.config.verify))
        matches: list[Match] = []
        if self.config.verify <= 0:
            matches = [Match(c.id, c.estimate, None, c.estimate, c) for c in candidates]
        else:  # every candidate returned is aligned: the best max(verify, k) by estimate
            prepared = self.provcheck.prepare(doc)
            content: str | None = None  # the suspect's content characters, when first needed
            for cand in candidates:
                stored = self.index.document(cand.id)
                report, screened = self.provcheck.compare_screened(
                    self.prepared(stored), prepared, self.config.screen
                )
                relation, score = report.relation, report.score
                if relation is Relation.UNRELATED:
                    # a quoted passage too short for the pair verdict: count its verbatim overlap
                    if content is None:
                        content = self.index.passager.content(doc)
                    shared = self.index.passager.shared_chars(content, self._content(stored))
                    if shared >= self.config.passage_chars:
                        relation, score = Relation.PARTIAL, max(score, shared / max(1, len(content)))
                if relation is Relation.UNRELATED and cand.estimate < self.config.keep_estimate:
                    continue
                matches.append(Match(cand.id, score, relation, cand.estimate, cand, report, screened))
        matches.sort(key=lambda m: (-m.score, -m.estimate, m.id))
        return FindResult(doc.id, tuple(matches[:k]))

    def check(
        self,
        suspect: str | Path | Document,
        fail_on: str | Iterable[str] = (),
        max_score: float | None = None,
        k: int = 5,
    ) -> CheckResult:
        """Find the best source and apply the gate to its report (passes when nothing is related).

        ``fail_on`` names finding types (``altered_number``, ``spliced_spam``, ...); an unknown name is
        a :class:`~provcheck.errors.ConfigError`."""
        wanted = parse_fail_on(fail_on)
        check_max_score(max_score)
        found = self.find(suspect, k)
        best = found.best
        if best is None or best.report is None:
            reason = ""
            if best is not None and max_score is not None and best.score > max_score:
                reason = f"score {best.score:.3f} > {max_score}"
            return CheckResult(found.query, best, reason, found.matches)
        return CheckResult(
            found.query, best, gate(best.report, [t.value for t in wanted], max_score), found.matches
        )
