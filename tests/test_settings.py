"""One settings file configures every stage, the index included; unknown names are errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from casegen import CORPUS, SEED_COPY

from provcheck.api import Settings
from provcheck.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "s.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_nested_tables(tmp_path: Path) -> None:
    s = Settings.from_toml(
        write(tmp_path, '[index]\nmax_key_docs = 500\n[index.fingerprint]\nnum_perm = 64\n[diagnose]\nextra_spam_cues = ["x"]\n')
    )
    assert s.index.max_key_docs == 500 and s.index.fingerprint.num_perm == 64
    assert s.diagnose.extra_spam_cues == ("x",)
    assert s.align == Settings().align


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[nope]\na = 1\n", "unknown settings table"),
        ("[index.fingerprint]\nbogus = 1\n", r"\[index.fingerprint\]: bogus"),
        ("[score]\nunrelated_strong = { a = 1 }\n", "not a settings table"),
        ("[score\n", "cannot read settings"),
    ],
)
def test_bad_settings(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_toml(write(tmp_path, text))


def test_index_keeps_its_fingerprint_settings(tmp_path: Path) -> None:
    cfg = write(tmp_path, "[index.fingerprint]\nnum_perm = 64\n")
    db = tmp_path / "x.db"
    run = [sys.executable, "-m", "provcheck"]
    p = subprocess.run([*run, "index", "add", str(CORPUS), "--db", str(db), "--config", str(cfg), "-q"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    p = subprocess.run([*run, "find", str(SEED_COPY), "--db", str(db), "--config", str(cfg), "--format", "jsonl"], capture_output=True, text=True)
    assert p.returncode == 0 and "001_f774ca4a0bf60419" in p.stdout
    p = subprocess.run([*run, "find", str(SEED_COPY), "--db", str(db), "--format", "jsonl"], capture_output=True, text=True)
    assert p.returncode == 2 and "other fingerprint settings" in p.stderr
