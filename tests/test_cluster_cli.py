"""``provcheck cluster`` on the command line: the JSON contract, CSV rows, the report folder (HTML
escaped), the summary on stderr, and bad input (exit 2 with one line, or a reported skip)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provcheck.api import canonical_path
from provcheck.cli import app
from tests.cases import CORPUS, SEED_COPY, SEED_SOURCE

runner = CliRunner()


def run(*args: str) -> object:
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def xss_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed pair, the copy renamed with markup in its name and text, and the negatives."""
    root = tmp_path_factory.mktemp("xss")
    (root / "orig.txt").write_text(SEED_SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    evil = '<script>alert("x")</script>' + SEED_COPY.read_text(encoding="utf-8")
    (root / "<img src=x onerror=alert(1)>.txt").write_text(evil, encoding="utf-8")
    for p in sorted(CORPUS.glob("00[234]_*.txt")):
        (root / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    return root


def test_json_follows_the_contract() -> None:
    res = run("cluster", str(CORPUS), "--format", "json", "--workers", "1")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["clusters"] == [
        {
            "id": 1,
            "original": str(SEED_SOURCE),
            "members": [str(SEED_SOURCE), str(SEED_COPY)],
            "reason": data["clusters"][0]["reason"],
            "roles": data["clusters"][0]["roles"],
        }
    ]
    roles = data["clusters"][0]["roles"]
    assert [r["role"] for r in roles] == ["original", "rewritten"]
    assert data["documents"] == 5 and data["skipped"] == [] and data["links"] == []
    assert "provcheck cluster: 5 documents, 1 group (2 documents)" in res.stderr


def test_paths_in_output_are_as_given(tmp_path: Path) -> None:
    """Files given one by one, in another order: the JSON names them exactly as given."""
    files = [str(SEED_COPY), str(SEED_SOURCE)]
    data = json.loads(run("cluster", *files, "-q", "--workers", "1").stdout)
    assert set(data["clusters"][0]["members"]) == set(files)
    assert data["clusters"][0]["original"] == str(SEED_SOURCE)


def test_csv_has_one_row_per_document() -> None:
    res = run("cluster", str(CORPUS), "--format", "csv", "-q", "--workers", "1")
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 5
    by = {r["document"]: r for r in rows}
    assert by[str(SEED_SOURCE)]["role"] == "original" and by[str(SEED_SOURCE)]["group"] == "1"
    assert by[str(SEED_COPY)]["role"] == "rewritten" and float(by[str(SEED_COPY)]["score"]) > 0.8
    assert {r["role"] for r in rows if r["group"] == ""} == {"unique"}
    assert res.stderr == ""


def test_out_writes_json_csv_and_escaped_html(xss_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "run"
    res = run("cluster", str(xss_corpus), "--out", str(out), "--workers", "1")
    assert res.exit_code == 0, res.output
    printed = json.loads(res.stdout)
    timings = {k: printed["stats"].pop(k) for k in list(printed["stats"]) if k.startswith("seconds")}
    assert json.loads((out / "clusters.json").read_text(encoding="utf-8")) == printed
    assert json.loads((out / "timings.json").read_text(encoding="utf-8")).keys() == timings.keys()
    assert (
        (out / "clusters.csv").read_text(encoding="utf-8").startswith("document,group,role,score,original\n")
    )
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page
    member = next((out / "members").glob("*.html"))
    assert f'href="members/{member.name}"' in page
    report = member.read_text(encoding="utf-8")
    assert "<script>alert" not in report and "<img src=x" not in report
    assert 'href="../index.html#g1"' in report
    assert f"report: {out / 'index.html'}" in res.stderr


def test_jsonl_record_without_text_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": SEED_SOURCE.read_text(encoding="utf-8")}, ensure_ascii=False),
        json.dumps({"id": "b"}),
        "not json",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = run("cluster", "--input", str(path), "--workers", "1")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["documents"] == 1
    assert data["skipped"] == [f"{path}:2: no text field", f"{path}:3: not JSON"]
    assert "2 skipped" in res.stderr
    strict = run("cluster", "--input", str(path), "--strict", "--workers", "1")
    assert strict.exit_code == 2
    assert strict.stderr.count("\n") == 1 and "could not be read" in strict.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cluster"], "cluster needs files or folders"),
        (["cluster", "no/such/dir"], "no such file or folder"),
        (["cluster", "--input", "x.csv"], "no such file"),
        (["cluster", "--db", "missing.db"], "no such index database"),
    ],
)
def test_bad_usage_exits_2_with_one_line(args: list[str], message: str) -> None:
    res = run(*args)
    assert res.exit_code == 2
    assert message in res.stderr and res.stderr.count("\n") == 1


def test_corrupt_parquet_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.parquet"
    bad.write_bytes(b"PAR1\x00\x01garbage-not-parquetPAR1")
    res = run("cluster", "--input", str(bad))
    assert res.exit_code == 2
    assert "not a valid Parquet file" in res.stderr and res.stderr.count("\n") == 1


def test_db_input_clusters_an_archive_index(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert run("index", "add", str(CORPUS), "--db", str(db), "-q").exit_code == 0
    res = run("cluster", "--db", str(db), "-q", "--workers", "1")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["clusters"][0]["original"] == canonical_path(SEED_SOURCE)  # index add's id


def test_overview_escapes_links_and_skipped_inputs() -> None:
    from provcheck.clustering.result import Clustering, Group, Link, Member
    from provcheck.report.overview import clustering_to_csv, render_overview

    evil = '"><script>alert(1)</script>'
    result = Clustering(
        groups=(
            Group(
                1,
                f"a{evil}",
                f"reason {evil}",
                (Member(f"a{evil}", "original", 1.0, "original"), Member("b", "copy", 0.9, "copy")),
            ),
        ),
        links=(Link(f"a{evil}", f"c{evil}", 0.3, 1, None),),
        documents=(f"a{evil}", "b", f"c{evil}"),
        skipped=(f"bad{evil}.jsonl:2: no text field",),
    )
    page = render_overview(result, {"b": f"members/{evil}.html"})
    assert (
        "<script>" not in page and page.count("&lt;script&gt;") == 8
    )  # original (contents, heading, named), member row, reason, link ends, skipped
    assert 'href="members/%22%3E%3Cscript%3Ealert%281%29%3C/script%3E.html"' in page
    rows = clustering_to_csv(result).splitlines()
    assert len(rows) == 4 and rows[3].endswith(",,unique,,")
