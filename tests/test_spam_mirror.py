"""Mirror and spam pages (issue 9, items 6 and 7), on text written for these tests: keyword headers,
SEO title stuffing, base64 image residue, datelines and converter mirrors. Spans are exact."""

from __future__ import annotations

import opencc

from provcheck import FindingType, Relation
from provcheck.model import Report
from provcheck.pair.comparer import Provcheck
from provcheck.text.read import document_from_text
from tests.test_editor_judgement import BODY, compare

TITLE = "全市中职招生规模再创新高\n"


def spans(report: Report, kind: FindingType) -> list[tuple[int, int]]:
    return [
        (f.suspect_span.start, f.suspect_span.end)
        for f in report.findings
        if f.type is kind and f.suspect_span
    ]


def at(text: str, part: str, start: int = 0) -> tuple[int, int]:
    i = text.index(part, start)
    return (i, i + len(part))


def test_gambling_keyword_header_over_a_copy_is_spam(pc: Provcheck) -> None:
    # No full stop ends the header, so the reader joins it to the first line: the splice is found
    # inside the aligned sentence all the same.
    header = "真人娱乐场 百家乐 老虎机 | 棋牌游戏 体育投注 捕鱼达人"
    suspect = header + "\n" + BODY
    r = compare(pc, BODY, suspect)
    assert r.relation is Relation.COPY
    assert spans(r, FindingType.SPLICED_SPAM) == [at(suspect, header)]
    assert not spans(r, FindingType.INSERTED)


def test_porn_keyword_header_on_a_traditional_mirror_is_spam(pc: Provcheck) -> None:
    header = "亞洲無碼 國產精品 成人影院 在線觀看"
    mirror = opencc.OpenCC("s2t").convert(TITLE + BODY)
    suspect = header + "\n" + mirror
    r = compare(pc, TITLE + BODY, suspect)
    assert r.relation is Relation.COPY
    assert spans(r, FindingType.SPLICED_SPAM) == [at(suspect, header)]


def test_a_site_name_recurring_through_a_keyword_line_is_spam(pc: Provcheck) -> None:
    header = "远帆国际 远帆国际官网 远帆国际登录 远帆国际客户端"  # no cue word at all
    suspect = header + "\n" + TITLE + BODY
    r = compare(pc, TITLE + BODY, suspect)
    assert spans(r, FindingType.SPLICED_SPAM) == [at(suspect, header)]


def test_a_navigation_bar_is_chrome_even_with_a_lottery_channel(pc: Provcheck) -> None:
    nav = "新闻 体育 娱乐 财经 彩票 汽车 房产"
    suspect = nav + "\n" + TITLE + BODY
    r = compare(pc, TITLE + BODY, suspect)
    assert not spans(r, FindingType.SPLICED_SPAM)
    assert spans(r, FindingType.BOILERPLATE) == [at(suspect, nav)]


def test_a_headline_repeated_three_times_is_seo_stuffing(pc: Provcheck) -> None:
    title = TITLE.strip()
    glued = f"{title} {title} {title}\n" + BODY
    r = compare(pc, TITLE + BODY, glued)
    assert r.relation is Relation.COPY
    # One copy of the headline derives from the source; the two added copies are the stuffing.
    assert spans(r, FindingType.SPLICED_SPAM) == [(len(title) + 1, 3 * len(title) + 2)]
    lines = TITLE * 3 + BODY
    r = compare(pc, TITLE + BODY, lines)
    assert spans(r, FindingType.SPLICED_SPAM) == [at(lines, title, 1), at(lines, title, len(title) + 2)]


def test_a_site_name_recurring_in_page_chrome_is_not_stuffing(pc: Provcheck) -> None:
    site = "城南教育信息网"
    page = f"{site}\n{site} 首页 | 新闻中心\n" + TITLE + BODY + f"{site} 版权所有\n{site} 联系我们\n"
    r = compare(pc, TITLE + BODY, page)
    assert r.relation is Relation.COPY
    assert not spans(r, FindingType.SPLICED_SPAM)


def test_base64_image_residue_is_boilerplate(pc: Provcheck) -> None:
    image = "![](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)"
    lines = BODY.splitlines(keepends=True)
    own_line = lines[0] + image + "\n" + "".join(lines[1:])
    inline = lines[0].rstrip("\n") + image + "\n" + "".join(lines[1:])
    for suspect in (own_line, inline):
        r = compare(pc, BODY, suspect)
        assert r.relation is Relation.COPY
        assert r.score > 0.95  # the residue is not content the copy failed to derive
        assert spans(r, FindingType.BOILERPLATE) == [at(suspect, image)]
        assert not spans(r, FindingType.INSERTED) and not spans(r, FindingType.SPLICED_SPAM)


def test_datelines_are_editorial_insertions(pc: Provcheck) -> None:
    for dateline in ("本网讯 ", "晨报网江城7月6日电（记者 王磊）"):
        suspect = dateline + BODY
        r = compare(pc, BODY, suspect)
        assert r.relation is Relation.COPY
        assert not spans(r, FindingType.SPLICED_SPAM)
        assert spans(r, FindingType.INSERTED) == [at(suspect, dateline.strip())]


