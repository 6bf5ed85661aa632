"""The archive path as a first user meets it: README's import.sh runs as printed, ``index init``,
``index add --quiet``, one file is one document whatever its path spelling, ``find`` on folders and
with titles and dates."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provcheck.cli import app
from tests.cases import NEGATIVES, ROOT, SEED_SOURCE, read
from tests.cases.pair import body, splice_spam

README = (ROOT / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def import_script() -> str:
    blocks = re.findall(r"```bash\n(.*?)```", README, re.S)
    [script] = [b for b in blocks if "# import.sh" in b]
    return script


@pytest.mark.slow
def test_readme_import_script_runs_as_printed(tmp_path: Path) -> None:
    (tmp_path / "script.sh").write_text(import_script(), encoding="utf-8")
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    original = body(read(SEED_SOURCE))
    (incoming / "a-original.txt").write_text(original, encoding="utf-8")
    (incoming / "b-spammed.txt").write_text(splice_spam(original).suspect, encoding="utf-8")
    (incoming / "c-other.txt").write_text(read(NEGATIVES[0]), encoding="utf-8")
    (incoming / "d-broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PROVCHECK_DB", None)
    p = subprocess.run(
        ["bash", "script.sh"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout == ""  # index add --quiet and index init print nothing
    assert p.stderr.splitlines() == [
        "provcheck: incoming/d-broken.txt is a binary file, not text",
        "cannot check incoming/d-broken.txt",
    ]

    def names(folder: str) -> list[str]:
        return sorted(f.name for f in (tmp_path / folder).iterdir())

    assert names("accepted") == ["a-original.txt", "c-other.txt"]
    assert names("rejected") == ["b-spammed.txt"]
    assert names("failed") == ["d-broken.txt"] and names("incoming") == []
    verdict = json.loads((tmp_path / "verdicts" / "b-spammed.txt.json").read_text(encoding="utf-8"))
    assert verdict["passed"] is False and verdict["source"] == "accepted/a-original.txt"
    code, out, _ = run("index", "stats", "--db", tmp_path / "archive.db", "--format", "json")
    assert code == 0 and json.loads(out)["documents"] == 2
    # run again on an empty incoming/: nothing happens, nothing fails
    again = subprocess.run(["bash", "script.sh"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout == again.stderr == ""


def test_index_init_creates_an_empty_index_and_keeps_an_existing_one(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    assert run("index", "init", "--db", db)[:2] == (0, f"{db}: an index of 0 documents\n")
    assert run("find", SEED_SOURCE, "--db", db, "--format", "jsonl")[:2] == (
        0,
        json.dumps({"query": str(SEED_SOURCE), "candidates": []}) + "\n",
    )
    assert run("index", "add", SEED_SOURCE, "--db", db, "-q")[:2] == (0, "")
    assert run("index", "init", "--db", db)[:2] == (0, f"{db}: an index of 1 documents\n")
    (tmp_path / "junk.db").write_bytes(b"not sqlite at all" * 100)
    code, _, err = run("index", "init", "--db", tmp_path / "junk.db")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_one_file_is_one_document_whatever_its_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "x.txt").write_text(read(SEED_SOURCE), encoding="utf-8")
    for spelling in (
        "corpus/x.txt",
        "./corpus/x.txt",
        str(tmp_path / "corpus" / "x.txt"),
        "corpus/../corpus/x.txt",
    ):
        assert run("index", "add", spelling, "--db", "a.db", "-q")[0] == 0
    code, out, _ = run("index", "stats", "--db", "a.db", "--format", "json")
    assert json.loads(out)["documents"] == 1
    code, out, _ = run("find", "corpus/x.txt", "--db", "a.db", "--format", "jsonl")
    assert [c["path"] for c in json.loads(out)["candidates"]] == ["corpus/x.txt"]
    assert run("index", "remove", f"{tmp_path}/corpus/x.txt", "--db", "a.db")[:2] == (
        0,
        "removed 1 -> 0 documents\n",
    )
    code, _, err = run("index", "remove", "corpus/x.txt", "--db", "a.db")
    assert code == 2 and "not in the index" in err


def test_find_takes_folders_and_shows_titles_and_dates(tmp_path: Path) -> None:
    records = tmp_path / "feed.jsonl"
    records.write_text(
        json.dumps({"id": "a1", "text": read(SEED_SOURCE), "title": "哈尔滨职业教育", "date": "2024-05-17"},
                   ensure_ascii=False) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    db = tmp_path / "t.db"
    assert run("index", "add", records, "--db", db, "-q")[0] == 0
    folder = tmp_path / "suspects"
    (folder / "deeper").mkdir(parents=True)
    (folder / "copy.txt").write_text(read(SEED_SOURCE), encoding="utf-8")
    (folder / "deeper" / "other.txt").write_text(read(NEGATIVES[0]), encoding="utf-8")
    code, out, _ = run("find", folder, "--db", db, "--format", "jsonl")
    assert code == 0
    found = [json.loads(line) for line in out.splitlines()]
    assert [f["query"] for f in found] == [str(folder / "copy.txt"), str(folder / "deeper" / "other.txt")]
    assert [c["path"] for c in found[0]["candidates"]] == ["a1"] and found[1]["candidates"] == []
    code, out, _ = run("find", folder / "copy.txt", "--db", db)
    assert out.splitlines()[1].split()[-1] == "a1"
    assert out.splitlines()[2].strip() == "哈尔滨职业教育 · 2024-05-17"
