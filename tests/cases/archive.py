"""Generated cases for the archive tests, built from the seeds in corpus/ only.

corpus/001 is an original, corpus/000 its spun copy, corpus/002-004 same-field articles unrelated to it.
"""

from __future__ import annotations

import random
import re

from tests.cases import SEED_COPY, SEED_SOURCE

ORIGINAL = SEED_SOURCE
SPUN = SEED_COPY

# Page chrome of one made-up site, wrapped around every page it publishes.
HEADER = "新闻中心News\n首页 | 教育 | 职教动态 | 校园风采 | 招生信息 | 联系我们\n2024-05-17 22:51:08\n浏览次数:\n返回列表\n"
FOOTER = (
    "\n未经允许不得转载! 作者:admin,转载或复制请以超链接形式并注明出处北方职教资讯网。\n"
    "版权所有 © 2024 北方职教资讯网 保留所有权利 备案号:黑ICP备12345678号-1 技术支持:星河网络科技有限公司\n"
    "还没有评论,来说两句吧...\n相关推荐 热门文章 最新评论 分享到:微信 微博 QQ空间\n"
)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？!?])", text.replace("\n", "")) if s.strip()]


def reordered(text: str, seed: int = 0) -> str:
    paras = paragraphs(text)
    random.Random(seed).shuffle(paras)
    return "\n\n".join(paras)


def chrome_wrapped(text: str) -> str:
    return HEADER + "\n" + text + FOOTER


def traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def excerpt(text: str, share: float = 0.3, start: float = 0.3) -> str:
    """A partial reprint: a run of paragraphs making up about ``share`` of the text."""
    paras = paragraphs(text)
    total = sum(map(len, paras))
    i = int(len(paras) * start)
    out: list[str] = []
    while i < len(paras) and sum(map(len, out)) < share * total:
        out.append(paras[i])
        i += 1
    return "\n\n".join(out)


def mixed_article(pool: list[str], seed: int, n_sentences: int = 30) -> str:
    """An unrelated made-up article: sentences drawn at random from several texts."""
    rng = random.Random(seed)
    sents = [s for text in pool for s in sentences(text)]
    picked = rng.sample(sents, min(n_sentences, len(sents)))
    return "\n".join("".join(picked[i : i + 3]) for i in range(0, len(picked), 3))
