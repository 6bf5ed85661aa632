"""Find numbers in normalized text and parse them to comparable values.

Arabic and Chinese numerals, decimals, thousands separators, 万/亿 magnitudes, percentages and
digit-by-digit years all parse to one canonical key, so ``16`` and ``十六``, ``2023`` and ``二〇二三``,
``43300`` and ``4.33万`` compare equal.

Numeral characters inside ordinary words (十分 "very", 一些, 一起, 统一, 三心二意) are not numbers,
and 十 never follows digits as a magnitude (z33十分相似 is 33, then 十分); 千 before 克, 米 or 瓦 is the
unit's kilo (5千克 is 5 of 千克). The first needs the dictionary: a numeral character belongs to a word when the longest
dictionary word around it is *lexicalized*, far more frequent than the same word with any other
numeral in its place (十分 against 五分, 三分 ...; 一天 against 两天, 三天 is a count).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

__all__ = [
    "NumberMention",
    "designation",
    "find_numbers",
    "in_word",
    "number_can_start",
    "parse_chinese",
    "text_numbers",
]

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_MAG = {"百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

_CN = "零〇○一二两三四五六七八九十百千万亿"
_NUMBER = re.compile(
    r"(?P<hm>\d)米(?P<hc>\d{1,2})(?![\d.%年月日号])|"  # 2米05, 1米8: a height in metres and centimetres
    r"(?P<pct>百分之)?"
    r"(?:(?P<ar>\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<armag>(?:[百万亿]|千(?![克米瓦焦帕]))*)"
    r"|(?P<cn>[" + _CN + r"]+(?:点[零〇○一二三四五六七八九]+)?[万亿]?))"
    r"(?P<pct2>%|‰)?"
)


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number in normalized text: ``[start, end)`` and a canonical ``key`` (value plus % flag)."""

    start: int
    end: int
    text: str
    value: Decimal
    percent: str  # "", "%" or "‰"
    unit: str = ""  # a unit written inside the number (米 of 2米05)

    @property
    def key(self) -> str:
        v = self.value.normalize()
        s = format(v, "f")
        return s + self.percent


def parse_chinese(text: str) -> Decimal | None:
    """Parse a Chinese numeral: ``三十二`` -> 32, ``二〇二三`` -> 2023, ``一万二千`` -> 12000,
    ``三点五`` -> 3.5. Returns None when the run is not a number (e.g. a lone ``万``).

    >>> [str(parse_chinese(t)) for t in ("十六", "二〇二三", "一万二千", "三点五", "两百", "十", "二零零零亿", "四万亿")]
    ['16', '2023', '12000', '3.5', '200', '10', '200000000000', '4000000000000']
    """
    if not text:
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        w = parse_chinese(whole) if whole else Decimal(0)
        if w is None or not frac or any(c not in _CN_DIGITS for c in frac):
            return None
        return w + Decimal("0." + "".join(str(_CN_DIGITS[c]) for c in frac))
    for big, factor in (("亿", 100_000_000), ("万", 10_000)):
        if big in text:
            head, _, rest = text.partition(big)
            h = parse_chinese(head) if head else None
            if h is None:
                return None
            r = parse_chinese(rest.lstrip("零〇○")) if rest.strip("零〇○") else Decimal(0)
            if r is None:
                return None
            return h * factor + r
    if all(c in _CN_DIGITS for c in text):
        if len(text) == 1:
            return Decimal(_CN_DIGITS[text])
        return Decimal("".join(str(_CN_DIGITS[c]) for c in text))  # read digit by digit: 二〇二三
    total = 0
    digit = None
    for c in text:
        if c in _CN_DIGITS:
            if digit is not None and digit != 0 and _CN_DIGITS[c] != 0:
                return None  # two digits in a row inside a positional numeral
            digit = _CN_DIGITS[c]
        elif c in _CN_SMALL:
            total += (1 if digit is None else digit) * _CN_SMALL[c]
            digit = None
        else:
            return None
    return Decimal(total + (digit or 0))


