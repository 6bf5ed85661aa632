"""The local clustering pipeline: stream documents -> fingerprints -> LSH candidates -> verify each
candidate with :meth:`Provcheck.compare` both ways -> union-find groups -> name each group's original.

Memory stays bounded by the number of documents, not their size: texts go to a spill file as they
are read, only ids, signatures and band keys stay in memory, and texts are read back for
verification. The same stage functions (:mod:`provcheck.cluster`) and the same verification
(:func:`verify_pair`, :func:`name_group`) run on Spark executors in :mod:`provcheck.spark`.

>>> result = cluster_paths(["corpus"])
>>> [(sorted(m.id[-24:-21] for m in g.members), g.original[-24:-21]) for g in result.groups]
[(['000', '001'], '001')]
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .api import Provcheck, Settings
from .cluster import (
    ClusterConfig,
    Clustering,
    Direction,
    Naming,
    Progress,
    UnionFind,
    bucket_pairs,
    build_clustering,
    common_lines,
    content_grams,
    line_keys,
    link_of,
    pair_estimates,
    summarize,
    worth_verifying,
)
from .errors import InputError, ProvcheckError
from .fingerprint import Fingerprinter, band_keys
from .inputs import Spill, iter_input, iter_jsonl, iter_parquet, read_spilled
from .model import Document, Segmented
from .normalize import Normalizer
from .origin import WordFreq, name_original, naming_pairs

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
    "write_report_dir",
]

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


def signature_row(fpr: Fingerprinter, doc: Document) -> tuple[list[np.ndarray], tuple[int, ...], np.ndarray]:
    """One document's signature values (per kind), set sizes and all band keys."""
    fp = fpr.fingerprint(doc)
    values = [s.values for s in fp.signatures]
    sizes = tuple(s.size for s in fp.signatures)
    keys = np.concatenate([band_keys(s, fpr.config) for s in fp.signatures])
    return values, sizes, keys


# -- verification and naming (shared with the Spark engine) -----------------------------------------


def verify_pair(pc: Provcheck, a: Document | Segmented, b: Document | Segmented, config: ClusterConfig) -> tuple[Direction, Direction]:
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


# -- worker processes ------------------------------------------------------------------------------


class Worker:
    """Everything one process needs to fingerprint, verify and name: a comparison session, a
    fingerprinter and a reader of the spill file. The main process owns one; each pool process
    builds its own in the initializer."""

    def __init__(
        self, settings: Settings, config: ClusterConfig, spill_path: str, offsets: list[int] | None, common: frozenset[int] = frozenset()
    ) -> None:
        self.pc = Provcheck(settings)
        self.common = common
        self.fpr = Fingerprinter(config.fingerprint, Normalizer(settings.normalize))
        self.config = config
        self.path = spill_path
        self.offsets = offsets or []
        self.freq = WordFreq()
        self._r: Any = None
        self._cache: dict[int, Segmented] = {}

    def doc(self, n: int) -> Document:
        return read_spilled(self.path, self.offsets[n], self)

    def prepared(self, n: int) -> Segmented:
        """Document ``n`` normalized and segmented, from a small cache (pairs come in runs)."""
        seg = self._cache.pop(n, None)
        if seg is None:
            seg = self.pc.prepare(self.doc(n))
        self._cache[n] = seg
        if len(self._cache) > 256:
            self._cache.pop(next(iter(self._cache)))
        return seg

    def signatures(self, docs: list[Document]) -> list[tuple[list[np.ndarray], tuple[int, ...], np.ndarray]]:
        return [signature_row(self.fpr, d) for d in docs]

    def verify(self, pairs: list[tuple[int, int, float]]) -> list[tuple[int, int, Direction, Direction] | None]:
        """Verify each ``(i, j, estimate)``; None for a pair the cheap check drops (shared chrome only)."""
        out: list[tuple[int, int, Direction, Direction] | None] = []
        for i, j, est in pairs:
            a, b = self.prepared(i), self.prepared(j)
            if not worth_verifying(est, a.doc.text, b.doc.text, self.common, self.config):
                out.append(None)
                continue
            out.append((i, j, *verify_pair(self.pc, a, b, self.config)))
        return out

    def name(self, task: tuple[list[int], Evidence]) -> tuple[Naming, Evidence]:
        members, known = task
        docs = {s.doc.id: s for s in (self.prepared(n) for n in members)}
        return name_group(self.pc, docs, known, self.config, self.freq, self.common)

    def close(self) -> None:
        if self._r is not None:
            self._r.close()
            self._r = None


