"""The command line: parse arguments -> call the library -> render -> exit code.

Exit codes: 0 success, 1 a gate failed, 2 bad usage or unreadable input (one line on stderr).
The shared pieces of the command modules: the :data:`app`, options, one-line failures and output.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from provcheck.errors import ProvcheckError

if TYPE_CHECKING:
    from provcheck.api import Settings

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


ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="TOML settings file (tables \\[align], \\[diagnose], \\[score], ...)."),
]
EncodingOpt = Annotated[
    str | None, typer.Option("--encoding", help="Force the input encoding instead of detecting it.")
]


ErrorsOpt = Annotated[
    str | None,
    typer.Option(
        "--errors",
        help="strict (default): undecodable bytes are an error; replace: read them as U+FFFD.",
        show_default=False,
    ),
]


def load_settings(config: Path | None, encoding: str | None = None, errors: str | None = None) -> Settings:
    from dataclasses import replace

    from provcheck.api import Settings
    from provcheck.errors import ConfigError

    settings = Settings.from_toml(config) if config else Settings()
    if errors is not None:
        if errors not in ("strict", "replace"):
            raise ConfigError(f"--errors takes strict or replace, not {errors!r}")
        settings = replace(settings, read=replace(settings.read, errors=errors))
    return replace(settings, encoding=encoding) if encoding else settings
