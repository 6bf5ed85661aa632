"""Page furniture on real web pages (issue 9): consent banners, lists of other stories at the foot
of a page, a second report that repeats the source, and the spam a page carries when it is
compared with an unrelated text. All text is written for these tests; spans are exact."""

from __future__ import annotations

from pathlib import Path

from provcheck import FindingType, Relation
from provcheck.pair.comparer import Provcheck
from provcheck.pair.diagnose.extras import consent_banner
from provcheck.report.terminal import render_terminal
from tests.test_editor_judgement import BODY, compare
from tests.test_spam_mirror import TITLE, at, spans

EN = (
    "Harbour Tools Inc. reported a wider loss for its second quarter on Tuesday, and its shares fell "
    "in late trading.\n"
    "The company lost $14.2 million, or $0.21 a share, compared with a loss of $9.8 million a year "
    "earlier.\n"
    "Revenue rose 4.5% to $182.6 million, helped by strong sales of its cordless drills in Europe.\n"
    "Analysts had expected revenue of $179.0 million for the quarter.\n"
    "The company kept its forecast for the full year and said it would open two plants in Ohio.\n"
)


def test_consent_banner_needs_consent_words_in_the_sites_own_voice() -> None:
    assert consent_banner(
        "we use cookies to improve your experience. by continuing you agree to our privacy policy."
    )
    assert consent_banner("本网站使用相关技术改善用户体验，并尊重您的隐私，继续浏览即表示同意。")
    # An article about privacy quotes the vocabulary, but not in the site's voice.
    assert not consent_banner("regulators said sites must ask consent before setting cookies.")
    assert not consent_banner("议员认为，平台应在收集数据前征得用户同意。")


def test_a_shared_consent_banner_does_not_make_two_stories_of_one_site_related(pc: Provcheck) -> None:
    foot = (
        "\n大数据推荐\n热销商品\n直播活动\n"
        "东岸新闻网为了提供更好的阅读内容，我们使用相关网站技术来改善使用者体验，也尊重用户的隐私权，特别提出声明。\n"
        "了解最新隐私权声明\n"
    )
    source = (
        "市区昨晚发生停电，约三千户居民受到影响。\n"
        "供电公司派出十二支抢修队，经过四个小时的抢修，凌晨两点恢复供电。\n"
        "公司表示，停电原因是一台变压器老化起火，将在下月更换全市同类设备。\n"
    )
    suspect = (
        "新建的东岸公园本周末开放，园内设有儿童游乐区和两条步道。\n"
        "管理处说，公园每天早上六点开放，晚上十点关闭，节假日不限流。\n"
        "附近居民希望公园增设停车位，管理处表示会在明年规划。\n"
    )
    r = compare(pc, source + foot, suspect + foot)
    assert r.relation is Relation.UNRELATED


def test_teasers_under_a_list_heading_are_chrome(pc: Provcheck) -> None:
    foot = (
        "For comments and feedback contact: editorial@example.com\n\n"
        "Business News\n\n"
        "Editors' Pick\n"
        "A bakery chain said on Monday it will bring back its spring pastry menu for a limited time. "
        "The pastries are sold at all of its stores and have been a seasonal tradition for years.\n"
        "A regional bank, through its new payment platform, has cut the cost of settling transfers "
        "between its branches by half, the bank said in a statement on Friday.\n"
    )
    suspect = EN + foot
    r = compare(pc, EN, suspect)
    assert r.relation is Relation.COPY
    assert spans(r, FindingType.BOILERPLATE) == [at(suspect, foot.rstrip("\n"))]
    assert not spans(r, FindingType.INSERTED)


def test_a_run_of_headlines_in_the_page_tail_is_chrome(pc: Provcheck) -> None:
    heads = (
        "Storm closes coastal highway for second day\n"
        "City council approves new budget for parks\n"
        "Local bakery wins national bread award again\n"
        "School district plans to hire forty teachers\n"
        "Museum reopens after two years of repairs\n"
    )
    suspect = EN + heads
    r = compare(pc, EN, suspect)
    assert r.relation is Relation.COPY
    assert spans(r, FindingType.BOILERPLATE) == [at(suspect, heads.rstrip("\n"))]
    found = next(f for f in r.findings if f.type is FindingType.BOILERPLATE)
    assert found.get("reason") == "a list of other stories in the page tail"
    # Prose of the same length is no list.
    prose = heads.replace("\n", ".\n")
    r = compare(pc, EN, EN + prose)
    assert not spans(r, FindingType.BOILERPLATE)


