"""Suspect text that does not derive from the source: page chrome (``boilerplate``), spliced spam
(``spliced_spam``) or other additions (``inserted``: editor's notes, datelines, foreign passages).

Signals, all general: where the text stands (before the first or after the last derived sentence,
or inside the body; glued to a sentence edge or not), repetition (the same splice in several
places), relation to the source and to the spinner's vocabulary, promotional patterns (links,
phone numbers, QQ/WeChat ids) and the shipped, user-extendable cue lists in :mod:`.cues`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..model import Alignment, Finding, FindingType, Segmented
from .cues import Cues
from .pairdiff import PairDiff, Word

__all__ = ["Extra", "classify_extras", "collect_extras"]

_LINK = re.compile(r"https?://|www\.|\.(com|net|cn|org|cc|vip|top|xyz)\b|\b1[3-9]\d{9}\b|\b\d{3,4}-\d{7,8}\b|qq[:：]?\s*\d{5,}|微信[:：]?\s*[a-z0-9_-]{5,}", re.I)
_DATETIME = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(\s*\d{1,2}:\d{2}(:\d{2})?)?|\d{1,2}:\d{2}:\d{2}")
_COUNTER = re.compile(r"\d+\s*(次|人|条|阅读|浏览|views?|comments?)|[:：]\s*$")


@dataclass(frozen=True, slots=True)
class Extra:
    """A run of suspect text (normalized offsets) not derived from the source."""

    start: int
    end: int
    text: str
    zone: str  # head | tail | body
    inline: bool  # inserted inside an aligned sentence (else a whole unaligned sentence)
    at_edge: bool  # inline and touching its sentence's start or end
    clean: bool = False  # inline with unchanged words (or the sentence edge) on both sides
    fringe: bool = False  # the first or last word of a rewritten region (a keyword may hide there)


def _content_len(text: str) -> int:
    return sum(1 for c in text if c.isalnum())


def collect_extras(sus: Segmented, alignment: Alignment, diffs: list[PairDiff]) -> list[Extra]:
    aligned = sorted(i for p in alignment.pairs for i in p.suspect)
    first, last = (aligned[0], aligned[-1]) if aligned else (len(sus.sentences), -1)
    out: list[Extra] = []
    for i in alignment.unmatched_suspect:
        s = sus.sentences[i]
        zone = "head" if i < first else "tail" if i > last else "body"
        out.append(Extra(s.start, s.end, s.text, zone, False, False))
    for pd in diffs:
        run: list[Word] = []
        run_ops: list[object] = []
        ops = pd.ops
        sent_bounds = [(sus.sentences[i].start, sus.sentences[i].end) for i in pd.pair.suspect]
        for k, op in enumerate(ops):
            if op.tag == "replace" and len(op.suspect) > 1:
                src_texts = {w.text for w in op.source}
                for w in {op.suspect[0], op.suspect[-1]}:
                    if _content_len(w.text) >= 2 and w.text not in src_texts:
                        out.append(Extra(w.start, w.end, w.text, "body", True, False, False, True))
            if op.tag == "insert":
                run.extend(op.suspect)
                run_ops.append(op)
                nxt = ops[k + 1] if k + 1 < len(ops) else None
                if nxt is not None and nxt.tag == "insert":
                    continue
                start, end = run[0].start, run[-1].end
                at_edge = any(
                    _content_len(sus.norm.text[a:start]) == 0 or _content_len(sus.norm.text[end:b]) == 0
                    for a, b in sent_bounds
                    if a <= start < b
                )
                first_k = k - (len(run_ops) - 1)
                before = ops[first_k - 1] if first_k > 0 else None
                clean = (before is None or before.tag == "equal") and (nxt is None or nxt.tag == "equal")
                out.append(Extra(start, end, sus.norm.text[start:end], "body", True, at_edge, clean))
                run = []
                run_ops = []
    out.sort(key=lambda e: e.start)
    return out


@dataclass(frozen=True, slots=True)
class Verdict:
    type: FindingType
    reason: str


def classify_extras(
    src: Segmented,
    sus: Segmented,
    extras: list[Extra],
    cues: Cues,
    spinner_words: set[str],
) -> list[Finding]:
    inline_counts = Counter(e.text for e in extras if e.inline and not e.fringe and _content_len(e.text) >= 2)
    spam_terms: set[str] = set()
    verdicts: list[Verdict | None] = []
    # Inline splices first: the brands and keywords they reveal help judge whole sentences.
    for e in extras:
        if not e.inline or e.fringe:
            verdicts.append(None)
            continue
        v = _inline(e, src, cues, spinner_words, inline_counts)
        if v is not None and v.type is FindingType.SPLICED_SPAM and _content_len(e.text) >= 3:
            spam_terms.add(e.text)  # a brand-like splice; short stuffed keywords are common words
        verdicts.append(v)
    stuffed = {e.text for e, v in zip(extras, verdicts, strict=True) if v is not None and v.reason.startswith("stuffed")}
    for k, e in enumerate(extras):
        if not e.inline:
            verdicts[k] = _sentence(e, cues, spam_terms, src)
        elif e.fringe and e.text in stuffed:
            verdicts[k] = Verdict(FindingType.SPLICED_SPAM, "stuffed keyword inside a rewritten phrase")
    out: list[Finding] = []
    for e, v in zip(extras, verdicts, strict=True):
        if v is None:
            continue
        span = sus.span(e.start, e.end)
        out.append(
            Finding(v.type, span, None, sus.doc.text[span.start : span.end], "", (("reason", v.reason), ("zone", e.zone)))
        )
    return _merge_adjacent(out, sus.doc.text)


def _inline(e: Extra, src: Segmented, cues: Cues, spinner_words: set[str], counts: Counter[str]) -> Verdict | None:
    n = _content_len(e.text)
    if n < 2:
        return None
    if cues.editorial.any(e.text):
        return Verdict(FindingType.INSERTED, "editorial cue")
    if e.text in spinner_words:
        return None  # the spinner's own vocabulary, not a splice
    if cues.spam.strong_hits(e.text) or _LINK.search(e.text):
        return Verdict(FindingType.SPLICED_SPAM, "promotional cue")
    in_source = e.text in src.norm.text
    if counts[e.text] >= 2 and (e.at_edge or e.clean):
        return Verdict(FindingType.SPLICED_SPAM, f"stuffed {counts[e.text]} times")
    if e.at_edge and not in_source:
        return Verdict(FindingType.SPLICED_SPAM, "glued to a sentence edge")
    if not e.clean:
        return None  # next to rewritten words: part of the rewrite, not a splice
    if not in_source and n >= 3 and cues.spam.weak_hits(e.text):
        return Verdict(FindingType.SPLICED_SPAM, "promotional word")
    return Verdict(FindingType.INSERTED, "inserted words")


def _sentence(e: Extra, cues: Cues, spam_terms: set[str], src: Segmented) -> Verdict | None:
    t = e.text
    n = _content_len(t)
    if n == 0:
        return None
    strong = cues.spam.strong_hits(t)
    weak = cues.spam.weak_hits(t)
    link = bool(_LINK.search(t))
    known = any(term in t for term in spam_terms)
    spam_score = 2 * strong + weak + 2 * link + 2 * known
    chrome_hits = cues.chrome.weak_hits(t) + cues.chrome.strong_hits(t)
    stamp = bool(_DATETIME.search(t)) or (bool(_COUNTER.search(t)) and n <= 20)
    chrome_score = chrome_hits + 2 * stamp
    editorial = cues.editorial.any(t)
    prose = n >= 25 and bool(re.search(r"[，,。.!?！？]", t))
    if e.zone in ("head", "tail"):
        if editorial and not strong and not chrome_hits:
            return Verdict(FindingType.INSERTED, "editorial cue")
        if chrome_score >= 1 and not (spam_score >= 3 and chrome_score < 2):
            return Verdict(FindingType.BOILERPLATE, "page chrome")
        if spam_score >= 2:
            return Verdict(FindingType.SPLICED_SPAM, "promotional sentence")
        if not prose:
            return Verdict(FindingType.BOILERPLATE, f"short line in the page {e.zone}")
        return Verdict(FindingType.INSERTED, "text absent from the source")
    if editorial and not strong:
        return Verdict(FindingType.INSERTED, "editorial cue")
    if spam_score >= 2:
        return Verdict(FindingType.SPLICED_SPAM, "promotional sentence")
    if chrome_score >= 2 or (chrome_score >= 1 and not prose):
        return Verdict(FindingType.BOILERPLATE, "page chrome")
    return Verdict(FindingType.INSERTED, "text absent from the source")


def _merge_adjacent(findings: list[Finding], text: str) -> list[Finding]:
    """Join consecutive boilerplate findings separated only by white space into one block."""
    out: list[Finding] = []
    for f in findings:
        prev = out[-1] if out else None
        if (
            prev is not None
            and f.type is FindingType.BOILERPLATE
            and prev.type is FindingType.BOILERPLATE
            and prev.suspect_span is not None
            and f.suspect_span is not None
            and not text[prev.suspect_span.end : f.suspect_span.start].strip()
        ):
            span = type(f.suspect_span)(prev.suspect_span.start, f.suspect_span.end)
            out[-1] = Finding(FindingType.BOILERPLATE, span, None, text[span.start : span.end], "", prev.detail)
        else:
            out.append(f)
    return out
