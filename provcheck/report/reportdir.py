"""A cluster report folder: ``clusters.json``, ``clusters.csv``, the HTML overview and one compare
report per member against its group's original.

The folder is written whole or not at all: everything goes into a temporary folder beside it
(``.NAME.tmp-PID``), which replaces the old folder by renames only at the end, so a run killed
half-way leaves the previous report as it was (and its temporary folder is removed by the next run).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from provcheck.clustering.config import Progress
from provcheck.clustering.inputs import Spill, pid_alive
from provcheck.clustering.result import Clustering
from provcheck.errors import ProvcheckError
from provcheck.model import Document
from provcheck.pair.comparer import CompareConfig, PairSettings, Provcheck

__all__ = ["title_of", "write_report_dir"]

OnProgress = Callable[[Progress], None]
_REPORT_FILES = {"clusters.json", "clusters.csv", "index.html", "timings.json", "members"}


def _remove_stale(root: Path) -> None:
    """Temporary folders of earlier runs on ``root`` that were killed (their process is gone)."""
    for old in root.parent.glob(f".{root.name}.*-*"):
        pid = old.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)) and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def _check_target(root: Path) -> None:
    """``root`` may be replaced: it does not exist, or it is a folder holding a cluster report only."""
    if not root.exists():
        return
    if not root.is_dir():
        raise ProvcheckError(f"cannot write {root}: it is a file, not a folder")
    foreign = sorted(p.name for p in root.iterdir() if p.name not in _REPORT_FILES)
    if foreign:
        raise ProvcheckError(
            f"refusing to replace {root}: it holds files that are not a cluster report ({', '.join(foreign[:3])})"
        )


def _replace(tmp: Path, root: Path) -> None:
    """Put the finished folder ``tmp`` at ``root`` by renames (the old report is removed after)."""
    _check_target(root)
    if not root.exists():
        tmp.rename(root)
        return
    old = root.parent / f".{root.name}.old-{os.getpid()}"
    root.rename(old)
    tmp.rename(root)
    shutil.rmtree(old, ignore_errors=True)


def write_report_dir(
    result: Clustering,
    docs: Iterable[Document],
    out: str | Path,
    settings: PairSettings | None = None,
    on_progress: OnProgress | None = None,
    skipped: list[str] | None = None,
) -> Clustering:
    """Write ``clusters.json``, ``clusters.csv``, ``index.html`` (the overview) and one compare report
    per member against its group's original (``members/gNNNN-K.html``) into ``out``; return the
    result as written, whose ``skipped`` also lists every member without a report (unreadable on
    this second reading, given as ``skipped``, or absent from it).

    ``docs`` streams the same input again; only grouped documents are kept, on disk."""
    from provcheck.report.htmlpage import render_html
    from provcheck.report.overview import clustering_to_csv, clustering_to_json, render_overview
    from provcheck.report.verdict import verdict_of

    report = on_progress or (lambda p: None)
    root = Path(os.path.abspath(out))
    pages: dict[str, str] = {}
    missing: list[str] = []
    titles: dict[str, str] = {}
    flags: dict[str, str] = {}
    tmp = root.parent / f".{root.name}.tmp-{os.getpid()}"
    try:
        _check_target(root)
        root.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(root)
        shutil.rmtree(tmp, ignore_errors=True)
        (tmp / "members").mkdir(parents=True)
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
                    missing += [
                        f"{m.id}: no member report (the group's original {g.original} could not be read again)"
                        for m in g.members[1:]
                    ]
                    continue
                original = pc.prepare(spill.get(where[g.original]))
                for k, m in enumerate(g.members[1:], 1):
                    if m.id not in where:
                        missing.append(f"{m.id}: no member report (it could not be read again)")
                        continue
                    name = f"members/g{g.id:04d}-{k}.html"
                    try:
                        compared = pc.compare(original, spill.get(where[m.id]))
                        verdict = verdict_of(compared)
                        flags[m.id] = verdict.headline if verdict.tampered else ""
                        page = render_html(compared, back_href=f"../index.html#g{g.id}")
                    except ProvcheckError as exc:
                        missing.append(f"{m.id}: no member report ({exc})")
                        continue
                    (tmp / name).write_text(page, encoding="utf-8")
                    pages[m.id] = name
                    done += 1
                    report(Progress("write", done, total))
        if missing or skipped:
            result = replace(result, skipped=(*result.skipped, *(skipped or ()), *missing))
        # clusters.json is the same on every run; how long the stages took goes to timings.json
        (tmp / "clusters.json").write_text(clustering_to_json(result, timings=False) + "\n", encoding="utf-8")
        seconds = {k: v for k, v in result.stats if k.startswith("seconds")}
        (tmp / "timings.json").write_text(json.dumps(seconds) + "\n", encoding="utf-8")
        (tmp / "clusters.csv").write_text(clustering_to_csv(result), encoding="utf-8")
        (tmp / "index.html").write_text(
            render_overview(result, pages, titles=titles, flags=flags), encoding="utf-8"
        )
        _replace(tmp, root)
    except OSError as exc:
        raise ProvcheckError(f"cannot write {root}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return result


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
