"""The archive index: documents, their fingerprints and LSH band keys in one SQLite file; candidate search.

:class:`Index` adds, updates and removes documents and answers "which stored documents may a suspect
derive from?" with :class:`Candidate` estimates from the fingerprints alone. It never aligns: the
library's ``archive.find`` re-ranks candidates with the aligner.

Candidate search, per query:

1. fingerprint the query (:mod:`provcheck.archive.fingerprint`: char 4-grams and the rare-token skeleton);
2. look up its band keys (``lsh_rows`` = 2 values a key, so a pair with Jaccard 0.2 shares a key of 32
   with probability 0.73 per signature kind, 0.99 over both), and the keys of its skeleton windows,
   which meet the whole-text and window keys of stored documents (partial reprints); keys shared by
   more than ``max_key_docs`` documents are page chrome or boilerplate and are ignored;
3. score the ``shortlist`` documents with the most shared keys from their stored signatures:
   ``estimate`` is the best, over kinds, of the Jaccard estimate and of the containment in either
   direction (so a chrome-wrapped copy, or a source quoted whole, scores like a copy); containment
   counts only where both sets are large enough to estimate it.

>>> import tempfile, os
>>> with tempfile.TemporaryDirectory() as d:
...     with Index(os.path.join(d, "x.db")) as idx:
...         summary = idx.add(["corpus"])
...         best = idx.candidates("corpus/000_4220fd22daa105e4.txt")[0]
>>> summary.added, best.id
(5, 'corpus/000_4220fd22daa105e4.txt')
"""

from __future__ import annotations

import gc
import hashlib
import html
import itertools
import os
import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from provcheck.archive.fingerprint import (
    Fingerprint,
    FingerprintConfig,
    Fingerprinter,
    Signature,
    band_keys,
    band_keys_many,
    jaccard,
)
from provcheck.archive.passages import PassageConfig, Passager, keys_to_bytes
from provcheck.archive.store import DocRow, SigRow, Store, StoreStats, pack_text
from provcheck.errors import ConfigError, InputError
from provcheck.model import Document
from provcheck.text.normalize import NormalizeConfig, Normalizer
from provcheck.text.read import ReadConfig, check_document, iter_documents, read_document, unique_ids

__all__ = ["AddProgress", "AddSummary", "Candidate", "Index", "IndexConfig", "default_db_path"]


def default_db_path() -> str:
    """``$PROVCHECK_DB`` or ``./provcheck.db`` (read when called, never at import)."""
    return os.environ.get("PROVCHECK_DB") or "provcheck.db"


@dataclass(frozen=True, slots=True)
class IndexConfig:
    """How documents are fingerprinted and searched; the fingerprint part is stored in the index."""

    fingerprint: FingerprintConfig = field(default_factory=FingerprintConfig)
    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    batch_size: int = 1024  # documents per transaction (smaller batches rewrite more of the key index each)
    workers: int = 0  # fingerprinting processes for large adds (0 = one per core, 1 = none)
    parallel_min_docs: int = 500  # start worker processes only after this many documents
    max_key_docs: int = 1000  # band keys shared by more documents are ignored (chrome, boilerplate)
    shortlist: int = 200  # documents with the most shared keys that are scored
    min_estimate: float = 0.15  # below: at most a shared footer or stock phrases (measured 0.08-0.13)
    min_set: int = 20  # containment counts only when both shingle sets are at least this large
    read: ReadConfig = field(default_factory=ReadConfig)  # how files are read; max_bytes per document
    passages: PassageConfig = field(default_factory=PassageConfig)  # winnowed passage keys


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored document that the query may derive from (or that may derive from the query)."""

    id: str
    estimate: float  # in [0, 1]: best of Jaccard and containment estimates over signature kinds
    jaccard: float  # best Jaccard estimate over kinds
    containment: float  # share of the query's shingles found in the document (best kind)
    contained: float  # share of the document's shingles found in the query (best kind)
    shared_keys: int
    title: str | None = None
    date: str | None = None
    passage_keys: int = 0  # winnowed passage keys of one kind shared with the query (the larger count)
    passage_share: float = 0.0  # in [0, 1]: share of the query's passage keys the document holds,
    # each weighted by 1 / (documents holding it)


@dataclass(frozen=True, slots=True)
class AddProgress:
    """Running totals of :meth:`Index.add_iter`, yielded after each committed batch."""

    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # unreadable files or records (reasons in ``problems``)
    problems: tuple[str, ...] = ()
    last: str = ""  # id of the last document committed


AddSummary = AddProgress


WINDOWS = "windows"  # the signature-table row that holds a document's window band keys


def _batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(docs)
    while batch := list(itertools.islice(it, size)):
        yield batch


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def _html_title(source: str) -> str | None:
    """The page's ``<title>``, unescaped, white space folded (None when absent or empty)."""
    m = _TITLE.search(source[:20000])
    title = " ".join(html.unescape(m.group(1)).split())[:200] if m else ""
    return title or None


