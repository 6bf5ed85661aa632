"""Passage fingerprints: winnowed k-gram keys that find a document from any passage it shares.

A MinHash signature summarizes a whole text, so a short passage lifted into another text barely moves
it. Winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003; the method behind MOSS) keeps, of every
window of ``w`` consecutive k-gram hashes, the smallest. Any two texts that share a run of at least
``w + k - 1`` units share that run's windows, and so at least one kept hash: a shared passage is found
by construction, not by chance. About ``2 / (w + 1)`` of the k-grams are kept.

Two kinds of key, over the same units the whole-text fingerprint uses
(:class:`~provcheck.archive.fingerprint.Fingerprinter`: NFKC, traditional to simplified, lower case,
punctuation and white space dropped, page-chrome lines left out):

``char``
    k-grams of content characters (``char_k``, window ``char_w``): with the defaults every verbatim
    shared run of 31 content characters shares a key.
``skel``
    k-grams of the rare-token skeleton (``skel_k`` words, window ``skel_w``): a spinner swaps common
    words for synonyms, so the names, places and figures of a lightly spun passage still line up.

Keys are signed 64-bit integers (the kind is mixed in, so the two kinds never meet, and kept in the
lowest bit, :func:`key_kinds`), ready for an
SQLite ``INTEGER`` column; :class:`~provcheck.archive.store.Store` keeps them per document and
:meth:`provcheck.archive.index.Index.candidates` looks them up.

>>> p = Passager()
>>> text = "国家统计局今天发布数据，一九九七年全国粮食总产量达到四千九百多亿公斤，比上年略有增长。"
>>> host = "这是一段完全无关的开头文字。" + text[:40] + "这是结尾。"
>>> shared = set(p.keys(text)) & set(p.keys(host))
>>> len(shared) > 0
True
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import asdict, dataclass

import numpy as np

from provcheck.archive.fingerprint import Fingerprinter, Item

__all__ = [
    "PassageConfig",
    "Passager",
    "key_kinds",
    "keys_from_bytes",
    "keys_to_bytes",
    "split_lines",
    "winnow",
]

_KIND_SALT = {"char": np.uint64(0x9E3779B97F4A7C15), "skel": np.uint64(0xC2B2AE3D27D4EB4F)}
_MUL = np.uint64(0x100000001B3)
_ONE = np.uint64(1)  # the lowest bit of a key tells its kind: 0 char, 1 skel (see key_kinds)


@dataclass(frozen=True, slots=True)
class PassageConfig:
    """Winnowing parameters; an index stores :meth:`digest` and refuses to mix parameter sets."""

    char_k: int = 8  # content characters per hashed k-gram
    char_w: int = 16  # window: a shared run of char_k + char_w - 1 (23) characters always shares a key
    skel_k: int = 3  # skeleton words per hashed k-gram
    skel_w: int = 3  # window: a shared run of skel_k + skel_w - 1 (5) skeleton words shares a key
    max_key_docs: int = 50  # at query time, keys held by more documents are ignored (stock phrases)
    min_keys: int = 2  # a passage candidate shares at least this many keys of one kind with the query
    shortlist: int = 50  # passage candidates scored per query, most shared keys first
    min_run: int = 13  # verbatim overlap counts runs of at least this many characters (CNKI's rule)

    def __post_init__(self) -> None:
        if min(self.char_k, self.char_w, self.skel_k, self.skel_w, self.max_key_docs, self.min_keys) < 1:
            raise ValueError("passage k, w, max_key_docs and min_keys must be positive")
        if self.min_run < self.char_k:
            raise ValueError("passage min_run must be at least char_k")
        if self.shortlist < 0:
            raise ValueError("passage shortlist must be >= 0")

    def digest(self) -> str:
        """Names the parameters that decide the stored keys (not the query-time ones)."""
        stored = {k: v for k, v in asdict(self).items() if k in ("char_k", "char_w", "skel_k", "skel_w")}
        return "pw2-" + hashlib.sha1(repr(sorted(stored.items())).encode()).hexdigest()[:12]


def _mix64(h: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer: spreads every input bit over the output (uint64, wrapping)."""
    with np.errstate(over="ignore"):
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        out: np.ndarray = h ^ (h >> np.uint64(31))
    return out


