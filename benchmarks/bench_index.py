"""Benchmark the archive index: add throughput, size on disk, find latency, peak memory.

    .venv/bin/python benchmarks/bench_index.py [--n 100000] [--queries 200] [--workers 0] [--db PATH]

Articles (~1100 characters) are generated from the seeds in corpus/: sentences drawn at random and
40% of their characters replaced by characters drawn from the corpus' own frequencies, so that
documents are distinct yet read like the corpus statistically (no network, deterministic by --seed).
Queries are indexed articles rewritten the way a spinner would (15% of characters replaced, paragraphs
reordered) and wrapped in page chrome.

Real-text mode (``--pool ../shared/scale/pool.jsonl.xz``): the corpus of ``bench_cluster.py --pool``
(real passages, site chrome, chrome-only pages); the planted copies are left out of the index and
serve as the queries, each of which should find its original first.

It prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from provcheck.archive.fingerprint import Fingerprinter, shingle_hash
from provcheck.archive.index import Index, IndexConfig
from provcheck.model import Document

ROOT = Path(__file__).resolve().parent.parent


CHROME_HEAD = (
    "新闻中心News\n首页 | 教育 | 职教动态 | 校园风采 | 联系我们\n2024-05-17 22:51:08\n浏览次数:\n返回列表\n"
)
CHROME_FOOT = (
    "\n未经允许不得转载! 转载或复制请以超链接形式并注明出处北方职教资讯网。\n版权所有 © 2024 北方职教资讯网\n"
)


class Generator:
    """Deterministic synthetic articles from the corpus' sentences and character frequencies."""

    def __init__(self, seed: int) -> None:
        text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt")))
        sents = [s.strip() for s in re.split(r"(?<=[。！？!?])|\n", text) if len(s.strip()) >= 8]
        self.sentences = [np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32) for s in sents]
        cjk = np.frombuffer(re.sub(r"[^\u4e00-\u9fff]", "", text).encode("utf-32-le"), dtype=np.uint32)
        self.chars, counts = np.unique(cjk, return_counts=True)
        self.p = counts / counts.sum()
        self.seed = seed

    def article(self, i: int, length: int = 1100) -> str:
        rng = np.random.default_rng((self.seed, i))
        parts: list[np.ndarray] = []
        total = 0
        while total < length:
            s = self.sentences[rng.integers(len(self.sentences))]
            parts.append(s)
            parts.append(np.array([10] if rng.random() < 0.25 else [], dtype=np.uint32))
            total += len(s)
        arr = np.concatenate(parts)
        return _mutate(arr, rng, 0.4, self.chars, self.p)

    def rewrite(self, text: str, i: int) -> str:
        rng = np.random.default_rng((self.seed, i, 1))
        arr = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
        spun = _mutate(arr, rng, 0.15, self.chars, self.p)
        paras = [p for p in spun.split("\n") if p]
        order = rng.permutation(len(paras))
        return CHROME_HEAD + "\n".join(paras[k] for k in order) + CHROME_FOOT