def test_context_dependent_traditional_characters_are_not_substitutions(pc: Provcheck) -> None:
    # 著 is simplified too (著名); in 看著/穿著/隨著 the mirror's 著 is the simplified 着.
    source = "他穿着旧外套，站在著名作家的故居门前，随着人群看着来往的游客，心里显著平静了。\n" + BODY
    mirror = "他穿著舊外套，站在著名作家的故居門前，隨著人群看著來往的遊客，心裡顯著平靜了。\n" + BODY
    r = compare(pc, source, mirror)
    assert r.relation is Relation.COPY
    assert not [f for f in r.findings if f.type is not FindingType.DELETED]


def test_forum_jammer_strings_and_login_links_are_chrome_not_spam(pc: Provcheck) -> None:
    # A forum copy: login links in the head, anti-copy jammer tokens between the post's lines.
    lines = BODY.splitlines(keepends=True)
    jams = ["k3 W# p; Z0 e(", 'b7 R" x. 2q']
    page = (
        "找回密码 | 注册会员\n" + lines[0] + jams[0] + "\n" + lines[1] + lines[2] + jams[1] + "\n" + lines[3]
    )
    r = compare(pc, BODY, page)
    assert r.relation is Relation.COPY
    assert not spans(r, FindingType.SPLICED_SPAM)
    chrome = spans(r, FindingType.BOILERPLATE)
    assert at(page, jams[0]) in chrome and at(page, jams[1]) in chrome
    assert at(page, "找回密码 | 注册会员") in chrome


def test_a_source_credit_in_brackets_is_editorial(pc: Provcheck) -> None:
    suspect = BODY.rstrip("\n") + "（江城晚报）\n"
    r = compare(pc, BODY, suspect)
    assert not spans(r, FindingType.SPLICED_SPAM)
    assert spans(r, FindingType.INSERTED) == [at(suspect, "（江城晚报）")]


def test_latin_prose_is_neither_a_keyword_line_nor_stuffing(pc: Provcheck) -> None:
    source = (
        "The river council met on Monday to review the flood defences built after last winter.\n"
        "Engineers said the new walls held during the March storms, and the council approved repairs.\n"
        "Residents asked for clearer warnings, and the council promised a text service by autumn.\n"
    )
    # One word inserted twice (it recurs three times in the copy) and a closing sentence of prose.
    suspect = (
        source.replace("new walls", "new walls and defences").replace("promised a", "promised defences and a")
        + "Some members said they want the council to hire more engineers.\n"
    )
    r = compare(pc, source, suspect)
    assert not spans(r, FindingType.SPLICED_SPAM) and not spans(r, FindingType.BOILERPLATE)
    assert at(suspect, "Some members said they want the council to hire more engineers.") in spans(
        r, FindingType.INSERTED
    )


def test_a_site_name_spliced_into_a_disclaimer_is_spam(pc: Provcheck) -> None:
    head, name, rest = (
        "声明：本站部分图片、文章来源于网络，",
        "金帆娱乐官网v8",
        "的版权归原作者所有，如有侵权，请联系删除",
    )
    suspect = BODY + head + name + rest + "\n"
    r = compare(pc, BODY, suspect)
    assert spans(r, FindingType.SPLICED_SPAM) == [at(suspect, name)]
    assert spans(r, FindingType.BOILERPLATE) == [at(suspect, head), at(suspect, rest)]
    # The page's own name in its copyright line is chrome.
    own = BODY + "版权所有：城南教育官网 如有侵权，请联系删除\n"
    assert not spans(compare(pc, BODY, own), FindingType.SPLICED_SPAM)


def test_base64_residue_in_an_html_page_is_boilerplate_at_page_offsets(pc: Provcheck) -> None:
    data = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAC"
    lines = BODY.splitlines()
    page = (
        "<!doctype html><html><body>"
        + f'<p>{lines[0]}</p><p><img src="{data}"></p><p>![]({data})</p>'
        + "".join(f"<p>{line}</p>" for line in lines[1:])
        + "</body></html>"
    )
    r = pc.compare(document_from_text(BODY, "source"), document_from_text(page, "page.html"))
    assert r.relation is Relation.COPY
    # The tag's attribute is markup, never text; the residue written as text is chrome.
    assert spans(r, FindingType.BOILERPLATE) == [at(page, f"![]({data})")]


EN = (
    "The river council met on Monday to review the flood defences built after last winter.\n"
    "Engineers said the new walls held during the March storms, and the council approved repairs.\n"
    "Residents asked for clearer warnings, and the council promised a text service by autumn.\n"
)


def test_a_name_glued_into_a_copied_sentence_is_spam(pc: Provcheck) -> None:
    # A scraper splices a random name into a verbatim sentence and loses a space: the glued word is
    # the name plus the source word, not a substitution.
    suspect = EN.replace("held during the", "held during Martha Lindqvistthe")
    r = compare(pc, EN, suspect)
    assert r.relation is Relation.COPY
    assert spans(r, FindingType.SPLICED_SPAM) == [at(suspect, "Martha Lindqvist")]
    assert not spans(r, FindingType.SUBSTITUTION)
    # After a determiner no name can stand, space or not.
    suspect = EN.replace("review the flood", "review the Martha Lindqvist flood")
    assert spans(compare(pc, EN, suspect), FindingType.SPLICED_SPAM) == [at(suspect, "Martha Lindqvist")]


