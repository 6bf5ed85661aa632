"""Sentence alignment of a suspect to its source, and unit diffs inside aligned pairs.

Similarity of two sentences is rapidfuzz's normalized Indel similarity over their *key units*
(:mod:`provcheck.text.segment` units without the most common function characters and words), so a spun
sentence that keeps its names, places and figures still scores well above an unrelated one.
Pairs are chosen by a Viterbi pass over the suspect's sentences: each sentence either aligns to a
source sentence or stays unaligned; moving on in source order earns a bonus and jumping costs a
penalty, so dropped, reordered and inserted sentences are handled without greedy first matches.
A second pass merges neighbours into 1-n, n-1 groups (merged and split sentences). This is the only
module importing rapidfuzz; all scores it returns are in [0, 1].
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel, LCSseq

from provcheck.errors import InputError
from provcheck.model import AlignedPair, Alignment, Segmented
from provcheck.text.segment import unit_code

__all__ = ["AlignConfig", "DiffOp", "align", "common_subsequence", "diff", "sentence_keys", "similarity"]

# Function characters and words that every text shares; left out of alignment similarity only.
_STOP = frozenset(
    "的了和是在有也就都而及与或等之其这那为以于上下中个们我你他她它此该将被把对从向到并且但如"
    + "".join(
        unit_code(w)
        for w in (
            "the a an of to in on at is are was were be been and or for with as by that this it its "
            "from which who has have had not but their they he she we you his her them our will would can "
            "could into than then also there these those such so if about"
        ).split()
    )
)


@dataclass(frozen=True, slots=True)
class AlignConfig:
    threshold: float = 0.32  # key-unit similarity at which a sentence pair is even odds
    floor: float = 0.2  # below this a pair never aligns, whatever the order says
    seq_bonus: float = 0.15  # source order continues (j -> j+1)
    skip_bonus: float = 0.08  # a few source sentences dropped (j -> j+2..j+4)
    stay_bonus: float = 0.0  # a source sentence split over two suspect sentences
    jump_penalty: float = 0.35  # reordering
    weight_units: int = 12  # a sentence of this many key units weighs 1
    max_weight: float = 4.0
    merge_gain: float = 0.02  # a neighbour joins a pair if the pair's similarity rises by this
    max_cells: int = 16_000_000  # sentence pairs scored at most (memory ~ 12 bytes each)
    dense_units: int = (
        2_500_000_000  # above this product of the two texts' key units, score only likely pairs
    )
    candidates: int = 8  # sparse: source sentences scored per suspect sentence, besides its diagonal band
    moved: float = 0.6  # an unaligned sentence this similar to a source passage was moved, not inserted


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One diff operation over unit strings: ``tag`` in equal/replace/insert/delete; ``a`` indexes
    the source units and ``b`` the suspect units."""

    tag: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int


_STOP_TABLE = dict.fromkeys(map(ord, _STOP))


def key_units(units: str) -> str:
    """Units less the function characters and words every text shares."""
    return units.translate(_STOP_TABLE)


def similarity(a: str, b: str) -> float:
    """Indel similarity of two unit strings in [0, 1]."""
    if not a and not b:
        return 1.0
    return float(Indel.normalized_similarity(a, b))


def common_subsequence(a: str, b: str) -> int:
    """Length of the longest common subsequence of two unit strings (the units both hold in the
    same order, gaps allowed)."""
    return int(LCSseq.similarity(a, b))


