"""Figures on real pages (issue 9): model designations, numeral characters of ordinary words, one
quantity in other units, decimal points moved in a reworded or moved paragraph, and page chrome.
Every pair is a copy of text written for these tests with one or two sentences changed."""

from __future__ import annotations

import pytest

from provcheck import FindingType, Relation
from provcheck.model import Report
from provcheck.pair.comparer import Provcheck
from provcheck.text.read import document_from_text

BODY = (
    "今年全县共完成高标准农田建设四万亩，新修灌溉渠道一百二十公里，受益农户超过九千户。\n"
    "县农业农村局介绍，新建农田全部配套了节水灌溉设施，亩均用水量比改造前下降两成。\n"
    "下一步，全县将继续推进土地整理和农机推广，力争明年粮食单产再提高一成。\n"
)


def compare(pc: Provcheck, source: str, suspect: str) -> Report:
    return pc.compare(document_from_text(source, "source"), document_from_text(suspect, "suspect"))


def found(report: Report, kind: FindingType) -> list[tuple[str, str]]:
    return [(f.source_text, f.suspect_text) for f in report.findings if f.type is kind]


def spans(report: Report, kind: FindingType) -> list[tuple[int, int]]:
    return [
        (f.suspect_span.start, f.suspect_span.end)
        for f in report.findings
        if f.type is kind and f.suspect_span is not None
    ]


def test_model_designations_are_not_figures(pc: Provcheck) -> None:
    source = "影楼这次添置的相机是R8，与老款Z33十分相似，操作上手很快。\n" + BODY
    suspect = "影楼这次添置的相机是D90，与老款Z33非常相似，操作上手很快。\n" + BODY
    r = compare(pc, source, suspect)
    assert r.relation is Relation.COPY
    # r8 -> d90 names another camera; 十 of 十分 ("very") is no ten after 33.
    assert found(r, FindingType.ALTERED_NUMBER) == []
    assert found(r, FindingType.REFORMATTED_NUMBER) == []


def test_a_designations_digits_changed_are_an_altered_figure(pc: Provcheck) -> None:
    source = "影楼这次添置的相机是SX200，操作上手很快。\n" + BODY
    suspect = "影楼这次添置的相机是SX2000，操作上手很快。\n" + BODY
    r = compare(pc, source, suspect)
    assert found(r, FindingType.ALTERED_NUMBER) == [("200", "2000")]


def test_one_quantity_in_other_units_is_reformatted(pc: Provcheck) -> None:
    source = "新队员身高2米05，体重110公斤，老家有承包地1500亩。\n" + BODY
    suspect = "新队员身高205公分，体重220斤，老家有承包地100公顷。\n" + BODY
    r = compare(pc, source, suspect)
    assert found(r, FindingType.ALTERED_NUMBER) == []
    assert found(r, FindingType.REFORMATTED_NUMBER) == [("2米05", "205"), ("110", "220"), ("1500", "100")]


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        ("身高2米05", "身高206公分", FindingType.ALTERED_NUMBER),  # one centimetre more
        ("承包地1500亩", "承包地101公顷", FindingType.ALTERED_NUMBER),  # 100公顷 would be the same
        ("全长3公里", "全长3000米", FindingType.REFORMATTED_NUMBER),
        ("全程耗时3天", "全程耗时72小时", FindingType.REFORMATTED_NUMBER),
        ("体重5公斤", "体重5千克", None),  # one unit, two names: a word change, no figure
    ],
)
def test_quantities_compare_after_conversion(
    pc: Provcheck, before: str, after: str, kind: FindingType | None
) -> None:
    r = compare(pc, f"新队员{before}，来自北方。\n" + BODY, f"新队员{after}，来自北方。\n" + BODY)
    kinds = [
        f.type for f in r.findings if f.type in (FindingType.ALTERED_NUMBER, FindingType.REFORMATTED_NUMBER)
    ]
    assert kinds == ([kind] if kind else [])


