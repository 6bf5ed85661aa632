"""Relation, provenance score and gate decisions: pure functions of the alignment and findings."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain

from provcheck.errors import ConfigError
from provcheck.model import Alignment, Finding, FindingType, Relation, Report, Segmented, Span, Stats
from provcheck.pair.align import common_subsequence
from provcheck.pair.diagnose.slots import SlotEvidence
from provcheck.pair.reuse import Reuse, word_unit
from provcheck.text.lexicon import spaced_common_words
from provcheck.text.numerals import text_numbers
from provcheck.text.segment import content_length, unit_code

__all__ = [
    "ScoreConfig",
    "Vocabulary",
    "VocabularyOrder",
    "check_max_score",
    "decide",
    "gate",
    "gate_values",
    "is_template",
    "parse_fail_on",
    "reworded_order",
    "vocabulary_of",
    "vocabulary_order",
]


@dataclass(frozen=True, slots=True)
class ScoreConfig:
    strong_pair: float = 0.5  # a pair this similar is strong evidence on its own
    weak_pair: float = 0.25  # pairs count toward the score from this similarity, fully at strong_pair
    reuse_run: int = 12  # content characters a shared verbatim run needs (see provcheck.pair.reuse)
    reuse_chars: int = 100  # reused characters outside quotation marks (or half the source) make a passage
    reuse_sentences: int = 2  # or this many consecutive sentences reproduced (half or more of each)
    # A CJK character carries about as much as three letters of English (100 characters of Chinese
    # run to some 60 English words): in a text of Latin words a sentence of a streak needs
    # ``reuse_run`` times this many letters.
    letters_per_char: float = 3.0
    partial_derived: float = 0.7  # less of the suspect (less chrome) derived than this: partial
    partial_coverage: float = 0.1  # or less of the source reproduced than this
    excerpt_coverage: float = 0.55  # or less of the source than this while the suspect adds
    excerpt_derived: float = 0.8  # more than a fifth of its own: an excerpt inside other text
    rewrite_rate: float = 0.25  # spinner swaps per 100 aligned source units (CJK chars, words)
    rewrite_min: int = 2  # and at least this many swaps
    rewrite_pairs: int = 3  # spread over this many aligned sentence pairs
    rewrite_clean_pairs: int = 2  # or swaps in this many pairs that otherwise read verbatim
    rewrite_verbatim: float = 0.6  # share of a pair's suspect text in shared runs to read verbatim
    rewrite_aligned: float = 0.5  # in pairs that align well and hold this share of the suspect
    paraphrase_share: float = 0.6  # well-aligned pairs holding this share of both texts derive
    # A paraphrase that rewords every phrase keeps the source's own vocabulary in the source's order:
    # this share of the suspect's words that are rare in the source (and at least this many) follow
    # the source in order, its sentences still align (two pairs from ``weak_pair``), and little of it
    # is verbatim (an independent text on the topic shares the topic's words, not their order).
    reword_order: float = 0.2
    reword_words: int = 10
    reword_pairs: int = 2
    reword_verbatim: float = 0.1
    reword_well: float = 0.5  # and well-aligned pairs hold less than this share of the suspect
    reword_new_figures: float = 0.25  # figures of its own: at most this share of the suspect's (or one)
    rare_share: float = 0.1  # a word in at most this share of the source's sentences is rare there
    # Template siblings swap slot values in place, the words around them kept: most of the figures
    # (this share, and at least this many), or names in several sentences (a copy keeps its names;
    # a new byline is one sentence), or one name for another again and again (a spinner keeps names),
    # or names with dates or figures in as many sentences (a copy may alter a date and a figure).
    template_figure_share: float = 0.4
    template_figures: int = 3
    template_name_sentences: int = 2
    template_name_swaps: int = 3


def is_template(slots: SlotEvidence | None, cfg: ScoreConfig) -> bool:
    """Template news: slot values (names, dates, figures) swapped in place, the words around them
    kept, for a large share of the slot values and in several sentences. A copy with altered
    figures changes a figure or two among many kept."""
    if slots is None:
        return False
    figures = (
        slots.changed_figures >= cfg.template_figures
        and slots.changed_figures >= cfg.template_figure_share * slots.figures
        and slots.changed_sentences >= cfg.template_name_sentences  # one edited sentence is a copy's
    )
    # Names changed among many other swaps are a spinner's odd words, not a template's slots.
    slot_led = 4 * slots.changed_words >= slots.swaps - slots.name_swaps
    names = slot_led and (
        slots.name_sentences >= cfg.template_name_sentences or slots.name_swaps >= cfg.template_name_swaps
    )
    together = (
        slot_led
        and "name" in slots.kinds
        and len(slots.kinds) >= 2
        and slots.changed_sentences >= cfg.template_name_sentences
    )
    return figures or names or together


def decide(
    source: Segmented,
    suspect: Segmented,
    alignment: Alignment,
    findings: tuple[Finding, ...],
    config: ScoreConfig,
    reuse: Reuse | None = None,
    slots: SlotEvidence | None = None,
    order: VocabularyOrder | None = None,
) -> tuple[Relation, float, Stats]:
    """Return ``(relation, score, stats)``.

    ``score`` is the share of the suspect's content (less page chrome, spam and insertions) that
    derives from the source. Text in long verbatim runs shared with the source derives from it;
    the rest of an aligned sentence counts by the sentence pair's similarity, in proportion to how
    much of the aligned text is verbatim, or fully where the copy is a systematic rewrite (spinner
    swaps through the body). Two independent reports of one event, which align sentence by
    sentence but share little text, count only what they share outside quotation; template
    siblings, whose shared text is formula, count only their sentences whose facts agree, scaled by
    the share whose facts differ.
    """
    cfg = config
    src_total = sum(s.content for s in source.sentences)
    sus_total = sum(s.content for s in suspect.sentences)
    chrome = sum(content_length(f.suspect_text) for f in findings if f.type is FindingType.BOILERPLATE)
    # Spliced, inserted and chrome text inside an aligned pair does not derive from the source:
    # each such finding is taken off the one pair whose suspect span holds it.
    pair_spans = [
        suspect.span(suspect.sentences[min(p.suspect)].start, suspect.sentences[max(p.suspect)].end)
        for p in alignment.pairs
    ]
    starts = sorted((sp.start, k) for k, sp in enumerate(pair_spans))
    added = [0] * len(alignment.pairs)
    chrome_spans: list[tuple[int, int]] = []
    for f in findings:
        if f.suspect_span is None:
            continue
        if f.type is FindingType.BOILERPLATE:
            chrome_spans.append((f.suspect_span.start, f.suspect_span.end))
        if f.type not in (FindingType.SPLICED_SPAM, FindingType.INSERTED, FindingType.BOILERPLATE):
            continue
        if f.get("reason") == "misaligned fragment":
            continue  # a headline's or byline's words set against the old ones count as their pair does
        at = bisect_right(starts, (f.suspect_span.start, len(pair_spans))) - 1
        if at >= 0 and f.suspect_span.end <= pair_spans[starts[at][1]].end:
            added[starts[at][1]] += content_length(f.suspect_text)
    chrome_idx = _chrome_sentences(suspect, chrome_spans)
    # Page furniture after the article: what follows a chrome block in the page tail (a "Most
    # Read" list, teasers of other stories) is no content of a derived page's article. (Whether
    # the pair derives at all is judged on the page as a whole: furniture is no evidence.)
    furniture = sum(
        suspect.sentences[i].content for i in _tail_furniture(suspect, alignment, findings) - chrome_idx
    )
    covered = reuse.covered if reuse is not None else tuple(0 for _ in suspect.sentences)
    template = is_template(slots, cfg)
    changed_pairs = set(slots.changed_pairs) if slots is not None else set()

    swaps = [f for f in findings if f.type is FindingType.SUBSTITUTION and f.get("swap")]
    swap_pairs = {_pair_of(f, starts, pair_spans) for f in swaps} - {-1}
    well_idx = {j for p in alignment.pairs if p.score >= cfg.strong_pair for j in p.source}
    well_units = sum(len(source.sentences[j].units) for j in well_idx)
    rate = 100.0 * len(swaps) / well_units if well_units else 0.0
    well_sus = sum(
        suspect.sentences[i].content for p in alignment.pairs if p.score >= cfg.strong_pair for i in p.suspect
    )
    # A light spin: a word swapped inside sentences that otherwise read verbatim, in several of
    # them (a new headline aligned against the old one is no verbatim sentence).
    clean_pairs = {
        k
        for k in swap_pairs
        if _verbatim_share(alignment.pairs[k].suspect, covered, suspect) >= cfg.rewrite_verbatim
    }
    # A heavy spin: swaps recur through the body. Either way most of the suspect aligns well: a
    # spinner rewrites a whole text, while a word or two changed in a passage two independent
    # reports share (a company's name for "its") is no spin.
    spun_body = well_sus >= cfg.rewrite_aligned * max(1, sus_total - chrome)
    heavy = (
        len(swaps) >= cfg.rewrite_min
        and len(swap_pairs) >= cfg.rewrite_pairs
        and rate >= cfg.rewrite_rate
        and spun_body
    )
    light = len(swaps) >= cfg.rewrite_min and len(clean_pairs) >= cfg.rewrite_clean_pairs and spun_body
    rewrite = not template and (heavy or light)
    # A heavy human paraphrase: no spinner swaps and few verbatim runs, but the source's rare words
    # in its order through the text, sentence after sentence.
    reworded = (
        not template
        and order is not None
        and reworded_order(order, cfg)
        and sum(1 for p in alignment.pairs if p.score >= cfg.weak_pair) >= cfg.reword_pairs
        and sum(c for i, c in enumerate(covered) if i not in chrome_idx)
        <= cfg.reword_verbatim * max(1, sus_total - chrome)
        # Sentences that align well yet share no runs are a formula's, not a rewording's: where
        # they hold most of the suspect, the judgement above (template, same event) stands.
        and well_sus < cfg.reword_well * max(1, sus_total - chrome)
    )

    credit = 0.0
    aligned_sus: set[int] = set()
    derived_src: set[int] = set()
    # Per aligned pair: the suspect's characters (less what was added inside it) and how many of
    # them lie in shared runs.
    sizes: list[tuple[int, int]] = []
    for k, p in enumerate(alignment.pairs):
        chars = max(0, sum(suspect.sentences[i].content for i in p.suspect) - added[k])
        sizes.append((chars, min(chars, sum(covered[i] for i in p.suspect if i not in chrome_idx))))
    # How verbatim the aligned text is as a whole: an edited sentence of a copy (figures and a word
    # changed, so no run of 12 survives in it) counts as the copy does, not as that one sentence.
    aligned_chars = sum(c for c, _ in sizes)
    verbatim_share = sum(v for _, v in sizes) / aligned_chars if aligned_chars else 0.0
    for k, p in enumerate(alignment.pairs):
        aligned_sus.update(p.suspect)
        chars, verbatim = sizes[k]
        if template:
            got = 0.0 if k in changed_pairs else float(verbatim)
        else:
            conf = min(1.0, max(0.0, (p.score - cfg.weak_pair) / (cfg.strong_pair - cfg.weak_pair)))
            weight = 1.0 if rewrite or reworded else verbatim_share
            got = verbatim + (chars - verbatim) * conf * weight
        credit += got
        if chars and got >= 0.5 * chars:
            derived_src.update(p.source)
    # Verbatim runs outside the alignment (a passage moved or glued elsewhere) derive too.
    credit += sum(
        covered[i] for i in range(len(suspect.sentences)) if i not in aligned_sus and i not in chrome_idx
    )
    denom = max(1, sus_total - chrome)
    score = min(1.0, credit / denom)
    if template and slots is not None:
        score *= 1.0 - max(slots.changed_share, 0.5)
    aligned_src = sum(source.sentences[j].content for j in derived_src)
    coverage = min(1.0, aligned_src / src_total) if src_total else 0.0
    stats = Stats(src_total, sus_total, int(credit), coverage, score, rate, len(swaps), len(alignment.pairs))
    # A close paraphrase: well-aligned pairs, in order, make up most of both texts (independent
    # reports of one event align a sentence or two).
    well_src = sum(source.sentences[j].content for j in well_idx)
    paraphrase = well_sus >= cfg.paraphrase_share * denom and well_src >= cfg.paraphrase_share * max(
        1, src_total
    )
    if template or not (
        rewrite or paraphrase or reworded or _substantial(suspect, covered, reuse, chrome_idx, cfg)
    ):
        # Independent texts: only what they literally share outside quotations counts as derived
        # (a statement both quote derives from its speaker, not from the source).
        quoted = reuse.quoted if reuse is not None else covered
        verbatim = sum(
            c - q for i, (c, q) in enumerate(zip(covered, quoted, strict=True)) if i not in chrome_idx
        )
        score = min(score, verbatim / denom)
        return Relation.UNRELATED, score, replace(stats, suspect_derived=score)
    if furniture:
        score = min(1.0, credit / max(1, denom - furniture))
        stats = replace(stats, suspect_derived=score)
    if (
        score < cfg.partial_derived
        or coverage < cfg.partial_coverage
        or (coverage < cfg.excerpt_coverage and score < cfg.excerpt_derived)
    ):
        return Relation.PARTIAL, score, stats
    if rewrite:
        return Relation.REWRITTEN, score, stats
    return Relation.COPY, score, stats


@dataclass(frozen=True, slots=True)
class VocabularyOrder:
    """What a suspect keeps of its source's wording and facts, whatever its sentences look like
    (see :func:`vocabulary_order`)."""

    share: float = 0.0  # of the suspect's words rare in the source or absent from it, the share kept in order
    words: int = 0  # those kept in order
    figures: int = 0  # numbers in the suspect
    new_figures: int = 0  # of those, values the source does not hold


def reworded_order(order: VocabularyOrder, cfg: ScoreConfig) -> bool:
    """The suspect keeps enough of the source's rare vocabulary in order to read as its paraphrase,
    and keeps its facts: a paraphrase restates the source's figures, while a template sibling or a
    report of another day, whose formula words follow the same order, has figures of its own."""
    return (
        order.share >= cfg.reword_order
        and order.words >= cfg.reword_words
        and order.new_figures <= max(1.0, cfg.reword_new_figures * order.figures)
    )


_VOCABULARY = re.compile(r"[a-z0-9]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=1 << 12)  # a source's sentences meet each of its suspects
def _vocabulary(text: str) -> str:
    """Content vocabulary of a sentence as unit codes: Latin words of three letters or more, less
    common words, by stem; CJK text as its character bigrams (the words of an unspaced script)."""
    common = spaced_common_words()
    out: list[str] = []
    for w in _VOCABULARY.findall(text.lower()):
        if w[0] < "\x80":  # a Latin word or a number
            if len(w) >= 3 and w not in common:
                out.append(word_unit(w))  # unit_code(stem(w)), kept per word
        else:
            out.extend(map(unit_code, map(str.__add__, w, w[1:])))  # its bigrams w[k : k + 2]
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What :func:`vocabulary_order` reads of one document, whichever side it stands on
    (:func:`vocabulary_of`); a caller comparing one document with many keeps it."""

    sentences: int  # sentences in the document
    units: str  # each sentence's content vocabulary (unit codes), in order, joined
    distinct: frozenset[str]  # the units of ``units``
    df: dict[str, int]  # sentences holding each unit
    figures: tuple[str, ...]  # keys of the numbers in the text, in order
    held: frozenset[str]  # the keys of ``figures``
    rare: dict[float, str] = field(default_factory=dict)  # ``units`` held by at most n sentences, per n
    common: dict[float, frozenset[str]] = field(default_factory=dict)  # units held by more, per n

    def rare_units(self, limit: float) -> str:
        """``units`` held by at most ``limit`` sentences, in order."""
        out = self.rare.get(limit)
        if out is None:
            out = self.rare[limit] = _drop(self.units, self.common_units(limit))
        return out

    def common_units(self, limit: float) -> frozenset[str]:
        """The units held by more than ``limit`` sentences."""
        out = self.common.get(limit)
        if out is None:
            out = self.common[limit] = frozenset(u for u, n in self.df.items() if n > limit)
        return out


