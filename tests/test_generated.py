"""Generated copies of the corpus articles with known changes: each finding type, exact spans."""

from __future__ import annotations

import random
import re

import opencc
import pytest

from provcheck import FindingType, Relation
from provcheck.model import Report
from provcheck.pair.comparer import Provcheck
from provcheck.text.read import document_from_text
from tests.cases import DATA, NEGATIVES, read
from tests.cases.pair import alter_number, body, paragraphs, spin, splice_spam, wrap_chrome

SOURCES = [body(read(p)) for p in NEGATIVES]


def compare(pc: Provcheck, source: str, suspect: str) -> Report:
    return pc.compare(document_from_text(source, "source"), document_from_text(suspect, "suspect"))


def spans(report: Report, kind: FindingType) -> list[tuple[int, int]]:
    return sorted(
        (f.suspect_span.start, f.suspect_span.end)
        for f in report.findings
        if f.type is kind and f.suspect_span
    )


def covered(report: Report, *kinds: FindingType) -> set[int]:
    return {i for k in kinds for a, b in spans(report, k) for i in range(a, b)}


@pytest.mark.parametrize("src", SOURCES, ids=["002", "003", "004"])
def test_verbatim_copy_in_chrome(pc: Provcheck, src: str) -> None:
    case = wrap_chrome(src)
    r = compare(pc, src, case.suspect)
    assert r.relation is Relation.COPY
    assert r.score > 0.95
    got = covered(r, FindingType.BOILERPLATE)
    for a, b in case.spans("boilerplate"):
        want = {i for i in range(a, b) if not case.suspect[i].isspace()}
        assert len(want & got) >= 0.9 * len(want)
    assert not spans(r, FindingType.SPLICED_SPAM)
    assert not spans(r, FindingType.ALTERED_NUMBER)


@pytest.mark.parametrize("src", SOURCES, ids=["002", "003", "004"])
def test_spliced_spam_exact_spans(pc: Provcheck, src: str) -> None:
    case = splice_spam(src)
    r = compare(pc, src, case.suspect)
    assert r.relation is Relation.COPY
    assert spans(r, FindingType.SPLICED_SPAM) == sorted(case.spans("spliced_spam"))


