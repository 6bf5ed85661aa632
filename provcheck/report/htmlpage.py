"""Self-contained HTML report: verdict, counts, the spinner's word map and the two texts side by side.

Every piece of document text goes through :func:`html.escape`; the page loads nothing (inline CSS
only, pinned by a Content-Security-Policy hash) and runs no script, so a hostile suspect renders as
text. Finding spans are code points of the original decoded texts; HTML documents are shown as their
extracted text, with spans mapped through the extraction's offset map.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from urllib.parse import urlsplit

from provcheck.model import Document, Finding, FindingType, Relation, Report, Segmented
from provcheck.report.jsonout import substitution_table
from provcheck.report.rows import Row, aligned_rows
from provcheck.report.verdict import derived_figures, percent, similarity_note, verdict_of
from provcheck.text.html import html_to_text

__all__ = ["REPORT_CSS", "TYPE_LABELS", "content_security_policy", "html_document", "render_html"]

# Labels in English and Chinese: the page is read by editors of both.
TYPE_LABELS: dict[FindingType, str] = {
    FindingType.ALTERED_NUMBER: "Altered number · 数字被改",
    FindingType.SPLICED_SPAM: "Spliced spam · 植入广告",
    FindingType.BOILERPLATE: "Boilerplate · 网页模板",
    FindingType.INSERTED: "Inserted · 新增内容",
    FindingType.DELETED: "Deleted · 删除内容",
    FindingType.SUBSTITUTION: "Substitution · 同义替换",
    FindingType.REFORMATTED_NUMBER: "Reformatted number · 数字改写格式",
    FindingType.SHARED: "Shared text · 共有文字",
}
_RELATION_LABELS: dict[Relation, tuple[str, str]] = {
    Relation.COPY: (
        "Copy · 转载",
        "The suspect reproduces the source, possibly edited, trimmed or reformatted.",
    ),
    Relation.REWRITTEN: (
        "Rewritten · 洗稿",
        "The suspect reproduces the source through systematic word substitution.",
    ),
    Relation.PARTIAL: ("Partial · 部分引用", "Only a part of one text derives from the other."),
    Relation.UNRELATED: ("Unrelated · 无关", "The suspect does not derive from the source."),
}
# Later types win where marks overlap (the CSS rules come in this order).
_TYPE_ORDER = (
    FindingType.SHARED,
    FindingType.SUBSTITUTION,
    FindingType.REFORMATTED_NUMBER,
    FindingType.INSERTED,
    FindingType.DELETED,
    FindingType.BOILERPLATE,
    FindingType.SPLICED_SPAM,
    FindingType.ALTERED_NUMBER,
)

REPORT_CSS = """
:root{--fg:#1d1d1f;--muted:#5f6368;--line:#d9d9de;--bg:#fff;--soft:#f5f6f8}
*{box-sizing:border-box}
body{margin:0;color:var(--fg);background:var(--bg);font:15px/1.7 system-ui,-apple-system,"Segoe UI",Roboto,
"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB","Microsoft YaHei",
"WenQuanYi Micro Hei",sans-serif}
main{max-width:1400px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid var(--line)}
.headline{font-size:19px;line-height:1.4;margin:0 0 8px}.headline.tampered{color:#b71c1c}
.headline .zh{font-weight:600}
.note summary{cursor:pointer;color:#1a56c4}.note p{margin:4px 0}
.chips{display:flex;flex-wrap:wrap;gap:4px 16px;margin:8px 0 0}.chips a{color:inherit;text-decoration:none}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.docs{color:var(--muted);margin:0 0 12px}.docs code{color:var(--fg)}
.verdict{display:flex;flex-wrap:wrap;align-items:center;gap:4px 24px;padding:6px 14px;border-radius:8px;
background:var(--soft);border-left:6px solid #888;margin:0 0 6px}
.verdict .rel{font-size:17px;font-weight:700}.verdict .why{color:var(--muted);font-size:13px}
.rel-copy{border-color:#c62828}.rel-rewritten{border-color:#ad1457}.rel-partial{border-color:#ef6c00}
.rel-unrelated{border-color:#2e7d32}
.score{font-size:17px;font-weight:700}.score meter{width:160px;height:14px;vertical-align:middle}
.stats{display:flex;flex-wrap:wrap;gap:4px 20px;margin:8px 0 0;padding:0;list-style:none;color:var(--muted)}
.stats b{color:var(--fg)}
table{border-collapse:collapse}
.panels{display:flex;flex-wrap:wrap;gap:0 48px;align-items:flex-start}
.counts td,.counts th,.subs td,.subs th,.list td,.list th{padding:3px 10px;border-bottom:1px solid var(--line);
text-align:left;vertical-align:top}
.counts td.n,.subs td.n{text-align:right;font-variant-numeric:tabular-nums}
.counts tr.zero{color:var(--muted)}
.subs-box{max-height:340px;overflow:auto;border:1px solid var(--line);border-radius:6px;display:inline-block}
.subs thead th{position:sticky;top:0;background:var(--bg)}
.list{width:100%}.list td.t{white-space:nowrap}.list a{color:inherit}
.sbs{width:100%;table-layout:fixed;border:1px solid var(--line)}
.sbs col.side{width:calc(50% - 32px)}.sbs col.sim{width:64px}
.sbs th{position:sticky;top:0;background:var(--soft);padding:6px 10px;text-align:left;z-index:1;
border-bottom:1px solid var(--line)}
.sbs td{vertical-align:top;padding:6px 10px;border-top:1px solid var(--line);overflow-wrap:anywhere}
.sbs td.sim{text-align:center;color:var(--muted);font-size:12px;font-variant-numeric:tabular-nums;
background:var(--soft)}
.sbs tr.gap td.sim{font-size:11px}
.sbs td.none{background:repeating-linear-gradient(135deg,#fafafa 0 6px,#f0f0f2 6px 12px)}
.sbs tr.gap td.src:not(.none),.sbs tr.gap td.sus:not(.none){background:#fffaf0}
#changed:target~table.sbs tr.same{display:none}.filter a{color:#1a56c4}
.sent{white-space:pre-wrap;unicode-bidi:isolate}.sent+.sent{margin-top:6px}
.sent .ix{float:right;margin-left:6px;color:#9aa0a6;font-size:11px;user-select:none}
mark{color:inherit;background:none;border-radius:2px;padding:0 1px;-webkit-print-color-adjust:exact;
print-color-adjust:exact}
.f-substitution{background:#fff1a8;border-bottom:1px dotted #b08900}
.f-reformatted_number{background:#d6e6ff;border-bottom:1px dashed #1a56c4}
.f-inserted{background:#c9efcf;border-bottom:2px solid #2e7d32}
.f-shared{background:#ececf8;border-bottom:2px dotted #555}
.f-deleted{background:#ffd9b0;text-decoration:line-through;text-decoration-color:#b35c00}
.f-boilerplate{background:#e3e3e6;color:#55555a;border-bottom:2px dotted #77777c}
.f-spliced_spam{background:#f6c6ef;border-bottom:2px solid #a0158a;font-weight:600}
.f-altered_number{background:#ff9c9c;outline:2px solid #c62828;font-weight:700}
mark[id]{scroll-margin-top:4em}mark:target{outline:3px solid #1a73e8}
mark[data-source]{position:relative;cursor:help}
mark[data-source]:hover::after{content:"source 原文: " attr(data-source);position:absolute;left:0;top:100%;
z-index:5;margin-top:3px;padding:2px 8px;white-space:nowrap;font-weight:400;font-size:13px;color:#fff;
background:#333;border-radius:4px}
.swatch{display:inline-block;min-width:4.5em;text-align:center}
footer{margin-top:24px;color:var(--muted);font-size:12px}
@media (max-width:760px){main{padding:10px 8px 24px}.sbs col.sim{width:0}
.sbs td.sim,.sbs th.sim{display:none}.sbs col.side{width:50%}.sbs td,.sbs th{padding:4px 5px}
.panels{display:block}.panels section{max-width:100%;overflow-x:auto}.subs-box{max-width:100%}
.list,.list tbody,.list tr,.list td{display:block;width:auto}.list thead{display:none}
.list tr{padding:6px 0;border-bottom:1px solid var(--line)}.list td{border:0;padding:1px 4px;overflow-wrap:anywhere}
.list td.t{white-space:normal}.stats{display:block}.score meter{width:100px}}
@media print{body{font-size:10.5pt;line-height:1.5}main{max-width:none;padding:0}
.subs-box{max-height:none;overflow:visible;border:0;display:block}
.subs,.subs tbody{display:block}.subs thead{display:none}.subs tbody{columns:4;column-gap:24px}
.subs tr{display:block;break-inside:avoid}.subs td{display:inline;border:0;padding:0 2px}.subs td.n::before{content:"×"}.sbs th{position:static}
.sbs tr{break-inside:avoid}.filter{display:none}h2{break-after:avoid}a{color:inherit;text-decoration:none}
mark[data-source]::after{content:" [" attr(data-source) "]";font-size:8pt}}
"""


def content_security_policy(css: str, form_action: str = "'none'") -> str:
    """A policy that allows exactly this inline stylesheet and nothing else: no scripts, no fetches."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; script-src 'none'; img-src 'none'; "
        f"base-uri 'none'; form-action {form_action}"
    )


def html_document(title: str, body: str, css: str = REPORT_CSS, form_action: str = "'none'") -> str:
    """Wrap already-escaped ``body`` in a page whose CSP allows only ``css``; ``title`` is escaped here."""
    csp = content_security_policy(css, form_action)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def render_html(report: Report, back_href: str | None = None) -> str:
    """One self-contained HTML page for ``report``.

    ``back_href`` adds a link back to, e.g., a cluster overview; it must be a relative or http(s) URL.

    >>> from provcheck.api import compare
    >>> page = compare("corpus/001_f774ca4a0bf60419.txt", "corpus/000_4220fd22daa105e4.txt")
    >>> '<mark class="f-spliced_spam"' in render_html(page)
    True
    """
    parts = ["<main>"]
    if back_href is not None:
        parts.append(f'<p><a href="{_e(_safe_href(back_href))}">← back · 返回</a></p>')
    parts.append(_header(report))
    parts.append(_chips(report))
    parts.append(_side_by_side(report))
    parts.append(
        f'<div class="panels"><section>{_counts(report)}</section><section>{_substitutions(report)}</section></div>'
    )
    parts.append(_finding_list(report))
    parts.append(
        "<footer>provcheck · spans are code points of the decoded texts; hover a mark for details "
        "· 将鼠标悬停在标记上查看详情</footer>\n</main>"
    )
    return html_document(f"provcheck: {report.suspect.id}", "\n".join(parts))


# ---------------------------------------------------------------- sections


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _safe_href(href: str) -> str:
    scheme = urlsplit(href).scheme.lower()
    if scheme not in ("", "http", "https") or any(ord(c) < 32 for c in href):
        raise ValueError(f"back link must be a relative or http(s) URL, not {href[:40]!r}")
    return href


def _header(report: Report) -> str:
    """The verdict line first (tampering named), then the relation, score and the figures behind it."""
    label, why = _RELATION_LABELS[report.relation]
    verdict = verdict_of(report)
    s = report.stats
    score = min(max(report.score, 0.0), 1.0)
    derived, content, share = derived_figures(report)
    stats = [
        (
            "suspect derived · 疑似稿来源于原文",
            percent(share),
            f" ({derived} of {content} content characters, page chrome left out · 不计网页模板)",
        ),
        ("source reproduced · 原文覆盖", percent(s.source_coverage), ""),
        ("aligned sentence pairs · 对齐句对", str(s.aligned_pairs), ""),
        ("substituted words · 替换词", str(s.substitutions), ""),
        ("characters · 字数", f"{s.source_chars} / {s.suspect_chars}", ""),
    ]
    tampered = " tampered" if verdict.tampered else ""
    return (
        f'<header>\n<h1 id="headline" class="headline{tampered}">{_e(verdict.headline)}'
        f' <span class="zh" lang="zh">· {_e(verdict.headline_zh)}</span></h1>\n'
        f'<section class="verdict rel-{_e(report.relation.value)}" id="verdict">'
        f'<span class="rel" data-relation="{_e(report.relation.value)}">{_e(label)}</span>'
        f'<span class="score">score · 溯源分 <span id="score">{score:.2f}</span> '
        f'<meter min="0" max="1" low="0.3" high="0.7" optimum="0" value="{score:.4f}">{score:.0%}</meter></span>'
        f'<span class="why">{_e(why)}</span></section>\n'
        f'<p class="docs">Source · 原文 <code>{_e(report.source.id)}</code> ({_e(report.source.encoding)})'
        f" &nbsp;→&nbsp; Suspect · 疑似稿 <code>{_e(report.suspect.id)}</code> ({_e(report.suspect.encoding)})</p>\n"
        '<ul class="stats">'
        + "".join(f"<li>{_e(k)}: <b>{_e(v)}</b>{_e(more)}</li>" for k, v, more in stats)
        + "</ul>\n</header>"
    )


def _chips(report: Report) -> str:
    """One line under the header: each finding type present, in its colour, with its count."""
    counts = Counter(f.type for f in report.findings)
    chips = [
        f'<a href="#legend"><mark class="f-{t.value}">{_e(TYPE_LABELS[t])}</mark> {counts[t]}</a>'
        for t in reversed(_TYPE_ORDER)
        if counts[t]
    ]
    return f'<p class="chips">{" ".join(chips) if chips else "No findings. · 无发现。"}</p>'


def _counts(report: Report) -> str:
    counts = Counter(f.type for f in report.findings)
    rows = []
    for t in reversed(_TYPE_ORDER):
        n = counts.get(t, 0)
        where = "source · 原文" if t is FindingType.DELETED else "suspect · 疑似稿"
        rows.append(
            f'<tr class="{"zero" if n == 0 else "some"}" data-type="{t.value}">'
            f'<td><mark class="swatch f-{t.value}">{_e(_SAMPLE[t])}</mark></td><td>{_e(TYPE_LABELS[t])}</td>'
            f'<td class="n">{n}</td><td>{_e(where)}</td></tr>'
        )
    return (
        '<h2 id="legend">Findings and legend · 发现与图例</h2>\n<table class="counts">'
        "<thead><tr><th>mark · 标记</th><th>type · 类型</th><th>count · 数量</th><th>marked in · 标在</th></tr>"
        "</thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


_SAMPLE = {
    FindingType.ALTERED_NUMBER: "16 → 18",
    FindingType.SPLICED_SPAM: "广告",
    FindingType.BOILERPLATE: "返回列表",
    FindingType.INSERTED: "新增",
    FindingType.DELETED: "删除",
    FindingType.SUBSTITUTION: "替换",
    FindingType.REFORMATTED_NUMBER: "4.33万",
    FindingType.SHARED: "共有",
}


def _substitutions(report: Report) -> str:
    table = substitution_table(report)
    head = '<h2 id="substitutions">Substitution map · 同义替换表</h2>\n'
    if not table:
        return head + "<p>No word substitutions. · 没有同义替换。</p>"
    rows = "".join(
        f'<tr><td>{_e(r["source"])}</td><td>→</td><td>{_e(r["suspect"])}</td><td class="n">{int(r["count"])}</td></tr>'
        for r in table
    )
    return (
        head
        + f"<p>{len(table)} distinct replacements, {sum(int(r['count']) for r in table)} in all, most frequent first."
        " · 按出现次数排序。</p>\n"
        '<div class="subs-box"><table class="subs"><thead><tr><th>source · 原文</th><th></th>'
        f"<th>suspect · 疑似稿</th><th>count · 次数</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _numbers(report: Report) -> dict[int, int]:
    """Finding index -> its number in the page: 1, 2, 3, ... over every finding but substitutions."""
    listed = (n for n, f in enumerate(report.findings) if f.type is not FindingType.SUBSTITUTION)
    return {n: k for k, n in enumerate(listed, 1)}


def _finding_list(report: Report) -> str:
    rows = []
    for n, k in _numbers(report).items():
        f = report.findings[n]
        rows.append(
            f'<tr data-type="{f.type.value}"><td><a href="#f{k}">{k}</a></td>'
            f'<td class="t"><mark class="f-{f.type.value}">{_e(TYPE_LABELS[f.type])}</mark></td>'
            f"<td>{_e(_clip(f.suspect_text))}</td><td>{_e(_clip(f.source_text))}</td><td>{_e(_describe(f))}</td></tr>"
        )
    if not rows:
        return '<h2 id="findings">Findings · 发现</h2>\n<p>No findings besides substitutions. · 除替换外无发现。</p>'
    return (
        '<h2 id="findings">Findings · 发现</h2>\n<table class="list"><thead><tr><th>#</th><th>type · 类型</th>'
        "<th>suspect · 疑似稿</th><th>source · 原文</th><th>detail · 说明</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(f: Finding, side: str = "suspect") -> str:
    """One line for a mark's tooltip and the findings list."""
    label = TYPE_LABELS[f.type]
    src, sus = f.get("source_value"), f.get("suspect_value")
    if f.type in (FindingType.ALTERED_NUMBER, FindingType.REFORMATTED_NUMBER):
        src_text = src if src is not None else f.source_text
        sus_text = sus if sus is not None else f.suspect_text
        return f"{label}: source 原文 {src_text} → suspect 疑似稿 {sus_text}"
    if f.type is FindingType.SUBSTITUTION:
        a, b = f.get("source_word", f.source_text), f.get("suspect_word", f.suspect_text)
        return f"{label}: {a} → {b}"
    extra = [_bilingual(k, str(v)) for k, v in f.detail if k in ("reason", "scope", "zone") and v]
    if f.type is FindingType.DELETED and side == "source":
        extra.insert(0, "absent from the suspect · 疑似稿中没有")
    return f"{label}: {'; '.join(extra)}" if extra else label


# The diagnosers' reasons in Chinese; a reason not listed here is shown in English only.
_REASONS_ZH = {
    "page chrome": "网页模板",
    "misaligned fragment": "错位对齐的片段",
    "page chrome the source shares": "原文也有的网页模板",
    "page chrome glued to a sentence": "粘在句子上的网页模板",
    "stuffed keyword": "堆砌的关键词",
    "stuffed keyword inside a rewritten phrase": "改写短语中堆砌的关键词",
    "glued to a sentence edge": "粘在句首或句尾",
    "glued to a sentence edge next to a rewritten word": "粘在句首或句尾，紧挨改写的词",
    "editorial cue": "编者按、电头等提示语",
    "promotional cue": "推广用语",
    "promotional word": "推广词",
    "promotional clause": "推广分句",
    "promotional sentence": "推广句",
    "inserted words": "插入的词语",
    "a bare name glued to an editorial note": "粘在编者按上的名称",
    "source text repeated": "重复原文",
    "a bare word glued to the end of a sentence": "粘在句尾的词",
    "passage absent from the source": "原文没有的段落",
    "text absent from the source": "原文没有的文字",
    "sentence": "整句",
    "words": "词句",
}
_ZONES_ZH = {"head": "页首", "body": "正文", "tail": "页尾"}
_PATTERNS_ZH = (
    (re.compile(r"stuffed (\d+) times"), "堆砌 {0} 次"),
    (re.compile(r"source text repeated in the page (\w+)"), "{0}重复原文"),
    (re.compile(r"short line in the page (\w+)"), "{0}的短行"),
)


def _bilingual(key: str, value: str) -> str:
    """A finding's reason, scope or zone as ``English · 中文``."""
    if key == "zone":
        return f"in the page {value} · 位于{_ZONES_ZH.get(value, value)}"
    zh = _REASONS_ZH.get(value)
    for pattern, template in _PATTERNS_ZH:
        m = pattern.fullmatch(value)
        if zh is None and m:
            zh = template.format(*(_ZONES_ZH.get(g, g) for g in m.groups()))
    return f"{value} · {zh}" if zh else value


# ---------------------------------------------------------------- side by side


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int  # display coordinates
    end: int
    type: FindingType
    title: str
    source_value: str | None
    anchor: str | None  # id for the first piece of the finding's mark


class _View:
    """A document as displayed: its text (HTML pages: the extracted text) and marks on it."""

    def __init__(self, doc: Document, seg: Segmented | None) -> None:
        self.offsets: Sequence[int] | None = None
        self.text = doc.text
        if doc.kind == "html":
            self.text, self.offsets = html_to_text(doc.text)
        self.seg = seg
        self.blocks = self._blocks()
        self.starts = [a for a, _ in self.blocks]
        self.marks: list[list[_Mark]] = [[] for _ in self.blocks]  # the marks touching each block
        self.lang = "zh" if sum(1 for c in self.text[:4000] if "\u4e00" <= c <= "\u9fff") > 20 else None

    def pos(self, orig: int) -> int:
        """Display index of original code point ``orig``."""
        return orig if self.offsets is None else bisect_left(self.offsets, orig, 0, len(self.offsets) - 1)

    def _blocks(self) -> list[tuple[int, int]]:
        """Display range per sentence, stretched to the next sentence so no text is lost."""
        if self.seg is None or not self.seg.sentences:
            return [(0, len(self.text))]
        starts = [self.pos(self.seg.span(s.start, s.end).start) for s in self.seg.sentences]
        starts[0] = 0
        ends = [*starts[1:], len(self.text)]
        return [(a, max(a, b)) for a, b in zip(starts, ends, strict=True)]

    def add(self, f: Finding, n: int | None, side: str) -> None:
        span = f.suspect_span if side == "suspect" else f.source_span
        if span is None:
            return
        start, end = self.pos(span.start), self.pos(span.end)
        if end <= start:
            return
        value = f.get("source_value") if f.type is FindingType.ALTERED_NUMBER and side == "suspect" else None
        anchor = None if n is None else f"f{n}"
        mark = _Mark(start, end, f.type, _describe(f, side), None if value is None else str(value), anchor)
        block = max(0, bisect_right(self.starts, start) - 1)
        while block < len(self.blocks) and self.blocks[block][0] < end:
            if self.blocks[block][1] > start:
                self.marks[block].append(mark)
            block += 1

    def plain(self, index: int) -> str:
        """The sentence's text with all white space removed (to spot unchanged rows)."""
        lo, hi = self.blocks[index] if index < len(self.blocks) else (0, 0)
        return "".join(self.text[lo:hi].split())

    def marked(self, index: int) -> bool:
        return index < len(self.marks) and bool(self.marks[index])

    def sentence(self, index: int, side: str, anchored: set[str]) -> str:
        if index >= len(self.blocks):
            return ""
        lo, hi = self.blocks[index]
        while lo < hi and self.text[lo].isspace():
            lo += 1
        while hi > lo and self.text[hi - 1].isspace():
            hi -= 1
        lang = f' lang="{self.lang}"' if self.lang else ""
        body = _marked(
            self.text, lo, hi, [m for m in self.marks[index] if m.start < hi and m.end > lo], anchored
        )
        return f'<div class="sent" id="{side}-{index}"{lang}><span class="ix">{index}</span>{body}</div>'


_BLANK_LINES = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")  # shown as one line break


def _marked(text: str, lo: int, hi: int, marks: list[_Mark], anchored: set[str]) -> str:
    """Escape ``text[lo:hi]``, wrapping each run covered by the same findings in one ``<mark>``."""
    cuts = sorted({lo, hi, *(max(lo, m.start) for m in marks), *(min(hi, m.end) for m in marks)})
    out = []
    for a, b in pairwise(cuts):
        piece = _BLANK_LINES.sub("\n", _e(text[a:b]))
        active = sorted(
            (m for m in marks if m.start < b and m.end > a), key=lambda m: _TYPE_ORDER.index(m.type)
        )
        if not active:
            out.append(piece)
            continue
        classes = " ".join(dict.fromkeys(f"f-{m.type.value}" for m in active))
        attrs = [f'class="{classes}"', f'title="{_e(chr(10).join(dict.fromkeys(m.title for m in active)))}"']
        values = [m.source_value for m in active if m.source_value is not None]
        if values:
            attrs.append(f'data-source="{_e(values[-1])}"')
        fresh = [m.anchor for m in active if m.anchor and m.anchor not in anchored]
        if fresh:
            anchored.add(fresh[0])
            attrs.insert(0, f'id="{fresh[0]}"')
            anchored.update(fresh)
        out.append(f"<mark {' '.join(attrs)}>{piece}</mark>")
    return "".join(out)


def _side_by_side(report: Report) -> str:
    note_en, note_zh = similarity_note()
    src = _View(report.source, report.source_seg)
    sus = _View(report.suspect, report.suspect_seg)
    numbers = _numbers(report)
    for n, f in enumerate(report.findings):
        src.add(f, numbers.get(n), "source")
        sus.add(f, numbers.get(n), "suspect")
    rows: list[Row] = [((0,), (0,), None)]  # without segmentation: each text whole
    if report.source_seg is not None and report.suspect_seg is not None:
        rows = aligned_rows(report)
    anchored: set[str] = set()
    html_rows = []
    for src_ix, sus_ix, pair in rows:
        cells = []
        for view, ixs, side in ((src, src_ix, "src"), (sus, sus_ix, "sus")):
            if not ixs:
                only = (
                    "only in the suspect · 仅见于疑似稿"
                    if side == "src"
                    else "only in the source · 仅见于原文"
                )
                cells.append(f'<td class="{side} none" title="{_e(only)}"></td>')
                continue
            sents = "".join(view.sentence(i, side, anchored) for i in ixs)
            cells.append(f'<td class="{side}">{sents}</td>')
        if pair is None:
            sim, cls = "—", "gap"
        else:
            same = not any(src.marked(i) for i in src_ix) and not any(sus.marked(i) for i in sus_ix)
            same = same and "".join(map(src.plain, src_ix)) == "".join(map(sus.plain, sus_ix))
            sim, cls = f"{pair.score:.0%}", "pair same" if same else "pair"
        html_rows.append(f'<tr class="{cls}">{cells[0]}<td class="sim">{sim}</td>{cells[1]}</tr>')
    return (
        '<h2 id="texts">Side by side · 逐句对照</h2>\n'
        "<p>Rows pair each suspect sentence with the source sentence it derives from; hatched cells: nothing "
        "on that side. · 每行为对齐的句子，斜纹格表示该侧没有对应内容。</p>\n"
        f'<details class="note"><summary>The % column · 百分比栏</summary><p>{_e(note_en[0].upper() + note_en[1:])}.'
        f" · {_e(note_zh)}。</p></details>\n"
        '<p class="filter"><a href="#changed">Show changed rows only · 只看改动</a> · '
        '<a href="#texts">Show all rows · 显示全部</a></p><span id="changed"></span>\n'
        '<table class="sbs"><colgroup><col class="side"><col class="sim"><col class="side"></colgroup>'
        f'<thead><tr><th>Source · 原文</th><th class="sim" title="{_e(note_en)}">%</th><th>Suspect · 疑似稿</th></tr></thead><tbody>'
        + "\n".join(html_rows)
        + "</tbody></table>"
    )
