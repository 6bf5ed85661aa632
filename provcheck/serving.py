"""The work behind ``provcheck serve``: compare, find and check jobs, run in a pool of worker processes
with a time limit per request, so a heavy request never holds up a light one.

Each worker is a process with its own comparison session; a job is sent over a pipe and its finished
answer (JSON-ready dict or an HTML page) comes back. A job that runs past the time limit, or whose
client has gone, is stopped by ending its worker, and a fresh worker takes its place. Heavy requests
(large texts) may occupy all but one worker, so one is always free for light ones. With ``workers=0``
jobs run in the server process, one at a time (no time limit): the library default, for tests.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provcheck import api
from provcheck.api import Settings
from provcheck.errors import ConfigError, InputError, ProvcheckError, StoreError
from provcheck.model import Document
from provcheck.pair.comparer import Provcheck
from provcheck.report.archiveout import check_to_dict, find_to_dict
from provcheck.report.htmlpage import render_html
from provcheck.report.jsonout import report_to_dict
from provcheck.report.traceout import trace_to_dict, trace_to_html

__all__ = ["HTTPProblem", "Jobs", "PoolConfig", "WorkerPool"]

log = logging.getLogger(__name__)


class HTTPProblem(Exception):
    """A client error: ``status`` and a one-line ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class PoolConfig:
    workers: int = 0  # worker processes (0: run jobs in the server process, one at a time)
    time_limit: float = 60.0  # seconds a job may run before it is stopped (workers >= 1 only)
    heavy_bytes: int = 100_000  # a request with more text than this is heavy: it never takes the last worker


class Jobs:
    """One comparison session and the archive path: the jobs a request can ask for."""

    def __init__(self, settings: Settings, db: Path | None, top: int) -> None:
        self.settings = settings
        self.db = db
        self.top = top
        self.pc = Provcheck(settings)

    def run(self, kind: str, *args: Any) -> Any:
        """Run one job; library errors become :class:`HTTPProblem` with the status they mean."""
        try:
            return getattr(self, f"job_{kind}")(*args)
        except StoreError as exc:
            raise HTTPProblem(503, f"archive index unavailable: {exc}") from None
        except (InputError, ConfigError) as exc:
            raise HTTPProblem(400, str(exc)) from None
        except ProvcheckError as exc:
            raise HTTPProblem(422, str(exc)) from None

    def _archive(self) -> Any:
        if self.db is None:
            raise HTTPProblem(
                501, "this server has no archive index: start it with --db DB, or give a source"
            )
        return api.open_archive(self.db, self.settings)

    def job_compare(self, source: Document, suspect: Document) -> dict[str, Any]:
        return report_to_dict(self.pc.compare(source, suspect))

    def job_page(self, source: Document | None, suspect: Document) -> tuple[str, str] | None:
        """``("report", html)``: the HTML report against ``source``. Without a source ``("trace", html)``:
        the passage trace, the candidate list, then the best match's report (None: nothing related)."""
        if source is not None:
            return "report", render_html(self.pc.compare(source, suspect), back_href="/")
        found, traced = self._find_and_trace(suspect)
        report = found.best.report if found.best is not None else None
        if report is None and not traced.sources:
            return None
        best = render_html(report, back_href="/") if report is not None else ""
        best = best.split("<body>\n", 1)[-1].rsplit("\n</body>", 1)[0]
        return "trace", trace_to_html(traced, suspect.text, find_to_dict(found)["candidates"], best)

    def _find_and_trace(self, suspect: Document) -> tuple[Any, Any]:
        """The candidate list and the passage trace of ``suspect``, in one archive session."""
        from provcheck.archive.trace import Tracer

        with self._archive() as archive:
            return archive.find(suspect, self.top), Tracer(archive, self.settings.trace).trace(suspect)

    def job_trace(self, suspect: Document) -> dict[str, Any]:
        found, traced = self._find_and_trace(suspect)
        return {**trace_to_dict(traced), "candidates": find_to_dict(found)["candidates"]}

    def job_find(self, suspect: Document) -> dict[str, Any]:
        with self._archive() as archive:
            return find_to_dict(archive.find(suspect, self.top))

    def job_check(self, suspect: Document, fail_on: list[str], max_score: float | None) -> dict[str, Any]:
        with self._archive() as archive:
            return check_to_dict(archive.check(suspect, fail_on, max_score, self.top))

    def job_ping(self) -> str:
        """Load what the first compare would load lazily (word lists, the segmenter's dictionary and
        word cutter, script conversion, the report writers): about 0.9 s of CPU that a user's first
        request would otherwise wait for. The two texts differ (a swapped word, a changed figure, an
        added line), so the word diff and diagnosis run too; a text compared with itself skips them."""
        source = Document("warm-up", "今天的会议在北京举行，共有120人参加。The meeting was held in Beijing.")
        suspect = Document(
            "warm-up-copy",
            "今天的会晤在北京召开，共有150人参加。The meeting was held in Beijing.\n欢迎关注本站",
        )
        report_to_dict(self.pc.compare(source, suspect))
        return "pong"


