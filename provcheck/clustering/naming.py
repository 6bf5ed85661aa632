"""Which member of a group is the original: pairwise direction cues and group-level cues.

For every compared pair the cues say which side came first: the copy carries page chrome, spliced
spam and editorial notes the original lacks; the original holds content a trimmed copy lost; a
spinner trades common words for rarer synonyms; news style writes figures in digits; a record's date.
Over the whole group: the original needs the fewest in-place edits to reach every other member (each
copy changed it its own way), it is in the group's usual script, and text most members hold is
article text, not an addition (:func:`by_consensus`). :func:`name_original` sums the cues and states
the ones that decided, in one line.

Pure functions over :class:`~provcheck.clustering.result.Direction` summaries; callers run the comparisons.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from provcheck.clustering.candidates import content_grams, line_keys
from provcheck.clustering.config import ClusterConfig
from provcheck.clustering.evidence import Direction
from provcheck.clustering.result import Naming
from provcheck.text.lexicon import spaced_common_words

__all__ = [
    "Cue",
    "by_consensus",
    "by_corpus",
    "direction_cues",
    "direction_score",
    "name_original",
    "naming_pairs",
    "with_spaced_words",
]


_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def with_spaced_words(freq: Callable[[str], int]) -> Callable[[str], int]:
    """``freq`` (jieba's dictionary frequencies) extended to words of spaced scripts, which the
    dictionary lacks: a word on the common-word list (``data/stopwords_en.txt``) counts as common,
    any other word as rarer. Spinners trade common words for rarer synonyms in English too."""
    common = spaced_common_words()

    def f(word: str) -> int:
        n = freq(word)
        if n or not _LATIN_WORD.fullmatch(word):
            return n
        return _COMMON_EN if word.lower() in common else _OTHER_EN

    return f


_COMMON_EN, _OTHER_EN = 200, 20  # about the spread of a spinner's Chinese swaps in jieba's table


def _swap_lean(swaps: Iterable[tuple[str, str]], freq: Callable[[str], int]) -> float:
    """Mean log-frequency advantage of the source words over the suspect words (positive: the
    source uses the commoner words, so it is the original)."""
    diffs = [
        math.log1p(fa) - math.log1p(fb) for a, b in swaps if a != b and (fa := freq(a)) and (fb := freq(b))
    ]
    return sum(diffs) / len(diffs) if diffs else 0.0


_SENTENCE_END = re.compile(r"[。！？!?]")
_ANY_SENTENCE_END = re.compile(r"[。！？!?]|\.(?:\s|$)")


def _reads_as_prose(text: str) -> bool:
    """A sentence mark ends some of it (Chinese or Latin): a trimmed paragraph, not a menu line."""
    return bool(_ANY_SENTENCE_END.search(text))


def by_corpus(d: Direction, common: frozenset[int]) -> Direction:
    """Chrome the corpus does not repeat and that reads as prose (two or more sentences, none of its
    lines among the ``common`` lines of the corpus) is article text the source side lost: a trimmed
    final paragraph, not a site's footer."""
    counts = {"chrome": d.chrome, "extra": d.extra_content}
    kept = []
    for kind, text in d.added:
        if (
            kind == "chrome"
            and len(_SENTENCE_END.findall(text)) >= 2
            and len(text) >= 40
            and not (line_keys(text) & common)
        ):
            counts["chrome"] = max(0, counts["chrome"] - len(text))
            counts["extra"] += len(text)
            kept.append(("extra", text))
        else:
            kept.append((kind, text))
    if counts["chrome"] == d.chrome:
        return d
    return replace(d, chrome=counts["chrome"], extra_content=counts["extra"], added=tuple(kept))


@dataclass(frozen=True, slots=True)
class Cue:
    name: str
    value: float  # positive: the first document is the original of the second


def direction_cues(
    ab: Direction,
    ba: Direction,
    freq: Callable[[str], int],
    dates: tuple[str | None, str | None] = (None, None),
) -> list[Cue]:
    """Signed cues that ``ab.source`` is the original of ``ab.suspect`` (negative: the reverse).

    ``ab`` compares a -> b (findings in b), ``ba`` compares b -> a (findings in a)."""
    cues: list[Cue] = []

    def squash(x: float, scale: float) -> float:
        return math.tanh(x / scale)

    cues.append(Cue("chrome", squash(ab.chrome - ba.chrome, 40.0)))
    cues.append(Cue("spam", squash(ab.spam - ba.spam, 15.0)))
    cues.append(Cue("notes", 0.6 * squash(ab.notes - ba.notes, 20.0)))
    # content one side has and the other lacks: the fuller side is the original (copies get trimmed)
    cues.append(Cue("truncation", squash(ba.extra_content - ab.extra_content, 60.0)))
    # news style writes figures in digits; a copy that spells them out in words has been reworked
    if ab.spelled or ba.spelled:
        cues.append(Cue("numerals", squash(ab.spelled - ba.spelled, 2.0)))
    swaps = _swap_lean(ab.swaps, freq) - _swap_lean(ba.swaps, freq)
    if ab.swaps or ba.swaps:
        n = max(len(ab.swaps), len(ba.swaps))
        cues.append(Cue("spinner", squash(swaps, 1.0) * min(1.0, n / 3.0)))
    da, db = dates
    if da and db and da != db:
        cues.append(Cue("date", 2.0 if da < db else -2.0))
    return cues


def direction_score(
    ab: Direction,
    ba: Direction,
    freq: Callable[[str], int],
    dates: tuple[str | None, str | None] = (None, None),
) -> float:
    """Sum of :func:`direction_cues`: positive when ``ab.source`` looks like the original."""
    return sum(c.value for c in direction_cues(ab, ba, freq, dates))


def by_consensus(d: Direction, others: Sequence[set[str]]) -> Direction:
    """Judge the suspect side's additions in ``d`` by the rest of the group (``others``).

    An addition (chrome, spam, note) that most other members also hold is article text, which the
    source side lost (a trimmed copy): it moves to ``extra_content``. Extra content that most other
    members lack is the suspect's own insertion (a passage quoted from elsewhere): it moves to
    ``notes``."""
    if not others or not d.added:
        return d
    counts = {"chrome": d.chrome, "spam": d.spam, "notes": d.notes, "extra": d.extra_content}
    kept = []
    for kind, text in d.added:
        grams = content_grams(text)
        if not grams:
            kept.append((kind, text))
            continue
        held = sum(1 for o in others if len(grams & o) >= 0.6 * len(grams)) * 2 > len(others)
        # a site's navigation bar or counter line that most copies carry is still chrome: only an
        # addition that reads as prose can be article text the source side lost
        held = held and (kind != "chrome" or _reads_as_prose(text))
        to = "extra" if held else "notes" if kind == "extra" else kind
        if to != kind:
            counts[kind] = max(0, counts[kind] - len(text))
            counts[to] += len(text)
        kept.append((to, text))
    return replace(
        d,
        chrome=counts["chrome"],
        spam=counts["spam"],
        notes=counts["notes"],
        extra_content=counts["extra"],
        added=tuple(kept),
    )


def naming_pairs(
    members: Sequence[str], known: Iterable[tuple[str, str]], config: ClusterConfig
) -> list[tuple[str, str]]:
    """Which pairs of a group to compare (both ways) for naming: every pair in a small group; in a
    large one, the verified pairs plus each member against the member with most verified links."""
    have = {frozenset(p) for p in known}
    if len(members) <= config.naming_all_pairs:
        want = [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
    else:
        degree: dict[str, int] = defaultdict(int)
        for p in have:
            for x in p:
                degree[x] += 1
        hub = max(members, key=lambda m: (degree[m], m))
        want = [(hub, m) for m in members if m != hub]
    return [p for p in want if frozenset(p) not in have]


_CUE_WORDS = {
    "chrome": "page chrome",
    "spam": "spliced spam",
    "notes": "editorial insertions",
    "truncation": "content the others lost",
    "spinner": "commoner wording (the others are spun)",
    "date": "the earliest date",
    "numerals": "figures in digits (the others spell them out)",
    "centre": "the fewest edits to the others (the others each changed it their own way)",
    "script": "the group's usual script (a converted copy is not)",
}


def name_original(
    members: Sequence[str],
    pairs: dict[tuple[str, str], tuple[Direction, Direction]],
    freq: Callable[[str], int],
    dates: dict[str, str] | None = None,
    scripts: dict[str, str] | None = None,
    breaks: dict[str, float] | None = None,
    grams: dict[str, set[str]] | None = None,
    common: frozenset[int] | None = None,
    tie: float = 0.25,
) -> Naming:
    """Name the member that the others derive from.

    ``pairs[(a, b)]`` holds the comparisons a -> b and b -> a. Each member collects the direction
    score of every pair it is in (positive: it came first); the highest total wins, ties going to the
    member with the fewest added characters and then the smallest id. The reason names the cues that
    spoke for the winner.

    Two group-level cues join the pairwise ones. *Centrality*: copies derive from the original
    independently, so each differs from it by its own edits only, and from other copies by both
    sets; the member with the fewest in-place edits (swaps, numbers, moved sentences) to the others
    sits at the centre. *Script*: a member in another script (``scripts``: ``"traditional"`` or
    ``"simplified"``) than most of the group is a converted copy."""
    dates = dates or {}
    scripts = scripts or {}
    freq = with_spaced_words(freq)
    total: dict[str, float] = dict.fromkeys(members, 0.0)
    cue_sum: dict[str, dict[str, float]] = {m: defaultdict(float) for m in members}
    added: dict[str, int] = dict.fromkeys(members, 0)
    grams = grams or {}
    for (a, b), (ab, ba) in pairs.items():
        if a not in total or b not in total:
            continue
        if common is not None:
            ab, ba = by_corpus(ab, common), by_corpus(ba, common)
        if grams:
            others = [grams[m] for m in members if m not in (a, b) and m in grams]
            ab, ba = by_consensus(ab, others), by_consensus(ba, others)
        for cue in direction_cues(ab, ba, freq, (dates.get(a), dates.get(b))):
            total[a] += cue.value
            total[b] -= cue.value
            cue_sum[a][cue.name] += cue.value
            cue_sum[b][cue.name] -= cue.value
        added[b] += ab.chrome + ab.spam + ab.notes
        added[a] += ba.chrome + ba.spam + ba.notes
    edits: dict[str, list[float]] = {m: [] for m in members}
    for (a, b), (ab, ba) in pairs.items():
        if a in edits and b in edits:
            e = (ab.edits + ba.edits) / 2
            edits[a].append(e)
            edits[b].append(e)
    mean = {m: sum(v) / len(v) for m, v in edits.items() if v}
    if len(mean) >= 3:
        typical = sorted(mean.values())[len(mean) // 2]
        for m, v in mean.items():
            c = 1.5 * math.tanh(2.0 * (typical - v) / (typical + 2.0))
            total[m] += c
            cue_sum[m]["centre"] += c
    counts: dict[str, int] = defaultdict(int)
    for m in members:
        if m in scripts:
            counts[scripts[m]] += 1
    if len(counts) > 1:
        major = max(counts.items(), key=lambda kv: (kv[1], kv[0] == "simplified"))[0]
        for m in members:
            if scripts.get(m, major) != major:
                total[m] -= 1.5
                cue_sum[m]["script"] -= 1.5
            elif m in scripts:
                cue_sum[m]["script"] += 0.5
                total[m] += 0.5
    ranked = sorted(members, key=lambda m: (-round(total[m], 6), added[m], m))
    # near-ties (no evidence tells them apart): fewest added characters, then the plainest layout
    # (fewest line breaks: reposts re-flow text into more paragraphs), then the id
    breaks = breaks or {}
    top = [m for m in ranked if total[m] >= total[ranked[0]] - tie]
    best = min(top, key=lambda m: (added[m], breaks.get(m, 0.0), m))
    ranked.remove(best)
    ranked.insert(0, best)
    spoke = sorted(((v, k) for k, v in cue_sum[best].items() if v > 0.05), reverse=True)
    if spoke:
        reason = "has the least " if spoke[0][1] in ("chrome", "spam", "notes") else "has "
        words = []
        for _, k in spoke[:3]:
            words.append(_CUE_WORDS[k])
        lacking = [w for w in words if w in ("page chrome", "spliced spam", "editorial insertions")]
        other = [w for w in words if w not in lacking]
        parts = []
        if lacking:
            parts.append("lacks the " + " and ".join(lacking) + " that other members carry")
        if other:
            parts.append("has " + " and ".join(other))
        reason = "; ".join(parts)
        if len(members) == 2:
            reason = reason.replace("other members carry", "the other carries").replace(
                "the others are", "the other is"
            )
            reason = reason.replace("the others lost", "the other lost").replace(
                "the others spell", "the other spells"
            )
    else:
        reason = "no member shows added material"
    if len(top) > 1:
        reason += f"; evidence as strong for {len(top) - 1} other member(s): chosen for fewer additions and plainer layout"
    return Naming(best, reason, tuple((m, round(total[m], 3)) for m in ranked))