def vocabulary_of(doc: Segmented) -> Vocabulary:
    src = [_vocabulary(s.text) for s in doc.sentences]
    units = "".join(src)
    figures = tuple(m.key for m in text_numbers(doc.norm.text))
    df = Counter(chain.from_iterable(map(set, src)))
    return Vocabulary(len(src), units, frozenset(units), dict(df), figures, frozenset(figures))


def _drop(units: str, common: Iterable[str]) -> str:
    """``units`` less the ``common`` ones, in order."""
    drop = dict.fromkeys(map(ord, common))
    return units.translate(drop) if drop else units


def vocabulary_order(
    source: Segmented,
    suspect: Segmented,
    rare_share: float = 0.1,
    vocabulary: Callable[[Segmented], Vocabulary] = vocabulary_of,
) -> VocabularyOrder:
    """How much of the source's rare vocabulary the suspect keeps in the source's order: returns
    the longest run in order (gaps allowed) of the suspect's words that are rare in the source (in at
    most ``rare_share`` of its sentences, or one) or absent from it, and that run over all such
    words of the suspect; and how many of the suspect's figures the source does not hold. A paraphrase rewords every phrase but keeps the
    source's terms where they were; an independent text on the same topic shares the topic's
    words, which recur through the source (not rare there), and few of the rest in order.
    ``vocabulary``: :func:`vocabulary_of`, or a memo of it for a caller that compares a document
    many times."""
    src, sus_v = vocabulary(source), vocabulary(suspect)
    limit = max(1.0, rare_share * src.sentences)
    figures = sus_v.figures
    new = sum(1 for k in figures if k not in src.held)
    sus = _drop(sus_v.units, sus_v.distinct & src.common_units(limit))
    if not sus:
        return VocabularyOrder(0.0, 0, len(figures), new)
    words = common_subsequence(sus, src.rare_units(limit))
    return VocabularyOrder(words / len(sus), words, len(figures), new)


