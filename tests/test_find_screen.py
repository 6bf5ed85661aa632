"""find's screening: a candidate that cannot be related whatever diagnosis finds is not diagnosed.

The screen (:func:`provcheck.pair.screen.surely_unrelated`) must never change a relation: every pair
it screens is ``unrelated`` under full diagnosis too, and a related pair is never screened.
"""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import pytest

from provcheck.archive.index import Index
from provcheck.archive.search import Archive, ArchiveConfig
from provcheck.model import Document, Relation
from provcheck.pair.comparer import Provcheck
from provcheck.report.archiveout import find_to_dict
from tests.cases import CORPUS, NEGATIVES, SEED_COPY, SEED_SOURCE, read
from tests.cases.archive import chrome_wrapped, excerpt, traditional
from tests.cases.pair import spin

# one sentence of NEGATIVES[0]: an identical, strongly aligned pair, too little for a pair relation
# (under reuse_chars) but a quoted passage for find (over passage_chars)
SHARED = "指导通过创新职业教育集团运行体制机制、实施深度校企对接、指导区域职业院校优化专业设置、营造产教融合发展氛围等,夯实了产教融合发展的环境。"


def host_with_shared_sentence() -> str:
    paras = read(NEGATIVES[2]).split("\n")
    mid = len(paras) // 2
    return "\n".join([*paras[:mid], SHARED, *paras[mid:]])


@pytest.fixture(scope="module")
def pc() -> Provcheck:
    return Provcheck()


def pairs() -> list[tuple[str, Document, Document]]:
    files = sorted(CORPUS.glob("*.txt"))
    out = [
        (f"{a.name}>{b.name}", Document(str(a), read(a)), Document(str(b), read(b)))
        for a, b in permutations(files, 2)
    ]
    src = Document("src", read(SEED_SOURCE))
    for name, text in (
        ("spun", spin(read(SEED_SOURCE))),
        ("chrome", chrome_wrapped(read(SEED_SOURCE))),
        ("traditional", traditional(read(SEED_SOURCE))),
        ("excerpt", excerpt(read(SEED_SOURCE))),
        ("shared sentence", host_with_shared_sentence()),
    ):
        out.append((name, src, Document(name, text)))
    out.append(
        (
            "shared sentence>neg0",
            Document("neg0", read(NEGATIVES[0])),
            Document("h", host_with_shared_sentence()),
        )
    )
    return out


def test_screen_never_changes_a_relation(pc: Provcheck) -> None:
    screened = []
    for name, src, sus in pairs():
        full = pc.compare(src, sus)
        quick, was = pc.compare_screened(src, sus)
        unscreened, never = pc.compare_screened(src, sus, screen=False)
        assert not never and unscreened == full, name  # screen=False is compare itself
        if was:
            screened.append(name)
            assert full.relation is Relation.UNRELATED and quick.relation is Relation.UNRELATED, name
            assert quick.findings == full.findings, name  # what they share, either way
        else:
            assert quick == full, name
    # the planted sentence aligns strongly but is too little for any relation: screened
    assert "shared sentence>neg0" in screened
    # copies, excerpts and rewrites are diagnosed
    assert not {"spun", "chrome", "traditional", "excerpt"} & set(screened)
    assert pc.compare(SEED_SOURCE, SEED_COPY).relation is Relation.REWRITTEN


@pytest.fixture()
def archive_db(tmp_path: Path) -> Path:
    db = tmp_path / "a.db"
    with Index(db) as index:
        index.add([Document("neg0", read(NEGATIVES[0])), Document("seed", read(SEED_SOURCE))])
    return db


def test_find_marks_screened_candidates_and_keeps_their_relation(archive_db: Path) -> None:
    suspect = Document("host", host_with_shared_sentence())
    with Index(archive_db, create=False, readonly=True) as index:
        quick = Archive(index).find(suspect)
        full = Archive(index, config=ArchiveConfig(screen=False)).find(suspect)
    got = {m.id: (m.relation, m.screened) for m in quick.matches}
    assert {m.id: m.relation for m in full.matches} == {k: r for k, (r, _) in got.items()}
    # undiagnosed, and found as a quoted passage all the same
    assert got["neg0"] == (Relation.PARTIAL, True)
    assert not any(m.screened for m in full.matches)
    rows = {c["path"]: c for c in find_to_dict(quick)["candidates"]}
    assert rows["neg0"]["screened"] is True and rows["neg0"]["relation"] == "partial"


def test_prepared_documents_follow_updates(archive_db: Path) -> None:
    with Index(archive_db) as index:
        archive = Archive(index)
        first = archive.find(SEED_COPY)
        assert [(m.id, m.relation) for m in first.matches] == [("seed", Relation.REWRITTEN)]
        index.add([Document("seed", read(NEGATIVES[1]))])  # the stored text changes under the same id
        again = archive.find(SEED_COPY)
    assert all(m.id != "seed" or m.relation is not Relation.REWRITTEN for m in again.matches)
