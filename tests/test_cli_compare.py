"""The compare command as scripts use it: exit codes, one-line errors, JSON, batches in order."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provcheck.cli import app
from tests.cases import CORPUS, NEGATIVES, SEED_COPY, SEED_SOURCE

PROVCHECK = [sys.executable, "-m", "provcheck"]
RUNNER = CliRunner()


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str) -> Ran:
    """The command in-process through typer's CliRunner; a crash (not a clean exit) fails the test."""
    res = RUNNER.invoke(app, list(args))
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return Ran(res.exit_code, res.stdout, res.stderr)


def test_json_report_contract() -> None:
    p = run("compare", str(SEED_SOURCE), str(SEED_COPY), "--format", "json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["relation"] == "rewritten" and 0 <= d["score"] <= 1
    assert d["suspect"] == str(SEED_COPY)
    text = SEED_COPY.read_text(encoding="utf-8")
    for f in d["findings"]:
        assert set(f) >= {"type"}
        if "suspect_span" in f:
            a, b = f["suspect_span"]
            assert text[a:b] == f["suspect_text"]


def test_suspect_from_standard_input() -> None:
    p = subprocess.run(
        [*PROVCHECK, "compare", str(SEED_SOURCE), "-", "--format", "json"],
        input=SEED_COPY.read_bytes().decode("utf-8").encode("gb18030"),
        capture_output=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["suspect"] == "-" and d["relation"] == "rewritten" and d["encoding"]["suspect"] == "gb18030"


def test_text_report_and_out_file(tmp_path: Path) -> None:
    out = tmp_path / "r.txt"
    p = run("compare", str(SEED_SOURCE), str(SEED_COPY), "--out", str(out))
    assert p.returncode == 0, p.stderr
    report = out.read_text(encoding="utf-8")
    assert report.startswith("Rewritten, tampered") and "{教化}" in report and "[spam:开云电子]" in report


def test_pairs_batch_keeps_input_order(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    rows = [(SEED_SOURCE, SEED_COPY), *((SEED_SOURCE, n) for n in NEGATIVES), (SEED_SOURCE, SEED_SOURCE)] * 3
    pairs.write_text("".join(f"{a}\t{b}\n" for a, b in rows), encoding="utf-8")
    p = run("compare", "--pairs", str(pairs), "--format", "jsonl")
    assert p.returncode == 0, p.stderr
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert [d["suspect"] for d in lines] == [str(b) for _, b in rows]
    assert [d["relation"] for d in lines[:5]] == ["rewritten", "unrelated", "unrelated", "unrelated", "copy"]


def test_pairs_line_with_missing_file_reports_error_in_place(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(
        f"{SEED_SOURCE}\t{tmp_path / 'gone.txt'}\n{SEED_SOURCE}\t{SEED_COPY}\n", encoding="utf-8"
    )
    p = run("compare", "--pairs", str(pairs), "--format", "jsonl", "--workers", "1")
    assert p.returncode == 0
    first, second = (json.loads(x) for x in p.stdout.splitlines())
    assert "no such file" in first["error"] and second["relation"] == "rewritten"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "missing.txt", str(SEED_COPY)], "no such file"),
        (["compare", str(SEED_SOURCE)], "needs SOURCE and SUSPECT"),
        (["compare", str(CORPUS), str(SEED_COPY)], "is a folder"),
        (["compare", "--pairs", "nope.tsv", "--format", "jsonl"], "cannot read"),
        (["compare", str(SEED_SOURCE), str(SEED_COPY), "--config", "nope.toml"], "cannot read settings"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    p = run(*args)
    assert p.returncode == 2
    assert message in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
    assert "Traceback" not in p.stderr


def test_binary_and_empty_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    for bad in (empty, binary):
        p = run("compare", str(SEED_SOURCE), str(bad))
        assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1


def test_gate_exit_codes() -> None:
    p = run("compare", str(SEED_SOURCE), str(SEED_COPY), "--format", "json", "--fail-on", "spliced_spam")
    assert p.returncode == 1 and "spliced_spam" in p.stderr
    p = run("compare", str(SEED_SOURCE), str(SEED_COPY), "--format", "json", "--fail-on", "altered_number")
    assert p.returncode == 0
    p = run("compare", str(SEED_SOURCE), str(NEGATIVES[0]), "--format", "json", "--max-score", "0.5")
    assert p.returncode == 0
    p = run("compare", str(SEED_SOURCE), str(SEED_COPY), "--format", "json", "--max-score", "0.5")
    assert p.returncode == 1


def test_settings_file(tmp_path: Path) -> None:
    cfg = tmp_path / "s.toml"
    cfg.write_text(
        '[score]\nrewrite_min = 100000\n[diagnose]\nextra_spam_cues = ["strong: 哈尔滨样板"]\n',
        encoding="utf-8",
    )
    p = run("compare", str(SEED_SOURCE), str(SEED_COPY), "--format", "json", "--config", str(cfg))
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    # No rewrite is called with an impossible swap floor; without it, spun text counts only as far
    # as it reads verbatim, so the spun seed is a partial copy.
    assert d["relation"] == "partial"
    bad = tmp_path / "bad.toml"
    bad.write_text("[score]\nnot_a_setting = 1\n", encoding="utf-8")
    p = run("compare", str(SEED_SOURCE), str(SEED_COPY), "--config", str(bad))
    assert p.returncode == 2 and "not_a_setting" in p.stderr


def test_pairs_batch_applies_the_gate(tmp_path: Path) -> None:
    """Bug 2: --pairs returned before the gate, so --fail-on and --max-score never failed a batch."""
    from typer.testing import CliRunner

    from provcheck.cli import app

    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(f"{SEED_SOURCE}\t{NEGATIVES[0]}\n{SEED_SOURCE}\t{SEED_COPY}\n", encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(
        app, ["compare", "--pairs", str(pairs), "--format", "jsonl", "--fail-on", "spliced_spam"]
    )
    assert res.exit_code == 1 and "gate failed on 1 pair" in res.stderr
    assert len(res.stdout.splitlines()) == 2  # every report is still written
    res = runner.invoke(app, ["compare", "--pairs", str(pairs), "--format", "jsonl", "--max-score", "0.5"])
    assert res.exit_code == 1
    res = runner.invoke(
        app, ["compare", "--pairs", str(pairs), "--format", "jsonl", "--fail-on", "altered_number"]
    )
    assert res.exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fail-on", "spliced-spam"], "unknown finding type spliced-spam"),
        (["--fail-on", "altered_number,nope"], "unknown finding type nope"),
        (["--max-score", "1.5"], "max score must be a number in [0, 1]"),
        (["--max-score", "nan"], "max score must be a number in [0, 1]"),
    ],
)
def test_gate_options_are_checked_before_any_work(args: list[str], message: str) -> None:
    """Bug 3: a misspelt finding type passed a copy with spliced spam (exit 0)."""
    from typer.testing import CliRunner

    from provcheck.cli import app

    res = CliRunner().invoke(app, ["compare", str(SEED_SOURCE), str(SEED_COPY), *args])
    assert res.exit_code == 2 and message in res.stderr and res.stderr.count("\n") == 1
