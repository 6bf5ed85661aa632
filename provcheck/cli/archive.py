"""Commands of the archive path: ``index add|remove|stats``, ``find`` and ``check`` (the import gate).

Each command opens the library object (:class:`provcheck.archive.index.Index`, :class:`provcheck.archive.search.Archive`),
calls it and renders the result; library errors become one line on stderr and exit code 2, a failed
gate exit code 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
from provcheck.errors import InputError

if TYPE_CHECKING:
    from provcheck.model import Document

index_app = typer.Typer(
    help="Keep an archive index of documents (one SQLite file) for find and check.", no_args_is_help=True
)
app.add_typer(index_app, name="index")


class OutFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db", help="The index file. Default: $PROVCHECK_DB, else ./provcheck.db.", show_default=False
    ),
]
FormatOpt = Annotated[OutFormat, typer.Option("--format", "-f", help="text, json or jsonl.")]


# -- index ------------------------------------------------------------------------------------


@index_app.command("init")
def index_init(db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Create an empty index (an existing index is left as it is)."""
    from provcheck import api

    with guard():
        settings = load_settings(config)
        with api.open_index(db, settings, create=True) as index:
            count, path = len(index), index.path
    write_output(f"{path}: an index of {count} documents", None)


@index_app.command("add")
def index_add(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (recursively) or JSONL files of {id, text} records.")
    ],
    db: DbOpt = None,
    workers: Annotated[
        int, typer.Option("--workers", help="Fingerprinting processes (0 = one per core).")
    ] = 0,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Exit 2 if any file or record could not be read (always when none could)."
        ),
    ] = False,
    fmt: FormatOpt = OutFormat.text,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing but errors (no progress bar, no summary).")
    ] = False,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
    errors: ErrorsOpt = None,
) -> None:
    """Add documents to the index, or update them when their text changed. A file's id is its path,
    relative to the current folder when inside it (corpus/x, ./corpus/x and /abs/corpus/x are one
    document); a JSONL record's id is its "id"."""
    from dataclasses import replace

    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from provcheck import api
    from provcheck.archive.index import AddProgress

    console = Console(stderr=True)
    with guard():
        settings = load_settings(config, encoding, errors)
        index = api.open_index(
            db, replace(settings, index=replace(settings.index, workers=workers)), create=True
        )
    with guard(), index:
        last = AddProgress()
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("[bold]{task.completed}[/] documents"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=quiet or not console.is_terminal,
        ) as bar:
            task = bar.add_task("indexing", total=None)
            for last in index.add_iter([api.canonical_path(p) for p in paths]):
                bar.update(task, completed=last.seen, description=f"indexing {Path(last.last).name[-40:]}")
        for problem in last.problems:
            typer.echo(f"provcheck: skipped {problem}", err=True)
        summary = {
            "db": str(index.path),
            "added": last.added,
            "updated": last.updated,
            "unchanged": last.unchanged,
            "skipped": last.skipped,
            "documents": len(index),
        }
    if fmt is OutFormat.text and not quiet:
        write_output(
            f"added {last.added}, updated {last.updated}, unchanged {last.unchanged}, skipped {last.skipped}"
            f" -> {summary['documents']} documents in {summary['db']}",
            None,
        )
    elif fmt is not OutFormat.text:
        write_output(json.dumps(summary, ensure_ascii=False), None)
    if last.skipped and (strict or not last.seen):
        raise fail(f"{last.skipped} file(s) or record(s) could not be read, e.g. {last.problems[0]}")


