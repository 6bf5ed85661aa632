"""Score and relation on real-reprint patterns (issue 9, item 4), on text written for these tests:
reported speech counted as quotation, a spin needs a spun body, an independent pair's score."""

from __future__ import annotations

from pathlib import Path

from provcheck import FindingType, Relation
from provcheck.model import Report
from provcheck.pair.comparer import Provcheck
from provcheck.pair.reuse import ReuseConfig, measure_reuse, reuse_totals
from provcheck.text.read import document_from_text

ANNOUNCEMENT = "暂停接受旗下成长优选混合型基金单笔金额五十万元以上的申购及转换转入申请，恢复时间另行公告"

# Two independent reports of one fund announcement: each reports its text in indirect speech and
# both keep one sentence of it, where one says "its" (旗下) for the company's name.
REPORT_A = (
    "偏股基金再现限购潮\n"
    "今年以来股市回暖，偏股基金重新成为投资者追捧的品种，销售明显好转。\n"
    f"远航基金昨日发布公告称，{ANNOUNCEMENT}。\n"
    "远航可转债基金也于三月十七日起暂停大额申购，单日申购上限为五万元。\n"
    "分析人士认为，规模过快扩张不利于基金经理操作，限购有助于保护现有持有人的利益。\n"
    "数据显示，目前仍处于暂停申购状态的偏股基金已有十二只，其中五只规模超过百亿份。\n"
)
REPORT_B = (
    "基金限购令重现市场\n"
    "随着大盘持续反弹，基民热情升温，多家银行网点的基金咨询量比上月增加了三成。\n"
    f"上周，一家基金公司发布公告，称{ANNOUNCEMENT}。\n"
    "旗下可转债基金也于三月十七日起暂停大额申购，单日申购上限为五万元。\n"
    "一位银行理财经理告诉记者，新基民不妨分批买入，给自己设定明确的止盈目标。\n"
    "她建议老基民耐心持有，不要因为短期波动频繁买卖，以免增加交易成本。\n"
)


def compare(pc: Provcheck, source: str, suspect: str) -> Report:
    return pc.compare(document_from_text(source, "source"), document_from_text(suspect, "suspect"))


def test_reported_speech_counts_as_quotation(pc: Provcheck) -> None:
    src = pc.prepare_text(REPORT_A, "a")
    sus = pc.prepare_text(REPORT_B, "b")
    reuse = measure_reuse(src, sus)
    said = next(i for i, s in enumerate(sus.sentences) if "发布公告" in s.text)
    plain = next(i for i, s in enumerate(sus.sentences) if "可转债" in s.text)
    # The announcement after 称 is shared and quoted (all but 发布公告称); the plain sentence is
    # shared, not quoted.
    assert reuse.quoted[said] >= 40 and reuse.covered[said] - reuse.quoted[said] <= 5
    assert reuse.covered[plain] >= 20 and reuse.quoted[plain] == 0
    # Reported speech ends with its sentence: the next sentence is not quoted.
    text = "公司表示，今年将继续扩大生产规模。工厂新建的三条生产线已经全部投产运行。"
    seg = pc.prepare_text(text, "s")
    assert measure_reuse(seg, seg).quoted == (11, 0)  # 今年将继续扩大生产规模


def test_independent_reports_of_one_announcement_are_unrelated(pc: Provcheck) -> None:
    r = compare(pc, REPORT_A, REPORT_B)
    # One word changed in one shared sentence is no spin, and the shared announcement is reported
    # speech: the pair is independent.
    assert r.relation is Relation.UNRELATED
    shared = "".join(f.suspect_text for f in r.findings if f.type is FindingType.SHARED)
    assert "单笔金额" in shared and "单日申购上限" in shared
    # The score counts only the shared text outside quotation: the plain sentence and 发布公告称.
    sus = pc.prepare_text(REPORT_B, "b")
    plain = next(s for s in sus.sentences if "可转债" in s.text)
    total = sum(s.content for s in sus.sentences)
    assert plain.content / total < r.score <= (plain.content + len("发布公告称")) / total < 0.2


def test_spun_copy_is_still_rewritten(pc: Provcheck) -> None:
    # The same one-word swaps through the whole text make a spun copy.
    spun = REPORT_A.replace("投资者", "投资人").replace("暂停", "停止").replace("有助于", "有利于")
    r = compare(pc, REPORT_A, spun)
    assert r.relation is Relation.REWRITTEN
    assert r.score > 0.9


