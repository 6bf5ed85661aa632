"""Stage functions both engines run (datatrove's blocks, apart from the executors that run them):
signatures and band keys of one document, verification of one candidate pair both ways, naming one
group's original. :mod:`provcheck.clustering.local` and :mod:`provcheck.clustering.spark` call these
and never import each other."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache

import numpy as np

from provcheck.archive.fingerprint import Fingerprinter, band_keys_many
from provcheck.clustering.candidates import content_grams, line_key
from provcheck.clustering.config import ClusterConfig, Progress
from provcheck.clustering.evidence import JOINING, Direction, link, summarize
from provcheck.clustering.naming import name_original, naming_pairs
from provcheck.clustering.result import Naming
from provcheck.clustering.unionfind import UnionFind
from provcheck.model import Document, FindingType, NormText, Relation, Report, Segmented
from provcheck.pair.comparer import Provcheck
from provcheck.pair.diagnose.cues import CueSet, load_cues
from provcheck.pair.reuse import ReuseConfig, reuse_totals

__all__ = [
    "Evidence",
    "NamedGroup",
    "OnProgress",
    "Prepared",
    "Row",
    "Signatures",
    "body_chars",
    "check_pair",
    "chrome_cues",
    "name_group",
    "script_of",
    "signature_row",
    "signature_rows",
    "strip_chrome",
    "verify_pair",
]

OnProgress = Callable[[Progress], None]
Evidence = dict[tuple[str, str], tuple[Direction, Direction]]
Row = tuple[list[np.ndarray], tuple[int, ...], np.ndarray]  # signature values per kind, set sizes, band keys
NamedGroup = tuple[list[str], Naming]  # members (sorted ids), naming


# -- signatures ------------------------------------------------------------------------------------


class Signatures:
    """Signatures, shingle-set sizes and band keys of many documents, in compact arrays."""

    def __init__(self, kinds: Sequence[str], num_perm: int) -> None:
        self.kinds = tuple(kinds)
        self._values: list[list[np.ndarray]] = [[] for _ in kinds]
        self._sizes: list[tuple[int, ...]] = []
        self._keys: list[np.ndarray] = []
        self._owners: list[np.ndarray] = []
        self.num_perm = num_perm

    def add(self, row: Row) -> None:
        values, sizes, keys = row
        n = len(self._sizes)
        for k, v in enumerate(values):
            self._values[k].append(v)
        self._sizes.append(sizes)
        self._keys.append(keys)
        self._owners.append(np.full(len(keys), n, dtype=np.int64))

    def arrays(self) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
        n = len(self._sizes)
        values = [np.stack(v) if v else np.zeros((0, self.num_perm), np.uint32) for v in self._values]
        sizes = np.array(self._sizes, dtype=np.int64).reshape(n, len(self.kinds))
        keys = np.concatenate(self._keys) if self._keys else np.zeros(0, np.int64)
        owners = np.concatenate(self._owners) if self._owners else np.zeros(0, np.int64)
        return values, sizes, keys, owners


def signature_row(
    fpr: Fingerprinter,
    doc: Document,
    chrome: frozenset[int] = frozenset(),
    min_content: int = 0,
    cues: CueSet | None = None,
) -> Row:
    """One document's signature values (per kind), set sizes and all band keys, with the corpus's
    chrome lines (``chrome``) left out. A document with fewer than ``min_content`` content characters
    outside chrome is *empty*: its row has no band keys, so it never becomes a candidate."""
    return signature_rows(fpr, [doc], chrome, min_content, cues)[0]


def signature_rows(
    fpr: Fingerprinter,
    docs: Sequence[Document],
    chrome: frozenset[int] = frozenset(),
    min_content: int = 0,
    cues: CueSet | None = None,
) -> list[Row]:
    """:func:`signature_row` of each document (the same rows), the MinHash products and band keys of
    the batch taken together (:meth:`~provcheck.archive.fingerprint.Fingerprinter.fingerprint_items`,
    :func:`~provcheck.archive.fingerprint.band_keys_many`): fewer, larger array passes."""
    docs = [strip_chrome(doc, chrome) for doc in docs]
    fps = fpr.fingerprint_items(docs)
    keys_of = iter(band_keys_many([s for fp in fps for s in fp.signatures], fpr.config))
    rows: list[Row] = []
    for doc, fp in zip(docs, fps, strict=True):
        keys = [next(keys_of) for _ in fp.signatures]
        values = [s.values for s in fp.signatures]
        sizes = tuple(s.size for s in fp.signatures)
        if min_content and body_chars(doc.text, cues or chrome_cues(), enough=min_content) < min_content:
            rows.append((values, sizes, np.zeros(0, dtype=np.int64)))
        else:
            rows.append((values, sizes, np.concatenate(keys)))
    return rows


def strip_chrome(doc: Document, chrome: frozenset[int]) -> Document:
    """The document without the lines that are the corpus's chrome (HTML documents as they are)."""
    if not chrome or doc.kind == "html":
        return doc
    lines = doc.text.split("\n")
    kept = [line for line in lines if line_key(line) not in chrome]
    return doc if len(kept) == len(lines) else replace(doc, text="\n".join(kept))