def content_hash(doc: Document) -> str:
    return hashlib.sha1(doc.text.encode("utf-8")).hexdigest()


def _doc_row(doc: Document, fpr: Fingerprinter, passager: Passager, keep_text: bool = True) -> DocRow:
    return _doc_rows([doc], fpr, passager, keep_text)[0]


def _doc_rows(
    docs: list[Document], fpr: Fingerprinter, passager: Passager, keep_text: bool = True
) -> list[DocRow]:
    """The rows of a batch of documents; their passage keys are computed together (one array pass)."""
    prepared = [fpr._prepared(doc) for doc in docs]  # once for both fingerprints and passage keys
    passage_keys = [  # in parts of a few hundred documents: their arrays stay in the processor's cache
        keys for lo in range(0, len(prepared), 512) for keys in passager.keys_many(prepared[lo : lo + 512])
    ]
    fps = fpr.fingerprint_many(prepared)
    every = [s for fp in fps for s in (*fp.signatures, *fp.windows)]
    keys_of = iter(band_keys_many(every, fpr.config))  # in the order of ``every``
    rows = []
    for doc, fp, pkeys in zip(docs, fps, passage_keys, strict=True):
        sigs = tuple(
            SigRow(s.kind, s.size, s.to_bytes(), next(keys_of).astype("<i8").tobytes()) for s in fp.signatures
        )
        if fp.windows:  # window keys only (their signatures are not scored)
            keys = np.unique(np.concatenate([next(keys_of) for _ in fp.windows]))
            sigs += (SigRow(WINDOWS, len(fp.windows), b"", keys.astype("<i8").tobytes()),)
        meta = tuple((k, v) for k, v in doc.meta if k not in ("title", "date"))
        title = doc.meta_get("title") or (_html_title(doc.text) if doc.kind == "html" else None)
        rows.append(DocRow(
            doc.id, content_hash(doc), len(doc.text), fp.length, sigs, title, doc.meta_get("date"), meta,
            doc.encoding, doc.kind, doc.text if keep_text else None, pack_text(doc.text),
            keys_to_bytes(pkeys),
        ))  # fmt: skip
    return rows


# Worker processes each hold the index's Fingerprinter, set by the pool initializer (process-local
# state). The pool forks, so the initializer's arguments are inherited, not pickled: the word list
# and tokenizer the parent loaded before forking (about a second of CPU each) are shared, not loaded
# again in every worker.
_worker_fp: list[tuple[Fingerprinter, Passager]] = []


def _worker_init(fpr: Fingerprinter, passager: Passager) -> None:
    _worker_fp[:] = [(fpr, passager)]


def _worker_rows(docs: list[Document]) -> list[DocRow]:
    fpr, passager = _worker_fp[0]
    return _doc_rows(docs, fpr, passager, keep_text=False)  # the packed text travels back


