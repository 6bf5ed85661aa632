"""Clustering: union-find and bucketing against naive references, link rules, naming the original
from evidence, and the local pipeline on the seeds and on generated corpora with planted groups."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provcheck.clustering.candidates import (
    bucket_pairs,
    content_grams,
    line_keys,
    pair_estimates,
    shared_content,
    worth_verifying,
)
from provcheck.clustering.config import ClusterConfig
from provcheck.clustering.evidence import Direction, link_of
from provcheck.clustering.local import Spill, cluster_documents, cluster_paths, iter_input, iter_parquet
from provcheck.clustering.naming import by_consensus, name_original
from provcheck.clustering.unionfind import UnionFind
from provcheck.errors import InputError
from provcheck.model import Document
from provcheck.text.read import document_from_text
from tests.cases import CORPUS, SEED_COPY, SEED_SOURCE
from tests.cases.corpus import Vocabulary, planted_corpus, synth_articles

# -- union-find -----------------------------------------------------------------------------------


def naive_components(n: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    label = list(range(n))
    changed = True
    while changed:
        changed = False
        for a, b in edges:
            m = min(label[a], label[b])
            if label[a] != m or label[b] != m:
                label[a] = label[b] = m
                changed = True
    groups: dict[int, list[int]] = {}
    for x in range(n):
        groups.setdefault(label[x], []).append(x)
    return sorted((g for g in groups.values() if len(g) >= 2), key=lambda g: g[0])


@given(
    st.integers(1, 40).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60)
        )
    )
)
def test_union_find_matches_naive_reference(case: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = case
    uf = UnionFind(n)
    for a, b in edges:
        uf.union(a, b)
    assert uf.groups() == naive_components(n, edges)
    for a, b in edges:
        assert uf.connected(a, b)


def test_union_reports_whether_it_joined() -> None:
    uf = UnionFind(3)
    assert uf.union(0, 1) is True
    assert uf.union(1, 0) is False
    assert uf.groups(min_size=1) == [[0, 1], [2]]


# -- candidates -----------------------------------------------------------------------------------


def naive_bucket_pairs(keys: list[list[int]], cfg: ClusterConfig) -> dict[tuple[int, int], int]:
    holders: dict[int, set[int]] = {}
    for doc, ks in enumerate(keys):
        for k in ks:
            holders.setdefault(k, set()).add(doc)
    shared: dict[tuple[int, int], int] = {}
    for docs in holders.values():
        if 2 <= len(docs) <= cfg.max_bucket:
            ds = sorted(docs)
            for i, a in enumerate(ds):
                for b in ds[i + 1 :]:
                    shared[(a, b)] = shared.get((a, b), 0) + 1
    return {p: c for p, c in shared.items() if c >= cfg.min_shared_keys}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 12), max_size=8), min_size=1, max_size=12),
    st.integers(2, 6),
    st.integers(1, 3),
)
def test_bucket_pairs_matches_naive_reference(
    keys: list[list[int]], max_bucket: int, min_shared: int
) -> None:
    cfg = ClusterConfig(max_bucket=max_bucket, min_shared_keys=min_shared)
    flat = np.array([k for ks in keys for k in ks], dtype=np.int64)
    owners = np.array([d for d, ks in enumerate(keys) for _ in ks], dtype=np.int64)
    pairs, shared = bucket_pairs(flat, owners, cfg)
    got = {(int(a), int(b)): int(c) for (a, b), c in zip(pairs, shared, strict=True)}
    assert got == naive_bucket_pairs(keys, cfg)


def test_chrome_bucket_is_skipped() -> None:
    """A key held by more documents than max_bucket (a site's footer) makes no candidates."""
    cfg = ClusterConfig(max_bucket=3, min_shared_keys=1)
    keys = np.array([7, 7, 7, 7, 9, 9], dtype=np.int64)
    owners = np.array([0, 1, 2, 3, 0, 1], dtype=np.int64)
    pairs, _ = bucket_pairs(keys, owners, cfg)
    assert pairs.tolist() == [[0, 1]]


def test_pair_estimates_identical_and_disjoint() -> None:
    v = np.arange(32, dtype=np.uint32).reshape(2, 16)
    same = np.stack([v[0], v[0], v[1]])
    est = pair_estimates([same], np.array([[50], [50], [50]]), np.array([[0, 1], [0, 2]]), ClusterConfig())
    assert est.tolist() == [1.0, 0.0]


# -- verification and naming ----------------------------------------------------------------------


def d(src: str, sus: str, relation: str = "copy", score: float = 1.0, **kw: object) -> Direction:
    return Direction(src, sus, relation, score, 1.0, **kw)  # type: ignore[arg-type]


def test_link_joins_when_either_direction_finds_a_copy() -> None:
    assert link_of(d("a", "b"), d("b", "a", "partial", 0.6)) == ("copy", 1.0)
    assert link_of(d("a", "b", "rewritten"), d("b", "a", "copy"))[0] == "rewritten"
    assert link_of(d("a", "b", "partial", 0.3), d("b", "a", "unrelated", 0.0)) == ("partial", 0.3)
    assert link_of(d("a", "b", "unrelated", 0.0), d("b", "a", "unrelated", 0.0))[0] == "unrelated"


def never(_: str) -> int:
    return 0


def test_original_lacks_the_chrome_and_spam_the_copies_carry() -> None:
    pairs = {
        ("copy1", "orig"): (d("copy1", "orig"), d("orig", "copy1", chrome=150, spam=40)),
        ("orig", "copy2"): (d("orig", "copy2", chrome=120), d("copy2", "orig")),
        ("copy1", "copy2"): (d("copy1", "copy2", chrome=120), d("copy2", "copy1", chrome=150, spam=40)),
    }
    naming = name_original(["copy1", "copy2", "orig"], pairs, never)
    assert naming.original == "orig"
    assert "page chrome" in naming.reason and "spliced spam" in naming.reason


def test_spinner_swaps_point_at_the_commoner_wording() -> None:
    freq = {"支持": 10928, "增援": 390, "选择": 20000, "选取": 900}.get
    ab = d("spun", "orig", "rewritten", swaps=(("增援", "支持"), ("选取", "选择")))
    ba = d("orig", "spun", "rewritten", swaps=(("支持", "增援"), ("选择", "选取")))
    naming = name_original(["orig", "spun"], {("spun", "orig"): (ab, ba)}, lambda w: freq(w) or 0)
    assert naming.original == "orig"
    assert "commoner wording" in naming.reason


def test_fuller_text_beats_a_trimmed_copy_and_dates_decide_when_given() -> None:
    ab = d("trim", "full", extra_content=300)  # full holds a paragraph trim lacks
    ba = d("full", "trim")
    assert name_original(["full", "trim"], {("trim", "full"): (ab, ba)}, never).original == "full"
    tie = {("x", "y"): (d("x", "y"), d("y", "x"))}
    assert name_original(["x", "y"], tie, never, dates={"x": "2024-05-02", "y": "2024-05-01"}).original == "y"


def test_converted_script_is_not_the_original() -> None:
    tie = {(a, b): (d(a, b), d(b, a)) for a, b in (("a", "b"), ("a", "c"), ("b", "c"))}
    scripts = {"a": "traditional", "b": "simplified", "c": "simplified"}
    naming = name_original(["a", "b", "c"], tie, never, scripts=scripts, breaks={"b": 5.0, "c": 1.0})
    assert naming.original == "c"  # b and c tie on evidence; c has the plainer layout
    assert "as strong" in naming.reason


def test_prose_the_corpus_does_not_repeat_is_lost_content_not_chrome() -> None:
    from provcheck.clustering.naming import by_corpus

    prose = "合作协议签署仪式在哈尔滨举行。双方将在职业教育领域开展全面合作。首批项目预计明年春季启动建设。"
    footer = "版权所有 © 某某网 未经授权不得转载。转载请注明出处。联系我们。"
    d0 = d("trim", "full", chrome=len(prose) + len(footer), added=(("chrome", prose), ("chrome", footer)))
    got = by_corpus(d0, frozenset(line_keys(footer)))
    assert (got.chrome, got.extra_content) == (len(footer), len(prose))
    assert by_corpus(d("a", "b", chrome=12, added=(("chrome", "阅读次数：12次"),)), frozenset()).chrome == 12


def test_consensus_turns_shared_text_into_lost_content() -> None:
    para = "合作协议签署仪式在哈尔滨举行。双方将在职业教育领域开展全面合作。"
    got = by_consensus(
        d("trim", "full", chrome=len(para), added=(("chrome", para),)),
        [content_grams(para), content_grams(para + "其他")],
    )
    assert (got.chrome, got.extra_content) == (0, len(para))
    kept = by_consensus(
        d("a", "b", chrome=10, added=(("chrome", "阅读次数一二三四五"),)), [content_grams(para)]
    )
    assert kept.chrome == 10
    # a site's menu line that most copies in the group carry is still chrome, not lost article text
    menu = "Home | News | World | Business | Sport"
    nav = by_consensus(
        d("orig", "copy", chrome=len(menu), added=(("chrome", menu),)),
        [content_grams(menu + " Daily Wire 9"), content_grams(menu + " Daily Wire 4")],
    )
    assert (nav.chrome, nav.extra_content) == (len(menu), 0)


# -- the local pipeline ---------------------------------------------------------------------------


def test_seeds_group_the_spun_copy_with_its_original() -> None:
    result = cluster_paths([str(CORPUS)], config=ClusterConfig(workers=1))
    assert len(result.documents) == 5
    assert [[m.id for m in g.members] for g in result.groups] == [[str(SEED_SOURCE), str(SEED_COPY)]]
    group = result.groups[0]
    assert group.original == str(SEED_SOURCE)
    assert group.members[1].role == "rewritten" and group.members[1].score > 0.8
    assert group.reason


@pytest.fixture(scope="module")
def planted() -> object:
    return planted_corpus(90, seed=7, sites=3)


@pytest.fixture(scope="module")
def planted_result(planted: object) -> object:
    docs = (document_from_text(text, doc_id) for doc_id, text in planted.docs)  # type: ignore[attr-defined]
    return cluster_documents(docs, config=ClusterConfig(workers=2, batch_size=16))


def test_generated_corpus_groups_exactly_the_planted_copies(planted: object, planted_result: object) -> None:
    got = {frozenset(m.id for m in g.members) for g in planted_result.groups}  # type: ignore[attr-defined]
    want: dict[str, set[str]] = {}
    for doc, orig in planted.group.items():  # type: ignore[attr-defined]
        want.setdefault(orig, set()).add(doc)
    assert got == {frozenset(g) for g in want.values() if len(g) > 1}


def test_generated_corpus_names_every_original(planted: object, planted_result: object) -> None:
    for g in planted_result.groups:  # type: ignore[attr-defined]
        assert planted.kind[g.original] == "original", (g.original, g.reason)  # type: ignore[attr-defined]


def test_partial_reuse_is_a_link_not_a_member(planted: object, planted_result: object) -> None:
    partials = [doc for doc, kind in planted.kind.items() if kind == "partial"]  # type: ignore[attr-defined]
    assert partials, "the generated corpus should hold a partial reuse"
    grouped = {m.id for g in planted_result.groups for m in g.members}  # type: ignore[attr-defined]
    assert not grouped & set(partials)


def test_partial_reuse_links_two_groups() -> None:
    """b plus four quoted paragraphs of a is a copy of b (with an insertion) and a partial reuse of a:
    it joins b's group and links it to a's group; the groups do not merge."""
    from tests.cases.corpus import wrap_chrome

    rng = random.Random(5)
    a, b = synth_articles(2, seed=21, vocab=Vocabulary(size=20000))
    quoted = a.split("\n")[:4]
    mixed = "\n".join(b.split("\n")[:2] + quoted + b.split("\n")[2:])
    docs = [
        ("a", a),
        ("a-copy", wrap_chrome(a, 1, rng)),
        ("b", b),
        ("b-copy", wrap_chrome(b, 2, rng)),
        ("mixed", mixed),
    ]
    result = cluster_documents([document_from_text(t, i) for i, t in docs], config=ClusterConfig(workers=1))
    assert {frozenset(m.id for m in g.members) for g in result.groups} == {
        frozenset({"a", "a-copy"}),
        frozenset({"b", "b-copy", "mixed"}),
    }
    assert result.groups[1].original == "b"
    assert any(
        {link.a, link.b} == {"a", "mixed"} or {link.a, link.b} == {"a-copy", "mixed"} for link in result.links
    )


def test_same_site_articles_sharing_only_chrome_never_merge() -> None:
    """Ten different articles in one site's chrome (a heavy header and footer) stay apart."""
    from tests.cases.corpus import wrap_chrome

    rng = random.Random(3)
    vocab = Vocabulary(size=20000)
    texts = [wrap_chrome(t, 1, rng) for t in synth_articles(10, seed=11, vocab=vocab)]
    docs = [document_from_text(t, f"site-{i}") for i, t in enumerate(texts)]
    result = cluster_documents(docs, config=ClusterConfig(workers=1, min_estimate=0.0, min_shared_keys=1))
    assert result.groups == ()
    assert result.stat("candidates") > 0  # they were candidates (shared chrome) and verification refused them
    # once the chrome lines count as common (here: in 5 documents), they are left out of the
    # fingerprints: the pages are not even candidates
    cheap = cluster_documents(docs, config=ClusterConfig(workers=1, min_estimate=0.0, common_line_docs=5))
    assert cheap.groups == () and cheap.links == ()
    assert cheap.stat("candidates") == 0 and cheap.stat("verified") == 0


def test_shared_content_leaves_out_common_lines() -> None:
    from tests.cases.corpus import site_chrome

    head, tail = site_chrome(4)
    a = head.format(date="2024-01-02 10:00", count=17) + "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉。" + tail
    b = (
        head.format(date="2023-12-31 23:59", count=90210)
        + "春夏秋冬东南西北前后左右上下天地日月星辰。"
        + tail
    )
    assert line_keys(a) == line_keys(b) - line_keys("春夏秋冬东南西北前后左右上下天地日月星辰。") | line_keys(
        "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉。"
    )
    common = frozenset(line_keys(head.format(date="1999-09-09 09:09", count=1) + tail))
    assert shared_content(a, b, frozenset()) > 0.3  # the chrome alone looks like shared text
    assert shared_content(a, b, common) == 0.0
    cfg = ClusterConfig()
    assert not worth_verifying(0.3, a, b, common, cfg)
    assert worth_verifying(0.9, a, b, common, cfg)  # a sure estimate is always verified


# -- input and bounded memory ---------------------------------------------------------------------


def test_spill_round_trip(tmp_path: Path) -> None:
    docs = [
        Document("a", "第一篇\n文字", "gb18030", "text", (("date", "2024-01-01"),)),
        Document("b", "<p>x</p>", kind="html"),
    ]
    with Spill(str(tmp_path)) as spill:
        nums = [spill.add(x) for x in docs]
        spill.flush()
        assert [spill.get(n) for n in reversed(nums)] == list(reversed(docs))
        path = Path(spill.path)
    assert not path.exists()


def test_jsonl_record_without_text_is_reported_not_lost(tmp_path: Path) -> None:
    src = SEED_SOURCE.read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "orig", "text": src, "date": "2020-01-01"}, ensure_ascii=False),
        json.dumps({"id": "notext", "title": "missing"}),
        json.dumps({"id": "copy", "text": "转载自某网\n" + src, "date": "2021-01-01"}, ensure_ascii=False),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cluster_paths(inputs=[str(path)], config=ClusterConfig(workers=1))
    assert result.documents == ("orig", "copy")
    assert len(result.skipped) == 1 and "no text" in result.skipped[0] and ":2" in result.skipped[0]
    assert result.groups[0].original == "orig"
    assert "earliest date" in result.groups[0].reason


