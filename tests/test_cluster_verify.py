"""Verification of candidate pairs at the cost clustering can afford: the full comparison only for
pairs that could be copies (the verbatim run measure for the rest), the reverse comparison only when
it can change the verdict; English spinner swaps in naming; the benchmark's filler. Texts written
here."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from provcheck.clustering.config import ClusterConfig
from provcheck.clustering.evidence import link
from provcheck.clustering.naming import name_original, with_spaced_words
from provcheck.clustering.stages import Prepared, check_pair, verify_pair
from provcheck.model import Segmented
from provcheck.pair.comparer import Provcheck
from provcheck.parallel import WorkerPool
from provcheck.text.read import document_from_text
from tests.cases.corpus import Vocabulary, spin, synth_articles, truncate
from tests.test_cluster import d, never

CFG = ClusterConfig(workers=1)


@pytest.fixture(scope="module")
def pc() -> Provcheck:
    return Provcheck()


@pytest.fixture(scope="module")
def articles() -> list[str]:
    return synth_articles(3, seed=33, vocab=Vocabulary(size=20000))


class Counting:
    """Counts the comparisons a Provcheck runs."""

    def __init__(self, pc: Provcheck, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = pc.compare

        def compare(a: object, b: object) -> object:
            self.calls += 1
            return real(a, b)  # type: ignore[arg-type]

        monkeypatch.setattr(pc, "compare", compare)


def prep(pc: Provcheck, text: str, doc_id: str) -> Segmented:
    return pc.prepare_text(text, doc_id)


def test_a_quoted_paragraph_is_a_link_measured_by_shared_runs_without_a_comparison(
    pc: Provcheck, articles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, _ = articles
    para = a.split("\n")[1]
    mixed = "\n".join([*b.split("\n")[:2], para, *b.split("\n")[2:]])
    sa, sm = prep(pc, a, "a"), prep(pc, mixed, "mixed")
    counter = Counting(pc, monkeypatch)
    ab, ba = check_pair(pc, sa, sm, 0.25, CFG)
    assert counter.calls == 0
    rel, score = link(ab, ba, CFG)
    assert rel == "partial"
    # scored by the share of the shorter text (a) inside runs both texts hold: the quoted paragraph
    share = sum(ch.isalnum() for ch in para) / sum(ch.isalnum() for ch in a)
    assert score == pytest.approx(share, abs=0.03)


def test_unrelated_texts_make_no_link_and_a_spun_copy_is_compared_in_full(
    pc: Provcheck, articles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, _ = articles
    counter = Counting(pc, monkeypatch)
    ab, ba = check_pair(pc, prep(pc, a, "a"), prep(pc, b, "b"), 0.2, CFG)
    assert counter.calls == 0 and link(ab, ba, CFG)[0] == "unrelated"
    spun = spin(a, Vocabulary(size=20000).spin_map, random.Random(3))
    ab, ba = check_pair(pc, prep(pc, a, "a"), prep(pc, spun, "spun"), 0.2, CFG)  # a low estimate
    assert counter.calls >= 1
    assert link(ab, ba, CFG)[0] == "rewritten"


def test_the_reverse_comparison_runs_only_when_it_can_change_the_verdict(
    pc: Provcheck, articles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = articles
    counter = Counting(pc, monkeypatch)
    # a copy holding all of the shorter text and more: the reverse is its mirror
    longer = a + "\n" + c.split("\n")[0]
    ab, ba = verify_pair(pc, prep(pc, a, "a"), prep(pc, longer, "longer"), CFG)
    assert counter.calls == 1
    assert ba.source == "longer" and ba.relation in ("copy", "rewritten")
    assert ba.score == ab.source_coverage >= CFG.mirror_coverage
    # a text that shares one sentence with a longer one: one way only, no copy either way
    counter.calls = 0
    sentence = a.split("\n")[0].split("。")[0] + "。"
    ab, ba = verify_pair(pc, prep(pc, sentence + b.split("\n")[0], "s"), prep(pc, c, "c"), CFG)
    assert counter.calls == 1
    assert link(ab, ba, CFG)[0] != "copy"
    # a trimmed copy: the shorter is all in the longer but the longer adds a paragraph; its reverse
    # reads as a copy, so it is run (or mirrored) and the pair joins
    counter.calls = 0
    ab, ba = verify_pair(pc, prep(pc, truncate(a), "trim"), prep(pc, a, "a"), CFG)
    assert link(ab, ba, CFG)[0] == "copy"


def test_english_spinner_swaps_point_at_the_commoner_wording() -> None:
    ab = d(
        "spun",
        "orig",
        "rewritten",
        swaps=(("stated", "said"), ("individuals", "people"), ("firm", "company")),
    )
    ba = d(
        "orig",
        "spun",
        "rewritten",
        swaps=(("said", "stated"), ("people", "individuals"), ("company", "firm")),
    )
    naming = name_original(["orig", "spun"], {("spun", "orig"): (ab, ba)}, never)
    assert naming.original == "orig" and "commoner wording" in naming.reason
    freq = with_spaced_words(never)
    assert freq("said") > freq("stated") > 0 and freq("张三") == 0  # CJK words keep the dictionary's


def _square(offset: int, x: int) -> int:
    return offset + x * x


def _pids(_: int, __: int) -> int:
    import os

    return os.getpid()


def test_worker_pool_keeps_its_processes_over_several_maps() -> None:
    import os

    with WorkerPool(int, ("10",), workers=2) as pool:
        assert list(pool.map(_square, range(5))) == [10, 11, 14, 19, 26]
        first = set(pool.map(_pids, range(8)))
        again = set(pool.map(_pids, range(8)))
        assert os.getpid() not in first and again <= first | again and len(first | again) <= 2
        assert list(pool.map(_square, [3], here=True)) == [19]


def test_benchmark_filler_never_repeats_a_clause_word_for_word() -> None:
    """Beyond the pool's clauses, the real-text benchmark's filler reorders a clause's words rather
    than repeating it (repeats would plant partial reuse no archive of distinct articles holds)."""
    from benchmarks.realtext import _remixed

    words = ["w" + chr(97 + k // 26) + chr(97 + k % 26) for k in range(48)]
    clause = [" ".join(words[k : k + 8]) for k in range(0, 48, 8)]  # six clauses of eight words
    pool = [("en", ", ".join(clause[:3]) + "."), ("en", ", ".join(clause[3:]) + ".")]
    pool += [("zh", "今天北京天气晴朗，气温适宜出行，市民纷纷走出家门。")]
    remix = _remixed(pool, random.Random(1))
    docs = [text for _, (lang, text) in zip(range(24), remix, strict=False) if lang == "en"]
    clauses = [c.strip() for text in docs for c in text.replace(".", "").split(", ")]
    first, later = clauses[:6], clauses[6:]
    assert len(later) > 3 * len(first)  # several rounds through the pool's six clauses
    bags = [sorted(c.split()) for c in first]
    assert all(sorted(c.split()) in bags for c in later)  # the same words ...
    assert sum(c in first for c in later) <= 1  # ... in another order (a shuffle rarely comes out the same)


def test_the_run_measure_needs_no_segmenting_and_a_comparison_segments_once(
    pc: Provcheck, articles: list[str]
) -> None:
    a, b, _ = articles
    pa, pb = Prepared(pc, document_from_text(a, "a")), Prepared(pc, document_from_text(b, "b"))
    assert link(*check_pair(pc, pa, pb, 0.2, CFG), CFG)[0] == "unrelated"
    assert pa.segmented is None and pb.segmented is None  # settled on the normalized texts
    spun_text = spin(a, Vocabulary(size=20000).spin_map, random.Random(3))
    spun = Prepared(pc, document_from_text(spun_text, "spun"))
    ab, ba = check_pair(pc, pa, spun, 0.2, CFG)
    assert link(ab, ba, CFG)[0] == "rewritten"
    seg = pa.segmented
    assert seg is not None and pa.segment() is seg
    # the same verdict as from documents prepared in full
    assert (ab, ba) == check_pair(pc, prep(pc, a, "a"), prep(pc, spun_text, "spun"), 0.2, CFG)


def test_a_shared_article_beside_text_of_their_own_needs_no_comparison(
    pc: Provcheck, articles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = articles
    # two pages that both carry one article next to an article of their own: over half of the
    # shorter page's 4-grams in common, but its verbatim runs hold under join_runs of it
    one, two = a + "\n" + b, a + "\n" + c
    p1, p2 = Prepared(pc, document_from_text(one, "one")), Prepared(pc, document_from_text(two, "two"))
    counter = Counting(pc, monkeypatch)
    ab, ba = check_pair(pc, p1, p2, 0.3, CFG)
    assert counter.calls == 0 and p1.segmented is None
    rel, score = link(ab, ba, CFG)
    assert rel == "partial" and 0.5 < score < CFG.join_runs
    # with runs over join_runs (a lower bar) or an estimate of join_estimate, it is compared in full
    check_pair(pc, p1, p2, 0.3, replace(CFG, join_runs=0.5))
    assert counter.calls >= 1
    counter.calls = 0
    check_pair(pc, p1, p2, CFG.join_estimate, CFG)
    assert counter.calls >= 1
