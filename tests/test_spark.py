"""The Spark engine in ``local[2]`` mode: same groups, originals and links as the local engine on a
generated corpus; connected components against union-find; a corrupt Parquet file is a clear error.

One Spark session for the module (the JVM takes ~15 s to start); marked slow, run in CI."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from provcheck.clustering.config import ClusterConfig
from provcheck.clustering.local import cluster_paths
from provcheck.clustering.unionfind import UnionFind
from provcheck.errors import InputError
from tests.cases.corpus import planted_corpus, wrap_chrome

pytest.importorskip("pyspark")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
from provcheck.clustering.spark import cluster_spark, components, session  # noqa: E402 - needs pyspark

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark() -> object:
    s = session("local[2]")
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    planted = planted_corpus(40, seed=3, sites=2)
    rng = random.Random(5)
    chrome_only = [wrap_chrome("", site, rng) for site in (0, 1, 1)]  # pages of nothing but chrome
    first_id, first_text = planted.docs[0]
    ids = [doc_id for doc_id, _ in planted.docs] + ["empty", "chrome-0", "chrome-1", "chrome-2", first_id]
    texts = [text for _, text in planted.docs] + [None, *chrome_only, first_text[::-1]]
    dates = ["2024-01-01" if planted.kind.get(i) == "original" else "2024-03-01" for i in ids]
    path = tmp_path_factory.mktemp("spark") / "docs.parquet"
    pq.write_table(pa.table({"id": ids, "text": texts, "date": dates}), path, row_group_size=16)
    return path, planted


def shape(result: object) -> tuple[object, ...]:
    groups = sorted((g.original, tuple(sorted(m.id for m in g.members))) for g in result.groups)  # type: ignore[attr-defined]
    links = sorted(tuple(sorted((k.a, k.b))) for k in result.links)  # type: ignore[attr-defined]
    return tuple(groups), tuple(links)


def test_spark_gives_the_same_groups_as_the_local_engine(spark: object, corpus: tuple[Path, object]) -> None:
    path, planted = corpus
    cfg = ClusterConfig(workers=1)
    local = cluster_paths(inputs=[str(path)], config=cfg)
    remote = cluster_spark(inputs=[str(path)], config=cfg, spark=spark)
    assert shape(remote) == shape(local)
    assert remote.documents == local.documents
    assert len(remote.skipped) == len(local.skipped) == 2  # no text; a repeated id
    assert "empty" in remote.skipped[0] and "empty" in local.skipped[0]
    assert (
        remote.skipped[1]
        == local.skipped[1]
        == f"{planted.docs[0][0]}: duplicate id (an earlier document has it); ids must be unique"
    )
    assert remote.empty == local.empty == ("chrome-0", "chrome-1", "chrome-2")
    assert [k for k, _ in remote.stats] == [k for k, _ in local.stats]
    want = {
        frozenset(d for d, o in planted.group.items() if o == orig) for orig in set(planted.group.values())
    }  # type: ignore[attr-defined]
    assert {frozenset(m for m in g[1]) for g in shape(remote)[0]} == {g for g in want if len(g) > 1}
    for g in remote.groups:
        assert planted.kind[g.original] == "original"  # type: ignore[attr-defined]
        assert "earliest date" in g.reason


def test_components_match_union_find(spark: object) -> None:
    edges = [(1, 2), (2, 3), (3, 4), (10, 11), (12, 11), (20, 21), (21, 22), (22, 20), (5, 9), (9, 7), (7, 6)]
    labels = dict(components(spark.sparkContext.parallelize(edges, 3)).collect())  # type: ignore[attr-defined]
    uf = UnionFind(30)
    for a, b in edges:
        uf.union(a, b)
    for group in uf.groups():
        assert {labels[x] for x in group} == {min(group)}
    assert set(labels) == {x for e in edges for x in e}


def test_corrupt_parquet_is_a_clear_error(spark: object, tmp_path: Path) -> None:
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1\x00garbagePAR1")
    with pytest.raises(InputError, match=r"cannot read .*bad\.parquet"):
        cluster_spark(inputs=[str(bad)], spark=spark)
    jsonl = tmp_path / "x.jsonl"
    jsonl.write_text(json.dumps({"id": "a", "title": "no text"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="no 'text' column"):
        cluster_spark(inputs=[str(jsonl)], spark=spark)
