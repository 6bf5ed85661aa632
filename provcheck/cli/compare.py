"""``provcheck compare``: one suspect against one source, or a file of pairs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer

from provcheck.cli.common import (
    ConfigOpt,
    EncodingOpt,
    ErrorsOpt,
    Format,
    app,
    fail,
    guard,
    load_settings,
    write_output,
)


@app.command()
def compare(
    source: Annotated[str | None, typer.Argument(help="The original article.", show_default=False)] = None,
    suspect: Annotated[str | None, typer.Argument(help="The suspect copy.", show_default=False)] = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="text, json, html, or jsonl (with --pairs).")
    ] = Format.text,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report to this file.")] = None,
    pairs: Annotated[
        Path | None,
        typer.Option(
            "--pairs", help="A file of SOURCE<TAB>SUSPECT lines: one JSON report per line, in order."
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="Processes for --pairs (0 = one per core).")] = 0,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on", help="Exit 1 if any of these finding types occur, e.g. altered_number,spliced_spam."
        ),
    ] = None,
    max_score: Annotated[
        float | None, typer.Option("--max-score", help="Exit 1 if the provenance score exceeds this.")
    ] = None,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary", help="Text format: only the verdict, the figures and the main findings (one screen)."
        ),
    ] = False,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
    errors: ErrorsOpt = None,
) -> None:
    """Align SUSPECT to SOURCE sentence by sentence and report every change."""
    from provcheck import api
    from provcheck.pair.score import check_max_score, gate, gate_values, parse_fail_on
    from provcheck.report import report_to_json

    with guard():
        settings = load_settings(config, encoding, errors)
        parse_fail_on(fail_on)  # an unknown type is a usage error before any work
        check_max_score(max_score)
        if pairs is not None:
            import json

            from provcheck.pair.batch import compare_pairs_file

            if fmt not in (Format.jsonl, Format.json):
                raise fail("--pairs writes JSON lines: use --format jsonl")
            failures = 0
            sink = _open_out(out) if out else sys.stdout
            try:
                for report_dict in compare_pairs_file(pairs, settings, workers):
                    sink.write(json.dumps(report_dict, ensure_ascii=False) + "\n")
                    sink.flush()
                    if "error" not in report_dict:
                        types = {f["type"] for f in report_dict.get("findings", [])}
                        failures += bool(gate_values(types, float(report_dict["score"]), fail_on, max_score))
            finally:
                if out:
                    sink.close()
            if failures:
                raise fail(f"gate failed on {failures} pair{'s' if failures > 1 else ''}", 1)
            return
        if source is None or suspect is None:
            raise fail("compare needs SOURCE and SUSPECT (or --pairs FILE)")
        report = api.compare(source, suspect, settings)
        if fmt is Format.text:
            from provcheck.report.terminal import render_terminal

            render_terminal(report, out, summary=summary)
        elif fmt is Format.html:
            from provcheck.report.htmlpage import render_html

            write_output(render_html(report), out)
        else:
            from provcheck.report import report_to_json

            write_output(report_to_json(report, indent=2 if fmt is Format.json else None), out)
        failed = gate(report, fail_on, max_score)
        if failed:
            raise fail(f"gate failed: {failed}", 1)


def _open_out(out: Path) -> TextIO:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return out.open("w", encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror or exc}") from None
