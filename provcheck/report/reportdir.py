"""A cluster report folder: ``clusters.json``, ``clusters.csv``, the HTML overview and one compare
report per member against its group's original."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from provcheck.clustering.config import Progress
from provcheck.clustering.inputs import Spill
from provcheck.clustering.result import Clustering
from provcheck.errors import ProvcheckError
from provcheck.model import Document
from provcheck.pair.comparer import CompareConfig, PairSettings, Provcheck

__all__ = ["title_of", "write_report_dir"]

OnProgress = Callable[[Progress], None]


def write_report_dir(
    result: Clustering,
    docs: Iterable[Document],
    out: str | Path,
    settings: PairSettings | None = None,
    on_progress: OnProgress | None = None,
) -> Path:
    """Write ``clusters.json``, ``clusters.csv``, ``index.html`` (the overview), ``timings.json`` and
    one compare report per member against its group's original (``members/gNNNN-K.html``) into ``out``.

    ``docs`` streams the same input again; only grouped documents are kept, on disk."""
    from provcheck.report.htmlpage import render_html
    from provcheck.report.overview import clustering_to_csv, clustering_to_json, render_overview
    from provcheck.report.verdict import verdict_of

    report = on_progress or (lambda p: None)
    root = Path(out)
    pages: dict[str, str] = {}
    titles: dict[str, str] = {}
    flags: dict[str, str] = {}
    try:
        (root / "members").mkdir(parents=True, exist_ok=True)
        wanted = {m.id for g in result.groups for m in g.members}
        pc = Provcheck(settings or CompareConfig())
        with Spill() as spill:
            where: dict[str, int] = {}
            for d in docs:
                if d.id in wanted and d.id not in where:
                    where[d.id] = spill.add(d)
                    titles[d.id] = title_of(d)
            spill.flush()
            total = sum(len(g.members) - 1 for g in result.groups)
            done = 0
            for g in result.groups:
                if g.original not in where:
                    continue
                original = pc.prepare(spill.get(where[g.original]))
                for k, m in enumerate(g.members[1:], 1):
                    if m.id not in where:
                        continue
                    name = f"members/g{g.id:04d}-{k}.html"
                    compared = pc.compare(original, spill.get(where[m.id]))
                    verdict = verdict_of(compared)
                    flags[m.id] = verdict.headline if verdict.tampered else ""
                    page = render_html(compared, back_href=f"../index.html#g{g.id}")
                    (root / name).write_text(page, encoding="utf-8")
                    pages[m.id] = name
                    done += 1
                    report(Progress("write", done, total))
        # clusters.json is the same on every run; how long the stages took goes to timings.json
        (root / "clusters.json").write_text(
            clustering_to_json(result, timings=False) + "\n", encoding="utf-8"
        )
        seconds = {k: v for k, v in result.stats if k.startswith("seconds")}
        (root / "timings.json").write_text(json.dumps(seconds) + "\n", encoding="utf-8")
        (root / "clusters.csv").write_text(clustering_to_csv(result), encoding="utf-8")
        (root / "index.html").write_text(
            render_overview(result, pages, titles=titles, flags=flags), encoding="utf-8"
        )
    except OSError as exc:
        raise ProvcheckError(f"cannot write {root}: {exc.strerror or exc}") from None
    return root


def title_of(doc: Document, limit: int = 80) -> str:
    """A document's title: its record's ``title``, else its first line of text (clipped)."""
    title = doc.meta_get("title")
    if not title:
        text = doc.text
        if doc.kind == "html":
            from provcheck.text.html import html_to_text

            text = html_to_text(text)[0]
        title = next((line.strip() for line in text.splitlines() if len(line.strip()) >= 4), "")
    title = " ".join(title.lstrip("#").split())
    return title if len(title) <= limit else title[: limit - 1] + "…"
