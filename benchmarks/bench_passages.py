"""Benchmark passage search: is the source of a short quoted passage (or of each part of a patchwork)
found in the top 5 of ``find``, and how fast.

    .venv/bin/python -m benchmarks.bench_passages ../shared/scale/pool.jsonl.xz [--n 100000] [--queries 200]
    # search an index built before by the same command (--db FILE) without adding again:
    .venv/bin/python -m benchmarks.bench_passages ../shared/scale/pool.jsonl.xz --db FILE --reuse --no-anchor

The archive holds the real articles of the pool (People's Daily 1998, BBC News, ...) less a held-out
fifth of the People's Daily articles, which serve as host texts. Up to ``--n`` documents it is filled
with *mutated* copies of real articles: half of their CJK characters and Latin words replaced by
others drawn from the pool's own frequencies, paragraphs shuffled, so the filler reads like the pool
statistically, shares its stock phrases and near-duplicates its topics, but is nobody's source.

Cases (sources: indexed People's Daily articles; every query once per case, ``--queries`` of each):

- ``verbatim L``: L characters of a source article, cut at a random place, inserted verbatim at a
  paragraph break in the middle of a held-out host article;
- ``spun 250``: 250 characters spun lightly before insertion: one common word (jieba dictionary
  frequency >= 100) in four replaced by another common word of the same length, as a spinner swaps
  synonyms;
- ``patchwork``: three 300-character passages of three source articles, one after another; found
  when all three sources are in the top 5.

Also printed: index size with and without passage keys (the growth), ``find`` latency (p50/p99, with
and without alignment; with alignment twice, taking turns on every query: every candidate diagnosed,
as before screening, and screened, candidates that cannot be related left undiagnosed and stored
documents kept prepared between queries), and the anchor row: datasketch MinHashLSH over the character 5-grams of the
same documents (threshold 0.3), queried with each suspect's 5-grams. It prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from benchmarks.bench_index import Latency, evict, percentile
from benchmarks.bench_index import _cpu as cpu_seconds
from provcheck.api import Settings
from provcheck.archive.index import Index, IndexConfig
from provcheck.archive.search import Archive
from provcheck.model import Document
from provcheck.pair.comparer import Provcheck
from provcheck.text.lexicon import Lexicon

CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]+")
_CONTENT = re.compile(r"[\W_]+")


def load_pool(path: str) -> list[dict[str, str]]:
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


class Mutator:
    """Filler articles: a real article with half its CJK characters and Latin words replaced."""

    def __init__(self, texts: list[str], seed: int) -> None:
        chars = Counter(c for t in texts for c in CJK.findall(t))
        words = Counter(w for t in texts for w in WORD.findall(t))
        self.chars = np.array([ord(c) for c in chars], dtype=np.uint32)
        self.cp = np.array(list(chars.values()), dtype=float) / sum(chars.values())
        self.words, self.ww = list(words), list(words.values())
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)

    def mutate(self, text: str, rate: float = 0.5) -> str:
        arr = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
        hit = (arr >= 0x4E00) & (arr <= 0x9FFF) & (self.np.random(len(arr)) < rate)
        arr[hit] = self.np.choice(self.chars, int(hit.sum()), p=self.cp)
        out = arr.tobytes().decode("utf-32-le")
        swaps = iter(self.rng.choices(self.words, self.ww, k=len(WORD.findall(out))))
        out = WORD.sub(lambda m: next(swaps) if self.rng.random() < rate else m.group(0), out)
        paras = [p for p in out.split("\n") if p.strip()]
        self.rng.shuffle(paras)
        return "\n".join(paras)


class Spinner:
    """Light spinning: one common word in ``1/every`` swapped for another common word of its length."""

    def __init__(self, seed: int, every: int = 4) -> None:
        self.lexicon = Lexicon()
        common = [w for w, n in self.lexicon.frequencies().items() if n >= 100 and CJK.fullmatch(w[0])]
        self.by_len: dict[int, list[str]] = {}
        for w in common:
            if all(CJK.fullmatch(c) for c in w):
                self.by_len.setdefault(len(w), []).append(w)
        self.common = set(common)
        self.rng = random.Random(seed)
        self.every = every

    def spin(self, text: str) -> str:
        out = []
        for tok in self.lexicon.cut(text):
            if tok in self.common and len(tok) in self.by_len and self.rng.random() < 1 / self.every:
                tok = self.rng.choice(self.by_len[len(tok)])
            out.append(tok)
        return "".join(out)


def insert_middle(host: str, passage: str) -> str:
    """``passage`` as a paragraph of its own at the line break nearest the middle of ``host``."""
    cut = host.find("\n", len(host) // 2)
    cut = len(host) if cut < 0 else cut
    return host[:cut] + "\n" + passage + "\n" + host[cut:]


def cut_passage(text: str, length: int, rng: random.Random) -> str:
    """``length`` characters of ``text`` starting anywhere (line breaks inside become spaces)."""
    start = rng.randrange(0, max(1, len(text) - length))
    return text[start : start + length].replace("\n", "")


def build_cases(
    sources: list[Document], hosts: list[str], queries: int, seed: int
) -> dict[str, list[tuple[Document, tuple[str, ...]]]]:
    rng = random.Random(seed)
    spinner = Spinner(seed)
    cases: dict[str, list[tuple[Document, tuple[str, ...]]]] = {}
    for name, length, spun in (("verbatim 60", 60, False), ("verbatim 120", 120, False),
                               ("verbatim 250", 250, False), ("spun 250", 250, True)):  # fmt: skip
        rows = []
        for q in range(queries):
            src = rng.choice(sources)
            passage = cut_passage(src.text, length, rng)
            if spun:
                passage = spinner.spin(passage)
            text = insert_middle(rng.choice(hosts), passage)
            rows.append((Document(f"q/{name}/{q}", text), (src.id,)))
        cases[name] = rows
    rows = []
    for q in range(queries):
        picked = rng.sample(sources, 3)
        text = "\n".join(cut_passage(s.text, 300, rng) for s in picked)
        rows.append((Document(f"q/patchwork/{q}", text), tuple(s.id for s in picked)))
    cases["patchwork 3x300"] = rows
    return cases


def run_find(
    archives: dict[str, Archive], cases: dict[str, list[tuple[Document, tuple[str, ...]]]]
) -> tuple[dict[str, dict[str, float]], dict[str, Latency], Latency]:
    """Recall and latency of each archive's ``find``, the archives taking turns on every query (so
    they share the load and the page cache), and of the candidate search alone."""
    recall: dict[str, dict[str, float]] = {label: {} for label in archives}
    full = {label: Latency() for label in archives}
    cands = Latency()
    index = next(iter(archives.values())).index
    for name, rows in cases.items():
        hits = dict.fromkeys(archives, 0)
        for doc, wanted in rows:
            cands.time(index.candidates, doc, k=5)
            for label, archive in archives.items():
                found = {m.id for m in full[label].time(archive.find, doc, k=5).matches}
                hits[label] += all(w in found for w in wanted)
        for label in archives:
            recall[label][name] = hits[label] / len(rows)
    return recall, full, cands


def run_datasketch(
    docs: list[Document], cases: dict[str, list[tuple[Document, tuple[str, ...]]]]
) -> tuple[dict[str, float], float]:
    from datasketch import MinHash, MinHashLSH

    def sig(text: str) -> MinHash:
        content = _CONTENT.sub("", text.lower())
        m = MinHash(num_perm=128, seed=1)
        m.update_batch([content[i : i + 5].encode("utf-8") for i in range(max(1, len(content) - 4))])
        return m

    t = time.perf_counter()
    lsh = MinHashLSH(threshold=0.3, num_perm=128)
    for d in docs:
        lsh.insert(d.id, sig(d.text))
    build = time.perf_counter() - t
    recall = {}
    for name, rows in cases.items():
        hit = sum(all(w in set(lsh.query(sig(doc.text))) for w in wanted) for doc, wanted in rows)
        recall[name] = hit / len(rows)
    return recall, build


def db_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def build_index(db: Path, docs: list[Document], cfg: IndexConfig, tmp: Path) -> None:
    """Add ``docs`` to a new index at ``db``; print the time, the size and the growth passage keys cause."""
    t, cpu = time.perf_counter(), cpu_seconds()
    with Index(db, cfg) as index:
        index.add(docs)
        build = time.perf_counter() - t
        stats = index.stats()
    cpu = cpu_seconds() - cpu
    size = db_bytes(db)
    print(f"index: {build:.0f} s to add ({len(docs) / build:.0f} docs/s of wall time, load average "
          f"{os.getloadavg()[0]:.1f} at the end); {1000 * cpu / len(docs):.2f} ms CPU a document over all "
          f"processes -> {2 * len(docs) / cpu:.0f} docs/s on 2 idle cores; {size / 1e6:.0f} MB, "
          f"{stats.band_keys} band keys, {stats.passage_keys} passage postings "
          f"({stats.passage_keys / len(docs):.0f} a document)", flush=True)  # fmt: skip
    # the growth: the same index without the passage tables
    slim = tmp / "slim.db"
    import sqlite3  # measuring the file, not using the index

    src = sqlite3.connect(str(db))
    src.execute(f"VACUUM INTO '{slim}'")
    src.close()
    con = sqlite3.connect(str(slim))
    full_size = slim.stat().st_size
    con.execute("DELETE FROM passages")
    con.execute("DELETE FROM passage_keys")
    con.commit()
    con.execute("VACUUM")
    con.close()
    base = slim.stat().st_size
    print(f"growth: {base / 1e6:.0f} MB without passage keys -> {full_size / 1e6:.0f} MB with "
          f"(+{(full_size - base) / 1e6:.0f} MB, +{100 * (full_size - base) / base:.0f}%, "
          f"{(full_size - base) / len(docs):.0f} bytes a document), vacuumed", flush=True)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pool", help="the pool of real articles (JSONL, .xz), e.g. ../shared/scale/pool.jsonl.xz")
    ap.add_argument("--n", type=int, default=100_000, help="documents in the archive (real + filler)")
    ap.add_argument("--queries", type=int, default=200, help="queries per case")
    ap.add_argument("--workers", type=int, default=0, help="fingerprinting processes (0 = one per core)")
    ap.add_argument("--db", type=Path, default=None, help="index file (default: a temporary file)")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="search the --db index as it is when it holds the --n documents of this build (no add, no growth figures)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-anchor", action="store_true", help="skip the datasketch row")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    pool = load_pool(args.pool)
    pd = [r for r in pool if r["source"].startswith("peoples-daily") and len(r["text"]) >= 500]
    rng.shuffle(pd)
    held = {r["id"] for r in pd[: len(pd) // 5]}
    hosts = [r["text"] for r in pd[: len(pd) // 5]]
    real = [Document(r["id"], r["text"]) for r in pool if r["id"] not in held]
    pd_ids = {r["id"] for r in pd}
    sources = [d for d in real if d.id in pd_ids]
    n_filler = max(0, args.n - len(real))
    reuse = args.reuse and args.db is not None and args.db.exists()
    docs = real
    if not (reuse and args.no_anchor):  # the filler is needed to build the index or the anchor
        mutator = Mutator([d.text for d in real], args.seed)
        docs = real + [
            Document(f"filler/{i}", mutator.mutate(real[i % len(real)].text)) for i in range(n_filler)
        ]
    print(f"archive: {len(real)} real + {n_filler} filler = {len(real) + n_filler} documents; "
          f"{len(hosts)} held-out hosts; {len(sources)} People's Daily sources", flush=True)  # fmt: skip

    settings = Settings()
    cfg = replace(settings.index_config(), workers=args.workers)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "archive.db"
        if reuse:
            with Index(db, cfg, create=False, readonly=True) as index:
                held_ids = len(index)
                ok = held_ids == len(real) + n_filler and all(
                    d.id in index for d in real[:: max(1, len(real) // 50)]
                )
            if not ok:
                sys.exit(
                    f"bench_passages: {db} holds {held_ids} documents, not the {len(real) + n_filler} of this build"
                )
            print(f"index: reused {db} ({db_bytes(db) / 1e6:.0f} MB)", flush=True)
        else:
            build_index(db, docs, cfg, Path(tmp))
        cases = build_cases(sources, hosts, args.queries, args.seed)
        cold = Latency()  # the first 50 candidate searches with the index file evicted from the page cache
        dropped = evict(db)
        with Index(db, cfg, create=False, readonly=True) as index:
            index.fingerprinter.fingerprint("预热")  # the word list and tokenizer, not the index
            for doc, _ in [row for rows in cases.values() for row in rows][::10][:50]:
                cold.time(index.candidates, doc, k=5)
        with Index(db, cfg, create=False, readonly=True) as index:
            pc = Provcheck(settings)
            archives = {
                # every candidate diagnosed, nothing kept prepared between queries (as before screening)
                "full diagnosis": Archive(
                    index, pc, replace(settings.archive, screen=False, prepared_cache=0)
                ),
                # a session of its own: sharing one would hand it the stored documents the full
                # diagnosis just prepared and the suspect's memos (the query before it), so its
                # figures would leave out work a real query does
                "screened": Archive(index, Provcheck(settings), settings.archive),
            }
            for archive in archives.values():
                archive.find(cases["verbatim 60"][0][0], k=5)  # warm up: dictionaries, page cache
            recall, full, cands = run_find(archives, cases)
        rows = [(f"provcheck find (top 5), {label}", rec) for label, rec in recall.items()]
        if not args.no_anchor:
            ds_recall, ds_build = run_datasketch(docs, cases)
            rows.append((f"datasketch MinHashLSH 5-grams J>=0.3 (build {ds_build:.0f} s)", ds_recall))
    names = list(cases)
    print()
    print("| method | " + " | ".join(names) + " |")
    print("| --- |" + " --- |" * len(names))
    for label, rec in rows:
        print(f"| {label} | " + " | ".join(f"{rec[n]:.3f}" for n in names) + " |")
    print()
    for label, lat in full.items():
        print(f"find, with alignment of the top candidates, {label}, warm: {lat.summary()}")
        p99 = percentile(sorted(lat.cpu), 0.99)
        print(f"  target CPU p99 < 50 ms: {'met' if p99 < 50 else 'not met'} ({p99:.0f} ms)")
    print(f"candidate search only, warm: {cands.summary()}")
    if dropped:
        print(f"candidate search only, cold (index file evicted from the page cache first): {cold.summary()}")
    print(f"cpu count {os.cpu_count()}, python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