def _kgram_hashes(units: np.ndarray, k: int, kind: str) -> np.ndarray:
    """A 64-bit hash of every k-gram of ``units`` (``uint32``); one k-gram when the text is shorter."""
    if len(units) == 0:
        return np.zeros(0, dtype=np.uint64)
    k = min(k, len(units))
    count = len(units) - k + 1
    u = units.astype(np.uint64)
    h = np.full(count, _KIND_SALT[kind], dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = (h ^ u[j : j + count]) * _MUL
    return _mix64(h)


def winnow(hashes: np.ndarray, w: int) -> np.ndarray:
    """The distinct hashes winnowing keeps: the minimum of every window of ``w`` consecutive hashes
    (the leftmost on ties; the whole sequence is one window when shorter). Sorted, ``uint64``.

    >>> winnow(np.array([5, 3, 9, 4, 8, 1, 7], dtype=np.uint64), 3).tolist()
    [1, 3, 4]
    """
    if len(hashes) == 0:
        return hashes
    if len(hashes) <= w:
        return np.unique(hashes[np.argmin(hashes)])
    windows = np.lib.stride_tricks.sliding_window_view(hashes, w)
    picked = np.argmin(windows, axis=1) + np.arange(len(windows))
    return np.unique(hashes[picked])


def key_kinds(keys: np.ndarray) -> np.ndarray:
    """0 for a ``char`` key, 1 for a ``skel`` key (``int64`` keys as stored)."""
    out: np.ndarray = keys & 1
    return out


def keys_to_bytes(keys: np.ndarray) -> bytes:
    return keys.astype("<i8").tobytes()


def keys_from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<i8").astype(np.int64)


class Passager:
    """Computes passage keys with a :class:`Fingerprinter`'s normalization, chrome filter and
    skeleton (pass the index's, so both see the same text)."""

    def __init__(
        self, config: PassageConfig | None = None, fingerprinter: Fingerprinter | None = None
    ) -> None:
        self.config = config or PassageConfig()
        self.fingerprinter = fingerprinter or Fingerprinter()

    def lines(self, item: Item) -> list[str]:
        """The content characters of each kept line (normalized, chrome lines left out)."""
        fpr = self.fingerprinter
        return fpr._content_lines(fpr._text(item))

    def content(self, item: Item) -> str:
        """The content characters the ``char`` keys are taken from, lines joined."""
        return "".join(self.lines(item))

    def shared_chars(self, query: str, other: str, anchors: set[int] | None = None) -> int:
        """How many content characters of ``query`` lie in runs of at least ``min_run`` characters
        made of ``char_k``-grams that ``other`` holds too (both from :meth:`content`): the verbatim
        overlap, as a checker counts it. With ``anchors`` (character keys), only runs holding the
        k-gram of one of those keys count.

        >>> p = Passager()
        >>> p.shared_chars("甲乙丙丁" + "一九九七年全国粮食总产量达到四千九百多亿公斤" + "戊己", "总产量达到四千九百多亿公斤。一九九七年全国粮食")
        22
        """
        cfg = self.config
        a = np.frombuffer(query.encode("utf-32-le"), dtype=np.uint32)
        b = np.frombuffer(other.encode("utf-32-le"), dtype=np.uint32)
        if min(len(a), len(b)) < cfg.char_k or (anchors is not None and not anchors):
            return 0
        ha = _kgram_hashes(a, cfg.char_k, "char")
        hit = np.isin(ha, _kgram_hashes(b, cfg.char_k, "char"))
        covered = np.convolve(hit.astype(np.int32), np.ones(cfg.char_k, dtype=np.int32))[: len(a)] > 0
        marked = np.ones(len(a), dtype=bool)
        if anchors is not None:
            marked[:] = False
            keys = (ha & ~_ONE).view(np.int64)
            marked[: len(keys)] = np.isin(keys, np.fromiter(anchors, dtype=np.int64))
        edges = np.flatnonzero(np.diff(np.concatenate(([0], covered.astype(np.int8), [0]))))
        return sum(
            int(hi - lo)
            for lo, hi in zip(edges[::2], edges[1::2], strict=True)
            if hi - lo >= cfg.min_run and marked[lo:hi].any()
        )

    def runs(self, query: np.ndarray, other: np.ndarray) -> np.ndarray:
        """For each unit of ``query`` (``uint32`` code points), the position in ``other`` of the same
        unit when it lies in a verbatim run of at least ``min_run`` units shared with ``other`` (made
        of shared ``char_k``-grams), else -1. Where the text recurs in ``other``, each stretch is
        placed at the occurrence that continues it furthest (the first such on ties)."""
        cfg = self.config
        out = np.full(len(query), -1, dtype=np.int64)
        if min(len(query), len(other)) < cfg.char_k:
            return out
        ha = _kgram_hashes(query, cfg.char_k, "char")
        hb = _kgram_hashes(other, cfg.char_k, "char")
        hit = np.isin(ha, hb)
        covered = np.convolve(hit.astype(np.int32), np.ones(cfg.char_k, dtype=np.int32))[: len(query)] > 0
        edges = np.flatnonzero(np.diff(np.concatenate(([0], covered.astype(np.int8), [0]))))
        spans = [(lo, hi) for lo, hi in zip(edges[::2], edges[1::2], strict=True) if hi - lo >= cfg.min_run]
        if not spans:
            return out
        where: dict[int, list[int]] = {}
        for pos, h in enumerate(hb.tolist()):
            where.setdefault(h, []).append(pos)
        q, o = query.tolist(), other.tolist()

        def reach(i: int, p: int, hi: int) -> int:
            n = 0
            while i + n < hi and p + n < len(o) and q[i + n] == o[p + n]:
                n += 1
            return n

        for lo, hi in spans:
            i = int(lo)
            while i < hi:
                # anchor on a shared k-gram that covers unit i, at its occurrence reaching furthest
                best_p, best_n = -1, 0
                for j in range(max(int(lo), i - cfg.char_k + 1), min(i, len(ha) - 1) + 1):
                    if hit[j]:
                        for p in where.get(int(ha[j]), ()):
                            n = reach(i, p + (i - j), int(hi))
                            if n > best_n:
                                best_p, best_n = p + (i - j), n
                if best_n == 0:
                    i += 1
                    continue
                out[i : i + best_n] = np.arange(best_p, best_p + best_n)
                i += best_n
        return out

    def keys(self, item: Item) -> np.ndarray:
        """Sorted distinct ``int64`` keys of both kinds for a text, Document or normalized text."""
        return self.keys_of(self.fingerprinter._prepared(item))

    def keys_of(self, prepared: tuple[str, list[str]]) -> np.ndarray:
        """:meth:`keys` from what the fingerprinter's ``_prepared`` returned (content lines joined
        by "\n", skeleton words): the index normalizes a document once for both fingerprints."""
        return self.keys_prepared(split_lines(prepared[0]), prepared[1])

    def keys_many(self, prepared: list[tuple[str, list[str]]]) -> list[np.ndarray]:
        """:meth:`keys_of` of many documents at once (the same keys): the lines of all documents
        are hashed and winnowed in one array pass per kind, which saves the fixed cost of some
        hundred small array operations a document."""
        cfg = self.config
        lines = [split_lines(content) for content, _ in prepared]
        flat = [line for doc in lines for line in doc]
        values: list[np.ndarray] = []
        docs: list[np.ndarray] = []
        if flat:
            units = np.frombuffer("".join(flat).encode("utf-32-le"), dtype=np.uint32)
            ends = np.cumsum([len(x) for x in flat])
            v, seg = _winnow_tagged(units, ends, cfg.char_k, cfg.char_w, "char")
            values.append(v & ~_ONE)
            docs.append(_segment_docs([len(doc) for doc in lines])[seg])
        skeletons = [skel for _, skel in prepared]
        if any(skeletons):
            hashes = np.concatenate([self.fingerprinter._token_hashes(skel) for skel in skeletons])
            runs = [
                [hi for _, hi in _line_runs(doc, skel)] if skel else []
                for doc, skel in zip(lines, skeletons, strict=True)
            ]
            offsets = np.repeat(np.cumsum([0] + [len(x) for x in skeletons[:-1]]), [len(r) for r in runs])
            ends = np.array([hi for r in runs for hi in r], dtype=np.int64) + offsets
            v, seg = _winnow_tagged(hashes, ends, cfg.skel_k, cfg.skel_w, "skel")
            values.append(v | _ONE)
            docs.append(_segment_docs([len(r) for r in runs])[seg])
        if not values:
            return [np.zeros(0, dtype=np.int64) for _ in prepared]
        value, doc = np.concatenate(values), np.concatenate(docs)
        order = np.lexsort((value, doc))
        value, doc = value[order], doc[order]
        fresh = np.ones(len(value), dtype=bool)
        fresh[1:] = (value[1:] != value[:-1]) | (doc[1:] != doc[:-1])
        value, doc = value[fresh], doc[fresh]
        cuts = np.searchsorted(doc, np.arange(len(prepared) + 1))
        keys = value.view(np.int64)
        return [keys[lo:hi] for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True)]

    def keys_prepared(self, lines: list[str], skeleton: list[str]) -> np.ndarray:
        """:meth:`keys` from the content lines and the skeleton words the fingerprinter made of them.

        Each line is winnowed on its own, so a window never straddles two lines: page chrome,
        identical on every page of a site, then yields identical keys on every page, which the
        query drops as too common, instead of a few keys that differ with the neighbouring text.
        All lines are hashed and winnowed in one pass (:func:`_winnow_segments`)."""
        cfg = self.config
        parts = []
        if lines:
            units = np.frombuffer("".join(lines).encode("utf-32-le"), dtype=np.uint32)
            ends = np.cumsum([len(x) for x in lines])
            parts.append(_winnow_segments(units, ends, cfg.char_k, cfg.char_w, "char", False) & ~_ONE)
        if skeleton:
            hashes = self.fingerprinter._token_hashes(skeleton)
            ends = np.array([hi for _, hi in _line_runs(lines, skeleton)], dtype=np.int64)
            parts.append(_winnow_segments(hashes, ends, cfg.skel_k, cfg.skel_w, "skel", False) | _ONE)
        if not parts:
            return np.zeros(0, dtype=np.int64)
        out: np.ndarray = _distinct(np.concatenate(parts)).view(np.int64)
        return out


