"""Benchmark ``provcheck cluster`` on a generated corpus with planted copy groups, next to a
datasketch MinHashLSH pipeline at common settings, and print the figures.

    .venv/bin/python -m benchmarks.bench_cluster            # 100000 synthetic articles
    .venv/bin/python -m benchmarks.bench_cluster --n 20000 --skip-datasketch
    .venv/bin/python -m benchmarks.bench_cluster --pool ../shared/scale/pool.jsonl.xz --n 20000   # real text

Real-text mode (``--pool``): passages of real articles read at run time, with planted copies, site
chrome and chrome-only pages (``benchmarks/realtext.py``); it prints recall by copy recipe too.

The corpus (tests/clustergen.py: synthetic articles of jieba dictionary words, no network) holds
copy groups (an original plus chrome-wrapped, spammed, spun and trimmed copies), partial reuses and
distinct articles, half of them in one of 20 sites' chrome. It is written to a JSONL file; each
pipeline runs in a child process so its wall time and peak memory (max RSS) are its own:

* provcheck: ``provcheck cluster --input corpus.jsonl --format csv`` (the command line, local engine);
* datasketch: MinHash over character 5-grams (white space removed), ``MinHashLSH(threshold=0.7)``,
  union-find over the query results (the usual near-duplicate recipe, no verification).

Pair precision and recall count document pairs put in one group against the plant.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generate(n: int, seed: int, path: Path) -> dict[str, str]:
    """Write the planted corpus to ``path`` (JSONL); return id -> group original (grouped docs)."""
    from tests.cases.corpus import planted_corpus

    planted = planted_corpus(n, seed=seed)
    with path.open("w", encoding="utf-8") as f:
        for doc_id, text in planted.docs:
            f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for k in planted.kind.values():
        for part in k.split("+"):
            kinds[part] = kinds.get(part, 0) + 1
    print(
        f"corpus: {len(planted.docs)} documents, {len(set(planted.group.values()))} planted groups, kinds {kinds}"
    )
    return planted.group


def pairs_of(groups: list[list[str]]) -> set[tuple[str, str]]:
    out = set()
    for g in groups:
        g = sorted(g)
        out.update((a, b) for i, a in enumerate(g) for b in g[i + 1 :])
    return out


def by_recipe(pred: list[list[str]], truth: dict[str, str], kind: dict[str, str]) -> dict[str, float]:
    """Share of the copies of each recipe put in one group with their original."""
    where = {d: k for k, g in enumerate(pred) for d in g}
    found: dict[str, list[int]] = {}
    for doc, orig in truth.items():
        if doc == orig:
            continue
        hit = doc in where and where.get(orig) == where[doc]
        found.setdefault(kind.get(doc, "?"), []).append(int(hit))
    return {k: sum(v) / len(v) for k, v in sorted(found.items())}


def scorecard(pred: list[list[str]], truth: dict[str, str], kind: dict[str, str]) -> str:
    p, r = score(pred, truth)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    largest = max((len(g) for g in pred), default=0)
    recipes = " ".join(f"{k} {v:.2f}" for k, v in by_recipe(pred, truth, kind).items())
    return f"pair P {p:.4f} R {r:.4f} F1 {f1:.4f}  largest group {largest}  groups {len(pred)}\n            recall by recipe: {recipes}"


def score(pred: list[list[str]], truth: dict[str, str]) -> tuple[float, float]:
    by: dict[str, list[str]] = {}
    for doc, orig in truth.items():
        by.setdefault(orig, []).append(doc)
    want, got = pairs_of(list(by.values())), pairs_of(pred)
    tp = len(want & got)
    return (tp / len(got) if got else 1.0), (tp / len(want) if want else 1.0)


def child_run(cmd: list[str]) -> tuple[subprocess.CompletedProcess[str], float, float, float]:
    """Run ``cmd``; return its result, wall seconds, its own peak memory (MiB, from wait4) and the
    CPU seconds it and its worker processes used (on a shared machine, CPU / cores is the wall time
    an idle machine would take)."""
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as out,
        tempfile.TemporaryFile("w+", encoding="utf-8") as err,
    ):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        secs = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(cmd, proc.returncode, out.read(), err.read())
    return done, secs, usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime  # ru_maxrss is KiB on Linux


def run_provcheck(
    path: Path, workers: int
) -> tuple[list[list[str]], float, float, float, str, dict[str, str]]:
    exe = [sys.executable, "-m", "provcheck", "cluster", "--input", str(path), "--format", "csv"]
    if workers:
        exe += ["--workers", str(workers)]
    proc, secs, peak, cpu = child_run(exe)
    if proc.returncode != 0:
        raise SystemExit(f"provcheck cluster failed: {proc.stderr[-800:]}")
    groups: dict[str, list[str]] = {}
    originals: dict[str, str] = {}
    for line in proc.stdout.splitlines()[1:]:
        doc, group, _role, _score, original = line.split(",")
        if group:
            groups.setdefault(group, []).append(doc)
            originals[group] = original
    return list(groups.values()), secs, peak, cpu, proc.stderr.strip(), originals


def datasketch_groups(path: str, out: str) -> None:
    """Child process: the datasketch pipeline; writes groups as JSON to ``out``."""
    import re

    from datasketch import MinHash, MinHashLSH

    space = re.compile(r"\s+")
    lsh = MinHashLSH(threshold=0.7, num_perm=128)
    ids: list[str] = []
    sigs: list[MinHash] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            text = space.sub("", rec["text"])
            grams = {text[i : i + 5].encode("utf-8") for i in range(max(1, len(text) - 4))}
            m = MinHash(num_perm=128)
            m.update_batch(list(grams))
            lsh.insert(rec["id"], m)
            ids.append(rec["id"])
            sigs.append(m)
    parent = {x: x for x in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc, m in zip(ids, sigs, strict=True):
        for other in lsh.query(m):
            ra, rb = find(doc), find(other)
            if ra != rb:
                parent[rb] = ra
    groups: dict[str, list[str]] = {}
    for x in ids:
        groups.setdefault(find(x), []).append(x)
    Path(out).write_text(json.dumps([g for g in groups.values() if len(g) > 1]), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100000, help="documents in the corpus")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=0, help="provcheck processes (0 = one per core)")
    ap.add_argument(
        "--pool", type=Path, help="real-text mode: a pool of articles (../shared/scale/pool.jsonl.xz)"
    )
    ap.add_argument("--whole", action="store_true", help="real-text mode: whole articles, not passages")
    ap.add_argument(
        "--reuse-clauses",
        action="store_true",
        help="real-text mode: filler beyond the pool repeats clauses verbatim (the earlier benchmark)",
    )
    ap.add_argument("--copies", type=int, help="real-text mode: planted copies (default 15%% of --n)")
    ap.add_argument("--keep", type=Path, help="also write the corpus JSONL here")
    ap.add_argument("--skip-datasketch", action="store_true")
    ap.add_argument("--datasketch-child", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.datasketch_child:
        datasketch_groups(*a.datasketch_child)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        path = Path(tmp) / "corpus.jsonl"
        t0 = time.perf_counter()
        if a.pool:
            from benchmarks.realtext import real_corpus, write_jsonl

            corpus = real_corpus(a.pool, a.n, a.copies, a.seed, a.whole, reuse_clauses=a.reuse_clauses)
            write_jsonl(corpus, path)
            truth, kind = corpus.group, corpus.kind
            counts: dict[str, int] = {}
            for k in kind.values():
                counts[k] = counts.get(k, 0) + 1
            langs = {x: list(corpus.lang.values()).count(x) for x in ("zh", "en")}
            print(f"corpus: {len(corpus.docs)} real-text documents {langs}, kinds {counts}")
        else:
            truth = generate(a.n, a.seed, path)
            kind = {}
        if a.keep:
            a.keep.write_bytes(path.read_bytes())
        print(
            f"generated in {time.perf_counter() - t0:.1f}s ({path.stat().st_size / 1e6:.0f} MB JSONL), {os.cpu_count()} cores"
        )

        groups, secs, peak, cpu, summary, originals = run_provcheck(path, a.workers)
        named = sum(1 for o in originals.values() if truth.get(o) == o)
        cores = os.cpu_count() or 1
        print(
            f"provcheck : {secs:8.1f} s  cpu {cpu:7.1f} s (/{cores} = {cpu / cores:6.1f} s)  peak {peak:7.0f} MiB  "
            f"originals right {named}/{len(originals)}"
        )
        print(f"            {scorecard(groups, truth, kind)}")
        print(f"            {summary}")
        if not a.skip_datasketch:
            out = Path(tmp) / "ds.json"
            proc, ds_secs, ds_peak, ds_cpu = child_run(
                [sys.executable, __file__, "--datasketch-child", str(path), str(out)]
            )
            if proc.returncode != 0:
                raise SystemExit(f"datasketch pipeline failed: {proc.stderr[-800:]}")
            ds_groups = json.loads(out.read_text(encoding="utf-8"))
            print(
                f"datasketch: {ds_secs:8.1f} s  cpu {ds_cpu:7.1f} s  peak {ds_peak:7.0f} MiB  "
                "(5-gram MinHashLSH, J >= 0.7, 128 perms, one process)"
            )
            print(f"            {scorecard(ds_groups, truth, kind)}")
            print(
                f"ratios    : wall provcheck/datasketch {secs / ds_secs:.2f}x, cpu {cpu / ds_cpu:.2f}x, "
                f"peak memory {peak / ds_peak:.2f}x"
            )
        print(f"load average during the run: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
