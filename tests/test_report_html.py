"""The HTML report: marks on the right characters, no text lost, nothing hostile survives escaping."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from provcheck.cli import app
from provcheck.model import AlignedPair, Alignment, Finding, FindingType, Relation, Report, Span, Stats
from provcheck.pair.comparer import Provcheck
from provcheck.report.htmlpage import REPORT_CSS, render_html
from provcheck.text.read import document_from_text, read_document

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "corpus" / "001_f774ca4a0bf60419.txt"
SUSPECT = ROOT / "corpus" / "000_4220fd22daa105e4.txt"

XSS = (
    "<script>document.title='pwned'</script>"
    '<img src=x onerror="window.__xss=1">'
    "</style><script>window.__xss=2</script>"
    '<a href="javascript:window.__xss=3">点我</a>'
    "<svg onload=alert(1)>"
    '"><iframe src="data:text/html,x"></iframe>'
)


class Page(HTMLParser):
    """Collects tags with attributes, the text of each side-by-side cell, and every mark."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.cells: dict[str, list[str]] = {"src": [], "sus": []}
        self.marks: list[dict[str, str]] = []
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._style = False
        self.style_text = ""
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag in ("meta", "col", "br", "img", "input"):
            return
        self._stack.append((tag, a))
        if tag == "mark" and self._cell():
            self.marks.append({**a, "text": "", "cell": self._cell() or ""})
        self._style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break
        self._style = False

    def _cell(self) -> str | None:
        for tag, a in reversed(self._stack):
            if tag == "td":
                cls = a.get("class", "").split()
                return "src" if "src" in cls else "sus" if "sus" in cls else None
        return None

    def handle_data(self, data: str) -> None:
        if self._style:
            self.style_text += data
            return
        if self._stack and self._stack[-1][0] == "title":
            self.title += data
        if any(a.get("class") == "ix" for _, a in self._stack):
            return  # sentence numbers
        cell = self._cell()
        if cell:
            self.cells[cell].append(data)
            if self._stack[-1][0] == "mark":
                self.marks[-1]["text"] += data


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    p.close()
    return p


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def span_of(text: str, needle: str, start: int = 0) -> Span:
    i = text.index(needle, start)
    return Span(i, i + len(needle))


@pytest.fixture(scope="module")
def pc() -> Provcheck:
    return Provcheck()


@pytest.fixture(scope="module")
def built(pc: Provcheck) -> Report:
    """A report built by hand on the real seed texts: every span slices the real text."""
    src_seg, sus_seg = pc.prepare(SOURCE), pc.prepare(SUSPECT)
    src, sus = src_seg.doc.text, sus_seg.doc.text
    s_2024, t_2024 = span_of(src, "2024年"), span_of(sus, "2024年")
    findings = (
        Finding(
            FindingType.BOILERPLATE,
            span_of(sus, "新闻中心News"),
            None,
            "新闻中心News",
            "",
            (("reason", "page chrome"),),
        ),
        Finding(FindingType.BOILERPLATE, span_of(sus, "浏览次数:"), None, "浏览次数:", ""),
        Finding(
            FindingType.SPLICED_SPAM, span_of(sus, "开云电子"), None, "开云电子", "", (("reason", "brand"),)
        ),
        Finding(
            FindingType.ALTERED_NUMBER,
            Span(t_2024.start, t_2024.start + 4),
            Span(s_2024.start, s_2024.start + 4),
            "2024",
            "2024",
            (("source_value", "2023"), ("suspect_value", "2024")),
        ),
        Finding(
            FindingType.DELETED,
            None,
            span_of(src, "□文/摄 本报记者 刘莉 李爱民"),
            "",
            "□文/摄 本报记者 刘莉 李爱民",
        ),
        Finding(
            FindingType.SUBSTITUTION,
            span_of(sus, "教化"),
            span_of(src, "教育"),
            "教化",
            "教育",
            (("source_word", "教育"), ("suspect_word", "教化")),
        ),
    )
    from provcheck.pair.align import align

    return Report(
        src_seg.doc, sus_seg.doc, Relation.REWRITTEN, 0.9, findings, align(src_seg, sus_seg, pc.settings.align),
        Stats(), src_seg, sus_seg,
    )  # fmt: skip


