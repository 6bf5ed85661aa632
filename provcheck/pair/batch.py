"""Batch comparison for ``compare --pairs``: one report per line, in input order, with the
dictionaries loaded once per worker process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from provcheck.errors import InputError, ProvcheckError
from provcheck.pair.comparer import PairSettings, Provcheck
from provcheck.parallel import map_ordered, worker_count
from provcheck.report.jsonout import report_to_dict

__all__ = ["compare_pairs_file", "read_pairs"]


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """Parse a file of ``source<TAB>suspect`` lines (blank lines and ``#`` comments skipped)."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM is not part of the first path
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
    pairs: list[tuple[str, str]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise InputError(f"{path}:{n}: expected SOURCE<TAB>SUSPECT")
        pairs.append((parts[0], parts[1]))
    return pairs


def _one(pc: Provcheck, pair: tuple[str, str]) -> dict[str, Any]:
    try:
        return report_to_dict(pc.compare(pair[0], pair[1]))
    except ProvcheckError as exc:
        return {"source": pair[0], "suspect": pair[1], "error": str(exc)}


def compare_pairs_file(path: Path, settings: PairSettings, workers: int = 0) -> Iterator[dict[str, Any]]:
    """Yield one report dict per pair, in order. A pair whose files cannot be read yields
    ``{"source", "suspect", "error"}`` so one bad line does not stop a batch."""
    pairs = read_pairs(path)
    n = worker_count(workers, len(pairs), per_worker=8)
    yield from map_ordered(Provcheck, (settings,), _one, pairs, workers=n, chunksize=4)
