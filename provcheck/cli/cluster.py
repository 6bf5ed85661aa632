"""``provcheck cluster``: group copies in bulk and name each group's original, locally or on Spark.

The command reads its arguments, calls :func:`provcheck.clustering.local.cluster_paths` (or
:func:`provcheck.clustering.spark.cluster_spark`), renders JSON or CSV, writes a report folder with ``--out`` and
prints a summary on stderr. Library errors are one line on stderr and exit code 2.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from provcheck.cli.common import (
    ConfigOpt,
    EncodingOpt,
    ErrorsOpt,
    app,
    fail,
    guard,
    load_settings,
    write_output,
)


class ClusterFormat(StrEnum):
    json = "json"
    csv = "csv"


class Engine(StrEnum):
    local = "local"
    spark = "spark"


@app.command()
def cluster(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files or folders (recursively) to group.", show_default=False)
    ] = None,
    db: Annotated[
        Path | None, typer.Option("--db", help="Cluster the documents of an archive index.")
    ] = None,
    inputs: Annotated[
        list[str] | None,
        typer.Option(
            "--input", "-i", help="A .jsonl or .parquet file of {id, text, date?} records (repeatable)."
        ),
    ] = None,
    fmt: Annotated[
        ClusterFormat, typer.Option("--format", "-f", help="json or csv (one row per document).")
    ] = ClusterFormat.json,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write clusters.json, clusters.csv, an HTML overview and per-member compare reports into this folder.",
        ),
    ] = None,
    keep_originals: Annotated[
        Path | None,
        typer.Option(
            "--keep-originals",
            help="Also write the corpus deduplicated: each group's original and every ungrouped document, "
            "with its group id, as .jsonl or .parquet (records keep their fields).",
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="Provenance score a copy or rewrite needs to join a group (default 0.75; [cluster] min_join_score).",
        ),
    ] = None,
    min_chars: Annotated[
        int | None,
        typer.Option(
            "--min-chars",
            min=0,
            help="Documents with fewer content characters join no group (default 30, chrome lines left out; [cluster] min_content).",
        ),
    ] = None,
    engine: Annotated[
        Engine, typer.Option("--engine", help="local (default) or spark (needs PySpark: the spark extra).")
    ] = Engine.local,
    master: Annotated[
        str | None,
        typer.Option(
            "--master", help="Spark master for --engine spark (default: local[*], or spark-submit's)."
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="Local engine processes (0 = one per core).")] = 0,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 2 if any file or record could not be read.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
    errors: ErrorsOpt = None,
) -> None:
    """Group copies and rewrites of the same article and name each group's original.

    Candidates come from rewrite-robust LSH; each is verified by comparing both ways before it joins
    a group; partial reuse is reported as a link between groups, not merged."""
    from rich.console import Console

    from provcheck import api
    from provcheck.report.overview import clustering_to_csv, clustering_to_json

    console = Console(stderr=True)
    paths = paths or []
    inputs = inputs or []
    with guard(), _exit_cleanly_on_sigterm():
        settings = load_settings(config, encoding, errors)
        flags = {"workers": workers or None, "min_join_score": threshold, "min_content": min_chars}
        given = {k: v for k, v in flags.items() if v is not None}
        if given:
            settings = replace(settings, cluster=replace(settings.cluster, **given))  # type: ignore[arg-type]
        if keep_originals is not None and keep_originals.suffix.lower() not in (
            ".jsonl",
            ".ndjson",
            ".parquet",
        ):
            raise fail(f"{keep_originals}: --keep-originals writes .jsonl or .parquet")
        if not paths and db is None and not inputs:
            raise fail("cluster needs files or folders, --db DB or --input FILE")
        with _bar(console, quiet) as on_progress:
            result = api.cluster(
                paths,
                db=db,
                inputs=inputs,
                settings=settings,
                engine=engine.value,
                master=master,
                on_progress=on_progress,
            )
            if out is not None:
                result = api.write_cluster_report(
                    result, out, paths, db=db, inputs=inputs, settings=settings, on_progress=on_progress
                )
            if keep_originals is not None:
                kept = api.write_kept(result, keep_originals, paths, db=db, inputs=inputs, settings=settings)
                if not quiet:
                    print(f"provcheck cluster: kept {kept} documents in {keep_originals}", file=sys.stderr)
        if strict and result.skipped:
            raise fail(f"{len(result.skipped)} input(s) could not be read, first: {result.skipped[0]}")
        text = clustering_to_csv(result) if fmt is ClusterFormat.csv else clustering_to_json(result)
        write_output(text, None)
        if not quiet:
            _summary(console, result, out)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def _exit_cleanly_on_sigterm() -> Iterator[None]:
    """SIGTERM unwinds the stack like an exception, so the spill file and the temporary report
    folder are removed (the default action would end the process on the spot)."""
    try:
        previous = signal.signal(signal.SIGTERM, _terminated)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _bar:
    """A rich progress bar fed by the library's progress callback (stderr, terminals only)."""

    def __init__(self, console: object, quiet: bool) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,  # type: ignore[arg-type]
            transient=True,
            disable=quiet or not getattr(console, "is_terminal", False),
        )
        self.tasks: dict[str, object] = {}

    def __enter__(self):  # type: ignore[no-untyped-def]
        self.progress.__enter__()

        def on_progress(p: object) -> None:
            stage, done, total = p.stage, p.done, p.total  # type: ignore[attr-defined]
            if stage not in self.tasks:
                self.tasks[stage] = self.progress.add_task(stage, total=total or None)
            self.progress.update(self.tasks[stage], completed=done, total=total or None)  # type: ignore[arg-type]

        return on_progress

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)


def _summary(console: object, result: object, out: Path | None) -> None:
    from provcheck.clustering.result import Clustering

    assert isinstance(result, Clustering)
    grouped = sum(len(g.members) for g in result.groups)
    line = (
        f"provcheck cluster: {len(result.documents)} documents, {len(result.groups)} group{'' if len(result.groups) == 1 else 's'} "
        f"({grouped} documents), {len(result.links)} partial links, {int(result.stat('candidates'))} candidates, "
        f"{int(result.stat('verified'))} verified, {result.stat('seconds'):.1f}s"
    )
    if result.skipped:
        line += f"; {len(result.skipped)} skipped (first: {result.skipped[0]})"
    if out is not None:
        line += f"; report: {out / 'index.html'}"
    print(line, file=sys.stderr)
