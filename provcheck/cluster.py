"""Group copies of one article and name each group's original: engine-agnostic pure functions.

The local engine (:mod:`provcheck.bulk`) and the Spark engine (:mod:`provcheck.spark`) run the same
steps, and both call these functions:

1. **candidates** -- :func:`bucket_pairs` turns LSH band keys (from :mod:`provcheck.fingerprint`) into
   candidate pairs; keys shared by more than ``max_bucket`` documents are page chrome and ignored.
   :func:`pair_estimates` scores the pairs from the signatures alone (best of Jaccard and containment
   over signature kinds) and drops the ones below ``min_estimate``.
2. **verify** -- every surviving pair is compared in both directions by the caller; :func:`summarize`
   keeps what grouping and naming need from each report (:class:`Direction`) and :func:`link_of`
   decides the link: ``copy``/``rewritten`` joins a group, ``partial`` is a link between groups.
3. **components** -- :class:`UnionFind` over the joining links.
4. **naming** -- :func:`name_original` weighs, for every compared pair, which side carries the page
   chrome, spam, editorial insertions and spinner substitutions (rarer words) the other lacks, which
   side holds content the other lost (truncation), and dates in metadata; the member with the most
   evidence of coming first is the original, with a one-line reason.

Nothing here reads files or runs comparisons; callers pass reports in.

>>> uf = UnionFind(4)
>>> uf.union(0, 1); uf.union(3, 1)
>>> uf.groups()
[[0, 1, 3]]
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .fingerprint import FingerprintConfig
from .model import FindingType, Relation, Report, Span

__all__ = [
    "ClusterConfig",
    "Clustering",
    "Direction",
    "Group",
    "Link",
    "Member",
    "Naming",
    "Progress",
    "UnionFind",
    "WordFreq",
    "bucket_pairs",
    "build_clustering",
    "by_consensus",
    "content_grams",
    "direction_score",
    "link_of",
    "name_original",
    "naming_pairs",
    "pair_estimates",
    "summarize",
]

JOINING = (Relation.COPY.value, Relation.REWRITTEN.value)


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """How candidates are chosen, verified and grouped; defaults are the tuned values."""

    fingerprint: FingerprintConfig = field(default_factory=FingerprintConfig)
    max_bucket: int = 300  # band keys shared by more documents are chrome or boilerplate: ignored
    min_shared_keys: int = 1  # candidate pairs share at least this many band keys
    min_estimate: float = 0.2  # ... and have at least this signature estimate (Jaccard or containment)
    min_set: int = 20  # containment estimates count only for shingle sets at least this large
    min_join_score: float = 0.75  # a copy/rewritten verdict joins a group only with this score
    min_link_score: float = 0.1  # partial links weaker than this are not reported
    naming_all_pairs: int = 8  # groups up to this size compare every pair to name the original
    short_insert: int = 60  # an inserted span up to this long is an addition (note, dateline) ...
    # ... a longer one is content the other side lost (truncation), evidence for the inserting side
    workers: int = 0  # local engine: processes (0 = one per core, 1 = none)
    batch_size: int = 512  # local engine: documents per fingerprint batch, pairs per verify batch

    def __post_init__(self) -> None:
        if self.max_bucket < 2 or self.min_shared_keys < 1 or self.naming_all_pairs < 2:
            raise ValueError("max_bucket and naming_all_pairs must be at least 2, min_shared_keys at least 1")
        if not 0.0 <= self.min_estimate <= 1.0 or not 0.0 <= self.min_link_score <= 1.0:
            raise ValueError("min_estimate and min_link_score must lie in [0, 1]")


@dataclass(frozen=True, slots=True)
class Progress:
    """One step of a long job, for a progress bar: ``done`` of ``total`` (``total`` 0 = unknown)."""

    stage: str  # read | candidates | verify | name | write
    done: int
    total: int = 0


# -- union-find ----------------------------------------------------------------------------------


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving and union by size."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        """Join the sets of ``a`` and ``b``; False when they were already one set."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return True

    def connected(self, a: int, b: int) -> bool:
        return self.find(a) == self.find(b)

    def groups(self, min_size: int = 2) -> list[list[int]]:
        """Sets of at least ``min_size`` elements, each sorted, ordered by their smallest element."""
        out: dict[int, list[int]] = defaultdict(list)
        for x in range(len(self.parent)):
            out[self.find(x)].append(x)
        return sorted((g for g in out.values() if len(g) >= min_size), key=lambda g: g[0])