_NON_WORD = re.compile(r"[\W_]+")


def chrome_cues() -> CueSet:
    """The shipped page-chrome cues (share bars, copyright lines, navigation)."""
    return load_cues().chrome


def body_chars(
    text: str, cues: CueSet, min_line: int = 6, cue_line: int = 100, enough: int | None = None
) -> int:
    """Content characters of a text outside chrome: lines of at least ``min_line`` content
    characters, leaving out lines shorter than ``cue_line`` that carry a chrome cue. With
    ``enough``, counting stops once that many are found (whether a text is empty needs no more)."""
    n = 0
    lines = text.split("\n")
    if enough is not None:  # long lines first: a paragraph of prose settles it without cue checks
        lines.sort(key=len, reverse=True)
    for line in lines:
        c = len(_NON_WORD.sub("", line))
        if c >= min_line and not (c < cue_line and cues.any(line.lower())):
            n += c
            if enough is not None and n >= enough:
                break
    return n


# -- verification and naming -----------------------------------------


class Prepared:
    """A document read and normalized, segmented only when a comparison needs it: most candidate
    pairs are settled by the run measure on the normalized texts (:func:`check_pair`)."""

    __slots__ = ("_pc", "_seg", "doc", "norm")

    def __init__(self, pc: Provcheck, item: Document | Segmented) -> None:
        self._pc = pc
        self._seg: Segmented | None = item if isinstance(item, Segmented) else None
        if isinstance(item, Segmented):
            self.doc, self.norm = item.doc, item.norm
        else:
            self.doc = pc.read(item)
            self.norm = pc.normalizer.normalize(self.doc)

    @property
    def segmented(self) -> Segmented | None:
        """The segmented document if a comparison needed it already, else None."""
        return self._seg

    def segment(self) -> Segmented:
        if self._seg is None:
            self._seg = self._pc.segmenter.segment(self.doc, self.norm)
        return self._seg