# Letters after digits that make a measurement, not a model code: 5km, 10kg, 100m, 3.5ml.
_LATIN_UNITS = frozenset(
    "km m cm mm nm kg g mg t lb lbs oz ml l h hr hrs min s ms mph kmh w kw mw gw kwh mwh gb mb kb tb "
    "hz khz mhz ghz st nd rd th pm am".split()
)
# Where a number can start: _NUMBER's every alternative opens with a digit or a numeral character.
_NUMBER_START = re.compile(r"[\d" + _CN + r"]")


def number_can_start(text: str, pos: int) -> bool:
    """``text[pos]`` is a digit or a numeral character: a number :func:`find_numbers` finds can start
    there (every number it finds starts at such a character)."""
    return _NUMBER_START.match(text, pos) is not None


def _matches(text: str) -> Iterator[re.Match[str]]:
    """``_NUMBER.finditer(text)``, trying the pattern only where a number can start (most
    characters of a text are no numeral: skipping to the next that is cuts the scan's cost)."""
    pos = 0
    while (start := _NUMBER_START.search(text, pos)) is not None:
        m = _NUMBER.match(text, start.start())
        if m is None:
            pos = start.start() + 1
        else:
            yield m
            pos = m.end()  # a match is never empty


_LATIN = re.compile(r"[a-z]+")
_SPACED_NAME = re.compile(r"(?:^|(?<=[\u4e00-\u9fff]))([a-z][a-z0-9]+) $")
_PARADIGM = "一二三四五六七八九十两"  # numerals that may stand in each other's place in a word
_LEXICALIZED = 2.0  # a word this many times as frequent as all its numeral siblings is a word


def designation(text: str, start: int, end: int) -> str:
    """The letters of a model designation or identifier that the number ``text[start:end]`` belongs
    to ('' for a plain figure): letters glued before it (r8, d90, z33, h7n9, f-35) or after it, unless
    they are a unit (7d, but 5km), or a Latin name before it in Chinese text (苹果iphone 15). Its digits are a figure only against the same designation
    (sx200 against sx2000); a designation whose letters differ names another product.

    >>> [designation(t, t.index(d), t.index(d) + len(d)) for t, d in (("尼康d90", "90"), ("佳能7d套机", "7"), ("跑了5km", "5"), ("f-35战机", "35"), ("售价9900元", "9900"), ("苹果iphone 15发布", "15"))]
    ['d', 'd', '', 'f', '', 'iphone']
    """
    head = ""
    k = start
    if k > 1 and text[k - 1] == "-" and text[k - 2].isascii() and text[k - 2].isalpha():
        k -= 1
    while k > 0 and text[k - 1].isascii() and (text[k - 1].isalpha() or (head and text[k - 1].isdigit())):
        k -= 1
        head = text[k:start]
    head = "".join(c for c in head if c.isalpha())
    if not head and text[start:end].isdigit():
        # A product name, a space, a model number, in Chinese text: 苹果iphone 15发布.
        named = _SPACED_NAME.search(text, max(0, start - 24), start)
        if named is not None and named.group(1) not in _LATIN_UNITS:
            head = named.group(1)
    after = _LATIN.match(text, end)
    tail = after.group(0) if after is not None and after.group(0) not in _LATIN_UNITS else ""
    return head + tail


def _counter(freq: Callable[[str], int]) -> Callable[[str, int], int]:
    """``freq`` as ``(word, 0) -> frequency``: a Lexicon's table asked directly (``in_word`` asks
    some 25 words a numeral; the calls cost more than the lookups)."""
    table = getattr(freq, "frequencies", None)
    if table is not None:
        get: Callable[[str, int], int] = table().get
        return get

    def count(word: str, _: int) -> int:
        return freq(word)

    return count


