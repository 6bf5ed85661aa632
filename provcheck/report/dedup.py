"""The corpus written back deduplicated (``cluster --keep-originals OUT``): the named original of each
group plus every document in no group, each with its ``group`` id (null when ungrouped).

Records from ``--input`` files keep every field they had, in their order, with ``group`` added; files,
folders and index documents become ``{"id", "text", ...metadata, "group"}``. ``OUT`` ends in ``.jsonl``
(or ``.ndjson``) or ``.parquet``. Input order is kept. The file is written next to ``OUT`` and renamed
into place, so a failed run never leaves half a corpus.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from provcheck.archive.index import Index
from provcheck.clustering.inputs import iter_input
from provcheck.clustering.result import Clustering
from provcheck.errors import InputError, ProvcheckError
from provcheck.text.read import ReadConfig

__all__ = ["KEEP_SUFFIXES", "kept_ids", "write_kept"]

KEEP_SUFFIXES = (".jsonl", ".ndjson", ".parquet")


def kept_ids(result: Clustering) -> dict[str, int | None]:
    """``{id: group}`` of the documents to keep: each group's original, and every ungrouped one."""
    grouped = {m.id for g in result.groups for m in g.members}
    keep: dict[str, int | None] = {g.original: g.id for g in result.groups}
    for doc in result.documents:
        if doc not in grouped:
            keep.setdefault(doc, None)
    return keep


def _jsonl_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(id, record)`` of a JSONL file, with the ids the reader gives (``PATH:LINE`` without ``id``)."""
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, 1):
            try:
                rec = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
            if isinstance(rec, dict):
                yield str(rec.get("id", f"{path}:{lineno}")), rec


def _parquet_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    import pyarrow.parquet as pq

    row = 0
    for batch in pq.ParquetFile(str(path)).iter_batches(batch_size=1024):
        for rec in batch.to_pylist():
            row += 1
            yield (str(rec["id"]) if rec.get("id") is not None else f"{path}:{row}"), rec


def _records(
    paths: Sequence[str],
    index: Index | None,
    inputs: Sequence[str],
    encoding: str | None,
    read: ReadConfig | None,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every input document as ``(id, record)``, in the order clustering read them (files read with the
    same settings, so a document clustering read is never missing here)."""
    if paths or index is not None:
        for doc in iter_input(paths, index=index, skipped=[], encoding=encoding, config=read):
            yield doc.id, {"id": doc.id, "text": doc.text, **dict(doc.meta)}
    for raw in inputs:
        p = Path(raw)
        yield from _parquet_records(p) if p.suffix.lower() == ".parquet" else _jsonl_records(p)


def write_kept(
    result: Clustering,
    out: str | Path,
    paths: Sequence[str] = (),
    *,
    index: Index | None = None,
    inputs: Sequence[str] = (),
    encoding: str | None = None,
    read: ReadConfig | None = None,
) -> int:
    """Write the kept documents to ``out`` (JSONL or Parquet by its suffix); returns how many."""
    target = Path(out)
    suffix = target.suffix.lower()
    if suffix not in KEEP_SUFFIXES:
        raise InputError(f"{out}: --keep-originals writes .jsonl or .parquet")
    keep = kept_ids(result)
    written: set[str] = set()

    def rows() -> Iterator[dict[str, Any]]:
        for doc_id, rec in _records(paths, index, inputs, encoding, read):
            if doc_id in keep and doc_id not in written:
                written.add(doc_id)
                yield {**rec, "group": keep[doc_id]}

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".provcheck-", suffix=suffix, dir=target.parent)
        os.close(fd)
        try:
            if suffix == ".parquet":
                _write_parquet(rows(), tmp)
            else:
                with open(tmp, "w", encoding="utf-8") as f:
                    for row in rows():
                        f.write(json.dumps(row, ensure_ascii=False) + "\n")
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        raise ProvcheckError(f"cannot write {out}: {exc.strerror or exc}") from None
    return len(written)


def _write_parquet(rows: Iterator[dict[str, Any]], path: str, batch: int = 1024) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - depends on the install
        raise InputError("writing Parquet needs pyarrow: pip install 'provcheck[parquet]'") from None
    writer: Any = None
    chunk: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal writer
        if not chunk:
            return
        if writer is None:
            table = pa.Table.from_pylist(chunk)
            fields = [pa.field("group", pa.int64()) if f.name == "group" else f for f in table.schema]
            writer = pq.ParquetWriter(path, pa.schema(fields))
        writer.write_table(pa.Table.from_pylist(chunk, schema=writer.schema))
        chunk.clear()

    try:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                flush()
        flush()
        if writer is None:  # nothing kept: an empty file with the minimal schema
            pq.write_table(
                pa.table({"id": pa.array([], pa.string()), "group": pa.array([], pa.int64())}), path
            )
    finally:
        if writer is not None:
            writer.close()