def _worker_main(conn: Any, settings: Settings, db: Path | None, top: int) -> None:
    """A worker process: answer jobs from ``conn`` until it closes."""
    jobs = Jobs(settings, db, top)
    while True:
        try:
            kind, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[Any, ...] = ("ok", jobs.run(kind, *args))
        except HTTPProblem as problem:
            answer = ("problem", problem.status, problem.message)
        except Exception as exc:  # a bug: log it here, answer one line
            log.exception("internal error in a %s job", kind)
            answer = ("problem", 500, f"internal error ({exc.__class__.__name__})")
        conn.send(answer)


class _Worker:
    def __init__(self, ctx: Any, settings: Settings, db: Path | None, top: int) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, settings, db, top), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """Run jobs in worker processes (``config.workers``) or, with 0 workers, in this process."""

    def __init__(self, settings: Settings, db: Path | None, top: int, config: PoolConfig) -> None:
        self.settings, self.db, self.top, self.config = settings, db, top, config
        self._local: Jobs | None = None
        self._lock = threading.Lock()  # in-process jobs: one at a time, the session is shared
        self._idle: list[_Worker] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._all: asyncio.Semaphore | None = None
        self._heavy: asyncio.Semaphore | None = None
        self.stopped = 0  # jobs stopped for the time limit or a client that left (for tests, /healthz)

    # -- in this process ----------------------------------------------------------------------
    def _run_here(self, kind: str, args: tuple[Any, ...]) -> Any:
        with self._lock:
            if self._local is None:
                self._local = Jobs(self.settings, self.db, self.top)
            return self._local.run(kind, *args)

    # -- in the workers -----------------------------------------------------------------------
    def _semaphores(self) -> tuple[asyncio.Semaphore, asyncio.Semaphore]:
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._all is None or self._heavy is None:
            self._loop = loop
            self._all = asyncio.Semaphore(self.config.workers)
            self._heavy = asyncio.Semaphore(max(1, self.config.workers - 1))
        return self._all, self._heavy

    def _worker(self) -> _Worker:
        if self._idle:
            return self._idle.pop()
        return _Worker(multiprocessing.get_context("spawn"), self.settings, self.db, self.top)

    async def run(
        self,
        kind: str,
        *args: Any,
        heavy: bool = False,
        gone: Callable[[], Awaitable[bool]] | None = None,
    ) -> Any:
        """The job's answer; :class:`HTTPProblem` for bad input, a stopped job or a crashed worker."""
        if self.config.workers < 1:
            from starlette.concurrency import run_in_threadpool

            return await run_in_threadpool(self._run_here, kind, args)
        every, heavy_ones = self._semaphores()
        async with AsyncExitStack() as stack:
            if heavy:
                await stack.enter_async_context(heavy_ones)
            await stack.enter_async_context(every)
            worker = self._worker()
            healthy = False
            try:
                answer = await self._call(worker, (kind, args), gone)
                healthy = True
            finally:
                if healthy:
                    self._idle.append(worker)
                else:
                    worker.stop()
        if answer[0] == "ok":
            return answer[1]
        raise HTTPProblem(answer[1], answer[2])

    async def _call(
        self, worker: _Worker, job: tuple[str, tuple[Any, ...]], gone: Callable[[], Awaitable[bool]] | None
    ) -> tuple[Any, ...]:
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = worker.conn.fileno()

        def readable() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, readable)
        try:
            worker.conn.send(job)
            deadline = loop.time() + self.config.time_limit
            while not ready.done():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    self.stopped += 1
                    raise HTTPProblem(
                        503,
                        f"stopped after {self.config.time_limit:g} s: the texts are too long to compare "
                        "here (try shorter texts, or the command line)",
                    )
                await asyncio.wait({ready}, timeout=min(0.25, remaining))
                if not ready.done() and gone is not None and await gone():
                    self.stopped += 1
                    raise HTTPProblem(499, "the client closed the connection")
        finally:
            loop.remove_reader(fd)
        try:
            answer: tuple[Any, ...] = worker.conn.recv()
        except (EOFError, OSError):
            raise HTTPProblem(500, "internal error (a worker process ended)") from None
        return answer

    def start(self) -> None:
        """Start every worker now and wait until each has loaded its session (else the first requests
        pay for it)."""
        fresh = [self._worker() for _ in range(self.config.workers - len(self._idle))]
        for worker in fresh:
            worker.conn.send(("ping", ()))
        for worker in fresh:
            worker.conn.recv()
            self._idle.append(worker)

    def close(self) -> None:
        """End every idle worker (busy ones end with their job or with this process: they are daemons)."""
        while self._idle:
            self._idle.pop().stop()
