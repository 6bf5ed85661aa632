"""Worker pools: processes that each build one worker object (a comparison session with its
dictionaries loaded) and apply functions to items in input order. :func:`map_ordered` runs one map;
:class:`WorkerPool` keeps its processes for several (the stages of one job).

>>> list(map_ordered(int, ("7",), pow, [1, 2, 3], workers=1))
[7, 49, 343]
>>> with WorkerPool(int, ("2",), workers=1) as pool:
...     list(pool.map(pow, [3, 4])), list(pool.map(pow, [5]))
([8, 16], [32])
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any, Generic, TypeVar

__all__ = ["WorkerPool", "map_ordered", "worker_count"]

W = TypeVar("W")
A = TypeVar("A")
R = TypeVar("R")

# The worker object of a pool process, set by its initializer. Only pool processes write it; the
# calling process never reads it (with one worker it calls the function directly).
_PROCESS_WORKER: dict[str, Any] = {}
# Worker objects a calling process lends to the processes it forks (they inherit a copy, loaded
# dictionaries and all, instead of building their own), by WorkerPool id.
_LENT: dict[int, Any] = {}


def worker_count(requested: int, items: int | None = None, per_worker: int = 1) -> int:
    """``requested`` processes (0 = one per core), at most one per ``per_worker`` items."""
    n = requested if requested > 0 else (os.cpu_count() or 1)
    if items is not None:
        n = min(n, max(1, items // max(1, per_worker)))
    return max(1, n)


def _init(factory: Callable[..., Any], args: tuple[Any, ...], lent: int | None = None) -> None:
    worker = _LENT.get(lent) if lent is not None else None
    _PROCESS_WORKER["worker"] = worker if worker is not None else factory(*args)


def _call(fn: Callable[[Any, Any], Any], item: Any) -> Any:
    return fn(_PROCESS_WORKER["worker"], item)


class WorkerPool(Generic[W]):
    """``workers`` processes, each with its own ``factory(*args)`` worker, kept until :meth:`close`
    (a ``with`` block closes them). With one worker nothing is started: :meth:`map` runs in the
    calling process on ``local`` (or on ``factory(*args)``, built when first needed). Processes
    are forked where the platform can; a forked process then works on its inherited copy of
    ``local`` (dictionaries loaded, nothing built again), else on its own ``factory(*args)``.
    ``factory`` and the functions given to :meth:`map` must be module-level (they are pickled)."""

    def __init__(
        self, factory: Callable[..., W], args: tuple[Any, ...], workers: int = 1, local: W | None = None
    ) -> None:
        self._factory, self._args, self._local = factory, args, local
        self._pool: ProcessPoolExecutor | None = None
        if workers > 1:
            fork = "fork" in multiprocessing.get_all_start_methods()
            lent = id(self) if fork and local is not None else None
            if lent is not None:
                _LENT[lent] = local
            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("fork") if fork else None,
                initializer=_init,
                initargs=(factory, args, lent),
            )

    @property
    def local(self) -> W:
        """The calling process's worker."""
        if self._local is None:
            self._local = self._factory(*self._args)
        return self._local

    def map(
        self, fn: Callable[[W, A], R], items: Iterable[A], chunksize: int = 1, here: bool = False
    ) -> Iterator[R]:
        """``fn(worker, item)`` for every item, in order; ``here``: in the calling process (a few
        items are not worth sending)."""
        if self._pool is None or here:
            worker = self.local
            return (fn(worker, item) for item in items)
        return self._pool.map(partial(_call, fn), items, chunksize=chunksize)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        _LENT.pop(id(self), None)

    def __enter__(self) -> WorkerPool[W]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
    with WorkerPool(factory, args, workers) as pool:
        yield from pool.map(fn, items, chunksize)
