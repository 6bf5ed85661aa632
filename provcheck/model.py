"""Typed values handed between pipeline stages.

Every span is half-open ``[start, end)`` in code points of a document's decoded text
exactly as read (after universal-newline translation), never of a normalized copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "AlignedPair",
    "Alignment",
    "Document",
    "Finding",
    "FindingType",
    "NormText",
    "Relation",
    "Report",
    "Segmented",
    "Sentence",
    "Span",
    "Stats",
]


class Relation(StrEnum):
    COPY = "copy"
    REWRITTEN = "rewritten"
    PARTIAL = "partial"
    UNRELATED = "unrelated"


class FindingType(StrEnum):
    ALTERED_NUMBER = "altered_number"
    REFORMATTED_NUMBER = "reformatted_number"
    SPLICED_SPAM = "spliced_spam"
    BOILERPLATE = "boilerplate"
    INSERTED = "inserted"
    DELETED = "deleted"
    SUBSTITUTION = "substitution"
    SHARED = "shared"  # text both share in a pair judged unrelated (a quotation, a formula)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open ``[start, end)`` in code points of an original decoded text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded input: ``text`` is exactly what the file says after decoding and universal newlines.

    For HTML input ``text`` is still the decoded HTML source; ``kind`` is ``"html"`` and the
    extracted article text is produced by :func:`provcheck.text.normalize.normalize` with offsets into it.
    """

    id: str
    text: str
    encoding: str = "utf-8"
    kind: str = "text"  # "text" | "html"
    meta: tuple[tuple[str, str], ...] = ()

    def meta_get(self, key: str) -> str | None:
        for k, v in self.meta:
            if k == key:
                return v
        return None


@dataclass(frozen=True, slots=True, eq=False)
class NormText:
    """Text normalized for matching, with ``offsets[i]`` = original index of normalized char ``i``.

    ``offsets`` has ``len(text) + 1`` entries; the last is the original length.
    """

    text: str
    offsets: tuple[int, ...]

    def orig_span(self, start: int, end: int) -> Span:
        """Map a normalized ``[start, end)`` back to the original text."""
        if end <= start:
            pos = self.offsets[min(start, len(self.text))]
            return Span(pos, pos)
        return Span(self.offsets[start], self.offsets[end - 1] + 1)


@dataclass(frozen=True, slots=True, eq=False)
class Sentence:
    """One sentence (or text line) of a document.

    ``start``/``end`` index the normalized text; ``units`` is the matching string: one character per
    unit (a CJK character, a Latin word, or a number by value: see :func:`provcheck.text.segment.unit_code`).
    ``content`` counts the characters that carry content (letters, digits, CJK).
    """

    index: int
    start: int
    end: int
    text: str
    units: str
    line_start: bool = False  # the sentence begins a line
    line_end: bool = False  # the sentence ends a line
    content: int = 0


@dataclass(frozen=True, slots=True, eq=False)
class Segmented:
    doc: Document
    norm: NormText
    sentences: tuple[Sentence, ...]
    lines: tuple[tuple[int, int], ...]  # normalized spans of non-empty lines

    def span(self, start: int, end: int) -> Span:
        return self.norm.orig_span(start, end)


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """Suspect sentence(s) aligned to source sentence(s), with a similarity in [0, 1]."""

    source: tuple[int, ...]
    suspect: tuple[int, ...]
    score: float


@dataclass(frozen=True, slots=True)
class Alignment:
    pairs: tuple[AlignedPair, ...]
    unmatched_source: tuple[int, ...]
    unmatched_suspect: tuple[int, ...]
    repeated: tuple[
        int, ...
    ] = ()  # unmatched suspect sentences that repeat an already aligned source sentence


@dataclass(frozen=True, slots=True)
class Finding:
    """One diagnosed change. ``detail`` holds type-specific fields (values, counts, reason)."""

    type: FindingType
    suspect_span: Span | None = None
    source_span: Span | None = None
    suspect_text: str = ""
    source_text: str = ""
    detail: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        for k, v in self.detail:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True)
class Stats:
    """Coverage figures behind the relation and score, all in [0, 1] except counts."""

    source_chars: int = 0
    suspect_chars: int = 0
    derived_chars: int = 0  # suspect characters that derive from the source
    source_coverage: float = 0.0  # share of the source's content reproduced in the suspect
    suspect_derived: float = 0.0  # share of the suspect's content (less chrome and spam) derived
    substitution_rate: float = 0.0  # substituted words per aligned source word
    substitutions: int = 0
    aligned_pairs: int = 0


@dataclass(frozen=True, slots=True)
class Report:
    """The result of comparing a suspect to a source."""

    source: Document
    suspect: Document
    relation: Relation
    score: float
    findings: tuple[Finding, ...]
    alignment: Alignment
    stats: Stats
    source_seg: Segmented | None = field(default=None, compare=False)
    suspect_seg: Segmented | None = field(default=None, compare=False)
