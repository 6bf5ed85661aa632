"""Benchmark hostile input sizes: one very long line compared with itself, and a large file given to
``index add`` (skipped by the size limit, memory bounded).

    .venv/bin/python -m benchmarks.bench_long [--sizes 30000,300000,1000000,3000000,5000000]

The long line is the corpus' sentences (corpus/, Chinese) and tests/data's English text, repeated with
their full stops and line breaks removed, so the segmenter finds no sentence end. Each size runs in
its own process (time and peak memory are per run). Alignment cuts such a line into pieces of at most
``segment.max_sentence_chars`` characters and, past ``align.dense_cells`` sentence pairs, scores each
piece only against its likely counterparts, so the time should grow linearly with the length; the
anchor is datasketch MinHash over character 5-grams of the same text (linear by construction).

It prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def long_line(n: int, lang: str) -> str:
    files = sorted((ROOT / "corpus").glob("*.txt")) if lang == "zh" else [ROOT / "tests/data/en_source.txt"]
    text = "".join(f.read_text(encoding="utf-8") for f in files)
    text = re.sub(r"[。！？!?；;…\n]+|\.(?=\s|$)", " ", text)
    return (text * (n // len(text) + 1))[:n]


def run_compare(n: int, lang: str) -> dict[str, float | str]:
    from provcheck.pair.comparer import Provcheck
    from provcheck.text.read import document_from_text

    line = long_line(n, lang)
    pc = Provcheck()
    t0 = time.perf_counter()
    report = pc.compare(document_from_text(line, "a"), document_from_text(line, "b"))
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    from datasketch import MinHash

    t0 = time.perf_counter()

    mh = MinHash(num_perm=128, seed=1)
    mh.update_batch([line[k : k + 5].encode("utf-8") for k in range(len(line) - 4)])
    anchor = time.perf_counter() - t0
    return {
        "chars": n,
        "lang": lang,
        "seconds": round(seconds, 2),
        "us_per_char": round(seconds / n * 1e6, 2),
        "datasketch_s": round(anchor, 2),
        "relation": report.relation.value,
        "score": round(report.score, 3),
        "peak_mb": peak,
    }


def run_index(mb: int) -> dict[str, float | str]:
    from provcheck import api

    with tempfile.TemporaryDirectory() as d:
        big = Path(d) / "big.txt"
        with big.open("w", encoding="utf-8") as f:
            line = long_line(1_000_000, "zh")
            for _ in range(mb * 1_000_000 // len(line.encode("utf-8")) + 1):
                f.write(line + "\n")
        t0 = time.perf_counter()
        with api.open_index(Path(d) / "x.db", create=True) as index:
            summary = index.add([str(big), str(ROOT / "corpus")])
        return {
            "input_mb": round(big.stat().st_size / 1e6, 1),
            "seconds": round(time.perf_counter() - t0, 2),
            "added": summary.added,
            "skipped": summary.skipped,
            "reason": summary.problems[0] if summary.problems else "",
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="30000,300000,1000000,3000000,5000000")
    ap.add_argument("--langs", default="zh,en")
    ap.add_argument("--index-mb", type=int, default=50)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        kind, value, lang = args.one.split(":")
        result = run_compare(int(value), lang) if kind == "compare" else run_index(int(value))
        print(json.dumps(result))
        return
    jobs = [f"compare:{n}:{lang}" for lang in args.langs.split(",") for n in map(int, args.sizes.split(","))]
    jobs.append(f"index:{args.index_mb}:-")
    for job in jobs:
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_long", "--one", job],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        print(out.stdout.strip() or f"{job}: failed: {out.stderr.strip().splitlines()[-1:]}", flush=True)


if __name__ == "__main__":
    main()
