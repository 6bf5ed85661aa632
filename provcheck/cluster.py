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
4. **naming** -- :mod:`provcheck.origin` names each group's original from the evidence (which side
   carries chrome, spam, notes and spinner swaps the other lacks, which holds content the other lost,
   dates); :func:`build_clustering` assembles the result.

Nothing here reads files or runs comparisons; callers pass reports in.

>>> uf = UnionFind(4)
>>> uf.union(0, 1), uf.union(3, 1), uf.union(0, 3)
(True, True, False)
>>> uf.groups()
[[0, 1, 3]]
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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
    "bucket_pairs",
    "build_clustering",
    "common_lines",
    "content_grams",
    "line_keys",
    "link_of",
    "pair_estimates",
    "shared_content",
    "summarize",
    "worth_verifying",
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
    common_line_docs: int = 20  # a line (digits masked) in this many documents is site chrome ...
    min_shared_content: float = 0.1  # ... and a pair sharing less than this besides such lines ...
    sure_estimate: float = 0.5  # ... and estimated under this is dropped before verification
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


# -- the cheap check before verification: content shared besides the corpus's chrome ----------------

_DIGIT_RUN = re.compile(r"[0-9０-９]+")


def line_keys(text: str) -> set[int]:
    """One key per line with at least four content characters, digits masked (a site's chrome line
    with its date and counter gets the same key on every page)."""
    return {k for line in text.split("\n") if (k := _line_key(line)) is not None}


def common_lines(counts: dict[int, int], config: ClusterConfig) -> frozenset[int]:
    """Line keys held by at least ``common_line_docs`` documents: the corpus's chrome."""
    return frozenset(k for k, n in counts.items() if n >= config.common_line_docs)


def shared_content(a: str, b: str, common: frozenset[int]) -> float:
    """Share of the smaller text's content 4-grams found in the other, leaving out common lines."""

    def grams(text: str) -> set[str]:
        kept = [line for line in text.split("\n") if not common or _line_key(line) not in common]
        return content_grams("\n".join(kept))

    ga, gb = grams(a), grams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / min(len(ga), len(gb))


def _line_key(line: str) -> int | None:
    body = _NON_WORD.sub("", _DIGIT_RUN.sub("#", line)).lower()
    return zlib.crc32(body.encode("utf-8")) if len(body) >= 4 else None


def worth_verifying(estimate: float, a: str, b: str, common: frozenset[int], config: ClusterConfig) -> bool:
    """A candidate goes on to verification when its estimate is sure, or when the two texts share
    content besides the corpus's chrome lines (pairs of one site's pages share only those)."""
    return estimate >= config.sure_estimate or shared_content(a, b, common) >= config.min_shared_content


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
    runs = _insert_runs(report)
    for k, f in enumerate(report.findings):
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
            if runs.get(k, n) <= cfg.short_insert or f.get("reason") == "editorial cue":
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


def _insert_runs(report: Report) -> dict[int, int]:
    """For each ``inserted`` finding (by index), the length of the run of adjacent insertions (and
    chrome) it belongs to (only white space or punctuation between them): a lost paragraph reported
    sentence by sentence is one long insertion, not several short notes."""
    spans = sorted(
        (f.suspect_span.start, f.suspect_span.end, k)
        for k, f in enumerate(report.findings)
        if f.type in (FindingType.INSERTED, FindingType.BOILERPLATE) and f.suspect_span is not None and f.get("reason") != "editorial cue"
    )
    text = report.suspect.text
    out: dict[int, int] = {}
    run: list[tuple[int, int, int]] = []

    def close() -> None:
        if run:
            length = sum(e - s for s, e, _ in run)
            for _, _, k in run:
                out[k] = length

    for start, end, k in spans:
        if run and _NON_WORD.fullmatch(text[run[-1][1] : start] or " ") is None:
            close()
            run = []
        run.append((start, end, k))
    close()
    return out


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


# -- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Naming:
    original: str
    reason: str
    evidence: tuple[tuple[str, float], ...]  # member -> summed direction score, best first


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
