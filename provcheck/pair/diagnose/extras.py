"""Suspect text that does not derive from the source: page chrome (``boilerplate``), spliced spam
(``spliced_spam``) or other additions (``inserted``: editor's notes, datelines, foreign passages).

Signals, all general: where the text stands (before the first or after the last derived sentence,
or inside the body; glued to a sentence edge or not; alone between derived sentences or part of a
long foreign passage), repetition (the same splice in several places), relation to the source
(moved text is not an addition) and to the spinner's vocabulary, promotional patterns (links,
phone numbers, QQ/WeChat ids), the shape of mirror and spam pages (keyword lines of short cue
phrases, a headline repeated three times, a site name inside a disclaimer formula, forum jammer
tokens, base64 ``data:`` image residue, a spam site's name after the page title, converter pinyin
glosses), scraper splices (a person's name glued into a sentence the copy keeps word for word),
grammar (a phrase with function words is prose being edited, a brand a bare noun phrase), links to the
source's own hosts, and the shipped, user-extendable cue lists in :mod:`.cues`.
Whole unaligned sentences are judged clause by clause, so an editor's note glued to a spam
brand is split between the two.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from provcheck.model import Alignment, Finding, FindingType, Segmented, Span
from provcheck.pair.diagnose.cues import Cues
from provcheck.pair.diagnose.pairdiff import PairDiff, Word, WordOp
from provcheck.text.lexicon import Lexicon, spaced_common_words

__all__ = [
    "Extra",
    "PageFacts",
    "Signals",
    "chrome_line",
    "classify_extras",
    "collect_extras",
    "page_facts",
    "page_spam",
    "shared_chrome",
    "signals_of",
]

_LINK = re.compile(
    r"https?://|www\.|\.(com|net|cn|org|cc|vip|top|xyz)\b|\b1[3-9]\d{9}\b|\b\d{3,4}-\d{7,8}\b"
    r"|(qq|群号?|q群)[:：]?\s*\d{5,}|(微信|vx|wx)[:：]?\s*[a-z0-9_-]{5,}",
    re.I,
)
_DATETIME = re.compile(
    r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(\s*\d{1,2}:\d{2}(:\d{2})?)?|\d{1,2}:\d{2}:\d{2}"
)
_COUNTER = re.compile(r"\d+\s*(次|人|条|阅读|浏览|views?|comments?)|[:：]\s*$")
_HOST = re.compile(r"https?://([a-z0-9.-]+\.[a-z]{2,})", re.I)
_CLAUSE = re.compile(r"[(\[（【《]*[^,，、:：;；()（）\[\]【】《》]+[)\]）】》]*[,，、:：;；]*")
# Base64 image data left in the text by an extractor or a markdown converter, with its wrapper.
_DATA_URI = re.compile(
    r"(!?\[[^\]\n]{0,200}\]\(|<img\b[^>\n]{0,200}?src=[\"']?)?"
    r"data:[a-z]+/[a-z0-9.+-]+;base64,[a-z0-9+/=]{16,}([\"']?[^>\n]{0,200}>|\))?"
)
# Pinyin glosses a converter puts after characters: 成(cheng)長, 規(gui)(gui)定, 發(fā).
_SYLLABLE = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouvüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+(?:ng|n|r)?"
_TONED = re.compile(r"[a-z]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-z]*")
_PINYIN = re.compile(rf"(?<=[\u3400-\u9fff])(?:\((?:{_SYLLABLE}){{1,4}}\))+")
# A disclaimer or copyright formula, and the word that ends a site's name (九游会官网, 某某娱乐城).
_DISCLAIMER = re.compile(r"版权|侵权|免责|声明|来源于网络|copyright", re.I)
_OWNER = re.compile(r"版权所有|主办|主管|承办|©|copyright", re.I)
_SITE_WORD = re.compile(r"官网|官方网站|官方网址|娱乐城|娱乐场|娱乐平台")
# Forum anti-copy jammer strings: runs of one- or two-character Latin tokens with stray ASCII
# punctuation ("7 Q" D: _0", "; d# j; O0 W( Q"), inserted between a post's lines on every copy.
_JAMMER = re.compile(r"[!-~]{1,3}(?:\s+[!-~]{1,3})+")
# A keyword line: short phrases strung together by spaces, bars or commas, with no sentence marks.
_KEYWORD_SEP = re.compile(r"[\s|｜丨,，、_/·•~～—-]+")
_SEPARATOR = re.compile(r"[\s|｜丨,，、_/·•~～—-]")  # one separator character
_SENTENCE_MARK = re.compile(r"[。！？!?；;“”\"]")
# A person's name as written in Latin script: two or three capitalised words (Thomas Caldwell).
_LATIN_NAME = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?(?: [A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?){1,2}")
# Words after which no name can stand: determiners ("the Thomas Caldwell subsequent fire").
_DETERMINER = frozenset("a an the this that these those its their his her our your my".split())
# The site's name after a page title: "headline_site", "headline | site", "headline - site".
_TITLE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s)\s*([^_|｜\s][^_|｜]{1,19})$")
# A privacy or cookie consent banner: consent vocabulary and the site speaking of itself (we use
# cookies ..., 本网站使用 ... 隐私政策). Such a banner may be a long sentence; an article about
# privacy quotes the vocabulary but not in the site's own voice.
_CONSENT = re.compile(
    r"cookies?|consent|privacy (?:policy|notice|statement|settings)|terms of (?:use|service)"
    r"|(?:you )?(?:agree|accept)(?:s|ing)?\b|personal data|browsing experience|user experience"
    r"|隐私|个人资料|个人信息|同意|接受|使用者体验|用户体验|网站技术|浏览体验"
)
_SITE_VOICE = re.compile(
    r"\b(?:we|our|us)\b|this (?:web)?site|本网站?|本站|我们|我们的|本平台|继续(?:浏览|使用)"
)
# The heading of a list of other stories at the foot of a page (Editors' Pick, Most Read, 相关阅读,
# 猜你喜欢): a whole line, nothing else in it.
_LIST_HEADING = re.compile(
    r"(?:editors?['’]?s?['’]? (?:picks?|choice)|most (?:read|popular|viewed|shared|emailed)"
    r"|trending(?: now| stories| news)?|top (?:stories|news|headlines)|(?:related|recommended|popular)"
    r" (?:stories|articles|news|coverage|content|reading|posts|videos)|recommended(?: for you)?"
    r"|you (?:may|might) also (?:like|be interested in)|more (?:stories|news|headlines)"
    r"|(?:more|latest) (?:from|on|in) [\w .&'-]{1,30}|latest (?:news|stories|headlines)"
    r"|don['’]?t miss|read (?:next|this next)|what to read next|in case you missed it|(?:check|see|read) also|also read"
    r"|相关(?:阅读|文章|新闻|报道|推荐|链接)|热门(?:文章|新闻|推荐|阅读|排行)|推荐阅读|延伸阅读|猜你喜欢"
    r"|更多(?:新闻|报道|精彩|内容)|热点(?:新闻|推荐)|精彩推荐|编辑推荐|今日推荐|大数据推荐|为你推荐"
    r"|(?:阅读|点击|热文|新闻)排行(?:榜)?|排行榜|最新(?:文章|新闻|资讯)|看了又看)[\s:：»>›]*"
)
_SENTENCE_END = re.compile(r"[。！？!?.;；:：,，…]['\"’”)）]*$")
_TITLE_LINES = 5  # the page title is among a page's first sentences
_FOREIGN_CHARS = 80  # a run of unaligned sentences this long is a foreign passage, not a splice
_FOREIGN_SENTENCES = 4


@dataclass(frozen=True, slots=True)
class Extra:
    """A run of suspect text (normalized offsets) not derived from the source."""

    start: int
    end: int
    text: str
    zone: str  # head | tail | body
    inline: bool  # inserted inside an aligned sentence (else a whole unaligned sentence)
    at_edge: bool = False  # inline and touching its sentence's start or end
    clean: bool = False  # inline with unchanged words (or the sentence edge) on both sides
    fringe: bool = False  # the first or last word of a rewritten region (a keyword may hide there)
    in_block: bool = False  # an unaligned sentence inside a long run of unaligned sentences
    run: int = -1  # which run of consecutive unaligned sentences it belongs to
    glued: bool = False  # an unaligned sentence that continues a line (no line break before it)
    repeated: bool = False  # it repeats a source sentence the copy already reproduces elsewhere
    run_prose: bool = False  # its run of unaligned sentences reads as a paragraph (full stops, length)
    phrases: tuple[str, ...] = ()  # its text cut where the suspect as written separates words
    copies: int = 0  # how often the suspect repeats it (three or more: SEO stuffing), else 0
    jammer: bool = False  # forum anti-copy jammer tokens
    in_article: bool = False  # its run of unaligned sentences is an article of its own (prose)


@dataclass(frozen=True, slots=True)
class Verdict:
    type: FindingType
    reason: str


def _content_len(text: str) -> int:
    return sum(map(str.isalnum, text))


def collect_extras(
    sus: Segmented, alignment: Alignment, diffs: list[PairDiff], facts: PageFacts | None = None
) -> list[Extra]:
    """``facts``: the suspect's :func:`page_facts`, when the caller keeps them."""
    folds = facts.folds if facts is not None else None
    aligned = sorted(i for p in alignment.pairs for i in p.suspect)
    first, last = (aligned[0], aligned[-1]) if aligned else (len(sus.sentences), -1)
    out: list[Extra] = []
    unmatched = sorted(alignment.unmatched_suspect)
    repeated = set(alignment.repeated)
    # Runs of consecutive unaligned sentences: long ones are foreign passages.
    runs: list[list[int]] = []
    for i in unmatched:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for r, run in enumerate(runs):
        size = sum(_content_len(sus.sentences[i].text) for i in run)
        block = size >= _FOREIGN_CHARS or len(run) >= _FOREIGN_SENTENCES
        stops = sum(1 for i in run if re.search(r"[。！？!?.]$", sus.sentences[i].text.rstrip("”’\"')）")))
        run_prose = size >= 40 and stops >= 2
        # A second report retelling the source (two items of one agency on one subject): prose of
        # its own (two sentences or more, a passage long), among which a third or more of the
        # run repeats source sentences. A teaser box repeats a headline or a lede beside labels.
        mine = [_content_len(sus.sentences[i].text) for i in run if i not in repeated]
        own = sum(mine)
        article = run_prose and len(mine) >= 2 and own >= _FOREIGN_CHARS and 3 * (size - own) >= size
        for i in run:
            s = sus.sentences[i]
            zone = "head" if i < first else "tail" if i > last else "body"
            glued = not s.line_start
            out.append(
                Extra(
                    s.start,
                    s.end,
                    s.text,
                    zone,
                    False,
                    in_block=block,
                    run=r,
                    glued=glued,
                    repeated=i in repeated,
                    run_prose=run_prose,
                    phrases=_phrases(sus, s.start, s.end, folds),
                    in_article=article,
                )
            )
    for pd in diffs:
        out.extend(_inline_extras(sus, pd, folds))
    out.sort(key=lambda e: e.start)
    return out


