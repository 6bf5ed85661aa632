"""Numbers compared by value inside aligned pairs: ``altered_number`` when the value (or its unit)
changed, ``reformatted_number`` when only the writing changed (16 vs 十六, 43300 vs 4.33万)."""

from __future__ import annotations

from provcheck.model import Finding, FindingType, Segmented
from provcheck.pair.diagnose.pairdiff import PairDiff, Word

__all__ = ["number_findings"]

# Measurement units: a number whose unit word was swapped for another unit is an altered figure.
_UNITS = frozenset(
    "元 美元 欧元 英镑 日元 港元 万元 亿元 千元 百元 角 分 公里 千米 米 厘米 毫米 英里 海里 吨 万吨 千克 公斤 克 斤 磅 "
    "平方米 平方公里 亩 公顷 升 毫升 立方米 小时 分钟 秒 天 周 个月 年 岁 倍 度 摄氏度 瓦 千瓦 兆瓦 % ‰ "
    "km m cm mm kg g t lb mile miles km/h mph usd rmb".split()
)


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


def _same_context(src_words: tuple[Word, ...], a: Word, sus_words: tuple[Word, ...], b: Word) -> bool:
    """The words right after (or before) the two numbers agree: the same measure or unit."""
    ia, ib = src_words.index(a), sus_words.index(b)
    after = (
        ia + 1 < len(src_words)
        and ib + 1 < len(sus_words)
        and src_words[ia + 1].text == sus_words[ib + 1].text
    )
    before = ia > 0 and ib > 0 and src_words[ia - 1].text == sus_words[ib - 1].text
    return after or before


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


def number_findings(src: Segmented, sus: Segmented, diffs: list[PairDiff]) -> list[Finding]:
    out: list[Finding] = []
    for pd in diffs:
        ops = pd.ops
        for k, op in enumerate(ops):
            if op.tag == "equal":
                for a, b in zip(op.source, op.suspect, strict=False):
                    if a.number is not None and b.number is not None and a.text != b.text:
                        out.append(_finding(FindingType.REFORMATTED_NUMBER, src, sus, a, b))
                continue
            if op.tag != "replace":
                continue
            src_nums = [w for w in op.source if w.number is not None]
            sus_nums = [w for w in op.suspect if w.number is not None]
            wordy = sum(1 for w in op.source if w.number is None) + sum(
                1 for w in op.suspect if w.number is None
            )
            for a, b in zip(src_nums, sus_nums, strict=False):
                if wordy > 2 and not _same_context(op.source, a, op.suspect, b):
                    continue  # a rewritten phrase that happens to hold numbers on both sides
                if a.code == b.code or _abbreviated_year(src, a, sus, b):
                    if a.text != b.text:
                        out.append(_finding(FindingType.REFORMATTED_NUMBER, src, sus, a, b))
                else:
                    out.append(_finding(FindingType.ALTERED_NUMBER, src, sus, a, b))
            # A unit swapped next to an unchanged number: 5 公里 -> 5 英里.
            if not src_nums and not sus_nums and len(op.source) == 1 and len(op.suspect) == 1:
                a, b = op.source[0], op.suspect[0]
                prev = ops[k - 1] if k > 0 else None
                if (
                    a.text in _UNITS
                    and b.text in _UNITS
                    and prev is not None
                    and prev.tag == "equal"
                    and prev.suspect
                    and prev.suspect[-1].number is not None
                ):
                    na, nb = prev.source[-1], prev.suspect[-1]
                    merged_a = type(a)(na.start, a.end, na.text + a.text, a.code, na.number)
                    merged_b = type(b)(nb.start, b.end, nb.text + b.text, b.code, nb.number)
                    out.append(
                        _finding(
                            FindingType.ALTERED_NUMBER,
                            src,
                            sus,
                            merged_a,
                            merged_b,
                            (("unit_changed", True),),
                        )
                    )
    return out
