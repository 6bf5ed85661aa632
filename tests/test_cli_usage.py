"""Errors are one line with exit 2, never a framed box or a traceback; help names values the way a
person would (``--db DB``, ``--top N``), never typer's ``<bool>`` or ``<list[str]>``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provcheck.cli import app
from tests.cases import SEED_COPY, SEED_SOURCE
from tests.test_docs import ALL

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "--format", "xx", "a", "b"], "'xx' is not one of"),
        (["compare", "--bogus"], "No such option: --bogus"),
        (["nosuch"], "No such command 'nosuch'"),
        (["find"], "Missing argument"),
        (["find", "x.txt", "--top", "0"], "--top"),
        (["index", "add", "x", "--workers", "many"], "valid integer"),
        (["cluster", "corpus", "--threshold", "2"], "--threshold"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("provcheck: ") and message in lines[0], result.stderr
    assert "╭" not in result.stderr and "Traceback" not in result.stderr


def test_a_config_value_of_the_wrong_type_is_one_line(tmp_path: Path) -> None:
    for body in ('[score]\nrewrite_min = "x"\n', "[cluster]\nmin_join_score = [1]\n", "score = 3\n"):
        cfg = tmp_path / "bad.toml"
        cfg.write_text(body, encoding="utf-8")
        p = subprocess.run(
            [sys.executable, "-m", "provcheck", "compare", str(SEED_SOURCE), str(SEED_COPY), "--config", str(cfg)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1, p.stderr
        assert p.stdout == ""


def test_help_has_no_type_placeholders() -> None:
    for name, _ in ALL:
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert not re.search(r"<(bool|str|int|float|path|list\[\w+\])>", result.stdout), (name, result.stdout)
        assert "\\[" not in result.stdout
    text = runner.invoke(app, ["index", "add", "--help"]).stdout
    assert "--strict " in text and "--strict <" not in text  # a flag takes no value
    assert "--db DB" in text and "--workers N" in text and "PATH..." in text
    assert "-f, --format text|json|jsonl" in text