def test_a_second_report_repeating_the_source_makes_a_partial_copy(pc: Provcheck) -> None:
    lines = BODY.splitlines()
    # A second item of the same agency: sentences of its own among the source's, in the tail.
    second = (
        "市人社局同日发布消息。\n今年将新增职业技能培训补贴项目十二个，覆盖餐饮、养老和物流等行业。\n"
        + lines[1]
        + "\n补贴将直接发放到培训学员个人账户，每人每年最多可申请两次，申请材料可在网上提交。\n"
        + lines[2]
        + "\n人社局表示，培训机构须在目录内，学员结业考核合格后才能领取补贴资金。\n"
        "据介绍，去年全市共有四万多人次领取了培训补贴。\n"
    )
    suspect = BODY + second
    r = compare(pc, BODY, suspect)
    assert r.relation is Relation.PARTIAL
    repeated = [
        (f.suspect_span.start, f.suspect_span.end)
        for f in r.findings
        if f.get("reason") == "source text repeated" and f.suspect_span
    ]
    # The aligner may take the sentence before a repeated one with it; each repeat is reported.
    for line in lines[1:3]:
        a, b = at(suspect, line, len(BODY))
        assert any(x <= a and b <= y for x, y in repeated)
    assert len(repeated) == 2
    assert not spans(r, FindingType.BOILERPLATE)


def test_an_unrelated_spam_page_still_shows_its_keyword_header(pc: Provcheck) -> None:
    header = "真人娱乐场 百家乐 老虎机 | 棋牌游戏 体育投注 捕鱼达人"
    other = (
        "新建的东岸公园本周末开放，园内设有儿童游乐区和两条步道。\n"
        "管理处说，公园每天早上六点开放，晚上十点关闭，节假日不限流。\n"
    )
    suspect = header + "\n" + other
    r = compare(pc, BODY, suspect)
    assert r.relation is Relation.UNRELATED
    assert spans(r, FindingType.SPLICED_SPAM) == [at(suspect, header)]
    assert not spans(compare(pc, BODY, other), FindingType.SPLICED_SPAM)


def test_terminal_marks_shared_text_of_an_unrelated_pair(pc: Provcheck, tmp_path: Path) -> None:
    quote = "会议通报，全市中等职业学校今年共招收新生一万二千人，比去年增加八百人"
    suspect = (
        "新建的东岸公园本周末开放，园内设有儿童游乐区和两条步道，附近居民期待已久。\n"
        f"另一则消息：{quote}。\n"
        "管理处说，公园每天早上六点开放，晚上十点关闭，节假日不限流，欢迎市民前往。\n"
    )
    r = compare(pc, BODY, suspect)
    assert r.relation is Relation.UNRELATED
    assert spans(r, FindingType.SHARED)
    out = tmp_path / "report.txt"
    render_terminal(r, out)
    assert f"[shared:{quote}" in out.read_text(encoding="utf-8").replace("\n", "")


