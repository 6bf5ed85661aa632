"""A misaligned fragment is an insertion plus a deletion, not a substitution (issue 9, item 1): a new
headline, byline or site line set against the old one, on text written for these tests."""

from __future__ import annotations

from provcheck import FindingType, Relation
from provcheck.model import Report
from provcheck.pair.comparer import Provcheck

TRAM = (
    "The council voted on Tuesday to fund a tram line linking the station with the university campus.\n"
    "Work is due to start next spring and should take about three years, officials said.\n"
)
BODY = (
    "市教育局昨天召开职业教育工作会议，总结上一学年的办学情况。\n"
    "会议通报，全市中等职业学校今年共招收新生一万二千人，比去年增加八百人。\n"
    "下一步，教育部门将继续推进产教融合，支持学校围绕新兴产业开设课程。\n"
)


def compare(pc: Provcheck, source: str, suspect: str) -> Report:
    return pc.compare(pc.prepare_text(source, "source"), pc.prepare_text(suspect, "suspect"))


def spans(r: Report, kind: FindingType) -> list[tuple[str, int, int]]:
    out = []
    for f in r.findings:
        if f.type is kind:
            span = f.suspect_span if kind is not FindingType.DELETED else f.source_span
            assert span is not None
            out.append((f.suspect_text or f.source_text, span.start, span.end))
    return out


def test_new_headline_and_byline_are_inserted_and_the_old_ones_deleted(pc: Provcheck) -> None:
    # The segmenter joins the unpunctuated headline and byline to the first body sentence, so the
    # pair aligns well; still no word of the new headline "replaces" one of the old.
    source = "City council backs new tram line\nBy Jane Porter, City Desk\n" + TRAM
    suspect = "Tram plan gets green light from councillors\nStaff reporter, Morning Post\n" + TRAM
    r = compare(pc, source, suspect)
    assert r.relation is Relation.COPY
    assert not [f for f in r.findings if f.type is FindingType.SUBSTITUTION]
    inserted = spans(r, FindingType.INSERTED)
    assert ("Tram plan gets green light from", 0, 31) in inserted
    assert ("Staff reporter, Morning Post", 44, 72) in inserted
    assert all(f.get("reason") == "misaligned fragment" for f in r.findings if f.type is FindingType.INSERTED)
    deleted = spans(r, FindingType.DELETED)
    assert ("City council backs new tram line", 0, 32) in deleted
    assert ("Jane Porter, City Desk", 36, 58) in deleted


def test_a_reporters_name_in_a_byline_is_no_substitution(pc: Provcheck) -> None:
    source = "职业教育工作会议召开\n新华社南京3月5日电（记者王磊）" + BODY
    suspect = "职业教育工作会议召开\n人民网南京3月5日电（记者李娜）" + BODY
    r = compare(pc, source, suspect)
    assert r.relation is Relation.COPY
    assert ("李娜", 24, 26) in spans(r, FindingType.INSERTED)
    assert ("王磊", 24, 26) in spans(r, FindingType.DELETED)
    subs = [(f.source_text, f.suspect_text) for f in r.findings if f.type is FindingType.SUBSTITUTION]
    assert ("王磊", "李娜") not in subs
    assert not [f for f in r.findings if f.type is FindingType.SUBSTITUTION and f.get("swap")]


def test_a_word_changed_in_a_headline_that_aligns_stays_a_substitution(pc: Provcheck) -> None:
    source = "全市职业教育工作会议召开\n" + BODY
    suspect = "全市职业教育工作聚会召开\n" + BODY
    r = compare(pc, source, suspect)
    # The lines read alike: what changed in them is a substitution (cut where the diff cuts it).
    assert [f.source_text for f in r.findings if f.type is FindingType.SUBSTITUTION] == ["会议"]
    assert not [f for f in r.findings if f.get("reason") == "misaligned fragment"]
