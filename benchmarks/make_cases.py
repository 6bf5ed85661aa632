"""Make a labelled case set like ../shared/devset from other news articles, with brands, keywords,
promotions, page chrome, editor's notes and spinner maps that appear nowhere in provcheck's code:
a check that a change generalizes instead of fitting the dev set's strings.

    python benchmarks/make_cases.py ../shared/sources/news.jsonl /tmp/holdout --variant 1 \
        --exclude ../shared/devset/sources
    python ../shared/eval/score.py /tmp/holdout --cmd .venv/bin/provcheck --stages compare

Recipes, one article each in turn (named as score.py expects): spam, edited_spam, spun and spun (both
with chrome and spam spliced in as well), numbers, traditional, partial, unrelated.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

import opencc

VARIANTS: dict[int, dict[str, list[str]]] = {
    1: {
        "brands": ["金博宝", "必威体育", "米乐m6", "星空体育", "九游会", "博鱼体育", "亚博娱乐", "沙巴电竞", "爱游戏", "凤凰彩票"],
        "promos": [
            "下载星空体育APP，首存即享百分百加赠。", "九游会官网入口，真人视讯天天返水。", "认准亚博，十年信誉大平台。",
            "想玩1.76复古传奇？点击进入最新版本。", "免费领取原神兑换码，点此立即参与。", "凤凰彩票官方平台，购彩就上凤凰网。",
        ],
        "keywords": ["王者荣耀", "跨境电商", "减肥", "彩票", "原神"],
        "heads": [
            "当前位置：首页 > 教育 > 正文\n发布时间：2023-01-05 09:12  来源：中国日报网  点击：3412",
            "您所在的位置：资讯首页 > 社会新闻\n【字体：大 中 小】【打印】【关闭】\n2022年07月19日 14:03",
        ],
        "tails": [
            "扫一扫在手机打开当前页\n相关新闻：\nCopyright © 2005-2024 某某网 版权所有 京ICP备12345678号",
            "（责任编辑：王五）\n热门推荐\n本站所有文章仅供参考，如有侵权请联系删除。",
        ],
        "notes": ["【编者按】本文介绍了相关情况，仅供读者参考。"],
        "spin": "经济>经济体 提高>提升 问题>题目 增加>增多 重要>紧张 影响>作用 工作>事情 要求>请求 进行>举行 通过>经由 "
        "主要>首要 情况>状况 部门>机构 目前>当前 已经>曾经 认为>以为 比赛>竞赛 球队>部队 市场>墟市 公司>企业 发现>察觉 "
        "表示>透露 需要>须要 可能>大概 开始>起头 之后>以后 时间>工夫 成为>变成 不过>然而".split(),
    },
    2: {
        "brands": ["乐动", "开元", "云顶之弈", "宝马会", "新濠天地", "ky棋牌", "好彩网", "大发快三", "蜜桃影视", "幸运飞艇"],
        "promos": [
            "新濠天地娱乐城，千万玩家的选择。", "加群领福利，群号：123456789。", "本站提供最新最全的电影资源。",
            "大发快三计划，每期稳定盈利。", "蜜桃影视，海量高清视频免费看。", "访问www.haocai88.com获取更多精彩。",
        ],
        "keywords": ["股票配资", "代孕", "网赚", "私服", "seo优化"],
        "heads": [
            "网站首页 | 新闻 | 体育 | 财经 | 科技\n2021-11-02 10:20:33 作者：小编 阅读量：881",
            "Home > 国内 > 正文\n分享：微信 微博 QQ\n发布：2020/03/14",
        ],
        "tails": [
            "上一篇：市政府召开常务会议\n下一篇：暂无\n网友评论（0）",
            "声明：本文由入驻作者编辑撰写，除官方账号外，观点仅代表作者本人。\n© 2024 新闻网 沪ICP备0000000号-1",
        ],
        "notes": ["编者注：本文有删改，标题为编辑所加。"],
        "spin": "我们>咱们 没有>未曾 如果>倘若 非常>相当 现在>此刻 已经>业已 所以>因而 因为>由于 一些>一点 这个>此个 "
        "他们>彼等 进行>展开 发展>开展 表示>表明 认为>觉得 问题>疑问 时候>时分 方面>层面 最后>最终 开始>开端".split(),
    },
}  # fmt: skip


class Builder:
    """Concatenates pieces and remembers the spans of the labelled ones."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.marks: dict[str, list[tuple[int, int]]] = {}

    def add(self, text: str, kind: str | None = None) -> None:
        if kind:
            self.marks.setdefault(kind, []).append((self.pos, self.pos + len(text)))
        self.parts.append(text)
        self.pos += len(text)

    def text(self) -> str:
        return "".join(self.parts)


