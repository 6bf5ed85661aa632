"""Render a passage trace (:class:`provcheck.archive.trace.Trace`): JSON, plain text and HTML.

The trace is taken by shape (``query``, ``sources``, ``passages``, ...), so this module stays below
:mod:`provcheck.archive.trace` in the one-way pipeline. The HTML page gives each source one colour,
lists the sources as a checker does (colour, share, title, date) and marks each passage of the
suspect in its source's colour; all document text is escaped and the page runs no script.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from provcheck.report.htmlpage import REPORT_CSS, html_document

__all__ = ["TRACE_PAGE_CSS", "trace_to_dict", "trace_to_html", "trace_to_text"]

# Distinct, readable on white, in the order sources are listed (then reused).
_COLOURS = (
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42a5a5", "#f032e6", "#9a6324",
    "#808000", "#000075",
)  # fmt: skip

_TRACE_CSS = """
.srcs{border-collapse:collapse;margin:8px 0}.srcs td,.srcs th{padding:3px 10px;border-bottom:1px solid var(--line);
text-align:left;vertical-align:top}.sw{display:inline-block;width:14px;height:14px;border-radius:3px;vertical-align:middle}
.suspect{white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.suspect mark{background:none;border-bottom:3px solid;padding:0 1px}
.share{font-size:22px;font-weight:700}
""" + "".join(
    f".c{i}{{border-color:{c}!important;background:{c}22!important}}\n" for i, c in enumerate(_COLOURS)
)


TRACE_PAGE_CSS = REPORT_CSS + _TRACE_CSS  # the stylesheet of :func:`trace_to_html` pages (for a CSP)


def _span(span: Any) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def trace_to_dict(trace: Any) -> dict[str, Any]:
    """The JSON of ``provcheck trace`` (documented in README, "Tracing passages and patchworks")."""
    return {
        "query": trace.query,
        "length": trace.length,
        "content_chars": trace.content_chars,
        "derived": trace.derived,
        "unattributed": trace.unattributed,
        "sources": [
            {
                "path": s.id,
                "title": s.title,
                "date": s.date,
                "share": s.share,
                "covers": s.covers,
                "chars": s.chars,
                "relation": s.relation.value,
                "score": s.score,
            }
            for s in trace.sources
        ],
        "passages": [
            {
                "suspect_span": _span(p.span),
                "sources": [
                    {
                        "path": q.id,
                        "source_span": _span(q.source_span),
                        "similarity": q.similarity,
                        "findings": list(q.findings),
                    }
                    for q in p.sources
                ],
            }
            for p in trace.passages
        ],
    }


def trace_to_text(trace: Any, text: str | None = None) -> str:
    """A terminal summary: the union share, one line per source, one line per passage (with the
    passage's first characters when the suspect's ``text`` is given)."""
    lines = [
        f"{trace.query}: {100 * trace.derived:.1f}% derived from {len(trace.sources)} source(s), "
        f"{100 * trace.unattributed:.1f}% unattributed"
    ]
    if not trace.sources:
        lines.append("  nothing in the index supplies any passage")
        return "\n".join(lines)
    number = {s.id: k + 1 for k, s in enumerate(trace.sources)}
    lines.append("sources")
    for s in trace.sources:
        about = " ".join(x for x in (s.date, s.title) if x)
        lines.append(
            f"  [{number[s.id]}] {100 * s.share:5.1f}%  {s.relation.value:<10} {s.id}"
            + (f"  {about}" if about else "")
        )
    lines.append("passages")
    for p in trace.passages:
        first = p.sources[0]
        extra = (
            f" (also {', '.join(f'[{number.get(q.id, 0)}]' for q in p.sources[1:])})"
            if len(p.sources) > 1
            else ""
        )
        found = f" {','.join(first.findings)}" if first.findings else ""
        clip = ""
        if text is not None:
            piece = " ".join(text[p.span.start : p.span.end].split())
            clip = f"  {piece[:24]}{'…' if len(piece) > 24 else ''}"
        lines.append(
            f"  {p.span.start:>6}-{p.span.end:<6} [{number[first.id]}] sim {first.similarity:.2f}{found}{extra}{clip}"
        )
    return "\n".join(lines)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _candidates(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return ""
    body = "".join(
        f"<tr><td>{k + 1}</td><td>{c['score']:.3f}</td><td>{_e(c.get('relation') or '-')}</td>"
        f"<td>{_e(c.get('title') or '')}</td><td>{_e(c.get('date') or '')}</td><td><code>{_e(c['path'])}</code></td></tr>"
        for k, c in enumerate(rows)
    )
    return (
        '<h2>Candidates</h2><table class="srcs"><thead><tr><th>#</th><th>score</th><th>relation</th>'
        f"<th>title</th><th>date</th><th>document</th></tr></thead><tbody>{body}</tbody></table>"
    )


def trace_to_html(
    trace: Any, text: str, candidates: Sequence[dict[str, Any]] = (), extra_html: str = ""
) -> str:
    """One self-contained page (stylesheet :data:`TRACE_PAGE_CSS`): the source list (one colour
    each) and the suspect ``text`` (as decoded, the text the spans index) with every passage marked
    in its source's colour. ``candidates`` (as :func:`provcheck.report.archiveout.find_to_dict`
    lists them) adds the candidate list; ``extra_html`` (already escaped markup) goes at the end."""
    colour = {s.id: k % len(_COLOURS) for k, s in enumerate(trace.sources)}
    rows = []
    for k, s in enumerate(trace.sources):
        rows.append(
            f'<tr><td><span class="sw c{colour[s.id]}"></span> {k + 1}</td><td>{100 * s.share:.1f}%</td>'
            f"<td>{_e(s.title or '')}</td><td>{_e(s.date or '')}</td><td><code>{_e(s.id)}</code></td>"
            f"<td>{_e(s.relation.value)} · score {s.score:.3f}</td></tr>"
        )
    table = (
        '<table class="srcs"><thead><tr><th>#</th><th>share</th><th>title</th><th>date</th><th>document</th>'
        f"<th>relation</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else "<p>Nothing in the index supplies any passage of this text.</p>"
    )
    number = {s.id: k + 1 for k, s in enumerate(trace.sources)}
    parts = []
    pos = 0
    for p in trace.passages:
        first = p.sources[0]
        tip = "; ".join(
            f"[{number.get(q.id, 0)}] {q.id} sim {q.similarity:.2f}"
            + (f" {q.source_span.start}-{q.source_span.end}" if q.source_span is not None else "")
            + (f" ({', '.join(q.findings)})" if q.findings else "")
            for q in p.sources
        )
        parts.append(_e(text[pos : p.span.start]))
        parts.append(
            f'<mark class="c{colour[first.id]}" title="{_e(tip)}" data-source="{number[first.id]}">'
            f"{_e(text[p.span.start : p.span.end])}</mark>"
        )
        pos = p.span.end
    parts.append(_e(text[pos:]))
    body = (
        f"<main><h1>Sources of <code>{_e(trace.query)}</code></h1>"
        f'<p><span class="share">{100 * trace.derived:.1f}%</span> of the text derives from '
        f"{len(trace.sources)} archived source(s); {100 * trace.unattributed:.1f}% is unattributed "
        f"({trace.content_chars} content characters).</p>"
        f'<h2>Sources</h2>{table}<h2>Text</h2><div class="suspect">{"".join(parts)}</div>'
        f"{_candidates(candidates)}</main>{extra_html}"
    )
    return html_document(f"provcheck trace: {trace.query}", body, TRACE_PAGE_CSS)
