"""The command line: parse arguments -> call the library -> render -> exit code.

Exit codes: 0 success, 1 a gate failed, 2 bad usage or unreadable input (one line on stderr).
Commands live here and in ``cli_*.py`` modules that register on the same :data:`app`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .errors import ProvcheckError

if TYPE_CHECKING:
    from .api import Settings

app = typer.Typer(
    name="provcheck",
    help="Tell whether a text is a reprint or a machine-rewritten copy of an original, show what changed, group copies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Tell whether a text is a reprint or a machine-rewritten copy of an original, show what
    changed, and group copies in bulk."""


class Format(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    html = "html"


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one line on stderr and return the Exit to raise."""
    first = message.strip().splitlines()[0] if message.strip() else "error"
    typer.echo(f"provcheck: {first}", err=True)
    return typer.Exit(code)


@contextmanager
def guard() -> Iterator[None]:
    """Turn library errors into one-line messages and exit code 2."""
    try:
        yield
    except ProvcheckError as exc:
        raise fail(str(exc)) from None
    except BrokenPipeError:  # pragma: no cover - e.g. `provcheck ... | head`
        sys.stderr.close()
        raise typer.Exit(0) from None
    except KeyboardInterrupt:  # pragma: no cover
        raise fail("interrupted", 130) from None


def write_output(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror or exc}") from None


ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML settings file (tables \\[align], \\[diagnose], \\[score], ...).")]
EncodingOpt = Annotated[str | None, typer.Option("--encoding", help="Force the input encoding instead of detecting it.")]


def load_settings(config: Path | None, encoding: str | None = None) -> Settings:
    from dataclasses import replace

    from .api import Settings

    settings = Settings.from_toml(config) if config else Settings()
    return replace(settings, encoding=encoding) if encoding else settings


@app.command()
def compare(
    source: Annotated[str | None, typer.Argument(help="The original article.", show_default=False)] = None,
    suspect: Annotated[str | None, typer.Argument(help="The suspect copy.", show_default=False)] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text, json, html, or jsonl (with --pairs).")] = Format.text,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report to this file.")] = None,
    pairs: Annotated[
        Path | None, typer.Option("--pairs", help="A file of SOURCE<TAB>SUSPECT lines: one JSON report per line, in order.")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="Processes for --pairs (0 = one per core).")] = 0,
    fail_on: Annotated[
        str | None, typer.Option("--fail-on", help="Exit 1 if any of these finding types occur, e.g. altered_number,spliced_spam.")
    ] = None,
    max_score: Annotated[float | None, typer.Option("--max-score", help="Exit 1 if the provenance score exceeds this.")] = None,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
) -> None:
    """Align SUSPECT to SOURCE sentence by sentence and report every change."""
    from .report import report_to_json

    with guard():
        settings = load_settings(config, encoding)
        if pairs is not None:
            import json

            from .batch import compare_pairs_file

            if fmt not in (Format.jsonl, Format.json):
                raise fail("--pairs writes JSON lines: use --format jsonl")
            sink = out.open("w", encoding="utf-8") if out else sys.stdout
            try:
                for report_dict in compare_pairs_file(pairs, settings, workers):
                    sink.write(json.dumps(report_dict, ensure_ascii=False) + "\n")
                    sink.flush()
            finally:
                if out:
                    sink.close()
            return
        if source is None or suspect is None:
            raise fail("compare needs SOURCE and SUSPECT (or --pairs FILE)")
        from .api import Provcheck
        from .score import gate

        report = Provcheck(settings).compare(source, suspect)
        if fmt is Format.text:
            from .report.terminal import render_terminal

            if out is None:
                render_terminal(report)
            else:
                render_terminal(report, out)
        elif fmt is Format.html:
            from .report.htmlpage import render_html

            write_output(render_html(report), out)
        else:
            write_output(report_to_json(report, indent=2 if fmt is Format.json else None), out)
        failed = gate(report, fail_on.split(",") if fail_on else (), max_score)
        if failed:
            raise fail(f"gate failed: {failed}", 1)


def main() -> None:
    app()


# Commands of the other paths register on `app` when their modules are imported.
from . import cli_extra  # noqa: E402,F401