def test_marks_sit_on_the_flagged_characters(built: Report) -> None:
    page = parse(render_html(built))
    by_type = {t: [m for m in page.marks if f"f-{t.value}" in m["class"].split()] for t in FindingType}
    assert [m["text"] for m in by_type[FindingType.SPLICED_SPAM]] == ["开云电子"]
    assert [m["text"] for m in by_type[FindingType.BOILERPLATE]] == ["新闻中心News", "浏览次数:"]
    assert all(m["cell"] == "sus" for m in by_type[FindingType.BOILERPLATE])
    deleted = by_type[FindingType.DELETED]
    assert [(m["text"], m["cell"]) for m in deleted] == [("□文/摄 本报记者 刘莉 李爱民", "src")]
    altered = [m for m in by_type[FindingType.ALTERED_NUMBER] if m["cell"] == "sus"]
    assert [(m["text"], m["data-source"]) for m in altered] == [("2024", "2023")]
    assert "2023" in altered[0]["title"] and "2024" in altered[0]["title"]
    sub = [m for m in by_type[FindingType.SUBSTITUTION] if m["cell"] == "sus"]
    assert [m["text"] for m in sub] == ["教化"] and "教育 → 教化" in sub[0]["title"]


def test_every_character_of_both_texts_is_shown_once(built: Report) -> None:
    page = parse(render_html(built))
    assert squash("".join(page.cells["sus"])) == squash(built.suspect.text)
    assert "\n\n" in built.suspect.text and "\n\n" not in "".join(page.cells["sus"])  # blank lines fold
    # Source rows follow the suspect's order; each source sentence still appears exactly once.
    shown = squash("".join(page.cells["src"]))
    assert sorted(shown) == sorted(squash(built.source.text))


def test_rows_follow_the_suspect_and_place_unmatched_sentences_in_their_gap(pc: Provcheck) -> None:
    src = pc.prepare_text("甲句子一。乙句子二。丙句子三。", "a.txt")
    sus = pc.prepare_text("新插入句。甲句子一。丙句子三。尾巴广告。", "b.txt")
    assert len(src.sentences) == 3 and len(sus.sentences) == 4
    alignment = Alignment((AlignedPair((0,), (1,), 1.0), AlignedPair((2,), (2,), 1.0)), (1,), (0, 3))
    report = Report(src.doc, sus.doc, Relation.COPY, 0.8, (), alignment, Stats(), src, sus)
    page = render_html(report)
    rows = re.findall(r'<tr class="(pair same|pair|gap)">(.*?)</tr>', page)
    cells = [(kind, squash(re.sub(r"<[^>]+>|\d", "", row))) for kind, row in rows]
    assert cells == [
        ("gap", "—新插入句。"),
        ("pair same", "甲句子一。%甲句子一。"),
        ("gap", "乙句子二。—"),
        ("pair same", "丙句子三。%丙句子三。"),
        ("gap", "—尾巴广告。"),
    ]


