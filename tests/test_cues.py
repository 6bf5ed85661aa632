"""Cue lists answer the same whether a text is looked up the first time or again (remembered)."""

from __future__ import annotations

import pytest

from provcheck.pair.diagnose import cues
from provcheck.pair.diagnose.cues import load_cues


def test_remembered_answers_match_the_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cues, "_MEMO_SIZE", 2)  # cleared every other text
    spam = load_cues().spam
    texts = ["博彩官网 casino，官网", "今天天气很好。", "博彩官网 casino，官网", "点击下载 casino"]
    for _ in range(2):
        got = [(spam.strong_hits(t), spam.weak_hits(t), spam.any(t)) for t in texts]
        assert got == [(2, 2, True), (0, 0, False), (2, 2, True), (1, 2, True)]
        assert len(spam._memo) <= 3  # two texts of one kind, then cleared