def _phrases(sus: Segmented, start: int, end: int, folds: Sequence[int] | None = None) -> tuple[str, ...]:
    """Normalized ``[start, end)`` cut at separators: spaces, bars, commas, also where normalization
    folded away the space between two CJK words (真人娱乐 百家乐). ``folds``: :func:`_folds` of the
    whole text, when the caller has them."""
    norm = sus.norm.text
    seps = {m.start() for m in _SEPARATOR.finditer(norm, start, end)}  # cut there, dropped
    # where normalization left out original text holding a separator (a cut, nothing dropped)
    if folds is None:
        folded = _folds(sus, start, end)
    else:
        folded = list(folds[bisect_left(folds, start + 1) : bisect_left(folds, end)])
    parts: list[str] = []
    lo = start
    for i in sorted(seps.union(folded)):
        if lo < i:
            parts.append(norm[lo:i])
        lo = i + 1 if i in seps else i
    if lo < end:
        parts.append(norm[lo:end])
    return tuple(parts)


def _folds(sus: Segmented, start: int, end: int) -> list[int]:
    """Normalized offsets in ``(start, end)`` before which normalization left out original text
    holding a separator."""
    offs, raw = sus.norm.offsets, sus.doc.text
    return [
        i
        for i, a, b in zip(
            range(start + 1, end), offs[start : max(start, end - 1)], offs[start + 1 : end], strict=True
        )
        if b - a > 1 and _KEYWORD_SEP.search(raw, a + 1, b)
    ]


def _all_folds(sus: Segmented) -> tuple[int, ...]:
    """:func:`_folds` of the whole normalized text, the gaps found by numpy."""
    offs = sus.norm.offsets
    if len(offs) < 2:
        return ()
    gaps = np.flatnonzero(np.diff(np.asarray(offs, dtype=np.int64)) > 1) + 1
    raw = sus.doc.text
    return tuple(int(i) for i in gaps if _KEYWORD_SEP.search(raw, offs[i - 1] + 1, offs[i]))