class Index:
    """An archive index in one SQLite file.

    ``create=False`` refuses a missing file; ``readonly=True`` (with ``create=False``) opens it only
    to read. Use as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        config: IndexConfig | None = None,
        *,
        create: bool = True,
        readonly: bool = False,
    ) -> None:
        self.config = config or IndexConfig()
        self.path = Path(path or default_db_path())
        self.store = Store(self.path, create=create, readonly=readonly)
        self.fingerprinter = Fingerprinter(self.config.fingerprint, Normalizer(self.config.normalize))
        self.passager = Passager(self.config.passages, self.fingerprinter)
        for key, digest in self._digests():
            stored = self.store.get_meta(key)
            if stored is not None and stored != digest:
                self.store.close()
                raise ConfigError(
                    f"{self.path} was built with other {key} settings ({stored}); use the same settings or a new --db"
                )

    def _digests(self) -> tuple[tuple[str, str], ...]:
        return (
            ("fingerprint", self.config.fingerprint.digest()),
            ("passages", self.config.passages.digest()),
        )

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------------
    def add(
        self, paths: Iterable[str | Path] | Iterable[Document], encoding: str | None = None
    ) -> AddSummary:
        """Add or update files, folders (recursively), JSONL files of records, or Documents.
        ``encoding`` forces the files' encoding instead of detecting it."""
        progress = AddProgress()
        for progress in self.add_iter(paths, encoding):  # noqa: B007 - the last totals are the summary
            pass
        return progress

    def add_iter(
        self, paths: Iterable[str | Path] | Iterable[Document], encoding: str | None = None
    ) -> Iterator[AddProgress]:
        """Like :meth:`add`, yielding running totals after each committed batch (for a progress bar).

        A document whose id is stored with the same content hash is skipped; a changed one replaces
        the stored version. Each batch commits in one transaction: an interruption loses at most
        the batch in flight."""
        cfg = self.config
        problems: list[str] = []
        totals = Counter[str]()
        workers = self._workers()
        pool: Any = None
        pending: deque[tuple[list[Document], int, list[Any]]] = deque()  # batches being fingerprinted
        seen = 0
        try:
            for batch in _batches(self._documents(paths, problems, encoding), cfg.batch_size):
                stored = self.store.hashes((d.id for d in batch), with_passages=True)
                todo = [d for d in batch if stored.get(d.id) != content_hash(d)]
                seen += len(batch)
                if pool is None and workers > 1 and seen >= cfg.parallel_min_docs:
                    pool = self._pool(workers)
                if pool is not None and todo:  # fingerprint in the workers while earlier batches commit
                    step = -(-len(todo) // workers)
                    work = [
                        pool.apply_async(_worker_rows, (todo[i : i + step],))
                        for i in range(0, len(todo), step)
                    ]
                else:
                    work = [_doc_rows(todo, self.fingerprinter, self.passager)]
                pending.append((batch, len(batch) - len(todo), work))
                while len(pending) > (2 if pool is not None else 0):
                    yield self._finish(*pending.popleft(), totals, problems)
            while pending:
                yield self._finish(*pending.popleft(), totals, problems)
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
        if not totals.total():
            yield AddProgress(skipped=len(problems), problems=tuple(problems))

    def _finish(
        self,
        batch: list[Document],
        unchanged: int,
        work: list[Any],
        totals: Counter[str],
        problems: list[str],
    ) -> AddProgress:
        rows = [row for part in work for row in (part if isinstance(part, list) else part.get())]
        totals["unchanged"] += unchanged
        for outcome in self._commit(rows):
            totals[outcome] += 1
        return AddProgress(
            seen=totals.total(),
            added=totals["added"],
            updated=totals["updated"],
            unchanged=totals["unchanged"],
            skipped=len(problems),
            problems=tuple(problems),
            last=batch[-1].id,
        )

    def _documents(
        self, paths: Iterable[Any], problems: list[str], encoding: str | None
    ) -> Iterator[Document]:
        """The documents to add, streamed (a generator of a million Documents is never held at
        once); oversized documents and repeated ids go to ``problems``, never into the index."""
        limit = self.config.read.max_bytes

        def each() -> Iterator[Document]:
            for item in paths:
                if not isinstance(item, Document):
                    yield from iter_documents([str(item)], problems, encoding, config=self.config.read)
                elif len(item.text) > limit or len(item.text.encode("utf-8", "surrogatepass")) > limit:
                    problems.append(
                        f"{item.id} is over the limit of {limit} bytes per document ([read] max_bytes)"
                    )
                else:
                    try:
                        yield check_document(item)
                    except InputError as exc:
                        problems.append(str(exc))

        return unique_ids(each(), problems)

    def _workers(self) -> int:
        return self.config.workers or (os.cpu_count() or 1)

    def _pool(self, workers: int) -> Any:
        import multiprocessing

        self.fingerprinter.fingerprint("预热")  # load the word list and tokenizer once, before forking
        # The parent's objects (the word list, a caller's documents) go to the collector's permanent
        # generation while forking: the workers' garbage collections then skip them, instead of
        # walking (and copying, page by page) the parent's whole heap again and again.
        gc.freeze()
        try:
            return multiprocessing.get_context("fork").Pool(
                workers, _worker_init, (self.fingerprinter, self.passager)
            )
        finally:
            gc.unfreeze()

    def _commit(self, rows: list[DocRow]) -> list[str]:
        """Write one batch in one transaction."""
        with self.store.atomic():
            for key, digest in self._digests():
                stored_digest = self.store.get_meta(key)
                if stored_digest is None:
                    self.store.set_meta(key, digest)
                elif stored_digest != digest:
                    raise ConfigError(f"{self.path} was built with other {key} settings ({stored_digest})")
            return self.store.put_many(rows)

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove documents by id; returns the ids that were not in the index."""
        missing = []
        with self.store.atomic():
            for doc_id in ids:
                if not self.store.delete(str(doc_id)):
                    missing.append(str(doc_id))
        return missing

    # -- reading -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return self.store.count()

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and bool(self.store.hashes([doc_id]))

    def ids(self) -> list[str]:
        return self.store.ids()

    def document(self, doc_id: str) -> Document:
        """The stored document ``doc_id`` as it was added (text, encoding, metadata)."""
        row = self.store.get(doc_id)
        if row is None or row.text is None:
            raise InputError(f"{doc_id} is not in the index {self.path}")
        meta = dict(row.meta)
        meta.update({k: v for k, v in (("title", row.title), ("date", row.date)) if v is not None})
        return Document(row.id, row.text, row.encoding, row.kind, tuple(sorted(meta.items())))

    def stats(self) -> StoreStats:
        return self.store.stats()

    def fingerprint(self, query: str | Path | Document | Fingerprint) -> Fingerprint:
        if isinstance(query, Fingerprint):
            return query
        doc = (
            check_document(query)
            if isinstance(query, Document)
            else read_document(query, config=self.config.read)
        )
        return self.fingerprinter.fingerprint(doc)

    def candidates(self, query: str | Path | Document | Fingerprint, k: int = 10) -> list[Candidate]:
        """Stored documents related to ``query`` (a path, a Document or a Fingerprint), best first.

        Two rankings are fused round robin (the first of each, then the second of each, ...), at most
        ``k`` documents: whole-text matches by ``estimate`` (at least ``min_estimate``), and passage
        matches (at least ``passages.min_keys`` shared passage keys) by ``passage_share``; ties by id.
        A Fingerprint has no text, so it gets whole-text matches only."""
        if k < 1:
            raise InputError("k must be at least 1")
        cfg = self.config
        content = ""
        if isinstance(query, Fingerprint):  # no text: whole-text candidates only
            fp, passage_hits, passage_total = query, Counter[int](), 1
            passage_weight: dict[int, float] = {}
            anchors: dict[int, set[int]] = {}
        else:  # normalized once, for the fingerprint, the passage keys and their verification
            doc = query if isinstance(query, Document) else read_document(query)
            prepared = self.fingerprinter._prepared(doc)
            content = prepared[0].replace("\n", "")
            fp = self.fingerprinter.fingerprint(doc, prepared)
            passage_hits, passage_weight, passage_total, anchors = self._passage_hits(
                self.passager.keys_of(prepared)
            )
        keys = sorted(
            {int(key) for s in (*fp.signatures, *fp.windows) for key in band_keys(s, cfg.fingerprint)}
        )
        postings = self.store.postings(keys, limit=cfg.max_key_docs)
        df = Counter(key for key, _ in postings)
        hits = Counter(doc for key, doc in postings if df[key] <= cfg.max_key_docs)
        shortlist = [doc for doc, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[: cfg.shortlist]]
        by_passage = [
            doc
            for doc, n in sorted(passage_hits.items(), key=lambda kv: (-kv[1], kv[0]))[
                : cfg.passages.shortlist
            ]
            if n >= cfg.passages.min_keys
        ]
        shortlist += [doc for doc in by_passage if doc not in hits]
        rows = self.store.docs(shortlist)
        out = []
        rowid_of: dict[str, int] = {}
        for rowid in shortlist:
            row = rows.get(rowid)
            if row is None:  # removed meanwhile
                continue
            cand = self._score(fp, row, hits[rowid])
            shared = passage_hits[rowid]
            if shared:
                share = min(1.0, passage_weight[rowid] / passage_total)
                cand = replace(cand, passage_keys=shared, passage_share=round(share, 4))
            out.append(cand)
            rowid_of[cand.id] = rowid
        whole = sorted((c for c in out if c.estimate >= cfg.min_estimate), key=lambda c: (-c.estimate, c.id))
        passage = self._verified(
            content, [c for c in out if c.passage_keys >= cfg.passages.min_keys], whole, rowid_of, anchors, k
        )
        fused: dict[
            str, Candidate
        ] = {}  # round robin: the best whole-text match, the best passage match, ...
        for pair in itertools.zip_longest(whole, passage):
            for c in pair:
                if c is not None:
                    fused.setdefault(c.id, c)
        return list(fused.values())[:k]

    def _verified(
        self,
        content: str,
        found: list[Candidate],
        whole: list[Candidate],
        rowid_of: dict[str, int],
        anchors: dict[int, set[int]],
        k: int,
    ) -> list[Candidate]:
        """The passage candidates, best first, less those that are not whole-text matches and share
        fewer than ``min_keys`` skeleton keys and no verbatim run of ``min_run`` characters holding
        a shared character key: a few stock phrases shorter than that (an eight-character phrase
        yields a key) are not a quoted passage, nor is shared chrome (its keys are too common).

        Verified lazily, best first, until ``k`` that are not whole-text matches are kept (the
        fused ranking takes no more), so a query sharing stock phrases with many documents loads
        and compares a few stored texts, not the whole shortlist. ``content``: the query's content
        characters (:meth:`Passager.content`)."""
        if not content:
            return []
        min_keys = self.config.passages.min_keys
        in_whole = {c.id for c in whole}
        kept: list[Candidate] = []
        extra = 0
        todo = sorted(found, key=lambda c: (-c.passage_share, c.id))
        for start in range(0, len(todo), k):
            chunk = todo[start : start + k]
            weak = {
                rowid_of[c.id]
                for c in chunk
                if c.id not in in_whole and len(anchors.get(-rowid_of[c.id] - 1, ())) < min_keys
            }
            texts = self.store.texts(sorted(weak))
            for c in chunk:
                rowid = rowid_of[c.id]
                if rowid in weak:
                    text = texts.get(rowid)
                    shared = (
                        0
                        if text is None
                        else self.passager.shared_chars(
                            content, self.passager.content(text), anchors.get(rowid, set())
                        )
                    )
                    if shared < self.config.passages.min_run:
                        continue
                kept.append(c)
                extra += c.id not in in_whole
            if extra >= k:
                break
        return kept

    def _passage_hits(
        self, keys: np.ndarray
    ) -> tuple[Counter[int], dict[int, float], int, dict[int, set[int]]]:
        """Per stored document, the most passage keys of one kind it shares with the query (a stock
        phrase of eight characters gives one character key and one skeleton key: not a passage),
        the shared keys weighted by rarity (a key held by ``n`` documents weighs ``1/n``), and how
        many of the query's keys were usable; and the shared keys themselves, character keys under
        the rowid, skeleton keys under ``-rowid - 1``. Keys held by more than ``max_key_docs`` documents, or
        by more than half the archive and over two documents, are ignored: stock phrases, chrome."""
        limit = self.config.passages.max_key_docs
        postings = self.store.passage_postings([int(x) for x in keys], limit=limit)
        df = Counter(key for key, _ in postings)  # exact up to limit; limit + 1: more than limit
        if postings and max(df.values()) > 2:  # text held by most of a small archive is its chrome
            limit = min(limit, max(2, self.store.count(upto=2 * limit + 2) // 2))
        by_kind = Counter[tuple[int, int]]()
        weight: dict[int, float] = {}
        anchors: dict[int, set[int]] = {}
        for key, doc in postings:
            if df[key] <= limit:
                by_kind[(doc, key & 1)] += 1
                anchors.setdefault(-doc - 1 if key & 1 else doc, set()).add(key)
                weight[doc] = weight.get(doc, 0.0) + 1.0 / df[key]
        hits = Counter[int]()
        for (doc, _), n in by_kind.items():
            hits[doc] = max(hits[doc], n)
        usable = len(keys) - sum(1 for n in df.values() if n > limit)
        return hits, weight, max(1, usable), anchors

    def _score(self, fp: Fingerprint, row: DocRow, shared: int) -> Candidate:
        best_j = best_c = best_d = 0.0
        for s in row.sigs:
            try:
                q = fp[s.kind]
            except KeyError:
                continue
            stored = Signature.from_bytes(s.kind, s.sig, s.size)
            j = jaccard(q, stored)
            best_j = max(best_j, j)
            if j and q.size >= self.config.min_set and stored.size >= self.config.min_set:
                inter = j * (q.size + stored.size) / (1.0 + j)
                best_c = max(best_c, min(1.0, inter / q.size))
                best_d = max(best_d, min(1.0, inter / stored.size))
        estimate = max(best_j, best_c, best_d)
        return Candidate(
            row.id,
            round(estimate, 4),
            round(best_j, 4),
            round(best_c, 4),
            round(best_d, 4),
            shared,
            row.title,
            row.date,
        )
