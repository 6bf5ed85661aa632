"""A clustering as JSON (the contract's ``{"clusters": [...]}`` plus roles, scores, reasons, links),
as CSV (one row per document) and as a browsable HTML overview. Every piece of text in the HTML goes
through :func:`html.escape`; the page loads nothing and runs no script."""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Any
from urllib.parse import quote

from provcheck.clustering.result import Clustering
from provcheck.report.htmlpage import html_document

__all__ = ["clustering_to_csv", "clustering_to_dict", "clustering_to_json", "render_overview"]

SCHEMA_VERSION = 1


def clustering_to_dict(result: Clustering, timings: bool = True) -> dict[str, Any]:
    """``clusters`` (each: ``members`` original first, ``original``, ``reason``, ``roles``), ``links``
    (partial reuse between groups), ``skipped`` inputs and ``stats`` (without the ``seconds*`` timings
    when ``timings`` is false, so a report folder is the same on every run)."""
    return {
        "schema": SCHEMA_VERSION,
        "clusters": [
            {
                "id": g.id,
                "original": g.original,
                "members": [m.id for m in g.members],
                "reason": g.reason,
                "roles": [
                    {"path": m.id, "role": m.role, "relation": m.relation, "score": m.score}
                    for m in g.members
                ],
            }
            for g in result.groups
        ],
        "links": [
            {
                "a": k.a,
                "b": k.b,
                "relation": k.relation,
                "score": k.score,
                "group_a": k.group_a,
                "group_b": k.group_b,
            }
            for k in result.links
        ],
        "documents": len(result.documents),
        "empty": list(result.empty),
        "skipped": list(result.skipped),
        "stats": {k: v for k, v in result.stats if timings or not k.startswith("seconds")},
    }


def clustering_to_json(result: Clustering, indent: int | None = 2, timings: bool = True) -> str:
    return json.dumps(clustering_to_dict(result, timings), ensure_ascii=False, indent=indent)


