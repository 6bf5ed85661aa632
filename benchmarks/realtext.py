"""Benchmark corpora of real text with planted copies (for bench_cluster.py and bench_index.py).

The text comes from a pool file given at run time (``--pool``, e.g. ``../shared/scale/pool.jsonl.xz``:
People's Daily 1998 and English BBC news, one ``{"id", "source", "text"}`` object a line); nothing of
it is stored in the repository. :func:`real_corpus` builds a corpus the way a news archive looks:

* passages (articles split into runs of paragraphs, 150-900 characters) or whole articles; when more
  documents are asked for than the pool has passages (about 12 000), further ones are *remixed*:
  short clauses (up to 30 characters of Chinese, 80 of English) of many articles of one language
  strung together (real words and phrases); no two passages share a clause: once the pool's clauses
  are used up, a clause comes back with its words reordered (see :func:`_remixed`);
* copies planted by the project's own generators (``tests.cases.corpus``): chrome-wrapped, spliced
  spam, spun (Chinese: the generator's synonym map; English: a small spinner's map), trimmed,
  traditional script (OpenCC ``s2t``, Chinese sources only) and combinations, plus partial reuses (one
  paragraph inside another passage, not a copy);
* site chrome shared by many pages: half of the unrelated passages sit in one of ``sites`` sites'
  header and footer (Chinese or English), and one page in a hundred holds nothing but a site's chrome
  (the pages that once seeded a 1 996-document group).
"""

from __future__ import annotations

import json
import lzma
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

RECIPES = (
    "chrome",
    "spam",
    "spun",
    "trimmed",
    "traditional",
    "chrome+spam",
    "spun+chrome",
    "chrome+trimmed",
    "traditional+chrome",
)

_EN_SPIN = {
    "said": "stated", "says": "states", "big": "large", "show": "demonstrate", "shows": "demonstrates",
    "help": "assist", "buy": "purchase", "start": "commence", "started": "commenced", "end": "conclude",
    "people": "individuals", "use": "utilise", "used": "utilised", "think": "believe", "need": "require",
    "get": "obtain", "got": "obtained", "make": "create", "made": "created", "new": "fresh",
    "very": "extremely", "many": "numerous", "also": "additionally", "but": "however", "about": "regarding",
    "after": "following", "before": "prior to", "because": "since", "important": "crucial",
    "company": "firm", "firms": "companies", "government": "administration", "rise": "increase",
    "rose": "increased", "fell": "dropped", "fall": "drop", "told": "informed", "added": "noted",
    "expected": "anticipated", "plans": "proposals", "year": "twelve months", "years": "seasons",
    "country": "nation", "world": "globe", "top": "leading", "best": "finest", "job": "position",
    "jobs": "positions", "money": "funds", "high": "elevated", "low": "reduced", "small": "minor",
}  # fmt: skip
_EN_SPAM = (
    "Visit our online casino today and claim your free welcome bonus.",
    "Cheap replica watches shipped worldwide, order now at our store.",
    "Win big with the best sports betting odds, sign up in one minute.",
)
_SENT = re.compile(r"(?<=[。！？!?])|(?<=\.)\s+")
_CLAUSE = re.compile(r"[，。；！？、]|(?<=[a-z])[,;.!?]\s+")


@dataclass
class RealCorpus:
    docs: list[tuple[str, str]] = field(default_factory=list)  # (id, text) in input order
    group: dict[str, str] = field(default_factory=dict)  # id -> id of its group's original
    kind: dict[str, str] = field(default_factory=dict)  # id -> recipe (original, unique, chrome-only, ...)
    lang: dict[str, str] = field(default_factory=dict)  # id -> zh | en


def read_pool(path: Path) -> list[tuple[str, str]]:
    """(language, text) of every article in the pool (``.xz`` or plain JSONL)."""
    opener = lzma.open if str(path).endswith(".xz") else open
    out = []
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            text = rec["text"].strip()
            if text:
                out.append(("en" if rec["source"].endswith("-en") else "zh", text))
    return out