def test_altered_number_exact_span_and_values(pc: Provcheck) -> None:
    src = SOURCES[0]
    nums = list(re.finditer(r"\d{2,}", src))
    target = nums[len(nums) // 2].group(0)
    new = str(int(target) + 7)
    case = alter_number(src, target, new)
    r = compare(pc, src, case.suspect)
    altered = [f for f in r.findings if f.type is FindingType.ALTERED_NUMBER]
    assert [(f.suspect_span.start, f.suspect_span.end) for f in altered if f.suspect_span] == case.spans(
        "altered_number"
    )
    assert altered[0].get("source_value") == target and altered[0].get("suspect_value") == new


def test_reformatted_numbers_are_not_altered(pc: Provcheck) -> None:
    src = "今年共有16所学校参加，比2023年增加了百分之十，总人数达到43300人。\n第二段内容继续说明情况，与上文保持一致。"
    sus = "今年共有十六所学校参加，比二〇二三年增加了10%，总人数达到4.33万人。\n第二段内容继续说明情况，与上文保持一致。"
    r = compare(pc, src, sus)
    assert not spans(r, FindingType.ALTERED_NUMBER)
    reformatted = {f.suspect_text for f in r.findings if f.type is FindingType.REFORMATTED_NUMBER}
    assert reformatted == {"十六", "二〇二三", "10%", "4.33万"}


def test_spun_copy_is_rewritten_with_substitution_counts(pc: Provcheck) -> None:
    src = body(read(NEGATIVES[1]))
    r = compare(pc, src, spin(src))
    assert r.relation is Relation.REWRITTEN
    subs = {
        (f.get("source_word"), f.get("suspect_word"))
        for f in r.findings
        if f.type is FindingType.SUBSTITUTION
    }
    assert ("教育", "教化") in subs
    assert not spans(r, FindingType.SPLICED_SPAM)


def test_traditional_script_copy(pc: Provcheck) -> None:
    src = SOURCES[2]
    trad = opencc.OpenCC("s2t").convert(src)
    r = compare(pc, src, trad)
    assert r.relation is Relation.COPY
    assert r.score > 0.95
    assert not spans(r, FindingType.SUBSTITUTION) or len(spans(r, FindingType.SUBSTITUTION)) <= 2


def test_reordered_and_dropped_sentences(pc: Provcheck) -> None:
    src = SOURCES[1]
    paras = paragraphs(src)
    rng = random.Random(7)
    kept = [p for k, p in enumerate(paras) if k % 5 != 3]
    rng.shuffle(kept)
    r = compare(pc, src, "\n".join(kept))
    assert r.relation is Relation.COPY
    assert r.score > 0.95
    assert any(f.type is FindingType.DELETED for f in r.findings)


def test_lines_broken_mid_sentence(pc: Provcheck) -> None:
    src = SOURCES[0]
    broken = src.replace("，", "，\n\n", 5)
    r = compare(pc, src, broken)
    assert r.relation is Relation.COPY
    assert r.score > 0.98
    assert not [f for f in r.findings if f.type in (FindingType.SUBSTITUTION, FindingType.SPLICED_SPAM)]


def test_partial_reuse(pc: Provcheck) -> None:
    src, other = SOURCES[0], SOURCES[2]
    excerpt = "\n".join(paragraphs(src)[:2])
    r = compare(pc, src, other[:1500] + "\n" + excerpt)
    assert r.relation is Relation.PARTIAL
    assert 0.05 < r.score < 0.6
    assert not spans(r, FindingType.SPLICED_SPAM)


def test_english_pair(pc: Provcheck) -> None:
    src = read(DATA / "en_source.txt")
    edited = (
        src.replace("42 million", "48 million")
        .replace("voted on Tuesday", "voted on Tuesday evening")
        .replace("Supporters said", "Backers said")
    )
    r = compare(
        pc, src, "Home | News | Local\n" + edited + "\nCopyright 2024 Example Daily. All rights reserved."
    )
    assert r.relation in (Relation.COPY, Relation.REWRITTEN)
    altered = [f for f in r.findings if f.type is FindingType.ALTERED_NUMBER]
    assert [(f.get("source_value"), f.get("suspect_value")) for f in altered] == [("42", "48")]
    chrome = " ".join(f.suspect_text for f in r.findings if f.type is FindingType.BOILERPLATE)
    assert "Copyright" in chrome and "Home" in chrome
    unrelated = compare(pc, src, read(DATA / "en_unrelated.txt"))
    assert unrelated.relation is Relation.UNRELATED


def test_editorial_additions_are_inserted_not_spam(pc: Provcheck) -> None:
    src = SOURCES[0]
    paras = paragraphs(src)
    note = "编者按：本刊特转发此文，供读者参考。"
    dateline = "本报讯（记者 李明）"
    suspect = note + "\n" + dateline + paras[0] + "\n" + "\n".join(paras[1:]) + "（完）"
    r = compare(pc, src, suspect)
    assert r.relation is Relation.COPY
    inserted = covered(r, FindingType.INSERTED)
    for piece in (note, dateline, "（完）"):
        at = suspect.index(piece)
        want = {i for i in range(at, at + len(piece)) if suspect[i].isalnum()}
        assert want <= inserted, piece
    assert not spans(r, FindingType.SPLICED_SPAM)


def test_close_figures_with_magnitude_are_altered(pc: Provcheck) -> None:
    """900万 against 902万 once hashed to one unit and hid the change."""
    src = "性能上，这台相机拥有900万的有效像素，照片分辨率为3456×2592，操作便捷。\n第二段说明其他参数，与上文保持一致。"
    sus = src.replace("900万", "902万")
    r = compare(pc, src, sus)
    altered = [
        (f.get("source_value"), f.get("suspect_value"))
        for f in r.findings
        if f.type is FindingType.ALTERED_NUMBER
    ]
    assert altered == [("900万", "902万")]
