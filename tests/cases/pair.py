"""Generated test cases: derived copies of the corpus articles with known, exact changes.

Each maker returns the suspect text and the spans (in the suspect) of what it planted, so tests
can assert exact spans. Only files in the repository are used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A spinner's map (the kind of synonym swaps seen in spun copies).
SPIN = {
    "教育": "教化", "发展": "繁荣", "推进": "促进", "建设": "设立", "合作": "协作", "现代": "今世",
    "重点": "核心", "提升": "提拔", "培养": "作育", "实施": "实行", "全面": "周到", "服务": "任职",
    "企业": "企业界", "质量": "质地", "基础": "底子", "方式": "方法", "选择": "选取", "可以": "能够",
}  # fmt: skip
CHROME_HEAD = "首页 > 资讯中心 > 正文\n2023-06-01 08:15:22  来源：某某网  阅读：1523次\n"
CHROME_TAIL = "\n分享到：微信 微博 QQ空间\n版权所有 © 某某网 未经授权不得转载\n上一篇：暂无  下一篇：暂无\n"


@dataclass
class Case:
    source: str
    suspect: str
    planted: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def spans(self, kind: str) -> list[tuple[int, int]]:
        return self.planted.get(kind, [])


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def body(text: str) -> str:
    """An article body: its prose paragraphs (the corpus pages also carry site chrome), one per line."""
    return "\n".join(p for p in paragraphs(text) if len(p) >= 30 and ("。" in p or "，" in p))


def wrap_chrome(text: str) -> Case:
    s = CHROME_HEAD + text + CHROME_TAIL
    head = (0, len(CHROME_HEAD.rstrip("\n")))
    tail_start = len(CHROME_HEAD) + len(text) + 1
    return Case(text, s, {"boilerplate": [head, (tail_start, len(s) - 1)]})


def spin(text: str) -> str:
    pattern = re.compile("|".join(sorted(map(re.escape, SPIN), key=len, reverse=True)))
    return pattern.sub(lambda m: SPIN[m.group(0)], text)


def splice_spam(
    text: str, sentence: str = "欢迎访问某某娱乐官方网站，注册即送体验金。", brand: str = "开元棋牌"
) -> Case:
    """Insert a promotional sentence after the first full stop of the 2nd paragraph and a brand
    before the 3rd paragraph's first sentence."""
    paras = paragraphs(text)
    cut = paras[1].index("。") + 1
    paras[1] = paras[1][:cut] + sentence + paras[1][cut:]
    paras[2] = brand + paras[2]
    out = "\n".join(paras)
    s_at = out.index(sentence)
    b_at = out.index(paras[2])
    return Case(text, out, {"spliced_spam": [(s_at, s_at + len(sentence)), (b_at, b_at + len(brand))]})


def alter_number(text: str, old: str, new: str) -> Case:
    at = text.index(old)
    out = text[:at] + new + text[at + len(old) :]
    return Case(text, out, {"altered_number": [(at, at + len(new))]})
