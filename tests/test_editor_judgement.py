"""Real-page failure classes judged as an editor would (issue 9), on text written for these tests:
a retitled copy, template siblings, same-event reports, converter mirrors, editor's notes."""

from __future__ import annotations

from provcheck import FindingType, Relation
from provcheck.model import Report
from provcheck.pair.comparer import Provcheck
from provcheck.text.read import document_from_text

BODY = (
    "市教育局昨天召开职业教育工作会议，总结上一学年的办学情况。\n"
    "会议通报，全市中等职业学校今年共招收新生一万二千人，比去年增加八百人，专业设置覆盖制造、信息和服务三大门类。\n"
    "多所学校与本地企业共建实训基地，学生在校期间即可参加岗位实习，毕业生就业率连续三年保持在九成以上。\n"
    "下一步，教育部门将继续推进产教融合，支持学校围绕新兴产业开设课程，并加强双师型教师队伍建设。\n"
)


def compare(pc: Provcheck, source: str, suspect: str) -> Report:
    return pc.compare(document_from_text(source, "source"), document_from_text(suspect, "suspect"))


def of_type(report: Report, kind: FindingType) -> list[str]:
    return [f.suspect_text for f in report.findings if f.type is kind]


def test_retitled_copy_is_a_copy_not_a_rewrite(pc: Provcheck) -> None:
    source = "职业教育会议在市里召开\n本报讯（记者 王磊）" + BODY
    suspect = "全市中职招生规模再创新高\n晨报讯 通讯员 李娜 报道\n" + BODY + "（责任编辑：赵敏）\n"
    r = compare(pc, source, suspect)
    assert r.relation is Relation.COPY
    assert r.score > 0.9
    # Whatever the new headline and byline align against, none of it is a spinner's swap.
    assert not [f for f in r.findings if f.type is FindingType.SUBSTITUTION and f.get("swap")]


def test_template_siblings_are_unrelated(pc: Provcheck) -> None:
    notice = (
        "{fund}基金公布{year}年度收益分配方案\n"
        "{company}基金管理公司周四发布公告称，旗下{fund}基金将进行{year}年度收益分配，每10份基金份额派发现金红利{per}元。\n"
        "本次分红共计派发现金{total}万元，占该基金本年度可供分配利润的{share}。\n"
        "权益登记日为{day}日，除息日和现金红利发放日为次一工作日。\n"
        "截至{year}年末，该基金本年度已实现收益为{gain}万元。\n"
    )
    a = notice.format(
        fund="长青稳健",
        company="远航",
        year=2018,
        per="0.35",
        total=1260,
        share="91.20%",
        day="4月12",
        gain="1381.50",
    )
    b = notice.format(
        fund="海川增利",
        company="星河",
        year=2019,
        per="0.62",
        total=8840,
        share="96.75%",
        day="5月20",
        gain="9137.60",
    )
    r = compare(pc, a, b)
    assert r.relation is Relation.UNRELATED
    assert r.score < 0.3
    assert not of_type(r, FindingType.ALTERED_NUMBER)


def test_copy_with_one_altered_figure_stays_a_copy(pc: Provcheck) -> None:
    altered = BODY.replace("比去年增加八百人", "比去年增加九百人")
    r = compare(pc, BODY, altered)
    assert r.relation is Relation.COPY
    assert of_type(r, FindingType.ALTERED_NUMBER) == ["九百"]


