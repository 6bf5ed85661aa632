"""Persistence of the archive index in one SQLite file; the only module that imports sqlite3.

Crash safety and concurrency come from SQLite itself, used carefully:

- WAL journal with ``synchronous=NORMAL``: a committed transaction survives the process being killed
  at any moment (``kill -9``); an interrupted one leaves no trace.
- every write runs inside :meth:`Store.atomic` (``BEGIN IMMEDIATE`` ... ``COMMIT``, ``ROLLBACK`` on any
  exception, nested calls become savepoints), so a batch of documents lands whole or not at all;
- ``busy_timeout``: a second writer waits for the first instead of failing.

The schema evolves by numbered migrations (:data:`MIGRATIONS`, ``PRAGMA user_version``). The file is
stamped with ``PRAGMA application_id``; a file that is not SQLite, or SQLite written by another program,
raises :class:`~provcheck.errors.StoreError` with a one-line message.

Tables: ``docs`` (one row a document: id as given, content hash, length, title/date/meta), ``sigs``
(one row per document and signature kind: MinHash values and band keys as blobs, set size),
``bands`` (``key``, ``doc``: the LSH band keys, primary-keyed by ``key`` for lookups), ``texts``
(the decoded text, compressed by :func:`pack_text`, so ``check`` can align against a source whose file
has moved), and since schema 2 ``passage_keys`` (a document's winnowed passage keys as a blob, see
:mod:`provcheck.archive.passages`) with ``passages`` (``key``, ``doc``: their postings).

Postings come in two tiers (schema 3): a batch writes its postings to the small ``bands_new`` and
``passages_new``, and :meth:`Store.merge` moves them into ``bands`` and ``passages`` in one sorted pass
once the new tier holds a quarter as many (as a log-structured merge does). Inserting the random keys
of each batch straight into one ever-growing B-tree rewrote most of its pages every batch, so adding
slowed down as the index grew; lookups read both tiers.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path

import numpy as np

from provcheck.errors import StoreError

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "DocRow",
    "SigRow",
    "Store",
    "StoreStats",
    "pack_text",
    "unpack_text",
]

APPLICATION_ID = 0x70766368  # "pvch"

MIGRATIONS: tuple[str, ...] = (
    # 1: documents, signatures, band keys
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE docs (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        hash TEXT NOT NULL,
        length INTEGER NOT NULL,
        content INTEGER NOT NULL,
        title TEXT,
        date TEXT,
        meta TEXT NOT NULL DEFAULT '{}',
        encoding TEXT NOT NULL DEFAULT 'utf-8',
        kind TEXT NOT NULL DEFAULT 'text',
        added REAL NOT NULL
    );
    CREATE TABLE sigs (
        doc INTEGER NOT NULL REFERENCES docs(rowid) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        size INTEGER NOT NULL,
        sig BLOB NOT NULL,
        keys BLOB NOT NULL,
        PRIMARY KEY (doc, kind)
    ) WITHOUT ROWID;
    CREATE TABLE bands (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
    CREATE TABLE texts (doc INTEGER PRIMARY KEY REFERENCES docs(rowid) ON DELETE CASCADE, body BLOB NOT NULL);
    """,
    # 2: passage keys (winnowing): one row per document with its keys, and the (key, doc) postings.
    # Documents stored before this migration have no row until they are added again.
    """
    CREATE TABLE passage_keys (
        doc INTEGER PRIMARY KEY REFERENCES docs(rowid) ON DELETE CASCADE, keys BLOB NOT NULL
    );
    CREATE TABLE passages (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
    """,
    # 3: a second, small tier of postings that new documents go to, merged into the main tables in
    # bulk when it grows past a quarter of them (see Store.put_many): appending postings of random
    # keys to one large B-tree rewrote most of its pages every batch.
    """
    CREATE TABLE bands_new (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
    CREATE TABLE passages_new (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
    """,
)