def _segment_docs(counts: list[int]) -> np.ndarray:
    """The document of each segment, for documents of ``counts`` segments each."""
    return np.repeat(np.arange(len(counts), dtype=np.int64), counts)


def split_lines(content: str) -> list[str]:
    """The content lines of a fingerprinter's prepared content (lines joined by "\n")."""
    return [line for line in content.split("\n") if line]


def _window_min(values: np.ndarray, w: int) -> np.ndarray:
    """The minimum of every window of ``w`` consecutive values (``len(values) - w + 1`` of them),
    by doubling: O(n log w) vector operations instead of one Python-level window each."""
    out = values
    span = 1
    while span * 2 <= w:
        out = np.minimum(out[:-span], out[span:])
        span *= 2
    if span < w:  # the windows of w values: two overlapping windows of span values
        out = np.minimum(out[: len(values) - w + 1], out[w - span : w - span + len(values) - w + 1])
    return out


def _distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting: cheaper than numpy's hash-based unique on arrays this small."""
    out = np.sort(values)
    if len(out) < 2:
        return out
    kept: np.ndarray = out[np.concatenate(([True], out[1:] != out[:-1]))]
    return kept


def _winnow_segments(
    units: np.ndarray, ends: np.ndarray, k: int, w: int, kind: str, distinct: bool = True
) -> np.ndarray:
    """:func:`winnow` of the ``k``-gram hashes of each segment of ``units`` on its own (segments end
    at ``ends``, cumulative), as one array pass: the k-grams of the whole sequence are hashed once,
    those straddling two segments left out, and every window of ``w`` hashes inside one segment
    gives its minimum (a segment of at most ``w`` k-grams gives one; a segment shorter than ``k``
    is hashed whole as one k-gram, as :func:`_kgram_hashes` does). Distinct values, ``uint64``
    (``distinct=False``: the same values, some maybe repeated, in no order)."""
    values = _winnow_tagged(units, ends, k, w, kind)[0]
    return _distinct(values) if distinct else values


