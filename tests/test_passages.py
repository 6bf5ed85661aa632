"""Passage keys (winnowing): the guarantee, the index keeping them up to date, and find locating the
source of a short quoted passage, verbatim or spun."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from provcheck import Index
from provcheck.archive import store
from provcheck.archive.index import IndexConfig, _doc_row
from provcheck.archive.passages import PassageConfig, Passager, _kgram_hashes, _line_runs, winnow
from provcheck.archive.search import Archive
from provcheck.errors import ConfigError
from provcheck.model import Document
from tests.cases import NEGATIVES, read
from tests.cases.archive import ORIGINAL, SPUN

# Characters of a made-up alphabet: random strings of them share no stock phrases by accident.
_ALPHABET = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈"


def _random_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(n))


def _naive_winnow(hashes: list[int], w: int) -> list[int]:
    if len(hashes) <= w:
        return [min(hashes)] if hashes else []
    return sorted({min(hashes[i : i + w]) for i in range(len(hashes) - w + 1)})


def test_winnow_matches_the_naive_definition() -> None:
    rng = random.Random(7)
    for _ in range(200):
        values = [rng.randrange(1000) for _ in range(rng.randrange(0, 60))]
        w = rng.randrange(1, 12)
        got = winnow(np.array(values, dtype=np.uint64), w).tolist()
        assert got == _naive_winnow(values, w)


def _keys_line_by_line(passager: Passager, lines: list[str], skeleton: list[str]) -> list[int]:
    """The reference: each line (and each line's run of skeleton words) hashed and winnowed alone."""
    cfg, parts = passager.config, []
    for line in lines:
        units = np.frombuffer(line.encode("utf-32-le"), dtype=np.uint32)
        parts += (winnow(_kgram_hashes(units, cfg.char_k, "char"), cfg.char_w) & ~np.uint64(1)).tolist()
    hashes = passager.fingerprinter._token_hashes(skeleton)
    for lo, hi in _line_runs(lines, skeleton) if skeleton else []:
        h = _kgram_hashes(hashes[lo:hi], cfg.skel_k, "skel")
        parts += (winnow(h, cfg.skel_w) | np.uint64(1)).tolist()
    return sorted({int(np.uint64(x).view(np.int64)) for x in parts})


@pytest.mark.parametrize(
    ("char_k", "char_w", "skel_k", "skel_w"), [(8, 16, 3, 3), (5, 7, 2, 5), (3, 1, 1, 1)]
)
def test_keys_of_a_whole_text_equal_winnowing_each_line_alone(
    char_k: int, char_w: int, skel_k: int, skel_w: int
) -> None:
    """All lines are winnowed in one array pass; it must keep exactly the keys of one line at a time,
    whatever the line lengths (shorter than k, at most w k-grams, longer), also when the lines of
    many documents go through one pass."""
    passager = Passager(PassageConfig(char_k=char_k, char_w=char_w, skel_k=skel_k, skel_w=skel_w))
    rng = random.Random(5)
    words = ["哈尔滨市", "职业教育", "2024年", "签署", "协议", "Harbin", "campus", "的", "在", "活动周"]
    batch: list[tuple[str, list[str]]] = []
    for _ in range(60):
        lines = [
            "".join(rng.choice(words) if rng.random() < 0.4 else _random_text(rng, 1) for _ in range(n))
            for n in (rng.choice([1, 3, 6, 9, 14, 25, 60]) for _ in range(rng.randrange(1, 7)))
        ]
        text = "\n".join(lines)
        prepared = passager.fingerprinter._prepared(text)
        got = sorted(passager.keys_of(prepared).tolist())
        assert got == _keys_line_by_line(passager, passager.lines(text), prepared[1])
        assert got == sorted(passager.keys(text).tolist())
        batch.append(prepared)
    batch[5:5] = [passager.fingerprinter._prepared(t) for t in ("", "返回列表", "Harbin", "的的的的的的")]
    together = passager.keys_many(batch)  # many documents in one pass: each gets its own keys
    assert [k.tobytes() for k in together] == [passager.keys_of(p).tobytes() for p in batch]


def test_every_shared_run_of_w_plus_k_minus_1_characters_shares_a_key() -> None:
    cfg = PassageConfig()
    passager = Passager(cfg)
    guarantee = cfg.char_k + cfg.char_w - 1
    rng = random.Random(11)
    for _ in range(40):
        run = _random_text(rng, guarantee)
        a = _random_text(rng, rng.randrange(0, 200)) + run + _random_text(rng, rng.randrange(0, 200))
        b = _random_text(rng, rng.randrange(0, 200)) + run + _random_text(rng, rng.randrange(0, 200))
        assert set(passager.keys(a).tolist()) & set(passager.keys(b).tolist())
    # and texts with nothing in common (other alphabets) share no key
    assert not set(passager.keys("甲乙丙丁戊己庚辛壬癸" * 9).tolist()) & set(passager.keys(a).tolist())


def test_keys_see_through_script_and_width() -> None:
    passager = Passager()
    simplified = "国家统计局今天发布数据显示一九九七年全国粮食总产量达到四千九百多亿公斤比上年略有增长"
    traditional = "國家統計局今天發佈數據顯示一九九七年全國糧食總產量達到四千九百多億公斤比上年略有增長"
    assert passager.keys(simplified).tolist() == passager.keys(traditional).tolist()


def test_shared_chars_counts_verbatim_runs_of_min_run_only() -> None:
    passager = Passager()
    rng = random.Random(3)
    run = _random_text(rng, 40)
    a = "甲乙丙丁戊" + run + "己庚辛壬癸"
    assert passager.shared_chars(a, "子丑寅卯" + run + "辰巳") == 40
    assert passager.shared_chars(a, run[:12] + "子丑寅卯辰巳午未申酉戌亥") == 0  # 12 < min_run 13


@pytest.fixture
def archive(tmp_path: Path) -> Index:
    index = Index(tmp_path / "archive.db")
    index.add(
        [Document("orig", read(ORIGINAL))] + [Document(f"neg/{p.name[:3]}", read(p)) for p in NEGATIVES]
    )
    yield index
    index.close()


def _quote(text: str, start: int, length: int) -> str:
    return text[start : start + length].replace("\n", "")


@pytest.mark.parametrize("length", [60, 120, 250])
def test_find_locates_the_source_of_a_short_verbatim_passage(archive: Index, length: int) -> None:
    host = read(NEGATIVES[1])
    cut = host.index("\n", len(host) // 2)
    quoted = _quote(read(ORIGINAL), 700, length)
    suspect = host[:cut] + "\n" + quoted + "\n" + host[cut:]
    matches = {m.id: m for m in Archive(archive).find(Document("suspect", suspect), k=5).matches}
    assert "orig" in matches
    assert matches["orig"].relation.value == "partial"
    assert matches["orig"].candidate.passage_keys >= 2
    assert next(iter(matches)) == "neg/003"  # the host itself is held too: it comes first


def test_find_locates_a_spun_passage(archive: Index) -> None:
    host = read(NEGATIVES[2])
    spun = _quote(read(SPUN), 600, 250)  # corpus/000 is corpus/001 through a spinner
    assert spun not in read(ORIGINAL)
    found = Archive(archive).find(Document("suspect", host + "\n" + spun), k=5)
    assert "orig" in [m.id for m in found.matches]


def test_a_passage_is_found_the_same_in_either_tier_of_postings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New postings go to a small tier that is merged into the main one in bulk: an index that
    merged after every batch, and one that never merged, hold the same postings and answer alike,
    and removing a document takes its postings out of whichever tier holds them."""
    docs = [Document("orig", read(ORIGINAL))] + [Document(f"neg/{p.name[:3]}", read(p)) for p in NEGATIVES]
    host = read(NEGATIVES[1])
    suspect = Document("suspect", host + "\n" + _quote(read(ORIGINAL), 700, 60))
    answers = []
    for name, merge_min in (("never.db", 1 << 40), ("always.db", 1)):
        monkeypatch.setattr(store, "MERGE_MIN", merge_min)
        with Index(tmp_path / name, IndexConfig(batch_size=1, workers=1)) as index:
            index.add(docs)
            main = index.store._execute("SELECT count(*) FROM passages").fetchone()[0]
            assert (main > 0) == (merge_min == 1)
            answers.append(([c.id for c in index.candidates(suspect)], index.stats()))
            index.remove(["orig"])
            assert "orig" not in [c.id for c in index.candidates(suspect)]
            remaining = sum(len(index.passager.keys(d)) for d in docs[1:])
            assert index.stats().passage_keys == remaining
    (never, never_stats), (always, always_stats) = answers
    assert "orig" in never and never == always
    assert (never_stats.passage_keys, never_stats.band_keys) == (
        always_stats.passage_keys,
        always_stats.band_keys,
    )


def test_passage_keys_follow_add_update_and_remove(tmp_path: Path) -> None:
    with Index(tmp_path / "i.db") as index:
        index.add([Document("a", read(ORIGINAL)), Document("b", read(NEGATIVES[0]))])
        expected = len(index.passager.keys(read(ORIGINAL))) + len(index.passager.keys(read(NEGATIVES[0])))
        assert index.stats().passage_keys == expected
        index.add([Document("a", read(NEGATIVES[1]))])  # updated: the old keys go
        assert index.stats().passage_keys == len(index.passager.keys(read(NEGATIVES[1]))) + len(
            index.passager.keys(read(NEGATIVES[0]))
        )
        quoted = _quote(read(ORIGINAL), 700, 80)
        assert "a" not in [c.id for c in index.candidates(Document("q", quoted))]
        index.remove(["a"])
        assert index.stats().passage_keys == len(index.passager.keys(read(NEGATIVES[0])))


def test_a_failed_batch_leaves_no_passage_rows(tmp_path: Path) -> None:
    with Index(tmp_path / "i.db") as index:
        index.add([Document("a", read(ORIGINAL))])
        before = index.stats().passage_keys
        row_docs = [Document("b", read(NEGATIVES[0]))]
        with pytest.raises(RuntimeError), index.store.atomic():
            index._commit([_doc_row(d, index.fingerprinter, index.passager) for d in row_docs])
            raise RuntimeError("killed mid-batch")
        assert index.stats().passage_keys == before and len(index) == 1


def test_documents_stored_without_passage_keys_get_them_when_added_again(tmp_path: Path) -> None:
    with Index(tmp_path / "i.db") as index:
        index.add([Document("a", read(ORIGINAL))])
        with index.store.atomic():  # as an index written before schema 2 holds it
            for table in ("passages", "passages_new", "passage_keys"):
                index.store._execute(f"DELETE FROM {table}")
        assert index.store.without_passages() == 1
        again = index.add([Document("a", read(ORIGINAL))])
        assert (again.updated, again.unchanged) == (1, 0)
        assert index.store.without_passages() == 0 and index.stats().passage_keys > 0
        assert index.add([Document("a", read(ORIGINAL))]).unchanged == 1


def test_an_index_refuses_other_passage_settings(tmp_path: Path) -> None:
    with Index(tmp_path / "i.db") as index:
        index.add([Document("a", read(ORIGINAL))])
    other = IndexConfig(passages=PassageConfig(char_w=9))
    with pytest.raises(ConfigError, match="passages settings"):
        Index(tmp_path / "i.db", other)
    # query-time settings may differ
    Index(tmp_path / "i.db", IndexConfig(passages=PassageConfig(max_key_docs=5))).close()


def test_bad_passage_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="min_run"):
        PassageConfig(min_run=4)
    with pytest.raises(ValueError, match="positive"):
        PassageConfig(char_w=0)


def _line_runs_reference(lines: list[str], tokens: list[str]) -> list[tuple[int, int]]:
    """The plain loop: each token found after the previous one, its line looked up every time."""
    ends = list(itertools.accumulate(len(x) for x in lines))
    text = "".join(lines)
    runs: list[tuple[int, int]] = []
    cursor = line = lo = 0
    for i, tok in enumerate(tokens):
        at = text.find(tok, cursor)
        if at < 0:
            continue
        cursor = at + len(tok)
        while line < len(ends) - 1 and at >= ends[line]:
            line += 1
            if i > lo:
                runs.append((lo, i))
            lo = i
    runs.append((lo, len(tokens)))
    return runs


@given(
    st.lists(st.text(alphabet="ab中文", min_size=1, max_size=6), max_size=5),
    st.lists(st.text(alphabet="ab中文x", max_size=3), max_size=8),
)
def test_skeleton_runs_by_line_equal_the_plain_loop(lines: list[str], tokens: list[str]) -> None:
    assert _line_runs(lines, tokens) == _line_runs_reference(lines, tokens)