def sentences(text: str) -> list[str]:
    return [s for s in re.findall(r"[^。！？]+[。！？]?", text) if s.strip()]


def spliced(
    b: Builder, src: str, v: dict[str, list[str]], rng: random.Random, spin: dict[str, str] | None, note: bool
) -> None:
    pattern = re.compile("|".join(sorted(map(re.escape, spin), key=len, reverse=True))) if spin else None
    b.add(rng.choice(v["heads"]), "chrome")
    b.add("\n")
    if note:
        b.add(v["notes"][0], "editorial")
        b.add("\n")
    keyword, brand = rng.choice(v["keywords"]), rng.choice(v["brands"])
    for i, s in enumerate(sentences(src)):
        t = pattern.sub(lambda m: spin[m.group(0)], s) if pattern and spin else s
        end = t[-1:] if t[-1:] in "。！？" else ""
        if i == 1:
            b.add(brand, "spam")
        b.add(t[: len(t) - len(end)])
        if i in (2, 5, 8):
            b.add(keyword, "spam")
        b.add(end)
        if i == 3:
            b.add(rng.choice(v["promos"]), "spam")
        if i % 4 == 3:
            b.add("\n")
    b.add("\n")
    b.add(rng.choice(v["tails"]), "chrome")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("news_jsonl", type=Path, help="JSONL of {id, text} news articles")
    ap.add_argument("out", type=Path)
    ap.add_argument("--variant", type=int, choices=sorted(VARIANTS), default=1)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument(
        "--exclude", type=Path, help="folder of sources to leave out, e.g. ../shared/devset/sources"
    )
    args = ap.parse_args()
    v = VARIANTS[args.variant]
    spin = dict(pair.split(">") for pair in v["spin"])
    rng = random.Random(args.seed)
    to_traditional = opencc.OpenCC("s2t")
    (args.out / "sources").mkdir(parents=True, exist_ok=True)
    (args.out / "suspects").mkdir(exist_ok=True)
    skip = {p.read_text(encoding="utf-8")[:50] for p in args.exclude.glob("*.txt")} if args.exclude else set()
    arts = [json.loads(line)["text"] for line in args.news_jsonl.open(encoding="utf-8") if line.strip()]
    arts = [t for t in arts if t[:50] not in skip and 400 < len(t) < 3000]
    rng.shuffle(arts)
    truth = []
    for k, src in enumerate(arts[: args.n]):
        b = Builder()
        kind = k % 8
        if kind <= 3:
            spliced(b, src, v, rng, spin if kind >= 2 else None, note=kind == 1)
            recipe = ("spam", "edited_spam", "spun", "spun")[kind]
        elif kind == 4:
            nums = list(re.finditer(r"\d+", src))
            if len(nums) < 2:
                continue
            pos = 0
            for m in sorted(rng.sample(nums, 2), key=lambda m: m.start()):
                b.add(src[pos : m.start()])
                b.add(str(int(m.group()) + rng.randint(1, 9)), "altered")
                pos = m.end()
            b.add(src[pos:])
            recipe = "numbers"
        elif kind == 5:
            b.add(rng.choice(v["heads"]), "chrome")
            b.add("\n" + to_traditional.convert(src) + "\n")
            b.add(rng.choice(v["tails"]), "chrome")
            recipe = "traditional"
        elif kind == 6:
            other = arts[(k + 200) % len(arts)]
            excerpt = "".join(sentences(src)[: max(2, len(sentences(src)) // 3)])
            b.add(other[:800] + "\n" + excerpt + "\n" + other[800:1400])
            recipe = "partial"
        else:
            b.add(arts[(k + 300) % len(arts)])
            recipe = "unrelated"
        case = f"h{k:04d}"
        (args.out / "sources" / f"{case}.txt").write_text(src, encoding="utf-8")
        (args.out / "suspects" / f"{case}.txt").write_text(b.text(), encoding="utf-8")
        truth.append(
            {
                "case": case,
                "source": f"sources/{case}.txt",
                "suspect": f"suspects/{case}.txt",
                "recipe": recipe,
                "spam": [{"span": list(s)} for s in b.marks.get("spam", [])],
                "chrome": [list(c) for c in b.marks.get("chrome", [])],
                "altered_numbers": [{"span": list(a)} for a in b.marks.get("altered", [])],
                "reformatted_numbers": [],
                "editorial": [list(e) for e in b.marks.get("editorial", [])],
            }
        )
    with (args.out / "truth.jsonl").open("w", encoding="utf-8") as f:
        for t in truth:
            f.write(json.dumps(t, ensure_ascii=False) + "\n")
    print(f"{len(truth)} cases in {args.out}")


if __name__ == "__main__":
    main()
