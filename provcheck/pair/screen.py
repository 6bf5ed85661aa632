"""Screening a pair before diagnosis: can it be related at all, whatever diagnosis finds?

:func:`provcheck.pair.score.decide` calls a pair related only when it is a rewrite, a close
paraphrase, a heavy rewording (the source's rare words in order; the comparer never screens such a
pair) or substantial reuse. Each of the other three needs evidence that diagnosis can only take away,
never add: a rewrite needs ``rewrite_min`` spinner swaps in at least ``rewrite_clean_pairs``
verbatim-reading pairs (or ``rewrite_pairs``) and a strong pair, a paraphrase needs strong pairs holding ``paraphrase_share``
of the source, substantial reuse needs ``reuse_chars`` characters outside quotation in shared runs
(or half a short source), or ``reuse_sentences`` reproduced sentences. Page chrome found by
diagnosis only removes sentences from these counts. So :func:`surely_unrelated` computes the counts
from the alignment and the shared runs, and the swaps from the word diff of the pairs that can hold
them (the one diagnosis step the bound needs); when none reaches its threshold the pair is unrelated
however it is diagnosed, and a search over many candidates (``find``) can skip diagnosing it.

Only the relation is certain: the score of such a pair is the undiagnosed one (as for a pair with
nothing aligned strongly), which can differ from the diagnosed score where diagnosis finds page
chrome or insertions in the suspect.
"""

from __future__ import annotations

from collections.abc import Callable

from provcheck.model import AlignedPair, Alignment, Segmented
from provcheck.pair.reuse import Reuse
from provcheck.pair.score import ScoreConfig

__all__ = ["surely_unrelated"]


def surely_unrelated(
    source: Segmented,
    suspect: Segmented,
    alignment: Alignment,
    reuse: Reuse,
    cfg: ScoreConfig,
    swaps: Callable[[AlignedPair], int],
) -> bool:
    """True when :func:`~provcheck.pair.score.decide` returns ``unrelated`` whatever the findings.

    ``swaps(pair)``: how many spinner swaps diagnosis can mark inside one aligned pair (at least as
    many as it marks); asked only of pairs that could make the copy a rewrite."""
    strong = [p for p in alignment.pairs if p.score >= cfg.strong_pair]
    # a paraphrase: strong pairs hold paraphrase_share of the source (findings do not change this)
    well_src = sum(source.sentences[j].content for j in {j for p in strong for j in p.source})
    if well_src >= cfg.paraphrase_share * max(1, sum(s.content for s in source.sentences)):
        return False
    # substantial reuse, counted with no sentence taken as chrome (chrome only lowers the counts)
    scale = cfg.letters_per_char if reuse.latin else 1.0
    prose = [n >= cfg.reuse_run * scale for n in reuse.content]
    outside = sum(c - q for c, q, ok in zip(reuse.covered, reuse.quoted, prose, strict=True) if ok)
    if outside >= cfg.reuse_chars or (reuse.source_content and outside >= 0.5 * reuse.source_content):
        return False
    reproduced = 0
    for i, ok in enumerate(prose):
        own = reuse.content[i] - reuse.quoted_content[i]
        own_shared = reuse.covered[i] - reuse.quoted[i]
        if ok and own_shared > 0 and own_shared >= 0.5 * own:
            reproduced += 1
    if reproduced >= cfg.reuse_sentences:
        return False
    # a rewrite: rewrite_min swaps in rewrite_pairs aligned pairs, or in rewrite_clean_pairs pairs
    # that otherwise read verbatim, and a body that aligns well (so at least one strong pair). The
    # score counts a swap in the pair whose span of suspect sentences holds it: the pair it was
    # found in, or one overlapping that pair.
    if not strong:
        return True
    found = [(p, n) for p in alignment.pairs if (n := swaps(p))]
    if sum(n for _, n in found) < cfg.rewrite_min:
        return True
    spans = [(min(p.suspect), max(p.suspect)) for p, _ in found]
    holders = [
        p for p in alignment.pairs if any(min(p.suspect) <= hi and lo <= max(p.suspect) for lo, hi in spans)
    ]
    clean = sum(
        1 for p in holders if _verbatim_share(p.suspect, reuse.covered, suspect) >= cfg.rewrite_verbatim
    )
    return len(holders) < cfg.rewrite_pairs and clean < cfg.rewrite_clean_pairs


def _verbatim_share(idx: tuple[int, ...], covered: tuple[int, ...], suspect: Segmented) -> float:
    total = sum(suspect.sentences[i].content for i in idx)
    return sum(covered[i] for i in idx) / total if total else 0.0
