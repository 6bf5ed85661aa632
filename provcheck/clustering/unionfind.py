"""Disjoint sets over ``0..n-1`` (the components stage of the local engine).

>>> uf = UnionFind(4)
>>> uf.union(0, 1), uf.union(3, 1), uf.union(0, 3)
(True, True, False)
>>> uf.groups()
[[0, 1, 3]]
"""

from __future__ import annotations

from collections import defaultdict

__all__ = ["UnionFind"]


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
