"""Batch comparison for ``compare --pairs``: one report per line, in input order, with the
dictionaries loaded once per worker process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .api import Provcheck, Settings
from .errors import InputError, ProvcheckError
from .report.jsonout import report_to_dict

__all__ = ["compare_pairs_file", "read_pairs"]


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """Parse a file of ``source<TAB>suspect`` lines (blank lines and ``#`` comments skipped)."""
    try:
        text = path.read_text(encoding="utf-8")
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


_WORKER: Provcheck | None = None


def _init(settings: Settings) -> None:
    global _WORKER
    _WORKER = Provcheck(settings)


def _one(pc: Provcheck, pair: tuple[str, str]) -> dict[str, Any]:
    try:
        return report_to_dict(pc.compare(pair[0], pair[1]))
    except ProvcheckError as exc:
        return {"source": pair[0], "suspect": pair[1], "error": str(exc)}


def _work(pair: tuple[str, str]) -> dict[str, Any]:
    assert _WORKER is not None
    return _one(_WORKER, pair)


def compare_pairs_file(path: Path, settings: Settings, workers: int = 0) -> Iterator[dict[str, Any]]:
    """Yield one report dict per pair, in order. A pair whose files cannot be read yields
    ``{"source", "suspect", "error"}`` so one bad line does not stop a batch."""
    pairs = read_pairs(path)
    n = workers if workers > 0 else (os.cpu_count() or 1)
    n = min(n, max(1, len(pairs) // 8))
    if n <= 1:
        pc = Provcheck(settings)
        for pair in pairs:
            yield _one(pc, pair)
        return
    with ProcessPoolExecutor(max_workers=n, initializer=_init, initargs=(settings,)) as pool:
        yield from pool.map(_work, pairs, chunksize=4)
