"""The command line: parse arguments -> call the library -> render -> exit code.

Exit codes: 0 success, 1 a gate failed, 2 bad usage or unreadable input (one line on stderr).
The shared pieces of the command modules: the :data:`app`, options, one-line failures and output.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from provcheck.errors import ProvcheckError

if TYPE_CHECKING:
    from provcheck.api import Settings


class OneLineErrors(TyperGroup):
    """The root command: a usage error is one line on stderr (exit 2), never a framed box."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        from typer._click.exceptions import ClickException, NoArgsIsHelpError

        _plain_help(self)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as exc:  # a bare command: its help, as before
            typer.echo(exc.format_message(), err=True)
            code = 2
        except ClickException as exc:
            where = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "provcheck"  # type: ignore[attr-defined]
            message = " ".join(exc.format_message().split())
            hint = f" (see: {where} --help)" if exc.exit_code == 2 else ""
            typer.echo(f"provcheck: {message}{hint}", err=True)
            code = exc.exit_code
        except typer.Abort:
            typer.echo("provcheck: aborted", err=True)
            code = 1
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


# Value names in help, where the option's own name would not say what it takes.
_METAVARS = {
    "db": "DB",
    "out": "PATH",
    "config": "FILE",
    "pairs": "FILE",
    "encoding": "NAME",
    "fail_on": "TYPES",
    "max_score": "SCORE",
    "max_derived": "SHARE",
    "threshold": "SCORE",
    "keep_originals": "FILE",
    "inputs": "FILE",
    "master": "URL",
    "host": "ADDRESS",
}


def _plain_help(command: Any) -> None:
    """Help that reads like a person wrote it: ``--db DB``, ``--top N``, ``--format text|json``, never
    a type placeholder such as ``<bool>`` or ``<list[str]>`` (typer's default)."""
    from typer.core import TyperArgument, TyperOption

    for param in getattr(command, "params", []):
        name = (param.name or "value").lower()
        if isinstance(param, TyperOption) and param.metavar is None and not param.is_flag:
            choices = (
                getattr(param.type_descriptor, "choices", None) if param.type_descriptor.is_choice else None
            )
            if choices:
                param.metavar = "|".join(str(getattr(c, "value", c)) for c in choices)
            elif param.type_descriptor.is_ranged or param.type_descriptor.annotation in (int,):
                param.metavar = "N"
            else:
                param.metavar = _METAVARS.get(name, name.upper())
        elif isinstance(param, TyperArgument) and not getattr(param, "_plain", False):
            label = name.upper().rstrip("S") + "..." if param.nargs != 1 else name.upper()
            usage = label if param.required else f"[{label}]"
            param.metavar = label
            object.__setattr__(param, "display_type_rich", lambda ctx: None)
            object.__setattr__(param, "_usage_display_name", lambda usage=usage: usage)
            object.__setattr__(param, "_plain", True)
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


app = typer.Typer(
    cls=OneLineErrors,
    rich_markup_mode=None,
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
    typer.Option("--config", help="TOML settings file (tables [align], [diagnose], [score], ...)."),
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