def test_page_is_self_contained_and_its_csp_pins_the_stylesheet(built: Report) -> None:
    page = render_html(built)
    parsed = parse(page)
    assert parsed.style_text == REPORT_CSS
    digest = base64.b64encode(hashlib.sha256(REPORT_CSS.encode()).digest()).decode()
    csp = next(
        a["content"]
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert (
        f"style-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp and "script-src 'none'" in csp
    )
    assert not [t for t, _ in parsed.tags if t in ("script", "link", "img", "iframe", "object", "embed")]
    assert not [a for _, a in parsed.tags if "src" in a or "srcset" in a]
    assert all(a["href"].startswith("#") for t, a in parsed.tags if t == "a")
    assert "url(" not in page and "@import" not in page


def test_hostile_text_is_rendered_as_text(pc: Provcheck) -> None:
    base = read_document(SOURCE).text
    hostile = base.replace("在刚刚启幕的", XSS + "在刚刚启幕的", 1)
    source = document_from_text(base, "src.txt")
    suspect = document_from_text(hostile, '"><script>document.title=1</script>.txt')
    page = render_html(pc.compare(source, suspect))
    parsed = parse(page)
    assert {t for t, _ in parsed.tags} <= {
        "html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "p", "code", "section", "span",
        "meter", "ul", "li", "b", "table", "thead", "tbody", "tr", "th", "td", "mark", "div", "a", "colgroup", "col",
        "footer",
        "details",
        "summary",
    }  # fmt: skip
    assert not [k for _, a in parsed.tags for k in a if k.startswith("on")]
    assert not [a for _, a in parsed.tags if "javascript:" in "".join(a.values()) and "title" not in a]
    assert XSS in "".join(parsed.cells["sus"])  # shown verbatim, as text
    assert parsed.title.startswith('provcheck: "><script>')
    assert "<script" not in page and "</style><" not in page.split("</style>", 1)[1]


def test_hostile_values_in_findings_are_escaped(built: Report) -> None:
    evil = Finding(
        FindingType.ALTERED_NUMBER,
        built.findings[3].suspect_span,
        built.findings[3].source_span,
        "2024",
        "2024",
        (("source_value", '"><script>alert(1)</script>'), ("reason", "<b onmouseover=x>")),
    )
    report = Report(
        built.source, built.suspect, built.relation, built.score, (evil,), built.alignment, built.stats,
        built.source_seg, built.suspect_seg,
    )  # fmt: skip
    page = render_html(report)
    parsed = parse(page)
    assert "<script" not in page and "<b onmouseover" not in page
    assert [m["data-source"] for m in parsed.marks if m["cell"] == "sus"] == ['"><script>alert(1)</script>']


def test_back_link_refuses_script_urls(built: Report) -> None:
    assert '<a href="../overview.html">' in render_html(built, back_href="../overview.html")
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "java\tscript:x"):
        with pytest.raises(ValueError, match="relative or http"):
            render_html(built, back_href=bad)


def test_html_document_from_a_report_without_segmentation(built: Report) -> None:
    bare = Report(
        built.source,
        built.suspect,
        built.relation,
        built.score,
        built.findings,
        Alignment((), (), ()),
        Stats(),
    )
    parsed = parse(render_html(bare))
    assert squash("".join(parsed.cells["sus"])) == squash(built.suspect.text)
    assert [m["text"] for m in parsed.marks if "f-spliced_spam" in m["class"]] == ["开云电子"]


def test_html_suspect_is_shown_as_its_extracted_text(pc: Provcheck) -> None:
    text = read_document(SOURCE).text
    body = "".join(f"<p>{line}</p>\n" for line in text.splitlines() if line.strip())
    page_src = f"<!DOCTYPE html><html><head><title>x</title><script>var a=1;</script></head><body>{body}</body></html>"
    report = pc.compare(document_from_text(text, "a.txt"), document_from_text(page_src, "b.html"))
    parsed = parse(render_html(report))
    shown = squash("".join(parsed.cells["sus"]))
    assert "<p>" not in shown and "vara=1" not in shown
    assert squash(text) in shown


# ------------------------------------------------------------------ the real seed pair, end to end


