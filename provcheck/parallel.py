"""One worker-pool helper: a process pool whose processes each build one worker object (a comparison
session with its dictionaries loaded) and apply a function to items in input order.

>>> list(map_ordered(int, ("7",), pow, [1, 2, 3], workers=1))
[7, 49, 343]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any, TypeVar

__all__ = ["map_ordered", "worker_count"]

W = TypeVar("W")
A = TypeVar("A")
R = TypeVar("R")

# The worker object of a pool process, set by its initializer. Only pool processes write it; the
# calling process never reads it (with one worker it calls the function directly).
_PROCESS_WORKER: dict[str, Any] = {}


def worker_count(requested: int, items: int | None = None, per_worker: int = 1) -> int:
    """``requested`` processes (0 = one per core), at most one per ``per_worker`` items."""
    n = requested if requested > 0 else (os.cpu_count() or 1)
    if items is not None:
        n = min(n, max(1, items // max(1, per_worker)))
    return max(1, n)


def _init(factory: Callable[..., Any], args: tuple[Any, ...]) -> None:
    _PROCESS_WORKER["worker"] = factory(*args)


def _call(fn: Callable[[Any, Any], Any], item: Any) -> Any:
    return fn(_PROCESS_WORKER["worker"], item)


def map_ordered(
    factory: Callable[..., W],
    args: tuple[Any, ...],
    fn: Callable[[W, A], R],
    items: Iterable[A],
    workers: int = 1,
    chunksize: int = 1,
) -> Iterator[R]:
    """``fn(worker, item)`` for every item, in order; ``worker = factory(*args)`` once per process.
    ``factory`` and ``fn`` must be module-level functions (they are pickled)."""
    if workers <= 1:
        worker = factory(*args)
        for item in items:
            yield fn(worker, item)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(factory, args)) as pool:
        yield from pool.map(partial(_call, fn), items, chunksize=chunksize)