# The posting tables: the main tier, and the tier new postings are written to (merged in bulk).
_TIERS = {"bands": "bands_new", "passages": "passages_new"}
MERGE_MIN = 1 << 20  # postings the new tier holds at least before a merge
MERGE_SHARE = 0.25  # ... and at least this share of the main tier's postings
POSTINGS_A_STATEMENT = 400  # rows of one posting INSERT (two parameters each: under the old 999 limit)
MMAP_BYTES = 1 << 31  # SQLite reads the file through a memory map up to this size


@dataclass(frozen=True, slots=True)
class SigRow:
    kind: str
    size: int
    sig: bytes
    keys: bytes  # signed 64-bit little-endian band keys

    def __reduce__(self) -> tuple[type[SigRow], tuple[str, int, bytes, bytes]]:
        return SigRow, (self.kind, self.size, self.sig, self.keys)  # pickled as a plain tuple


@dataclass(frozen=True, slots=True)
class DocRow:
    """A document as stored, with its signatures."""

    id: str
    hash: str
    length: int  # characters of the decoded text
    content: int  # content characters fingerprinted
    sigs: tuple[SigRow, ...]
    title: str | None = None
    date: str | None = None
    meta: tuple[tuple[str, str], ...] = ()
    encoding: str = "utf-8"
    kind: str = "text"
    text: str | None = None  # the decoded text; None when not loaded
    packed: bytes | None = None  # ``pack_text(text)``, when already computed (e.g. in a worker process)
    passages: bytes | None = None  # signed 64-bit little-endian passage keys; None: not computed

    def __reduce__(self) -> tuple[type[DocRow], tuple[object, ...]]:
        """Pickled as the class and a plain tuple of the fields: worker processes send a batch's rows
        to the writer, and the dataclass default (a state dict rebuilt field by field through
        ``fields()``) cost more than the rest of unpickling a row."""
        return DocRow, tuple(getattr(self, f) for f in _DOC_FIELDS)


_DOC_FIELDS = tuple(f.name for f in fields(DocRow))


@dataclass(frozen=True, slots=True)
class StoreStats:
    path: str
    documents: int
    band_keys: int
    bytes: int  # the database file plus its WAL
    schema: int
    config: str  # the fingerprint parameter digest, '' before the first document
    passage_keys: int = 0  # (key, document) passage postings