def test_cli_writes_the_seed_report(tmp_path: Path) -> None:
    out = tmp_path / "r" / "seed.html"
    result = CliRunner().invoke(
        app, ["compare", str(SOURCE), str(SUSPECT), "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    parsed = parse(out.read_text(encoding="utf-8"))
    marks = {(m["text"], m["class"]) for m in parsed.marks}
    assert ("开云电子", "f-spliced_spam") in marks
    boiler = "".join(m["text"] for m in parsed.marks if "f-boilerplate" in m["class"].split())
    assert "新闻中心News" in boiler and "浏览次数" in boiler
    assert any(t == "span" and a.get("data-relation") == "rewritten" for t, a in parsed.tags)
    assert squash("".join(parsed.cells["sus"])) == squash(SUSPECT.read_text(encoding="utf-8"))


def _gaps_reference(report: Report) -> dict[tuple[str, int], int]:
    """The obvious quadratic placement: unmatched sentence -> number of aligned rows before it."""
    al = report.alignment
    pairs = sorted(al.pairs, key=lambda p: (min(p.suspect), min(p.source)))
    gaps = {}
    for i in al.unmatched_suspect:
        gaps[("sus", i)] = next((k for k, p in enumerate(pairs) if min(p.suspect) > i), len(pairs))
    for j in al.unmatched_source:
        before = [
            (max(s for s in p.source if s < j), k)
            for k, p in enumerate(pairs)
            if any(s < j for s in p.source)
        ]
        gaps[("src", j)] = max(before)[1] + 1 if before else 0
    return gaps


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_row_placement_matches_the_reference(built: Report, data: st.DataObject) -> None:
    from provcheck.report.rows import aligned_rows

    n_src, n_sus = data.draw(st.integers(0, 12)), data.draw(st.integers(0, 12))
    src_order = data.draw(st.permutations(range(n_src)))  # reordering: pairs need not be monotone
    k = data.draw(st.integers(0, min(n_src, n_sus)))
    sus_used = sorted(data.draw(st.permutations(range(n_sus)))[:k])
    pairs = tuple(AlignedPair((src_order[i],), (sus_used[i],), 0.5) for i in range(k))
    alignment = Alignment(
        pairs,
        tuple(sorted(set(range(n_src)) - set(src_order[:k]))),
        tuple(sorted(set(range(n_sus)) - set(sus_used))),
    )
    report = Report(built.source, built.suspect, Relation.COPY, 0.5, (), alignment, Stats())
    rows = aligned_rows(report)
    gaps, aligned = {}, 0
    for src_ix, sus_ix, pair in rows:
        if pair is None:
            gaps.update({("src", j): aligned for j in src_ix} | {("sus", i): aligned for i in sus_ix})
        else:
            aligned += 1
    assert gaps == _gaps_reference(report)
    assert [p for _, _, p in rows if p is not None] == sorted(pairs, key=lambda p: p.suspect)
    assert all(r[0] or r[1] for r in rows) and all(
        a[2] is not None or b[2] is not None for a, b in pairwise(rows)
    )
    assert sorted(i for r in rows for i in r[0]) == list(range(n_src))
    assert sorted(i for r in rows for i in r[1]) == list(range(n_sus))


_ALPHABET = st.sampled_from(
    [*"新闻中心报道记者今年增长了百分之十。，！？ \n\n<>&\"'/=abcXYZ0123456789万亿%", "\u202e", "\u3000"]
)


@settings(max_examples=60, deadline=None)
@given(
    source=st.text(_ALPHABET, min_size=1, max_size=200), suspect=st.text(_ALPHABET, min_size=1, max_size=200)
)
def test_any_text_pair_renders_every_character_escaped(pc: Provcheck, source: str, suspect: str) -> None:
    from hypothesis import assume

    from provcheck.errors import InputError

    try:
        src, sus = document_from_text(source, "a.txt"), document_from_text(suspect, "b.txt")
    except InputError:
        assume(False)
    assume(src.kind == "text" and sus.kind == "text")
    page = parse(render_html(pc.compare(src, sus)))
    assert squash("".join(page.cells["sus"])) == squash(sus.text)
    assert sorted(squash("".join(page.cells["src"]))) == sorted(squash(src.text))
    assert {t for t, _ in page.tags if t not in ("td", "th", "tr", "div", "span", "mark", "a")} <= {
        "html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "p", "code", "section",
        "meter", "ul", "li", "b", "table", "thead", "tbody", "colgroup", "col", "footer", "details", "summary",
    }  # fmt: skip