def test_same_event_reports_sharing_a_quotation_are_unrelated(pc: Provcheck) -> None:
    quote = "“我们要让每一个孩子都能学到一技之长，在家门口找到好工作。”"
    a = (
        "本报讯 昨天上午，市职业教育工作会议在会展中心举行，来自各区的校长和企业代表参加。\n"
        f"市教育局局长在讲话中说：{quote}\n"
        "会上，八所学校与二十家企业签署了合作协议，双方将在课程开发和实习岗位上深入合作。\n"
        "据介绍，今年全市将新建三个公共实训中心，总投资约两亿元。\n"
    )
    b = (
        "晚报记者从昨天召开的全市职业教育大会上获悉，本市将在三年内打造一批高水平专业群。\n"
        f"教育部门负责人表示：{quote}\n"
        "与会企业代表认为，学校培养的学生动手能力强，但在外语和数字技能方面还有提升空间。\n"
        "一位参会校长告诉记者，学校正在筹划与本地新能源车企合办订单班，首批计划招收六十人。\n"
    )
    r = compare(pc, a, b)
    assert r.relation is Relation.UNRELATED
    assert r.score < 0.3
    shared = of_type(r, FindingType.SHARED)
    assert shared and all(s in quote for s in shared)  # what they share is still listed


def test_score_ranks_a_copy_above_a_same_event_report(pc: Provcheck) -> None:
    other = (
        "记者昨日从市职业教育会议获悉，本市中职学校今年招生形势良好。\n"
        "一位校长介绍，学校新开设了无人机应用和养老服务两个专业，报名人数超过预期。\n"
        "企业代表希望学校加强实训，让学生尽快适应岗位要求。\n"
    )
    copy = compare(pc, BODY, "转自某某网\n" + BODY)
    independent = compare(pc, BODY, other)
    assert copy.score > 0.9 > 0.3 > independent.score


def test_converter_mirror_with_pinyin_glosses_is_a_copy_without_spam(pc: Provcheck) -> None:
    mirror = (
        "市教育局昨天召開(kāi)職業教育工作會(huì)議，總結(jié)上一學(xué)年的辦學(xué)情況。\n"
        "會(huì)議通報，全市中等職業學(xué)校今年共招收新生一萬二千人，比去年增加八百人，專業設置覆蓋制造、信息和服務三大門類。\n"
        "多所學(xué)校與本地企業共建實訓基地，學(xué)生在校期間即可參加岗位實習，畢業生就業率連續三年保持在九成以上。\n"
        "下一步，教育部門將繼續推進産教融合，支持學(xué)校圍繞新興産業開設課程，并加强雙師型教師隊伍建設。\n"
    )
    r = compare(pc, BODY, mirror)
    assert r.relation is Relation.COPY
    assert r.score > 0.9
    assert not of_type(r, FindingType.SPLICED_SPAM)
    assert not of_type(r, FindingType.SUBSTITUTION)


def test_editors_note_is_never_spam(pc: Provcheck) -> None:
    note = "编者按：本文原载于《教育周刊》，经授权转载，文字有所调整。\n"
    r = compare(pc, BODY, note + BODY + "（转自教育周刊，有删节）\n责任编辑：赵敏\n")
    assert r.relation is Relation.COPY
    assert not of_type(r, FindingType.SPLICED_SPAM)
    marked = "".join(of_type(r, FindingType.INSERTED) + of_type(r, FindingType.BOILERPLATE))
    assert "本文原载于" in marked and "经授权转载" in marked and "赵敏" in marked


def test_figures_on_real_pages(pc: Provcheck) -> None:
    source = (
        "这款相机于2005年上市，与尼康D90的外观十分相似，上市时售价14780元，商家表示货源充足。\n"
        "记者在多家门店看到，该机型的销量在过去一个月里稳步上升，不少顾客专门前来询问。\n"
    )
    suspect = (
        "这款相机于05年上市，与尼康D90的外观十分相似，现在的售价已降到14080元，商家表示货源充足。\n"
        "记者在多家门店看到，该机型的销量在过去一个月里稳步上升，不少顾客专门前来询问。\n"
    )
    r = compare(pc, source, suspect)
    assert r.relation is not Relation.UNRELATED
    assert of_type(r, FindingType.REFORMATTED_NUMBER) == ["05"]  # the year, abbreviated
    # The price changed inside a reworded clause is still found.
    assert of_type(r, FindingType.ALTERED_NUMBER) == ["14080"]