def test_a_unit_changed_with_its_figure_kept_is_altered(pc: Provcheck) -> None:
    source = "全县粮食总产量达到119亿斤，比上年增长一成。\n" + BODY
    suspect = "全县粮食总产量达到119亿公斤，比上年增长一成。\n" + BODY
    r = compare(pc, source, suspect)
    assert found(r, FindingType.ALTERED_NUMBER) == [("119亿斤", "119亿公斤")]
    start = suspect.index("119亿公斤")
    assert spans(r, FindingType.ALTERED_NUMBER) == [(start, start + len("119亿公斤"))]


def test_an_abbreviated_year_is_reformatted(pc: Provcheck) -> None:
    source = "这支球队在2005年首次夺得联赛冠军。\n" + BODY
    suspect = "这支球队在05年首次夺得联赛冠军。\n" + BODY
    r = compare(pc, source, suspect)
    assert found(r, FindingType.REFORMATTED_NUMBER) == [("2005", "05")]
    assert found(r, FindingType.ALTERED_NUMBER) == []


def test_a_price_changed_inside_a_reworded_sentence_is_found(pc: Provcheck) -> None:
    source = "经销商介绍，该车型目前的售价为14780元，本周到店还可享受保养优惠。\n" + BODY
    suspect = "据店方透露，这款车眼下只卖14080元，本周到店还可享受保养优惠。\n" + BODY
    r = compare(pc, source, suspect)
    assert found(r, FindingType.ALTERED_NUMBER) == [("14780", "14080")]
    start = suspect.index("14080")
    assert spans(r, FindingType.ALTERED_NUMBER) == [(start, start + 5)]


def test_decimal_points_moved_in_a_moved_and_reworded_paragraph(pc: Provcheck) -> None:
    # The copy moves the area paragraph below the yield paragraph, joins its two sentences and
    # writes 千公顷 as 万公顷 (the same values) but moves the decimal point of the 万亩 figures.
    intro = "据市统计局消息，全市今年粮食生产再获丰收，播种面积、单产和总产量如下：\n"
    source = intro + (
        "一、全市播种面积3872千公顷（5808万亩），比上年减少52千公顷（78万亩），下降1.3%。"
        "其中小麦播种面积1265千公顷（1897.5万亩），比上年减少31千公顷（46.5万亩），下降2.4%。\n"
        "二、粮食平均亩产达到408公斤，创历史新高，优质稻占比继续提高。\n"
        "三、全市粮食总产量2370万吨，比上年增加11万吨，增长0.5%。\n"
    )
    suspect = intro + (
        "二、粮食平均亩产达到408公斤，创历史新高，优质稻占比继续提高。\n"
        "全市播种面积387.2万公顷（580.8万亩），比上年减少5.2万公顷（78万亩），下降1.3%其中，"
        "小麦播种面积126.5万公顷（189.75万亩），比上年减少3.1万公顷（46.5万亩），下降2.4%。\n"
        "三、全市粮食总产量2370万吨，比上年增加11万吨，增长0.5%。\n"
    )
    r = compare(pc, source, suspect)
    assert r.relation is not Relation.UNRELATED
    assert found(r, FindingType.ALTERED_NUMBER) == [("5808万", "580.8万"), ("1897.5万", "189.75万")]
    assert ("3872千", "387.2万") in found(r, FindingType.REFORMATTED_NUMBER)


def test_publication_stamps_and_datelines_are_not_altered_figures(pc: Provcheck) -> None:
    source = (
        "全县高标准农田建设任务提前完成\n"
        "2023-07-06 10:32 来源：县融媒体中心\n"
        "发布时间：2023年7月6日  浏览次数：1286\n"
        "本报讯 7月5日电 " + BODY
    )
    suspect = (
        "全县高标准农田建设任务提前完成\n"
        "2023-07-09 08:15 来源：农业信息网\n"
        "发布时间：2023年7月9日  浏览次数：57\n"
        "本报讯 7月8日电 " + BODY
    )
    r = compare(pc, source, suspect)
    assert r.relation is Relation.COPY
    assert found(r, FindingType.ALTERED_NUMBER) == []
