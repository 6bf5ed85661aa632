"""The local clustering pipeline: stream documents -> fingerprints -> LSH candidates -> verify each
candidate with :meth:`Provcheck.compare` both ways -> union-find groups -> name each group's original.

Memory stays bounded by the number of documents, not their size: texts go to a spill file as they
are read, only ids, signatures and band keys stay in memory, and texts are read back for
verification. The same stage functions (:mod:`provcheck.clustering.result`) and the same verification
(:func:`verify_pair`, :func:`name_group`) run on Spark executors in :mod:`provcheck.clustering.spark`.

>>> result = cluster_paths(["corpus"])
>>> [(sorted(m.id[-24:-21] for m in g.members), g.original[-24:-21]) for g in result.groups]
[(['000', '001'], '001')]
"""

from __future__ import annotations

import os
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from provcheck.archive.fingerprint import Fingerprinter
from provcheck.archive.index import Index
from provcheck.clustering.candidates import (
    bucket_pairs,
    chrome_lines,
    common_lines,
    line_profile,
    line_shares,
    pair_estimates,
    worth_verifying,
)
from provcheck.clustering.config import ClusterConfig, Progress
from provcheck.clustering.evidence import Direction, link
from provcheck.clustering.inputs import Spill, iter_input, iter_jsonl, iter_parquet, read_spilled
from provcheck.clustering.result import Clustering, build_clustering
from provcheck.clustering.stages import (
    Evidence,
    NamedGroup,
    OnProgress,
    Prepared,
    Row,
    Signatures,
    check_pair,
    chrome_cues,
    name_group,
    signature_rows,
    verify_pair,
)
from provcheck.clustering.unionfind import UnionFind
from provcheck.errors import InputError
from provcheck.model import Document
from provcheck.pair.comparer import CompareConfig, PairSettings, Provcheck
from provcheck.parallel import WorkerPool
from provcheck.text.normalize import Normalizer

__all__ = [
    "Signatures",
    "Spill",
    "cluster_documents",
    "cluster_paths",
    "iter_input",
    "iter_jsonl",
    "iter_parquet",
    "name_group",
    "verify_pair",
]


# -- worker processes ------------------------------------------------------------------------------


class Worker:
    """Everything one process needs to fingerprint, verify and name: a comparison session, a
    fingerprinter and a reader of the spill file. The main process owns one and warms it; each
    process of the :class:`~provcheck.parallel.WorkerPool` works on a forked copy of it."""

    def __init__(
        self,
        settings: PairSettings,
        config: ClusterConfig,
        spill_path: str,
        offsets: list[int] | None,
        common: frozenset[int] = frozenset(),
    ) -> None:
        self.pc = Provcheck(settings)
        self.common = common
        self.cues = chrome_cues()
        self.fpr = Fingerprinter(config.fingerprint, Normalizer(settings.normalize))
        self.config = config
        self.path = spill_path
        self.offsets = offsets or []
        self.freq = self.pc.segmenter.lexicon  # one dictionary per process
        self.fpr.lexicon = self.freq
        self._r: Any = None
        self._pid = os.getpid()
        self._cache: dict[int, Prepared] = {}

    def warm(self) -> None:
        """Load the dictionaries, cue lists and converters now (before a pool forks)."""
        self.fpr.fingerprint("預熱，warm up")
        self.pc.compare(self.pc.prepare_text("预热。", "a"), self.pc.prepare_text("预热。", "b"))
        self.freq.frequencies()

    def doc(self, n: int) -> Document:
        if self._pid != os.getpid():  # a forked copy: open the spill file anew (no shared offset)
            self._pid, self._r = os.getpid(), None
        end = self.offsets[n + 1] if n + 1 < len(self.offsets) else None
        return read_spilled(self.path, self.offsets[n], self, end)

    def prepared(self, n: int) -> Prepared:
        """Document ``n`` normalized (segmented once a comparison needs it), from a small cache
        (pairs come in runs)."""
        seg = self._cache.pop(n, None)
        if seg is None:
            seg = Prepared(self.pc, self.doc(n))
        self._cache[n] = seg
        if len(self._cache) > 2048:
            self._cache.pop(next(iter(self._cache)))
        return seg

    def signatures(self, numbers: range) -> list[Row]:
        """Rows of documents ``numbers``, the corpus's chrome lines left out."""
        cfg = self.config
        return signature_rows(
            self.fpr, [self.doc(n) for n in numbers], self.common, cfg.min_content, self.cues
        )

    def verify(
        self, pairs: list[tuple[int, int, float]]
    ) -> list[tuple[int, int, Direction, Direction] | None]:
        """Verify each ``(i, j, estimate)``; None for a pair the cheap check drops (shared chrome only)."""
        out: list[tuple[int, int, Direction, Direction] | None] = []
        for i, j, est in pairs:
            # texts first: a pair the cheap check drops needs neither document prepared
            sure = est >= self.config.sure_estimate
            if not sure and not worth_verifying(est, self._text(i), self._text(j), self.common, self.config):
                out.append(None)
                continue
            a, b = self.prepared(i), self.prepared(j)
            out.append((i, j, *check_pair(self.pc, a, b, est, self.config)))
        return out

    def _text(self, n: int) -> str:
        seg = self._cache.get(n)
        return seg.doc.text if seg is not None else self.doc(n).text

    def name(self, task: tuple[list[int], Evidence]) -> tuple[list[NamedGroup], Evidence]:
        members, known = task
        # prepared documents still in the cache serve as they are; the others are read and only
        # prepared if naming compares them (a group whose pairs were all verified needs none)
        docs: dict[str, Document | Prepared] = {}
        for n in members:
            seg = self._cache.get(n)
            if seg is not None:
                docs[seg.doc.id] = seg
            else:
                doc = self.doc(n)
                docs[doc.id] = doc
        return name_group(self.pc, docs, known, self.config, self.freq, self.common)

    def close(self) -> None:
        if self._r is not None:
            self._r.close()
            self._r = None


