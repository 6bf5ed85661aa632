"""A heavy human paraphrase (issue 9, Clough-Stevenson): every phrase reworded, no run of five words
kept, yet the source's own terms follow in the source's order, sentence after sentence. On text
written for these tests: an encyclopedic paragraph, its paraphrase, an independent text on the same
topic and a restatement with facts of its own."""

from __future__ import annotations

import random

from provcheck import Relation
from provcheck.model import Report
from provcheck.pair.align import common_subsequence
from provcheck.pair.comparer import Provcheck
from provcheck.pair.score import ScoreConfig, VocabularyOrder, reworded_order, vocabulary_order

SOURCE = (
    "A lighthouse is a tower that carries a lamp and lenses to guide ships at night.\n"
    "The earliest lighthouses burned wood or coal in open braziers on a hill near the harbour.\n"
    "In 1822 Augustin Fresnel designed a lens of concentric prisms that gathered the light into a narrow beam.\n"
    "The Fresnel lens let a modest flame be seen from more than twenty miles out at sea.\n"
    "Keepers trimmed the wicks, wound the clockwork that turned the optic and polished the brass every morning.\n"
    "Whale oil gave way to colza oil, then to kerosene, and later to acetylene gas in remote stations.\n"
    "Each station shows its own pattern of flashes, so a navigator can tell one coast from another.\n"
    "Fog signals such as bells, sirens and diaphones warned vessels when the beam could not be seen.\n"
    "Electric lamps arrived at the end of the century, and automation later removed the need for resident keepers.\n"
    "Many towers are now museums, while satellite navigation has taken over much of their work.\n"
)
PARAPHRASE = (
    "Lighthouses are tall buildings holding a light and glass optics which help vessels find their way in darkness.\n"
    "At first, fires of timber or coal were simply lit in iron baskets on high ground beside ports.\n"
    "Fresnel, a French engineer, came up in 1822 with concentric prisms focusing the glow into one thin beam.\n"
    "Thanks to this lens even a small flame became visible twenty miles offshore.\n"
    "The keepers had daily chores: cutting wicks, winding the clockwork mechanism and shining brass fittings.\n"
    "Fuel changed over time from whale oil and colza to kerosene and finally acetylene for isolated sites.\n"
    "Since every light flashes in a distinctive pattern, sailors can identify which part of the coast they see.\n"
    "When fog hid the beam, bells, sirens or diaphones gave ships an audible warning.\n"
    "Electricity came late in the century, and automation eventually made resident keepers unnecessary.\n"
    "Today satellite navigation does most of the job and a lot of old towers have become museums.\n"
)
INDEPENDENT = (
    "My favourite lighthouse stands on a rocky point a short walk from our holiday cottage.\n"
    "It is painted with red and white stripes and you can climb its spiral staircase in summer.\n"
    "From the gallery at the top you can watch ferries and fishing boats crossing the bay.\n"
    "A guide told us the tower was built by the harbour board after a storm wrecked two ships.\n"
    "The light is automatic now and is checked by an engineer who visits once a month.\n"
    "There is a small museum in the old cottage with photographs of the families who lived there.\n"
    "Children can press a button to hear the old fog horn, which is louder than you expect.\n"
    "We always buy ice cream at the kiosk by the car park before walking back along the cliffs.\n"
)

