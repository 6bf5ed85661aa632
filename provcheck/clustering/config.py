"""How candidates are chosen, verified and grouped (:class:`ClusterConfig`), and progress events."""

from __future__ import annotations

from dataclasses import dataclass, field

from provcheck.archive.fingerprint import FingerprintConfig

__all__ = ["ClusterConfig", "Progress"]


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """How candidates are chosen, verified and grouped; defaults are the tuned values."""

    fingerprint: FingerprintConfig = field(default_factory=FingerprintConfig)
    max_bucket: int = 300  # band keys shared by more documents are chrome or boilerplate: ignored
    min_shared_keys: int = 1  # candidate pairs share at least this many band keys
    min_estimate: float = 0.2  # ... and have at least this signature estimate (Jaccard or containment)
    min_set: int = 20  # containment estimates count only for shingle sets at least this large
    min_join_score: float = 0.75  # a copy/rewritten verdict joins a group only with this score ...
    min_join_coverage: float = 0.0  # ... and when the copy carries this share of its source (0: any)
    min_link_score: float = 0.1  # partial links weaker than this are not reported
    mirror_score: float = 0.0  # shorter -> longer a copy or rewrite scored this high, covering ...
    mirror_coverage: float = 0.98  # ... this much of the shorter, with no figure changed: no reverse compare
    one_way_coverage: float = 0.25  # no copy and less of the shorter derived: no reverse compare
    join_estimate: float = 0.4  # a candidate compared in full: signature estimate at least this, ...
    join_grams: float = 0.5  # ... or this share of the shorter text's content 4-grams shared ...
    join_pairs: float = 0.85  # ... or this share of its character pairs; else verbatim runs only
    join_runs: float = 0.6  # ... and by 4-grams only when verbatim runs hold this share of it too
    common_line_docs: int = 20  # a line (digits masked) in this many documents is site chrome ...
    chrome_share: float = 0.25  # ... when its pages hold on average this share of their own content
    min_content: int = 30  # documents with fewer content characters besides chrome are "empty"
    verify_member: bool = True  # every member must derive from the named original (no chaining) ...
    member_score: float = 0.5  # ... as a copy or rewrite, or a partial share scored at least this
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
        if not 0.0 <= self.min_join_score <= 1.0 or self.min_content < 0:
            raise ValueError("min_join_score must lie in [0, 1] and min_content must not be negative")


@dataclass(frozen=True, slots=True)
class Progress:
    """One step of a long job, for a progress bar: ``done`` of ``total`` (``total`` 0 = unknown)."""

    stage: str  # read | candidates | verify | name | write
    done: int
    total: int = 0
