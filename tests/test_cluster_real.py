"""Clustering what real archives hold: pages of one site sharing chrome, pages of nothing but chrome,
English next to Chinese, chains of links that do not run through the original, and candidates that
grow with the copies, not with a site's size. Small corpora generated here (no third-party text)."""

from __future__ import annotations

import random

import pytest

from provcheck.clustering.config import ClusterConfig
from provcheck.clustering.evidence import Direction, link
from provcheck.clustering.local import cluster_documents, name_group
from provcheck.model import Document
from provcheck.pair.comparer import Provcheck
from provcheck.report.overview import clustering_to_csv
from provcheck.text.lexicon import Lexicon
from provcheck.text.read import document_from_text
from tests.cases.corpus import Vocabulary, splice_spam, synth_articles, truncate, wrap_chrome

CFG = ClusterConfig(workers=1)

# -- English-shaped text: every document shares the common words, as real English does ----------

_COMMON = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which "
    "but have an they you were her she there been one all we their has would when if so no will said"
).split()


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))


def english_articles(n: int, seed: int) -> list[str]:
    """``n`` articles of 2-3 paragraphs: half common English words, half invented rarer ones."""
    rng = random.Random(seed)
    rare = [_word(rng) for _ in range(3000)]
    out = []
    for _ in range(n):
        paras = []
        for _ in range(rng.randint(2, 3)):
            sents = []
            for _ in range(rng.randint(3, 5)):
                words = [rng.choice(_COMMON) if rng.random() < 0.5 else rng.choice(rare) for _ in range(14)]
                sents.append(" ".join(words).capitalize() + ".")
            paras.append(" ".join(sents))
        out.append("\n".join(paras))
    return out


def english_chrome(text: str, site: int, rng: random.Random) -> str:
    head = f"Daily Wire {site}\nHome | News | World | Business | Sport\n2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} | Views: {rng.randint(10, 9999)}\n"
    tail = f"\nShare this story: Facebook Twitter Email\nCopyright © Daily Wire {site}. All rights reserved. Reproduction without permission is prohibited.\n"
    return head + text + tail


def _docs(items: list[tuple[str, str]]) -> list[Document]:
    return [document_from_text(text, doc_id) for doc_id, text in items]


def _groups(result: object) -> set[frozenset[str]]:
    return {frozenset(m.id for m in g.members) for g in result.groups}  # type: ignore[attr-defined]


# -- chrome-only and empty documents -------------------------------------------------------------


@pytest.fixture(scope="module")
def site_corpus() -> tuple[list[Document], dict[str, str]]:
    """One site's 24 pages (different articles, the same chrome), three copies of one of them, two
    pages of nothing but the site's chrome, and a page with one short line."""
    rng = random.Random(7)
    texts = synth_articles(25, seed=21, vocab=Vocabulary(size=20000))
    items = [(f"page-{i:02d}", wrap_chrome(t, 1, rng)) for i, t in enumerate(texts[:24])]
    items += [("copy-a", texts[24]), ("copy-b", wrap_chrome(texts[24], 1, rng))]
    items += [("copy-c", splice_spam(texts[24], rng)), ("chrome-1", wrap_chrome("", 1, rng))]
    items += [("chrome-2", wrap_chrome("", 1, rng)), ("short", "会议闭幕。")]
    return _docs(items), {}


def test_chrome_only_pages_never_join_or_seed_a_group(site_corpus: tuple[list[Document], object]) -> None:
    docs, _ = site_corpus
    result = cluster_documents(docs, config=CFG)
    assert _groups(result) == {frozenset({"copy-a", "copy-b", "copy-c"})}
    assert result.groups[0].original == "copy-a"
    assert result.empty == ("chrome-1", "chrome-2", "short")
    assert result.stat("empty") == 3 and result.stat("candidates") <= 3  # same-site pages are no candidates
    rows = {line.split(",")[0]: line.split(",")[2] for line in clustering_to_csv(result).splitlines()[1:]}
    assert rows["chrome-1"] == rows["short"] == "empty" and rows["page-03"] == "unique"


