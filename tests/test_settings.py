"""One settings file configures every stage; wrong names, types, ranges and paths are one-line errors
(exit 2), and every command that opens an index opens it with the same fingerprint settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provcheck.api import Settings
from provcheck.cli import app
from provcheck.errors import ConfigError
from tests.cases import CORPUS, SEED_COPY, SEED_SOURCE

runner = CliRunner()


def write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_every_stage_has_a_table(tmp_path: Path) -> None:
    s = Settings.from_toml(
        write(
            tmp_path,
            "[index]\nmax_key_docs = 500\n[fingerprint]\nnum_perm = 64\n[diagnose]\nextra_spam_cues = ['x']\n"
            "[cluster]\nmin_join_score = 0.8\nmax_bucket = 50\n[archive]\nverify = 3\n[score]\nrewrite_min = 3\n",
        )
    )
    assert s.index.max_key_docs == 500 and s.fingerprint.num_perm == 64
    assert s.index_config().fingerprint.num_perm == 64 and s.cluster_config().fingerprint.num_perm == 64
    assert s.cluster.min_join_score == 0.8 and s.cluster.max_bucket == 50 and s.archive.verify == 3
    assert s.diagnose.extra_spam_cues == ("x",) and s.score.rewrite_min == 3
    assert s.align == Settings().align


def test_older_index_fingerprint_table_is_the_one_fingerprint_config(tmp_path: Path) -> None:
    s = Settings.from_toml(write(tmp_path, "[index.fingerprint]\nnum_perm = 64\n"))
    assert s.fingerprint.num_perm == 64 and s.index_config().fingerprint.num_perm == 64


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[nope]\na = 1\n", r"unknown setting\(s\) in \[settings\]: nope"),
        ("[fingerprint]\nbogus = 1\n", r"\[fingerprint\]: bogus"),
        ("[score]\nreuse_chars = { a = 1 }\n", "not a settings table"),
        ("[score\n", "cannot read settings"),
        ('[score]\nrewrite_min = "x"\n', r"score.rewrite_min = 'x': expected a whole number"),
        ("[score]\nstrong_pair = true\n", "expected a number"),
        ("[diagnose]\nextra_spam_cues = [1]\n", "expected a string"),
        ("[fingerprint]\nnum_perm = 0\n", "bad settings in \\[fingerprint\\]"),
        ("[cluster]\nmin_estimate = 2.0\n", "bad settings in \\[cluster\\]"),
        ("[diagnose]\ncue_dir = 'no-such-folder'\n", "cue_dir no-such-folder: no such folder"),
        ("score = 1\n", "score must be a table"),
    ],
)
def test_bad_settings_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_toml(write(tmp_path, text))


def test_cue_dir_is_relative_to_the_settings_file(tmp_path: Path) -> None:
    (tmp_path / "cues").mkdir()
    s = Settings.from_toml(write(tmp_path, "[diagnose]\ncue_dir = 'cues'\n"))
    assert s.diagnose.cue_dir == str(tmp_path / "cues")


@pytest.mark.parametrize(
    "text",
    ['[score]\nrewrite_min = "x"\n', "[fingerprint]\nnum_perm = 0\n", "[diagnose]\ncue_dir = 'nope'\n"],
)
def test_bad_settings_file_is_one_line_and_exit_2(tmp_path: Path, text: str) -> None:
    cfg = write(tmp_path, text)
    res = runner.invoke(app, ["compare", str(SEED_SOURCE), str(SEED_COPY), "--config", str(cfg)])
    assert res.exit_code == 2, res.output
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("provcheck: ")


def test_every_index_command_uses_the_configured_fingerprint(tmp_path: Path) -> None:
    """Bug 1: find, check, index stats and cluster --db opened the index with default settings."""
    cfg = write(tmp_path, "[fingerprint]\nnum_perm = 64\n")
    db = tmp_path / "x.db"
    res = runner.invoke(app, ["index", "add", str(CORPUS), "--db", str(db), "--config", str(cfg), "-q"])
    assert res.exit_code == 0, res.stderr
    with_cfg = ["--db", str(db), "--config", str(cfg)]
    res = runner.invoke(app, ["find", str(SEED_COPY), *with_cfg, "--format", "jsonl"])
    assert res.exit_code == 0 and "001_f774ca4a0bf60419" in res.stdout, res.stderr
    res = runner.invoke(app, ["check", str(SEED_COPY), *with_cfg, "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["source"] is not None
    res = runner.invoke(app, ["index", "stats", *with_cfg])
    assert res.exit_code == 0, res.stderr
    res = runner.invoke(app, ["cluster", *with_cfg, "--quiet", "--workers", "1"])
    assert res.exit_code == 0, res.stderr
    groups = json.loads(res.stdout)["clusters"]
    assert [sorted(Path(m).name[:3] for m in g["members"]) for g in groups] == [["000", "001"]]
    # without the settings the index refuses, in one line
    res = runner.invoke(app, ["find", str(SEED_COPY), "--db", str(db)])
    assert res.exit_code == 2 and "other fingerprint settings" in res.stderr and res.stderr.count("\n") == 1


def test_serve_opens_the_index_with_the_configured_fingerprint(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from provcheck.web import create_app

    cfg = write(tmp_path, "[fingerprint]\nnum_perm = 64\n")
    settings = Settings.from_toml(cfg)
    db = tmp_path / "x.db"
    assert (
        runner.invoke(
            app, ["index", "add", str(CORPUS), "--db", str(db), "--config", str(cfg), "-q"]
        ).exit_code
        == 0
    )
    client = TestClient(create_app(settings, db))
    res = client.post("/api/find", data={"suspect": SEED_COPY.read_text(encoding="utf-8")})
    assert res.status_code == 200, res.text
    assert "001_f774ca4a0bf60419" in res.text


def test_cluster_table_configures_clustering(tmp_path: Path) -> None:
    """Bug 4: a [cluster] table was an unknown settings table."""
    strict = write(tmp_path, "[cluster]\nmin_join_score = 1.0\nmin_link_score = 1.0\n")
    res = runner.invoke(app, ["cluster", str(CORPUS), "--config", str(strict), "--quiet", "--workers", "1"])
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["clusters"] == []  # a spun copy scores below 1.0: no group
    res = runner.invoke(app, ["cluster", str(CORPUS), "--quiet", "--workers", "1"])
    assert len(json.loads(res.stdout)["clusters"]) == 1
