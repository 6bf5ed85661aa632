"""Word-level diff inside aligned sentence groups.

Words are jieba words for Chinese runs, Latin words, and numbers; a number is compared by value
(its key), so ``16`` against ``十六`` is an *equal* word whose surface differs.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple
from weakref import WeakKeyDictionary

from provcheck.model import AlignedPair, Segmented, Sentence
from provcheck.pair.align import diff
from provcheck.text.normalize import is_cjk
from provcheck.text.numerals import NumberMention
from provcheck.text.segment import Segmenter

__all__ = ["PairDiff", "Word", "WordOp", "diff_pair", "sentence_words"]


class Word(NamedTuple):
    """One word of a sentence group (a named tuple, not a dataclass: a long document's groups hold
    hundreds of thousands, and a tuple is made several times faster)."""

    start: int  # normalized offsets in the document's NormText
    end: int
    text: str
    code: str  # what the diff compares: the word, or "#" + value key for a number
    number: NumberMention | None = None
    offsets: tuple[int, ...] = ()  # normalized offset of each character (a word may straddle a line break)


@dataclass(frozen=True, slots=True)
class WordOp:
    tag: str  # equal | replace | insert | delete
    source: tuple[Word, ...]
    suspect: tuple[Word, ...]


@dataclass(frozen=True, slots=True)
class PairDiff:
    pair: AlignedPair
    ops: tuple[WordOp, ...]
    identical: bool  # the normalized texts are the same


def sentence_words(seg: Segmented, indices: tuple[int, ...], segmenter: Segmenter) -> list[Word]:
    """Words of consecutive sentences, tokenized as one text so a word broken across a line
    break (or split between two sentences of a group) stays whole. A document compared with many
    others (a source and its copies, a query and its candidates) meets the same groups again: the
    last few thousand are kept per segmenter."""
    parts = tuple(seg.sentences[i] for i in indices)
    key = tuple((p.start, p.end, p.text) for p in parts)
    kept = _KEPT.get(segmenter)
    if kept is None:
        kept = _KEPT[segmenter] = OrderedDict()
    words = kept.get(key)
    if words is None:
        words = kept[key] = _words(parts, segmenter)
        if len(kept) > _KEEP:
            kept.popitem(last=False)
    else:
        kept.move_to_end(key)
    return list(words)


_KEPT: WeakKeyDictionary[Segmenter, OrderedDict[tuple[tuple[int, int, str], ...], list[Word]]] = (
    WeakKeyDictionary()
)
_KEEP = 2048


def _words(parts: tuple[Sentence, ...], segmenter: Segmenter) -> list[Word]:
    if len(parts) == 1 and "\n" not in parts[0].text:
        return _sentence_words(parts[0], segmenter)
    chars: list[str] = []
    offsets: list[int] = []
    for n, p in enumerate(parts):
        body = p.text
        if "\n" not in body:
            chars.append(body)
            offsets.extend(range(p.start, p.start + len(body)))
        else:
            for k, ch in enumerate(body):
                if ch == "\n":
                    # A line break between CJK characters is no word boundary (a word broken by the
                    # copy's layout); between Latin words it is a space.
                    if 0 < k < len(body) - 1 and is_cjk(body[k - 1]) and is_cjk(body[k + 1]):
                        continue
                    ch = " "
                chars.append(ch)
                offsets.append(p.start + k)
        nxt = parts[n + 1].text[:1] if n + 1 < len(parts) else ""
        if nxt and not (body and is_cjk(body[-1]) and is_cjk(nxt)):
            chars.append(" ")  # Latin sentences of a group meet at a word boundary
            offsets.append(p.end)
    offsets.append(parts[-1].end)
    return _coded_words("".join(chars), offsets, segmenter)


def _sentence_words(p: Sentence, segmenter: Segmenter) -> list[Word]:
    """:func:`_words` of one sentence on one line: its text is the document's from ``p.start``."""
    return _coded_words(p.text, range(p.start, p.start + len(p.text) + 1), segmenter)


def _coded_words(text: str, offsets: Sequence[int], segmenter: Segmenter) -> list[Word]:
    """The words of ``text`` with their codes (a number by its value), placed in the document by
    ``offsets`` (the normalized offset of each character of ``text``, and of its end)."""
    found = segmenter.numbers(text)
    nums = {m.start: m for m in found}
    words: list[Word] = []
    for s, e in segmenter.words(text, found):
        wtext = text[s:e]
        num = nums.get(s)
        if num is not None and num.end == e:
            code = "#" + num.key  # numbers compare by value
        else:
            num = None
            code = wtext
        # tuple.__new__ skips the named tuple's Python-level constructor (the fields in order)
        words.append(_new(Word, (offsets[s], offsets[e - 1] + 1, wtext, code, num, tuple(offsets[s:e]))))
    return words