def test_digits_in_the_path_of_a_web_address_are_no_figures(pc: Provcheck) -> None:
    for old, new in [
        (
            "原文链接：https://news.example.com/2024/0512/10233.html",
            "原文链接：https://news.example.com/2024/0513/10871.html",
        ),
        ("详见 www.example.cn/a/20240512/88.shtml 。", "详见 www.example.cn/a/20240519/95.shtml 。"),
        (
            "Read more at example.com/story/2024/05/12/4471 today.",
            "Read more at example.com/story/2024/06/02/5902 today.",
        ),
    ]:
        r = compare(pc, BODY + old + "\n", BODY + new + "\n")
        assert r.relation is Relation.COPY
        assert not spans(r, FindingType.ALTERED_NUMBER) and not spans(r, FindingType.REFORMATTED_NUMBER)
    # A figure beside an address is still one, and so is a changed host (a link to another site).
    r = compare(pc, BODY + "见 http://www.game2.cn/ 。\n", BODY + "见 http://www.game4.cn/ 。\n")
    assert len(spans(r, FindingType.ALTERED_NUMBER)) == 1
    old, new = (
        "全年接待游客12万人次，详见 www.example.cn/a/88.shtml 。",
        "全年接待游客15万人次，详见 www.example.cn/a/88.shtml 。",
    )
    suspect = BODY + new + "\n"
    r = compare(pc, BODY + old + "\n", suspect)
    assert spans(r, FindingType.ALTERED_NUMBER) == [at(suspect, "15万")]


def test_a_chinese_name_spliced_into_a_copied_sentence_is_spam(pc: Provcheck) -> None:
    for name, old in [("王秀英", "总结"), ("林敬旻", "毕业生")]:
        suspect = BODY.replace(old, old + name, 1)
        r = compare(pc, BODY, suspect)
        assert r.relation is Relation.COPY
        assert spans(r, FindingType.SPLICED_SPAM) == [at(suspect, name)]
    # An editor's attribution: after a title, before a verb of saying; a common word is no name.
    for old, new in [
        ("会议通报", "记者张伟报道，会议通报"),
        ("会议通报，", "会议通报，张伟表示，"),
        ("共建实训基地", "共建高度实训基地"),
    ]:
        r = compare(pc, BODY, BODY.replace(old, new, 1))
        assert not spans(r, FindingType.SPLICED_SPAM)


def test_common_words_a_paraphraser_adds_are_no_stuffed_keywords(pc: Provcheck) -> None:
    suspect = EN.replace("rose 4.5%", "rose the 4.5%").replace("its forecast", "the its forecast")
    suspect = suspect.replace("for the quarter", "for the the quarter")
    r = compare(pc, EN, suspect)
    assert not spans(r, FindingType.SPLICED_SPAM)


def test_a_keyword_header_read_together_with_the_lines_below_it_is_spam(pc: Provcheck) -> None:
    # Long keyword phrases, no full stop: the reader joins the header to the headline and the
    # publication line under it, and the run is long enough to read as a passage.
    header = "国产精品亚洲一区二区,日韩无码在线播放视频,成人午夜免费影院在线,亚洲欧美国产精品久久"
    info = "发布时间:2024-03-02 10:46 | 来源:本地新闻网 | 作者:王晓明 | 责任编辑:李华"
    suspect = header + "\n" + TITLE + info + "\n" + BODY
    r = compare(pc, TITLE + BODY, suspect)
    assert spans(r, FindingType.SPLICED_SPAM) == [at(suspect, header)]
    # The publication line under it is no spam, the editor's name after its label included.
    a = at(suspect, info)[0]
    assert any(x <= a < y for x, y in spans(r, FindingType.BOILERPLATE))


def test_a_wordpress_foot_is_chrome(pc: Provcheck) -> None:
    foot = (
        "About admin\n\nCheck Also\n\nCity council approves new budget for parks\n\n"
        "The council voted on Monday to spend more on the city's parks and playgrounds …\n\n"
        "Leave a Reply\n\nYour email address will not be published. Required fields are marked *"
    )
    suspect = EN + "\n" + foot
    r = compare(pc, EN, suspect)
    assert r.relation is Relation.COPY
    assert spans(r, FindingType.BOILERPLATE) == [at(suspect, foot)]


def test_a_breadcrumb_and_an_ad_label_are_chrome(pc: Provcheck) -> None:
    crumb, ad = "Home / Business / Markets", "Advertisement"
    source = EN.replace(" Inc.", "")
    lines = source.splitlines(keepends=True)
    suspect = crumb + "\n\n" + "".join(lines[:2]) + ad + "\n" + "".join(lines[2:])
    r = compare(pc, source, suspect)
    assert r.relation is Relation.COPY
    assert spans(r, FindingType.BOILERPLATE) == [at(suspect, crumb), at(suspect, ad)]