def _inline_extras(sus: Segmented, pd: PairDiff, folds: Sequence[int] | None = None) -> list[Extra]:
    out: list[Extra] = []
    ops = pd.ops
    bounds = [(sus.sentences[i].start, sus.sentences[i].end) for i in pd.pair.suspect]
    text = sus.norm.text
    for k, op in enumerate(ops):
        if op.tag == "replace" and len(op.suspect) > len(op.source):
            # More words than the source had: the extra ones at either end may be a splice (a
            # stuffed keyword after a swapped word, a brand before one).
            extra = len(op.suspect) - len(op.source)
            src_joined = "".join(w.text for w in op.source)
            for part in (op.suspect[:extra], op.suspect[-extra:]):
                start, end = part[0].start, part[-1].end
                piece = text[start:end]
                if _content_len(piece) >= 2 and piece not in src_joined:
                    at_edge = any(
                        _content_len(text[a:start]) == 0 or _content_len(text[end:b]) == 0
                        for a, b in bounds
                        if a <= start < b
                    )
                    out.append(
                        Extra(
                            start,
                            end,
                            piece,
                            "body",
                            True,
                            at_edge=at_edge,
                            fringe=True,
                            phrases=_phrases(sus, start, end, folds),
                        )
                    )
        if op.tag != "insert":
            continue
        before = ops[k - 1] if k > 0 else None
        after = ops[k + 1] if k + 1 < len(ops) else None
        for run in _split_run(op.suspect, text, bounds):
            start, end = run[0].start, run[-1].end
            # The word cutter may glue an inserted word's end to the next word (捕鱼达人|市 -> 达人市
            # against 市): the glued part is inserted too.
            if run[-1] is op.suspect[-1] and after is not None and after.tag == "replace":
                end = _glued(after, last=False) or end
            if run[0] is op.suspect[0] and before is not None and before.tag == "replace":
                start = _glued(before, last=True) or start
            # Brackets around the inserted words belong to them: "(完)", "(记者 王磊)".
            while start > 0 and end < len(text) and text[start - 1] in "(（【[「" and text[end] in ")）】]」":
                start, end = start - 1, end + 1
            # ... and so does the closing bracket of one they open: "某某网7月6日电(记者 王磊)".
            piece = text[start:end]
            if (
                end < len(text)
                and text[end] in ")）】]」"
                and piece.count("(") + piece.count("（") > piece.count(")") + piece.count("）")
            ):
                end += 1
            # A whole inserted sentence takes its closing punctuation with it.
            whole_sentence = start == 0 or text[start - 1] in "。！？!?；;…\n"
            while whole_sentence and end < len(text) and text[end] in "。！？!?；;…":
                end += 1
            first_run, last_run = run[0] is op.suspect[0], run[-1] is op.suspect[-1]
            at_edge = any(
                _content_len(text[a:start]) == 0 or _content_len(text[end:b]) == 0
                for a, b in bounds
                if a <= start < b
            )
            clean = (not first_run or _is_equal(before)) and (not last_run or _is_equal(after))
            out.append(
                Extra(
                    start,
                    end,
                    text[start:end],
                    "body",
                    True,
                    at_edge,
                    clean,
                    phrases=_phrases(sus, start, end, folds),
                )
            )
    return out


def shared_chrome(
    sus: Segmented, alignment: Alignment, cues: Cues, chrome: Callable[[str], bool] | None = None
) -> list[Finding]:
    """Aligned lines that are page chrome on both sides (a source scraped with its site's template,
    or two articles of one site): boilerplate, not derived content. ``chrome``: :func:`chrome_line`
    with ``cues``, or a memo of it."""
    out: list[Finding] = []
    for p in alignment.pairs:
        for i in p.suspect:
            s = sus.sentences[i]
            if chrome(s.text) if chrome is not None else chrome_line(s.text, cues):
                out.append(
                    _finding(
                        sus,
                        s.start,
                        s.end,
                        Verdict(FindingType.BOILERPLATE, "page chrome the source shares"),
                        "body",
                    )
                )
    return out


def page_spam(sus: Segmented, cues: Cues, facts: PageFacts | None = None) -> list[Finding]:
    """Spam a page carries whatever it is compared with, judged on the page alone: a keyword
    header, a site's name spliced into a disclaimer, a spam site's name after the page title. A pair
    judged unrelated lists these beside the text both share: whoever checks a spam page expects to
    see its header even when the page copies some other article."""
    out: list[Finding] = []
    folds = facts.folds if facts is not None else None
    header = Verdict(FindingType.SPLICED_SPAM, "keyword header")
    for s in sus.sentences:
        # A header with no full stop is read as one sentence with the line after it.
        at = s.start
        for line in s.text.split("\n"):
            a, b = at, at + len(line)
            at = b + 1
            if _SENTENCE_MARK.search(line) or len(line) < 6:
                continue  # prose, or too short for three phrases: no keyword line
            span = sus.span(a, b)
            written = [_content_len(p) for p in _KEYWORD_SEP.split(sus.doc.text[span.start : span.end])]
            if sum(1 for n in written if n) < 3 or max(written) > 12:
                continue  # not three short phrases as written: no keyword line
            e = Extra(a, b, line, "page", False, phrases=_phrases(sus, a, b, folds))
            verdict = _keyword_line(e, line, cues)
            if verdict is not None and verdict.type is FindingType.SPLICED_SPAM:
                out.append(_finding(sus, a, b, header, "page"))
        site = _spliced_site(s.text, "") if _DISCLAIMER.search(s.text) else None
        if site is not None:
            spam = Verdict(FindingType.SPLICED_SPAM, "a site name spliced into a disclaimer")
            out.append(_finding(sus, s.start + site[0], s.start + site[1], spam, "page"))
            continue
        # The page title is among the first lines.
        suffix = _TITLE_SUFFIX.search(s.text) if s.index < _TITLE_LINES else None
        if suffix is not None and suffix.start() > 0 and cues.spam.strong_hits(suffix.group(1)):
            spam = Verdict(FindingType.SPLICED_SPAM, "a spam site's name after the page title")
            out.append(_finding(sus, s.start + suffix.start(), s.end, spam, "page"))
    return out


def _glued(op: WordOp, last: bool) -> int | None:
    """Where the characters of a one-word replacement that are extra to the source word it replaces
    end (``last`` false: they lead the word, 达人|市 for 市) or start (``last``: they trail it), when
    the word straddles a line break at that point."""
    if len(op.suspect) != 1 or len(op.source) != 1:
        return None
    w, src = op.suspect[0], op.source[0].text
    offs = w.offsets or tuple(range(w.start, w.end))
    k = len(w.text) - len(src)
    if k <= 0 or len(offs) != len(w.text) or not (w.text.startswith(src) if last else w.text.endswith(src)):
        return None
    cut = len(src) if last else k  # the extra characters end (or start) at index cut
    if offs[cut] - offs[cut - 1] == 1:
        return None  # one word as written (在 -> 正在 is a swap); glued only across a line break
    return offs[cut] if last else offs[cut - 1] + 1


def consent_banner(text: str) -> bool:
    """A privacy or cookie consent banner: two consent words or more (cookie, privacy policy,
    agree; 隐私, 同意, 使用者体验) in the site's own voice (we, our, this site; 我们, 本网站), and
    no longer than a banner (a paragraph of 160 characters at most)."""
    if _content_len(text) > 160:
        return False
    hits = {m.group(0) for m in _CONSENT.finditer(text)}
    return len(hits) >= 2 and (_SITE_VOICE.search(text) is not None or len(hits) >= 3)


def chrome_line(text: str, cues: Cues) -> bool:
    """A short line of page chrome: a timestamp, a counter or a chrome cue (来源, 浏览次数), or a
    consent banner of any length."""
    if consent_banner(text):
        return True
    content = _content_len(text)
    if content > 40 or (re.search(r"[。！？!?]", text) and content > 12):
        return False
    stamp = bool(_DATETIME.search(text)) or (bool(_COUNTER.search(text)) and content <= 20)
    return stamp or cues.chrome.any(text)


def _is_equal(op: WordOp | None) -> bool:
    return op is None or op.tag == "equal"