def _mutate(arr: np.ndarray, rng: np.random.Generator, rate: float, chars: np.ndarray, p: np.ndarray) -> str:
    arr = arr.copy()
    cjk = (arr >= 0x4E00) & (arr <= 0x9FFF)
    hit = cjk & (rng.random(len(arr)) < rate)
    arr[hit] = rng.choice(chars, int(hit.sum()), p=p)
    return arr.astype("<u4").tobytes().decode("utf-32-le")


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def evict(db: Path) -> bool:
    """Drop the index file (and its WAL) from the operating system's page cache, so that the next
    queries read it from disk: the cold case. False where the platform cannot."""
    if not hasattr(os, "posix_fadvise"):
        return False
    for name in (str(db), f"{db}-wal"):
        if os.path.exists(name):
            fd = os.open(name, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return True


class Latency:
    """Wall-clock and CPU milliseconds of timed calls, with the load average while they ran."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.load = [os.getloadavg()[0]]

    def time(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        c, t = time.process_time(), time.perf_counter()
        out = fn(*args, **kwargs)
        self.wall.append((time.perf_counter() - t) * 1000)
        self.cpu.append((time.process_time() - c) * 1000)
        return out

    def summary(self) -> str:
        self.load.append(os.getloadavg()[0])
        w, c = sorted(self.wall), sorted(self.cpu)
        return (
            f"wall p50 {percentile(w, 0.5):.1f} ms, p99 {percentile(w, 0.99):.1f} ms; "
            f"CPU p50 {percentile(c, 0.5):.1f} ms, p99 {percentile(c, 0.99):.1f} ms "
            f"({len(w)} queries, load average {min(self.load):.1f}-{max(self.load):.1f} on {os.cpu_count()} cores)"
        )


def percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def bench_hashing(gen: Generator, n: int) -> None:
    from datasketch import MinHash

    fpr = Fingerprinter()
    texts = [gen.article(10_000_000 + i) for i in range(n)]
    fpr.fingerprint(texts[0])  # load the word list and tokenizer first
    feats = [fpr.features(t)["char"] for t in texts]
    clock = time.process_time  # CPU time of this process: other load on the machine does not count
    t0 = clock()
    for f in feats:
        m = MinHash(num_perm=128, seed=1, hashfunc=shingle_hash)
        m.update_batch(f)
    ds = n / (clock() - t0)
    t0 = clock()
    for t in texts:
        fpr._prepared(t)
    prep = clock() - t0
    t0 = clock()
    for t in texts:
        fpr.fingerprint(t)
    ours = n / (clock() - t0)
    char_only = Fingerprinter(type(fpr.config)(kinds=("char",)))
    char_only.fingerprint(texts[0])
    t0 = clock()
    for t in texts:
        char_only.fingerprint(t)
    ours_char = n / (clock() - t0)
    print(f"hashing, one core (CPU time), {n} articles of ~1100 chars:")
    print(f"  datasketch MinHash.update_batch (char 4-grams, shingles given):  {ds:8.0f} docs/s")
    print(
        f"  provcheck char signature (normalize + shingle + MinHash):          {ours_char:8.0f} docs/s  ({ours_char / ds:.1f}x)"
    )
    print(
        f"  provcheck full fingerprint (char + rjieba skeleton, 2 signatures):  {ours:8.0f} docs/s  ({ours / ds:.1f}x)"
    )
    print(f"  of which normalize + tokenize: {prep / n * 1000:.2f} ms/doc")


def bench_pool_fingerprint(texts: list[str]) -> None:
    """Fingerprinting alone on real text, one core (CPU time): one document a call (as ``cluster``
    fingerprints) and a batch a call (as ``index add``'s workers do)."""
    fpr = Fingerprinter()
    fpr.fingerprint(texts[0])  # load the word list and tokenizer first
    t0 = time.process_time()
    for t in texts:
        fpr.fingerprint(t)
    one = time.process_time() - t0
    t0 = time.process_time()
    for lo in range(0, len(texts), 512):
        fpr.fingerprint_many([fpr._prepared(t) for t in texts[lo : lo + 512]])
    many = time.process_time() - t0
    print(
        f"fingerprinting, one core (CPU time), {len(texts)} real documents (normalize + shingle + MinHash):"
    )
    print(
        f"  Fingerprinter.fingerprint, one a call:   {len(texts) / one:8.0f} docs/s ({one / len(texts) * 1000:.3f} ms)"
    )
    print(
        f"  Fingerprinter.fingerprint_many, batches: {len(texts) / many:8.0f} docs/s ({many / len(texts) * 1000:.3f} ms)"
    )


def datasketch_add_cpu(texts: list[str]) -> float:
    """The anchor: CPU seconds (this process) to build datasketch MinHash signatures of each text's
    character 5-grams (white space removed, 128 permutations) and insert them into a
    ``MinHashLSH(threshold=0.7)``, as ``bench_cluster.py`` does."""
    from datasketch import MinHash, MinHashLSH

    space = re.compile(r"\s+")
    t0 = time.process_time()
    lsh = MinHashLSH(threshold=0.7, num_perm=128)
    for i, raw in enumerate(texts):
        text = space.sub("", raw)
        m = MinHash(num_perm=128)
        m.update_batch(list({text[j : j + 5].encode("utf-8") for j in range(max(1, len(text) - 4))}))
        lsh.insert(str(i), m)
    return time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="articles to index")
    ap.add_argument("--queries", type=int, default=200, help="find queries to time")
    ap.add_argument("--workers", type=int, default=0, help="fingerprinting processes (0 = one per core)")
    ap.add_argument("--db", type=Path, default=None, help="index file (default: a temporary file)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--pool", type=Path, help="real-text mode: a pool of articles (../shared/scale/pool.jsonl.xz)"
    )
    args = ap.parse_args()

    gen = Generator(args.seed)
    real: list[tuple[str, str]] = []
    real_queries: list[tuple[str, str]] = []
    if args.pool:
        from benchmarks.realtext import real_corpus

        corpus = real_corpus(args.pool, args.n, seed=args.seed)
        real = [(i, t) for i, t in corpus.docs if corpus.group.get(i, i) == i]
        real_queries = [(i, t) for i, t in corpus.docs if corpus.group.get(i, i) != i][: args.queries]
        args.n = len(real)
        print(f"real text: {len(real)} documents indexed, {len(real_queries)} planted copies as queries")
    else:
        bench_hashing(gen, min(1000, args.n))

    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    cfg = IndexConfig(workers=args.workers)
    docs = (
        (Document(i, t) for i, t in real)
        if real
        else (Document(f"art/{i:07d}.txt", gen.article(i)) for i in range(args.n))
    )
    cpu0, own0 = _cpu(), time.process_time()
    t0 = time.perf_counter()
    with Index(db, cfg) as index:
        last = None
        for last in index.add_iter(docs):
            if last.seen % 10_000 < cfg.batch_size:
                rate = last.seen / (time.perf_counter() - t0)
                print(f"  ... {last.seen} docs, {rate:.0f} docs/s", file=sys.stderr, flush=True)
        add_secs = time.perf_counter() - t0
        add_cpu = _cpu() - cpu0
        main_cpu = time.process_time() - own0
        stats = index.stats()
    size = sum(os.path.getsize(f"{db}{s}") for s in ("", "-wal") if os.path.exists(f"{db}{s}"))
    print(f"index add, {args.n} articles, workers={cfg.workers or os.cpu_count()}:")
    print(f"  {args.n / add_secs:8.0f} docs/s  ({add_secs:.1f} s wall, generation of the articles included)")
    t0 = time.process_time()
    for i in range(0 if real else 2000):
        gen.article(args.n + i)
    gen_cpu = (time.process_time() - t0) / 2000 * args.n if not real else 0.0
    own_cpu = add_cpu - gen_cpu
    print(
        f"  {add_cpu / args.n * 1000:8.2f} ms CPU per doc over all processes -> {2 * args.n / add_cpu:.0f} docs/s on 2 idle cores"
    )
    print(
        f"  {own_cpu / args.n * 1000:8.2f} ms CPU per doc without generating the articles -> {2 * args.n / own_cpu:.0f} docs/s"
    )
    print(
        f"  of which the main process (reading, writing the index): {main_cpu / args.n * 1000:.2f} ms per doc"
    )
    if real:
        ds_cpu = datasketch_add_cpu([t for _, t in real])
        print(
            f"  datasketch anchor (MinHash of char 5-grams, 128 perms, into MinHashLSH at J >= 0.7, one process): "
            f"{ds_cpu / args.n * 1000:.2f} ms CPU per doc ({ds_cpu:.1f} s) -> {2 * args.n / ds_cpu:.0f} docs/s on 2 cores; "
            f"provcheck/datasketch CPU {add_cpu / ds_cpu:.2f}x"
        )
    target = "met" if add_cpu / max(args.n, 1) <= 1e-3 else "not met"
    print(f"  target 2 000 docs/s on 2 idle cores (1.0 ms of CPU a document): {target}")
    print(f"  machine load average at the end: {os.getloadavg()[0]:.1f} (other work shares the 2 cores)")
    print(
        f"  on disk: {size / 1e6:.1f} MB ({size / max(args.n, 1):.0f} bytes/doc), {stats.band_keys} band keys, "
        f"{stats.passage_keys} passage postings ({stats.passage_keys / max(args.n, 1):.0f} a document)"
    )

    rng = np.random.default_rng(args.seed)
    picks = rng.choice(args.n, min(args.queries, args.n), replace=False)
    if real:
        queries = [Document(q, t) for q, t in real_queries]
        want = [q.split("-")[0] + "-original" for q, _ in real_queries]
    else:
        queries = [Document(f"q{i}", gen.rewrite(gen.article(int(i)), int(i))) for i in picks]
        want = [f"art/{int(i):07d}.txt" for i in picks]
    from provcheck.archive.search import Archive

    # cold: the index file dropped from the page cache, a fresh process state, the first queries
    cold = Latency()
    dropped = evict(db)
    with Index(db, create=False, readonly=True) as index:
        index.fingerprinter.fingerprint("预热")  # the word list and tokenizer, not the index
        for q in queries[: min(50, len(queries))]:
            cold.time(index.candidates, q, k=5)
    warm, full = Latency(), Latency()
    hits = 0
    with Index(db, create=False, readonly=True) as index:
        for target, q in zip(want, queries, strict=True):
            cands = warm.time(index.candidates, q, k=5)
            hits += bool(cands) and cands[0].id == target
        archive = Archive(index)
        archive.find(queries[0])
        for q in queries[: min(50, len(queries))]:
            full.time(archive.find, q)
    print(
        f"find, {len(queries)} {'planted copies' if real else 'rewritten + reordered + chrome-wrapped queries'}:"
    )
    print(f"  candidates, warm: {warm.summary()}; recall@1 {hits / len(queries):.3f}")
    if dropped:
        print(f"  candidates, cold (index file evicted from the page cache first): {cold.summary()}")
    print(f"  with alignment re-ranking (archive.find), warm: {full.summary()}")
    own, kids = peak_mb()
    print(f"peak memory: main process {own:.0f} MB, largest worker {kids:.0f} MB")
    if real:
        bench_pool_fingerprint([t for _, t in real[:5000]])
    tmp.cleanup()


if __name__ == "__main__":
    main()
