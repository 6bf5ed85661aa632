"""Relation accuracy on the Clough-Stevenson corpus of plagiarised short answers (real human reuse).

    python benchmarks/eval_clough_stevenson.py ../shared/realsets/clough-stevenson-en

Each answer is compared with its task's Wikipedia source. Accepted relations per category: cut ->
copy; light -> copy or rewritten; heavy -> rewritten or partial; non (written independently) ->
unrelated. Prints accuracy per category and the score AUC of reuse (cut, light, heavy) against non.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from pathlib import Path

from provcheck import Provcheck

ACCEPT = {
    "cut": {"copy"},
    "light": {"copy", "rewritten"},
    "heavy": {"rewritten", "partial"},
    "non": {"unrelated"},
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus_dir", type=Path, help="folder with labels.tsv and corpus/")
    a = ap.parse_args()
    rows = list(csv.DictReader((a.corpus_dir / "labels.tsv").open(encoding="utf-8"), delimiter="\t"))
    pc = Provcheck()
    got: dict[str, Counter[str]] = defaultdict(Counter)
    scores: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        rep = pc.compare(
            a.corpus_dir / "corpus" / f"orig_task{r['Task']}.txt", a.corpus_dir / "corpus" / r["File"]
        )
        got[r["Category"]][rep.relation.value] += 1
        scores[r["Category"]].append(rep.score)
    for cat in ("cut", "light", "heavy", "non"):
        c = got[cat]
        ok = sum(n for rel, n in c.items() if rel in ACCEPT[cat])
        print(f"{cat}: accuracy {ok / max(1, sum(c.values())):.2f}  {dict(c)}")
    pos = [s for cat in ("cut", "light", "heavy") for s in scores[cat]]
    neg = scores["non"]
    auc = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / max(1, len(pos) * len(neg))
    print(f"score AUC reuse vs non: {auc:.3f}")
    # Derived (cut, light, heavy) against non, whatever the derived relation.
    right = sum(n for cat in ("cut", "light", "heavy") for rel, n in got[cat].items() if rel != "unrelated")
    right += got["non"]["unrelated"]
    print(f"binary accuracy: {right / max(1, sum(sum(c.values()) for c in got.values())):.3f}")


if __name__ == "__main__":
    main()