def test_parquet_input_and_a_corrupt_parquet_file(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    good = tmp_path / "docs.parquet"
    pq.write_table(
        pa.table(
            {
                "id": ["x", "y", "z"],
                "text": [
                    SEED_SOURCE.read_text(encoding="utf-8"),
                    None,
                    SEED_COPY.read_text(encoding="utf-8"),
                ],
            }
        ),
        good,
    )
    skipped: list[str] = []
    docs = list(iter_parquet(good, skipped))
    assert [x.id for x in docs] == ["x", "z"]
    assert skipped == [f"{good}:2 (y): no text"]
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 this is not a parquet file at all PAR1")
    with pytest.raises(InputError, match="not a valid Parquet file"):
        list(iter_parquet(bad, []))
    with pytest.raises(InputError, match=r"takes \.jsonl or \.parquet"):
        list(iter_input(inputs=[str(SEED_SOURCE)], skipped=[]))


def test_a_batch_of_signature_rows_is_each_document_fingerprinted_alone() -> None:
    """The fingerprint stage hashes a batch of documents together (``signature_rows``): each row must
    be what the document's own fingerprint and band keys give, a chrome-only page keeps no band keys,
    and a corpus chrome line is left out of the text it fingerprints."""
    from provcheck.archive.fingerprint import Fingerprinter, band_keys
    from provcheck.clustering.stages import chrome_cues, line_key, signature_rows, strip_chrome

    cfg = ClusterConfig()
    fpr = Fingerprinter(cfg.fingerprint)
    menu = "首页 | 新闻 | 体育 | 财经 | 登录"
    docs = [
        Document("source", (CORPUS / SEED_SOURCE).read_text(encoding="utf-8")),
        Document("copy", menu + "\n" + (CORPUS / SEED_COPY).read_text(encoding="utf-8")),
        Document("chrome-only", "分享到：微信 微博\n版权所有 © 2024 本站 保留所有权利\n" + menu),
        Document("short", "Profits rose 12%."),
    ]
    chrome = frozenset({line_key(menu)})
    rows = signature_rows(fpr, docs, chrome, cfg.min_content, chrome_cues())
    for doc, (values, sizes, keys) in zip(docs, rows, strict=True):
        fp = fpr.fingerprint(strip_chrome(doc, chrome))
        assert sizes == tuple(s.size for s in fp.signatures)
        for got, sig in zip(values, fp.signatures, strict=True):
            assert np.array_equal(got, sig.values)
        if doc.id in ("source", "copy"):
            assert np.array_equal(keys, np.concatenate([band_keys(s, fpr.config) for s in fp.signatures]))
        else:
            assert len(keys) == 0, doc.id  # below the minimum of content characters: never a candidate
    assert menu not in strip_chrome(docs[1], chrome).text
