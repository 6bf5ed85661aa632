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


def test_a_line_judged_again_reads_the_same_in_each_zone() -> None:
    """What a keyword line's text and phrases tell is kept with the cue lists; where the line stands
    (page head or body, inline or not) is still read each time."""
    from provcheck.model import FindingType
    from provcheck.pair.diagnose.extras import Extra, _keyword_line

    loaded = load_cues()
    spam_line = "真人娱乐 百家乐 老虎机 棋牌游戏 博彩官网"
    nav_line = "首页 新闻 体育 财经 科技"
    for _ in range(2):  # the second time from the memo
        for zone in ("head", "body"):
            spam = Extra(0, len(spam_line), spam_line, zone, False, phrases=tuple(spam_line.split()))
            nav = Extra(0, len(nav_line), nav_line, zone, False, phrases=tuple(nav_line.split()))
            verdict = _keyword_line(spam, spam.text, loaded)
            assert verdict is not None and verdict.type is FindingType.SPLICED_SPAM
            nav_verdict = _keyword_line(nav, nav.text, loaded)
            if zone == "head":
                assert nav_verdict is not None and nav_verdict.type is FindingType.BOILERPLATE
            else:
                assert nav_verdict is None
        inline = Extra(0, len(nav_line), nav_line, "head", True, phrases=tuple(nav_line.split()))
        assert _keyword_line(inline, inline.text, loaded) is None
    assert len(loaded._lines) == 2