def clustering_to_csv(result: Clustering) -> str:
    """One row per document read: ``document,group,role,score,original`` (ungrouped documents have
    an empty group and the role ``unique``, or ``empty`` for a document with no content besides page
    chrome)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["document", "group", "role", "score", "original"])
    where = {m.id: (g, m) for g in result.groups for m in g.members}
    empty = set(result.empty)
    for doc in result.documents:
        if doc in where:
            g, m = where[doc]
            w.writerow([doc, g.id, m.role, f"{m.score:.4f}", g.original])
        elif doc in empty:
            w.writerow([doc, "", "empty", "", ""])
        else:
            w.writerow([doc, "", "unique", "", ""])
    return buf.getvalue()


_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}
.sum{color:#555;margin:0 0 16px}
section.g{background:#fff;border:1px solid #dde1e7;border-radius:8px;margin:0 0 14px;padding:12px 16px}
section.g h2{font-size:16px;margin:0 0 4px}
.why{color:#444;margin:0 0 8px;font-size:14px}
table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:3px 8px;border-top:1px solid #eef0f3;font-size:14px;word-break:break-all}
th{color:#666;font-weight:600}
.r-original{color:#0a6b2e;font-weight:600}
.r-rewritten{color:#8a5a00}
.r-copy{color:#1f4fa3}
.links li{font-size:14px}
code{font-size:12px;color:#555;overflow-wrap:anywhere}
.flag{color:#b71c1c;font-weight:600}
h2 small{font-weight:400;color:#666}
.filter a{color:#1a56c4}
.toc{margin:0 0 16px}.toc summary{cursor:pointer;font-weight:600}
.toc-box{max-height:320px;overflow:auto;background:#fff;border:1px solid #dde1e7;border-radius:8px;margin-top:6px}
#tampered:target~section.g.c,#tampered:target~.toc tr.c{display:none}
@media (max-width:760px){main{padding:12px 8px}section.g{padding:8px}td,th{padding:3px 4px;word-break:normal;
overflow-wrap:anywhere}section.g table,section.g tbody,section.g tr,section.g td{display:block;border:0}
section.g tr{border-top:1px solid #eef0f3;padding:4px 0}section.g tr:first-child{display:none}}
"""


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_overview(
    result: Clustering,
    member_pages: dict[str, str] | None = None,
    title: str = "provcheck clusters",
    *,
    titles: dict[str, str] | None = None,
    flags: dict[str, str] | None = None,
) -> str:
    """The overview page: a summary with a filter (groups with tampering only), a table of contents,
    then one section per group (original first; each member's title, role, score, tampering flag and
    a link to its compare report against the original where ``member_pages`` has one), then partial
    links between groups and skipped inputs. ``titles`` and ``flags`` (a member's verdict headline when
    it was tampered with) come from :func:`provcheck.report.reportdir.write_report_dir`."""
    pages, names, marks = member_pages or {}, titles or {}, flags or {}
    grouped = sum(len(g.members) for g in result.groups)
    tampered = [g for g in result.groups if any(marks.get(m.id) for m in g.members)]
    toc = "".join(
        f'<tr class="{"t" if g in tampered else "c"}"><td><a href="#g{g.id}">{g.id}</a></td>'
        f"<td>{_e(names.get(g.original) or g.original)}</td><td>{len(g.members)}</td>"
        f'<td class="flag">{"tampered · 被篡改" if g in tampered else ""}</td></tr>'
        for g in result.groups
    )
    parts = [
        "<main>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="sum">{_n(len(result.documents), "document")} · {_n(len(result.groups), "group")} · {grouped} grouped · '
        f"{len(tampered)} with tampering (altered figures or spliced spam) · 被篡改 {len(tampered)} 组 · "
        f"{_n(len(result.links), 'partial link')} · {len(result.skipped)} skipped</p>",
        '<p class="filter"><a href="#tampered">Show groups with tampering only · 只看被篡改的</a> · '
        '<a href="#top">Show all groups · 显示全部</a></p>',
        '<span id="tampered"></span><span id="top"></span>',
        '<details class="toc" open><summary>Groups · 分组</summary><div class="toc-box"><table>'
        "<tr><th>group</th><th>original · 原文</th><th>members</th><th></th></tr>"
        + toc
        + "</table></div></details>",
    ]
    for g in result.groups:
        rows = []
        for m in g.members:
            page = pages.get(m.id)
            report = f'<a href="{_e(quote(page))}">compare report</a>' if page else ""
            flag = marks.get(m.id, "")
            shown = names.get(m.id)
            label = f"{_e(shown)}<br><code>{_e(m.id)}</code>" if shown else f"<code>{_e(m.id)}</code>"
            rows.append(
                f'<tr><td class="r-{_e(m.role)}">{_e(m.role)}</td><td>{label}</td>'
                f'<td>{m.score:.2f}</td><td class="flag">{_e(flag)}</td><td>{report}</td></tr>'
            )
        cls = "g t" if g in tampered else "g c"
        parts.append(
            f'<section class="{cls}" id="g{g.id}"><h2>Group {g.id}: {_e(names.get(g.original) or g.original)}'
            f" <small>({len(g.members)} documents)</small></h2>"
            f'<p class="why">Original: <b>{_e(g.original)}</b>: {_e(g.reason)}</p>'
            "<table><tr><th>role</th><th>document</th><th>score</th><th>tampering</th><th></th></tr>"
            + "".join(rows)
            + "</table></section>"
        )
    if result.links:
        items = []
        for k in result.links:
            ga = f' (<a href="#g{k.group_a}">group {k.group_a}</a>)' if k.group_a else ""
            gb = f' (<a href="#g{k.group_b}">group {k.group_b}</a>)' if k.group_b else ""
            items.append(f"<li>{_e(k.a)}{ga} ↔ {_e(k.b)}{gb}: {_e(k.relation)}, score {k.score:.2f}</li>")
        parts.append(
            '<section class="g links"><h2>Partial reuse between groups</h2><ul>'
            + "".join(items)
            + "</ul></section>"
        )
    if result.skipped:
        skipped = "".join(f"<li>{_e(s)}</li>" for s in result.skipped)
        parts.append(f'<section class="g"><h2>Skipped inputs</h2><ul>{skipped}</ul></section>')
    parts.append("</main>")
    return html_document(title, "\n".join(parts), css=_CSS)