# The pool initializer sets this in each worker process (process-local, never in the parent).
_pool_worker: list[Worker] = []


def _init_worker(
    settings: Settings, config: ClusterConfig, spill_path: str, offsets: list[int] | None, common: frozenset[int] = frozenset()
) -> None:
    _pool_worker[:] = [Worker(settings, config, spill_path, offsets, common)]


def _w_signatures(docs: list[Document]) -> list[tuple[list[np.ndarray], tuple[int, ...], np.ndarray]]:
    return _pool_worker[0].signatures(docs)


def _w_verify(pairs: list[tuple[int, int, float]]) -> list[tuple[int, int, Direction, Direction] | None]:
    return _pool_worker[0].verify(pairs)


def _w_name(task: tuple[list[int], Evidence]) -> tuple[Naming, Evidence]:
    return _pool_worker[0].name(task)


# -- the pipeline ----------------------------------------------------------------------------------


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
    settings: Settings | None = None,
    config: ClusterConfig | None = None,
    on_progress: OnProgress | None = None,
    skipped: Sequence[str] | list[str] = (),
) -> Clustering:
    """Group copies among ``docs`` (streamed once) and name each group's original.

    ``skipped`` is the list the reader appends unreadable records to; it is read at the end, so
    pass the same list object the reader fills."""
    settings = settings or Settings()
    cfg = config or ClusterConfig()
    report = on_progress or (lambda p: None)
    t0 = time.perf_counter()
    workers = cfg.workers or (os.cpu_count() or 1)
    pool: Any = None
    local: Worker | None = None
    ids: list[str] = []
    seen: set[str] = set()
    duplicates: list[str] = []
    line_docs: dict[int, int] = {}  # line key -> documents holding it (to tell a corpus's chrome)
    spill = Spill()
    try:
        fpr = Fingerprinter(cfg.fingerprint, Normalizer(settings.normalize))
        sigs = Signatures(cfg.fingerprint.kinds, cfg.fingerprint.num_perm)
        pending: deque[tuple[list[Document], Any]] = deque()  # batches being fingerprinted by the pool

        def take(fresh: list[Document], rows: list[Any]) -> None:
            for d, row in zip(fresh, rows, strict=True):
                sigs.add(row)
                spill.add(d)
                ids.append(d.id)
                for key in line_keys(d.text):
                    line_docs[key] = line_docs.get(key, 0) + 1
            report(Progress("read", len(ids)))

        def drain(keep: int) -> None:
            while len(pending) > keep:
                fresh, job = pending.popleft()
                take(fresh, [r for part in job.get() for r in part])

        for batch in _batches(docs, cfg.batch_size):
            fresh = []
            for d in batch:
                if d.id in seen:
                    duplicates.append(f"{d.id}: duplicate id, later copy ignored")
                    continue
                seen.add(d.id)
                fresh.append(d)
            if pool is None and workers > 1 and len(seen) > 4 * cfg.batch_size:
                pool = multiprocessing.get_context("fork").Pool(workers, _init_worker, (settings, cfg, spill.path, None))
            if pool is None:
                take(fresh, [signature_row(fpr, d) for d in fresh])
                continue
            # keep two batches in flight, so the workers fingerprint while this process reads and spills
            step = -(-len(fresh) // workers)
            pending.append((fresh, pool.map_async(_w_signatures, [fresh[i : i + step] for i in range(0, len(fresh), step)])))
            drain(2)
        drain(0)
        spill.flush()
        t_read = time.perf_counter()
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

        if pool is not None:
            pool.terminate()
            pool = None
        offsets = spill.offsets()
        common = common_lines(line_docs, cfg)
        line_docs.clear()
        local = Worker(settings, cfg, spill.path, offsets, common)
        if workers > 1 and len(pairs) > 64:
            pool = multiprocessing.get_context("fork").Pool(workers, _init_worker, (settings, cfg, spill.path, offsets, common))

        uf = UnionFind(len(ids))
        evidence: Evidence = {}
        partials: list[tuple[str, str, float]] = []
        verified = dropped = 0
        done = 0
        plist = [(int(a), int(b), float(e)) for (a, b), e in zip(pairs, est[order], strict=True)]
        chunk = max(8, cfg.batch_size // 8)
        for batch in _batches(plist, cfg.batch_size):
            todo = [(a, b, e) for a, b, e in batch if not uf.connected(a, b)]
            if pool is not None and len(todo) > 16:
                parts = [todo[i : i + chunk] for i in range(0, len(todo), chunk)]
                results = [r for part in pool.imap(_w_verify, parts) for r in part]
            else:
                results = local.verify(todo)
            for result in results:
                if result is None:
                    dropped += 1
                    continue
                i, j, ab, ba = result
                verified += 1
                rel, score = link_of(ab, ba, cfg.min_join_score)
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
        namings: dict[int, Naming] = {}
        if pool is not None and len(tasks) > 4:
            results_iter: Iterator[tuple[Naming, Evidence]] = pool.imap(_w_name, tasks, chunksize=4)
        else:
            results_iter = map(local.name, tasks)
        for k, (naming, ev) in enumerate(results_iter):
            namings[k] = naming
            evidence.update(ev)
            report(Progress("name", k + 1, len(tasks)))
        t_name = time.perf_counter()
    finally:
        if pool is not None:
            pool.terminate()
        if local is not None:
            local.close()
        spill.close()
    stats = {
        "documents": len(ids),
        "candidates": len(pairs),
        "verified": verified,
        "dropped_chrome_only": dropped,
        "groups": len(groups),
        "grouped_documents": sum(len(g) for g in groups),
        "seconds_read": round(t_read - t0, 3),
        "seconds_candidates": round(t_cand - t_read, 3),
        "seconds_verify": round(t_verify - t_cand, 3),
        "seconds_name": round(t_name - t_verify, 3),
        "seconds": round(time.perf_counter() - t0, 3),
    }
    return build_clustering(
        ids, [[ids[n] for n in g] for g in groups], namings, evidence, partials, cfg,
        [*skipped, *duplicates], stats,
    )  # fmt: skip


def cluster_paths(
    paths: Sequence[str] = (),
    *,
    db: str | Path | None = None,
    inputs: Sequence[str] = (),
    settings: Settings | None = None,
    config: ClusterConfig | None = None,
    on_progress: OnProgress | None = None,
) -> Clustering:
    """Read files, folders, an index and record files and cluster them (unreadable items are
    reported in ``Clustering.skipped``, never dropped silently)."""
    if not paths and db is None and not inputs:
        raise InputError("nothing to cluster: give files or folders, --db or --input")
    settings = settings or Settings()
    skipped: list[str] = []
    docs = iter_input(paths, db=db, inputs=inputs, skipped=skipped, encoding=settings.encoding)
    return cluster_documents(docs, settings, config, on_progress, skipped)


def write_report_dir(
    result: Clustering,
    docs: Iterable[Document],
    out: str | Path,
    settings: Settings | None = None,
    on_progress: OnProgress | None = None,
) -> Path:
    """Write ``clusters.json``, ``clusters.csv``, ``index.html`` (the overview) and one compare report
    per member against its group's original (``members/gNNNN-K.html``) into ``out``.

    ``docs`` streams the same input again; only grouped documents are kept, on disk."""
    from .report.htmlpage import render_html
    from .report.overview import clustering_to_csv, clustering_to_json, render_overview

    report = on_progress or (lambda p: None)
    root = Path(out)
    pages: dict[str, str] = {}
    try:
        (root / "members").mkdir(parents=True, exist_ok=True)
        wanted = {m.id for g in result.groups for m in g.members}
        pc = Provcheck(settings or Settings())
        with Spill() as spill:
            where: dict[str, int] = {}
            for d in docs:
                if d.id in wanted and d.id not in where:
                    where[d.id] = spill.add(d)
            spill.flush()
            total = sum(len(g.members) - 1 for g in result.groups)
            done = 0
            for g in result.groups:
                if g.original not in where:
                    continue
                original = pc.prepare(spill.get(where[g.original]))
                for k, m in enumerate(g.members[1:], 1):
                    if m.id not in where:
                        continue
                    name = f"members/g{g.id:04d}-{k}.html"
                    page = render_html(pc.compare(original, spill.get(where[m.id])), back_href=f"../index.html#g{g.id}")
                    (root / name).write_text(page, encoding="utf-8")
                    pages[m.id] = name
                    done += 1
                    report(Progress("write", done, total))
        (root / "clusters.json").write_text(clustering_to_json(result) + "\n", encoding="utf-8")
        (root / "clusters.csv").write_text(clustering_to_csv(result), encoding="utf-8")
        (root / "index.html").write_text(render_overview(result, pages), encoding="utf-8")
    except OSError as exc:
        raise ProvcheckError(f"cannot write {root}: {exc.strerror or exc}") from None
    return root
