"""The terminal report (rich): the verdict on the first line, the figures, the spinner's word map, then
the texts row by row in suspect order with every change marked.

Every mark is visible without colour: a finding is wrapped in ``[tag:…]`` (``[spam:开云电子]``,
``[num:18 (source 16)]``, ``[del:source text]``), so a piped or ``--out`` report shows what a coloured
one shows. Deleted source text is printed where it was cut. ``summary=True`` prints the verdict, the
figures and the main findings on one screen.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from provcheck.model import Finding, FindingType, Report, Span
from provcheck.report.jsonout import substitution_table
from provcheck.report.rows import aligned_rows
from provcheck.report.verdict import derived_figures, percent, similarity_note, verdict_of

__all__ = ["STYLES", "TAGS", "render_terminal"]

STYLES: dict[FindingType, str] = {
    FindingType.ALTERED_NUMBER: "bold white on red",
    FindingType.REFORMATTED_NUMBER: "underline cyan",
    FindingType.SPLICED_SPAM: "bold black on magenta",
    FindingType.BOILERPLATE: "dim",
    FindingType.INSERTED: "black on yellow",
    FindingType.SUBSTITUTION: "underline blue",
    FindingType.DELETED: "red strike",
    FindingType.SHARED: "underline",
}
# The mark each finding carries in the text, with or without colour.
TAGS: dict[FindingType, str] = {
    FindingType.ALTERED_NUMBER: "num",
    FindingType.REFORMATTED_NUMBER: "fmt",
    FindingType.SPLICED_SPAM: "spam",
    FindingType.BOILERPLATE: "chrome",
    FindingType.INSERTED: "ins",
    FindingType.SUBSTITUTION: "sub",
    FindingType.DELETED: "del",
    FindingType.SHARED: "shared",
}
_ORDER = (  # the summary lists findings in this order: tampering first
    FindingType.ALTERED_NUMBER,
    FindingType.SPLICED_SPAM,
    FindingType.INSERTED,
    FindingType.DELETED,
    FindingType.BOILERPLATE,
    FindingType.REFORMATTED_NUMBER,
)
_SUMMARY_LINES = 12  # findings listed by --summary


def _one_line(text: str, limit: int | None = None) -> str:
    flat = " ".join(text.split())
    return flat if limit is None or len(flat) <= limit else flat[: limit - 1] + "…"


def _head(report: Report) -> list[Text]:
    """The verdict first, then the score and the figures behind it, the files and the counts."""
    verdict = verdict_of(report)
    first = Text()
    first.append(verdict.headline, style="bold red" if verdict.tampered else "bold")
    first.append(f" · {verdict.headline_zh}")
    derived, content, share = derived_figures(report)
    s = report.stats
    lines = [
        first,
        Text(
            f"score {report.score:.2f} · suspect derived {percent(share)} ({derived} of {content} content "
            f"characters, page chrome left out) · source reproduced {percent(s.source_coverage)} · "
            f"{s.aligned_pairs} aligned sentence groups"
        ),
        Text(f"source  {report.source.id}  ({report.source.encoding})", style="dim"),
        Text(f"suspect {report.suspect.id}  ({report.suspect.encoding})", style="dim"),
    ]
    counts = Counter(f.type for f in report.findings)
    line = Text("findings: ")
    for t in (*_ORDER, FindingType.SUBSTITUTION):
        if counts[t]:
            line.append(f"{t.value} {counts[t]}", style=STYLES[t])
            line.append("  ")
    if len(line) == len("findings: "):
        line.append("none")
    lines.append(line)
    return lines


def _label(f: Finding) -> str:
    """What a mark says: the finding's text, plus the source side where that explains it."""
    if f.type is FindingType.DELETED:
        return _one_line(f.source_text)
    if f.type in (FindingType.ALTERED_NUMBER, FindingType.REFORMATTED_NUMBER):
        return f"{_one_line(f.suspect_text)} (source {f.get('source_value', f.source_text)})"
    if f.type is FindingType.SUBSTITUTION:
        return f"{f.get('suspect_word', f.suspect_text)}←{f.get('source_word', f.source_text)}"
    return _one_line(f.suspect_text)


def _marked(text: str, span: Span, findings: list[Finding], side: str) -> Text:
    """``text[span]`` on one line with each finding inside it wrapped in its ``[tag:…]`` mark."""
    out = Text()
    at = span.start
    inside = []
    for f in findings:
        fs = f.suspect_span if side == "suspect" else f.source_span
        if fs is not None and fs.start >= span.start and fs.end <= span.end and len(fs):
            inside.append((fs, f))
    inside.sort(key=lambda x: (x[0].start, -x[0].end))
    for fs, f in inside:
        if fs.start < at:  # nested in (or overlapping) a mark already written
            continue
        out.append(_flat(text[at : fs.start]))
        body = (
            _label(f)
            if side == "suspect" or f.type is FindingType.DELETED
            else _flat(text[fs.start : fs.end])
        )
        opening, closing = ("{", "}") if f.type is FindingType.SUBSTITUTION else (f"[{TAGS[f.type]}:", "]")
        out.append(opening, style="dim")
        out.append(
            body if f.type is not FindingType.SUBSTITUTION else _flat(f.suspect_text), style=STYLES[f.type]
        )
        out.append(closing, style="dim")
        at = fs.end
    out.append(_flat(text[at : span.end]))
    return out