_new = tuple.__new__


def diff_pair(source: Segmented, suspect: Segmented, pair: AlignedPair, segmenter: Segmenter) -> PairDiff:
    src_text = "".join(source.sentences[j].text for j in pair.source)
    sus_text = "".join(suspect.sentences[i].text for i in pair.suspect)
    identical = src_text == sus_text
    if identical:
        return PairDiff(pair, (), True)
    a = sentence_words(source, pair.source, segmenter)
    b = sentence_words(suspect, pair.suspect, segmenter)
    ops = diff([w.code for w in a], [w.code for w in b])
    out: list[WordOp] = []
    for op in ops:
        cur = WordOp(op.tag, tuple(a[op.a_start : op.a_end]), tuple(b[op.b_start : op.b_end]))
        prev = out[-1] if out else None
        if prev is not None and prev.tag != "equal" and cur.tag != "equal":
            # Adjacent changes form one region: a word split differently on each side is a
            # replacement, not a deletion next to an insertion.
            src_words, sus_words = prev.source + cur.source, prev.suspect + cur.suspect
            tag = "replace" if src_words and sus_words else ("insert" if sus_words else "delete")
            out[-1] = WordOp(tag, src_words, sus_words)
        else:
            out.append(cur)
    return PairDiff(pair, tuple(_unglue(_split_regions(out), suspect.doc.text, suspect.norm.offsets)), False)


def _unglue(ops: list[WordOp], raw: str, offsets: tuple[int, ...] | list[int]) -> list[WordOp]:
    """A one-word replacement whose suspect word is the source word with a capitalised word glued to
    it (Caldwellsubsequent for subsequent, fireThomas for fire: a scraper's splice that lost its
    space) is an insertion next to an unchanged word. Only a change of case inside the word as
    written shows the seam; normalized text is lower case."""
    out: list[WordOp] = []
    for op in ops:
        parts = _seam(op, raw, offsets) if op.tag == "replace" else None
        for part in [op] if parts is None else parts:
            prev = out[-1] if out else None
            if prev is not None and prev.tag == part.tag == "insert":
                out[-1] = WordOp("insert", (), prev.suspect + part.suspect)
            else:
                out.append(part)
    return out


def _seam(op: WordOp, raw: str, offsets: tuple[int, ...] | list[int]) -> list[WordOp] | None:
    if len(op.source) != 1 or len(op.suspect) != 1:
        return None
    w, src = op.suspect[0], op.source[0].text
    k = len(w.text) - len(src)
    if k < 2 or len(src) < 2 or len(w.offsets) != len(w.text) or not w.text.isascii() or not w.text.isalpha():
        return None
    written = "".join(raw[offsets[i]] for i in w.offsets)
    if w.text.endswith(src) and written[0].isupper() and written[k].islower() and written[1:k].islower():
        cut = k  # Caldwell|subsequent
    elif w.text.startswith(src) and written[len(src)].isupper() and written[len(src) - 1].islower():
        cut = len(src)  # fire|Thomas
    else:
        return None
    head = Word(w.offsets[0], w.offsets[cut - 1] + 1, w.text[:cut], w.text[:cut], None, w.offsets[:cut])
    tail = Word(w.offsets[cut], w.end, w.text[cut:], w.text[cut:], None, w.offsets[cut:])
    if cut == k:
        return [WordOp("insert", (), (head,)), WordOp("equal", op.source, (tail,))]
    return [WordOp("equal", op.source, (head,)), WordOp("insert", (), (tail,))]


def _overlap(a: str, b: str) -> int:
    return sum(min(a.count(c), b.count(c)) for c in set(a) if c.isalnum())


def _split_regions(ops: list[WordOp]) -> list[WordOp]:
    """Inside a replacement region with more suspect words than source words, find the window of
    suspect words that best matches the source words character by character; suspect words left
    over at either end are insertions (a brand glued before a rewritten word, a keyword after it)."""
    out: list[WordOp] = []
    for op in ops:
        k, n = len(op.source), len(op.suspect)
        if op.tag != "replace" or n <= k:
            out.append(op)
            continue
        src_text = "".join(w.text for w in op.source)
        best, best_o = 0, -1
        for o in range(n - k + 1):
            score = _overlap(src_text, "".join(w.text for w in op.suspect[o : o + k]))
            if score > best:
                best, best_o = score, o
        if best_o < 0 or best < 0.5 * sum(1 for c in src_text if c.isalnum()):
            out.append(op)  # no window reads as the source words: a rewritten phrase
            continue
        head, body, tail = op.suspect[:best_o], op.suspect[best_o : best_o + k], op.suspect[best_o + k :]
        if head:
            out.append(WordOp("insert", (), head))
        out.append(WordOp("replace", op.source, body))
        if tail:
            out.append(WordOp("insert", (), tail))
    return out
