"""Segment normalized text into lines, sentences, matching units and words.

A *unit* is one CJK character, one Latin word or one number (by value). Each sentence carries its
units as a string of one character per unit (see :func:`unit_code`), so rapidfuzz scores and diffs whole words and numbers;
punctuation and white space are not units. Words for the substitution map come from jieba's
dictionary through rjieba (the same dictionary, compiled), loaded lazily.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from provcheck.model import Document, NormText, Segmented, Sentence
from provcheck.text.lexicon import Lexicon
from provcheck.text.normalize import CJK_PATTERN, is_cjk
from provcheck.text.numerals import NumberMention, find_numbers

__all__ = ["SegmentConfig", "Segmenter", "content_length", "unit_code"]


@dataclass(frozen=True, slots=True)
class SegmentConfig:
    join_broken_lines: bool = True  # join a line that stops mid-sentence with the next one
    min_join_chars: int = 16  # only lines at least this long are taken as broken sentences
    max_sentence_chars: int = 2000  # a longer run without a full stop is cut into pieces (bounded alignment)


@lru_cache(maxsize=1 << 16)  # the same words recur in every text: hash each once
def unit_code(unit: str) -> str:
    """One character standing for a unit: a CJK character stands for itself; a Latin word or a
    number key maps to a private-use code point by a BLAKE2 hash (stateless, the same in every
    process; collisions are rare and only ever blur a similarity, never a diff)."""
    if len(unit) == 1 and is_cjk(unit):
        return unit
    digest = int.from_bytes(hashlib.blake2b(unit.encode("utf-8"), digest_size=8).digest(), "big")
    return chr(0xF0000 + digest % 0x1FFFD)


_TERMINAL = re.compile(
    r"[。！？!?；;…]+[”’\"'」』）)\]】]*|(?<=[a-z\)\]\"'”])\.(?=\s|$|[\u4e00-\u9fff])[”’\"']*"
)
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007"
_UNIT = re.compile(rf"[{_CJK_CLASS}]|[a-z0-9]+(?:['’][a-z]+)?|[^\W_{_CJK_CLASS}]+")
_PURE_CJK = re.compile(rf"[{_CJK_CLASS}\W_]*")
_NOT_CJK = re.compile(rf"[^{_CJK_CLASS}]+")
_ALNUM = re.compile(r"[^\W_]")  # what str.isalnum accepts
_MID_SENTENCE_END = re.compile(r"([\u4e00-\u9fff]|[,，、a-z])$")


def content_length(text: str) -> int:
    """Characters that carry content (letters, digits, CJK), for coverage figures."""
    return sum(map(str.isalnum, text))


class Segmenter:
    """Splits a normalized text into sentences with units; holds the lazily loaded tokenizer."""

    def __init__(self, config: SegmentConfig | None = None) -> None:
        self.config = config or SegmentConfig()
        self.lexicon = Lexicon()
        # the numbers of the sentences segmented lately: the word diff of an aligned sentence reads
        # them again (and a document's every sentence is one text of the memo, by its text)
        self._numbers: dict[str, tuple[NumberMention, ...]] = {}
        self._numbers_size = 1 << 14

    # -- words -------------------------------------------------------------------------------
    def numbers(self, text: str) -> list[NumberMention]:
        """Numbers in ``text`` (normalized), numeral characters of ordinary words (十分) left out."""
        found = self._numbers.get(text)
        if found is None:
            if len(self._numbers) >= self._numbers_size:
                self._numbers.clear()
            found = self._numbers[text] = tuple(find_numbers(text, self.lexicon))
        return list(found)

    def words(self, text: str, nums: list[NumberMention] | None = None) -> list[tuple[int, int]]:
        """Word spans in ``text`` (normalized): jieba words for CJK runs, Latin words, numbers;
        punctuation and spaces are skipped. ``nums`` are ``self.numbers(text)`` when the caller
        has them already."""
        spans: list[tuple[int, int]] = []
        if nums is None:
            nums = self.numbers(text)
        pos = 0
        for m in [*nums, None]:
            stop = m.start if m is not None else len(text)
            if stop > pos:
                self._words_plain(text, pos, stop, spans)
            if m is not None:
                spans.append((m.start, m.end))
                pos = m.end
        return spans

    def _words_plain(self, text: str, start: int, stop: int, out: list[tuple[int, int]]) -> None:
        chunk = text[start:stop]
        off = start
        for tok in self.lexicon.cut(chunk):
            n = len(tok)
            if _ALNUM.search(tok):  # not only spaces and punctuation
                out.append((off, off + n))
            off += n

    # -- sentences ---------------------------------------------------------------------------
    def segment(self, doc: Document, norm: NormText) -> Segmented:
        text = norm.text
        lines: list[tuple[int, int]] = []
        pos = 0
        for part in text.split("\n"):
            if part.strip():
                lines.append((pos, pos + len(part)))
            pos += len(part) + 1
        blocks = self._join_lines(text, lines)
        sentences: list[Sentence] = []
        for bstart, bend in blocks:
            cuts = [bstart]
            for m in _TERMINAL.finditer(text, bstart, bend):
                if m.end() < bend:
                    cuts.append(m.end())
            cuts.append(bend)
            for k in range(len(cuts) - 1):
                s, e = cuts[k], cuts[k + 1]
                while s < e and text[s] in " \n":
                    s += 1
                while e > s and text[e - 1] in " \n":
                    e -= 1
                if e <= s:
                    continue
                pieces = _pieces(text, s, e, self.config.max_sentence_chars)
                for n, (ps, pe) in enumerate(pieces):
                    first = k == 0 and n == 0
                    last = k == len(cuts) - 2 and n == len(pieces) - 1
                    sentences.append(self._sentence(len(sentences), text, ps, pe, first, last))
        return Segmented(doc, norm, tuple(sentences), tuple(lines))

    def _join_lines(self, text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
        if not self.config.join_broken_lines or not lines:
            return lines
        out = [lines[0]]
        for s, e in lines[1:]:
            ps, pe = out[-1]
            prev = text[ps:pe]
            if (
                len(prev) >= self.config.min_join_chars
                and _stops_mid_sentence(prev)
                and _continues(text[s:e])
            ):
                out[-1] = (ps, e)
            else:
                out.append((s, e))
        return out

    def _sentence(self, index: int, text: str, s: int, e: int, first: bool, last: bool) -> Sentence:
        body = text[s:e]
        nums = self.numbers(body)
        if not nums and _PURE_CJK.fullmatch(body):
            units = _NOT_CJK.sub("", body)
        else:
            parts: list[str] = []
            pos = 0
            for m in [*nums, None]:
                stop = m.start if m is not None else len(body)
                parts.extend(
                    map(unit_code, _UNIT.findall(body, pos, stop))
                )  # a CJK character codes as itself
                if m is not None:
                    parts.append(unit_code("#" + m.key))
                    pos = m.end
            units = "".join(parts)
        return Sentence(index, s, e, body, units, first, last, content_length(body))


def _pieces(text: str, s: int, e: int, limit: int) -> list[tuple[int, int]]:
    """``[s, e)`` cut into pieces of at most ``limit`` characters, each cut after the last space or
    punctuation mark in the piece's final quarter (else at the limit), so a line without full stops
    (a 5 MB line) aligns as many bounded sentences instead of one quadratic one."""
    out: list[tuple[int, int]] = []
    while e - s > limit:
        cut = s + limit
        for k in range(cut - 1, cut - limit // 4, -1):
            if not text[k].isalnum():
                cut = k + 1
                break
        out.append((s, cut))
        s = cut
        while s < e and text[s] in " \n":
            s += 1
    if s < e:
        out.append((s, e))
    return out


def _stops_mid_sentence(line: str) -> bool:
    """A prose line (mostly CJK or words) that ends on a character or comma, not on punctuation.

    When the line holds a finished sentence, the unfinished rest must be long too: a few words
    after the last full stop are more often a keyword glued to the paragraph than a broken line.
    """
    if not _MID_SENTENCE_END.search(line) or _letters(line) < 0.7 * len(line):
        return False
    ends = list(_TERMINAL.finditer(line))
    return not ends or len(line) - ends[-1].end() >= 8


def _letters(line: str) -> int:
    """``sum(1 for c in line if is_cjk(c) or c.isalpha())``, a pattern and a builtin doing the
    counting (a tenth of segmenting a page went to the generator)."""
    other = CJK_PATTERN.sub("", line)  # every character is_cjk accepts counts, the others when alphabetic
    return len(line) - len(other) + sum(map(str.isalpha, other))


def _continues(line: str) -> bool:
    """A line that reads as the rest of a sentence: it starts with a CJK character or a lower-case
    letter, and it finishes a sentence or is long. A short line without a full stop (扫一扫在手机
    打开当前页, 相关新闻) is page furniture, not the end of the paragraph above it."""
    head = line.lstrip()[:1]
    if not head or not (is_cjk(head) or head.islower()):
        return False
    return len(line) >= 16 or bool(_TERMINAL.search(line))