def passages(text: str, lo: int = 150, hi: int = 900) -> Iterator[str]:
    """Runs of whole paragraphs of ``lo`` to about ``hi`` characters (a short tail joins the last)."""
    paras = [p.strip() for p in text.split("\n") if p.strip()]
    run: list[str] = []
    size = 0
    for p in paras:
        if run and size + len(p) > hi and size >= lo:
            yield "\n".join(run)
            run, size = [], 0
        run.append(p)
        size += len(p)
    if run and size >= lo:
        yield "\n".join(run)


def _remixed(
    pool: list[tuple[str, str]], rng: random.Random, reuse_clauses: bool = False
) -> Iterator[tuple[str, str]]:
    """Endless passages of 8-18 real clauses of different articles of one language.

    The first round uses each clause once. Once a language's clauses are used up (beyond about
    20 000 documents), a clause comes back with its words in a new order: the same vocabulary, no
    shared run of words. A real archive of distinct articles does not repeat a clause of one article
    in several unrelated documents; verbatim repeats would plant partial reuse between most filler
    documents (at 100 000 documents each clause sat in about five of them), which provcheck verifies
    and reports as links and a real archive does not hold. ``reuse_clauses`` brings the verbatim
    repeats back (how this benchmark filled corpora before)."""
    from provcheck.text.lexicon import Lexicon

    clauses: dict[str, list[str]] = {"zh": [], "en": []}
    for lang, text in pool:
        top = 30 if lang == "zh" else 80  # long clauses would carry real passages' sentences whole
        parts = (c.strip() for c in _CLAUSE.split(text.replace("\n", " ")))
        clauses[lang].extend(c for c in parts if 6 <= len(c) <= top)
    decks: dict[str, list[str]] = {lang: [] for lang in clauses}
    rounds = dict.fromkeys(clauses, 0)
    lexicon = Lexicon()

    def reordered(clause: str, lang: str) -> str:
        words = clause.split(" ") if lang == "en" else lexicon.cut(clause)
        rng.shuffle(words)
        return (" " if lang == "en" else "").join(words)

    while True:
        lang = "zh" if rng.random() < 0.5 else "en"
        picked = []
        for _ in range(rng.randint(8, 18)):
            if not decks[lang]:
                decks[lang] = clauses[lang][:]
                rng.shuffle(decks[lang])
                rounds[lang] += 1
            clause = decks[lang].pop()
            picked.append(clause if rounds[lang] == 1 or reuse_clauses else reordered(clause, lang))
        yield lang, ("，" if lang == "zh" else ", ").join(picked) + ("。" if lang == "zh" else ".")


def site_chrome(site: int, lang: str) -> tuple[str, str]:
    """Header and footer of site ``site`` (``{date}`` and ``{count}`` vary by page)."""
    if lang == "zh":
        from tests.cases.corpus import site_chrome as zh_chrome

        head, tail = zh_chrome(site)
        return (
            "当前位置：首页 > 新闻中心 > 正文\n" + head,
            tail + f"备案号：京ICP备{10000 + site}号 Copyright © 第{site}资讯网 All Rights Reserved\n",
        )
    name = f"Daily Wire {site}"
    head = f"{name}\nHome | News | World | Business | Sport\n{{date}} | Views: {{count}}\n"
    tail = (
        f"\nShare this story: Facebook Twitter Email\nRelated stories | Most read | Contact us\n"
        f"Copyright © {name}. All rights reserved. Reproduction without permission is prohibited.\n"
    )
    return head, tail


def wrap(text: str, site: int, lang: str, rng: random.Random) -> str:
    head, tail = site_chrome(site, lang)
    date = f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    return head.format(date=date, count=rng.randint(10, 99999)) + text + tail


def _spin_en(text: str, rng: random.Random, rate: float = 0.8) -> str:
    def swap(m: re.Match[str]) -> str:
        w = m.group(0)
        new = _EN_SPIN.get(w.lower())
        if new is None or rng.random() >= rate:
            return w
        return new.capitalize() if w[0].isupper() else new

    return re.sub(r"[A-Za-z]+", swap, text)


def _spam_en(text: str, rng: random.Random) -> str:
    sents = [s for s in re.split(r"(?<=\.) ", text) if s]
    for _ in range(2):
        sents.insert(rng.randrange(len(sents) + 1), rng.choice(_EN_SPAM))
    return " ".join(sents)