def _winnow_tagged(
    units: np.ndarray, ends: np.ndarray, k: int, w: int, kind: str
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_winnow_segments` without the distinct step, with the segment (index into ``ends``)
    each value comes from: the segments of many documents are winnowed in one pass."""
    starts = np.concatenate(([0], ends[:-1])).astype(np.int64)
    lengths = ends - starts
    seg = np.flatnonzero(lengths > 0)
    starts, lengths = starts[seg], lengths[seg]
    picked: list[np.ndarray] = []
    owner: list[np.ndarray] = []
    short = lengths < k
    if short.any():  # one k-gram each, all hashed together: unit j of a segment counts if j < length
        los, lens = starts[short], lengths[short]
        h = np.full(len(los), _KIND_SALT[kind], dtype=np.uint64)
        with np.errstate(over="ignore"):
            for j in range(int(lens.max())):
                u = units[np.minimum(los + j, len(units) - 1)].astype(np.uint64)
                h = np.where(lens > j, (h ^ u) * _MUL, h)
        picked.append(_mix64(h))
        owner.append(seg[short])
    starts, lengths, seg = starts[~short], lengths[~short], seg[~short]
    if len(starts):
        hashes = _kgram_hashes(units, k, kind)  # one per start position; those of a segment are
        counts = lengths - k + 1  # hashes[start : start + count]
        few = counts <= w
        if few.any():  # one minimum each: reduce over [lo, lo + n), the ends' values discarded
            bounds = np.empty(2 * int(few.sum()), dtype=np.int64)
            bounds[0::2] = starts[few]
            bounds[1::2] = bounds[0::2] + counts[few]
            padded = np.append(hashes, hashes[:1])  # an end may be len(hashes): reduceat needs < len
            picked.append(np.minimum.reduceat(padded, bounds)[::2])
            owner.append(seg[few])
        many_starts, many_counts, many_seg = starts[~few], counts[~few], seg[~few]
        if len(many_starts):
            minima = _window_min(hashes, w)  # window t covers hashes[t : t + w]
            inside = np.zeros(len(minima) + 1, dtype=np.int32)  # windows wholly inside a segment
            inside[many_starts] += 1  # segments have distinct starts, and distinct ends
            inside[many_starts + many_counts - w + 1] -= 1
            at = np.flatnonzero(np.cumsum(inside[:-1]) > 0)
            picked.append(minima[at])
            owner.append(many_seg[np.searchsorted(many_starts, at, side="right") - 1])
    if not picked:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return np.concatenate(picked), np.concatenate(owner)


def _line_runs(lines: list[str], tokens: list[str]) -> list[tuple[int, int]]:
    """``[lo, hi)`` ranges of ``tokens`` (words cut from the lines, in order, some left out) that lie
    on one line each."""
    ends = list(itertools.accumulate(len(x) for x in lines))
    last = len(ends) - 1
    if last <= 0:  # one line: one run
        return [(0, len(tokens))]
    find = "".join(lines).find
    runs: list[tuple[int, int]] = []
    cursor = line = lo = 0
    bound = ends[0]  # where the current line ends (the last line: never)
    for i, tok in enumerate(tokens):
        at = find(tok, cursor)
        if at < 0:  # not found in order (should not happen): keep it on the current line
            continue
        cursor = at + len(tok)
        if at >= bound:  # on a later line: one comparison a token instead of the loop's test
            while line < last and at >= ends[line]:
                line += 1
                if i > lo:
                    runs.append((lo, i))
                lo = i
            bound = ends[line] if line < last else ends[-1] + 1  # past any find on the last line
    runs.append((lo, len(tokens)))
    return runs
