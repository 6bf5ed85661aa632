"""trace: every passage of a patchwork attributed to its source, shares, formats, the --max-derived gate,
bad input and the web page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provcheck import Settings, trace
from provcheck.archive.index import Index
from provcheck.cli import app
from provcheck.errors import ConfigError, InputError, StoreError
from provcheck.model import Document
from tests.cases import NEGATIVES, read
from tests.cases.archive import ORIGINAL, SPUN

DOCS = {"orig": ORIGINAL, "neg2": NEGATIVES[0], "neg3": NEGATIVES[1], "neg4": NEGATIVES[2]}


def _piece(name: str, start: int, length: int) -> str:
    """``length`` characters of a held document from ``start``, line breaks dropped, trimmed to begin
    and end on a content character (so the expected span is exact)."""
    text = read(DOCS[name])[start : start + length].replace("\n", "")
    return re.sub(r"^\W+|\W+$", "", text)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("trace") / "archive.db"
    with Index(path) as index:
        meta = {"orig": (("date", "2024-05-17"), ("title", "哈尔滨职教活动周"))}
        index.add([Document(name, read(p), meta=meta.get(name, ())) for name, p in DOCS.items()])
    return path


def _patchwork(parts: list[tuple[str, int, int]]) -> tuple[str, list[tuple[str, int, int]]]:
    """The suspect text and, per part, (source, start, end) of that part in it."""
    text, where = "", []
    for name, start, length in parts:
        piece = _piece(name, start, length)
        if text:
            text += "\n"
        where.append((name, len(text), len(text) + len(piece)))
        text += piece
    return text, where


def test_a_patchwork_of_three_articles_is_split_between_them(db: Path, tmp_path: Path) -> None:
    text, where = _patchwork([("orig", 500, 300), ("neg2", 400, 300), ("neg4", 300, 300)])
    result = trace(Document("suspect", text), db)
    assert [(p.sources[0].id, p.span.start, p.span.end) for p in result.passages] == where
    for p in result.passages:
        assert p.sources[0].similarity == 1.0
        assert p.sources[0].source_span is not None
        source = read(DOCS[p.sources[0].id])
        s = p.sources[0].source_span
        assert source[s.start : s.end].replace("\n", "") == text[p.span.start : p.span.end]
    shares = {s.id: s.share for s in result.sources}
    assert set(shares) == {"orig", "neg2", "neg4"}
    assert result.derived == 1.0 and result.unattributed == 0.0
    assert abs(sum(shares.values()) - result.derived) < 0.01
    assert all(0.25 < v < 0.42 for v in shares.values())


def test_a_stretch_drawing_on_two_sources_in_turn_is_split(db: Path) -> None:
    text, where = _patchwork([("orig", 200, 120), ("neg3", 200, 120), ("orig", 900, 120), ("neg3", 600, 120)])
    result = trace(Document("suspect", text), db)
    assert [(p.sources[0].id, p.span.start, p.span.end) for p in result.passages] == where


def test_own_text_is_unattributed_and_a_short_quote_is_found(db: Path) -> None:
    own = "这是作者自己写的一段评论，讨论城市公园的规划与管理，与档案里的任何文章都没有关系。" * 4
    quote = _piece("neg3", 700, 60)
    text = own + "\n" + quote + "\n" + own
    result = trace(Document("suspect", text), db)
    assert [s.id for s in result.sources] == ["neg3"]
    (passage,) = result.passages
    assert (passage.span.start, passage.span.end) == (len(own) + 1, len(own) + 1 + len(quote))
    assert 0.05 < result.derived < 0.25 and result.unattributed == round(1 - result.derived, 4)


def test_a_spun_copy_is_attributed_with_its_similarity_and_findings(db: Path) -> None:
    result = trace(Document("suspect", read(SPUN)), db)
    assert result.sources[0].id == "orig" and result.sources[0].relation.value == "rewritten"
    assert result.derived > 0.8
    sims = [q.similarity for p in result.passages for q in p.sources if q.id == "orig"]
    assert min(sims) < 1.0  # spun sentences are similar, not identical
    assert any("substitution" in q.findings for p in result.passages for q in p.sources)


def test_an_empty_archive_traces_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    Index(empty).close()
    result = trace(Document("suspect", read(SPUN)), empty)
    assert (result.derived, result.unattributed, result.sources, result.passages) == (0.0, 1.0, (), ())
    code, out, err = _run("trace", _write(tmp_path, read(SPUN)), "--db", empty)
    assert code == 0 and "nothing in the index" in out and not err


def test_bad_input_is_one_line_and_exit_2(db: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        trace(tmp_path / "missing.txt", db)
    with pytest.raises(StoreError):
        trace(Document("s", "一段文字"), tmp_path / "missing.db")
    for args in (
        ("trace", tmp_path / "missing.txt", "--db", db),
        ("trace", _write(tmp_path, "一段文字"), "--db", tmp_path / "missing.db"),
        ("check", _write(tmp_path, "一段文字"), "--db", db, "--max-derived", "1.5"),
    ):
        code, _, err = _run(*args)
        assert code == 2, args
        assert err.strip() and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _run("trace", _write(tmp_path, "一段文字"), "--db", db, "--format", "pdf")[0] == 2  # usage


def _write(tmp_path: Path, text: str, name: str = "suspect.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_trace_json_text_and_html(db: Path, tmp_path: Path) -> None:
    text, where = _patchwork([("orig", 500, 300), ("neg2", 400, 300)])
    suspect = _write(tmp_path, "<script>alert(1)</script>\n" + text)
    code, out, _ = _run("trace", suspect, "--db", db, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == [
        "query",
        "length",
        "content_chars",
        "derived",
        "unattributed",
        "sources",
        "passages",
    ]
    first = data["sources"][0]
    assert list(first) == ["path", "title", "date", "share", "covers", "chars", "relation", "score"]
    original = suspect.read_text(encoding="utf-8")
    spans = [(p["sources"][0]["path"], *p["suspect_span"]) for p in data["passages"]]
    offset = len("<script>alert(1)</script>\n")
    assert spans[-2:] == [(n, s + offset, e + offset) for n, s, e in where]
    for p in data["passages"][-2:]:
        s, e = p["suspect_span"]
        assert original[s:e] in text
    orig = next(s for s in data["sources"] if s["path"] == "orig")
    assert (orig["title"], orig["date"]) == ("哈尔滨职教活动周", "2024-05-17")

    code, out, _ = _run("trace", suspect, "--db", db)
    assert code == 0 and "derived from" in out and "[1]" in out and "orig" in out

    page = tmp_path / "trace.html"
    code, _, _ = _run("trace", suspect, "--db", db, "--format", "html", "--out", page)
    html = page.read_text(encoding="utf-8")
    assert code == 0 and "<script>" not in html and "&lt;script&gt;" in html
    assert 'class="sw c0"' in html and 'class="sw c1"' in html and "哈尔滨职教活动周" in html
    assert html.count("<mark ") == len(data["passages"])


def test_check_gates_on_the_union_share(db: Path, tmp_path: Path) -> None:
    text, _ = _patchwork([("orig", 500, 300), ("neg2", 400, 300), ("neg4", 300, 300)])
    suspect = _write(tmp_path, text)
    code, out, _ = _run("check", suspect, "--db", db, "--max-derived", "0.5", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["passed"] is False and "derived" in data["reason"] and data["derived"] == 1.0
    code, out, _ = _run("check", suspect, "--db", db, "--max-derived", "1")
    assert code == 0 and "derived  1.000" in out
    own = _write(tmp_path, "这是作者自己写的一段评论，讨论城市公园的规划与管理。" * 5, "own.txt")
    assert _run("check", own, "--db", db, "--max-derived", "0")[0] == 0


def test_trace_settings_come_from_toml(tmp_path: Path) -> None:
    cfg = tmp_path / "s.toml"
    cfg.write_text("[trace]\ncandidates = 3\n[index.passages]\nmax_key_docs = 9\n", encoding="utf-8")
    settings = Settings.from_toml(cfg)
    assert settings.trace.candidates == 3 and settings.index_config().passages.max_key_docs == 9
    cfg.write_text("[trace]\nmin_similarity = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        Settings.from_toml(cfg)


def test_serve_shows_the_candidate_list_and_the_trace(db: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from provcheck.web import create_app

    client = TestClient(create_app(db=db))
    text, _ = _patchwork([("orig", 500, 300), ("neg2", 400, 300)])
    r = client.post("/report", data={"suspect_text": text})
    assert r.status_code == 200, r.text
    assert "<h2>Candidates</h2>" in r.text and "<h2>Sources</h2>" in r.text and 'class="sw c1"' in r.text
    r = client.post("/api/trace", data={"suspect": text})
    data = r.json()
    assert r.status_code == 200 and data["derived"] == 1.0
    assert {s["path"] for s in data["sources"]} == {"orig", "neg2"}
    assert {c["path"] for c in data["candidates"]} >= {"orig", "neg2"}
