"""Unit tests of relation, score and the gate (pair/score.py)."""

from __future__ import annotations

import math

import pytest

from provcheck.errors import ConfigError
from provcheck.model import FindingType, Relation
from provcheck.pair.comparer import Provcheck
from provcheck.pair.score import check_max_score, gate, gate_values, parse_fail_on
from tests.cases import NEGATIVES, SEED_COPY, SEED_SOURCE

ARTICLE = (
    "市教育局今天发布了新的职业教育发展规划。规划提出到二〇三〇年建成十所示范学校。"
    "全市中等职业学校今年招生四万三千人。各区要加强校企合作，提高培养质量。"
)


def test_identical_text_is_a_full_copy(pc: Provcheck) -> None:
    report = pc.compare(pc.prepare_text(ARTICLE, "a"), pc.prepare_text(ARTICLE, "b"))
    assert report.relation is Relation.COPY and report.score == pytest.approx(1.0)


def test_independent_text_scores_zero(pc: Provcheck) -> None:
    other = "台风今晚在沿海登陆，气象台发布红色预警。渔船全部回港避风，学校明天停课一天。"
    report = pc.compare(pc.prepare_text(ARTICLE, "a"), pc.prepare_text(other, "b"))
    assert report.relation is Relation.UNRELATED and report.score == 0.0 and report.findings == ()


def test_parse_fail_on_accepts_names_and_lists() -> None:
    assert parse_fail_on(None) == () and parse_fail_on("") == ()
    assert parse_fail_on(["altered_number,spliced_spam", "altered_number"]) == (
        FindingType.ALTERED_NUMBER,
        FindingType.SPLICED_SPAM,
    )
    with pytest.raises(ConfigError, match="unknown finding type spliced-spam"):
        parse_fail_on("spliced-spam")


@pytest.mark.parametrize("bad", [-0.1, 1.5, math.nan, math.inf])
def test_max_score_outside_unit_interval_is_rejected(bad: float) -> None:
    with pytest.raises(ConfigError, match=r"max score must be a number in \[0, 1\]"):
        check_max_score(bad)


def test_gate_reasons(pc: Provcheck) -> None:
    spun = pc.compare(SEED_SOURCE, SEED_COPY)
    assert gate(spun, "spliced_spam") == "findings spliced_spam"
    assert gate(spun, "altered_number") == ""
    assert gate(spun, (), 0.5).startswith("score ") and gate(spun, (), 1.0) == ""
    unrelated = pc.compare(SEED_SOURCE, NEGATIVES[0])
    assert gate(unrelated, "spliced_spam,altered_number", 0.5) == ""
    assert gate_values({"boilerplate"}, 0.2, "boilerplate", 0.1) == "findings boilerplate; score 0.200 > 0.1"