def check_pair(
    pc: Provcheck, a: Prepared | Segmented, b: Prepared | Segmented, estimate: float, config: ClusterConfig
) -> tuple[Direction, Direction]:
    """Verify a candidate pair: the full comparison both ways (:func:`verify_pair`) when the two
    texts could be copies of one another, else the verbatim reuse measure alone.

    A copy or rewrite holds at least three quarters of its source, so it keeps most of it: its
    signature estimate reaches ``join_estimate``, or it shares ``join_grams`` of the shorter text's
    character 4-grams (a copy, a traditional-script copy once normalized), or ``join_pairs`` of its
    character pairs (a spun copy swaps words, not every character). A pair below all three cannot
    join a group; what it can be is a partial reuse, and the text both hold in runs of twelve or
    more content characters (:func:`~provcheck.pair.reuse.measure_reuse`, the run measure the full
    comparison uses) says whether it is one: a link when the runs hold ``reuse_chars`` content
    characters or half of the shorter text, scored by the share of the shorter text they hold.

    A verbatim or traditional-script copy shares its runs as well as its 4-grams: a pair under
    ``join_estimate`` that passes on 4-grams alone is compared in full only when those runs hold
    ``join_runs`` of the shorter text (else it is two texts sharing a passage or a page template:
    on real text at 20 000 documents, 416 such pairs were compared in full and none joined a planted
    copy to its group). Spun copies keep their estimate or their character pairs."""
    a, b = _lazy(pc, a), _lazy(pc, b)
    route = _FULL if estimate >= config.join_estimate else _join_route(a.norm.text, b.norm.text, config)
    if route == _FULL:
        return verify_pair(pc, a.segment(), b.segment(), config)
    short, long = (b, a) if len(b.norm.text) < len(a.norm.text) else (a, b)
    score_cfg = pc.settings.score
    # runs inside the shorter, counted on the normalized texts: no segmenting needed
    own, total, quoted, source_content = reuse_totals(
        long.norm.text, short.norm.text, ReuseConfig(score_cfg.reuse_run)
    )
    if route == _RUNS and total >= config.join_runs * own:
        return verify_pair(pc, a.segment(), b.segment(), config)
    shared = total - quoted
    partial = own > 0 and (shared >= score_cfg.reuse_chars or 2 * shared >= own)
    relation = Relation.PARTIAL.value if partial else Relation.UNRELATED.value
    score = round(total / own, 4) if own else 0.0
    coverage = round(total / max(1, source_content), 4)
    ab = Direction(long.doc.id, short.doc.id, relation, score, coverage, suspect_chars=own)
    ba = Direction(short.doc.id, long.doc.id, relation, score, score, suspect_chars=source_content)
    return (ab, ba) if long is a else (ba, ab)


def _lazy(pc: Provcheck, item: Prepared | Segmented) -> Prepared:
    return item if isinstance(item, Prepared) else Prepared(pc, item)


_NONE, _RUNS, _FULL = 0, 1, 2


def _join_route(a: str, b: str, config: ClusterConfig) -> int:
    """Whether a pair under ``join_estimate`` could join: ``_FULL`` when it shares ``join_pairs`` of
    the shorter text's character pairs (or there is nothing to measure), ``_RUNS`` when it shares
    ``join_grams`` of its 4-grams (then its verbatim runs decide), else ``_NONE``."""
    ga, gb = _grams(a), _grams(b)
    if not ga[0] or not gb[0]:
        return _FULL  # nothing to measure: let the comparison decide
    for k, need, route in ((1, config.join_pairs, _FULL), (0, config.join_grams, _RUNS)):
        small = min(len(ga[k]), len(gb[k]))
        if small and len(ga[k] & gb[k]) >= need * small:
            return route
    return _NONE