def _pair_of(f: Finding, starts: list[tuple[int, int]], pair_spans: list[Span]) -> int:
    """Index of the aligned pair whose suspect span holds the finding, or -1."""
    if f.suspect_span is None:
        return -1
    at = bisect_right(starts, (f.suspect_span.start, len(pair_spans))) - 1
    if at >= 0 and f.suspect_span.end <= pair_spans[starts[at][1]].end:
        return starts[at][1]
    return -1


def _verbatim_share(idx: tuple[int, ...], covered: tuple[int, ...], suspect: Segmented) -> float:
    total = sum(suspect.sentences[i].content for i in idx)
    return sum(covered[i] for i in idx) / total if total else 0.0


def _tail_furniture(suspect: Segmented, alignment: Alignment, findings: tuple[Finding, ...]) -> set[int]:
    """Suspect sentences after the first chrome line that follows the last aligned sentence: a
    page ends with its furniture (share bars, counters, lists of other stories), and whatever
    comes after it belongs to the page, not the article. A line repeating source text (a second
    item's headline) is no chrome here: an article may follow it."""
    if not alignment.pairs:
        return set()
    last = max(i for p in alignment.pairs for i in p.suspect)
    spans = [
        (f.suspect_span.start, f.suspect_span.end)
        for f in findings
        if f.type is FindingType.BOILERPLATE
        and f.suspect_span is not None
        and not str(f.get("reason") or "").startswith("source text repeated")
    ]
    after = sorted(i for i in _chrome_sentences(suspect, spans) if i > last)
    return set(range(after[0] + 1, len(suspect.sentences))) if after else set()


