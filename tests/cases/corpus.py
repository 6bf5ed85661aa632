"""Generated corpora with planted copy groups, for the cluster tests and benchmarks/bench_cluster.py.

Only files in the repository (corpus/) and jieba's bundled dictionary are used; no network.

* :func:`synth_articles` -- distinct articles of dictionary words (frequency-weighted), with names
  and figures, a few hundred to a thousand characters each;
* copy makers -- :func:`wrap_chrome` (a site's header and footer, the same template for every page
  of that site), :func:`splice_spam`, :func:`spin` (a spinner's synonym map: common words to rarer
  ones), :func:`truncate`, :func:`partial` (one paragraph reused inside another article);
* :func:`planted_corpus` -- originals, their copies and partial reuses, same-site different
  articles, and the truth: which documents belong together and which one is the original.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tests.cases import CORPUS

SPAM_SENTENCES = (
    "欢迎访问金沙娱乐官方网站，注册即送体验金。",
    "想了解更多传奇私服版本，请关注本站。",
    "澳门新葡京线上平台，每日更新最新开服信息。",
)
SPAM_BRANDS = ("金沙娱乐", "开元棋牌", "乐鱼体育")


def body(text: str) -> str:
    """Prose paragraphs of a corpus page (the pages also carry their own site chrome)."""
    return "\n".join(p.strip() for p in text.split("\n") if len(p.strip()) >= 30 and ("。" in p or "，" in p))


def corpus_bodies() -> dict[str, str]:
    return {p.name[:3]: body(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))}


# -- synthetic articles ----------------------------------------------------------------------------


class Vocabulary:
    """jieba's dictionary words (CJK, 2-4 characters) with sampling weights, and a spinner's map."""

    def __init__(self, size: int = 60000) -> None:
        import jieba

        words, freqs = [], []
        with Path(jieba.__file__).with_name("dict.txt").open(encoding="utf-8") as f:
            for line in f:
                w, n, *_ = line.split(" ")
                if 2 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w):
                    words.append(w)
                    freqs.append(int(n))
        order = np.argsort(freqs)[::-1][:size]
        self.words = [words[i] for i in order]
        weights = np.array([freqs[i] for i in order], dtype=float) ** 0.7
        self.p = weights / weights.sum()
        # common words -> rarer stand-ins, as spinners do
        common = self.words[:400]
        rare = self.words[len(self.words) // 3 : len(self.words) // 3 + 400]
        self.spin_map = dict(zip(common, rare, strict=True))


def synth_articles(n: int, seed: int = 0, vocab: Vocabulary | None = None) -> list[str]:
    """``n`` distinct articles: 3-6 paragraphs of 4-6 sentences of 8-16 words, with figures."""
    return list(iter_synth_articles(n, seed, vocab))


def iter_synth_articles(n: int, seed: int = 0, vocab: Vocabulary | None = None) -> Iterator[str]:
    vocab = vocab or Vocabulary()
    rng = np.random.default_rng(seed)
    chunk = 1 << 20
    pool = rng.choice(len(vocab.words), size=chunk, p=vocab.p)
    k = 0
    for _ in range(n):
        paras = []
        for _ in range(int(rng.integers(3, 7))):
            sents = []
            for _ in range(int(rng.integers(4, 7))):
                m = int(rng.integers(8, 17))
                if k + m > chunk:
                    pool = rng.choice(len(vocab.words), size=chunk, p=vocab.p)
                    k = 0
                words = [vocab.words[i] for i in pool[k : k + m]]
                k += m
                if rng.random() < 0.4:
                    words.insert(int(rng.integers(0, m)), f"{int(rng.integers(2, 9999))}万元")
                cut = int(rng.integers(2, max(3, m - 2)))
                sents.append("".join(words[:cut]) + "，" + "".join(words[cut:]) + "。")
            paras.append("".join(sents))
        yield "\n".join(paras)


# -- copy makers -----------------------------------------------------------------------------------


def site_chrome(site: int) -> tuple[str, str]:
    """Header and footer templates of site ``site`` (``{date}`` and ``{count}`` vary by page)."""
    name = f"第{site}资讯网"
    head = f"{name}\n首页 > 新闻中心 > 正文\n{{date}}  来源：{name}  阅读：{{count}}次\n"
    tail = f"\n分享到：微信 微博 QQ空间\n版权所有 © {name} 未经本网授权不得转载、摘编或利用其它方式使用\n上一篇：暂无  下一篇：暂无\n"
    return head, tail


def wrap_chrome(text: str, site: int, rng: random.Random) -> str:
    head, tail = site_chrome(site)
    date = f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    return head.format(date=date, count=rng.randint(10, 99999)) + text + tail


def splice_spam(text: str, rng: random.Random, n: int = 2) -> str:
    paras = text.split("\n")
    for _ in range(n):
        i = rng.randrange(len(paras))
        sents = paras[i].split("。")
        j = rng.randrange(len(sents))
        sents.insert(
            j, rng.choice(SPAM_SENTENCES).rstrip("。") if j < len(sents) else rng.choice(SPAM_SENTENCES)
        )
        paras[i] = "。".join(sents)
    paras[-1] += rng.choice(SPAM_BRANDS)
    return "\n".join(paras)


def spin(text: str, spin_map: dict[str, str], rng: random.Random, rate: float = 0.8) -> str:
    import rjieba

    return "".join(spin_map[t] if t in spin_map and rng.random() < rate else t for t in rjieba.cut(text))


def truncate(text: str) -> str:
    """Drop the last paragraph (a trimmed reprint is still a copy)."""
    paras = text.split("\n")
    return "\n".join(paras[:-1]) if len(paras) > 2 else text[: int(len(text) * 0.75)]


def partial(text: str, other: str, rng: random.Random) -> str:
    """Another article that reuses one paragraph of ``text`` (partial reuse: not a copy)."""
    paras = other.split("\n")
    reused = rng.choice(text.split("\n"))
    paras.insert(rng.randrange(1, len(paras)), reused)
    return "\n".join(paras)


# -- corpora ---------------------------------------------------------------------------------------


@dataclass
class Planted:
    docs: list[tuple[str, str]] = field(default_factory=list)  # (id, text) in input order
    group: dict[str, str] = field(default_factory=dict)  # id -> id of its group's original
    kind: dict[str, str] = field(default_factory=dict)  # id -> how it was made

    def truth_pairs(self) -> set[tuple[str, str]]:
        by: dict[str, list[str]] = {}
        for d, g in self.group.items():
            by.setdefault(g, []).append(d)
        return {(a, b) if a < b else (b, a) for g in by.values() for i, a in enumerate(g) for b in g[i + 1 :]}


def planted_corpus(
    n: int,
    seed: int = 0,
    bases: list[str] | None = None,
    group_share: float = 0.3,
    sites: int = 20,
    vocab: Vocabulary | None = None,
) -> Planted:
    """About ``n`` documents: ``group_share`` of them in copy groups (an original plus 1-4 copies:
    chrome-wrapped, spammed, spun, trimmed, or combinations), a partial reuse now and then, and the
    rest distinct articles, half of them wrapped in the chrome of one of ``sites`` sites (same-site
    different articles). ``bases`` are used first as article texts, then synthetic ones."""
    rng = random.Random(seed)
    vocab = vocab or Vocabulary()
    n_groups = max(1, int(n * group_share / 3.5))
    need = n  # upper bound on distinct articles needed
    out = Planted()
    it = itertools.chain(bases or [], iter_synth_articles(need, seed, vocab))
    makers = ("chrome", "spam", "spun", "trimmed", "chrome+spam", "spun+chrome", "chrome+trimmed")
    count = 0
    for g in range(n_groups):
        original = next(it)
        oid = f"g{g:06d}-original"
        out.docs.append((oid, original))
        out.group[oid] = oid
        out.kind[oid] = "original"
        count += 1
        for c in range(rng.randint(1, 4)):
            kind = rng.choice(makers)
            text = original
            for step in kind.split("+"):
                if step == "chrome":
                    text = wrap_chrome(text, rng.randrange(sites), rng)
                elif step == "spam":
                    text = splice_spam(text, rng)
                elif step == "spun":
                    text = spin(text, vocab.spin_map, rng)
                elif step == "trimmed":
                    text = truncate(text)
            cid = f"g{g:06d}-copy{c}"
            out.docs.append((cid, text))
            out.group[cid] = oid
            out.kind[cid] = kind
            count += 1
        if rng.random() < 0.15:
            pid = f"g{g:06d}-partial"
            out.docs.append((pid, partial(original, next(it), rng)))
            out.kind[pid] = "partial"
            count += 1
    k = 0
    while count < n:
        text = next(it)
        if rng.random() < 0.5:
            text = wrap_chrome(text, rng.randrange(sites), rng)
        did = f"u{k:06d}"
        out.docs.append((did, text))
        out.kind[did] = "unique"
        count += 1
        k += 1
    rng.shuffle(out.docs)
    return out
