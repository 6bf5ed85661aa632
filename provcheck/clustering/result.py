"""The result of clustering: groups with their named original, members, partial links.

The local engine (:mod:`provcheck.clustering.local`) and the Spark engine
(:mod:`provcheck.clustering.spark`) run the same stages over the same functions: candidates
(:mod:`~provcheck.clustering.candidates`), verification evidence (:mod:`~provcheck.clustering.evidence`),
components (:mod:`~provcheck.clustering.unionfind`), naming (:mod:`~provcheck.clustering.naming`);
:func:`build_clustering` assembles the result. Nothing here reads files or runs comparisons.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from provcheck.clustering.config import ClusterConfig
from provcheck.clustering.evidence import Direction
from provcheck.model import Relation

__all__ = ["Clustering", "Group", "Link", "Member", "Naming", "build_clustering"]


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
    empty: tuple[str, ...] = ()  # documents with no content besides chrome: never grouped

    def stat(self, key: str, default: float = 0.0) -> float:
        for k, v in self.stats:
            if k == key:
                return v
        return default


def build_clustering(
    documents: Sequence[str],
    groups: Sequence[Sequence[str]],
    namings: dict[int, Naming],
    evidence: dict[tuple[str, str], tuple[Direction, Direction]],
    partials: Iterable[tuple[str, str, float]],
    config: ClusterConfig,
    skipped: Sequence[str] = (),
    stats: dict[str, float] | None = None,
    empty: Sequence[str] = (),
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
    return Clustering(
        tuple(out),
        tuple(links),
        tuple(documents),
        tuple(skipped),
        tuple((stats or {}).items()),
        tuple(sorted(empty, key=position.__getitem__)),
    )