def _chrome_sentences(suspect: Segmented, spans: list[tuple[int, int]]) -> set[int]:
    """Suspect sentences whose middle lies inside a boilerplate finding."""
    out: set[int] = set()
    if not spans:
        return out
    for s in suspect.sentences:
        sp = suspect.span(s.start, s.end)
        mid = (sp.start + sp.end) // 2
        if any(a <= mid < b for a, b in spans):
            out.add(s.index)
    return out


def _substantial(
    suspect: Segmented,
    covered: tuple[int, ...],
    reuse: Reuse | None,
    chrome_idx: set[int],
    cfg: ScoreConfig,
) -> bool:
    """Reused text of substance: ``reuse_sentences`` consecutive sentences reproduced (each half or
    of its text outside quotation in shared runs), or ``reuse_chars`` reused characters outside quotation. A shared
    quotation, one statistic or one sentence of a common press release is not enough."""
    if reuse is None:
        return False
    scale = cfg.letters_per_char if reuse.latin else 1.0
    # Labels and formula lines ("常见问题", "This is a breaking news update.") are no substance.
    prose = [i not in chrome_idx and n >= cfg.reuse_run * scale for i, n in enumerate(reuse.content)]
    outside = sum(c - q for c, q, ok in zip(covered, reuse.quoted, prose, strict=True) if ok)
    if outside >= cfg.reuse_chars or (reuse.source_content and outside >= 0.5 * reuse.source_content):
        return True  # a passage of substance, or most of a short source
    streak = 0
    for i in range(len(suspect.sentences)):
        if i in chrome_idx or reuse.content[i] == 0:
            continue  # chrome and empty lines neither extend nor break a streak
        if reuse.content[i] < cfg.reuse_run * scale:
            # a label or a formula line ("This is a breaking news update.") is no sentence of substance
            streak = 0
            continue
        # Reproduced: half or more of the sentence's own text (outside quotation) is shared.
        own, own_shared = reuse.content[i] - reuse.quoted_content[i], covered[i] - reuse.quoted[i]
        if own_shared > 0 and own_shared >= 0.5 * own:
            streak += 1
            if streak >= cfg.reuse_sentences:
                return True
        else:
            streak = 0
    return False


