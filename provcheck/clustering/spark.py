"""The Spark engine of ``provcheck cluster``: the local pipeline's stages as Spark jobs.

* signatures and band keys: ``mapPartitions`` with one :class:`~provcheck.archive.fingerprint.Fingerprinter`
  per partition;
* candidates: band keys grouped by key (buckets over ``max_bucket`` skipped as in
  :func:`provcheck.clustering.result.bucket_pairs`), shared keys counted by ``reduceByKey``, then the same
  signature estimate (:func:`provcheck.clustering.result.pair_estimates`);
* verification on executors: :func:`provcheck.clustering.stages.check_pair` with one :class:`Provcheck` per
  partition (and a small cache of prepared documents);
* connected components: the large-star / small-star iteration (Kiveris et al., 2014) on RDDs;
* naming on executors: :func:`provcheck.clustering.local.name_group` per group.

The driver collects only ids, group memberships and the (small) verification summaries. This is the
only module that imports pyspark.

Run on a cluster with ``spark-submit`` (see README, "Clustering a corpus")::

    spark-submit --master yarn -m provcheck cluster --engine spark --input hdfs:///news.parquet
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from provcheck.archive.index import Index
from provcheck.clustering.candidates import (
    chrome_lines,
    common_lines,
    line_profile,
    line_shares,
    pair_estimates,
    worth_verifying,
)
from provcheck.clustering.config import ClusterConfig, Progress
from provcheck.clustering.evidence import JOINING, Direction, link
from provcheck.clustering.inputs import iter_input
from provcheck.clustering.result import Clustering, Naming, build_clustering
from provcheck.clustering.stages import Prepared, check_pair, chrome_cues, name_group, signature_row
from provcheck.errors import InputError
from provcheck.model import Document
from provcheck.pair.comparer import CompareConfig, PairSettings
from provcheck.text.lexicon import Lexicon
from provcheck.text.read import ReadConfig

__all__ = ["cluster_spark", "components", "session"]

Row = tuple[int, str, str, str, tuple[tuple[str, str], ...]]  # number, id, text, encoding, meta


def session(master: str | None = None) -> Any:
    """The active SparkSession, or a new one (``master`` or ``local[*]`` outside spark-submit)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # pragma: no cover - depends on the install
        raise InputError("--engine spark needs PySpark: pip install 'provcheck[spark]'") from None
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("provcheck-cluster")
    if master:
        builder = builder.master(master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit, which sets the master
        builder = builder.master("local[*]")
    return builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()


# -- input -----------------------------------------------------------------------------------------


def _records_df(spark: Any, path: str, skipped: list[str]) -> Any:
    """A DataFrame (id, text, date) from a Parquet or JSONL file; rows without text are counted out."""
    from pyspark.sql import functions as F

    p = path.lower()
    try:
        if p.endswith(".parquet"):
            df = spark.read.parquet(path)
        elif p.endswith((".jsonl", ".ndjson")):
            df = spark.read.json(path)
        else:
            raise InputError(f"{path}: --input takes .jsonl or .parquet record files")
        columns = df.columns
    except InputError:
        raise
    except Exception as exc:
        first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot read {path}: {first}") from None
    if "text" not in columns:
        raise InputError(f"{path} has no 'text' column (columns: {', '.join(columns)})")
    df = df.withColumn("_row", F.monotonically_increasing_id())
    rid = F.col("id").cast("string") if "id" in columns else F.lit(None).cast("string")
    date = F.col("date").cast("string") if "date" in columns else F.lit(None).cast("string")
    df = df.select(rid.alias("id"), F.col("text").cast("string").alias("text"), date.alias("date"), "_row")
    bad = df.where(F.col("text").isNull() | (F.trim(F.col("text")) == ""))
    for r in bad.limit(1000).collect():
        skipped.append(f"{path} ({r['id'] or 'row ' + str(r['_row'])}): no text")
    extra = bad.count() - min(bad.count(), 1000)
    if extra > 0:
        skipped.append(f"{path}: {extra} more records without text")
    return df.where(F.col("text").isNotNull() & (F.trim(F.col("text")) != ""))


def _load(
    spark: Any,
    paths: Sequence[str],
    index: Index | None,
    inputs: Sequence[str],
    skipped: list[str],
    encoding: str | None,
    read: ReadConfig | None = None,
) -> Any:
    """An RDD of :data:`Row`, numbered in input order."""
    sc = spark.sparkContext
    parts: list[Any] = []
    local = list(paths)
    if local or index is not None:
        docs = [
            (d.id, d.text, d.encoding, d.meta)
            for d in iter_input(local, index=index, skipped=skipped, encoding=encoding, config=read)
        ]
        parts.append(sc.parallelize(docs, max(2, sc.defaultParallelism)))
    for path in inputs:
        if not Path(path).exists() and "://" not in path:
            raise InputError(f"{path}: no such file")
        df = _records_df(spark, path, skipped).orderBy("_row")
        name = str(path)
        parts.append(
            df.rdd.map(
                lambda r, name=name: (
                    r["id"] or f"{name}:{r['_row'] + 1}",
                    r["text"],
                    "utf-8",
                    (("date", r["date"]),) if r["date"] else (),
                )
            )
        )
    if not parts:
        raise InputError("nothing to cluster: give files or folders, --db or --input")
    rdd = parts[0] if len(parts) == 1 else sc.union(parts)
    return rdd.zipWithIndex().map(lambda x: (x[1], *x[0]))


def _doc(row: Row) -> Document:
    from provcheck.text.read import document_from_text

    _, doc_id, text, encoding, meta = row
    return document_from_text(text, doc_id, encoding, dict(meta))


# -- stages run on executors -----------------------------------------------------------------------


def _signatures(
    settings: PairSettings, config: ClusterConfig, chrome: Any
) -> Callable[[Iterable[Row]], Iterator[tuple[int, Any]]]:
    def run(rows: Iterable[Row]) -> Iterator[tuple[int, Any]]:
        from provcheck.archive.fingerprint import Fingerprinter
        from provcheck.text.normalize import Normalizer

        fpr = Fingerprinter(config.fingerprint, Normalizer(settings.normalize))
        cues = chrome_cues()
        for row in rows:
            values, sizes, keys = signature_row(fpr, _doc(row), chrome.value, config.min_content, cues)
            yield row[0], (np.stack(values), np.array(sizes, dtype=np.int64), keys)

    return run


def _verify(
    settings: PairSettings, config: ClusterConfig, common: Any
) -> Callable[[Iterable[Any]], Iterator[Any]]:
    def run(items: Iterable[Any]) -> Iterator[Any]:
        from provcheck.pair.comparer import Provcheck

        pc = Provcheck(settings)
        chrome = common.value
        cache: dict[int, Prepared] = {}  # prepared documents: a partition's pairs share documents

        def prepared(row: Row) -> Prepared:
            seg = cache.pop(row[0], None) or Prepared(pc, _doc(row))
            cache[row[0]] = seg
            if len(cache) > 256:
                cache.pop(next(iter(cache)))
            return seg

        for (a, b), ((ra, est), rb) in items:
            if not worth_verifying(est, ra[2], rb[2], chrome, config):
                yield a, b, ra[1], rb[1], "dropped", 0.0, None, None
                continue
            ab, ba = check_pair(pc, prepared(ra), prepared(rb), est, config)
            rel, score = link(ab, ba, config)
            yield a, b, ra[1], rb[1], rel, score, ab, ba

    return run


def _name(
    settings: PairSettings, config: ClusterConfig, common: Any
) -> Callable[[Iterable[Any]], Iterator[Any]]:
    def run(groups: Iterable[Any]) -> Iterator[Any]:
        from provcheck.pair.comparer import Provcheck

        pc = Provcheck(settings)
        freq = Lexicon()
        for label, (rows, known) in groups:
            docs = {r[1]: _doc(r) for r in rows}
            found, evidence = name_group(pc, docs, dict(known), config, freq, common.value)
            yield label, found, evidence

    return run


def _bucket(item: tuple[int, Iterable[int]], config: ClusterConfig) -> Iterator[tuple[tuple[int, int], int]]:
    members = sorted(set(item[1]))
    if len(members) < 2 or len(members) > config.max_bucket:
        return
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            yield (a, b), 1


def _estimate(item: Any, config: ClusterConfig) -> tuple[tuple[int, int], float]:
    (a, b), ((va, sa, _ka), (vb, sb, _kb)) = item
    kinds = va.shape[0]
    values = [np.stack([va[k], vb[k]]) for k in range(kinds)]
    est = pair_estimates(values, np.stack([sa, sb]), np.array([[0, 1]]), config)
    return (a, b), float(est[0])


# -- connected components: large-star / small-star -------------------------------------------------


def _large_star(item: tuple[int, Iterable[int]]) -> Iterator[tuple[int, int]]:
    u, nbrs = item
    ns = set(nbrs)
    m = min(ns | {u})
    for v in ns:
        if v > u:
            yield v, m


def _small_star(item: tuple[int, Iterable[int]]) -> Iterator[tuple[int, int]]:
    u, nbrs = item
    ns = set(nbrs) | {u}
    m = min(ns)
    for v in ns:
        if v != m:
            yield v, m


def components(edges: Any, max_rounds: int = 50) -> Any:
    """Connected components of an RDD of ``(a, b)`` edges: an RDD of ``(node, label)`` with label the
    smallest node of the component (components without edges are absent).

    Alternates large-star and small-star until the edge set stops changing (logarithmic rounds)."""
    current = edges.filter(lambda e: e[0] != e[1]).map(lambda e: (max(e), min(e))).distinct().cache()
    for _ in range(max_rounds):
        both = current.flatMap(lambda e: [(e[0], e[1]), (e[1], e[0])])
        large = both.groupByKey().flatMap(_large_star).distinct()
        small = large.groupByKey().flatMap(_small_star).distinct().cache()
        changed = small.subtract(current).isEmpty() and current.subtract(small).isEmpty()
        current.unpersist()
        current = small
        if changed:
            break
    else:  # pragma: no cover - logarithmic in practice
        raise InputError(f"connected components did not converge in {max_rounds} rounds")
    labels = current.flatMap(lambda e: [(e[0], e[1]), (e[1], e[1])]).distinct()
    return labels


# -- the pipeline ----------------------------------------------------------------------------------


def cluster_spark(
    paths: Sequence[str] = (),
    *,
    index: Index | None = None,
    inputs: Sequence[str] = (),
    settings: PairSettings | None = None,
    config: ClusterConfig | None = None,
    master: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    spark: Any = None,
) -> Clustering:
    """Cluster on Spark; gives the same groups and originals as :func:`provcheck.clustering.local.cluster_paths`."""
    settings = settings or CompareConfig()
    cfg = config or ClusterConfig()
    report = on_progress or (lambda p: None)
    spark = spark or session(master)
    t0 = time.perf_counter()
    skipped: list[str] = []
    rows = _load(spark, paths, index, inputs, skipped, settings.encoding, settings.read)
    rows = rows.persist()
    try:
        return _run(rows, settings, cfg, report, skipped, t0)
    finally:
        rows.unpersist()


def _run(
    rows: Any,
    settings: PairSettings,
    cfg: ClusterConfig,
    report: Callable[[Progress], None],
    skipped: list[str],
    t0: float,
) -> Clustering:
    from pyspark import StorageLevel

    id_rows = rows.map(lambda r: (r[0], r[1])).collect()
    id_rows.sort()
    ids: list[str] = []
    seen: set[str] = set()
    later: list[int] = []  # a repeated id: the later copy is ignored, as the local engine does
    for number, doc_id in id_rows:
        if doc_id in seen:
            later.append(number)
            skipped.append(f"{doc_id}: duplicate id (an earlier document has it); ids must be unique")
            continue
        seen.add(doc_id)
        ids.append(doc_id)
    if later:  # renumber 0..n-1 in input order, as the local engine numbers documents
        gone = frozenset(later)
        ranks = rows.context.broadcast({n: k for k, n in enumerate(n for n, _ in id_rows if n not in gone)})
        rows = rows.filter(lambda r: r[0] in ranks.value).map(lambda r: (ranks.value[r[0]], *r[1:]))
    rows = rows.persist()
    report(Progress("read", len(ids), len(ids)))
    by_number = rows.map(lambda r: (r[0], r))

    # the corpus's chrome: lines on many pages that hold content of their own
    profiles = rows.map(lambda r: line_profile(r[2])).persist(StorageLevel.MEMORY_AND_DISK)
    counts = dict(
        profiles.flatMap(lambda p: [(k, 1) for k in {k for k, _ in p}])
        .reduceByKey(lambda x, y: x + y)
        .collect()
    )
    common = rows.context.broadcast(common_lines(counts, cfg))
    shares = dict(
        profiles.flatMap(lambda p: line_shares(p, common.value)).reduceByKey(lambda x, y: x + y).collect()
    )
    profiles.unpersist()
    chrome = rows.context.broadcast(chrome_lines(counts, shares, cfg))
    t_read = time.perf_counter()

    sigs = rows.mapPartitions(_signatures(settings, cfg, chrome)).persist(StorageLevel.MEMORY_AND_DISK)
    empty = sorted(sigs.filter(lambda x: len(x[1][2]) == 0).keys().collect())
    keys = sigs.flatMap(lambda x: [(int(k), x[0]) for k in x[1][2]])
    shared = keys.groupByKey().flatMap(lambda item: _bucket(item, cfg)).reduceByKey(lambda x, y: x + y)
    pairs = shared.filter(lambda kv: kv[1] >= cfg.min_shared_keys).map(lambda kv: kv[0])
    sig_by = sigs.map(lambda x: (x[0], x[1]))
    with_a = pairs.map(lambda p: (p[0], p[1])).join(sig_by).map(lambda x: (x[1][0], (x[0], x[1][1])))
    with_b = with_a.join(sig_by).map(lambda x: ((x[1][0][0], x[0]), (x[1][0][1], x[1][1])))
    candidates = (
        with_b.map(lambda item: _estimate(item, cfg)).filter(lambda kv: kv[1] >= cfg.min_estimate).persist()
    )
    n_candidates = candidates.count()
    report(Progress("candidates", n_candidates, n_candidates))
    t_cand = time.perf_counter()

    texts_a = (
        candidates.map(lambda kv: (kv[0][0], (kv[0][1], kv[1])))
        .join(by_number)
        .map(lambda x: (x[1][0][0], (x[0], x[1][0][1], x[1][1])))
    )
    texts_ab = texts_a.join(by_number).map(
        lambda x: ((x[1][0][0], x[0]), ((x[1][0][2], x[1][0][1]), x[1][1]))
    )
    checked = texts_ab.mapPartitions(_verify(settings, cfg, chrome)).persist(StorageLevel.MEMORY_AND_DISK)
    verified = checked.filter(lambda v: v[4] != "dropped")
    joining = verified.filter(lambda v: v[4] in JOINING)
    partials = [(v[2], v[3], v[5]) for v in verified.filter(lambda v: v[4] == "partial").collect()]
    n_verified = verified.count()
    n_dropped = checked.count() - n_verified
    report(Progress("verify", n_verified, n_verified))
    t_verify = time.perf_counter()

    labels = components(joining.map(lambda v: (v[0], v[1]))).persist()
    # group -> (member rows, verified evidence among members)
    members = labels.join(by_number).map(lambda x: (x[1][0], x[1][1]))
    edge_ev = (
        joining.map(lambda v: (v[0], ((v[2], v[3]), (v[6], v[7]))))
        .join(labels)
        .map(lambda x: (x[1][1], x[1][0]))
    )
    grouped = members.groupByKey().mapValues(list).leftOuterJoin(edge_ev.groupByKey().mapValues(list))
    tasks = grouped.map(lambda x: (x[0], (x[1][0], x[1][1] or [])))
    named = tasks.mapPartitions(_name(settings, cfg, chrome)).collect()
    report(Progress("name", len(named), len(named)))
    t_name = time.perf_counter()
    labels.unpersist()
    checked.unpersist()
    candidates.unpersist()
    sigs.unpersist()
    rows.unpersist()

    found = sorted((g for _, gs, _ in named for g in gs), key=lambda g: g[0][0])
    groups = [members for members, _ in found]
    namings: dict[int, Naming] = {k: naming for k, (_, naming) in enumerate(found)}
    evidence: dict[tuple[str, str], tuple[Direction, Direction]] = {}
    for _, _, ev in named:
        evidence.update(ev)
    stats = {
        "documents": len(ids),
        "empty": len(empty),
        "candidates": n_candidates,
        "verified": n_verified,
        "dropped_chrome_only": n_dropped,
        "groups": len(groups),
        "grouped_documents": sum(len(g) for g in groups),
        "seconds_read": round(t_read - t0, 3),
        "seconds_candidates": round(t_cand - t_read, 3),
        "seconds_verify": round(t_verify - t_cand, 3),
        "seconds_name": round(t_name - t_verify, 3),
        "seconds": round(time.perf_counter() - t0, 3),
    }
    return build_clustering(
        ids, groups, namings, evidence, partials, cfg, skipped, stats, [ids[n] for n in empty]
    )