@index_app.command("remove")
def index_remove(
    ids: Annotated[list[str], typer.Argument(help="Ids to remove: paths in any spelling, or record ids.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Remove documents from the index; nothing is removed if any id is not in it (exit 2)."""
    from provcheck import api

    with guard(), api.open_index(db, load_settings(config)) as index:
        ids = [i if i in index else api.canonical_path(i) for i in ids]
        missing = [i for i in ids if i not in index]
        if missing:
            raise InputError(f"not in the index {index.path}: {', '.join(missing[:5])}")
        index.remove(ids)
        remaining = len(index)
    write_output(f"removed {len(ids)} -> {remaining} documents", None)


@index_app.command("stats")
def index_stats(db: DbOpt = None, fmt: FormatOpt = OutFormat.text, config: ConfigOpt = None) -> None:
    """Show how many documents the index holds and its size on disk."""
    from dataclasses import asdict

    from provcheck import api

    with guard(), api.open_index(db, load_settings(config), readonly=True) as index:
        stats = index.stats()
    if fmt is OutFormat.text:
        write_output(
            f"{stats.path}: {stats.documents} documents, {stats.band_keys} band keys, "
            f"{stats.bytes / 1e6:.1f} MB, schema {stats.schema}, fingerprint {stats.config or '-'}",
            None,
        )
    else:
        write_output(json.dumps(asdict(stats), ensure_ascii=False), None)


# -- find and check ---------------------------------------------------------------------------


@app.command()
def find(
    suspects: Annotated[list[str], typer.Argument(help="Suspect files or folders (recursively).")],
    db: DbOpt = None,
    top: Annotated[int, typer.Option("--top", "-k", help="Candidates per suspect.", min=1)] = 5,
    fmt: FormatOpt = OutFormat.text,
    verify: Annotated[
        bool,
        typer.Option("--verify/--no-verify", help="Re-rank candidates by alignment (slower, exact scores)."),
    ] = True,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
    errors: ErrorsOpt = None,
) -> None:
    """Find the stored documents each SUSPECT derives from, best first (rewritten and partial copies too)."""
    from dataclasses import replace

    from provcheck import api
    from provcheck.report.archiveout import find_to_dict

    with guard():
        settings = load_settings(config, encoding, errors)
        if not verify:
            settings = replace(settings, archive=replace(settings.archive, verify=0))
        with api.open_archive(db, settings) as archive:
            results = []
            for suspect in _suspects(suspects, settings.encoding):
                result = find_to_dict(archive.find(suspect, top))
                if fmt is OutFormat.jsonl:
                    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
                    sys.stdout.flush()
                else:
                    results.append(result)
    if fmt is OutFormat.json:
        write_output(json.dumps(results, ensure_ascii=False, indent=2), None)
    elif fmt is OutFormat.text:
        lines = []
        for r in results:
            lines.append(r["query"])
            if not r["candidates"]:
                lines.append("  (nothing related in the index)")
            for c in r["candidates"]:
                lines.append(f"  {c['score']:.3f}  {c['relation'] or '-':<10} {c['path']}")
                about = " · ".join(str(c[k]) for k in ("title", "date") if c.get(k))
                if about:
                    lines.append(f"  {'':5}  {'':<10} {about}")
        write_output("\n".join(lines), None)


def _suspects(paths: list[str], encoding: str | None) -> Iterator[str | Document]:
    """Each suspect: a file as given (its path is the query), or every file of a folder in turn."""
    from provcheck.text.read import iter_documents

    for raw in paths:
        if raw != "-" and Path(raw).is_dir():
            yield from iter_documents([raw], None, encoding)
        else:
            yield raw


@app.command()
def check(
    suspect: Annotated[str, typer.Argument(help="The document to import.")],
    db: DbOpt = None,
    max_score: Annotated[
        float | None,
        typer.Option("--max-score", help="Fail (exit 1) when the best source's score exceeds this."),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on", help="Fail (exit 1) on these finding types, e.g. altered_number,spliced_spam."
        ),
    ] = None,
    max_derived: Annotated[
        float | None,
        typer.Option(
            "--max-derived",
            help="Fail (exit 1) when more than this share of SUSPECT derives from the archive, all sources together (see trace).",
        ),
    ] = None,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="text or json.")] = OutFormat.text,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
    errors: ErrorsOpt = None,
) -> None:
    """The import gate: find SUSPECT's best source in the index, report relation, score and findings,
    and exit 1 when the gate fails (0 when it passes, 2 on bad input)."""
    from provcheck import api
    from provcheck.report.archiveout import check_to_dict

    with guard():
        settings = load_settings(config, encoding, errors)
        result = api.check(suspect, db, fail_on or "", max_score, settings, max_derived)
    data = check_to_dict(result)
    if fmt is OutFormat.text:
        verdict = "PASS" if result.passed else f"FAIL ({result.reason})"
        lines = [f"{data['query']}: {verdict}"]
        if data["source"] is None:
            lines.append("  no related document in the index")
        else:
            lines.append(f"  source   {data['source']}")
            if data["verdict"] is not None:
                lines.append(f"  verdict  {data['verdict']['headline']}")
            lines.append(f"  relation {data['relation']}  score {data['score']:.3f}")
            counts: dict[str, int] = {}
            for f in data["findings"]:
                counts[f["type"]] = counts.get(f["type"], 0) + 1
            if counts:
                lines.append("  findings " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        if result.derived is not None:
            lines.append(f"  derived  {result.derived:.3f} of the text, all sources together")
        write_output("\n".join(lines), None)
    else:
        write_output(json.dumps(data, ensure_ascii=False, indent=2 if fmt is OutFormat.json else None), None)
    if not result.passed:
        raise typer.Exit(1)


class TraceFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


@app.command()
def trace(
    suspect: Annotated[str, typer.Argument(help="The document to trace.")],
    db: DbOpt = None,
    fmt: Annotated[
        TraceFormat, typer.Option("--format", "-f", help="text, json or html.")
    ] = TraceFormat.text,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
) -> None:
    """Trace every passage of SUSPECT to the archived documents it comes from: per passage its
    source(s), spans and similarity; per source its share; the share derived and unattributed."""
    from provcheck import api
    from provcheck.report.traceout import trace_to_dict, trace_to_html, trace_to_text

    with guard():
        settings = load_settings(config, encoding)
        result = api.trace(suspect, db, settings)
        text = api.read(suspect, settings).text if fmt is not TraceFormat.json else ""
    if fmt is TraceFormat.json:
        write_output(json.dumps(trace_to_dict(result), ensure_ascii=False, indent=2), out)
    elif fmt is TraceFormat.html:
        write_output(trace_to_html(result, text), out)
    else:
        write_output(trace_to_text(result, text), out)
