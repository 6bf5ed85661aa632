"""Inputs for bulk jobs: stream documents from files and folders, an archive index, JSONL and Parquet
record files, without holding a corpus in memory; and a spill file that keeps texts on disk to be
read back by number.

Unreadable files and records are reported (``skipped``), never dropped silently.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from provcheck.archive.index import Index
from provcheck.errors import InputError
from provcheck.model import Document
from provcheck.text.read import ReadConfig, document_from_text, iter_documents, iter_jsonl, unique_ids

__all__ = [
    "Spill",
    "iter_input",
    "iter_jsonl",
    "iter_parquet",
    "pid_alive",
    "read_spilled",
    "remove_stale_spills",
]


def iter_parquet(path: str | Path, skipped: list[str], batch_rows: int = 1024) -> Iterator[Document]:
    """Documents from a Parquet file with a ``text`` column (and optional ``id``, ``date``, ``title``
    and other scalar columns), streamed by record batch. Rows without text are reported in
    ``skipped``; a file that is not Parquet raises :class:`InputError`."""
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - depends on the install
        raise InputError("reading Parquet needs pyarrow: pip install 'provcheck[parquet]'") from None
    name = str(path)
    try:
        pf = pq.ParquetFile(name)
        columns = pf.schema_arrow.names
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except Exception as exc:  # pyarrow raises ArrowInvalid / OSError for corrupt files
        raise InputError(
            f"cannot read {name}: not a valid Parquet file ({str(exc).splitlines()[0][:120]})"
        ) from None
    if "text" not in columns:
        raise InputError(f"{name} has no 'text' column (columns: {', '.join(columns)})")
    row = 0
    try:
        for batch in pf.iter_batches(batch_size=batch_rows):
            for rec in batch.to_pylist():
                row += 1
                text = rec.get("text")
                rid = str(rec["id"]) if rec.get("id") is not None else f"{name}:{row}"
                if not isinstance(text, str) or not text.strip():
                    skipped.append(f"{name}:{row} ({rid}): no text")
                    continue
                meta = {
                    k: str(v)
                    for k, v in rec.items()
                    if k not in ("id", "text") and isinstance(v, str | int | float)
                }
                yield document_from_text(text, rid, "utf-8", meta)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"cannot read {name} after row {row}: {str(exc).splitlines()[0][:120]}") from None


def iter_input(
    paths: Sequence[str] = (),
    *,
    index: Index | None = None,
    inputs: Sequence[str] = (),
    skipped: list[str] | None = None,
    encoding: str | None = None,
    config: ReadConfig | None = None,
) -> Iterator[Document]:
    """Stream documents from files and folders, an open archive index and record files
    (``inputs``: ``.jsonl``/``.ndjson`` or ``.parquet``). Unreadable files and records go to
    ``skipped`` with a reason (or raise :class:`InputError` when ``skipped`` is None); so does a
    document whose id an earlier one has (ids are never merged)."""
    yield from unique_ids(_each_input(paths, index, inputs, skipped, encoding, config), skipped)


def _each_input(
    paths: Sequence[str],
    index: Index | None,
    inputs: Sequence[str],
    skipped: list[str] | None,
    encoding: str | None,
    config: ReadConfig | None,
) -> Iterator[Document]:
    cfg = config or ReadConfig()
    if encoding:
        cfg = replace(cfg, encoding=encoding)
    sink: list[str] = [] if skipped is None else skipped
    if paths:
        yield from iter_documents(list(paths), sink if skipped is not None else None, config=cfg)
    if index is not None:
        for doc_id in index.ids():
            yield index.document(doc_id)
    for raw in inputs:
        p = Path(raw)
        if not p.exists():
            raise InputError(f"{raw}: no such file")
        if not p.is_file():
            raise InputError(f"{raw} is not a regular file (a pipe, socket, device or folder); not read")
        if p.suffix.lower() == ".parquet":
            before = len(sink)
            yield from iter_parquet(p, sink)
            if skipped is None and len(sink) > before:
                raise InputError(sink[before])
        elif p.suffix.lower() in (".jsonl", ".ndjson"):
            before = len(sink)
            yield from iter_jsonl(p, sink, cfg)
            if skipped is None and len(sink) > before:
                raise InputError(sink[before])
        else:
            raise InputError(f"{raw}: --input takes .jsonl or .parquet record files")


# -- spill: texts on disk, read back on demand -------------------------------------------------------


SPILL_PREFIX = "provcheck-spill-"


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (its temporary files are then its own)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: alive
        return True
    return True


def remove_stale_spills(directory: str | None = None) -> list[str]:
    """Delete spill files left by processes that no longer run (killed before they could clean up);
    return their paths. Every :class:`Spill` does this when it starts."""
    folder = Path(directory or tempfile.gettempdir())
    removed = []
    for path in folder.glob(f"{SPILL_PREFIX}*-*.jsonl"):
        pid = path.name[len(SPILL_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(str(path))
    return removed


class Spill:
    """Documents written to a temporary file as read, read back by number (bounded memory).

    The file is named after this process (``provcheck-spill-PID-*.jsonl`` in the temporary folder);
    it is removed on :meth:`close`, and files of processes that died without closing (``kill -9``)
    are removed when the next Spill starts."""

    def __init__(self, directory: str | None = None) -> None:
        remove_stale_spills(directory)
        self._offsets: list[int] = []
        self._r: Any = None
        fd, self.path = tempfile.mkstemp(
            prefix=f"{SPILL_PREFIX}{os.getpid()}-", suffix=".jsonl", dir=directory
        )
        try:
            self._w = os.fdopen(fd, "wb")
        except BaseException:  # SIGTERM (raised as SystemExit) before the caller holds the file
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            raise

    def add(self, doc: Document) -> int:
        self._offsets.append(self._w.tell())
        rec = [doc.id, doc.text, doc.encoding, doc.kind, list(doc.meta)]
        self._w.write(json.dumps(rec, ensure_ascii=False).encode("utf-8") + b"\n")
        return len(self._offsets) - 1

    def __len__(self) -> int:
        return len(self._offsets)

    def flush(self) -> None:
        self._w.flush()

    def offsets(self) -> list[int]:
        return list(self._offsets)

    def get(self, n: int) -> Document:
        return read_spilled(self.path, self._offsets[n], self)

    def close(self) -> None:
        self._w.close()
        if self._r is not None:
            self._r.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_spilled(path: str, offset: int, holder: Any, end: int | None = None) -> Document:
    """Read one spilled document; ``holder._r`` caches the open file. With ``end`` (where the next
    record starts) the record is read in one call, without filling a read buffer that a seek to
    another record would throw away."""
    if getattr(holder, "_r", None) is None:
        holder._r = open(path, "rb")  # noqa: SIM115 - kept open for many reads, closed by the owner
    if end is not None:
        line = os.pread(holder._r.fileno(), end - offset, offset)
    else:
        holder._r.seek(offset)
        line = holder._r.readline()
    doc_id, text, enc, kind, meta = json.loads(line)
    return Document(doc_id, text, enc, kind, tuple(tuple(x) for x in meta))