# -- the pipeline ----------------------------------------------------------------------------------


def _corpus_chrome(
    keys: array[int], lens: array[int], ends: array[int], cfg: ClusterConfig
) -> frozenset[int]:
    """The corpus's chrome lines from every document's line profile (``ends``: where each ends)."""
    counts: dict[int, int] = {}
    profiles = []
    start = 0
    for end in ends:
        profile = list(zip(keys[start:end], lens[start:end], strict=True))
        for k in {k for k, _ in profile}:
            counts[k] = counts.get(k, 0) + 1
        profiles.append((start, end))
        start = end
    common = common_lines(counts, cfg)
    shares: dict[int, float] = {}
    if common:
        for start, end in profiles:
            for k, share in line_shares(list(zip(keys[start:end], lens[start:end], strict=True)), common):
                shares[k] = shares.get(k, 0.0) + share
    return chrome_lines(counts, shares, cfg)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for x in items:
        batch.append(x)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def cluster_documents(
    docs: Iterable[Document],
    settings: PairSettings | None = None,
    config: ClusterConfig | None = None,
    on_progress: OnProgress | None = None,
    skipped: Sequence[str] | list[str] = (),
) -> Clustering:
    """Group copies among ``docs`` (streamed once) and name each group's original.

    ``skipped`` is the list the reader appends unreadable records to; it is read at the end, so
    pass the same list object the reader fills."""
    settings = settings or CompareConfig()
    cfg = config or ClusterConfig()
    report = on_progress or (lambda p: None)
    t0 = time.perf_counter()
    workers = cfg.workers or (os.cpu_count() or 1)
    pool: WorkerPool[Worker] | None = None
    ids: list[str] = []
    seen: set[str] = set()
    duplicates: list[str] = []
    prof_keys, prof_lens, prof_ends = array("q"), array("q"), array("q")  # every document's lines
    spill: Spill | None = None
    try:
        spill = Spill()  # inside the try: a SIGTERM right after it is made still removes it
        for d in docs:
            if d.id in seen:
                duplicates.append(f"{d.id}: duplicate id (an earlier document has it); ids must be unique")
                continue
            seen.add(d.id)
            spill.add(d)
            ids.append(d.id)
            for key, n in line_profile(d.text):
                prof_keys.append(key)
                prof_lens.append(n)
            prof_ends.append(len(prof_keys))
            if len(ids) % 1000 == 0:
                report(Progress("read", len(ids)))
        report(Progress("read", len(ids)))
        spill.flush()
        offsets = spill.offsets()
        chrome = _corpus_chrome(prof_keys, prof_lens, prof_ends, cfg)
        del prof_keys, prof_lens, prof_ends
        t_read = time.perf_counter()

        # signatures and band keys, the corpus's chrome lines left out, in worker processes
        local = Worker(settings, cfg, spill.path, offsets, chrome)
        local.warm()  # load dictionaries before the pool forks, so the workers share them
        procs = workers if len(ids) > 2 * cfg.batch_size else 1
        pool = WorkerPool(Worker, (settings, cfg, spill.path, offsets, chrome), procs, local)
        sigs = Signatures(cfg.fingerprint.kinds, cfg.fingerprint.num_perm)
        step = max(16, cfg.batch_size // 4)
        parts = [range(i, min(i + step, len(ids))) for i in range(0, len(ids), step)]
        rows_iter = pool.map(Worker.signatures, parts)
        empty: list[int] = []
        for part, rows in zip(parts, rows_iter, strict=True):
            for n, row in zip(part, rows, strict=True):
                sigs.add(row)
                if len(row[2]) == 0:
                    empty.append(n)
            report(Progress("fingerprint", part.stop, len(ids)))
        values, sizes, keys, owners = sigs.arrays()
        sigs = Signatures(cfg.fingerprint.kinds, cfg.fingerprint.num_perm)  # drop the per-document rows
        pairs, _shared = bucket_pairs(keys, owners, cfg)
        del keys, owners
        est = pair_estimates(values, sizes, pairs, cfg)
        keep = est >= cfg.min_estimate
        pairs, est = pairs[keep], est[keep]
        order = np.lexsort((pairs[:, 1], pairs[:, 0], -est))
        pairs = pairs[order]
        report(Progress("candidates", len(pairs), len(pairs)))
        t_cand = time.perf_counter()

        uf = UnionFind(len(ids))
        evidence: Evidence = {}
        partials: list[tuple[str, str, float]] = []
        verified = dropped = 0
        done = 0
        plist = [(int(a), int(b), float(e)) for (a, b), e in zip(pairs, est[order], strict=True)]
        chunk = max(8, cfg.batch_size // 8)
        for batch in _batches(plist, cfg.batch_size):
            # in document order, so each worker's cache of prepared documents serves runs of pairs
            todo = sorted((a, b, e) for a, b, e in batch if not uf.connected(a, b))
            pieces = [todo[i : i + chunk] for i in range(0, len(todo), chunk)]
            results = [r for piece in pool.map(Worker.verify, pieces, here=len(todo) <= 16) for r in piece]
            for result in results:
                if result is None:
                    dropped += 1
                    continue
                i, j, ab, ba = result
                verified += 1
                rel, score = link(ab, ba, cfg)
                if rel in ("copy", "rewritten"):
                    uf.union(i, j)
                    evidence[(ids[i], ids[j])] = (ab, ba)
                elif rel == "partial":
                    partials.append((ids[i], ids[j], score))
            done += len(batch)
            report(Progress("verify", done, len(plist)))
        t_verify = time.perf_counter()

        groups = uf.groups()
        tasks = []
        for g in groups:
            members = {ids[n] for n in g}
            known = {p: v for p, v in evidence.items() if p[0] in members and p[1] in members}
            tasks.append((g, known))
        named: list[NamedGroup] = []
        for k, (found, ev) in enumerate(pool.map(Worker.name, tasks, chunksize=4, here=len(tasks) <= 4)):
            named.extend(found)
            evidence.update(ev)
            report(Progress("name", k + 1, len(tasks)))
        t_name = time.perf_counter()
    finally:
        try:
            if pool is not None:
                pool.close()
                pool.local.close()
        finally:
            if spill is not None:
                spill.close()
    stats = {
        "documents": len(ids),
        "empty": len(empty),
        "candidates": len(pairs),
        "verified": verified,
        "dropped_chrome_only": dropped,
        "groups": len(named),
        "grouped_documents": sum(len(g) for g, _ in named),
        "seconds_read": round(t_read - t0, 3),
        "seconds_candidates": round(t_cand - t_read, 3),
        "seconds_verify": round(t_verify - t_cand, 3),
        "seconds_name": round(t_name - t_verify, 3),
        "seconds": round(time.perf_counter() - t0, 3),
    }
    return build_clustering(
        ids, [g for g, _ in named], dict(enumerate(n for _, n in named)), evidence, partials, cfg,
        [*skipped, *duplicates], stats, [ids[n] for n in empty],
    )  # fmt: skip


def cluster_paths(
    paths: Sequence[str] = (),
    *,
    index: Index | None = None,
    inputs: Sequence[str] = (),
    settings: PairSettings | None = None,
    config: ClusterConfig | None = None,
    on_progress: OnProgress | None = None,
) -> Clustering:
    """Read files, folders, an index and record files and cluster them (unreadable items are
    reported in ``Clustering.skipped``, never dropped silently)."""
    if not paths and index is None and not inputs:
        raise InputError("nothing to cluster: give files or folders, --db or --input")
    settings = settings or CompareConfig()
    skipped: list[str] = []
    docs = iter_input(
        paths, index=index, inputs=inputs, skipped=skipped, encoding=settings.encoding, config=settings.read
    )
    return cluster_documents(docs, settings, config, on_progress, skipped)
