"""The terminal report (rich): summary, the spinner's word map, then the suspect sentence by
sentence with each change marked and its aligned source sentence beneath it."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from provcheck.model import Finding, FindingType, Report, Span
from provcheck.report.jsonout import substitution_table

__all__ = ["STYLES", "render_terminal"]

STYLES: dict[FindingType, str] = {
    FindingType.ALTERED_NUMBER: "bold white on red",
    FindingType.REFORMATTED_NUMBER: "underline cyan",
    FindingType.SPLICED_SPAM: "bold black on magenta",
    FindingType.BOILERPLATE: "dim strike",
    FindingType.INSERTED: "black on yellow",
    FindingType.SUBSTITUTION: "underline blue",
    FindingType.DELETED: "red strike",
    FindingType.SHARED: "underline",
}
_VERDICT = {"copy": "red", "rewritten": "red", "partial": "yellow", "unrelated": "green"}


def _summary(report: Report) -> Panel:
    s = report.stats
    counts: dict[str, int] = {}
    for f in report.findings:
        counts[f.type.value] = counts.get(f.type.value, 0) + 1
    head = Text()
    head.append(
        f"{report.relation.value.upper()}", style=f"bold {_VERDICT.get(report.relation.value, 'white')}"
    )
    head.append(f"   score {report.score:.2f}\n")
    head.append(f"source  {report.source.id}  ({report.source.encoding})\n", style="dim")
    head.append(f"suspect {report.suspect.id}  ({report.suspect.encoding})\n", style="dim")
    head.append(
        f"{s.derived_chars} of {s.suspect_chars} suspect characters derive from the source; "
        f"{s.source_coverage:.0%} of the source is reproduced; {s.aligned_pairs} aligned sentence groups\n"
    )
    for t in FindingType:
        n = counts.get(t.value, 0)
        if n:
            head.append(f"{t.value} ", style=STYLES[t])
            head.append(f"{n}   ")
    return Panel(head, title="provcheck compare", expand=False)


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


def _marked(text: str, span: Span, findings: list[Finding]) -> Text:
    out = Text(text[span.start : span.end].replace("\n", " "))
    for f in findings:
        fs = f.suspect_span
        if fs is None or fs.end <= span.start or fs.start >= span.end:
            continue
        out.stylize(
            STYLES[f.type], max(fs.start, span.start) - span.start, min(fs.end, span.end) - span.start
        )
    return out


def render_terminal(report: Report, out: Path | None = None, width: int | None = None) -> None:
    """Print the report to the terminal, or as plain text to ``out``."""
    fh = out.open("w", encoding="utf-8") if out is not None else None
    try:
        console = Console(
            file=fh, width=width or (100 if fh else None), no_color=fh is not None, highlight=False
        )
        console.print(_summary(report))
        table = _subs_table(report)
        if table is not None:
            console.print(table)
        numbers = [f for f in report.findings if f.type is FindingType.ALTERED_NUMBER]
        for f in numbers:
            console.print(
                Text.assemble(
                    ("altered number ", STYLES[f.type]), f"{f.get('source_value')} → {f.get('suspect_value')}"
                )
            )
        _sentences(console, report)
        legend = Text("legend: ")
        for t, style in STYLES.items():
            legend.append(t.value, style=style)
            legend.append("  ")
        console.print(legend)
    finally:
        if fh is not None:
            fh.close()


def _sentences(console: Console, report: Report) -> None:
    sus, src = report.suspect_seg, report.source_seg
    if sus is None or src is None:
        return
    by_suspect = {min(p.suspect): p for p in report.alignment.pairs}
    covered = {i for p in report.alignment.pairs for i in p.suspect}
    findings = [f for f in report.findings if f.suspect_span is not None]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=4, no_wrap=True)
    grid.add_column(overflow="fold")
    for i, sent in enumerate(sus.sentences):
        if i in covered and i not in by_suspect:
            continue
        pair = by_suspect.get(i)
        if pair is not None:
            first, last = sus.sentences[min(pair.suspect)], sus.sentences[max(pair.suspect)]
            span = sus.span(first.start, last.end)
            label = Text(f"{pair.score:4.2f}", style="green" if pair.score >= 0.9 else "yellow")
        else:
            span = sus.span(sent.start, sent.end)
            label = Text("  --", style="dim")
        grid.add_row(label, _marked(report.suspect.text, span, findings))
        if pair is not None and pair.score < 1.0:
            s0, s1 = src.sentences[min(pair.source)], src.sentences[max(pair.source)]
            sspan = src.span(s0.start, s1.end)
            grid.add_row(
                Text("   ⟵", style="dim"),
                Text(report.source.text[sspan.start : sspan.end].replace("\n", " "), style="dim"),
            )
    console.print(grid)
