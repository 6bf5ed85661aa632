"""Fingerprints: several MinHash signatures per document, robust to rewriting, and LSH band keys.

A spun copy shares few long shingles with its source, so one signature over long shingles misses it.
A :class:`Fingerprint` holds one :class:`Signature` per *kind* of feature:

``char``
    n-grams (``FingerprintConfig.char_ngram``, default 4) of the content *units* of the normalized text:
    each CJK character or digit is a unit, and so is each word of a script written with spaces (Latin,
    Greek, Cyrillic); punctuation and white space are dropped. Chinese text gets character 4-grams,
    English text word 4-grams (letter 4-grams such as "tion" are shared by every English text).
``skel``
    n-grams (``skel_ngram``, default 2) of the *rare-token skeleton*: words (jieba's dictionary via
    rjieba) whose dictionary frequency is below ``rare_freq``, plus every word with a digit; words of
    spaced scripts count as rare unless they are on the common-word list (``data/stopwords_en.txt``:
    jieba's dictionary has no frequencies for English). Spinners swap common words for synonyms;
    names, places and figures survive, so the skeleton survives too.

Page chrome is left out of both: lines with fewer than ``min_line_chars`` content characters
("返回列表"), menus (three or more short items between separators or spaces) and bare figures
(timestamps, counters), unless that would drop more than half of the text.

API
---
``FingerprintConfig``
    frozen settings; ``config.digest()`` names the parameter set (an index stores it and refuses to mix).
``Fingerprinter(config).fingerprint(item) -> Fingerprint``
    ``item`` is a :class:`~provcheck.model.NormText`, a :class:`~provcheck.model.Segmented`, a
    :class:`~provcheck.model.Document` or a ``str``. A ``Document`` or ``str`` is normalized first with
    the steps of :class:`~provcheck.text.normalize.NormalizeConfig` (NFKC, traditional to simplified, lower
    case; HTML documents are extracted), so traditional-script and full-width copies fingerprint like
    their source.
    ``Fingerprinter.features(item) -> dict[kind, list[shingle]]`` gives the shingles themselves
    (``str`` for ``char``, ``tuple[str, ...]`` for ``skel``).
``Fingerprint``
    ``signatures`` (one per kind, in config order), ``length`` (content characters);
    ``fp[kind]`` returns that kind's :class:`Signature`.
``Signature(kind, values, size)``
    ``values``: ``numpy.uint32`` array of ``num_perm`` minimum hash values; ``size``: number of distinct
    shingles. ``to_bytes()`` / ``Signature.from_bytes(kind, data, size)`` for storage.
``Fingerprint.windows``
    for texts of at least two ``window_chars`` windows: one short signature per window and kind of
    ``window_kinds`` (default the skeleton), holding the first ``window_bands * lsh_rows`` values, so
    that a partial reprint, small against its source, still shares band keys with the part it copies
    (window and whole-text keys of the same band meet).
``Fingerprinter.minhash(kind, hashes, perms=None) -> Signature``
    the signature of any ``uint32`` array of shingle hashes (e.g. to build signatures in bulk).
``band_keys(signature, config) -> numpy.int64 array``
    ``lsh_bands`` keys, each hashing ``lsh_rows`` consecutive values with the kind and band number
    (signed 64-bit, ready for an SQLite INTEGER column). An empty signature has no keys.
``jaccard(a, b)``, ``containment(a, b)``
    estimates in [0, 1]: the Jaccard similarity of the two shingle sets, and the share of ``a``'s
    shingles that are in ``b`` (from the Jaccard estimate and the stored set sizes).
``shingle_hash(shingle) -> int``
    the 32-bit hash of one shingle, the Python reference of the vectorized hashing.

datasketch compatibility: for the same ``seed`` and ``num_perm``,
``datasketch.MinHash(num_perm, seed, hashfunc=shingle_hash)`` (scheme ``affine32``, the datasketch 2.x
default) fed the shingles of ``Fingerprinter.features`` with ``update_batch`` holds exactly the values
of the matching :class:`Signature`; ``tests/test_fingerprint.py`` checks this.

>>> fp = Fingerprinter().fingerprint("哈尔滨市职业教育活动周在2024年5月启幕，签署多项合作协议。")
>>> [s.kind for s in fp.signatures], fp["char"].values.shape
(['char', 'skel'], (128,))
>>> jaccard(fp["char"], fp["char"])
1.0
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from provcheck.model import Document, NormText, Segmented
from provcheck.text.lexicon import Lexicon, spaced_common_words
from provcheck.text.normalize import Normalizer

Item = NormText | Segmented | Document | str

__all__ = [
    "KINDS",
    "Fingerprint",
    "FingerprintConfig",
    "Fingerprinter",
    "Signature",
    "band_keys",
    "band_keys_many",
    "containment",
    "jaccard",
    "shingle_hash",
    "spaced_common_words",
]

KINDS = ("char", "skel")
_MASK32 = 0xFFFFFFFF
_FNV32 = 0x01000193
_EMPTY = np.uint32(_MASK32)
_NON_CONTENT = re.compile(r"[\W_]+")
_NON_CONTENT_KEEP_LINES = re.compile(r"[^\w\n]+|_+")
_MENU_SPLIT = re.compile(r"[|｜·•>»/\\]|\s{1,}")
_MENU_SEP = re.compile(r"[|｜·•>»/\\]")
# letters of scripts that separate words with spaces: a run of them is one unit (a word)
_SPACED = "a-zA-Z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
# spaces not between two letters of a spaced script or digits: `` +(?!X)|(?<!X) +``, written so that
# both branches open with a literal space (the matcher then skips to the spaces: a quarter of the CPU)
_SPACE_DROP = re.compile(rf" [ ]*(?![{_SPACED}0-9])| (?<![{_SPACED}0-9] ) *")
_UNIT = re.compile(rf"[{_SPACED}]+|\S")
_SPACED_WORD = re.compile(rf"[{_SPACED}]")
_SPACED_RUN = re.compile(rf"[{_SPACED}]+")
_SPACED_TABLE = np.zeros(0x501, dtype=bool)  # code point (0x500 for any above) -> in _SPACED
for _lo, _hi in ((0x61, 0x7A), (0x41, 0x5A), (0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF)):
    _SPACED_TABLE[_lo : _hi + 1] = True
_OTHER_SPACE = re.compile(r"[^\S \n]")  # white space other than the spaces and line breaks content keeps
_DIGIT = re.compile(r"\d")
_MINHASH_ROWS = 4096  # shingles whose MinHash products are taken in one array (2 MB at 128 permutations)


@dataclass(frozen=True, slots=True)
class FingerprintConfig:
    """Which signatures to compute and how; defaults are the tuned values."""

    num_perm: int = 128
    seed: int = 1
    kinds: tuple[str, ...] = KINDS
    char_ngram: int = 4
    skel_ngram: int = 2
    rare_freq: int = 100  # jieba dictionary frequency below which a word is "rare"
    min_line_chars: int = 6  # shorter lines (page chrome) are left out of the fingerprint
    lsh_bands: int = 32  # band keys per signature
    lsh_rows: int = 2  # signature values per band key
    window_chars: int = 400  # texts of 2+ windows also get window signatures (partial reprints); 0: none
    window_bands: int = 12  # band keys per window signature (its first window_bands * lsh_rows values)
    window_kinds: tuple[str, ...] = ("skel",)  # the skeleton matches verbatim and spun excerpts alike

    def __post_init__(self) -> None:
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown or not self.kinds:
            raise ValueError(f"fingerprint kinds must be among {', '.join(KINDS)}, got {self.kinds!r}")
        if self.num_perm < 1 or self.char_ngram < 1 or self.skel_ngram < 1:
            raise ValueError("num_perm, char_ngram and skel_ngram must be positive")
        if self.lsh_bands < 1 or self.lsh_rows < 1 or self.lsh_bands * self.lsh_rows > self.num_perm:
            raise ValueError(f"lsh_bands * lsh_rows must be at most num_perm ({self.num_perm})")
        if self.window_chars < 0 or not 1 <= self.window_bands <= self.lsh_bands:
            raise ValueError("window_chars must be >= 0 and window_bands between 1 and lsh_bands")

    def digest(self) -> str:
        """A short stable name of the parameter set, e.g. for an index to refuse mixing."""
        body = repr(sorted(asdict(self).items())).encode()
        return "fp2-" + hashlib.sha1(body).hexdigest()[:12]  # fp2: word units and skeleton for spaced scripts


@dataclass(frozen=True, slots=True, eq=False)
class Signature:
    """MinHash values (``uint32``, one per permutation) of one kind of shingle set."""

    kind: str
    values: np.ndarray
    size: int  # distinct shingles

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, kind: str, data: bytes, size: int) -> Signature:
        return cls(kind, np.frombuffer(data, dtype="<u4").astype(np.uint32), size)

    @property
    def empty(self) -> bool:
        return self.size == 0


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    signatures: tuple[Signature, ...]
    length: int  # content characters fingerprinted
    windows: tuple[Signature, ...] = ()  # per window: window_bands * lsh_rows values; size counts n-grams

    def __getitem__(self, kind: str) -> Signature:
        for s in self.signatures:
            if s.kind == kind:
                return s
        raise KeyError(kind)


# -- hashing -----------------------------------------------------------------------------------


def _unit_hash(unit: str) -> int:
    return ord(unit) if len(unit) == 1 else zlib.crc32(unit.encode("utf-8"))


def shingle_hash(shingle: str | tuple[str, ...]) -> int:
    """32-bit hash of a shingle: a ``str`` is a sequence of characters, a tuple a sequence of words.

    Each unit hashes to its code point (one character) or CRC32 of its UTF-8 (a longer word); units
    combine FNV-style: ``h = ((h ^ u) * 0x01000193) mod 2**32``, starting from ``h = 0x811C9DC5``.
    """
    h = 0x811C9DC5
    for unit in shingle:
        h = ((h ^ _unit_hash(unit)) * _FNV32) & _MASK32
    return h


def _ngram_hashes(units: np.ndarray, n: int, distinct: bool = True) -> np.ndarray:
    """Vectorized :func:`shingle_hash` of every n-gram of a ``uint32`` unit-hash array (each once
    when ``distinct``; a MinHash does not need that, only the set size does)."""
    if len(units) == 0:
        return units
    if len(units) < n:  # a short text is one shingle
        n = len(units)
    count = len(units) - n + 1
    h = np.full(count, 0x811C9DC5, dtype=np.uint32)
    prime = np.uint32(_FNV32)
    for k in range(n):
        h = (h ^ units[k : k + count]) * prime
    if not distinct:
        return h
    h.sort()  # sort-based distinct: numpy's hash-based unique costs more on arrays this small
    return h[np.concatenate(([True], h[1:] != h[:-1]))]


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    out: np.ndarray = h ^ (h >> np.uint32(16))
    return out


def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters for ``seed``."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


# -- the fingerprinter -------------------------------------------------------------------------


class Fingerprinter:
    """Computes fingerprints; holds the permutations, the word list and the tokenizer (lazily)."""

    def __init__(self, config: FingerprintConfig | None = None, normalizer: Normalizer | None = None) -> None:
        self.config = config or FingerprintConfig()
        self.normalizer = normalizer or Normalizer()
        self._a, self._b = _permutations(self.config.num_perm, self.config.seed)
        self._common: frozenset[str] | None = None
        self.lexicon = Lexicon()
        self._t2s: Any = None
        self._hashes: dict[str, int] = {}
        self._recent: dict[int, tuple[list[str], np.ndarray]] = {}  # id(list) -> (list, hashes)

    # features ----------------------------------------------------------------------------
    def _text(self, item: Item) -> str:
        if isinstance(item, Segmented):
            return item.norm.text
        if isinstance(item, NormText):
            return item.text
        if isinstance(item, Document):
            if item.kind == "html" and self.normalizer.config.html != "never":
                return self.normalizer.normalize(item).text
            item = item.text
        return self._normalize_fast(item)

    def _normalize_fast(self, text: str) -> str:
        """The normalizer's steps without its offset map (fingerprints need no spans)."""
        cfg = self.normalizer.config
        if cfg.nfkc:
            text = unicodedata.normalize("NFKC", text)
        if cfg.t2s:
            if self._t2s is None:
                import opencc

                self._t2s = opencc.OpenCC("t2s")
            text = self._t2s.convert(text)
        return text.lower() if cfg.lowercase else text

    def _content_lines(self, text: str) -> list[str]:
        """Content characters of each line (one space between two words of a spaced script); chrome
        lines dropped unless that loses over half."""
        lines: list[str] = []
        kept: list[str] = []
        bare = _SPACE_DROP.sub("", _NON_CONTENT_KEEP_LINES.sub(" ", text))
        for raw, line in zip(text.split("\n"), bare.split("\n"), strict=True):
            if not line:
                continue
            lines.append(line)
            if not self._chrome_line(raw, line):
                kept.append(line)
        return kept if sum(map(len, kept)) * 2 >= sum(map(len, lines)) else lines

    def _chrome_line(self, raw: str, content: str) -> bool:
        """Short lines, menus (three or more short items between separators) and bare figures
        (timestamps, counters)."""
        if len(content) - content.count(" ") < self.config.min_line_chars:
            return True
        if len(content) < 20 and content.replace(" ", "").isdigit():
            return True
        if len(content) > 60 or not _MENU_SPLIT.search(raw):
            return False
        # words of a spaced script are separated by spaces anyway: only explicit separators make a menu
        split = _MENU_SEP if " " in content else _MENU_SPLIT
        items = [x for x in split.split(raw) if _NON_CONTENT.sub("", x)]
        return len(items) >= 3 and all(len(_NON_CONTENT.sub("", x)) <= 6 for x in items)

    def _common_words(self) -> frozenset[str]:
        """Words of jieba's dictionary with frequency >= ``rare_freq`` (read once per Fingerprinter)."""
        if self._common is None:
            limit = self.config.rare_freq
            # "\n" separates lines for the tokenizer; words with a digit always belong to the skeleton
            common = {w.lower() for w in self.lexicon.common_words(limit)}
            common.update(_spaced_common())
            self._common = frozenset(w for w in common if not _DIGIT.search(w)) | {"\n", " "}
        return self._common

    def _tokens(self, text: str) -> list[str]:
        return self.lexicon.cut(text)

    def skeleton(self, lines: list[str]) -> list[str]:
        """The rare-token skeleton of content lines: words below ``rare_freq`` and words with a digit."""
        common = self._common_words()
        return list(itertools.filterfalse(common.__contains__, self._tokens("\n".join(lines))))

    def _prepared(self, item: Item) -> tuple[str, list[str]]:
        """The content (lines joined by "\n") and the skeleton of an item."""
        lines = self._content_lines(self._text(item))
        skel = self.skeleton(lines) if "skel" in self.config.kinds else []
        return "\n".join(lines), skel

    def features(self, item: Item) -> dict[str, list[Any]]:
        """The distinct shingles of each kind (the reference for :meth:`fingerprint`): a ``str`` of
        characters, or a tuple of units where a shingle holds a word of a spaced script."""
        content, skel = self._prepared(item)
        out: dict[str, list[Any]] = {}
        for kind in self.config.kinds:
            seq: list[str] = _UNIT.findall(content) if kind == "char" else skel
            n = min(self.config.char_ngram if kind == "char" else self.config.skel_ngram, len(seq))
            grams: set[Any] = set()
            for i in range(len(seq) - n + 1):
                units = tuple(seq[i : i + n])
                grams.add("".join(units) if kind == "char" and all(len(u) == 1 for u in units) else units)
            out[kind] = sorted(grams, key=repr) if seq else []
        return out

    def _token_hashes(self, tokens: list[str]) -> np.ndarray:
        """:func:`_unit_hash` of each token (``uint32``), memoized per Fingerprinter (bounded). The
        answers for the last few thousand lists are kept too: the fingerprint and the passage keys
        of a batch of documents hash the same skeleton lists (callers must not change a list)."""
        recent = self._recent
        seen = recent.get(id(tokens))
        if seen is not None and seen[0] is tokens and len(seen[1]) == len(tokens):
            return seen[1]
        if len(recent) >= 4096:
            recent.clear()
        cache = self._hashes
        if len(cache) > 200_000:
            cache.clear()
        found = list(map(cache.get, tokens))
        if None in found:  # hash each new token once, then look all up again
            for token in {t for t, h in zip(tokens, found, strict=True) if h is None}:
                cache[token] = _unit_hash(token)
            found = list(map(cache.__getitem__, tokens))
        out = np.array(found, dtype=np.uint32)
        recent[id(tokens)] = (tokens, out)
        return out

    # signatures --------------------------------------------------------------------------
    def minhash(self, kind: str, hashes: np.ndarray, perms: int | None = None) -> Signature:
        """The signature of a set of 32-bit shingle hashes (``uint32``), vectorized; ``perms`` keeps
        only the first permutations."""
        perms = perms or self.config.num_perm
        if len(hashes) == 0:
            return Signature(kind, np.full(perms, _EMPTY, dtype=np.uint32), 0)
        products = np.multiply.outer(_fmix32(hashes.astype(np.uint32, copy=False)), self._a[:perms])
        products += self._b[:perms]  # in place: no second (shingles x num_perm) temporary
        return Signature(kind, products.min(axis=0), len(hashes))

    def fingerprint(self, item: Item, prepared: tuple[str, list[str]] | None = None) -> Fingerprint:
        """``prepared``: what ``_prepared(item)`` returned, when the caller already has it."""
        return self.fingerprint_many([prepared if prepared is not None else self._prepared(item)])[0]

    def fingerprint_items(self, items: Sequence[Item]) -> list[Fingerprint]:
        """:meth:`fingerprint` of each item, their MinHash products taken together
        (:meth:`fingerprint_many`): a batch of documents costs about a quarter less."""
        return self.fingerprint_many([self._prepared(item) for item in items])

    def fingerprint_many(self, prepared: list[tuple[str, list[str]]]) -> list[Fingerprint]:
        """:meth:`fingerprint` of many prepared items (what ``_prepared`` returned; the same values):
        the MinHash products of all their signatures are taken in a few large array passes, which
        saves the fixed cost of some dozen small array operations a signature."""
        cfg = self.config
        whole: list[tuple[str, np.ndarray]] = []  # (kind, distinct n-gram hashes), in document order
        parts: list[tuple[str, np.ndarray]] = []  # window n-grams, in document order
        shape: list[tuple[int, int, int]] = []  # per document: signatures, windows, length
        for content, skel in prepared:
            units: list[tuple[str, np.ndarray, int]] = []
            for kind in cfg.kinds:
                if kind == "char":
                    units.append((kind, self._char_units(content), cfg.char_ngram))
                else:
                    units.append((kind, self._token_hashes(skel), cfg.skel_ngram))
            whole.extend((kind, _ngram_hashes(u, n)) for kind, u, n in units)
            count = len(content) // cfg.window_chars if cfg.window_chars else 0
            before = len(parts)
            if count >= 2:
                for kind, u, n in units:
                    if kind not in cfg.window_kinds:
                        continue
                    for w in range(count):  # consecutive windows; each keeps the n-grams that start in it
                        piece = u[w * len(u) // count : (w + 1) * len(u) // count + n - 1]
                        parts.append((kind, _ngram_hashes(piece, n, distinct=False)))
            length = len(content) - content.count(" ") - content.count("\n")
            shape.append((len(units), len(parts) - before, length))
        sigs = iter(self._minhash_many(whole, cfg.num_perm))
        wins = iter(self._minhash_many(parts, cfg.window_bands * cfg.lsh_rows))
        return [
            Fingerprint(tuple(itertools.islice(sigs, s)), length, tuple(itertools.islice(wins, w)))
            for s, w, length in shape
        ]

    def _minhash_many(self, sets: list[tuple[str, np.ndarray]], perms: int) -> list[Signature]:
        """:meth:`minhash` of each ``(kind, hashes)``: the products of consecutive sets, some
        thousand shingles at a time, in one array, then each set's minima (a slice each:
        ``reduceat`` costs four times as much on these shapes)."""
        out: list[Signature | None] = [None] * len(sets)
        a, b = self._a[:perms], self._b[:perms]
        lo = 0
        while lo < len(sets):
            hi, rows = lo + 1, len(sets[lo][1])
            while hi < len(sets) and rows + len(sets[hi][1]) <= _MINHASH_ROWS:
                rows += len(sets[hi][1])
                hi += 1
            products = np.multiply.outer(
                _fmix32(np.concatenate([h for _, h in sets[lo:hi]]).astype(np.uint32, copy=False)), a
            )
            products += b  # in place: no second (shingles x perms) temporary
            minima = np.empty((hi - lo, perms), dtype=np.uint32)
            start = 0
            for i in range(lo, hi):
                kind, h = sets[i]
                if len(h):
                    np.minimum.reduce(products[start : start + len(h)], axis=0, out=minima[i - lo])
                else:
                    minima[i - lo] = _EMPTY
                out[i] = Signature(kind, minima[i - lo], len(h))
                start += len(h)
            lo = hi
        return [s for s in out if s is not None]

    def _char_units(self, content: str) -> np.ndarray:
        """Unit hashes of the content: code points, with a word of a spaced script hashed as one unit."""
        if " " not in content and not _SPACED_WORD.search(content):
            return np.frombuffer(content.replace("\n", "").encode("utf-32-le"), dtype=np.uint32)
        if _OTHER_SPACE.search(content):  # not from _content_lines: the reference way
            return self._token_hashes(_UNIT.findall(content))
        # as _UNIT.findall, by array: every code point but spaces and line breaks is a unit, except
        # that a run of spaced-script letters is one unit (a word), hashed where the run starts
        cp = np.frombuffer(content.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        spaced = _SPACED_TABLE[np.minimum(cp, 0x500)]
        inside = np.zeros(len(cp), dtype=bool)  # a letter after a letter: inside a word
        inside[1:] = spaced[1:] & spaced[:-1]
        units = cp.copy()
        units[spaced & ~inside] = self._token_hashes(_SPACED_RUN.findall(content))
        out: np.ndarray = units[(cp != 32) & (cp != 10) & ~inside]
        return out


def _spaced_common() -> list[str]:
    """The common words of spaced scripts (package data), lower case."""
    return sorted(spaced_common_words())


# -- estimates and band keys ---------------------------------------------------------------------


def jaccard(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets (0 when either is empty)."""
    if a.empty or b.empty:
        return 0.0
    if len(a.values) != len(b.values):
        raise ValueError("signatures of different num_perm cannot be compared")
    return float(np.count_nonzero(a.values == b.values)) / len(a.values)


def containment(a: Signature, b: Signature) -> float:
    """Estimated share of ``a``'s shingles that are also in ``b``: ``J (|a|+|b|) / ((1+J) |a|)``."""
    j = jaccard(a, b)
    if j == 0.0:
        return 0.0
    inter = j * (a.size + b.size) / (1.0 + j)
    return min(1.0, inter / a.size)


_KIND_TAG = {kind: i + 1 for i, kind in enumerate(KINDS)}


def band_keys(signature: Signature, config: FingerprintConfig) -> np.ndarray:
    """``config.lsh_bands`` signed 64-bit keys (fewer for a shorter window signature); two signatures
    share band ``i``'s key when their ``lsh_rows`` values in that band are equal (and the kinds match),
    so window keys and whole-text keys meet."""
    if signature.empty:
        return np.zeros(0, dtype=np.int64)
    rows = config.lsh_rows
    bands = min(config.lsh_bands, len(signature.values) // rows)
    v = signature.values[: bands * rows].astype(np.uint64).reshape(bands, rows)
    prime = np.uint64(0x100000001B3)
    h = (np.arange(bands, dtype=np.uint64) + np.uint64(_KIND_TAG[signature.kind] << 8)) * prime
    with np.errstate(over="ignore"):
        for r in range(rows):
            h = (h ^ v[:, r]) * prime
        h = h ^ (h >> np.uint64(33))
        h = h * np.uint64(0xFF51AFD7ED558CCD)
        h = h ^ (h >> np.uint64(33))
    return h.view(np.int64)


def band_keys_many(signatures: list[Signature], config: FingerprintConfig) -> list[np.ndarray]:
    """:func:`band_keys` of each of many signatures (the same keys), those of one kind and length
    hashed together in one array pass."""
    out = [np.zeros(0, dtype=np.int64) for _ in signatures]
    groups: dict[tuple[str, int], list[int]] = {}
    for i, s in enumerate(signatures):
        if not s.empty:
            groups.setdefault((s.kind, len(s.values)), []).append(i)
    rows = config.lsh_rows
    prime = np.uint64(0x100000001B3)
    for (kind, length), members in groups.items():
        bands = min(config.lsh_bands, length // rows)
        v = np.stack([signatures[i].values[: bands * rows] for i in members]).astype(np.uint64)
        v = v.reshape(len(members), bands, rows)
        h = (np.arange(bands, dtype=np.uint64) + np.uint64(_KIND_TAG[kind] << 8)) * prime
        with np.errstate(over="ignore"):
            for r in range(rows):
                h = (h ^ v[:, :, r]) * prime
            h = h ^ (h >> np.uint64(33))
            h = h * np.uint64(0xFF51AFD7ED558CCD)
            h = h ^ (h >> np.uint64(33))
        keys = h.view(np.int64)
        for row, i in enumerate(members):
            out[i] = keys[row]
    return out
