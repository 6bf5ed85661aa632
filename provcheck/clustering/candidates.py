"""Candidate pairs: LSH band keys -> pairs (:func:`bucket_pairs`), signature estimates
(:func:`pair_estimates`), and the cheap check before verification: content shared besides the corpus's
chrome (:func:`worth_verifying`)."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from provcheck.clustering.config import ClusterConfig

__all__ = [
    "bucket_pairs",
    "chrome_lines",
    "common_lines",
    "content_grams",
    "line_key",
    "line_keys",
    "line_profile",
    "line_shares",
    "pair_estimates",
    "shared_content",
    "worth_verifying",
]


def bucket_pairs(
    keys: np.ndarray, owners: np.ndarray, config: ClusterConfig
) -> tuple[np.ndarray, np.ndarray]:
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


def pair_estimates(
    values: Sequence[np.ndarray], sizes: np.ndarray, pairs: np.ndarray, config: ClusterConfig
) -> np.ndarray:
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

_NON_WORD = re.compile(r"[\W_]+")


def content_grams(text: str, n: int = 4) -> set[str]:
    """Character n-grams of a text's content characters (punctuation and space dropped)."""
    t = _NON_WORD.sub("", text).lower()
    return {t[i : i + n] for i in range(len(t) - n + 1)}


_DIGIT_RUN = re.compile(r"[0-9０-９]+")


def line_keys(text: str) -> set[int]:
    """One key per line with at least four content characters, digits masked (a site's chrome line
    with its date and counter gets the same key on every page)."""
    return {k for line in text.split("\n") if (k := _line_key(line)) is not None}


def common_lines(counts: dict[int, int], config: ClusterConfig) -> frozenset[int]:
    """Line keys held by at least ``common_line_docs`` documents: the corpus's chrome."""
    return frozenset(k for k, n in counts.items() if n >= config.common_line_docs)


def line_profile(text: str) -> list[tuple[int, int]]:
    """``(key, content characters)`` of each line with a key (see :func:`line_keys`)."""
    out = []
    for line in text.split("\n"):
        body = _NON_WORD.sub("", _DIGIT_RUN.sub("#", line)).lower()
        if len(body) >= 4:
            out.append((zlib.crc32(body.encode("utf-8")), len(body)))
    return out


def line_shares(profile: Sequence[tuple[int, int]], common: frozenset[int]) -> list[tuple[int, float]]:
    """For each common line of one document: the share of the document's characters outside common
    lines (its own content). Site chrome sits on pages with content of their own; the lines of a
    story reprinted many times sit on pages that hold little else."""
    total = sum(n for _, n in profile)
    if not total:
        return []
    own = sum(n for k, n in profile if k not in common) / total
    return [(k, own) for k in {k for k, _ in profile if k in common}]


def chrome_lines(counts: dict[int, int], shares: dict[int, float], config: ClusterConfig) -> frozenset[int]:
    """Site chrome: lines held by at least ``common_line_docs`` documents whose pages hold on average
    at least ``chrome_share`` content of their own (``shares``: summed :func:`line_shares`)."""
    return frozenset(
        k
        for k, n in counts.items()
        if n >= config.common_line_docs and shares.get(k, 0.0) >= config.chrome_share * n
    )


def shared_content(a: str, b: str, common: frozenset[int]) -> float:
    """Share of the smaller text's content 4-grams found in the other, leaving out common lines."""

    ga, gb = _kept_grams(a, common), _kept_grams(b, common)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / min(len(ga), len(gb))


@lru_cache(maxsize=256)  # a document meets several candidates in a row
def _kept_grams(text: str, common: frozenset[int]) -> frozenset[str]:
    kept = [line for line in text.split("\n") if not common or _line_key(line) not in common]
    return frozenset(content_grams("\n".join(kept)))


def line_key(line: str) -> int | None:
    """The key of one line (digits masked), None for a line under four content characters."""
    return _line_key(line)


def _line_key(line: str) -> int | None:
    body = _NON_WORD.sub("", _DIGIT_RUN.sub("#", line)).lower()
    return zlib.crc32(body.encode("utf-8")) if len(body) >= 4 else None


def worth_verifying(estimate: float, a: str, b: str, common: frozenset[int], config: ClusterConfig) -> bool:
    """A candidate goes on to verification when its estimate is sure, or when the two texts share
    content besides the corpus's chrome lines (pairs of one site's pages share only those)."""
    return estimate >= config.sure_estimate or shared_content(a, b, common) >= config.min_shared_content
