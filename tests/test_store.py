"""The SQLite store: schema, transactions, refusing foreign files, crash safety and concurrent writers."""

from __future__ import annotations

import os
import pickle
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provcheck.archive.index import Index
from provcheck.archive.store import APPLICATION_ID, MIGRATIONS, DocRow, SigRow, Store, pack_text, unpack_text
from provcheck.errors import StoreError

ROOT = Path(__file__).resolve().parent.parent


def _row(doc_id: str, text_hash: str = "h") -> DocRow:
    keys = (1234).to_bytes(8, "little", signed=True) + (-5).to_bytes(8, "little", signed=True)
    return DocRow(doc_id, text_hash, 10, 10, (SigRow("char", 3, b"\x00" * 16, keys),), text="正文")


def test_new_file_gets_schema_wal_and_stamp(tmp_path: Path) -> None:
    db = tmp_path / "i.db"
    with Store(db) as store:
        assert store.stats().schema == len(MIGRATIONS)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_put_replace_delete_keep_band_rows_in_step(tmp_path: Path) -> None:
    with Store(tmp_path / "i.db") as store:
        with store.atomic():
            assert store.put(_row("a")) == "added"
            assert store.put(_row("a")) == "unchanged"
            assert store.put(_row("a", "h2")) == "updated"
        postings = store.postings([1234, -5])
        assert (
            len(postings) == 2 and len({doc for _, doc in postings}) == 1
        )  # the old version's keys are gone
        assert store.docs([postings[0][1]])[postings[0][1]].id == "a"
        got = store.get("a")
        assert got is not None and got.text == "正文" and got.hash == "h2"
        with store.atomic():
            assert store.delete("a") and not store.delete("a")
        assert store.postings([1234, -5]) == [] and store.count() == 0


def test_atomic_rolls_back_on_any_exception_and_nests(tmp_path: Path) -> None:
    with Store(tmp_path / "i.db") as store:
        with pytest.raises(KeyboardInterrupt), store.atomic():
            store.put(_row("a"))
            raise KeyboardInterrupt
        assert store.count() == 0
        with store.atomic():
            store.put(_row("b"))
            with pytest.raises(RuntimeError), store.atomic():
                store.put(_row("c"))
                raise RuntimeError("inner")
        assert store.ids() == ["b"]


def test_foreign_garbage_folder_missing_and_newer_files_are_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "other.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="another program"):
        Store(foreign)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database\n" * 100)
    with pytest.raises(StoreError, match="not a provcheck index"):
        Store(garbage)
    with pytest.raises(StoreError, match="folder"):
        Store(tmp_path)
    with pytest.raises(StoreError, match="no such index"):
        Store(tmp_path / "missing.db", create=False)
    newer = tmp_path / "newer.db"
    Store(newer).close()
    con = sqlite3.connect(newer)
    con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer provcheck"):
        Store(newer)


def test_damaged_pages_give_a_store_error_not_a_crash(tmp_path: Path) -> None:
    db = tmp_path / "i.db"
    with Index(db) as index:
        index.add([ROOT / "corpus"])
    data = bytearray(db.read_bytes())
    assert len(data) > 8192
    data[4096:] = bytes(
        random.Random(1).randrange(256) for _ in range(len(data) - 4096)
    )  # keep the header page
    db.write_bytes(bytes(data))
    with pytest.raises(StoreError), Index(db) as index:
        index.candidates(ROOT / "corpus" / "000_4220fd22daa105e4.txt")


