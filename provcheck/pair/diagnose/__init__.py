"""Diagnosers: one per finding family, each a pure function over the alignment.

* :mod:`.numbers`: ``altered_number`` / ``reformatted_number``
* :mod:`.rewrite`: ``substitution`` (the spinner's word map)
* :mod:`.extras`: ``boilerplate``, ``spliced_spam``, ``inserted``
* deletions: ``deleted`` (source text missing from the copy)
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass, replace

from provcheck.model import AlignedPair, Alignment, Finding, FindingType, Segmented
from provcheck.pair.diagnose.cues import Cues, load_cues
from provcheck.pair.diagnose.extras import (
    PageFacts,
    Signals,
    chrome_line,
    classify_extras,
    collect_extras,
    page_facts,
    page_spam,
    shared_chrome,
    signals_of,
)
from provcheck.pair.diagnose.numbers import number_findings
from provcheck.pair.diagnose.pairdiff import PairDiff, diff_pair
from provcheck.pair.diagnose.rewrite import split_fragments, substitution_findings
from provcheck.pair.diagnose.slots import SlotEvidence, is_name, slot_evidence
from provcheck.text.segment import Segmenter

__all__ = ["DiagnoseConfig", "Diagnoser", "SlotEvidence"]


@dataclass(frozen=True, slots=True)
class DiagnoseConfig:
    extra_spam_cues: tuple[str, ...] = ()  # regular expressions added to the shipped lists
    extra_chrome_cues: tuple[str, ...] = ()
    extra_editorial_cues: tuple[str, ...] = ()
    cue_dir: str | None = None  # a folder with spam_cues.txt / chrome_cues.txt / editorial_cues.txt
    min_deleted_chars: int = 2  # smaller deletions inside a pair are not reported
    well_aligned: float = 0.5  # pairs this similar are body sentences that align well


class Diagnoser:
    """Holds the loaded cue lists; ``diagnose`` is pure given them."""

    def __init__(self, config: DiagnoseConfig | None = None, segmenter: Segmenter | None = None) -> None:
        self.config = config or DiagnoseConfig()
        self.segmenter = segmenter or Segmenter()
        self._cues: Cues | None = None
        # Answers that depend on one document or one line alone, kept for the next pairs: a suspect
        # searched against several candidates, a document met by several partners in a cluster
        # (an entry keeps its document alive; identity is checked).
        self._facts: OrderedDict[int, tuple[Segmented, PageFacts]] = OrderedDict()
        self._facts_size = 256
        self._chrome: dict[str, bool] = {}
        self._chrome_size = 1 << 16
        self._signals: dict[str, Signals] = {}
        self._signals_size = 1 << 15

    @property
    def cues(self) -> Cues:
        if self._cues is None:
            c = self.config
            self._cues = load_cues(c.extra_spam_cues, c.extra_chrome_cues, c.extra_editorial_cues, c.cue_dir)
        return self._cues

    def diagnose(self, source: Segmented, suspect: Segmented, alignment: Alignment) -> tuple[Finding, ...]:
        return self.examine(source, suspect, alignment)[0]

    def examine(
        self,
        source: Segmented,
        suspect: Segmented,
        alignment: Alignment,
        known: dict[AlignedPair, PairDiff] | None = None,
    ) -> tuple[tuple[Finding, ...], SlotEvidence]:
        """Findings, and the slot values swapped in well-aligned pairs (template evidence).
        ``known``: word diffs of some of the pairs, made before (by screening) for this alignment."""
        known = known or {}
        diffs = [known.get(p) or diff_pair(source, suspect, p, self.segmenter) for p in alignment.pairs]
        chrome = self.chrome_line
        slots = slot_evidence(source, suspect, diffs, self.segmenter.lexicon, self.segmenter, chrome=chrome)
        findings: list[Finding] = []
        findings += number_findings(source, suspect, diffs, chrome)
        lex = self.segmenter.lexicon
        subs = substitution_findings(
            source, suspect, diffs, self.config.well_aligned, name=lambda w: is_name(w, lex)
        )
        # One name for another is a template's slot, never a spinner's swap (spinners keep names).
        name_swaps = [
            f.get("swap")
            and is_name(str(f.get("source_word")), lex)
            and is_name(str(f.get("suspect_word")), lex)
            for f in subs
        ]
        subs = [_not_swap(f) if named else f for f, named in zip(subs, name_swaps, strict=True)]
        slots = replace(
            slots, name_swaps=sum(name_swaps), swaps=sum(1 for f in subs if f.get("swap")) + sum(name_swaps)
        )
        findings += split_fragments(source, suspect, subs)
        spinner_words = Counter(str(f.get("suspect_word")) for f in subs)
        extras = collect_extras(suspect, alignment, diffs, self.page_facts(suspect))
        findings += classify_extras(
            source, suspect, extras, self.cues, spinner_words, lex, self.page_facts, self.signals
        )
        findings += shared_chrome(suspect, alignment, self.cues, chrome)
        findings += self._deletions(source, alignment, diffs)
        findings.sort(key=_order)
        return tuple(findings), slots

    def chrome_line(self, text: str) -> bool:
        """:func:`.extras.chrome_line` with the loaded cues, kept per line."""
        found = self._chrome.get(text)
        if found is None:
            if len(self._chrome) >= self._chrome_size:
                self._chrome.clear()
            found = self._chrome[text] = chrome_line(text, self.cues)
        return found

    def signals(self, text: str, cues: Cues) -> Signals:
        """:func:`.extras.signals_of`, kept per text for the loaded cues (a suspect's unaligned
        sentences are judged again against each candidate it meets)."""
        if cues is not self._cues:
            return signals_of(text, cues)
        found = self._signals.get(text)
        if found is None:
            if len(self._signals) >= self._signals_size:
                self._signals.clear()
            found = self._signals[text] = signals_of(text, cues)
        return found

    def page_facts(self, seg: Segmented) -> PageFacts:
        """:func:`.extras.page_facts`, kept for the documents met lately."""
        hit = self._facts.get(id(seg))
        if hit is not None and hit[0] is seg:
            self._facts.move_to_end(id(seg))
            return hit[1]
        facts = page_facts(seg)
        self._facts[id(seg)] = (seg, facts)
        self._facts.move_to_end(id(seg))
        if len(self._facts) > self._facts_size:
            self._facts.popitem(last=False)
        return facts

    def page_spam(self, suspect: Segmented) -> tuple[Finding, ...]:
        """Spam the suspect page carries on its own (keyword headers, spam site names), for pairs
        whose other findings are not reported."""
        return tuple(page_spam(suspect, self.cues, self.page_facts(suspect)))

    def _deletions(self, source: Segmented, alignment: Alignment, diffs: list[PairDiff]) -> list[Finding]:
        out: list[Finding] = []
        for j in alignment.unmatched_source:
            s = source.sentences[j]
            if not any(c.isalnum() for c in s.text):
                continue
            out.append(_deleted(source, s.start, s.end, "sentence"))
        for pd in diffs:
            for op in pd.ops:
                if op.tag != "delete":
                    continue
                text = "".join(w.text for w in op.source)
                if sum(1 for c in text if c.isalnum()) < self.config.min_deleted_chars:
                    continue
                out.append(_deleted(source, op.source[0].start, op.source[-1].end, "words"))
        return out


def _not_swap(f: Finding) -> Finding:
    return replace(f, detail=tuple((k, False if k == "swap" else v) for k, v in f.detail))


def _order(f: Finding) -> tuple[int, int, str]:
    if f.suspect_span is not None:
        return (0, f.suspect_span.start, f.type.value)
    assert f.source_span is not None
    return (1, f.source_span.start, f.type.value)


def _deleted(source: Segmented, start: int, end: int, scope: str) -> Finding:
    """A deletion of the source's normalized ``[start, end)``, with its original text."""
    span = source.span(start, end)
    return Finding(
        FindingType.DELETED, None, span, "", source.doc.text[span.start : span.end], (("scope", scope),)
    )
