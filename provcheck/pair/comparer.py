"""One comparison session: read -> normalize -> segment -> align -> diagnose -> score.

:class:`Provcheck` holds the loaded resources (OpenCC, the word dictionary, cue lists), so a batch loads
them once. It reads only the stage configs it needs (:class:`PairSettings`); :class:`provcheck.Settings`
is one such object, :class:`CompareConfig` the plain default.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from provcheck.model import AlignedPair, Document, Relation, Report, Segmented
from provcheck.pair.align import AlignConfig, align, sentence_keys
from provcheck.pair.diagnose import DiagnoseConfig, Diagnoser
from provcheck.pair.diagnose.pairdiff import PairDiff, diff_pair
from provcheck.pair.diagnose.rewrite import substitution_findings
from provcheck.pair.reuse import ReuseConfig, measure_reuse, shared_findings
from provcheck.pair.score import (
    ScoreConfig,
    Vocabulary,
    decide,
    reworded_order,
    vocabulary_of,
    vocabulary_order,
)
from provcheck.pair.screen import surely_unrelated
from provcheck.text.normalize import NormalizeConfig, Normalizer
from provcheck.text.read import ReadConfig, check_document, document_from_text, read_document
from provcheck.text.segment import SegmentConfig, Segmenter

__all__ = ["CompareConfig", "PairSettings", "Provcheck", "Source"]


class PairSettings(Protocol):
    """The stage configs a comparison reads (``provcheck.Settings`` has them all)."""

    @property
    def normalize(self) -> NormalizeConfig: ...
    @property
    def segment(self) -> SegmentConfig: ...
    @property
    def align(self) -> AlignConfig: ...
    @property
    def diagnose(self) -> DiagnoseConfig: ...
    @property
    def score(self) -> ScoreConfig: ...
    @property
    def encoding(self) -> str | None: ...
    @property
    def read(self) -> ReadConfig: ...


@dataclass(frozen=True, slots=True)
class CompareConfig:
    """The default stage configs of a comparison."""

    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    diagnose: DiagnoseConfig = field(default_factory=DiagnoseConfig)
    score: ScoreConfig = field(default_factory=ScoreConfig)
    encoding: str | None = None
    read: ReadConfig = field(default_factory=ReadConfig)


Source = str | Path | Document
T = TypeVar("T")


class Provcheck:
    """A comparison session: loads dictionaries and cue lists once, compares many pairs.

    >>> pc = Provcheck()
    >>> report = pc.compare("corpus/001_f774ca4a0bf60419.txt", "corpus/000_4220fd22daa105e4.txt")
    >>> report.relation.value
    'rewritten'
    """

    def __init__(self, settings: PairSettings | None = None) -> None:
        self.settings: PairSettings = settings or CompareConfig()
        self.normalizer = Normalizer(self.settings.normalize)
        self.segmenter = Segmenter(self.settings.segment)
        self.diagnoser = Diagnoser(self.settings.diagnose, self.segmenter)
        self._cache: OrderedDict[tuple[str, int, int], Segmented] = OrderedDict()
        self._cache_size = 64
        # the vocabulary of documents met lately, by identity: a suspect searched against several
        # candidates, a stored source met by many suspects (the entry keeps its document alive)
        self._vocab: OrderedDict[int, tuple[Segmented, Vocabulary]] = OrderedDict()
        self._vocab_size = 256
        self._keys: OrderedDict[int, tuple[Segmented, list[str]]] = OrderedDict()  # alignment keys, likewise

    def read(self, item: Source) -> Document:
        if isinstance(item, Document):
            return check_document(item)
        return read_document(item, str(item), self.settings.encoding, config=self.settings.read)

    def prepare(self, item: Source | Segmented) -> Segmented:
        """Read, normalize and segment one document (reusable across comparisons). A file read
        again unchanged (same path, size and modification time) comes from a small cache, so one
        source compared with many suspects is prepared once."""
        if isinstance(item, Segmented):
            return item
        key = None
        if not isinstance(item, Document):
            try:
                st = Path(item).stat()
                key = (str(item), st.st_size, st.st_mtime_ns)
            except OSError:
                key = None  # read() reports the problem
            if key is not None and key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        doc = self.read(item)
        seg = self.segmenter.segment(doc, self.normalizer.normalize(doc))
        if key is not None:
            self._cache[key] = seg
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return seg

    def prepare_text(self, text: str, doc_id: str) -> Segmented:
        return self.prepare(document_from_text(text, doc_id))

    def compare(self, source: Source | Segmented, suspect: Source | Segmented) -> Report:
        """Align ``suspect`` to ``source`` and diagnose every change."""
        return self.compare_screened(source, suspect, screen=False)[0]

    def compare_screened(
        self, source: Source | Segmented, suspect: Source | Segmented, screen: bool = True
    ) -> tuple[Report, bool]:
        """:meth:`compare`, but with ``screen`` a pair that is unrelated whatever diagnosis finds
        (:func:`provcheck.pair.screen.surely_unrelated`) is not diagnosed: its relation is certain,
        its score the undiagnosed one. Returns the report and whether it was screened so."""
        src = self.prepare(source)
        sus = self.prepare(suspect)
        cfg = self.settings.score
        alignment = align(src, sus, self.settings.align, self._sentence_keys)
        reuse = measure_reuse(src, sus, ReuseConfig(cfg.reuse_run))
        order = vocabulary_order(src, sus, cfg.rare_share, self._vocabulary)
        # a heavy paraphrase keeps the source's rare words in order: never skip diagnosing it
        reworded = reworded_order(order, cfg)
        weak = (
            not any(p.score >= cfg.strong_pair for p in alignment.pairs)
            and reuse.total < cfg.reuse_chars
            and not reworded
        )
        diffs: dict[AlignedPair, PairDiff] = {}  # the word diffs screening made, for diagnosis
        screened = (
            screen
            and not weak
            and not reworded
            and surely_unrelated(src, sus, alignment, reuse, cfg, self._swaps(src, sus, diffs))
        )
        if weak or screened:
            # Nothing aligns strongly and little is shared (or too little for any relation): independent
            # texts; their differences are not findings, what they share is listed.
            relation, score, stats = decide(src, sus, alignment, (), cfg, reuse)
            shared = shared_findings(src, sus, reuse) + self.diagnoser.page_spam(sus)
            return Report(src.doc, sus.doc, relation, score, shared, alignment, stats, src, sus), screened
        findings, slots = self.diagnoser.examine(src, sus, alignment, diffs)
        relation, score, stats = decide(src, sus, alignment, findings, cfg, reuse, slots, order)
        if relation is Relation.UNRELATED:
            findings = shared_findings(src, sus, reuse) + self.diagnoser.page_spam(sus)
        return Report(src.doc, sus.doc, relation, score, findings, alignment, stats, src, sus), False

    def _vocabulary(self, seg: Segmented) -> Vocabulary:
        return _kept(self._vocab, seg, vocabulary_of, self._vocab_size)

    def _sentence_keys(self, seg: Segmented) -> list[str]:
        return _kept(self._keys, seg, sentence_keys, self._vocab_size)

    def _swaps(
        self, src: Segmented, sus: Segmented, made: dict[AlignedPair, PairDiff]
    ) -> Callable[[AlignedPair], int]:
        """Spinner swaps diagnosis marks in one aligned pair, before names are told apart (an upper
        bound: a name for a name is taken back as a template's slot). The word diffs it makes are
        put in ``made``."""
        well = self.settings.diagnose.well_aligned

        def count(pair: AlignedPair) -> int:
            if pair.score < well:
                return 0
            pd = made[pair] = diff_pair(src, sus, pair, self.segmenter)
            return sum(1 for f in substitution_findings(src, sus, [pd], well) if f.get("swap"))

        return count

    def compare_many(self, pairs: Iterable[tuple[Source, Source]]) -> Iterator[Report]:
        for source, suspect in pairs:
            yield self.compare(source, suspect)


def _kept(
    memo: OrderedDict[int, tuple[Segmented, T]], seg: Segmented, make: Callable[[Segmented], T], size: int
) -> T:
    """``make(seg)``, kept in ``memo`` (by identity, the ``size`` documents met last)."""
    hit = memo.get(id(seg))
    if hit is not None and hit[0] is seg:
        memo.move_to_end(id(seg))
        return hit[1]
    found = make(seg)
    memo[id(seg)] = (seg, found)
    memo.move_to_end(id(seg))
    if len(memo) > size:
        memo.popitem(last=False)
    return found
