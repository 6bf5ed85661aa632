"""Seeds and case generators shared by the tests and the benchmarks (import as ``tests.cases``).

- :mod:`tests.cases.pair`: single suspect copies with exact planted spans (spin, chrome, spam, figures);
- :mod:`tests.cases.archive`: archive queries (spun, chrome-wrapped, traditional, excerpts, mixed);
- :mod:`tests.cases.corpus`: planted corpora for clustering.

Only files in the repository are used (``corpus/``, ``tests/data/``).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DATA = ROOT / "tests" / "data"
SEED_SOURCE = CORPUS / "001_f774ca4a0bf60419.txt"
SEED_COPY = CORPUS / "000_4220fd22daa105e4.txt"
NEGATIVES = sorted(CORPUS.glob("00[234]_*.txt"))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")