def test_shared_quotation_alone_scores_zero(pc: Provcheck) -> None:
    quote = "“我们要让每一个孩子都能学到一技之长，在家门口找到好工作。”"
    a = (
        "昨天上午，市职业教育工作会议在会展中心举行，来自各区的校长和企业代表参加。\n"
        f"市教育局局长在讲话中说：{quote}\n"
        "会上，八所学校与二十家企业签署了合作协议。\n"
    )
    b = (
        "晚报记者从昨天召开的全市职业教育大会上获悉，本市将在三年内打造一批高水平专业群。\n"
        f"教育部门负责人在会上表示：{quote}\n"
        "与会企业代表认为，学校培养的学生动手能力强。\n"
    )
    r = compare(pc, a, b)
    assert r.relation is Relation.UNRELATED
    assert r.score == 0.0
    assert [f.type for f in r.findings] == [FindingType.SHARED]


def test_english_word_endings_do_not_break_a_run(pc: Provcheck) -> None:
    source = (
        "The new library lends tablets to students who study at home during the long winter holidays.\n"
        "Volunteers train older readers to use the catalogue and the public computers every Saturday.\n"
    )
    # Reworded only in its endings.
    suspect = (
        "The new library lending tablet to student who studies at home during the long winter holiday.\n"
        "Volunteer trains older reader to use the catalogues and the public computer every Saturday.\n"
    )
    src, sus = pc.prepare_text(source, "s"), pc.prepare_text(suspect, "u")
    reuse = measure_reuse(src, sus)
    assert reuse.covered[0] >= 0.8 * reuse.content[0]
    assert reuse.covered[1] >= 0.8 * reuse.content[1]
    assert compare(pc, source, suspect).score > 0.8
    # Independent text on the same topic shares no run of five words, whatever their endings.
    other = (
        "Our town library opened a new reading room, and its staff now runs weekend classes for parents.\n"
    )
    assert compare(pc, source, other).score == 0.0


def test_a_sentence_whose_figures_all_changed_still_derives_in_a_copy(pc: Provcheck) -> None:
    body = (
        "市教育局昨天召开职业教育工作会议，总结上一学年的办学情况。\n"
        "多所学校与本地企业共建实训基地，学生在校期间即可参加岗位实习，毕业生就业率连续三年保持在九成以上。\n"
        "下一步，教育部门将继续推进产教融合，支持学校围绕新兴产业开设课程，并加强双师型教师队伍建设。\n"
    )
    source = body + "今年全市职业教育投入三亿元，新建实训楼四栋，添置设备两千台套。\n"
    suspect = body + "今年全市职业教育投入3.5亿元，新建实训楼5栋，添置设备2500台套。\n"
    r = compare(pc, source, suspect)
    assert r.relation is Relation.COPY
    assert [f.suspect_text for f in r.findings if f.type is FindingType.ALTERED_NUMBER] == [
        "3.5亿",
        "5",
        "2500",
    ]
    # Only its first words (in a run with the sentence before) lie in a shared run of 12, yet it is
    # the copy's sentence with its figures changed: the rest of it counts as the copy is verbatim
    # elsewhere, not by how little of this one sentence is.
    last = pc.prepare_text(suspect, "b").sentences[-1]
    reuse = measure_reuse(pc.prepare_text(source, "a"), pc.prepare_text(suspect, "b"))
    assert reuse.covered[-1] < 0.5 * last.content
    total = sum(s.content for s in pc.prepare_text(suspect, "b").sentences)
    assert r.score > 1 - 0.2 * last.content / total


# A press release as an agency runs it, and a second site's run of it: its own dateline, reporters
# and headline, one word edited in the body.
RELEASE = (
    "新华社兰州5月8日电（记者王志远 陈晓丽）记者8日从甘肃省水利厅获悉，引洮供水二期工程主体全部完工，"
    "工程建成后将惠及沿线六个市州的三百多万群众。\n"
    "据介绍，二期工程全长约二百六十公里，由一条干渠和多条支渠组成，沿途穿越黄土高原丘陵沟壑区。\n"
    "这次完工的是最后一段隧洞，施工人员克服了地质条件复杂、涌水量大等一系列困难。\n"
    "水利厅有关负责人表示，下一步将抓紧开展通水试验，确保年底前正式向城乡居民供水。\n"
    "引洮工程是甘肃省有史以来规模最大的水利工程，被当地群众称为“民心工程”。\n"
)