def parse_fail_on(spec: str | Iterable[str] | None) -> tuple[FindingType, ...]:
    """Finding types to gate on, from ``"altered_number,spliced_spam"`` or a list of names.

    >>> parse_fail_on("altered_number, spliced_spam")
    (<FindingType.ALTERED_NUMBER: 'altered_number'>, <FindingType.SPLICED_SPAM: 'spliced_spam'>)
    >>> parse_fail_on("spliced-spam")
    Traceback (most recent call last):
    ...
    provcheck.errors.ConfigError: unknown finding type spliced-spam; choose from altered_number, boilerplate, deleted, inserted, reformatted_number, shared, spliced_spam, substitution
    """
    if spec is None:
        return ()
    names = spec.split(",") if isinstance(spec, str) else [n for item in spec for n in str(item).split(",")]
    wanted = [n.strip() for n in names if n.strip()]
    known = {t.value: t for t in FindingType}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise ConfigError(
            f"unknown finding type{plural} {', '.join(unknown)}; choose from {', '.join(sorted(known))}"
        )
    return tuple(dict.fromkeys(known[n] for n in wanted))


def check_max_score(max_score: float | None) -> float | None:
    """``max_score`` if it lies in [0, 1] (NaN does not), else a :class:`ConfigError`."""
    if max_score is not None and not 0.0 <= max_score <= 1.0:
        raise ConfigError(f"max score must be a number in [0, 1], got {max_score}")
    return max_score


def gate(report: Report, fail_on: str | Iterable[str] | None = (), max_score: float | None = None) -> str:
    """Return why the gate fails ('' when it passes). Unknown finding types and a ``max_score``
    outside [0, 1] are a :class:`ConfigError`."""
    return gate_values({f.type.value for f in report.findings}, report.score, fail_on, max_score)


def gate_values(
    types: Iterable[str],
    score: float,
    fail_on: str | Iterable[str] | None = (),
    max_score: float | None = None,
) -> str:
    """:func:`gate` on a report's finding types and score (e.g. read back from its JSON)."""
    wanted = {t.value for t in parse_fail_on(fail_on)}
    check_max_score(max_score)
    reasons = []
    hit = sorted(set(types) & wanted)
    if hit:
        reasons.append("findings " + ",".join(hit))
    if max_score is not None and score > max_score:
        reasons.append(f"score {score:.3f} > {max_score}")
    return "; ".join(reasons)