def _split_run(words: tuple[Word, ...], text: str, bounds: list[tuple[int, int]]) -> list[list[Word]]:
    """Split inserted words where a sentence boundary or a line break falls between them."""
    runs: list[list[Word]] = []

    def sentence_of(pos: int) -> int:
        return next((k for k, (a, b) in enumerate(bounds) if a <= pos < b), -1)

    for w in words:
        if runs:
            prev = runs[-1][-1]
            if sentence_of(prev.start) == sentence_of(w.start) and "\n" not in text[prev.end : w.start]:
                runs[-1].append(w)
                continue
        runs.append([w])
    return runs


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What :func:`classify_extras` reads of a whole document, whichever pair it is in (a caller
    comparing one document with many keeps it: :func:`page_facts`)."""

    data: tuple[tuple[int, int], ...]  # base64 ``data:`` image residue, normalized spans
    glosses: tuple[tuple[int, int], ...]  # converter pinyin glosses, normalized spans
    core: str  # the normalized text's letters, digits and CJK characters
    chinese: bool  # a mostly Chinese page (three tenths of its content CJK): jammers belong there
    folds: tuple[int, ...] = ()  # where normalization left out a separator (:func:`_phrases`)


def page_facts(seg: Segmented) -> PageFacts:
    text = seg.norm.text
    core = _core(text)
    # The patterns are slow to try at every position: first a cheap test for what each must hold
    # (the "data:" of a data URI, an opening bracket after a CJK character).
    data = _DATA_URI.finditer(text) if "data:" in text else ()
    glosses = _PINYIN.finditer(text) if _GLOSS_START.search(text) else ()
    cjk = len(core) - len(_CJK_RUN.sub("", core))
    return PageFacts(
        tuple((m.start(), m.end()) for m in data),
        tuple((m.start(), m.end()) for m in glosses),
        core,
        10 * cjk >= 3 * len(core),
        _all_folds(seg),
    )


_GLOSS_START = re.compile(r"[\u3400-\u9fff]\(")  # where a pinyin gloss can start (_PINYIN)
_CJK_RUN = re.compile("[\u3400-\u9fff]+")  # runs of _CJK_CHAR


@dataclass(frozen=True, slots=True)
class Signals:
    """What :func:`_sentence` reads of a sentence's (or clause's) text alone, whatever its pair."""

    content: int  # content characters
    strong: int  # strong spam cues
    weak: int  # weak spam cues
    hosts: tuple[str, ...]  # hosts of the links in it
    link: bool  # a link, a phone number or a QQ/WeChat id
    chrome_hits: int  # chrome cues, weak and strong
    stamp: bool  # a timestamp, or a counter in a short text
    editorial: bool  # an editorial cue
    prose: bool  # long, with sentence punctuation


def signals_of(t: str, cues: Cues) -> Signals:
    n = _content_len(t)
    if n == 0:
        return Signals(0, 0, 0, (), False, 0, False, False, False)
    return Signals(
        n,
        cues.spam.strong_hits(t),
        cues.spam.weak_hits(t),
        tuple(_HOST.findall(t)),
        bool(_LINK.search(t)),
        cues.chrome.weak_hits(t) + cues.chrome.strong_hits(t),
        bool(_DATETIME.search(t)) or (bool(_COUNTER.search(t)) and n <= 20),
        cues.editorial.any(t),
        n >= 25 and bool(_PROSE_MARK.search(t)),
    )


_PROSE_MARK = re.compile(r"[，,。.!?！？]")


def classify_extras(
    src: Segmented,
    sus: Segmented,
    extras: list[Extra],
    cues: Cues,
    spinner_words: Counter[str],
    lexicon: Lexicon | None = None,
    facts: Callable[[Segmented], PageFacts] = page_facts,
    signals: Callable[[str, Cues], Signals] = signals_of,
) -> list[Finding]:
    """``facts``: :func:`page_facts`, ``signals``: :func:`signals_of`, or memos of them for a caller
    that compares a document many times."""
    from dataclasses import replace

    lex = lexicon or Lexicon()
    sus_facts, src_facts = facts(sus), facts(src)
    data = list(sus_facts.data)
    # Pinyin glosses the source lacks are cut out of inline extras (a glossed word stays the word).
    glosses = (
        []
        if src_facts.glosses
        else [
            (a, b)
            for a, b in sus_facts.glosses
            if not any(not e.inline and e.start <= a < e.end for e in extras)
        ]
    )
    if data:
        extras = _carve(extras, data)
    if glosses:
        inline = _carve([e for e in extras if e.inline], glosses)
        extras = sorted([e for e in extras if not e.inline] + inline, key=lambda e: e.start)
    sus_core, src_core = sus_facts.core, src_facts.core
    copies = [_copies(e.text, sus_core, src_core) for e in extras]
    extras = [e if n == e.copies else replace(e, copies=n) for e, n in zip(extras, copies, strict=True)]
    extras = _mark_jammers(extras, sus.norm.text, sus_facts.chinese)
    inline_counts = Counter(e.text for e in extras if e.inline and not e.fringe and _content_len(e.text) >= 2)
    src_grams = _LazyGrams(src.norm.text)
    verdicts: list[Verdict | None] = []
    # Inline splices first: the brands and keywords they reveal help judge whole sentences.
    for e in extras:
        if not e.inline or e.fringe:
            verdicts.append(None)
            continue
        if _spliced_name(e, sus, src.norm.text) or _spliced_cjk_name(e, sus, src.norm.text, lex):
            verdicts.append(Verdict(FindingType.SPLICED_SPAM, "a name spliced into a copied sentence"))
            continue
        verdicts.append(_inline(e, src, sus, src_grams, cues, spinner_words, inline_counts, lex))
    spam_terms = {
        e.text
        for e, v in zip(extras, verdicts, strict=True)
        if v is not None and v.type is FindingType.SPLICED_SPAM
    }
    brands = {t for t in spam_terms if _content_len(t) >= 3}
    extras = _unblock_spam_runs(extras, cues, brands, signals)
    stuffed = {
        e.text
        for e, v in zip(extras, verdicts, strict=True)
        if v is not None and v.reason.startswith("stuffed")
    }
    teasers = _teasers(extras, sus, cues)
    teaser = Verdict(FindingType.BOILERPLATE, "a list of other stories in the page tail")
    out: list[Finding] = []
    for k, (e, v) in enumerate(zip(extras, verdicts, strict=True)):
        if not e.inline:
            found = _sentence_findings(e, sus, cues, brands, src.norm.text, signals)
            if k in teasers and not any(f.type is FindingType.SPLICED_SPAM for f in found):
                found = [_finding(sus, e.start, e.end, teaser, e.zone)]
            out.extend(found)
            continue
        if e.fringe and e.text not in stuffed:
            # jieba may cut a stuffed keyword together with the word before it (低价期原神 ->
            # 低价/期原/神): the keyword is still the end (or start) of the extra words.
            term = next(
                (
                    t
                    for t in sorted(stuffed, key=len, reverse=True)
                    if e.text.endswith(t) or e.text.startswith(t)
                ),
                None,
            )
            if term is not None:
                a = e.start + len(e.text) - len(term) if e.text.endswith(term) else e.start
                out.append(
                    _finding(
                        sus, a, a + len(term), Verdict(FindingType.SPLICED_SPAM, "stuffed keyword"), e.zone
                    )
                )
                continue
        if e.fringe and e.jammer:
            v = Verdict(FindingType.BOILERPLATE, "anti-copy jammer characters")
        elif e.fringe and e.text in stuffed:
            v = Verdict(FindingType.SPLICED_SPAM, "stuffed keyword inside a rewritten phrase")
        elif (
            e.fringe
            and e.at_edge
            and 2 <= _content_len(e.text) <= 8
            and _fused(e, sus, lex)
            and e.text not in src.norm.text
            and not spinner_words[e.text]
        ):
            v = Verdict(FindingType.SPLICED_SPAM, "glued to a sentence edge next to a rewritten word")
        if v is None:
            continue
        out.append(_finding(sus, e.start, e.end, v, e.zone))
    residue = Verdict(FindingType.BOILERPLATE, "base64 data: image residue")
    out += [_finding(sus, a, b, residue, "body") for a, b in data]
    gloss = Verdict(FindingType.INSERTED, "pinyin gloss inserted by a converter")
    out += [_finding(sus, a, b, gloss, "body") for a, b in glosses]
    out = [_unglossed(f, cues) for f in out]
    out.sort(key=lambda f: f.suspect_span.start if f.suspect_span else -1)
    return _merge_adjacent(out, sus.doc.text)


def _unglossed(f: Finding, cues: Cues) -> Finding:
    """Text that carries a converter's toned pinyin (抗?fàn)幍膰?yán)重, a gloss whose brackets the
    mirror's encoding damaged) is the source run through a converter, never a spammer's splice."""
    if f.type is not FindingType.SPLICED_SPAM or not _TONED.search(f.suspect_text):
        return f
    if cues.spam.strong_hits(f.suspect_text.lower()):
        return f
    rest = [d for d in f.detail if d[0] != "reason"]
    reason = (("reason", "converter output (pinyin glosses)"), *rest)
    return Finding(FindingType.INSERTED, f.suspect_span, None, f.suspect_text, "", reason)


def _carve(extras: list[Extra], spans: list[tuple[int, int]]) -> list[Extra]:
    """Cut base64 image residue out of the extras: it is reported as boilerplate on its own, and the
    text around it is judged without it."""
    from dataclasses import replace

    out: list[Extra] = []
    for e in extras:
        pieces = [(e.start, e.end)]
        for a, b in spans:
            pieces = [q for s, t in pieces for q in ((s, min(t, a)), (max(s, b), t)) if q[0] < q[1]]
        for s, t in pieces:
            if (s, t) == (e.start, e.end):
                out.append(e)
                continue
            text = e.text[s - e.start : t - e.start]
            if _content_len(text):
                out.append(replace(e, start=s, end=t, text=text, phrases=()))
    return out


def _fused(e: Extra, sus: Segmented, lexicon: Lexicon) -> bool:
    """Chinese text glued into a sentence with no mark of its own: a brand spliced at the edge. A
    lead-in clause (台媒报道，), a label set apart by a space (a button beside a line of page
    furniture: 隐私权声明 知道了), a Latin word (an honorific, a word cut off where a page excerpt
    ends) is the writer's or the page's, not a splice; so is a phrase with a function word in it
    (a particle, preposition, pronoun, adverb or conjunction: 的严重风险, 将被取出), which is prose
    being edited, where a brand or keyword is a bare noun phrase."""
    if not _has_cjk(e.text):
        return False
    if any((lexicon.tag(w) or "n")[0] in "updcr" for w in lexicon.cut(e.text)):
        return False
    text = sus.norm.text
    opens = not text[: e.start].strip() or text[: e.start].rstrip()[-1] in "。！？!?；;\n"
    if opens and re.match(r"\s*[,，:：]", text[e.end : e.end + 2]):
        return False
    span, raw = sus.span(e.start, e.end), sus.doc.text
    left = raw[raw.rfind("\n", 0, span.start) + 1 : span.start]
    right = raw[span.end : (raw.find("\n", span.end) + 1 or len(raw) + 1) - 1]
    spaced = (left[-1:].isspace() and left.strip()) or (right[:1].isspace() and right.strip())
    return not spaced


def _spliced_name(e: Extra, sus: Segmented, src_text: str) -> bool:
    """A person's name the source does not have, inserted into a sentence the copy otherwise keeps
    word for word, where no name can stand: glued to the next or previous word without a space
    (An explosion and Thomas Caldwellsubsequent fire) or right after a determiner. An editor's
    attribution stands after a title, a verb of saying or a comma (said Chief Mark Juelfs) and is an
    insertion."""
    if not e.clean or e.text in src_text:
        return False
    span = sus.span(e.start, e.end)
    raw = sus.doc.text
    if not _LATIN_NAME.fullmatch(raw[span.start : span.end]):
        return False
    before, after = raw[max(0, span.start - 1) : span.start], raw[span.end : span.end + 1]
    if before.isalpha() or after.isalpha():
        return True  # fused with a neighbouring word: a splice that lost its space
    left = re.search(r"([A-Za-z]+)\s+$", raw[max(0, span.start - 20) : span.start])
    right = re.match(r"\s+[a-z]", raw[span.end : span.end + 3])
    return left is not None and left.group(1).lower() in _DETERMINER and right is not None


# The commonest Chinese surnames (single and double): a bare name is one of them and a given name.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
    "武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒"
    "阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓"
    "古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣"
    "巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_DOUBLE_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕".split()
)
# Words next to which a name belongs: a title or role before it, a verb of saying or a
# conjunction after it (记者王磊报道, 张伟表示, 李明和).
_NAME_BEFORE = re.compile(
    r"(?:记者|通讯员|编辑|作者|主编|摄影|主任|局长|部长|市长|县长|书记|教授|老师|医生|院长|校长|经理|"
    r"董事长|总裁|先生|女士|市民|村民|居民|网友|演员|导演|选手|队员|律师|专家|发言人|代表|委员|嫌疑人|患者|"
    r"学生|工人|司机|警官|民警|姓|名叫|叫|由|据|和|与|及|、|向|给|对|为|让|请|被|把|是)$"
)
_NAME_AFTER = re.compile(
    r"^(?:说|表示|称|介绍|指出|认为|告诉|透露|坦言|回忆|强调|先生|女士|等|和|与|及|、|的|是|在|也|则|还|曾|已|将)"
)


def _spliced_cjk_name(e: Extra, sus: Segmented, src_text: str, lexicon: Lexicon) -> bool:
    """A Chinese person's name (a common surname and a given name of one or two characters, no
    dictionary word) the source does not have, inserted into a sentence the copy otherwise keeps
    word for word, where no name stands: not after a title or role (记者, 市民), not before a verb
    of saying or a conjunction (表示, 和). An editor's attribution comes with such a word."""
    t = e.text
    if not e.clean or t in src_text or not 2 <= len(t) <= 4 or not all(_CJK_CHAR.match(c) for c in t):
        return False
    surname = 2 if t[:2] in _DOUBLE_SURNAMES else 1 if t[0] in _SURNAMES else 0
    if not surname or not 1 <= len(t) - surname <= 2:
        return False
    if lexicon.freq(t) and lexicon.tag(t) not in ("nr", "nrfg", "nrt"):
        return False  # a common word that opens with a surname character (张开, 高度, 方向)
    if any((lexicon.tag(w) or "nr")[0] in "updcrvma" for w in lexicon.cut(t)):
        return False
    text = sus.norm.text
    before, after = text[max(0, e.start - 6) : e.start], text[e.end : e.end + 4]
    if not before or before[-1] in '。！？!?；;\n,，:：(（“"' or _NAME_BEFORE.search(before):
        return False
    return not (not after or after[0] in '。！？!?；;\n,，:：)）”"' or _NAME_AFTER.match(after))


