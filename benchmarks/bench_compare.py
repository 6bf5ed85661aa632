"""Throughput of batch comparison (`provcheck compare --pairs FILE --format jsonl`).

Generates N article pairs of about 4 KB (UTF-8) from the corpus sentences: spun, chrome-wrapped
and spam-spliced copies, plus unrelated pairs, then times the command line end to end (process
start and dictionary loading included) and prints pairs/s, and the CPU time of all its processes
(pairs per CPU second: what another load on the machine changes least) with the load average.

    python benchmarks/bench_compare.py --n 2000
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.cases.pair import CHROME_HEAD, CHROME_TAIL, spin

ROOT = Path(__file__).resolve().parent.parent


def sentences() -> list[str]:
    out: list[str] = []
    for p in sorted((ROOT / "corpus").glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        out += [s for s in re.findall(r"[^。！？\n]+[。！？]", text) if len(s) >= 12]
    return out


def article(rng: random.Random, pool: list[str], size: int = 4000) -> str:
    paras: list[str] = []
    total = 0
    while total < size:
        para = "".join(rng.choice(pool) for _ in range(rng.randint(2, 5)))
        paras.append(para)
        total += len(para.encode("utf-8")) + 1
    return "\n".join(paras)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000, help="pairs")
    ap.add_argument("--workers", type=int, default=0, help="0 = one per core")
    a = ap.parse_args()
    rng = random.Random(42)
    pool = sentences()
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        lines = []
        nbytes = 0
        for i in range(a.n):
            src = article(rng, pool)
            kind = i % 4
            if kind == 0:
                sus = CHROME_HEAD + spin(src) + CHROME_TAIL
            elif kind == 1:
                sus = CHROME_HEAD + src.replace("。", "。开元棋牌", 2) + CHROME_TAIL
            elif kind == 2:
                sus = src
            else:
                sus = article(rng, pool)
            (root / f"s{i}.txt").write_text(src, encoding="utf-8")
            (root / f"c{i}.txt").write_text(sus, encoding="utf-8")
            nbytes += len(src.encode("utf-8")) + len(sus.encode("utf-8"))
            lines.append(f"{root / f's{i}.txt'}\t{root / f'c{i}.txt'}\n")
        pairs = root / "pairs.tsv"
        pairs.write_text("".join(lines), encoding="utf-8")
        cmd = [
            sys.executable,
            "-m",
            "provcheck",
            "compare",
            "--pairs",
            str(pairs),
            "--format",
            "jsonl",
            "--workers",
            str(a.workers),
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True, check=True)
        secs = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    reports = p.stdout.count("\n")
    print(f"pairs: {reports} (mean article {nbytes / (2 * a.n) / 1024:.1f} KB)")
    print(f"wall: {secs:.1f} s")
    print(f"pairs/s: {reports / secs:.1f}")
    print(f"cpu: {cpu:.1f} s over all processes -> {reports / cpu:.1f} pairs per CPU second")
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