# -- crash safety and concurrency, for real: subprocesses, kill -9 ---------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from tests.cases import CORPUS, read
    from tests.cases.archive import mixed_article
    from provcheck.archive import store
    from provcheck.archive.index import Index, IndexConfig
    from provcheck.model import Document

    store.MERGE_MIN = 2000  # merge the new tier of postings every few batches: kills land in merges too
    db, tag, start, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    pool = [read(p) for p in sorted(CORPUS.glob("*.txt"))]
    docs = (Document(f"{tag}-{i:05d}", mixed_article(pool, i, 12)) for i in range(start, start + count))
    with Index(db, IndexConfig(batch_size=4, workers=1)) as index:
        for progress in index.add_iter(docs):
            print(progress.last, flush=True)  # printed only after the batch committed
    """
)


def _writer(tmp_path: Path, db: Path, tag: str, start: int, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(  # -c puts the working directory (the project root) on sys.path
        [sys.executable, "-c", WRITER, str(db), tag, str(start), str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


@pytest.mark.slow
def test_kill_9_during_add_loses_nothing_committed(tmp_path: Path) -> None:
    """Each round a writer adds new documents (4 per transaction, continuing where the index stands)
    and is killed with SIGKILL after a random number of commits plus a random few milliseconds, so
    kills land between and inside transactions. Every document a writer reported committed must be
    there afterwards, and the file must open, pass SQLite's integrity check and answer queries."""
    db = tmp_path / "crash.db"
    rng = random.Random(42)
    committed: set[str] = set()
    lost: set[str] = set()
    merged: set[bool] = set()
    rounds = 6
    for r in range(rounds):
        with Index(db) as index:
            start = len(index)  # batches commit in order: ids 0..start-1 are held
        proc = _writer(tmp_path, db, "doc", start, 5000)
        assert proc.stdout is not None
        reported: list[str] = []
        wait_batches = rng.randrange(1, 20)
        while len(reported) < wait_batches:
            line = proc.stdout.readline()
            assert line, f"round {r}: the writer stopped early"
            reported.append(line.strip())
        time.sleep(rng.uniform(0, 0.02))  # land anywhere in the next batches, mid-transaction included
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, f"round {r}: the writer finished before the kill"
        reported += [line for line in out.splitlines() if line.startswith("doc-")]
        last = int(max(reported).split("-")[1])
        committed |= {f"doc-{i:05d}" for i in range(last + 1)}
        with Index(db) as index:  # opens and answers after the crash
            stored = set(index.ids())
            lost |= committed - stored
            assert index.candidates(index.document(max(stored)))[0].estimate == 1.0
            postings = index.stats().passage_keys
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # every stored document's passage keys are posted once, over both tiers, merged or not
        assert con.execute("SELECT sum(length(keys)) / 8 FROM passage_keys").fetchone()[0] == postings
        merged.add(con.execute("SELECT count(*) FROM passages").fetchone()[0] > 0)
        con.close()
    assert len(committed) >= rounds * 4, "too few commits before the kills: the test measured little"
    assert lost == set()
    assert True in merged, "no merge of the posting tiers happened: the test measured little"


def test_two_writers_at_once_both_land(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    Index(db).close()  # both writers open an existing index
    a = _writer(tmp_path, db, "doc", 0, 60)
    b = _writer(tmp_path, db, "doc", 40, 60)  # overlaps a on ids 40..59
    reads = 0
    with Index(db) as reader:  # a reader meanwhile: never blocked, never sees a half-written batch
        query = ROOT / "corpus" / "001_f774ca4a0bf60419.txt"
        while a.poll() is None or b.poll() is None:
            for cand in reader.candidates(query):
                assert reader.document(cand.id).text  # every listed document is whole
            reads += 1
    outs = [p.communicate(timeout=120) for p in (a, b)]
    assert reads > 0
    assert a.returncode == 0 and b.returncode == 0, [o[1][-300:] for o in outs]
    with Index(db) as index:
        assert len(index) == 100
        assert index.ids() == [f"doc-{i:05d}" for i in range(100)]
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert (
        con.execute(
            "SELECT count(*) FROM bands b LEFT JOIN docs d ON d.rowid = b.doc WHERE d.rowid IS NULL"
        ).fetchone()[0]
        == 0
    )
    con.close()


@pytest.mark.parametrize(
    "text",
    ["正文 plain ASCII", "繁體與简体、全角ＡＢＣ、emoji 😀", "lone \ud800 surrogate from JSON", "x" * 5000],
)
def test_stored_text_round_trips_exactly(text: str) -> None:
    assert unpack_text(pack_text(text)) == text


def test_garbage_text_blob_is_a_value_error() -> None:
    for blob in (b"", b"zabc", b"g" + b"not zlib"):
        with pytest.raises(ValueError):
            unpack_text(blob)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["put", "put", "delete", "merge"]), st.integers(0, 5), st.integers(0, 2)),
        max_size=25,
    )
)
def test_band_rows_always_match_the_stored_documents(
    tmp_path_factory: pytest.TempPathFactory, ops: list
) -> None:
    """Any sequence of adds, updates (same id, other content) and removes, some in one batch, with
    the new tier of postings merged into the main one at any point, leaves exactly the band rows of
    the documents held: nothing orphaned, nothing missing, nothing held twice."""
    db = tmp_path_factory.mktemp("prop") / "i.db"

    def row(doc: int, version: int) -> DocRow:
        keys = [doc * 100 + version * 10 + k for k in range(3)] + [7]  # key 7 is shared by every document
        blob = b"".join(k.to_bytes(8, "little", signed=True) for k in keys)
        return DocRow(f"d{doc}", f"v{version}", 1, 1, (SigRow("char", 1, b"\0" * 8, blob),), text="t")

    held: dict[str, set[int]] = {}
    with Store(db) as store, store.atomic():
        for op, doc, version in ops:
            if op == "put":
                store.put_many(
                    [row(doc, version), row(doc, (version + 1) % 3)]
                )  # the same id twice in one batch
                held[f"d{doc}"] = {doc * 100 + ((version + 1) % 3) * 10 + k for k in range(3)} | {7}
            elif op == "merge":
                store.merge()
            else:
                assert store.delete(f"d{doc}") == (f"d{doc}" in held)
                held.pop(f"d{doc}", None)
        assert store.stats().band_keys == sum(map(len, held.values()))
        got: dict[str, set[int]] = {}
        rowids = {r.id: rid for rid, r in store.docs(list(range(1, 1000))).items()}
        for key, rid in store.postings(list({k for ks in held.values() for k in ks} | set(range(0, 600)))):
            got.setdefault(next(i for i, r in rowids.items() if r == rid), set()).add(key)
        assert got == held