# -- candidates ------------------------------------------------------------------------------------


def bucket_pairs(keys: np.ndarray, owners: np.ndarray, config: ClusterConfig) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs from band keys: ``keys[i]`` is a band key of document ``owners[i]``.

    Returns ``(pairs, shared)``: an ``(m, 2)`` array of document numbers ``a < b`` sharing at least
    ``min_shared_keys`` keys, sorted, and how many keys each pair shares. Keys held by more than
    ``max_bucket`` documents (site chrome, stock phrases) are skipped."""
    empty = np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64)
    if len(keys) == 0:
        return empty
    order = np.lexsort((owners, keys))
    k, o = keys[order], owners[order].astype(np.int64)
    # one entry per (key, document)
    keep = np.ones(len(k), dtype=bool)
    keep[1:] = (k[1:] != k[:-1]) | (o[1:] != o[:-1])
    k, o = k[keep], o[keep]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    sizes = np.diff(np.r_[starts, len(k)])
    chunks: list[np.ndarray] = []
    for size in np.unique(sizes):
        if size < 2 or size > config.max_bucket:
            continue
        idx = starts[sizes == size]
        members = o[idx[:, None] + np.arange(size)]  # (buckets, size), ascending owners
        ia, ib = np.triu_indices(size, 1)
        chunks.append(members[:, ia].ravel() * (1 << 32) + members[:, ib].ravel())
    if not chunks:
        return empty
    codes, shared = np.unique(np.concatenate(chunks), return_counts=True)
    sel = shared >= config.min_shared_keys
    codes, shared = codes[sel], shared[sel]
    pairs = np.stack([codes >> 32, codes & 0xFFFFFFFF], axis=1)
    return pairs, shared


def pair_estimates(values: Sequence[np.ndarray], sizes: np.ndarray, pairs: np.ndarray, config: ClusterConfig) -> np.ndarray:
    """Best signature estimate of each pair: over signature kinds, the Jaccard estimate and the
    containment either way (when both shingle sets hold at least ``min_set``).

    ``values[k]`` is the ``(n, num_perm)`` matrix of kind ``k``'s MinHash values, ``sizes`` the
    ``(n, kinds)`` shingle-set sizes."""
    best = np.zeros(len(pairs))
    if len(pairs) == 0:
        return best
    a, b = pairs[:, 0], pairs[:, 1]
    for kind, mat in enumerate(values):
        sa, sb = sizes[a, kind].astype(float), sizes[b, kind].astype(float)
        j = np.zeros(len(pairs))
        step = 65536
        for s in range(0, len(pairs), step):
            j[s : s + step] = (mat[a[s : s + step]] == mat[b[s : s + step]]).mean(axis=1)
        j[(sa == 0) | (sb == 0)] = 0.0
        inter = j * (sa + sb) / (1.0 + j)
        ok = (sa >= config.min_set) & (sb >= config.min_set)
        with np.errstate(divide="ignore", invalid="ignore"):
            ca = np.where(ok, np.minimum(1.0, inter / np.maximum(sa, 1)), 0.0)
            cb = np.where(ok, np.minimum(1.0, inter / np.maximum(sb, 1)), 0.0)
        best = np.maximum(best, np.maximum(j, np.maximum(ca, cb)))
    return best


# -- verification evidence -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Direction:
    """What one comparison (``source`` -> ``suspect``) says, reduced to what grouping and naming use.

    Character counts are of suspect text: page chrome, spam, short insertions (notes, datelines) and
    long insertions (content the source lacks). ``swaps`` holds the spinner's word pairs."""

    source: str
    suspect: str
    relation: str
    score: float
    source_coverage: float
    chrome: int = 0
    spam: int = 0
    notes: int = 0
    extra_content: int = 0
    swaps: tuple[tuple[str, str], ...] = ()
    suspect_chars: int = 0
    numbers: int = 0  # altered or reformatted numbers
    moved: int = 0  # aligned sentences out of the source's order
    spelled: int = 0  # reformatted numbers written in digits in the source and in words in the suspect
    added: tuple[tuple[str, str], ...] = ()  # (chrome | spam | notes | extra, normalized text) of each addition

    @property
    def edits(self) -> int:
        """In-place changes between the two texts (symmetric in kind): swaps, numbers, moves."""
        return len(self.swaps) + self.numbers + self.moved


