"""find and check from the command line, as scripts use them: output shape, exit codes, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provcheck.api import canonical_path, check, find
from provcheck.archive.index import Index
from provcheck.archive.search import Archive, ArchiveConfig
from provcheck.cli import app
from tests.cases import NEGATIVES, read
from tests.cases.archive import ORIGINAL, SPUN, chrome_wrapped, traditional


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("archive")
    files = {
        "spun": d / "spun.txt",
        "trad": d / "trad.txt",
        "wrapped": d / "wrapped.txt",
        "tampered": d / "tampered.txt",
        "unrelated": d / "unrelated.txt",
    }
    files["spun"].write_text(read(SPUN), encoding="utf-8")
    files["trad"].write_text(traditional(read(ORIGINAL)), encoding="utf-8")
    files["wrapped"].write_text(chrome_wrapped(read(ORIGINAL)), encoding="utf-8")
    # a verbatim copy with one figure changed: 2024年 -> 2021年 in the first sentence that has it
    files["tampered"].write_text(read(ORIGINAL).replace("2024年", "2021年", 1), encoding="utf-8")
    files["unrelated"].write_text(read(NEGATIVES[2]), encoding="utf-8")
    db = d / "archive.db"
    result = CliRunner().invoke(
        app, ["index", "add", str(ORIGINAL), str(NEGATIVES[0]), str(NEGATIVES[1]), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    return {**files, "db": db}


# index add stores a file by its canonical path (relative to the current folder when inside it)
STORED = canonical_path(ORIGINAL)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_find_jsonl_is_one_object_per_suspect_in_order(env: dict[str, Path]) -> None:
    queries = [env["spun"], env["unrelated"], env["trad"], env["wrapped"]]
    code, out, _ = run("find", *queries, "--db", env["db"], "--format", "jsonl")
    assert code == 0
    lines = [json.loads(x) for x in out.splitlines()]
    assert [x["query"] for x in lines] == [str(q) for q in queries]
    spun, unrelated, trad, wrapped = lines
    assert unrelated["candidates"] == []
    for found in (spun, trad, wrapped):
        best = found["candidates"][0]
        assert best["path"] == STORED
        assert 0.5 < best["score"] <= 1.0
        assert best["relation"] in {"copy", "rewritten"}  # the aligner's verdict, never "unrelated"
    scores = [c["score"] for c in spun["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_find_text_and_json_formats(env: dict[str, Path]) -> None:
    code, out, _ = run("find", env["spun"], "--db", env["db"])
    assert code == 0 and STORED in out and "rewritten" in out
    code, out, _ = run(
        "find", env["spun"], env["unrelated"], "--db", env["db"], "--format", "json", "--top", "1"
    )
    data = json.loads(out)
    assert code == 0 and len(data) == 2 and len(data[0]["candidates"]) == 1 and data[1]["candidates"] == []


def test_find_without_verification_uses_fingerprint_estimates(env: dict[str, Path]) -> None:
    code, out, _ = run("find", env["spun"], "--db", env["db"], "--format", "jsonl", "--no-verify")
    best = json.loads(out)["candidates"][0]
    assert code == 0 and best["path"] == STORED and best["relation"] is None
    assert best["score"] == best["estimate"] and 0.2 < best["score"] < 1.0


def test_check_gate_exit_codes(env: dict[str, Path]) -> None:
    # a rewritten copy of what we hold is rejected by --max-score, and passes without a threshold
    code, out, _ = run("check", env["spun"], "--db", env["db"], "--max-score", "0.5", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["passed"] is False and data["source"] == STORED
    assert data["relation"] == "rewritten" and "score" in data["reason"]
    code, _, _ = run("check", env["spun"], "--db", env["db"])
    assert code == 0
    # nothing related in the index: the gate passes even at --max-score 0
    code, out, _ = run("check", env["unrelated"], "--db", env["db"], "--max-score", "0", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["passed"] and data["source"] is None and data["relation"] == "unrelated"


def test_check_fails_on_tampering_findings(env: dict[str, Path]) -> None:
    code, out, _ = run(
        "check", env["tampered"], "--db", env["db"], "--fail-on", "altered_number", "--format", "json"
    )
    data = json.loads(out)
    altered = [f for f in data["findings"] if f["type"] == "altered_number"]
    assert altered and altered[0]["suspect_text"].startswith("2021")
    assert code == 1 and "altered_number" in data["reason"]
    code, out, _ = run("check", env["wrapped"], "--db", env["db"], "--fail-on", "altered_number,spliced_spam")
    assert code == 0 and "PASS" in out  # chrome alone is no tampering


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "SPUN", "--fail-on", "bogus_type"], "unknown finding type"),
        (["check", "SPUN", "--max-score", "1.5"], "max score"),
        (["check", "missing.txt"], "no such file"),
        (["find", "missing.txt"], "no such file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(env: dict[str, Path], args: list[str], message: str) -> None:
    args = [str(env["spun"]) if a == "SPUN" else a for a in args]
    code, out, err = run(*args, "--db", env["db"])
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1


def test_foreign_corrupt_or_missing_db_is_one_line_and_exit_2(env: dict[str, Path], tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"SQLite format 2\x00" + b"\xff" * 5000)
    damaged = tmp_path / "damaged.db"
    data = bytearray(env["db"].read_bytes())
    data[4096:] = b"\xa5" * (len(data) - 4096)
    damaged.write_bytes(bytes(data))
    for db in (garbage, damaged, tmp_path / "missing.db"):
        for cmd in (
            ["find", env["spun"]],
            ["check", env["spun"]],
            ["index", "stats"],
            ["index", "add", ORIGINAL],
        ):
            code, out, err = run(*cmd, "--db", db)
            if cmd[0] == "index" and cmd[1] == "add" and db.name == "missing.db":
                assert code == 0  # add creates a new index
                continue
            assert code == 2, (db.name, cmd, out, err)
            assert err.startswith("provcheck: ") and len(err.strip().splitlines()) == 1, err


def test_index_commands(env: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "i.db"
    code, out, _ = run("index", "add", ORIGINAL, NEGATIVES[0], "--db", db, "--format", "json")
    assert code == 0 and json.loads(out)["added"] == 2
    code, out, _ = run("index", "add", ORIGINAL, "--db", db)
    assert code == 0 and "unchanged 1" in out
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    code, out, err = run("index", "add", binary, ORIGINAL, "--db", db)
    assert code == 0 and "unchanged 1" in out and "binary" in err  # skipped with a warning
    code, out, err = run("index", "add", binary, ORIGINAL, "--db", db, "--strict")
    assert code == 2 and "could not be read" in err
    code, out, err = run("index", "add", binary, "--db", db)
    assert code == 2 and "could not be read" in err  # nothing could be read at all
    code, out, _ = run("index", "stats", "--db", db, "--format", "json")
    assert code == 0 and json.loads(out)["documents"] == 2
    code, _, err = run("index", "remove", ORIGINAL, "not-there", "--db", db)
    assert code == 2 and "not-there" in err
    code, out, _ = run("index", "remove", ORIGINAL, "--db", db)
    assert code == 0 and "1 documents" in out


def test_db_defaults_to_environment_variable(env: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVCHECK_DB", str(env["db"]))
    code, out, _ = run("find", env["spun"], "--format", "jsonl")
    assert code == 0 and json.loads(out)["candidates"][0]["path"] == STORED


def test_library_find_and_check(env: dict[str, Path]) -> None:
    result = find(env["spun"], env["db"])
    assert result.best is not None and result.best.id == STORED and result.best.report is not None
    gate = check(env["spun"], env["db"], max_score=0.5)
    assert not gate.passed and gate.best is not None and gate.best.id == STORED
    with Index(env["db"], create=False) as index:
        quick = Archive(index, config=ArchiveConfig(verify=0)).find(env["spun"])
        assert quick.best is not None and quick.best.report is None and quick.best.relation is None
