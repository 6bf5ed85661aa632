"""Find numbers in normalized text and parse them to comparable values.

Arabic and Chinese numerals, decimals, thousands separators, 万/亿 magnitudes, percentages and
digit-by-digit years all parse to one canonical key, so ``16`` and ``十六``, ``2023`` and ``二〇二三``,
``43300`` and ``4.33万`` compare equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["NumberMention", "find_numbers", "parse_chinese"]

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
_MAG = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

_CN = "零〇○一二两三四五六七八九十百千万亿"
_NUMBER = re.compile(
    r"(?P<pct>百分之)?"
    r"(?:(?P<ar>\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<armag>[十百千万亿]*)"
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


def find_numbers(text: str) -> list[NumberMention]:
    """All number mentions in ``text`` (already NFKC-normalized: ASCII digits).

    A run of Chinese numeral characters counts only if it holds a digit character or is a lone 十
    (十月), so 万众 or 百姓 are not numbers; an Arabic number may carry a 万/亿 magnitude and a
    percent sign.

    >>> [(m.text, m.key) for m in find_numbers("4.33万人，百分之十六，2023年和二〇二三年")]
    [('4.33万', '43300'), ('百分之十六', '16%'), ('2023', '2023'), ('二〇二三', '2023')]
    """
    out: list[NumberMention] = []
    for m in _NUMBER.finditer(text):
        pct = "%" if m.group("pct") else (m.group("pct2") or "")
        if m.group("ar"):
            try:
                value = Decimal(m.group("ar").replace(",", ""))
            except InvalidOperation:  # pragma: no cover - the pattern only admits digits
                continue
            for c in m.group("armag"):
                value *= _MAG[c]
        else:
            run = m.group("cn")
            if not any(c in _CN_DIGITS for c in run) and not run.startswith("十"):
                continue
            if run.startswith("一点"):  # 一点 is "a little" far more often than 1.x
                end = m.start("cn") + 1
                out.append(NumberMention(m.start(), end, text[m.start() : end], Decimal(1), ""))
                continue
            parsed = parse_chinese(run)
            if parsed is None:
                continue
            value = parsed
        out.append(NumberMention(m.start(), m.end(), m.group(0), value, pct))
    return out