def _flat(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def _rows(console: Console, report: Report) -> None:
    sus, src = report.suspect_seg, report.source_seg
    if sus is None or src is None:
        return
    sus_f = [f for f in report.findings if f.suspect_span is not None]
    src_f = [f for f in report.findings if f.type is FindingType.DELETED and f.source_span is not None]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=5, no_wrap=True, justify="right")
    grid.add_column(overflow="fold")
    for src_ix, sus_ix, pair in aligned_rows(report):
        if sus_ix:
            first, last = sus.sentences[min(sus_ix)], sus.sentences[max(sus_ix)]
            span = sus.span(first.start, last.end)
            if pair is None:
                label = Text("+", style="yellow")
            else:
                label = Text(f"{pair.score:.0%}", style="green" if pair.score >= 0.9 else "yellow")
            grid.add_row(label, _marked(report.suspect.text, span, sus_f, "suspect"))
        if not src_ix:
            continue
        s0, s1 = src.sentences[min(src_ix)], src.sentences[max(src_ix)]
        sspan = src.span(s0.start, s1.end)
        deleted = [f for f in src_f if f.source_span is not None and f.source_span.overlaps(sspan)]
        if pair is None:  # source sentences absent from the suspect
            grid.add_row(Text("−", style="red"), _marked(report.source.text, sspan, deleted, "source"))
        elif pair.score < 1.0 or deleted:
            line = _marked(report.source.text, sspan, deleted, "source")
            line.stylize("dim")
            grid.add_row(Text("⟵", style="dim"), line)
    console.print(grid)


def _subs_table(report: Report, limit: int = 20) -> Table | None:
    rows = substitution_table(report)
    if not rows:
        return None
    table = Table(title="word substitutions (source → suspect)", show_edge=False)
    table.add_column("source")
    table.add_column("suspect")
    table.add_column("×", justify="right")
    for row in rows[:limit]:
        table.add_row(row["source"], row["suspect"], str(row["count"]))
    if len(rows) > limit:
        table.add_row("…", f"{len(rows) - limit} more", "")
    return table


def _legend() -> list[Text]:
    legend = Text("marks: ")
    for t in _ORDER:
        legend.append(f"[{TAGS[t]}:…]", style=STYLES[t])
        legend.append(f" {t.value}  ")
    legend.append("{…}", style=STYLES[FindingType.SUBSTITUTION])
    legend.append(" substitution (the source's word is in the line beneath)")
    return [
        legend,
        Text(
            f"left column: {similarity_note()[0]} (the source sentence is beneath, ⟵). + only in the "
            "suspect, − only in the source (deleted).",
            style="dim",
        ),
    ]


def _summary_findings(report: Report) -> list[Text]:
    """The main findings, tampering first, one line each, then the spinner's top words."""
    lines: list[Text] = []
    main = sorted(
        (f for f in report.findings if f.type in _ORDER),
        key=lambda f: (_ORDER.index(f.type), (f.suspect_span or f.source_span or Span(0, 0)).start),
    )
    same: Counter[tuple[FindingType, str, str]] = Counter(
        (f.type, _one_line(_label(f), 60), str(f.get("reason") or f.get("scope") or "")) for f in main
    )
    for (t, label, reason), n in list(same.items())[:_SUMMARY_LINES]:
        line = Text(f"  [{TAGS[t]}] ", style="dim")
        line.append(label, style=STYLES[t])
        if n > 1:
            line.append(f" ×{n}")
        if reason:
            line.append(f"  {reason}", style="dim")
        lines.append(line)
    if len(same) > _SUMMARY_LINES:
        rest = sum(list(same.values())[_SUMMARY_LINES:])
        lines.append(Text(f"  … {rest} more (the full report: without --summary)"))
    subs = substitution_table(report)
    if subs:
        top = ", ".join(f"{r['source']}→{r['suspect']} ×{r['count']}" for r in subs[:6])
        lines.append(Text(f"  [sub] {len(subs)} distinct word swaps, most frequent: {top}", style="dim"))
    return lines


def render_terminal(
    report: Report, out: Path | None = None, width: int | None = None, summary: bool = False
) -> None:
    """Print the report to the terminal, or as plain text to ``out``; ``summary`` fits one screen."""
    fh = out.open("w", encoding="utf-8") if out is not None else None
    try:
        console = Console(
            file=fh, width=width or (100 if fh else None), no_color=fh is not None, highlight=False
        )
        for line in _head(report):
            console.print(line)
        if summary:
            for line in _summary_findings(report):
                console.print(line, overflow="ellipsis", no_wrap=True)
            return
        table = _subs_table(report)
        if table is not None:
            console.print(table)
        for line in _legend():
            console.print(line)
        _rows(console, report)
    finally:
        if fh is not None:
            fh.close()
