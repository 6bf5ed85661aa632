"""The pipeline, one readable function per job: read -> normalize -> segment -> align -> diagnose
-> score. :class:`Provcheck` holds the loaded resources (OpenCC, the word dictionary, cue lists), so a
batch loads them once; :func:`compare` is the one-call form."""

from __future__ import annotations

import tomllib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from .align import AlignConfig, align
from .diagnose import DiagnoseConfig, Diagnoser
from .errors import ConfigError
from .index import IndexConfig
from .model import Document, Relation, Report, Segmented
from .normalize import NormalizeConfig, Normalizer
from .read import document_from_text, read_document
from .score import ScoreConfig, decide
from .segment import SegmentConfig, Segmenter

__all__ = ["Provcheck", "Settings", "compare"]


@dataclass(frozen=True, slots=True)
class Settings:
    """All stage configs in one object; defaults are the tuned values."""

    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    diagnose: DiagnoseConfig = field(default_factory=DiagnoseConfig)
    score: ScoreConfig = field(default_factory=ScoreConfig)
    index: IndexConfig = field(default_factory=IndexConfig)
    encoding: str | None = None  # force an input encoding instead of detecting it

    @classmethod
    def from_toml(cls, path: str | Path) -> Settings:
        """Read ``[normalize]``, ``[segment]``, ``[align]``, ``[diagnose]``, ``[score]`` and
        ``[index]`` (with ``[index.fingerprint]``) tables onto the defaults."""
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings {path}: {exc}") from None
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ConfigError(f"unknown settings table(s): {', '.join(sorted(unknown))}")
        return _apply(cls(), data, "")


def _apply(obj: Any, table: dict[str, Any], where: str) -> Any:
    """``obj`` (a frozen dataclass) with the values of a TOML table; nested tables recurse."""
    known = {f.name: getattr(obj, f.name) for f in fields(obj)}
    unknown = set(table) - set(known)
    if unknown:
        raise ConfigError(f"unknown setting(s) in [{where or 'settings'}]: {', '.join(sorted(unknown))}")
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            if not is_dataclass(known[key]):
                raise ConfigError(f"[{where}.{key}] is not a settings table" if where else f"{key} is not a settings table")
            changes[key] = _apply(known[key], value, f"{where}.{key}" if where else key)
        else:
            changes[key] = tuple(value) if isinstance(value, list) else value
    try:
        return replace(obj, **changes)
    except TypeError as exc:  # pragma: no cover - replace() rejects only unknown names, checked above
        raise ConfigError(f"bad settings in [{where}]: {exc}") from None


Source = str | Path | Document


class Provcheck:
    """A comparison session: loads dictionaries and cue lists once, compares many pairs.

    >>> pc = Provcheck()
    >>> report = pc.compare("corpus/001_f774ca4a0bf60419.txt", "corpus/000_4220fd22daa105e4.txt")
    >>> report.relation.value
    'rewritten'
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.normalizer = Normalizer(self.settings.normalize)
        self.segmenter = Segmenter(self.settings.segment)
        self.diagnoser = Diagnoser(self.settings.diagnose, self.segmenter)
        self._cache: OrderedDict[tuple[str, int, int], Segmented] = OrderedDict()
        self._cache_size = 64

    def read(self, item: Source) -> Document:
        if isinstance(item, Document):
            return item
        return read_document(item, str(item), self.settings.encoding)

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
        src = self.prepare(source)
        sus = self.prepare(suspect)
        alignment = align(src, sus, self.settings.align)
        if not any(p.score >= self.settings.score.strong_pair for p in alignment.pairs):
            # Nothing aligns strongly: independent texts; their differences are not findings.
            relation, score, stats = decide(src, sus, alignment, (), self.settings.score)
            return Report(src.doc, sus.doc, relation, score, (), alignment, stats, src, sus)
        findings = self.diagnoser.diagnose(src, sus, alignment)
        relation, score, stats = decide(src, sus, alignment, findings, self.settings.score)
        if relation is Relation.UNRELATED:
            findings = ()
        return Report(src.doc, sus.doc, relation, score, findings, alignment, stats, src, sus)

    def compare_many(self, pairs: Iterable[tuple[Source, Source]]) -> Iterator[Report]:
        for source, suspect in pairs:
            yield self.compare(source, suspect)


def compare(source: Source, suspect: Source, settings: Settings | None = None) -> Report:
    """Compare one suspect to one source (paths or :class:`Document`)."""
    return Provcheck(settings).compare(source, suspect)


