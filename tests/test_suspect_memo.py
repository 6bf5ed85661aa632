"""Suspect-side work kept once per document gives the same answers as doing it per pair."""

from __future__ import annotations

from provcheck.pair.comparer import Provcheck
from provcheck.pair.diagnose.extras import _phrases
from provcheck.pair.score import vocabulary_of, vocabulary_order
from tests.cases import SEED_COPY, SEED_SOURCE


def test_vocabulary_kept_per_document_gives_the_same_order() -> None:
    pc = Provcheck()
    src, sus = pc.prepare(SEED_SOURCE), pc.prepare(SEED_COPY)
    fresh = vocabulary_order(src, sus, 0.1)
    kept = vocabulary_order(src, sus, 0.1, pc._vocabulary)
    assert kept == fresh and fresh.words > 0
    assert pc._vocabulary(sus) is pc._vocabulary(sus)  # computed once
    assert vocabulary_order(src, sus, 0.1, pc._vocabulary) == fresh  # and served again
    assert vocabulary_of(src).rare_units(1.0) == vocabulary_of(src).rare_units(1.0)


def test_phrases_cut_at_separators_and_folded_spaces() -> None:
    pc = Provcheck()
    seg = pc.prepare_text("真人娱乐 百家乐|体育投注，在线 开户\n", "s")
    text = seg.norm.text
    end = text.index("\n") if "\n" in text else len(text)
    assert _phrases(seg, 0, end) == ("真人娱乐", "百家乐", "体育投注", "在线", "开户")
    assert _phrases(seg, 0, 0) == ()