def test_an_editors_attribution_or_honorific_is_no_splice(pc: Provcheck) -> None:
    source = EN.replace("Engineers said", "Chief Engineer said")
    suspect = EN.replace("Engineers said", "Chief Engineer Ruth Okafor said")
    r = compare(pc, source, suspect)
    assert not spans(r, FindingType.SPLICED_SPAM)
    assert spans(r, FindingType.INSERTED) == [at(suspect, "Ruth Okafor")]
    source = EN.replace("Engineers said", "Ruth Okafor said")
    suspect = EN.replace("Engineers said", "Mr Ruth Okafor said")
    r = compare(pc, source, suspect)
    assert not spans(r, FindingType.SPLICED_SPAM)
    assert spans(r, FindingType.INSERTED) == [at(suspect, "Mr")]


def test_a_spider_pool_name_after_the_page_title_is_spam(pc: Provcheck) -> None:
    title = TITLE.strip()
    suspect = title + "_金帆蜘蛛池\n关闭引导\n" + TITLE + "2024-11-22 05:36\n金帆蜘蛛池\n" + BODY
    r = compare(pc, TITLE + BODY, suspect)
    assert r.relation is Relation.COPY
    assert spans(r, FindingType.SPLICED_SPAM) == [at(suspect, "_金帆蜘蛛池"), at(suspect, "金帆蜘蛛池", 30)]
    assert (0, len(title)) in spans(r, FindingType.BOILERPLATE)


def test_pinyin_glosses_are_inserted_noise_not_spam(pc: Provcheck) -> None:
    suspect = BODY.replace("招收新生", "招(zhao)收(shou)新生").replace("产教融合", "产(chan)(chan)教融合")
    r = compare(pc, BODY, suspect)
    assert r.relation is Relation.COPY
    assert not spans(r, FindingType.SPLICED_SPAM) and not spans(r, FindingType.SUBSTITUTION)
    assert spans(r, FindingType.INSERTED) == [
        at(suspect, "(zhao)"),
        at(suspect, "(shou)"),
        at(suspect, "(chan)(chan)"),
    ]


def test_a_lead_in_clause_or_a_spaced_button_label_is_no_splice(pc: Provcheck) -> None:
    suspect = BODY.replace("多所学校", "网友爆料，多所学校")
    r = compare(pc, BODY, suspect)
    assert not spans(r, FindingType.SPLICED_SPAM)
    assert spans(r, FindingType.INSERTED) == [at(suspect, "网友爆料")]
    source = BODY + "了解最新隐私权声明\n"
    suspect = source.rstrip("\n") + " 知道了\n"
    r = compare(pc, source, suspect)
    assert not spans(r, FindingType.SPLICED_SPAM)
    # The consent banner's button: chrome, like the banner line it stands on.
    assert at(suspect, "知道了") in spans(r, FindingType.BOILERPLATE)
    assert not spans(r, FindingType.INSERTED)


def test_a_link_to_the_sites_own_host_is_chrome_a_foreign_one_spam(pc: Provcheck) -> None:
    source = BODY + "▶全市职教直播：https://t.example.cn/a1\n"
    own = "▶【不断更新】最新招生动态：https://t.example.cn/b2"
    r = compare(pc, source, source + own + "\n")
    assert spans(r, FindingType.BOILERPLATE) == [at(source + own, own)]
    assert not spans(r, FindingType.SPLICED_SPAM)
    foreign = own.replace("t.example.cn", "jinfan88.vip")
    r = compare(pc, source, source + foreign + "\n")
    assert spans(r, FindingType.SPLICED_SPAM) == [at(source + foreign, foreign)]


def test_an_edited_phrase_at_a_sentence_edge_is_no_splice_a_bare_brand_is(pc: Provcheck) -> None:
    # A function word (将, 被) marks prose being edited; a brand glued there is a bare noun phrase.
    suspect = BODY.replace("办学情况。", "办学情况将被公布。")
    r = compare(pc, BODY, suspect)
    assert not spans(r, FindingType.SPLICED_SPAM)
    assert spans(r, FindingType.INSERTED) == [at(suspect, "将被公布")]
    suspect = BODY.replace("办学情况。", "办学情况金帆娱乐。")
    assert spans(compare(pc, BODY, suspect), FindingType.SPLICED_SPAM) == [at(suspect, "金帆娱乐")]


def test_converter_damage_with_toned_pinyin_is_no_splice(pc: Provcheck) -> None:
    # A mirror whose encoding broke a gloss's brackets leaves toned pinyin and stray characters.
    end = "三大门类。\n"
    suspect = BODY.replace(end, "三大门类。?fú)務幍膰?\n")
    r = compare(pc, BODY, suspect)
    assert not spans(r, FindingType.SPLICED_SPAM)
    assert spans(r, FindingType.INSERTED) == [at(suspect, "fú)務幍膰?")]