def make_copy(text: str, recipe: str, lang: str, sites: int, rng: random.Random, tools: _Tools) -> str:
    from tests.cases.corpus import spin, splice_spam, truncate

    for step in recipe.split("+"):
        if step == "chrome":
            text = wrap(text, rng.randrange(sites), lang, rng)
        elif step == "spam":
            text = splice_spam(text, rng) if lang == "zh" else _spam_en(text, rng)
        elif step == "spun":
            text = spin(text, tools.spin_map(), rng) if lang == "zh" else _spin_en(text, rng)
        elif step == "trimmed":
            text = truncate(text)
        elif step == "traditional":
            text = tools.s2t(text)
    return text


class _Tools:
    """The Chinese spinner's map and OpenCC, loaded once."""

    def __init__(self) -> None:
        self._map: dict[str, str] | None = None
        self._cc = None

    def spin_map(self) -> dict[str, str]:
        if self._map is None:
            from tests.cases.corpus import Vocabulary

            self._map = Vocabulary(size=20000).spin_map
        return self._map

    def s2t(self, text: str) -> str:
        if self._cc is None:
            import opencc

            self._cc = opencc.OpenCC("s2t")
        return str(self._cc.convert(text))


def real_corpus(
    pool_path: Path,
    n: int,
    copies: int | None = None,
    seed: int = 1,
    whole: bool = False,
    sites: int = 40,
    chrome_only: float = 0.01,
    reuse_clauses: bool = False,
) -> RealCorpus:
    """About ``n`` documents, ``copies`` of them planted copies (default 15%, 3 000 of 20 000)."""
    rng = random.Random(seed)
    pool = read_pool(pool_path)
    rng.shuffle(pool)
    bases: list[tuple[str, str]] = [
        (lang, p) for lang, text in pool for p in ([text] if whole else passages(text))
    ]
    rng.shuffle(bases)
    remix = _remixed(pool, rng, reuse_clauses)
    it = iter(bases)

    def base() -> tuple[str, str]:
        return next(it, None) or next(remix)

    copies = int(0.15 * n) if copies is None else copies
    tools = _Tools()
    out = RealCorpus()
    g = 0
    made = 0
    while made < copies:
        lang, original = base()
        oid = f"g{g:06d}-original"
        out.docs.append((oid, original))
        out.group[oid] = oid
        out.kind[oid] = "original"
        out.lang[oid] = lang
        for c in range(rng.randint(1, 3)):
            recipes = [r for r in RECIPES if lang == "zh" or "traditional" not in r]
            recipe = rng.choice(recipes)
            text = make_copy(original, recipe, lang, sites, rng, tools)
            cid = f"g{g:06d}-copy{c}"
            out.docs.append((cid, text))
            out.group[cid] = oid
            out.kind[cid] = recipe
            out.lang[cid] = lang
            made += 1
        if rng.random() < 0.1:
            other_lang, other = base()
            paras = other.split("\n")
            reused = rng.choice(original.split("\n"))
            if "\n" not in original:  # a one-paragraph original: reuse its first sentences only
                sents = [x for x in _SENT.split(original) if x]
                reused = ("" if lang == "zh" else " ").join(sents[: max(1, len(sents) * 2 // 5)])
            paras.insert(rng.randrange(len(paras) + 1), reused)
            pid = f"g{g:06d}-partial"
            out.docs.append((pid, "\n".join(paras)))
            out.kind[pid] = "partial"
            out.lang[pid] = other_lang
        g += 1
    k = 0
    while len(out.docs) < n:
        did = f"u{k:07d}"
        lang = "zh" if rng.random() < 0.5 else "en"
        if rng.random() < chrome_only:
            text = wrap("", rng.randrange(sites), lang, rng)
            out.kind[did] = "chrome-only"
        else:
            lang, text = base()
            if rng.random() < 0.5:
                text = wrap(text, rng.randrange(sites), lang, rng)
            out.kind[did] = "unique"
        out.docs.append((did, text))
        out.lang[did] = lang
        k += 1
    rng.shuffle(out.docs)
    return out


def write_jsonl(corpus: RealCorpus, path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for doc_id, text in corpus.docs:
            f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