def diff(a: Sequence[str], b: Sequence[str]) -> list[DiffOp]:
    """Diff of source ``a`` against suspect ``b``: strings (character by character) or lists of
    tokens (a Levenshtein alignment, so a changed unit shows as ``replace`` rather than delete plus
    insert)."""
    from rapidfuzz.distance import Levenshtein

    return [
        DiffOp(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Levenshtein.opcodes(a, b)
    ]


def sentence_keys(doc: Segmented) -> list[str]:
    """:func:`key_units` of each sentence of ``doc``."""
    return [key_units(s.units) for s in doc.sentences]


def align(
    source: Segmented,
    suspect: Segmented,
    config: AlignConfig | None = None,
    keys: Callable[[Segmented], list[str]] = sentence_keys,
) -> Alignment:
    """Align the suspect's sentences to the source's. ``keys``: :func:`sentence_keys`, or a memo of
    it for a caller that compares a document many times."""
    cfg = config or AlignConfig()
    src_keys = keys(source)
    sus_keys = keys(suspect)
    n, m = len(sus_keys), len(src_keys)
    if n == 0 or m == 0:
        return Alignment((), tuple(range(m)), tuple(range(n)))
    if n * m > cfg.max_cells:
        raise InputError(
            f"{suspect.doc.id} ({n} sentences) against {source.doc.id} ({m} sentences) is too large to align; "
            "split the documents or raise align.max_cells"
        )
    if sum(map(len, sus_keys)) * sum(map(len, src_keys)) > cfg.dense_units:
        sim = _sparse_similarity(sus_keys, src_keys, cfg)
    else:
        sim = process.cdist(sus_keys, src_keys, scorer=fuzz.ratio, dtype=np.float32) / 100.0
    # Empty key strings (a line of punctuation) never align.
    sim[[i for i, k in enumerate(sus_keys) if not k], :] = 0.0
    sim[:, [j for j, k in enumerate(src_keys) if not k]] = 0.0
    assign = _viterbi(sim, [len(k) for k in sus_keys], cfg)
    groups = _group(assign, source, suspect, src_keys, sus_keys, cfg)
    groups += _moved(assign, sim, src_keys, sus_keys, cfg)
    candidates = [
        AlignedPair(
            src, sus, similarity("".join(src_keys[j] for j in src), "".join(sus_keys[i] for i in sus))
        )
        for src, sus in groups
    ]
    pairs = _dedupe(candidates)
    repeated = tuple(sorted({i for p in candidates if p not in pairs for i in p.suspect}))
    used_src = {j for p in pairs for j in p.source}
    used_sus = {i for p in pairs for i in p.suspect}
    return Alignment(
        pairs,
        tuple(j for j in range(m) if j not in used_src),
        tuple(i for i in range(n) if i not in used_sus),
        repeated,
    )


def _shingles(keys: str, modulus: int) -> set[str]:
    """Key-unit 4-grams of one sentence, a deterministic 1-in-``modulus`` sample of them."""
    grams = {keys[p : p + 4] for p in range(len(keys) - 3)} or ({keys} if keys else set())
    if modulus == 1:
        return grams
    return {g for g in grams if sum(map(ord, g)) % modulus == 0}


def _sparse_similarity(sus_keys: list[str], src_keys: list[str], cfg: AlignConfig) -> np.ndarray:
    """The similarity matrix with only likely pairs scored, for long documents: each suspect
    sentence against the ``cfg.candidates`` source sentences sharing the most key-unit 4-grams
    (4-grams in many sentences left out) and against the three around its proportional position
    (the diagonal, where an in-order copy lies). Work is linear in the text length: a bounded number
    of bounded sentences per sentence, as long sentences are cut by the segmenter. (Dense scoring
    costs the product of the two lengths; it is used below ``cfg.dense_units``, which every
    article-sized pair is.)"""
    n, m = len(sus_keys), len(src_keys)
    sim = np.zeros((n, m), dtype=np.float32)
    total = sum(map(len, src_keys)) + sum(map(len, sus_keys))
    modulus = max(1, total // 400_000)  # about 200 000 sampled 4-grams a side, whatever the length
    postings: dict[str, list[int]] = {}
    for j, k in enumerate(src_keys):
        for g in _shingles(k, modulus):
            postings.setdefault(g, []).append(j)
    cap = 4 * cfg.candidates
    for i, k in enumerate(sus_keys):
        if not k:
            continue
        hits: Counter[int] = Counter()
        for g in _shingles(k, modulus):
            found = postings.get(g)
            if found is not None and len(found) <= cap:
                hits.update(found)
        centre = i * m // n
        cols = sorted(
            {j for j, _ in hits.most_common(cfg.candidates)}
            | set(range(max(0, centre - 1), min(m, centre + 2)))
        )
        scores = process.cdist([k], [src_keys[j] for j in cols], scorer=fuzz.ratio, dtype=np.float32)
        sim[i, cols] = scores[0] / 100.0
    return sim


def _dedupe(pairs: list[AlignedPair]) -> tuple[AlignedPair, ...]:
    """A source sentence reproduced twice (a title repeated in a page footer) stays with its best
    match; the other suspect sentences become unaligned."""
    best: dict[int, tuple[float, int]] = {}
    for k, p in enumerate(pairs):
        for j in p.source:
            if j not in best or p.score > best[j][0]:
                best[j] = (p.score, k)
    return tuple(p for k, p in enumerate(pairs) if all(best[j][1] == k for j in p.source))


def _viterbi(sim: np.ndarray, lengths: list[int], cfg: AlignConfig) -> list[int]:
    """Best assignment of each suspect sentence to a source sentence or -1.

    State ``(j, aligned)``: the last aligned source sentence is ``j``; index ``m`` stands for "none
    yet". Unaligned sentences keep the position, so an inserted sentence does not break the chain.
    """
    n, m = sim.shape
    neg = -1e9
    weights = np.minimum(np.array(lengths, dtype=np.float64) / cfg.weight_units, cfg.max_weight)
    # pos[j]: best score whose last aligned source sentence is j (m = none yet)
    pos = np.full(m + 1, neg)
    pos[m] = 0.0
    back_al = np.zeros((n, m), dtype=np.int64)  # for aligned at (i, j): previous position
    came_aligned = np.zeros((n, m + 1), dtype=bool)
    idx = np.arange(m)
    sim64 = sim.astype(np.float64)
    # Bonuses scale with the sentence's weight, so order never carries a pair without evidence.
    emits = np.where(sim64 >= cfg.floor, weights[:, None] * (sim64 - cfg.threshold), neg)
    # The predecessors of aligning i -> j, in order of preference on a tie: the best position
    # anywhere (a jump), "none yet" (no penalty wherever the copy starts), j-1 -> j, j -> j (a
    # split), and skips of 2, 3 and 4 source sentences. Row r of `origin` is where each comes from.
    skips = [k for k in (2, 3, 4) if k < m]
    origin = np.stack([idx, np.full(m, m), idx - 1, idx, *(idx - k for k in skips)])
    opts = np.empty((4 + len(skips), m))
    # each sentence's bonuses and penalty, computed for all at once (the same products)
    jumps, seqs = weights * cfg.jump_penalty, weights * cfg.seq_bonus
    stays, skip_bonus = weights * cfg.stay_bonus, weights * cfg.skip_bonus
    placed = pos[:m]  # a view: positions are updated in place
    flat_opts, flat_origin = opts.reshape(-1), origin.reshape(-1)  # views (both C-contiguous), to gather
    for i in range(n):
        best_any = int(np.argmax(pos))
        opts[0] = pos[best_any] - jumps[i]
        origin[0] = best_any
        opts[1] = pos[m]
        opts[2, 0] = neg + seqs[i]
        np.add(pos[: m - 1], seqs[i], out=opts[2, 1:])
        np.add(placed, stays[i], out=opts[3])
        for r, k in enumerate(skips, 4):
            opts[r, :k] = neg + skip_bonus[i]
            np.add(pos[: m - k], skip_bonus[i], out=opts[r, k:])
        choice = np.argmax(opts, axis=0)  # the first best, as a strict comparison in that order keeps
        chosen = choice * m + idx
        aligned = flat_opts.take(chosen)
        aligned += emits[i]
        flat_origin.take(chosen, out=back_al[i])
        # Staying unaligned keeps every position as it is.
        took = came_aligned[i, :m]
        np.greater(aligned, placed, out=took)
        np.copyto(placed, aligned, where=took)
    # Backtrack.
    assign = [-1] * n
    j = int(np.argmax(pos))
    for i in range(n - 1, -1, -1):
        if j < m and came_aligned[i, j]:
            assign[i] = j
            j = int(back_al[i, j])
        # else: sentence i unaligned, position j unchanged
    return assign


def _moved(
    assign: list[int], sim: np.ndarray, src_keys: list[str], sus_keys: list[str], cfg: AlignConfig
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Body sentences (between the first and last aligned ones) the order pass left unaligned
    although they read as a source passage: a paragraph moved elsewhere in the body (or two source
    sentences merged into one), too far from the order for its similarity to pay the jump. A line
    before or after the body (a footer quoting the source's title) is not moved text. Each takes its best run of up to three source sentences when that
    run is at least ``cfg.moved`` similar; a source sentence claimed twice stays with its best pair
    (:func:`_dedupe`)."""
    out: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    m = len(src_keys)
    placed = [i for i, j in enumerate(assign) if j >= 0]
    if not placed:
        return out
    for i in range(placed[0] + 1, placed[-1]):
        if assign[i] >= 0 or not sus_keys[i]:
            continue
        best = int(np.argmax(sim[i]))
        if sim[i, best] < cfg.floor:
            continue
        run: tuple[int, ...] = (best,)
        score = float(sim[i, best])
        for lo in range(max(0, best - 2), best + 1):
            for hi in range(best + 1, min(m, lo + 3) + 1):
                trial = tuple(range(lo, hi))
                s = similarity("".join(src_keys[k] for k in trial), sus_keys[i])
                if s > score:
                    run, score = trial, s
        if score >= cfg.moved:
            out.append((run, (i,)))
    return out


def _grow(
    members: list[int],
    used: set[int],
    keys: list[str],
    score: Callable[[list[int], list[int]], float],
    other: list[int],
    members_are_source: bool,
    needed: float,
) -> bool:
    """Add the first free neighbour of ``members`` whose joining lifts the pair's score above
    ``needed`` (in place); return whether one joined."""
    for cand in (members[0] - 1, members[-1] + 1):
        if 0 <= cand < len(keys) and cand not in used and keys[cand]:
            trial = sorted([*members, cand])
            if (score(trial, other) if members_are_source else score(other, trial)) > needed:
                members[:] = trial
                used.add(cand)
                return True
    return False


def _group(
    assign: list[int],
    source: Segmented,
    suspect: Segmented,
    src_keys: list[str],
    sus_keys: list[str],
    cfg: AlignConfig,
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Turn the assignment into groups, merging neighbours that raise a group's similarity."""
    groups: list[tuple[list[int], list[int]]] = []
    for i, j in enumerate(assign):
        if j < 0:
            continue
        if groups and groups[-1][0][-1] == j and groups[-1][1][-1] == i - 1:
            groups[-1][1].append(i)  # one source sentence split over consecutive suspect sentences
        else:
            groups.append(([j], [i]))
    used_src = {j for g in groups for j in g[0]}
    used_sus = {i for g in groups for i in g[1]}

    def score(src: list[int], sus: list[int]) -> float:
        return similarity("".join(src_keys[j] for j in src), "".join(sus_keys[i] for i in sus))

    for src, sus in groups:
        base = score(src, sus)
        changed = True
        while changed:
            # Try each side's neighbours in turn: a source sentence merged into this suspect
            # sentence, or the rest of a suspect sentence split over two lines.
            grown_src = _grow(src, used_src, src_keys, score, sus, True, base + cfg.merge_gain)
            if grown_src:
                base = score(src, sus)
            grown_sus = _grow(sus, used_sus, sus_keys, score, src, False, base + cfg.merge_gain)
            if grown_sus:
                base = score(src, sus)
            changed = grown_src or grown_sus
    return [(tuple(src), tuple(sus)) for src, sus in groups]