def _read_only_fs(folder: Path) -> bool:
    """True when ``folder`` is on a file system mounted read-only."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # pragma: no cover - no statvfs on this platform
        return False


def _keys_of(blob: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(blob) // 8}q", blob)


def _postings(blobs: Sequence[tuple[bytes, int]]) -> list[int]:
    """The ``(key, doc)`` postings of ``(key blob, doc rowid)`` pairs, sorted by key then doc (sorted
    rows insert into a B-tree with locality), flat: key, doc, key, doc, ..."""
    if not blobs:
        return []
    keys = np.concatenate([np.frombuffer(b, dtype="<i8") for b, _ in blobs])
    docs = np.repeat(np.array([d for _, d in blobs], dtype=np.int64), [len(b) // 8 for b, _ in blobs])
    order = np.lexsort((docs, keys))
    flat = np.empty(2 * len(keys), dtype=np.int64)
    flat[0::2], flat[1::2] = keys[order], docs[order]
    return flat.tolist()


def pack_text(text: str) -> bytes:
    """The stored form of a document's text; done by whoever builds the :class:`DocRow`.

    GB18030 (lossless for all of Unicode, two bytes for most CJK characters) then zlib: two 1100-character
    articles fit a 4 KiB page. Text GB18030 cannot hold (lone surrogates from JSON) goes as UTF-8."""
    try:
        return b"g" + zlib.compress(text.encode("gb18030"), 1)
    except UnicodeEncodeError:
        return b"u" + zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def unpack_text(body: bytes) -> str:
    """The text :func:`pack_text` stored; ValueError when ``body`` is not such a blob."""
    codec = {b"g": ("gb18030", "strict"), b"u": ("utf-8", "surrogatepass")}.get(body[:1])
    if codec is None:
        raise ValueError("unknown text format")
    try:
        return zlib.decompress(body[1:]).decode(*codec)
    except (zlib.error, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from None


class _Outdated(Exception):
    """A read-only open met a writable index of an older schema (the caller migrates it first)."""


class Store:
    """One open index database. Use as a context manager or call :meth:`close`.

    ``create=False`` refuses a missing or empty file (for commands that only read, such as ``find``).
    ``readonly=True`` opens the file read-only (SQLite ``mode=ro``; ``immutable`` when neither the
    file nor its folder can be written, as on a read-only medium, where no one else can write either),
    so an archive on a read-only file system can be searched; writing then raises :class:`StoreError`.
    """

    def __init__(
        self, path: str | Path, *, create: bool = True, timeout: float = 60.0, readonly: bool = False
    ) -> None:
        self.path = Path(path)
        self.readonly = readonly and not create
        if not create and not self.path.exists():
            raise StoreError(f"{path}: no such index; create it with `provcheck index add ... --db {path}`")
        if self.path.exists() and self.path.is_dir():
            raise StoreError(f"{path} is a folder, not an index file")
        if not create and self.path.stat().st_size == 0:
            raise StoreError(
                f"{path}: empty file, not an index (create one with: provcheck index init --db {path})"
            )
        if self.path.exists() and not os.access(self.path, os.R_OK):
            raise StoreError(f"cannot read index {path}: permission denied")
        self._depth = 0
        try:
            self._open(timeout)
        except _Outdated:
            self._db.close()  # a read-only open of a writable index of the previous schema:
            Store(self.path, create=False, timeout=timeout).close()  # migrate it (only adds tables)
            self._open(timeout)

    def _open(self, timeout: float) -> None:
        path = self.path
        self._db = self._connect(timeout, immutable=False)
        try:
            try:
                self._setup(timeout)
            except sqlite3.OperationalError:
                if not self.readonly or self._writable():
                    raise
                self._db.close()  # a read-only medium: nobody can change the file while it is open
                self._db = self._connect(timeout, immutable=True)
                self._setup(timeout)
        except sqlite3.OperationalError as exc:
            self._db.close()
            raise self._error(exc) from None
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(f"{path} is not a provcheck index (or is corrupt): {exc}") from None
        except StoreError:
            self._db.close()
            raise

    def _connect(self, timeout: float, *, immutable: bool) -> sqlite3.Connection:
        try:
            if not self.readonly:
                return sqlite3.connect(
                    str(self.path), timeout=timeout, isolation_level=None, check_same_thread=False
                )
            uri = f"{self.path.resolve().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"
            return sqlite3.connect(
                uri, timeout=timeout, isolation_level=None, check_same_thread=False, uri=True
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open index {self.path}: {exc}") from None

    def _writable(self) -> bool:
        folder = self.path.resolve().parent
        return os.access(self.path, os.W_OK) and os.access(folder, os.W_OK) and not _read_only_fs(folder)

    # -- connection ----------------------------------------------------------------------------
    def _setup(self, timeout: float) -> None:
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        # reads through a memory map: a lookup's pages are not copied through read() calls
        db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id != APPLICATION_ID and (app_id != 0 or tables or version):
            raise StoreError(f"{self.path} is an SQLite file of another program, not a provcheck index")
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path} was written by a newer provcheck (schema {version}); upgrade provcheck"
            )
        if self.readonly:
            if version < len(MIGRATIONS):
                if tables and self._writable():
                    raise _Outdated
                what = "not an index yet" if not tables else f"an older index (schema {version})"
                raise StoreError(
                    f"{self.path} is {what}; open a writable copy once (provcheck index init --db COPY) to bring it up to date"
                )
            db.execute("PRAGMA foreign_keys = ON")
            return
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":  # pragma: no cover - e.g. a read-only medium
            raise StoreError(f"cannot use write-ahead logging on {self.path} (journal mode {mode})")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA cache_size = -65536")  # 64 MB of page cache
        db.execute("PRAGMA foreign_keys = ON")
        if version < len(MIGRATIONS):
            self._migrate()

    def _migrate(self) -> None:
        with self.atomic():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]  # again, under the lock
            for number in range(version, len(MIGRATIONS)):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number + 1}")
            self._db.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction (a savepoint when nested): all of it commits, or none of it on any exception."""
        db = self._db
        if self._depth == 0:
            self._execute("BEGIN IMMEDIATE")
        else:
            db.execute(f"SAVEPOINT sp{self._depth}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                db.execute("ROLLBACK")
            else:
                db.execute(f"ROLLBACK TO sp{self._depth}")
                db.execute(f"RELEASE sp{self._depth}")
            raise
        self._depth -= 1
        if self._depth == 0:
            self._execute("COMMIT")
        else:
            db.execute(f"RELEASE sp{self._depth}")

    def _execute(self, sql: str, args: Sequence[object] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, args)
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _many(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        try:
            self._db.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _error(self, exc: sqlite3.Error) -> StoreError:
        text = str(exc)
        if "readonly" in text or "read-only" in text or ("unable to open" in text and not self._writable()):
            where = (
                "a read-only file system"
                if _read_only_fs(self.path.resolve().parent)
                else "no write permission"
            )
            return StoreError(
                f"index {self.path} cannot be written ({where}: {text}); commands that only read "
                "(find, check, cluster --db, index stats) still work"
            )
        if "locked" in text or "busy" in text:
            return StoreError(f"index {self.path} is locked by another process; try again")
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            return StoreError(f"index {self.path} is corrupt ({text}); rebuild it with `provcheck index add`")
        return StoreError(f"index {self.path}: {text}")

    # -- meta ----------------------------------------------------------------------------------
    def quick_check(self) -> str | None:
        """SQLite's ``quick_check`` over the whole file: None when sound, else its first complaint."""
        try:
            rows = self._db.execute("PRAGMA quick_check").fetchall()
        except sqlite3.Error as exc:
            return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        first = str(rows[0][0]) if rows else "no answer"
        return None if first == "ok" else first

    def get_meta(self, key: str) -> str | None:
        row = self._execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- documents -----------------------------------------------------------------------------
    def hashes(self, ids: Iterable[str], with_passages: bool = False) -> dict[str, str]:
        """Stored content hashes of those of ``ids`` that are in the index (``with_passages``: and
        have passage keys, so that documents stored before schema 2 are fingerprinted again)."""
        where = " AND EXISTS (SELECT 1 FROM passage_keys p WHERE p.doc = docs.rowid)" if with_passages else ""
        out: dict[str, str] = {}
        chunk: list[str] = []
        for doc_id in [*ids, None]:
            if doc_id is not None:
                chunk.append(doc_id)
            if chunk and (doc_id is None or len(chunk) >= 500):
                marks = ",".join("?" * len(chunk))
                out.update(
                    self._execute(f"SELECT id, hash FROM docs WHERE id IN ({marks}){where}", chunk).fetchall()
                )
                chunk = []
        return out

    def put(self, row: DocRow) -> str:
        """Insert or replace one document; returns ``"added"``, ``"updated"`` or ``"unchanged"``.
        Call inside :meth:`atomic`."""
        return self.put_many([row])[0]

    def put_many(self, rows: Iterable[DocRow]) -> list[str]:
        """:meth:`put` for a batch, writing document, signature, band and text rows in bulk (sorted
        band keys insert with locality; the stored versions are looked up a few hundred ids a query).
        Call inside :meth:`atomic`."""
        rows = list(rows)
        outcomes: list[str] = []
        docs: list[tuple[object, ...]] = []
        new: list[DocRow] = []
        pending: set[str] = set()
        stored = self._stored([row.id for row in rows])
        written = 0

        def flush() -> None:
            nonlocal written
            self._many(
                "INSERT INTO docs (id, hash, length, content, title, date, meta, encoding, kind, added)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                docs,
            )
            rowids = {doc_id: rowid for doc_id, (rowid, _, _) in self._stored([r.id for r in new]).items()}
            sigs: list[tuple[object, ...]] = []
            bands: list[tuple[bytes, int]] = []  # (key blob, rowid): a document's band keys
            texts: list[tuple[int, bytes]] = []
            pkeys: list[tuple[int, bytes]] = []
            for row in new:
                rowid = rowids[row.id]
                body = (
                    row.packed
                    if row.packed is not None
                    else None
                    if row.text is None
                    else pack_text(row.text)
                )
                if body is not None:
                    texts.append((rowid, body))
                sigs.extend((rowid, s.kind, s.size, s.sig, s.keys) for s in row.sigs)
                bands.extend((s.keys, rowid) for s in row.sigs)
                if row.passages is not None:
                    pkeys.append((rowid, row.passages))
            self._many("INSERT INTO sigs (doc, kind, size, sig, keys) VALUES (?, ?, ?, ?, ?)", sigs)
            self._many("INSERT INTO texts (doc, body) VALUES (?, ?)", texts)
            self._many("INSERT INTO passage_keys (doc, keys) VALUES (?, ?)", pkeys)
            for table, blobs in (("bands_new", bands), ("passages_new", [(b, d) for d, b in pkeys])):
                written += self._insert_postings(table, _postings(blobs))
            docs.clear()
            new.clear()
            pending.clear()

        now = time.time()
        for row in rows:
            if row.id in pending:  # the same id twice in one batch: write the first before replacing it
                flush()
                stored.update(self._stored([row.id]))
            old = stored.get(row.id)
            if old is not None and old[1] == row.hash and (old[2] or row.passages is None):
                outcomes.append("unchanged")
                continue
            if old is not None:
                self._delete_rowid(old[0])
            meta = json.dumps(dict(row.meta), ensure_ascii=False, sort_keys=True) if row.meta else "{}"
            docs.append(
                (
                    row.id,
                    row.hash,
                    row.length,
                    row.content,
                    row.title,
                    row.date,
                    meta,
                    row.encoding,
                    row.kind,
                    now,
                )
            )
            new.append(row)
            pending.add(row.id)
            outcomes.append("updated" if old is not None else "added")
        flush()
        if written:
            self._note_written(written)
        return outcomes

    def _insert_postings(self, table: str, flat: list[int]) -> int:
        """Insert flat ``key, doc, key, doc, ...`` postings (duplicates ignored) in statements of
        ``POSTINGS_A_STATEMENT`` rows: one multi-row ``VALUES`` binds and steps once for hundreds of
        rows, about half the CPU of a one-row statement a posting (which a batch runs some 200 000
        times). Returns how many postings were given."""
        step = 2 * POSTINGS_A_STATEMENT
        whole = len(flat) // step * step
        if whole:
            sql = f"INSERT OR IGNORE INTO {table} (key, doc) VALUES {','.join(['(?, ?)'] * POSTINGS_A_STATEMENT)}"
            self._many(sql, (flat[i : i + step] for i in range(0, whole, step)))
        if whole < len(flat):
            rest = len(flat) - whole
            sql = f"INSERT OR IGNORE INTO {table} (key, doc) VALUES {','.join(['(?, ?)'] * (rest // 2))}"
            self._execute(sql, flat[whole:])
        return len(flat) // 2

    def _stored(self, ids: Sequence[str]) -> dict[str, tuple[int, str, bool]]:
        """``id -> (rowid, content hash, has passage keys)`` of those of ``ids`` that are stored."""
        out: dict[str, tuple[int, str, bool]] = {}
        for lo in range(0, len(ids), 500):
            chunk = ids[lo : lo + 500]
            found = self._execute(
                "SELECT d.id, d.rowid, d.hash, p.doc IS NOT NULL FROM docs d"
                f" LEFT JOIN passage_keys p ON p.doc = d.rowid WHERE d.id IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
            out.update((doc_id, (int(rowid), str(h), bool(has))) for doc_id, rowid, h, has in found)
        return out

    # -- the two tiers of postings --------------------------------------------------------------
    def _note_written(self, count: int) -> None:
        """Count postings written to the new tier; merge it into the main tier once it holds at
        least ``MERGE_MIN`` postings and ``MERGE_SHARE`` of the main tier's. Each merge rewrites
        the main tables' pages once, so a posting is rewritten a bounded number of times over the
        life of the index (a geometric series), instead of every batch touching most pages of one
        ever-growing B-tree. The counts are kept in ``meta`` (removals are not subtracted: they
        only make merges a little earlier)."""
        pending = int(self.get_meta("postings_new") or 0) + count
        merged = int(self.get_meta("postings_main") or 0)
        self.set_meta("postings_new", str(pending))
        if pending >= max(MERGE_MIN, MERGE_SHARE * merged):
            self.merge()

    def merge(self) -> None:
        """Move the new tier of postings into the main tier (in key order, so the main B-trees are
        written front to back). Call inside :meth:`atomic`; lookups see both tiers either way."""
        pending = int(self.get_meta("postings_new") or 0)
        for main, new in _TIERS.items():
            self._execute(
                f"INSERT OR IGNORE INTO {main} (key, doc) SELECT key, doc FROM {new} ORDER BY key, doc"
            )
            self._execute(f"DELETE FROM {new}")
        self.set_meta("postings_main", str(int(self.get_meta("postings_main") or 0) + pending))
        self.set_meta("postings_new", "0")

    def _delete_rowid(self, rowid: int) -> None:
        for main, query in (
            ("bands", "SELECT keys FROM sigs WHERE doc = ?"),
            ("passages", "SELECT keys FROM passage_keys WHERE doc = ?"),
        ):
            for (blob,) in self._execute(query, (rowid,)).fetchall():
                gone = [(k, rowid) for k in _keys_of(blob)]
                for table in (main, _TIERS[main]):
                    self._many(f"DELETE FROM {table} WHERE key = ? AND doc = ?", gone)
        self._execute("DELETE FROM sigs WHERE doc = ?", (rowid,))
        self._execute("DELETE FROM passage_keys WHERE doc = ?", (rowid,))
        self._execute("DELETE FROM texts WHERE doc = ?", (rowid,))
        self._execute("DELETE FROM docs WHERE rowid = ?", (rowid,))

    def delete(self, doc_id: str) -> bool:
        """Remove one document; False when it is not in the index. Call inside :meth:`atomic`."""
        old = self._execute("SELECT rowid FROM docs WHERE id = ?", (doc_id,)).fetchone()
        if old is None:
            return False
        self._delete_rowid(old[0])
        return True

    def ids(self) -> list[str]:
        return [r[0] for r in self._execute("SELECT id FROM docs ORDER BY id")]

    def count(self, upto: int | None = None) -> int:
        """Documents held; with ``upto``, counted only up to that many (cheap on a large index)."""
        if upto is not None:
            sql = "SELECT count(*) FROM (SELECT 1 FROM docs LIMIT ?)"
            return int(self._execute(sql, (upto,)).fetchone()[0])
        return int(self._execute("SELECT count(*) FROM docs").fetchone()[0])

    # -- lookups -------------------------------------------------------------------------------
    def postings(self, keys: Sequence[int], limit: int | None = None) -> list[tuple[int, int]]:
        """``(key, doc rowid)`` for every stored band key among ``keys`` (see :meth:`_lookup` for
        ``limit``)."""
        return self._lookup("bands", keys, limit)

    def passage_postings(self, keys: Sequence[int], limit: int | None = None) -> list[tuple[int, int]]:
        """``(key, doc rowid)`` for every stored passage key among ``keys`` (see :meth:`_lookup`)."""
        return self._lookup("passages", keys, limit)

    def _lookup(self, main: str, keys: Sequence[int], limit: int | None) -> list[tuple[int, int]]:
        """The postings of ``keys`` in both tiers of a posting table, in key order.

        With ``limit``, at most ``limit + 1`` postings a key: a caller that ignores keys held by more
        than ``limit`` documents (page chrome, stock phrases) learns that a key is one of them
        without reading its whole posting list, so the cost of a lookup does not grow with the
        archive's most common keys (a site's chrome line is held by every page of the site)."""
        out: list[tuple[int, int]] = []
        ordered = sorted(keys)
        if limit is not None:
            sql = (
                f"SELECT doc FROM {main} WHERE key = ?1"
                f" UNION ALL SELECT doc FROM {_TIERS[main]} WHERE key = ?1 LIMIT ?2"
            )
            for key in ordered:
                out += [(key, doc) for (doc,) in self._execute(sql, (key, limit + 1)).fetchall()]
            return out
        for start in range(0, len(ordered), 2000):  # far below SQLite's limit on bound parameters
            chunk = ordered[start : start + 2000]
            marks = ",".join("?" * len(chunk))
            out += self._execute(
                f"SELECT key, doc FROM {main} WHERE key IN ({marks})"
                f" UNION ALL SELECT key, doc FROM {_TIERS[main]} WHERE key IN ({marks})",
                chunk + chunk,
            ).fetchall()
        return out

    def texts(self, rowids: Sequence[int]) -> dict[int, str]:
        """The stored texts of those rowids (documents without a readable text left out)."""
        out: dict[int, str] = {}
        for start in range(0, len(rowids), 500):
            chunk = list(rowids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for rowid, body in self._execute(f"SELECT doc, body FROM texts WHERE doc IN ({marks})", chunk):
                try:
                    out[rowid] = unpack_text(body)
                except ValueError:
                    continue
        return out

    def without_passages(self) -> int:
        """How many documents have no passage keys (stored before schema 2; add them again)."""
        return int(
            self._execute(
                "SELECT count(*) FROM docs WHERE rowid NOT IN (SELECT doc FROM passage_keys)"
            ).fetchone()[0]
        )

    def docs(self, rowids: Sequence[int]) -> dict[int, DocRow]:
        """The stored documents (with signatures) for those rowids."""
        if not rowids:
            return {}
        out: dict[int, DocRow] = {}
        sigs: dict[int, list[SigRow]] = {}
        for start in range(0, len(rowids), 500):
            chunk = list(rowids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for doc, kind, size, sig, keys in self._execute(
                f"SELECT doc, kind, size, sig, keys FROM sigs WHERE doc IN ({marks})", chunk
            ):
                sigs.setdefault(doc, []).append(SigRow(kind, size, sig, keys))
            for rowid, doc_id, h, length, content, title, date, meta, enc, kind in self._execute(
                "SELECT rowid, id, hash, length, content, title, date, meta, encoding, kind"
                f" FROM docs WHERE rowid IN ({marks})",
                chunk,
            ):
                pairs = tuple(sorted(json.loads(meta).items()))
                out[rowid] = DocRow(
                    doc_id, h, length, content, tuple(sigs.get(rowid, ())), title, date, pairs, enc, kind
                )
        return out

    def get(self, doc_id: str) -> DocRow | None:
        """One stored document with its text (None when the id is not in the index)."""
        found = self._execute("SELECT rowid FROM docs WHERE id = ?", (doc_id,)).fetchone()
        if found is None:
            return None
        row = self.docs([found[0]])[found[0]]
        body = self._execute("SELECT body FROM texts WHERE doc = ?", (found[0],)).fetchone()
        if body is None:
            return row
        try:
            text = unpack_text(body[0])
        except ValueError:
            raise StoreError(f"index {self.path}: the stored text of {doc_id} is corrupt") from None
        return replace(row, text=text)

    def stats(self) -> StoreStats:
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return StoreStats(
            path=str(self.path),
            documents=self.count(),
            band_keys=self._rows("bands"),
            bytes=size,
            schema=int(self._execute("PRAGMA user_version").fetchone()[0]),
            config=self.get_meta("fingerprint") or "",
            passage_keys=self._rows("passages"),
        )

    def _rows(self, main: str) -> int:
        """Postings held in both tiers of a posting table."""
        return sum(
            int(self._execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in (main, _TIERS[main])
        )
