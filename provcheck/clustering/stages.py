"""Stage functions both engines run (datatrove's blocks, apart from the executors that run them):
signatures and band keys of one document, verification of one candidate pair both ways, naming one
group's original. :mod:`provcheck.clustering.local` and :mod:`provcheck.clustering.spark` call these
and never import each other."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from provcheck.archive.fingerprint import Fingerprinter, band_keys
from provcheck.clustering.candidates import content_grams
from provcheck.clustering.config import ClusterConfig, Progress
from provcheck.clustering.evidence import Direction, summarize
from provcheck.clustering.naming import name_original, naming_pairs
from provcheck.clustering.result import Naming
from provcheck.model import Document, Segmented
from provcheck.pair.comparer import Provcheck
from provcheck.text.segment import content_length

__all__ = ["Evidence", "OnProgress", "Signatures", "name_group", "script_of", "signature_row", "verify_pair"]

OnProgress = Callable[[Progress], None]
Evidence = dict[tuple[str, str], tuple[Direction, Direction]]


# -- signatures ------------------------------------------------------------------------------------


class Signatures:
    """Signatures, shingle-set sizes and band keys of many documents, in compact arrays."""

    def __init__(self, kinds: Sequence[str], num_perm: int) -> None:
        self.kinds = tuple(kinds)
        self._values: list[list[np.ndarray]] = [[] for _ in kinds]
        self._sizes: list[tuple[int, ...]] = []
        self._keys: list[np.ndarray] = []
        self._owners: list[np.ndarray] = []
        self.num_perm = num_perm

    def add(self, row: tuple[list[np.ndarray], tuple[int, ...], np.ndarray]) -> None:
        values, sizes, keys = row
        n = len(self._sizes)
        for k, v in enumerate(values):
            self._values[k].append(v)
        self._sizes.append(sizes)
        self._keys.append(keys)
        self._owners.append(np.full(len(keys), n, dtype=np.int64))

    def arrays(self) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
        n = len(self._sizes)
        values = [np.stack(v) if v else np.zeros((0, self.num_perm), np.uint32) for v in self._values]
        sizes = np.array(self._sizes, dtype=np.int64).reshape(n, len(self.kinds))
        keys = np.concatenate(self._keys) if self._keys else np.zeros(0, np.int64)
        owners = np.concatenate(self._owners) if self._owners else np.zeros(0, np.int64)
        return values, sizes, keys, owners


def signature_row(
    fpr: Fingerprinter, doc: Document, min_chars: int = 0
) -> tuple[list[np.ndarray], tuple[int, ...], np.ndarray]:
    """One document's signature values (per kind), set sizes and all band keys; a document with
    fewer than ``min_chars`` content characters gets no band keys, so it is never a candidate."""
    fp = fpr.fingerprint(doc)
    values = [s.values for s in fp.signatures]
    sizes = tuple(s.size for s in fp.signatures)
    if min_chars and content_length(doc.text) < min_chars:
        return values, sizes, np.zeros(0, dtype=np.int64)
    keys = np.concatenate([band_keys(s, fpr.config) for s in fp.signatures])
    return values, sizes, keys


# -- verification and naming -----------------------------------------


def verify_pair(
    pc: Provcheck, a: Document | Segmented, b: Document | Segmented, config: ClusterConfig
) -> tuple[Direction, Direction]:
    """Compare a -> b and b -> a; return both summaries."""
    sa, sb = pc.prepare(a), pc.prepare(b)
    return summarize(pc.compare(sa, sb), config), summarize(pc.compare(sb, sa), config)


def name_group(
    pc: Provcheck,
    docs: dict[str, Document] | dict[str, Segmented],
    known: Evidence,
    config: ClusterConfig,
    freq: Callable[[str], int],
    common: frozenset[int] | None = None,
) -> tuple[Naming, Evidence]:
    """Compare what naming still needs within one group and name its original.

    ``docs`` holds the group's documents (or their prepared forms), ``known`` the verified pairs
    among them; returns the naming and the complete evidence used."""
    members = sorted(docs)
    evidence: Evidence = {p: v for p, v in known.items() if p[0] in docs and p[1] in docs}
    todo = naming_pairs(members, evidence, config)
    prepared: dict[str, Segmented] = {}

    def prep(doc_id: str) -> Segmented:
        if doc_id not in prepared:
            prepared[doc_id] = pc.prepare(docs[doc_id])
        return prepared[doc_id]

    for a, b in todo:
        evidence[(a, b)] = verify_pair(pc, prep(a), prep(b), config)
    plain = {m: prep(m).doc for m in members}
    dates = {m: date for m, d in plain.items() if (date := d.meta_get("date"))}
    scripts = {m: script for m in members if (script := script_of(prep(m)))}
    breaks = {m: 1000.0 * d.text.strip().count("\n") / max(1, len(d.text)) for m, d in plain.items()}
    grams = {m: content_grams(prep(m).norm.text) for m in members} if len(members) > 2 else None
    return name_original(members, evidence, freq, dates, scripts, breaks, grams, common), evidence


def script_of(seg: Segmented) -> str | None:
    """``traditional`` when a notable share of the CJK characters changed under traditional-to-
    simplified normalization, ``simplified`` otherwise; None without CJK text."""
    orig = seg.doc.text
    offs = seg.norm.offsets
    cjk = changed = 0
    for k, ch in enumerate(seg.norm.text):
        if "\u4e00" <= ch <= "\u9fff":
            cjk += 1
            src = orig[offs[k]] if offs[k] < len(orig) else ch
            changed += src != ch and "\u4e00" <= src <= "\u9fff"
    if cjk < 20:
        return None
    return "traditional" if changed / cjk > 0.03 else "simplified"
