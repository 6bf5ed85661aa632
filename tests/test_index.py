"""The index: adding, updating, removing, and finding rewritten, partial and wrapped copies (and not chrome)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provcheck import Index
from provcheck.archive.fingerprint import FingerprintConfig, band_keys
from provcheck.archive.index import IndexConfig
from provcheck.errors import ConfigError, InputError
from provcheck.model import Document
from tests.cases import NEGATIVES, read
from tests.cases.archive import ORIGINAL, SPUN, chrome_wrapped, excerpt, reordered, traditional


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Index:
    """The original plus the three same-field articles, each published on one site with shared chrome."""
    db = tmp_path_factory.mktemp("idx") / "archive.db"
    index = Index(db)
    docs = [Document("orig", read(ORIGINAL))]
    docs += [Document(f"site/{p.name[:3]}", chrome_wrapped(read(p))) for p in NEGATIVES]
    summary = index.add(docs)
    assert summary.added == 4
    yield index
    index.close()


def _ids(index: Index, text: str) -> list[str]:
    return [c.id for c in index.candidates(Document("query", text), k=10)]


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: read(SPUN), id="spun"),
        pytest.param(lambda: chrome_wrapped(read(SPUN)), id="spun+chrome"),
        pytest.param(lambda: reordered(read(ORIGINAL)), id="reordered"),
        pytest.param(lambda: traditional(read(ORIGINAL)), id="traditional"),
        pytest.param(lambda: traditional(reordered(read(SPUN), seed=3)), id="spun+reordered+traditional"),
        pytest.param(lambda: excerpt(read(ORIGINAL), 0.25), id="partial-25%"),
        pytest.param(lambda: excerpt(read(ORIGINAL), 0.1, start=0.6), id="partial-10%"),
        pytest.param(lambda: excerpt(read(SPUN), 0.2, start=0.5), id="partial-spun-20%"),
        pytest.param(
            lambda: read(NEGATIVES[1]) + "\n\n" + excerpt(read(ORIGINAL), 0.3),
            id="partial-inside-another-article",
        ),
    ],
)
def test_derived_copies_find_the_original(archive: Index, make) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(archive, make())
    assert "orig" in ids
    if not ids[0].startswith("site/"):  # a copy embedded in another stored article may rank it first
        assert ids[0] == "orig"


def test_a_very_long_suspect_is_searched_whole(archive: Index) -> None:
    filler = "\n".join(read(p) for p in NEGATIVES) * 12  # ~100 000 characters, thousands of window keys
    long_suspect = filler + "\n" + read(SPUN) + "\n" + filler
    assert "orig" in _ids(archive, long_suspect)


def test_articles_sharing_only_site_chrome_are_not_candidates(archive: Index) -> None:
    for p in NEGATIVES:
        ids = _ids(archive, chrome_wrapped(read(p)))
        assert ids == [f"site/{p.name[:3]}"], ids  # itself, not its chrome siblings, not the original


def test_same_field_unrelated_articles_find_nothing(archive: Index) -> None:
    with Index(archive.path) as other:  # the same archive without the original
        other.remove(["orig"])
        try:
            for text in (read(SPUN), read(ORIGINAL), chrome_wrapped(read(ORIGINAL))):
                assert _ids(other, text) == []
        finally:
            other.add([Document("orig", read(ORIGINAL))])


def test_estimates_are_scores_in_unit_interval_best_first(archive: Index) -> None:
    cands = archive.candidates(Document("q", chrome_wrapped(read(SPUN))), k=10)
    assert [c.estimate for c in cands] == sorted((c.estimate for c in cands), reverse=True)
    assert all(0.0 <= c.estimate <= 1.0 and 0.0 <= c.containment <= 1.0 for c in cands)
    assert cands[0].contained >= 0.3  # most of the original's skeleton survives in the spun copy


def test_add_skips_unchanged_updates_changed_and_removes(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    a, b = folder / "a.txt", folder / "sub" / "b.txt"
    a.write_text(read(ORIGINAL), encoding="utf-8")
    b.write_text(read(NEGATIVES[0]), encoding="gb18030")
    (folder / "skip.bin").write_bytes(b"\x00\x01")  # not a text suffix: ignored in folders
    with Index(tmp_path / "i.db") as index:
        first = index.add([folder])
        assert (first.added, first.unchanged, first.skipped) == (2, 0, 0)
        assert sorted(index.ids()) == [str(a), str(b)]
        again = index.add([folder])
        assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
        a.write_text(read(SPUN), encoding="utf-8")
        changed = index.add([folder])
        assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 1)
        assert index.document(str(a)).text == read(SPUN)
        assert index.document(str(b)).encoding == "gb18030"
        assert _ids(index, read(SPUN))[0] == str(a)
        assert index.remove([str(a), "nope"]) == ["nope"]
        assert index.ids() == [str(b)] and len(index) == 1
        fp = index.fingerprint(index.document(str(b)))
        own = {
            int(k) for sig in (*fp.signatures, *fp.windows) for k in band_keys(sig, index.config.fingerprint)
        }
        assert index.stats().band_keys == len(own)  # nothing left behind by the updated and removed versions


def test_jsonl_records_keep_id_title_and_date(tmp_path: Path) -> None:
    records = tmp_path / "feed.jsonl"
    lines = [
        {"id": "news-1", "text": read(ORIGINAL), "title": "哈尔滨样板", "date": "2024-05-17", "site": "hlj"},
        {"id": "news-2", "text": read(NEGATIVES[2])},
    ]
    records.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in lines) + "\nnot json\n", encoding="utf-8"
    )
    with Index(tmp_path / "i.db") as index:
        summary = index.add([records])
        assert (summary.added, summary.skipped) == (2, 1) and "not JSON" in summary.problems[0]
        best = index.candidates(Document("q", read(SPUN)))[0]
        assert (best.id, best.title, best.date) == ("news-1", "哈尔滨样板", "2024-05-17")
        assert dict(index.document("news-1").meta)["site"] == "hlj"


def test_html_pages_are_fingerprinted_by_their_text_and_keep_their_title(tmp_path: Path) -> None:
    body = "".join(f"<p>{p}</p>" for p in read(ORIGINAL).split("\n") if p.strip())
    page = tmp_path / "page.html"
    page.write_text(
        f"<!doctype html><html><head><title> 打造职业教育 &amp; 样板 </title><script>var x = '新闻';</script></head>"
        f"<body><nav>首页 | 教育 | 职教动态</nav>{body}</body></html>",
        encoding="utf-8",
    )
    with Index(tmp_path / "i.db") as index:
        index.add([page])
        best = index.candidates(Document("q", read(SPUN)))[0]
        assert (best.id, best.title) == (str(page), "打造职业教育 & 样板")
        assert best.estimate > 0.3  # markup does not dilute the match


def test_other_fingerprint_settings_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "i.db"
    with Index(db) as index:
        index.add([ORIGINAL])
    with pytest.raises(ConfigError, match="other fingerprint settings"):
        Index(db, IndexConfig(fingerprint=FingerprintConfig(char_ngram=5)))


def test_missing_input_and_missing_document_are_input_errors(tmp_path: Path) -> None:
    with Index(tmp_path / "i.db") as index:
        with pytest.raises(InputError, match="no such file"):
            index.add([tmp_path / "missing.txt"])
        with pytest.raises(InputError, match="not in the index"):
            index.document("nope")


def test_parallel_add_gives_the_same_index_as_serial(tmp_path: Path) -> None:
    from tests.cases import CORPUS
    from tests.cases.archive import mixed_article

    pool = [read(p) for p in sorted(CORPUS.glob("*.txt"))]
    docs = [Document(f"d{i:03d}", mixed_article(pool, i, 10)) for i in range(120)]
    serial = Index(tmp_path / "s.db", IndexConfig(workers=1))
    parallel = Index(tmp_path / "p.db", IndexConfig(workers=2, parallel_min_docs=0, batch_size=16))
    try:
        assert serial.add(docs).added == parallel.add(docs).added == 120
        for doc_id in ("d000", "d077", "d119"):
            q = serial.document(doc_id)
            assert serial.candidates(q) == parallel.candidates(q)
    finally:
        serial.close()
        parallel.close()
