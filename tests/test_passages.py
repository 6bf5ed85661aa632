"""Passage keys (winnowing): the guarantee, the index keeping them up to date, and find locating the
source of a short quoted passage, verbatim or spun."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from provcheck import Index
from provcheck.archive.index import IndexConfig, _doc_row
from provcheck.archive.passages import PassageConfig, Passager, winnow
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
            index.store._execute("DELETE FROM passages")
            index.store._execute("DELETE FROM passage_keys")
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
