"""Docs and help keep each other honest: every command is in README and has help text."""

from __future__ import annotations

from pathlib import Path

import click
import typer.main

from provcheck.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for name, cmd in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        out.append((full, cmd))
        if isinstance(cmd, click.Group):
            out += commands(cmd, full + " ")
    return out


ALL = commands(typer.main.get_command(app))  # type: ignore[arg-type]


def test_there_are_commands() -> None:
    names = [n for n, _ in ALL]
    assert "compare" in names


def test_every_command_is_documented_and_has_help() -> None:
    for name, cmd in ALL:
        assert f"provcheck {name}" in README, f"README never shows `provcheck {name}`"
        assert (cmd.help or "").strip(), f"`provcheck {name}` has no help text"
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.hidden and param.name != "help":
                assert (param.help or "").strip(), f"`provcheck {name}` option {param.opts[0]} has no help"


def test_readme_starts_with_the_two_setup_commands() -> None:
    head = README[:800]
    assert "bash scripts/demo.sh" in head and "bash scripts/test.sh" in head
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/test.sh" in ci