def test_a_lookup_with_a_limit_reads_at_most_limit_plus_one_postings_a_key(tmp_path: Path) -> None:
    """Keys held by many documents (a site's chrome) are recognized as such from limit + 1 postings,
    over both tiers, while the postings of rarer keys come back whole."""

    def row(i: int) -> DocRow:
        keys = [7, 1000 + i] + ([8] if i < 3 else [])  # key 7: every document; key 8: three of them
        blob = b"".join(k.to_bytes(8, "little", signed=True) for k in keys)
        return DocRow(f"d{i}", "h", 1, 1, (SigRow("char", 1, b"\0" * 8, blob),), text="t", passages=blob)

    with Store(tmp_path / "i.db") as store, store.atomic():
        store.put_many([row(i) for i in range(4)])
        store.merge()  # four documents in the main tier, six in the new one
        store.put_many([row(i) for i in range(4, 10)])
        for lookup in (store.postings, store.passage_postings):
            capped = lookup([8, 7, 1005, 99], limit=4)
            assert [k for k, _ in capped] == [7] * 5 + [8] * 3 + [1005]
            assert sorted(d for k, d in capped if k == 8) == [1, 2, 3]
            assert len(lookup([7])) == 10


def test_postings_past_one_statement_land_whole_and_rows_pickle_back_equal(tmp_path: Path) -> None:
    """Postings go in multi-row statements: a document with more keys than one statement holds
    (with a repeated key, and a remainder) has every distinct key posted once; and a row, as sent
    back by a worker process, unpickles equal to itself."""
    keys = [*range(-600, 301), 5]  # 902 keys, one of them twice
    blob = b"".join(k.to_bytes(8, "little", signed=True) for k in keys)
    row = replace(_row("big"), passages=blob, meta=(("k", "v"),), packed=pack_text("正文"))
    assert pickle.loads(pickle.dumps([row]))[0] == row
    with Store(tmp_path / "i.db") as store:
        with store.atomic():
            store.put(row)
        got = store.passage_postings(keys)
        assert [k for k, _ in got] == sorted(set(keys)) and store.stats().passage_keys == 901


def test_a_read_only_open_brings_an_older_index_up_to_date(tmp_path: Path) -> None:
    # `find` opens read-only: an index written by the previous schema must still be searchable
    db = tmp_path / "old.db"
    with Store(db) as store, store.atomic():
        store.put(_row("a"))
    con = sqlite3.connect(db)
    con.executescript(  # schema 2 had one tier of postings
        "INSERT INTO bands SELECT * FROM bands_new; INSERT INTO passages SELECT * FROM passages_new;"
        "DROP TABLE bands_new; DROP TABLE passages_new;"
    )
    con.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    con.commit()
    con.close()
    with Store(db, create=False, readonly=True) as store:
        assert store.stats().schema == len(MIGRATIONS) and store.ids() == ["a"]
        assert len(store.postings([1234, -5])) == 2
