"""``cluster --keep-originals``: the corpus written back with one document per group (its named
original) plus every ungrouped document, with the group id, in the input's format and fields; and the
common settings as flags (``--threshold``, ``--min-chars``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provcheck.cli import app
from tests.cases import NEGATIVES, SEED_COPY, SEED_SOURCE, read

runner = CliRunner()


def records() -> list[dict[str, object]]:
    docs = [SEED_COPY, SEED_SOURCE, *NEGATIVES]
    return [
        {"id": f"r{k}", "site": f"site-{k}", "views": 100 * k, "text": read(p), "date": f"2024-05-{10 + k}"}
        for k, p in enumerate(docs)
    ]


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keep") / "feed.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records()), encoding="utf-8")
    return path


def test_jsonl_keeps_the_original_of_each_group_and_every_record_in_no_group(
    feed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "deduped.jsonl"
    result = runner.invoke(app, ["cluster", "--input", str(feed), "--keep-originals", str(out), "-q"])
    assert result.exit_code == 0, result.output
    clusters = json.loads(result.stdout)["clusters"]
    assert [(c["original"], c["members"]) for c in clusters] == [("r1", ["r1", "r0"])]
    kept = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    want = [{**r, "group": 1 if r["id"] == "r1" else None} for r in records() if r["id"] != "r0"]
    assert kept == want  # every field as it was, in input order, plus the group id
    assert list(kept[0]) == ["id", "site", "views", "text", "date", "group"]


def test_parquet_in_parquet_out(feed: Path, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "feed.parquet"
    pq.write_table(pa.Table.from_pylist(records()), src)
    out = tmp_path / "deduped.parquet"
    result = runner.invoke(app, ["cluster", "--input", str(src), "--keep-originals", str(out), "-q"])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.column_names == ["id", "site", "views", "text", "date", "group"]
    assert table.schema.field("views").type == pa.int64() and table.schema.field("group").type == pa.int64()
    assert table.column("id").to_pylist() == ["r1", "r2", "r3", "r4"]
    assert table.column("group").to_pylist() == [1, None, None, None]


def test_files_are_written_as_id_and_text(tmp_path: Path) -> None:
    out = tmp_path / "kept.jsonl"
    result = runner.invoke(app, ["cluster", str(SEED_SOURCE.parent), "--keep-originals", str(out), "-q"])
    assert result.exit_code == 0, result.output
    kept = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(k["id"], k["group"]) for k in kept] == [(str(SEED_SOURCE), 1)] + [
        (str(n), None) for n in NEGATIVES
    ]
    assert kept[0]["text"] == read(SEED_SOURCE)


def test_keep_originals_needs_a_known_format(feed: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["cluster", "--input", str(feed), "--keep-originals", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 2 and result.stderr.strip().endswith(
        "--keep-originals writes .jsonl or .parquet"
    )
    assert not (tmp_path / "x.csv").exists()


def test_threshold_and_min_chars_are_flags(feed: Path) -> None:
    base = ["cluster", "--input", str(feed), "-q"]
    assert json.loads(runner.invoke(app, [*base, "--threshold", "0.5"]).stdout)["clusters"]
    assert json.loads(runner.invoke(app, [*base, "--threshold", "1.0"]).stdout)["clusters"] == []
    assert json.loads(runner.invoke(app, [*base, "--min-chars", "100000"]).stdout)["clusters"] == []
    assert json.loads(runner.invoke(app, [*base, "--min-chars", "500"]).stdout)["clusters"]


def test_a_report_folder_is_the_same_on_every_run(tmp_path: Path) -> None:
    """demo.sh writes reports/cluster into the checkout: only the untracked timings.json may change."""
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        result = runner.invoke(app, ["cluster", str(SEED_SOURCE.parent), "--out", str(out), "-q"])
        assert result.exit_code == 0, result.output
    names = sorted(p.relative_to(outs[0]).as_posix() for p in outs[0].rglob("*") if p.is_file())
    assert "timings.json" in names and "clusters.json" in names
    for name in names:
        if name != "timings.json":
            assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    assert "seconds" not in json.loads((outs[0] / "clusters.json").read_text(encoding="utf-8"))["stats"]
