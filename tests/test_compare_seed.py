"""The seed pair: 000 is a spun, spam-spliced web copy of 001. Golden expectations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provcheck import FindingType, Relation, report_to_dict
from provcheck.model import Report
from provcheck.pair.comparer import Provcheck
from tests.cases import NEGATIVES, SEED_COPY, SEED_SOURCE

GOLDEN = Path(__file__).parent / "golden" / "seed_pair.json"


@pytest.fixture(scope="module")
def seed(pc: Provcheck) -> Report:
    return pc.compare(SEED_SOURCE, SEED_COPY)


def spans(report: Report, kind: FindingType) -> set[tuple[int, int]]:
    return {
        (f.suspect_span.start, f.suspect_span.end)
        for f in report.findings
        if f.type is kind and f.suspect_span
    }


def test_seed_is_rewritten(seed: Report) -> None:
    assert seed.relation is Relation.REWRITTEN
    assert seed.score > 0.8


def test_spam_brand_and_stuffed_keyword(seed: Report) -> None:
    text = seed.suspect.text
    spam = spans(seed, FindingType.SPLICED_SPAM)
    assert (65, 69) in spam and text[65:69] == "开云电子"
    stuffed = {(10, 12), (1001, 1003), (1619, 1621), (1955, 1957), (3704, 3706)}
    assert stuffed <= spam
    assert all(text[a:b] == "创新" for a, b in stuffed)
    # nothing else is called spam
    assert spam - stuffed - {(65, 69), (2817, 2819)} == set()


def test_header_and_footer_are_boilerplate(seed: Report) -> None:
    text = seed.suspect.text
    chrome = spans(seed, FindingType.BOILERPLATE)
    covered = {i for a, b in chrome for i in range(a, b)}
    for a, b in [
        (0, 8),
        (31, 61),
        (3933, 3956),
    ]:  # 新闻中心News / date, 浏览次数, 返回列表 / footer title, 搜索
        assert {i for i in range(a, b) if not text[i].isspace()} <= covered, text[a:b]
    assert not covered & set(range(65, 3880))  # the article body is not chrome


def test_no_altered_number_and_substitution_map(seed: Report) -> None:
    assert not spans(seed, FindingType.ALTERED_NUMBER)
    d = report_to_dict(seed)
    top = {(r["source"], r["suspect"]): r["count"] for r in d["substitutions"]}
    assert top[("教育", "教化")] >= 30
    assert top[("发展", "繁荣")] >= 15
    assert ("推进", "促进") in top and ("合作", "协作") in top


def test_every_span_slices_the_original(seed: Report) -> None:
    for f in seed.findings:
        if f.suspect_span:
            assert seed.suspect.text[f.suspect_span.start : f.suspect_span.end] == f.suspect_text
        if f.source_span:
            assert seed.source.text[f.source_span.start : f.source_span.end] == f.source_text


@pytest.mark.parametrize("negative", NEGATIVES, ids=lambda p: p.name[:3])
def test_same_field_articles_are_unrelated(pc: Provcheck, negative: Path) -> None:
    report = pc.compare(SEED_SOURCE, negative)
    assert report.relation is Relation.UNRELATED
    assert report.score < 0.1
    assert pc.compare(negative, SEED_COPY).relation is Relation.UNRELATED


def test_golden_report(seed: Report, update_golden: bool) -> None:
    """Relation, counts and every spam/chrome/number span, pinned; refresh with --update-golden."""
    d = report_to_dict(seed)
    pinned = {
        "relation": d["relation"],
        "counts": {k: v for k, v in d["counts"].items() if k != "substitution"},
        "spans": sorted(
            [f["type"], *f["suspect_span"]]
            for f in d["findings"]
            if f["type"]
            in ("spliced_spam", "boilerplate", "inserted", "altered_number", "reformatted_number")
        ),
        "top_substitutions": [[r["source"], r["suspect"]] for r in d["substitutions"][:10]],
    }
    if update_golden:
        GOLDEN.write_text(json.dumps(pinned, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert GOLDEN.exists(), f"{GOLDEN} is missing: run pytest --update-golden and review the diff"
    assert pinned == json.loads(GOLDEN.read_text(encoding="utf-8"))