def summarize(report: Report, config: ClusterConfig | None = None) -> Direction:
    """Keep from a report what grouping and naming need (reports hold whole texts; this does not)."""
    cfg = config or ClusterConfig()
    chrome = spam = notes = extra = numbers = spelled = 0
    swaps: list[tuple[str, str]] = []
    added: list[tuple[str, str]] = []
    source_grams: set[str] | None = None
    for f in report.findings:
        n = len(f.suspect_span) if f.suspect_span is not None else 0
        if n and f.type in _ADDED:
            # text the source also holds (a moved sentence, a re-cut clause) is not an addition
            if source_grams is None:
                source_grams = _grams(report.source_seg.norm.text if report.source_seg else report.source.text)
            piece = _norm_slice(report, f.suspect_span) or f.suspect_text
            grams = _grams(piece)
            if grams and len(grams & source_grams) >= 0.6 * len(grams):
                continue
        if f.type is FindingType.BOILERPLATE:
            chrome += n
            added.append(("chrome", piece))
        elif f.type is FindingType.SPLICED_SPAM:
            spam += n
            added.append(("spam", piece))
        elif f.type is FindingType.INSERTED:
            if n <= cfg.short_insert or f.get("reason") == "editorial cue":
                notes += n
                added.append(("notes", piece))
            else:
                extra += n
                added.append(("extra", piece))
        elif f.type in (FindingType.ALTERED_NUMBER, FindingType.REFORMATTED_NUMBER):
            numbers += 1
            if f.type is FindingType.REFORMATTED_NUMBER and _DIGITS.search(f.source_text) and not _DIGITS.search(f.suspect_text):
                spelled += 1
        elif f.type is FindingType.SUBSTITUTION:
            swaps.append((str(f.get("source_word", f.source_text)), str(f.get("suspect_word", f.suspect_text))))
    return Direction(
        report.source.id, report.suspect.id, report.relation.value, float(report.score),
        float(report.stats.source_coverage), chrome, spam, notes, extra, tuple(swaps), report.stats.suspect_chars,
        numbers, _moved(report), spelled, tuple(added),
    )  # fmt: skip


_ADDED = (FindingType.BOILERPLATE, FindingType.SPLICED_SPAM, FindingType.INSERTED)
_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"[0-9]")


def content_grams(text: str, n: int = 4) -> set[str]:
    """Character n-grams of a text's content characters (punctuation and space dropped)."""
    t = _NON_WORD.sub("", text).lower()
    return {t[i : i + n] for i in range(len(t) - n + 1)}


_grams = content_grams


def _norm_slice(report: Report, span: Span | None) -> str:
    """The normalized suspect text of an original span (same script as the normalized source)."""
    seg = report.suspect_seg
    if seg is None or span is None:
        return ""
    offs = seg.norm.offsets
    return seg.norm.text[bisect_left(offs, span.start, 0, len(offs) - 1) : bisect_left(offs, span.end, 0, len(offs) - 1)]


def _moved(report: Report) -> int:
    """Aligned sentence pairs outside the longest run in source order (sentences moved)."""
    order = [min(p.source) for p in sorted(report.alignment.pairs, key=lambda p: min(p.suspect)) if p.source and p.suspect]
    tails: list[int] = []  # patience sorting: longest strictly increasing subsequence
    for x in order:
        k = bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    return len(order) - len(tails)