def test_a_reprint_under_its_own_dateline_is_a_copy(pc: Provcheck) -> None:
    reprint = RELEASE.replace(
        "新华社兰州5月8日电（记者王志远 陈晓丽）", "人民网兰州5月8日电（记者赵小军）"
    ).replace("这次完工", "此次完工")
    r = compare(pc, RELEASE, "引洮二期主体完工\n" + reprint)
    # The site's agency and reporter are the reprint's own, not a spinner's swaps; one word edited
    # in the body is a copy's edit.
    assert r.relation is Relation.COPY
    swaps = [f for f in r.findings if f.type is FindingType.SUBSTITUTION and f.get("swap")]
    assert [(f.get("source_word"), f.get("suspect_word")) for f in swaps] == [("这次", "此次")]


def test_lists_after_the_page_chrome_are_no_content(pc: Provcheck) -> None:
    # A copy whose page ends with a counter and teasers of other stories.
    page = (
        RELEASE
        + "浏览次数：2315\n"
        + "省气象台发布大风蓝色预警，河西走廊西部部分地区将出现八级以上大风天气，请注意防范。\n"
        + "兰州新区再添一条城市主干道，全长十二公里的纬一路日前建成通车，市民出行更加便捷。\n"
        + "第十届敦煌文博会筹备工作全面启动，预计将有五十多个国家和地区的嘉宾参会。\n"
    )
    r = compare(pc, RELEASE, page)
    assert r.relation is Relation.COPY
    assert r.score > 0.95
    # A second article with no chrome before it is content of the page: the pair is partial.
    r = compare(pc, RELEASE, page.replace("浏览次数：2315\n", ""))
    assert r.relation is Relation.PARTIAL
    assert r.score < 0.7


def test_shared_formula_lines_are_no_streak(pc: Provcheck) -> None:
    # Two days' market wraps of one agency share the update formula, two short lines, and no fact.
    a = (
        "Stocks slipped on Wall Street on Tuesday as bond yields climbed to their highest level in a month.\n"
        "This is a breaking news update. Our earlier story follows below.\n"
        "Technology companies pulled the market lower, while banks held onto modest gains after strong results.\n"
        "Crude oil prices fell after a government report showed a surprise build in stockpiles last week.\n"
    )
    b = (
        "Stocks rallied to records on Friday after a strong jobs report eased worries about the economy.\n"
        "This is a breaking news update. Our earlier story follows below.\n"
        "Retailers and travel companies led the gains, and small-company stocks outpaced the broader market.\n"
        "Gold edged higher while the dollar weakened against the euro and the Japanese yen in late trading.\n"
    )
    r = compare(pc, a, b)
    assert r.relation is Relation.UNRELATED
    assert r.score < 0.3
    # Nor do the byline and credit lines they share make 100 characters of substance.
    byline = "By MARK DAVIES and ANN LEE, Business Writers\n"
    credit = "Business Writers Tom Hart and Lin Zhou contributed.\n"
    r = compare(pc, byline + a + credit, byline + b + credit)
    assert r.relation is Relation.UNRELATED


def test_reuse_totals_equal_the_per_sentence_sums(pc: Provcheck) -> None:
    # Clustering's cheap path counts runs on the normalized texts without segmenting: its totals
    # must be what the per-sentence measure adds up to, blank lines, indents, quotations, numbers
    # and Latin words included (sentences hold every content character).
    latin = (
        "  The committee approved the new budget of 4,500 dollars on Monday.\n\n \t\nIt said: “more later”."
    )
    texts = [
        REPORT_A,
        REPORT_B,
        "\n   \n" + REPORT_B.replace("。", "。 \n ") + "  \u3000\n",
        latin,
        latin.replace("Monday", "Tuesday") + " Members were asked to vote again next week.",
        *(
            p.read_text(encoding="utf-8")
            for p in sorted((Path(__file__).parents[1] / "corpus").glob("*.txt"))[:6]
        ),
    ]
    for cfg in (ReuseConfig(), ReuseConfig(min_run=8)):
        for x in texts:
            for y in texts:
                src, sus = pc.prepare_text(x, "x"), pc.prepare_text(y, "y")
                r = measure_reuse(src, sus, cfg)
                want = (sum(r.content), r.total, sum(r.quoted), r.source_content)
                assert reuse_totals(src.norm.text, sus.norm.text, cfg) == want