def in_word(text: str, s: int, e: int, freq: Callable[[str], int]) -> bool:
    """The numeral character ``text[s:e]`` is part of an ordinary word: the longest dictionary word
    around it (up to three characters either side) is lexicalized, at least ``_LEXICALIZED`` times as
    frequent as all the words made by putting another numeral in its place.

    >>> from provcheck.text.lexicon import Lexicon
    >>> lex = Lexicon()
    >>> [in_word(t, t.index(c), t.index(c) + 1, lex) for t, c in (("z33十分相似", "十"), ("一些人", "一"), ("三心二意", "二"), ("等了十分钟", "十"), ("休息一天", "一"))]
    [True, True, True, False, False]
    """
    count = _counter(freq)
    best = ""
    best_at = 0
    for a in range(max(0, s - 3), s + 1):
        for b in range(e, min(len(text), e + 3) + 1):
            if b - a <= e - s or b - a <= len(best):
                continue
            w = text[a:b]
            if count(w, 0) > 0:
                best, best_at = w, a
    if not best:
        return False
    k = s - best_at
    siblings = sum(count(best[:k] + d + best[k + 1 :], 0) for d in _PARADIGM if d != best[k])
    return count(best, 0) >= _LEXICALIZED * siblings


def find_numbers(text: str, freq: Callable[[str], int] | None = None) -> list[NumberMention]:
    """All number mentions in ``text`` (already NFKC-normalized: ASCII digits).

    A run of Chinese numeral characters counts only if it holds a digit character or is a lone 十
    (十月), so 万众 or 百姓 are not numbers; an Arabic number may carry a 百/千/万/亿 magnitude and a
    percent sign. With ``freq`` (a
    dictionary's word frequencies, e.g. a :class:`~provcheck.text.lexicon.Lexicon`), a lone numeral
    character inside an ordinary word (十分, 一些, 统一) is no number either.

    >>> [(m.text, m.key) for m in find_numbers("4.33万人，百分之十六，2023年和二〇二三年，身高2米05")]
    [('4.33万', '43300'), ('百分之十六', '16%'), ('2023', '2023'), ('二〇二三', '2023'), ('2米05', '2.05')]
    >>> from provcheck.text.lexicon import Lexicon
    >>> [m.text for m in find_numbers("z33十分相似，身高1.8m，等了十分钟", Lexicon())]
    ['33', '1.8', '十']
    """
    out: list[NumberMention] = []
    for m in _matches(text):
        hm, hc, spelled, ar, armag, run, sign = m.groups()  # one call for the seven groups, in order
        start, end = m.span()
        if hm:
            value = Decimal(hm) + Decimal(hc) / (10 ** len(hc))
            out.append(NumberMention(start, end, m[0], value, "", "米"))
            continue
        pct = "%" if spelled else (sign or "")
        if ar:
            try:
                value = Decimal(ar.replace(",", ""))
            except InvalidOperation:  # pragma: no cover - the pattern only admits digits
                continue
            for c in armag:
                value *= _MAG[c]
        else:
            if _CN_DIGIT.search(run) is None and not run.startswith("十"):
                continue
            if run.startswith("一点"):  # 一点 is "a little" far more often than 1.x
                stop = m.start("cn") + 1
                out.append(NumberMention(start, stop, text[start:stop], Decimal(1), ""))
                continue
            if len(run) == 1 and not pct and freq is not None and _in_word(text, start, end, freq):
                continue
            parsed = parse_chinese(run)
            if parsed is None:
                continue
            value = parsed
        out.append(NumberMention(start, end, m[0], value, pct))
    return out


_CN_DIGIT = re.compile("[" + "".join(_CN_DIGITS) + "]")


def _in_word(text: str, s: int, e: int, freq: Callable[[str], int]) -> bool:
    """:func:`in_word`, which reads three characters either side of the numeral: asked of that
    window, kept for the windows met lately (the same words recur in every text)."""
    lo = max(0, s - 3)
    return _in_word_window(text[lo : min(len(text), e + 3)], s - lo, e - lo, freq)


@lru_cache(maxsize=1 << 14)
def _in_word_window(window: str, s: int, e: int, freq: Callable[[str], int]) -> bool:
    return in_word(window, s, e, freq)


@lru_cache(maxsize=64)  # a document's numbers are read by the reuse measure and by the vocabulary order
def text_numbers(text: str) -> tuple[NumberMention, ...]:
    """:func:`find_numbers` of a whole normalized text, without a dictionary, kept for the texts met
    lately (a document compared is read by several stages)."""
    return tuple(find_numbers(text))