def link_of(ab: Direction, ba: Direction, min_join_score: float = 0.75) -> tuple[str, float]:
    """The relation between two documents from both comparisons: ``copy``/``rewritten`` when either
    direction finds one with a score of at least ``min_join_score`` (a trimmed copy reads as partial
    the other way), else ``partial`` when either direction finds any derived share, else
    ``unrelated``; with the stronger score."""
    score = max(ab.score, ba.score)
    joins = [x for x in (ab, ba) if x.relation in JOINING and x.score >= min_join_score]
    if joins:
        rewritten = any(x.relation == Relation.REWRITTEN.value for x in joins)
        return (Relation.REWRITTEN.value if rewritten else Relation.COPY.value), score
    if any(x.relation in (*JOINING, Relation.PARTIAL.value) for x in (ab, ba)):
        return Relation.PARTIAL.value, score
    return Relation.UNRELATED.value, score


# -- naming the original ---------------------------------------------------------------------------


class WordFreq:
    """Word frequencies of jieba's dictionary (loaded on first use), for judging spinner swaps: a
    spinner trades common words for rarer synonyms, so the side with the commoner word came first."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._path = path
        self._freq: dict[str, int] | None = None

    def __call__(self, word: str) -> int:
        if self._freq is None:
            self._freq = self._load()
        return self._freq.get(word, 0)

    def _load(self) -> dict[str, int]:
        path = self._path
        if path is None:
            import jieba

            path = Path(jieba.__file__).with_name("dict.txt")
        out: dict[str, int] = {}
        try:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    parts = line.split(" ", 2)
                    if len(parts) >= 2 and parts[1].isdigit():
                        out[parts[0]] = int(parts[1])
        except OSError:  # pragma: no cover - jieba ships its dictionary
            return {}
        return out


def _swap_lean(swaps: Iterable[tuple[str, str]], freq: Callable[[str], int]) -> float:
    """Mean log-frequency advantage of the source words over the suspect words (positive: the
    source uses the commoner words, so it is the original)."""
    diffs = [math.log1p(fa) - math.log1p(fb) for a, b in swaps if a != b and (fa := freq(a)) and (fb := freq(b))]
    return sum(diffs) / len(diffs) if diffs else 0.0


@dataclass(frozen=True, slots=True)
class Cue:
    name: str
    value: float  # positive: the first document is the original of the second


def direction_cues(ab: Direction, ba: Direction, freq: Callable[[str], int], dates: tuple[str | None, str | None] = (None, None)) -> list[Cue]:
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


def direction_score(ab: Direction, ba: Direction, freq: Callable[[str], int], dates: tuple[str | None, str | None] = (None, None)) -> float:
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
        grams = _grams(text)
        if not grams:
            kept.append((kind, text))
            continue
        held = sum(1 for o in others if len(grams & o) >= 0.6 * len(grams)) * 2 > len(others)
        to = "extra" if held else "notes" if kind == "extra" else kind
        if to != kind:
            counts[kind] = max(0, counts[kind] - len(text))
            counts[to] += len(text)
        kept.append((to, text))
    return replace(d, chrome=counts["chrome"], spam=counts["spam"], notes=counts["notes"], extra_content=counts["extra"], added=tuple(kept))


@dataclass(frozen=True, slots=True)
class Naming:
    original: str
    reason: str
    evidence: tuple[tuple[str, float], ...]  # member -> summed direction score, best first


def naming_pairs(members: Sequence[str], known: Iterable[tuple[str, str]], config: ClusterConfig) -> list[tuple[str, str]]:
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
    total: dict[str, float] = dict.fromkeys(members, 0.0)
    cue_sum: dict[str, dict[str, float]] = {m: defaultdict(float) for m in members}
    added: dict[str, int] = dict.fromkeys(members, 0)
    grams = grams or {}
    for (a, b), (ab, ba) in pairs.items():
        if a not in total or b not in total:
            continue
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
            reason = reason.replace("other members carry", "the other carries").replace("the others are", "the other is")
            reason = reason.replace("the others lost", "the other lost").replace("the others spell", "the other spells")
    else:
        reason = "no member shows added material"
    if len(top) > 1:
        reason += f"; evidence as strong for {len(top) - 1} other member(s): chosen for fewer additions and plainer layout"
    return Naming(best, reason, tuple((m, round(total[m], 3)) for m in ranked))


# -- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    role: str  # original | copy | rewritten
    score: float  # provenance score against the original (1.0 for the original itself)
    relation: str  # relation to the original (copy | rewritten | partial; "original" for itself)


@dataclass(frozen=True, slots=True)
class Group:
    id: int
    original: str
    reason: str
    members: tuple[Member, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A partial reuse between two documents of different groups (or ungrouped documents)."""

    a: str
    b: str
    score: float
    group_a: int | None = None
    group_b: int | None = None
    relation: str = Relation.PARTIAL.value