ZH_SOURCE = (
    "灯塔是一种装有灯具和透镜的塔楼，用来在夜间为船只指引航向。\n"
    "最早的灯塔在港口附近的山头上用铁笼燃烧木柴或煤炭。\n"
    "一八二二年，菲涅耳设计出由同心棱镜组成的透镜，把光线汇聚成一道窄窄的光束。\n"
    "有了菲涅耳透镜，一朵不大的火焰在二十海里外的海面上也能看见。\n"
    "守塔人每天修剪灯芯，给转动光学装置的发条上弦，并把铜件擦得锃亮。\n"
    "燃料先是鲸油，后来换成菜籽油和煤油，偏远的站点又改用乙炔气。\n"
    "每座灯塔都有自己独特的闪光节奏，航海者据此分辨眼前是哪一段海岸。\n"
    "遇到大雾看不见光束时，雾钟、汽笛和雾号就向过往船只发出警告。\n"
)
ZH_PARAPHRASE = (
    "所谓灯塔，就是安放了灯和透镜的高塔，作用是帮助船只在黑夜里辨明方向。\n"
    "起初人们只是在港湾旁的高地上架起铁笼，往里面烧木柴、烧煤炭。\n"
    "到了一八二二年，法国人菲涅耳发明了同心棱镜透镜，能够把光汇聚为一束。\n"
    "这种透镜让很小的火焰也可以被二十海里以外的船员望见。\n"
    "守塔人的日常工作包括剪灯芯、给发条上弦以及擦拭铜质部件。\n"
    "所用燃料从鲸油逐步过渡到菜籽油、煤油，在偏远之处则使用乙炔气。\n"
    "由于各座灯塔闪光的节奏互不相同，航海者可以借此判断自己靠近的是哪段海岸。\n"
    "大雾遮住光束的时候，就要靠雾钟、汽笛或雾号来提醒船只。\n"
)
ZH_INDEPENDENT = (
    "我最喜欢的灯塔立在离度假小屋不远的一处礁石岬角上。\n"
    "塔身漆成红白相间的条纹，夏天游客可以沿着螺旋楼梯爬上去。\n"
    "站在顶层的回廊上，能看到渡轮和渔船在海湾里来来往往。\n"
    "讲解员说，当年一场风暴打翻了两条船，港务局才决定修建这座塔。\n"
    "如今塔上的灯已经自动运行，工程师每个月来检查一次。\n"
    "旧小屋改成了小小的展览室，墙上挂着曾经住在这里的人家的照片。\n"
    "孩子们按下按钮就能听到老雾号的声音，比想象中响得多。\n"
)


def compare(pc: Provcheck, source: str, suspect: str) -> Report:
    return pc.compare(pc.prepare_text(source, "source"), pc.prepare_text(suspect, "suspect"))


def test_heavy_paraphrase_derives(pc: Provcheck) -> None:
    r = compare(pc, SOURCE, PARAPHRASE)
    # No sentence aligns well and nothing is verbatim: only the order of the source's terms tells.
    assert max(p.score for p in r.alignment.pairs) < 0.5
    assert r.relation is Relation.PARTIAL
    assert 0.2 < r.score < 0.5


def test_independent_text_on_the_topic_stays_unrelated(pc: Provcheck) -> None:
    r = compare(pc, SOURCE, INDEPENDENT)
    assert r.relation is Relation.UNRELATED
    assert r.score == 0.0


def test_same_wording_with_facts_of_its_own_stays_unrelated(pc: Provcheck) -> None:
    # The paraphrase's words in the same order, but four figures the source does not hold: a
    # template sibling or a report of another day, not a restatement of this source.
    other = (
        PARAPHRASE.replace("in 1822", "in 1840")
        .replace("twenty miles", "35 miles")
        .replace("late in the century", "in 1904")
        .replace("Today", "Since 1985")
    )
    src = pc.prepare_text(SOURCE, "source")
    order = vocabulary_order(src, pc.prepare_text(other, "other"))
    assert (order.figures, order.new_figures) == (4, 4)
    assert order.share >= ScoreConfig().reword_order
    assert compare(pc, SOURCE, other).relation is Relation.UNRELATED


def test_vocabulary_order_in_chinese(pc: Provcheck) -> None:
    src = pc.prepare_text(ZH_SOURCE, "source")
    para = vocabulary_order(src, pc.prepare_text(ZH_PARAPHRASE, "paraphrase"))
    indep = vocabulary_order(src, pc.prepare_text(ZH_INDEPENDENT, "independent"))
    cfg = ScoreConfig()
    assert reworded_order(para, cfg)
    assert not reworded_order(indep, cfg)
    assert indep.share < 0.05


def test_reworded_order_needs_enough_words_and_the_source_figures() -> None:
    cfg = ScoreConfig()
    assert reworded_order(VocabularyOrder(0.3, 12, 3, 1), cfg)  # one figure of its own is allowed
    assert not reworded_order(VocabularyOrder(0.3, 9, 0, 0), cfg)  # too few words to tell
    assert not reworded_order(VocabularyOrder(0.1, 40, 0, 0), cfg)  # the topic's words, out of order
    assert not reworded_order(VocabularyOrder(0.5, 40, 8, 3), cfg)  # figures of its own


def _lcs_reference(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def test_common_subsequence_matches_a_reference() -> None:
    rng = random.Random(9)
    for _ in range(200):
        a = "".join(rng.choice("abcd\U000f0001\U000f0002") for _ in range(rng.randrange(0, 30)))
        b = "".join(rng.choice("abcd\U000f0001\U000f0002") for _ in range(rng.randrange(0, 30)))
        assert common_subsequence(a, b) == _lcs_reference(a, b)
