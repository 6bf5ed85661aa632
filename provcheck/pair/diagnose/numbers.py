"""Numbers compared by value inside aligned pairs: ``altered_number`` when the quantity changed,
``reformatted_number`` when only its writing changed.

* One value, another writing: 16 vs 十六, 43300 vs 4.33万, 2005年 vs 05年.
* One quantity, another unit: 2米05 vs 205公分, 5公斤 vs 10斤, 1500亩 vs 100公顷. Both figures are
  converted to a base unit and compared within the rounding of the digits each one shows.
* A unit changed with its figure kept (119亿斤 -> 119亿公斤) changes the quantity: altered.
* In a reworded sentence, two numbers are paired when they still read as the same figure: the same
  unit or neighbouring word, the same digits with the decimal point moved (174095 -> 17409.5), or
  one digit changed (14780 -> 14080).
* Digits of a model designation (d90, sx200) compare only with the same designation's digits; r8
  against d90 names another product, not another figure.
* Numbers in page chrome (a publication timestamp, a counter line) or in a dateline (新华社北京6月
  26日电) or a list label (一、) are no facts of the article: they give no finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from provcheck.model import Finding, FindingType, Segmented
from provcheck.pair.diagnose.pairdiff import PairDiff, Word, WordOp
from provcheck.text.numerals import designation

__all__ = ["Quantity", "number_findings", "quantity", "same_quantity"]

# Measurement units: a number whose unit word was swapped for another unit is an altered figure.
_UNITS = frozenset(
    "元 美元 欧元 英镑 日元 港元 万元 亿元 千元 百元 角 分 公里 千米 米 厘米 毫米 英里 海里 吨 万吨 千克 公斤 克 斤 磅 "
    "平方米 平方公里 亩 公顷 升 毫升 立方米 小时 分钟 秒 天 周 个月 年 岁 倍 度 摄氏度 瓦 千瓦 兆瓦 % ‰ "
    "km m cm mm kg g t lb mile miles km/h mph usd rmb".split()
)


def _table() -> dict[str, tuple[str, Decimal]]:
    """Unit word -> (dimension, size in the dimension's base unit)."""
    groups: dict[str, dict[str, str]] = {
        "length": {
            "米 m 公尺": "1",
            "厘米 公分 cm": "0.01",
            "毫米 mm": "0.001",
            "公里 千米 km": "1000",
            "里": "500",
            "英里 mile miles": "1609.344",
            "海里": "1852",
            "英尺 ft feet": "0.3048",
            "英寸 inch inches": "0.0254",
            "码 yd": "0.9144",
        },
        "mass": {
            "克 g": "1",
            "毫克 mg": "0.001",
            "公斤 千克 kg": "1000",
            "斤 市斤": "500",
            "吨 公吨 t": "1000000",
            "磅 lb lbs": "453.59237",
            "盎司 oz": "28.349523125",
        },
        "area": {
            "平方米 平米 m2": "1",
            "平方公里 平方千米 km2": "1000000",
            "公顷": "10000",
            "亩": "666.66666666666666667",  # 1/15 公顷
            "英亩": "4046.8564224",
        },
        "volume": {"升 l": "1", "毫升 ml": "0.001", "立方米 m3": "1000"},
        "time": {"秒 s": "1", "分钟 min": "60", "小时 h": "3600", "天": "86400", "周 星期": "604800"},
        "yuan": {"元 块": "1", "角": "0.1"},
    }
    return {
        word: (dim, Decimal(size))
        for dim, sizes in groups.items()
        for words, size in sizes.items()
        for word in words.split()
    }


_SCALE = _table()
_MAGNITUDE = {"百": Decimal(100), "千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
_DIGITS = re.compile(r"\d+(?:,\d{3})*(?:\.(\d+))?")
_CN_FRACTION = re.compile(r"点(.+)")
# A dateline opens a report: 新华社北京6月26日电, 本报讯 ... 3月5日讯. Its date is no fact of the article.
_DATELINE = re.compile(r"^[(（【]?[^。！？!?\n,，]{0,24}?\d{1,2}月\d{1,2}日(?:\d{1,2}时)?(?:电|讯)")
# A list label opens a paragraph: 一、 (2) 3. -- its number orders the text, it is no figure.
_LABEL = re.compile(r"^[(（]?[0-9一二三四五六七八九十]{1,3}[、.．)）](?!\d)")
# A web address: the digits of its path (page ids, dates) are never figures. Its host's are kept:
# a copy that points a link to another site (game2.cn -> game4.cn) has changed something.
_URL_CHARS = r"[^\s\u3400-\u9fff，。；！？、）)\]】\"'“”]"
_ADDRESS = re.compile(
    rf"(?:https?://|www\.){_URL_CHARS}*?(/{_URL_CHARS}*)"
    rf"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|cn|gov|edu|info|io|co|uk|tw|hk)(/{_URL_CHARS}*)",
    re.I,
)
# A publication timestamp (2023-07-06 10:32) is page chrome wherever it stands.
_TIMESTAMP = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*\d{1,2}:\d{2}(?::\d{2})?")
_REWORDED = 2  # a replaced region with more non-number words than this is a reworded phrase


def _unit(word: Word, nxt: Word | None) -> tuple[str, str, Decimal] | None:
    """The unit a number is counted in: (unit word, dimension, size in base units)."""
    if word.number is not None and word.number.unit:
        dim, size = _SCALE[word.number.unit]
        return word.number.unit, dim, size
    if nxt is None:
        return None
    text = nxt.text
    mag = Decimal(1)
    if len(text) > 1 and text[0] in _MAGNITUDE and text[1:] in _SCALE:  # 万亩, 千公顷, 亿元
        mag, text = _MAGNITUDE[text[0]], text[1:]
    if text not in _SCALE:
        return None
    dim, size = _SCALE[text]
    return nxt.text, dim, size * mag


def _precision(word: Word) -> Decimal:
    """The place of the last digit the number shows, as a value: 17409.5万 -> 1000, 205 -> 1."""
    num = word.number
    assert num is not None
    if num.unit:  # 2米05: the centimetres are the last place shown
        return Decimal(10) ** -len(num.text.partition(num.unit)[2])
    m = _DIGITS.search(num.text)
    if m is not None:
        shown = Decimal(m.group(0).replace(",", ""))
        places = len(m.group(1) or "")
        scale = num.value / shown if shown else Decimal(1)
        return Decimal(10) ** -places * scale
    frac = _CN_FRACTION.search(num.text)
    if frac is not None:
        return Decimal(10) ** -len(frac.group(1))
    value = int(num.value)
    step = 1
    while value and value % (step * 10) == 0:
        step *= 10
    return Decimal(step)


class Quantity(NamedTuple):
    """A number with its unit, in the base unit of the unit's dimension."""

    dimension: str
    value: Decimal
    rounding: Decimal  # the place of the last digit shown
    size: Decimal  # the unit's size


def quantity(word: Word, nxt: Word | None) -> Quantity | None:
    """The quantity of a number and the word after it, or None when it has no unit the table knows.

    One quantity in two units agrees within the rounding of the digits each figure shows.
    """
    unit = _unit(word, nxt)
    if unit is None or word.number is None or word.number.percent:
        return None
    _, dim, size = unit
    return Quantity(dim, word.number.value * size, _precision(word) * size, size)


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """One quantity: the same value in one unit, or values within the rounding of the digits shown
    when the units differ (205公分 and 2米05, 174095万亩 and 116064千公顷)."""
    if a.dimension != b.dimension:
        return False
    if a.size == b.size:
        return a.value == b.value
    return abs(a.value - b.value) < (a.rounding + b.rounding) / 2


def _finding(
    kind: FindingType,
    src: Segmented,
    sus: Segmented,
    a: Word,
    b: Word,
    extra: tuple[tuple[str, object], ...] = (),
) -> Finding:
    sspan = sus.span(b.start, b.end)
    rspan = src.span(a.start, a.end)
    detail: tuple[tuple[str, object], ...] = (
        ("source_value", a.text),
        ("suspect_value", b.text),
        ("source_number", a.number.key if a.number else None),
        ("suspect_number", b.number.key if b.number else None),
        *extra,
    )
    return Finding(
        kind,
        sspan,
        rspan,
        sus.doc.text[sspan.start : sspan.end],
        src.doc.text[rspan.start : rspan.end],
        detail,
    )


class _Side:
    """One side of an aligned pair: its words in order, for the neighbours of a number."""

    def __init__(self, seg: Segmented, words: list[Word]) -> None:
        self.seg = seg
        self.words = words
        self.index = {id(w): k for k, w in enumerate(words)}

    def next(self, w: Word) -> Word | None:
        k = self.index[id(w)] + 1
        return self.words[k] if k < len(self.words) else None

    def prev(self, w: Word) -> Word | None:
        k = self.index[id(w)] - 1
        return self.words[k] if k >= 0 else None

    def quantity(self, w: Word) -> Quantity | None:
        return quantity(w, self.next(w))

    def designation(self, w: Word) -> str:
        return designation(self.seg.norm.text, w.start, w.end)


def _abbreviated_year(src: Segmented, a: Word, sus: Segmented, b: Word) -> bool:
    """2005 written 05 (or the reverse): one year, reformatted."""
    if a.number is None or b.number is None:
        return False
    short, long_, text, end = (
        (b, a, sus.norm.text, b.end) if len(b.text) < len(a.text) else (a, b, src.norm.text, a.end)
    )
    return (
        len(short.text) == 2
        and short.text.isdigit()
        and len(long_.text) == 4
        and long_.text[:2] in ("19", "20")
        and long_.text[2:] == short.text
        and text[end : end + 1] in ("年", "级", "届", "款")
    )


def _digits(w: Word) -> str:
    return "".join(c for c in w.text if c.isdigit()).lstrip("0")


def _same_figure(a: Word, b: Word) -> bool:
    """Two written figures that read as one figure changed: the same digits with the decimal point
    moved (174095 / 17409.5), or one digit changed in a figure of three digits or more."""
    da, db = _digits(a), _digits(b)
    if not da or not db:
        return False
    if da == db:
        return True
    return len(da) == len(db) >= 3 and sum(x != y for x, y in zip(da, db, strict=True)) == 1


def _comparable(src: _Side, a: Word, sus: _Side, b: Word) -> bool:
    """In a reworded region, ``a`` and ``b`` are one figure: a neighbouring word or the unit is the
    same, or the written digits read as the same figure (a shifted point, one digit changed)."""
    na, nb, pa, pb = src.next(a), sus.next(b), src.prev(a), sus.prev(b)
    if (na is not None and nb is not None and na.text == nb.text) or (
        pa is not None and pb is not None and pa.text == pb.text
    ):
        return True
    qa, qb = src.quantity(a), sus.quantity(b)
    if qa is not None and qb is not None and qa.dimension == qb.dimension:
        return True
    return _same_figure(a, b)


def _pairs(op: WordOp, src: _Side, sus: _Side) -> list[tuple[Word, Word]]:
    """The numbers of a replaced region paired in order. A region of mostly numbers pairs them one by
    one; in a reworded phrase a pair needs evidence that it is one figure (:func:`_comparable`)."""
    src_nums = [w for w in op.source if w.number is not None]
    sus_nums = [w for w in op.suspect if w.number is not None]
    wordy = sum(1 for w in (*op.source, *op.suspect) if w.number is None)
    out: list[tuple[Word, Word]] = []
    if wordy <= _REWORDED:
        out = list(zip(src_nums, sus_nums, strict=False))
    else:
        start = 0
        for a in src_nums:
            for k in range(start, len(sus_nums)):
                if _comparable(src, a, sus, sus_nums[k]):
                    out.append((a, sus_nums[k]))
                    start = k + 1
                    break
    # A designation's digits compare only with the same designation's (r8 against d90: two products).
    return [(a, b) for a, b in out if src.designation(a) == sus.designation(b)]


def _judge(src: _Side, a: Word, sus: _Side, b: Word) -> FindingType | None:
    """Reformatted, altered, or nothing (the same writing)."""
    qa, qb = src.quantity(a), sus.quantity(b)
    if qa is not None and qb is not None and qa.dimension == qb.dimension:
        same = same_quantity(qa, qb)
    else:
        same = a.code == b.code or _abbreviated_year(src.seg, a, sus.seg, b)
    if not same:
        return FindingType.ALTERED_NUMBER
    return FindingType.REFORMATTED_NUMBER if a.text != b.text else None


def _unit_swap(src: _Side, sus: _Side, op: WordOp, prev: WordOp | None) -> tuple[Word, Word] | None:
    """A unit word swapped next to an unchanged number (5 公里 -> 5 英里, 119亿斤 -> 119亿公斤): the
    merged number-and-unit words, when the quantity changed."""
    if len(op.source) != 1 or len(op.suspect) != 1 or prev is None or prev.tag != "equal" or not prev.suspect:
        return None
    a, b = op.source[0], op.suspect[0]
    na, nb = prev.source[-1], prev.suspect[-1]
    if a.number is not None or b.number is not None or na.number is None or nb.number is None:
        return None
    qa, qb = quantity(na, a), quantity(nb, b)
    if (a.text not in _UNITS and qa is None) or (b.text not in _UNITS and qb is None):
        return None
    if qa is not None and qb is not None and same_quantity(qa, qb):
        return None  # 公斤 for 千克: one unit, two names
    merged_a = Word(na.start, a.end, na.text + a.text, a.code, na.number)
    merged_b = Word(nb.start, b.end, nb.text + b.text, b.code, nb.number)
    return merged_a, merged_b


def _off_article(
    seg: Segmented, indices: tuple[int, ...], chrome: Callable[[str], bool]
) -> Callable[[Word], bool]:
    """Whether a word of these sentences stands in page chrome, a timestamp, a dateline or the
    path of a web address."""
    spans: list[tuple[int, int]] = []
    for i in indices:
        s = seg.sentences[i]
        if chrome(s.text):
            spans.append((s.start, s.end))
            continue
        for pattern in (_DATELINE, _LABEL):
            m = pattern.match(s.text)
            if m is not None:
                spans.append((s.start, s.start + m.end()))
        spans += [(s.start + t.start(), s.start + t.end()) for t in _TIMESTAMP.finditer(s.text)]
        for t in _ADDRESS.finditer(s.text):
            path = 1 if t.group(1) is not None else 2
            spans.append((s.start + t.start(path), s.start + t.end(path)))
    return lambda w: any(a <= w.start < b for a, b in spans)


def _never(_: str) -> bool:
    return False


def number_findings(
    src: Segmented, sus: Segmented, diffs: list[PairDiff], chrome: Callable[[str], bool] = _never
) -> list[Finding]:
    """Altered and reformatted numbers of the aligned pairs; ``chrome`` tells a line of page chrome
    (its numbers give no finding)."""
    out: list[Finding] = []
    for pd in diffs:
        if pd.identical:
            continue
        src_side = _Side(src, [w for op in pd.ops for w in op.source])
        sus_side = _Side(sus, [w for op in pd.ops for w in op.suspect])
        off_src = _off_article(src, pd.pair.source, chrome)
        off_sus = _off_article(sus, pd.pair.suspect, chrome)
        found: list[tuple[FindingType, Word, Word, tuple[tuple[str, object], ...]]] = []
        for k, op in enumerate(pd.ops):
            if op.tag == "equal":
                for a, b in zip(op.source, op.suspect, strict=False):
                    if a.number is not None and b.number is not None and a.text != b.text:
                        found.append((FindingType.REFORMATTED_NUMBER, a, b, ()))
            elif op.tag == "replace":
                for a, b in _pairs(op, src_side, sus_side):
                    kind = _judge(src_side, a, sus_side, b)
                    if kind is not None:
                        found.append((kind, a, b, ()))
                swap = _unit_swap(src_side, sus_side, op, pd.ops[k - 1] if k > 0 else None)
                if swap is not None:
                    found.append((FindingType.ALTERED_NUMBER, *swap, (("unit_changed", True),)))
        for kind, a, b, extra in found:
            if not off_src(a) and not off_sus(b):
                out.append(_finding(kind, src, sus, a, b, extra))
    return out