@dataclass(frozen=True, slots=True)
class Clustering:
    groups: tuple[Group, ...]
    links: tuple[Link, ...]
    documents: tuple[str, ...]  # every document read, in input order
    skipped: tuple[str, ...] = ()  # records or files not read, with the reason
    stats: tuple[tuple[str, float], ...] = field(default=())

    def stat(self, key: str, default: float = 0.0) -> float:
        for k, v in self.stats:
            if k == key:
                return v
        return default

    def group_of(self) -> dict[str, tuple[int, Member]]:
        return {m.id: (g.id, m) for g in self.groups for m in g.members}


def build_clustering(
    documents: Sequence[str],
    groups: Sequence[Sequence[str]],
    namings: dict[int, Naming],
    evidence: dict[tuple[str, str], tuple[Direction, Direction]],
    partials: Iterable[tuple[str, str, float]],
    config: ClusterConfig,
    skipped: Sequence[str] = (),
    stats: dict[str, float] | None = None,
) -> Clustering:
    """Assemble the result: groups in order of their first document, members original first then in
    input order, each with its score against the original; partial links between groups."""
    position = {d: i for i, d in enumerate(documents)}
    ordered = sorted((sorted(g, key=position.__getitem__) for g in groups), key=lambda g: position[g[0]])
    index_of = {tuple(sorted(g)): i for i, g in enumerate(groups)}
    out: list[Group] = []
    where: dict[str, int] = {}
    for gid, g in enumerate(ordered, 1):
        naming = namings[index_of[tuple(sorted(g))]]
        orig = naming.original
        members = [Member(orig, "original", 1.0, "original")]
        for m in g:
            if m == orig:
                continue
            fwd = evidence.get((orig, m))
            d = fwd[0] if fwd else None
            if d is None and (m, orig) in evidence:
                d = evidence[(m, orig)][1]
            rel = d.relation if d is not None else Relation.COPY.value
            role = Relation.REWRITTEN.value if rel == Relation.REWRITTEN.value else Relation.COPY.value
            members.append(Member(m, role, round(d.score, 4) if d else 0.0, rel))
        for m in g:
            where[m] = gid
        out.append(Group(gid, orig, naming.reason, tuple(members)))
    links = []
    seen: set[tuple[str, str]] = set()
    for a, b, score in partials:
        if score < config.min_link_score:
            continue
        ga, gb = where.get(a), where.get(b)
        if ga is not None and ga == gb:
            continue
        key = (a, b) if position.get(a, 0) <= position.get(b, 0) else (b, a)
        if key in seen:
            continue
        seen.add(key)
        links.append(Link(key[0], key[1], round(score, 4), where.get(key[0]), where.get(key[1])))
    links.sort(key=lambda link: (position.get(link.a, 0), position.get(link.b, 0)))
    return Clustering(tuple(out), tuple(links), tuple(documents), tuple(skipped), tuple((stats or {}).items()))
