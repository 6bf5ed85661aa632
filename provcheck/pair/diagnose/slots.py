"""Slot values in well-aligned sentences: the names, dates and figures that make a report a report.

Template news (two funds' dividend notices, two days' market wraps, two earthquake bulletins)
shares a formula and differs in every fact: the words around the slots stay, the slot values
change, sentence after sentence, and names, dates and figures change together. A copy with altered
figures changes a figure or two and keeps the names and dates. This module counts, over aligned
sentence pairs that align well, how many carry slot values and in how many a slot value was swapped
in place (the words around it unchanged); :func:`provcheck.pair.score.decide` judges the pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from provcheck.model import Segmented
from provcheck.pair.diagnose.pairdiff import PairDiff, Word, WordOp, sentence_words
from provcheck.text.lexicon import Lexicon
from provcheck.text.normalize import is_cjk
from provcheck.text.segment import Segmenter

__all__ = ["SlotEvidence", "is_name", "slot_evidence", "slot_kind"]

_NAME_TAGS = frozenset({"nr", "nrfg", "nrt", "ns", "nt"})
_DATE_UNIT = re.compile(r"\s*(年|月|日|号|时|点|分)")
_LINKISH = re.compile(r"https?://|www\.|\.(com|cn|net|org|s?html?)\b|/\w+/", re.I)
_MAX_SLOT_WORDS = 4  # a swapped slot is a short stretch with unchanged words on both sides


@dataclass(frozen=True, slots=True)
class SlotEvidence:
    slot_words: int = 0  # slot values (names, dates, figures) on the source side of aligned pairs
    changed_words: int = 0  # of those, values swapped in place for another value
    changed_sentences: int = 0  # aligned pairs holding such a swap
    kinds: frozenset[str] = frozenset()  # kinds of swapped slots: name, date, figure
    changed_pairs: tuple[int, ...] = ()  # indices (in the alignment) of the pairs with swaps
    figures: int = 0  # figures (numbers other than dates) among the slot values
    changed_figures: int = 0
    name_sentences: int = 0  # aligned pairs where a name was swapped in place
    mixed_sentences: int = 0  # aligned pairs where slots of two kinds were swapped (a date and a name)
    name_swaps: int = 0  # word-for-word substitutions of one name for another (spinners keep names)
    swaps: int = 0  # all word-for-word substitutions in well-aligned pairs

    @property
    def changed_share(self) -> float:
        return self.changed_words / self.slot_words if self.slot_words else 0.0


def slot_kind(word: Word, text: str, lexicon: Lexicon) -> str:
    """``figure``, ``date``, ``name`` or '' for a word of normalized ``text``.

    A number followed by 年/月/日 is a date; a place, person or organisation in the dictionary, an
    unknown CJK word (jieba's new words are mostly names) or a model designation (R8, D90) is a name.
    """
    if word.number is not None:
        return "date" if _DATE_UNIT.match(text, word.end) else "figure"
    return "name" if is_name(word.text, lexicon) else ""


def is_name(w: str, lexicon: Lexicon) -> bool:
    """A place, person or organisation in the dictionary, an unknown CJK word of two or more
    characters, or a model designation (R8, D90)."""
    known = _known_names(lexicon)
    found = known.get(w)
    if found is None:
        found = known[w] = _is_name(w, lexicon)
    return found


# Answers per dictionary: the same words come back in every pair.
_NAMES: WeakKeyDictionary[Lexicon, dict[str, bool]] = WeakKeyDictionary()
_NAMES_KEPT = 200_000


def _known_names(lexicon: Lexicon) -> dict[str, bool]:
    known = _NAMES.get(lexicon)
    if known is None or len(known) > _NAMES_KEPT:
        known = _NAMES[lexicon] = {}
    return known


def _slot_kinds(lexicon: Lexicon) -> Callable[[Word, str], str]:
    """:func:`slot_kind` for many words of one pair: the dictionary's kept answers are looked up
    once."""
    known = _known_names(lexicon)

    def kind(word: Word, text: str) -> str:
        if word.number is not None:
            return "date" if _DATE_UNIT.match(text, word.end) else "figure"
        found = known.get(word.text)
        if found is None:
            found = is_name(word.text, lexicon)
        return "name" if found else ""

    return kind


def _is_name(w: str, lexicon: Lexicon) -> bool:
    if any(c.isdigit() for c in w) and any(c.isalpha() for c in w):
        return True
    if len(w) < 2 or not all(is_cjk(c) for c in w):
        return False
    tag = lexicon.tag(w)
    return tag in _NAME_TAGS or (tag is None and lexicon.freq(w) == 0)


def _swapped(ops: tuple[WordOp, ...], k: int) -> bool:
    """The replacement at ``k`` is short and flanked by unchanged words (or a sentence edge)."""
    op = ops[k]
    if len(op.source) > _MAX_SLOT_WORDS or len(op.suspect) > _MAX_SLOT_WORDS:
        return False
    before = ops[k - 1].tag == "equal" if k > 0 else True
    after = ops[k + 1].tag == "equal" if k + 1 < len(ops) else True
    return before and after


def slot_evidence(
    source: Segmented,
    suspect: Segmented,
    diffs: list[PairDiff],
    lexicon: Lexicon,
    segmenter: Segmenter,
    aligned: float = 0.3,
    chrome: Callable[[str], bool] | None = None,
) -> SlotEvidence:
    """Count slot values kept and swapped over aligned pairs at least ``aligned`` similar."""
    total = changed = figures = changed_figures = name_sents = mixed = 0
    kinds: set[str] = set()
    changed_pairs: list[int] = []
    identical: list[PairDiff] = []
    kind = _slot_kinds(lexicon)
    src_norm, sus_norm = source.norm.text, suspect.norm.text
    for n, pd in enumerate(diffs):
        if pd.pair.score < aligned:
            continue
        src_text = "".join(source.sentences[j].text for j in pd.pair.source)
        if _LINKISH.search(src_text):
            continue  # a link line: its digits are an address, not facts
        if chrome is not None and chrome(src_text):
            continue  # a page-chrome line: its timestamp and counters are no facts of the article
        if pd.identical:
            identical.append(pd)
            continue
        hit = named = False
        pair_kinds: set[str] = set()
        for k, op in enumerate(pd.ops):
            src_slots = [kd for kd in (kind(w, src_norm) for w in op.source) if kd]
            total += len(src_slots)
            figures += src_slots.count("figure")
            if op.tag != "replace" or not src_slots:
                continue
            sus_slots = {kd for kd in (kind(w, sus_norm) for w in op.suspect) if kd}
            same = set(src_slots) & sus_slots  # a date for a date, a name for a name
            if same and _swapped(pd.ops, k):
                hit = True
                changed += len(src_slots)
                changed_figures += src_slots.count("figure") if "figure" in same else 0
                named = named or "name" in same
                kinds |= same
                pair_kinds |= same
        mixed += len(pair_kinds) >= 2
        if hit:
            changed_pairs.append(n)
        name_sents += named
    if changed:
        # Identical pairs keep every slot value they hold; count them only when something changed.
        for pd in identical:
            words = sentence_words(source, pd.pair.source, segmenter)
            found = [kind(w, src_norm) for w in words]
            total += sum(1 for kd in found if kd)
            figures += found.count("figure")
    return SlotEvidence(
        total,
        changed,
        len(changed_pairs),
        frozenset(kinds),
        tuple(changed_pairs),
        figures,
        changed_figures,
        name_sents,
        mixed,
    )