def test_a_story_reprinted_on_many_pages_is_not_taken_for_chrome() -> None:
    """Lines on 20+ pages are chrome only when those pages hold content of their own."""
    rng = random.Random(3)
    texts = synth_articles(2, seed=5, vocab=Vocabulary(size=20000))
    items = [(f"reprint-{i:02d}", wrap_chrome(texts[0], i % 3, rng)) for i in range(22)]
    items.append(("other", texts[1]))
    result = cluster_documents(_docs(items), config=CFG)
    assert _groups(result) == {frozenset(f"reprint-{i:02d}" for i in range(22))}
    assert result.empty == ()


# -- chains --------------------------------------------------------------------------------------


def _d(a: str, b: str, relation: str, score: float) -> Direction:
    return Direction(a, b, relation, score, score)


def test_members_that_do_not_derive_from_the_original_leave_the_group() -> None:
    """a-b, b-c, c-d are copies; no other pair is related (a chain, as through a shared template):
    every group returned holds only members linked to its own original."""
    texts = english_articles(4, seed=2)
    docs = {k: document_from_text(t, k) for k, t in zip("abcd", texts, strict=True)}
    chain = {("a", "b"), ("b", "c"), ("c", "d")}
    known = {}
    for i, x in enumerate("abcd"):
        for y in "abcd"[i + 1 :]:
            rel, score = ("copy", 0.95) if (x, y) in chain else ("unrelated", 0.0)
            known[(x, y)] = (_d(x, y, rel, score), _d(y, x, rel, score))
    found, evidence = name_group(Provcheck(), docs, known, CFG, Lexicon())
    assert len(found) >= 1 and all(len(m) >= 2 for m, _ in found)
    assert sum(len(m) for m, _ in found) < 4  # the chain of four is not one group
    for members, naming in found:
        for m in members:
            if m != naming.original:
                pair = evidence.get((naming.original, m)) or evidence[(m, naming.original)]
                assert link(*pair, CFG)[0] == "copy"


# -- English and mixed corpora; candidate growth ------------------------------------------------


def _mixed(n_unique: int, seed: int) -> tuple[list[Document], set[frozenset[str]]]:
    """English and Chinese articles, half in a site's chrome, plus five copy groups."""
    rng = random.Random(seed)
    en = english_articles(n_unique // 2 + 5, seed)
    zh = synth_articles(n_unique // 2, seed=seed, vocab=Vocabulary(size=20000))
    items: list[tuple[str, str]] = []
    for k, text in enumerate(en[5:] + zh):
        wrapped = (english_chrome if k < len(en) - 5 else wrap_chrome)(text, k % 2, rng) if k % 2 else text
        items.append((f"u{k:04d}", wrapped))
    truth = set()
    for g, text in enumerate(en[:5]):
        copies = [text, english_chrome(text, g % 2, rng), truncate(text)]
        ids = [f"g{g}-{c}" for c in range(len(copies))]
        items += list(zip(ids, copies, strict=True))
        truth.add(frozenset(ids))
    rng.shuffle(items)
    return _docs(items), truth


def test_english_and_mixed_corpora_group_exactly_the_copies() -> None:
    docs, truth = _mixed(60, seed=4)
    result = cluster_documents(docs, config=CFG)
    assert _groups(result) == truth
    assert {g.original.split("-")[1] for g in result.groups} == {"0"}


@pytest.mark.slow
def test_candidates_grow_with_the_copies_not_with_the_corpus() -> None:
    small_docs, truth = _mixed(100, seed=6)
    large_docs, truth_large = _mixed(400, seed=6)
    small = cluster_documents(small_docs, config=CFG)
    large = cluster_documents(large_docs, config=CFG)
    true_pairs = sum(len(g) * (len(g) - 1) // 2 for g in truth)
    assert _groups(small) == truth and _groups(large) == truth_large
    assert small.stat("candidates") <= 2 * true_pairs
    assert large.stat("candidates") <= 2 * true_pairs  # four times the documents, the same five groups