@lru_cache(maxsize=512)  # a document meets several candidates in a row
def _grams(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Content character 4-grams and pairs of a normalized text."""
    return frozenset(content_grams(text, 4)), frozenset(content_grams(text, 2))


def verify_pair(
    pc: Provcheck, a: Document | Segmented, b: Document | Segmented, config: ClusterConfig
) -> tuple[Direction, Direction]:
    """Compare a -> b and b -> a; return both summaries.

    The shorter text goes first as the source. Two outcomes make the other way round redundant,
    and it is not run:

    * all of the shorter text is in the longer one (coverage of at least ``mirror_coverage``), as a
      copy or rewrite with no figure changed and none of its words missing: the reverse is its
      mirror (the longer text holds everything and more, the shorter adds nothing, so all of it
      derives from the longer: scored by that coverage);
    * no copy or rewrite, and less than ``one_way_coverage`` of the shorter text derives from the
      longer: the longer cannot be the source of a copy of it either (that would need most of the
      shorter text derived). The pair is a partial link or unrelated; the reverse keeps the
      verdict, scored by the share of the shorter text's content the longer reuses."""
    sa, sb = pc.prepare(a), pc.prepare(b)
    flip = len(sb.norm.text) < len(sa.norm.text)
    short, long = (sb, sa) if flip else (sa, sb)
    report = pc.compare(short, long)
    first = summarize(report, config)
    if _clear(first, config) and not _drops_text(report):
        second = _mirror(report, first, first.source_coverage)
    elif first.relation not in JOINING and first.source_coverage < config.one_way_coverage:
        st = report.stats
        reused = min(1.0, st.derived_chars / st.source_chars) if st.source_chars else 0.0
        second = _mirror(
            report, first, round(reused, 4) if first.relation == Relation.PARTIAL.value else first.score
        )
    else:
        second = summarize(pc.compare(long, short), config)
    return (second, first) if flip else (first, second)


def _clear(d: Direction, config: ClusterConfig) -> bool:
    return (
        d.relation in JOINING
        and d.score >= config.mirror_score
        and d.source_coverage >= config.mirror_coverage
        and d.numbers == 0
        and d.spelled == 0
    )


def _drops_text(report: Report) -> bool:
    """Whether the longer text lacks some words of the shorter (deleted findings of the short -> long
    comparison): then the shorter adds something of its own (spliced spam, a note, a changed word)
    and the reverse comparison is not a mirror."""
    return any(f.type is FindingType.DELETED for f in report.findings)


def _mirror(report: Report, d: Direction, score: float) -> Direction:
    """The reverse of ``d`` without running it: same relation, ``score``, the swaps reversed, no
    additions, the source's share found in the suspect as coverage."""
    st = report.stats
    return Direction(
        d.suspect, d.source, d.relation, score,
        round(min(1.0, st.derived_chars / st.suspect_chars), 4) if st.suspect_chars else 0.0,
        swaps=tuple((y, x) for x, y in d.swaps), suspect_chars=st.source_chars, moved=d.moved,
    )  # fmt: skip


def name_group(
    pc: Provcheck,
    docs: Mapping[str, Document | Segmented | Prepared],
    known: Evidence,
    config: ClusterConfig,
    freq: Callable[[str], int],
    common: frozenset[int] | None = None,
) -> tuple[list[NamedGroup], Evidence]:
    """Name one connected group's original and keep only members that derive from it.

    ``docs`` holds the group's documents (or their prepared forms), ``known`` the verified pairs
    among them. Union-find joins documents through chains (A copies B, B shares a page template
    with C); here every member is checked against the named original, and members that do not
    derive from it (no copy, rewrite or partial share of at least ``member_score`` either way) leave
    the group and are grouped anew among themselves. Returns the groups (two or more members) with
    their namings, and the complete evidence used."""
    prepared: dict[str, Segmented] = {}
    normed: dict[str, NormText] = {}

    def prep(doc_id: str) -> Segmented:
        if doc_id not in prepared:
            item = docs[doc_id]
            prepared[doc_id] = item.segment() if isinstance(item, Prepared) else pc.prepare(item)
        return prepared[doc_id]

    def view(doc_id: str) -> tuple[Document, NormText]:
        """The document and its normalized text: naming a group whose pairs were all verified
        needs no segmenting (only comparisons do)."""
        item = prepared.get(doc_id) or docs[doc_id]
        if isinstance(item, Segmented | Prepared):
            return item.doc, item.norm
        if doc_id not in normed:
            normed[doc_id] = pc.normalizer.normalize(pc.read(item))
        return item, normed[doc_id]

    evidence: Evidence = {p: v for p, v in known.items() if p[0] in docs and p[1] in docs}
    out: list[NamedGroup] = []
    pending = [sorted(docs)]
    while pending:
        members = pending.pop()
        naming = _name_once(pc, members, prep, view, evidence, config, freq, common)
        if not config.verify_member or len(members) == 2:
            out.append((members, naming))
            continue
        orig = naming.original
        for m in members:
            if m != orig and (orig, m) not in evidence and (m, orig) not in evidence:
                evidence[(orig, m)] = verify_pair(pc, prep(orig), prep(m), config)
        kept = [m for m in members if m == orig or _derives(orig, m, evidence, config)]
        if len(kept) == len(members):
            out.append((members, naming))
            continue
        if len(kept) >= 2:
            pending.append(kept)
        pending.extend(_regroup([m for m in members if m not in kept], evidence, config))
    out.sort(key=lambda g: g[0][0])
    return out, evidence


def _derives(orig: str, m: str, evidence: Evidence, config: ClusterConfig) -> bool:
    """Whether ``m`` and the original are linked: copy or rewrite, or a partial share of at least
    ``member_score``, in either direction."""
    pair = evidence.get((orig, m)) or evidence.get((m, orig))
    if pair is None:
        return False
    rel, score = link(*pair, config)
    return rel in JOINING or (rel == Relation.PARTIAL.value and score >= config.member_score)


def _regroup(members: list[str], evidence: Evidence, config: ClusterConfig) -> list[list[str]]:
    """Components (two or more members) of the joining links among ``members``."""
    at = {m: k for k, m in enumerate(members)}
    uf = UnionFind(len(members))
    for (a, b), (ab, ba) in evidence.items():
        if a in at and b in at and link(ab, ba, config)[0] in JOINING:
            uf.union(at[a], at[b])
    return [[members[k] for k in g] for g in uf.groups()]


def _name_once(
    pc: Provcheck,
    members: list[str],
    prep: Callable[[str], Segmented],
    view: Callable[[str], tuple[Document, NormText]],
    evidence: Evidence,
    config: ClusterConfig,
    freq: Callable[[str], int],
    common: frozenset[int] | None,
) -> Naming:
    """Compare what naming still needs among ``members`` (adding to ``evidence``) and name the original."""
    inside = set(members)
    known = [p for p in evidence if p[0] in inside and p[1] in inside]
    for a, b in naming_pairs(members, known, config):
        evidence[(a, b)] = verify_pair(pc, prep(a), prep(b), config)
    views = {m: view(m) for m in members}
    plain = {m: d for m, (d, _) in views.items()}
    dates = {m: date for m, d in plain.items() if (date := d.meta_get("date"))}
    scripts = {m: script for m, (d, nt) in views.items() if (script := _script(d.text, nt))}
    breaks = {m: 1000.0 * d.text.strip().count("\n") / max(1, len(d.text)) for m, d in plain.items()}
    grams = {m: content_grams(nt.text) for m, (_, nt) in views.items()} if len(members) > 2 else None
    pairs = {p: v for p, v in evidence.items() if p[0] in inside and p[1] in inside}
    return name_original(members, pairs, freq, dates, scripts, breaks, grams, common)


def script_of(seg: Segmented) -> str | None:
    """``traditional`` when a notable share of the CJK characters changed under traditional-to-
    simplified normalization, ``simplified`` otherwise; None without CJK text."""
    return _script(seg.doc.text, seg.norm)


def _script(orig: str, norm: NormText) -> str | None:
    offs = norm.offsets
    cjk = changed = 0
    for k, ch in enumerate(norm.text):
        if "\u4e00" <= ch <= "\u9fff":
            cjk += 1
            src = orig[offs[k]] if offs[k] < len(orig) else ch
            changed += src != ch and "\u4e00" <= src <= "\u9fff"
    if cjk < 20:
        return None
    return "traditional" if changed / cjk > 0.03 else "simplified"