_CJK_CHAR = re.compile("[\u3400-\u9fff]")
_NOT_ALNUM = re.compile(r"[\W_]+")  # what str.isalnum rejects


def _has_cjk(text: str) -> bool:
    return _CJK_CHAR.search(text) is not None


def _core(text: str) -> str:
    return _NOT_ALNUM.sub("", text)


def _copies(text: str, sus_core: str, src_core: str) -> int:
    """How often the suspect holds the phrase ``text`` is made of (text may be the phrase glued to
    itself, 标题标题): three times or more, and more than the source has it, is SEO stuffing."""
    core = _core(text)
    if not 6 <= len(core) <= 240:
        return 0
    size = next(
        p for p in range(1, len(core) + 1) if len(core) % p == 0 and core == core[:p] * (len(core) // p)
    )
    period = core[:size]
    if size > 60 or sum(map(str.isalpha, period)) < 6:
        return 0  # a headline has words; a figure that recurs (2009年, 116064) is not stuffing
    if not _has_cjk(period) and len(re.findall(r"[a-z]+", text.lower())) < 3 * (len(core) // size):
        return 0  # a Latin headline has three words or more; single words recur in any prose
    n, in_source = sus_core.count(period), src_core.count(period)
    # The headline repeated (it is source text), or any phrase glued to itself three times; a site
    # name that recurs through the page's chrome is neither.
    if n < 3 or n <= in_source + 1 or not (in_source or len(core) >= 3 * size):
        return 0
    return n


def _common(text: str) -> bool:
    """Latin text made only of common words (the, of a): a paraphraser adds these everywhere; no
    spammer stuffs them."""
    words = re.findall(r"[a-z']+", text.lower())
    common = spaced_common_words()
    return bool(words) and not _has_cjk(text) and all(w in common for w in words)


def _jammer(text: str) -> bool:
    """Text that is only anti-copy jammer tokens: two or more Latin tokens of at most three
    characters, with stray punctuation or letters mixed with digits among them."""
    t = text.strip()
    if not _JAMMER.fullmatch(t):
        return False
    odd = sum(1 for c in t if not c.isalnum() and not c.isspace())
    return odd >= 1 or any(re.search(r"\d", w) and re.search(r"[a-z]", w, re.I) for w in t.split())


def _mark_jammers(extras: list[Extra], text: str, chinese: bool) -> list[Extra]:
    """Mark jammer runs; a last short token cut off by a full stop inside one ("x. 2q") goes with it.
    Jammers belong to Chinese forum pages (``chinese``): on a page of Latin prose, "(a) or (b)" is
    text."""
    from dataclasses import replace

    if not extras or not chinese:
        return extras

    out: list[Extra] = []
    for e in extras:
        prev = out[-1] if out else None
        tail = (
            prev is not None
            and prev.jammer
            and not text[prev.end : e.start].strip()
            and "\n" not in text[prev.end : e.start]
            and bool(re.fullmatch(r"[!-~]{1,3}", e.text.strip()))
        )
        out.append(replace(e, jammer=True) if tail or _jammer(e.text) else e)
    return out


def _keyword_line(e: Extra, t: str, cues: Cues) -> Verdict | None:
    """A run of short keyword phrases in place of a sentence (真人娱乐 百家乐 老虎机 | 棋牌游戏). It is a
    spam header when half its phrases are spam cues (one of them strong) or one name recurs through
    them (a site advertising itself: 某某国际 某某国际官网 某某国际登录); else, in the page head or tail,
    a navigation bar. What the line's text and phrases tell is kept with the cue lists."""
    if _SENTENCE_MARK.search(t):
        return None
    kind = cues.recall_line((t, e.phrases), lambda: _keyword_kind(e.phrases, t, cues))
    if kind == _KEYWORDS:
        return _KEYWORD_HEADER
    if kind == _PHRASES and not e.inline and e.zone != "body":
        return _NAVIGATION  # a navigation bar
    return None


_PROSE, _KEYWORDS, _PHRASES = 0, 1, 2  # what a line without a sentence mark reads as (_keyword_kind)
_KEYWORD_HEADER = Verdict(FindingType.SPLICED_SPAM, "keyword header")
_NAVIGATION = Verdict(FindingType.BOILERPLATE, "page chrome")


def _keyword_kind(phrases: tuple[str, ...], t: str, cues: Cues) -> int:
    """:func:`_keyword_line` of the line's text ``t`` and its ``phrases`` alone: a keyword header,
    short phrases (a navigation bar in the page head or tail), or neither."""
    parts = [p for p in (phrases or tuple(_KEYWORD_SEP.split(t))) if _content_len(p)]
    if len(parts) < 3 or max(map(_content_len, parts)) > 12:
        return _PROSE
    if 2 * sum(map(_has_cjk, parts)) < len(parts):
        return _PROSE  # spaces part Latin words: that is prose, not a keyword line
    strong = sum(1 for p in parts if cues.spam.strong_hits(p))
    if _content_len(t) > 8 * len(parts) and strong < 3:
        return _PROSE  # long phrases: clauses of prose, unless three of them are spam titles
    cued = sum(1 for p in parts if cues.spam.any(p))
    grams = Counter(
        g for p in parts for g in {p[i : i + 3] for i in range(len(p) - 2) if p[i : i + 3].isalnum()}
    )
    recurring = any(c >= 3 and 2 * c >= len(parts) for c in grams.values()) and not cues.chrome.any(t)
    if recurring or strong >= 3 or (strong and 2 * cued >= len(parts)):
        return _KEYWORDS
    return _PHRASES


def _teasers(extras: list[Extra], sus: Segmented, cues: Cues) -> set[int]:
    """Which extras (indices) list other stories in the page tail: the lines after a list heading
    (Editors' Pick, Most Read, 相关阅读, 猜你喜欢), with the labels and chrome lines just before it
    (a section name, a contact line), and runs of three headline-like lines or more (each a line of
    its own, short, no sentence mark at its end)."""
    tail = [k for k, e in enumerate(extras) if not e.inline and e.zone == "tail"]
    out: set[int] = set()
    heading = next((n for n, k in enumerate(tail) if _LIST_HEADING.fullmatch(extras[k].text.strip())), None)
    if heading is not None:
        out.update(tail[heading:])
        run = extras[tail[heading]].run
        n = heading - 1
        while n >= 0 and extras[tail[n]].run == run and _label(extras[tail[n]].text, cues):
            out.add(tail[n])
            n -= 1
    runs: dict[int, list[int]] = {}
    for k in tail:
        runs.setdefault(extras[k].run, []).append(k)
    for members in runs.values():
        # Lines with no sentence mark may reach here as one sentence: each line counts, unless
        # they are the wrapped lines of one sentence (it ends with a mark, a line goes on in
        # lower case).
        lines: list[tuple[int, str]] = []
        for k in members:
            span = sus.span(extras[k].start, extras[k].end)
            raw = [x for x in sus.doc.text[span.start : span.end].split("\n") if x.strip()]
            wrapped = len(raw) > 1 and (
                _SENTENCE_END.search(raw[-1].strip()) or any(x.lstrip()[:1].islower() for x in raw)
            )
            lines += [] if wrapped else [(k, x) for x in raw]
        heads = {
            k
            for k, line in lines
            if not cues.chrome.any(line.lower()) and _headline(line, extras[k].glued and len(lines) == 1)
        }
        if sum(1 for k, _ in lines if k in heads) >= 3 and 5 * len(heads) >= 4 * len(members):
            out.update(members)
    return out


def _label(text: str, cues: Cues) -> bool:
    """A chrome line or a bare label (a section name: Business News, 国内新闻)."""
    t = text.strip()
    if cues.chrome.any(t):
        return True
    return not _SENTENCE_END.search(t) and (len(t.split()) <= 4 if not _has_cjk(t) else _content_len(t) <= 8)


def _headline(line: str, glued: bool) -> bool:
    """A line that reads as a headline: on a line of its own (not ``glued`` to the text before
    it), short (3 to 14 words, or 6 to 30 Chinese characters), with no sentence mark at its end."""
    t = line.strip()
    if glued or _SENTENCE_END.search(t):
        return False
    if _has_cjk(t):
        return 6 <= _content_len(t) <= 30
    return 3 <= len(t.split()) <= 14 and _content_len(t) <= 90


def _unblock_spam_runs(
    extras: list[Extra], cues: Cues, brands: set[str], signals: Callable[[str, Cues], Signals]
) -> list[Extra]:
    """A run of unaligned sentences is a foreign passage when its text, less page chrome, is long;
    chrome lines around a short splice must not make the splice look like a passage."""
    from dataclasses import replace

    by_run: dict[int, list[Extra]] = {}
    for e in extras:
        if e.in_block:
            by_run.setdefault(e.run, []).append(e)
    short_runs = set()
    for r, members in by_run.items():
        size = count = 0
        for e in members:
            v = _sentence(e, e.text, cues, brands, signals=signals, in_block=False)
            if v is None or v.type is FindingType.BOILERPLATE:
                continue
            size += _content_len(e.text)
            count += 1
        if size < _FOREIGN_CHARS and count < _FOREIGN_SENTENCES:
            short_runs.add(r)
    return [replace(e, in_block=False) if e.in_block and e.run in short_runs else e for e in extras]


def _finding(sus: Segmented, start: int, end: int, v: Verdict, zone: str) -> Finding:
    span = sus.span(start, end)
    return Finding(
        v.type, span, None, sus.doc.text[span.start : span.end], "", (("reason", v.reason), ("zone", zone))
    )


class _LazyGrams:
    """The source's character 4-grams, built on first use (most pairs never need them)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._grams: frozenset[str] | None = None

    def __contains__(self, gram: object) -> bool:
        if self._grams is None:
            self._grams = frozenset(_grams(self._text))
        return gram in self._grams


def _grams(text: str, n: int = 4) -> set[str]:
    t = _core(text)
    return {t[i : i + n] for i in range(len(t) - n + 1)}


def _moved(text: str, src_grams: _LazyGrams) -> bool:
    """Inline text that is mostly source text (a sentence moved and glued elsewhere)."""
    g = _grams(text)
    return len(g) >= 3 and sum(1 for x in g if x in src_grams) >= 0.5 * len(g)


def _inline(
    e: Extra,
    src: Segmented,
    sus: Segmented,
    src_grams: _LazyGrams,
    cues: Cues,
    spinner_words: Counter[str],
    counts: Counter[str],
    lexicon: Lexicon,
) -> Verdict | None:
    n = _content_len(e.text)
    if cues.editorial.any(e.text):
        return Verdict(FindingType.INSERTED, "editorial cue")
    if n < 2:
        return None
    if e.jammer:
        return Verdict(FindingType.BOILERPLATE, "anti-copy jammer characters")
    if e.copies:
        return Verdict(FindingType.SPLICED_SPAM, f"repeated {e.copies} times (SEO stuffing)")
    keywords = _keyword_line(e, e.text, cues)
    if keywords is not None:
        return keywords
    if (
        e.at_edge
        and (cues.chrome.any(e.text) or _DATETIME.search(e.text))
        and not cues.spam.strong_hits(e.text)
    ):
        return Verdict(FindingType.BOILERPLATE, "page chrome glued to a sentence")
    if counts[e.text] >= 2 and (e.at_edge or e.clean) and spinner_words[e.text] < 2 and not _common(e.text):
        return Verdict(FindingType.SPLICED_SPAM, f"stuffed {counts[e.text]} times")
    if spinner_words[e.text]:
        return None  # the spinner's own vocabulary, not a splice
    if n >= 6 and _moved(e.text, src_grams):
        return None
    if (cues.spam.strong_hits(e.text) or _LINK.search(e.text)) and n <= 30:
        return Verdict(FindingType.SPLICED_SPAM, "promotional cue")
    in_source = e.text in src.norm.text
    if e.at_edge and not in_source and n <= 8 and _fused(e, sus, lexicon):
        return Verdict(FindingType.SPLICED_SPAM, "glued to a sentence edge")
    if not e.clean:
        return None  # next to rewritten words: part of the rewrite, not a splice
    if not in_source and 3 <= n <= 12 and cues.spam.weak_hits(e.text):
        return Verdict(FindingType.SPLICED_SPAM, "promotional word")
    return Verdict(FindingType.INSERTED, "inserted words")


def _sentence_findings(
    e: Extra,
    sus: Segmented,
    cues: Cues,
    brands: set[str],
    src_text: str,
    signals: Callable[[str, Cues], Signals],
) -> list[Finding]:
    lines = _header_lines(e, sus, cues)
    if lines:
        # A keyword header with no full stop is read as one sentence with the lines after it:
        # each line is judged on its own.
        out: list[Finding] = []
        for part in lines:
            out.extend(_sentence_findings(part, sus, cues, brands, src_text, signals))
        return out
    whole = _sentence(e, e.text, cues, brands, src_text=src_text, signals=signals)
    if whole is None:
        return []
    if whole.type is FindingType.BOILERPLATE and _DISCLAIMER.search(e.text):
        site = _spliced_site(e.text, src_text)
        if site is not None:
            a, b = site
            spam = Verdict(FindingType.SPLICED_SPAM, "a site name spliced into a disclaimer")
            parts = [
                (e.start, e.start + a, whole),
                (e.start + a, e.start + b, spam),
                (e.start + b, e.end, whole),
            ]
            return [_finding(sus, x, y, v, e.zone) for x, y, v in parts if _content_len(sus.norm.text[x:y])]
    suffix = _TITLE_SUFFIX.search(e.text)
    if suffix is not None and whole.type is not FindingType.SPLICED_SPAM and suffix.start() > 0:
        name = suffix.group(1)
        if cues.spam.strong_hits(name) or any(b in name for b in brands):
            # A page title "headline_site name" with a spam site's name (a spider pool, a casino).
            spam = Verdict(FindingType.SPLICED_SPAM, "a spam site's name after the page title")
            a = e.start + suffix.start()
            return [_finding(sus, e.start, a, whole, e.zone), _finding(sus, a, e.end, spam, e.zone)]
    clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(e.text)]
    if len(clauses) <= 1 or e.in_block:
        return [_finding(sus, e.start, e.end, whole, e.zone)]
    verdicts = [_sentence(e, e.text[a:b], cues, brands, whole, src_text, signals) for a, b in clauses]
    # A name after a label's colon (责任编辑:李华) is the name the label asks for, no splice.
    verdicts = [
        whole
        if v is not None and v.reason.startswith("a bare name") and e.text[:a].rstrip().endswith((":", "："))
        else v
        for (a, _), v in zip(clauses, verdicts, strict=True)
    ]
    kinds = {v.type for v in verdicts if v is not None}
    if len(kinds) <= 1:
        return [_finding(sus, e.start, e.end, whole, e.zone)]
    return [
        _finding(sus, e.start + a, e.start + b, v, e.zone)
        for (a, b), v in zip(clauses, verdicts, strict=True)
        if v is not None
    ]


def _header_lines(e: Extra, sus: Segmented, cues: Cues) -> list[Extra]:
    """The lines of a sentence that runs over several lines, when one of them is a spam keyword
    header; else none."""
    from dataclasses import replace

    if "\n" not in e.text:
        return []
    parts: list[Extra] = []
    at = e.start
    for line in e.text.split("\n"):
        a, b = at, at + len(line)
        at = b + 1
        if _content_len(line):
            parts.append(replace(e, start=a, end=b, text=line, phrases=_phrases(sus, a, b)))
    headers = [
        p for p in parts if (v := _keyword_line(p, p.text, cues)) and v.type is FindingType.SPLICED_SPAM
    ]
    return parts if headers and len(parts) > 1 else []


def _spliced_site(text: str, src_text: str) -> tuple[int, int] | None:
    """A site's name (某某官网i9, 某某娱乐城) inside a disclaimer or copyright formula, where no name
    belongs and the source has none: ``[start, end)`` in ``text``. The name runs back to the start
    of its clause, at most eight characters."""
    for m in _SITE_WORD.finditer(text):
        if _OWNER.search(text, 0, m.start()):
            continue  # "版权所有：某某官网" names the page's own site
        clause = max(text.rfind(c, 0, m.start()) for c in ",，、:：;；。") + 1
        start = max(clause, m.start() - 8)
        end = m.end()
        while end < len(text) and text[end].isascii() and text[end].isalnum():
            end += 1
        name = text[start:end]
        if _content_len(text[start : m.start()]) >= 2 and name not in src_text:
            return start, end
    return None


def _sentence(
    e: Extra,
    t: str,
    cues: Cues,
    brands: set[str],
    context: Verdict | None = None,
    src_text: str = "",
    signals: Callable[[str, Cues], Signals] = signals_of,
    in_block: bool | None = None,
) -> Verdict | None:
    """Judge an unaligned sentence (or, with ``context``, one clause of it). A link to a host the
    source also links to is the site's own (a list of its articles), page chrome. ``signals``:
    :func:`signals_of`, or a memo of it; ``in_block``: judge the sentence as if it were (or were not)
    in a long run of unaligned sentences, else as it is."""
    block = e.in_block if in_block is None else in_block
    sig = signals(t, cues)
    n = sig.content
    if n == 0:
        return None
    strong, weak, hosts = sig.strong, sig.weak, sig.hosts
    own = bool(hosts) and all(h in src_text for h in hosts)
    link = sig.link and not own
    known = any(term in t for term in brands)
    spam_score = 2 * strong + weak + 2 * link + 2 * known
    chrome_hits = sig.chrome_hits
    stamp = sig.stamp
    chrome_score = chrome_hits + 2 * stamp + 2 * own
    editorial = sig.editorial
    prose = sig.prose
    bare = n <= 6 and not editorial and not chrome_score and not spam_score
    if context is not None:
        # A clause: only a clear cue overrides the sentence's verdict.
        if editorial and not strong and context.type is not FindingType.BOILERPLATE:
            return Verdict(FindingType.INSERTED, "editorial cue")
        if bare and context.reason == "editorial cue" and t == t.rstrip(",，、:：;；") and t[:1].isalnum():
            return Verdict(FindingType.SPLICED_SPAM, "a bare name glued to an editorial note")
        if spam_score >= 2 and context.type is not FindingType.BOILERPLATE:
            return Verdict(FindingType.SPLICED_SPAM, "promotional clause")
        if chrome_score >= 1 and context.type is not FindingType.SPLICED_SPAM:
            return Verdict(FindingType.BOILERPLATE, "page chrome")
        return context
    if context is None and e.jammer:
        return Verdict(FindingType.BOILERPLATE, "anti-copy jammer characters")
    if context is None and e.copies and not chrome_score:
        return Verdict(FindingType.SPLICED_SPAM, f"repeated {e.copies} times (SEO stuffing)")
    keywords = None if context is not None or editorial else _keyword_line(e, t, cues)
    if keywords is not None:
        return keywords
    if context is None and e.repeated:
        # A source sentence reproduced a second time: a teaser or related-article box in the page
        # head or tail, a duplicated passage in the body.
        if e.zone == "head" or (e.zone == "tail" and not e.in_article):
            return Verdict(FindingType.BOILERPLATE, f"source text repeated in the page {e.zone}")
        return Verdict(FindingType.INSERTED, "source text repeated")
    if own and not strong:
        return Verdict(FindingType.BOILERPLATE, "a link to the site's own pages")
    if e.glued and bare and not block:
        return Verdict(FindingType.SPLICED_SPAM, "a bare word glued to the end of a sentence")
    if block:
        if chrome_score >= 1 and not prose:
            return Verdict(FindingType.BOILERPLATE, "page chrome")
        if e.zone != "body" and chrome_score >= 2:
            return Verdict(FindingType.BOILERPLATE, "page chrome")
        return Verdict(FindingType.INSERTED, "passage absent from the source")
    if e.zone in ("head", "tail"):
        if editorial and not strong and not chrome_hits:
            return Verdict(FindingType.INSERTED, "editorial cue")
        if chrome_score >= 1 and not (spam_score >= 3 and chrome_score < 2):
            return Verdict(FindingType.BOILERPLATE, "page chrome")
        if spam_score >= 2:
            return Verdict(FindingType.SPLICED_SPAM, "promotional sentence")
        if not prose and not e.run_prose:
            return Verdict(FindingType.BOILERPLATE, f"short line in the page {e.zone}")
        return Verdict(FindingType.INSERTED, "text absent from the source")
    if editorial and not strong:
        return Verdict(FindingType.INSERTED, "editorial cue")
    if spam_score >= 2 or (spam_score >= 1 and n <= 30 and not chrome_score):
        # A short sentence standing alone between copied ones needs only one promotional cue.
        return Verdict(FindingType.SPLICED_SPAM, "promotional sentence")
    if chrome_score >= 2 or (chrome_score >= 1 and not prose):
        return Verdict(FindingType.BOILERPLATE, "page chrome")
    return Verdict(FindingType.INSERTED, "text absent from the source")


def _merge_adjacent(findings: list[Finding], text: str) -> list[Finding]:
    """Join consecutive findings of one type (boilerplate, or inserted passages) separated only by
    white space into one block."""
    out: list[Finding] = []
    for f in findings:
        prev = out[-1] if out else None
        if (
            prev is not None
            and f.type is prev.type
            and f.type in (FindingType.BOILERPLATE, FindingType.INSERTED)
            and prev.get("reason") == f.get("reason")
            and prev.suspect_span is not None
            and f.suspect_span is not None
            and not text[prev.suspect_span.end : f.suspect_span.start].strip()
        ):
            span = Span(prev.suspect_span.start, f.suspect_span.end)
            out[-1] = Finding(f.type, span, None, text[span.start : span.end], "", prev.detail)
        else:
            out.append(f)
    return out
