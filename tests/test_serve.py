"""The web service: every endpoint on the seed pair, size limits, bad input, no server paths."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")
pytest.importorskip("multipart", reason="python-multipart (web extra) is not installed")

from fastapi.testclient import TestClient

from provcheck.report.htmlpage import REPORT_CSS, content_security_policy
from provcheck.web import ServeConfig, create_app

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "corpus" / "001_f774ca4a0bf60419.txt"
SUSPECT = ROOT / "corpus" / "000_4220fd22daa105e4.txt"
OTHER = ROOT / "corpus" / "002_9a4042f4b84dd83c.txt"
SRC = SOURCE.read_text(encoding="utf-8")
SUS = SUSPECT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = pytest.importorskip("provcheck.archive.index", reason="the archive index has not landed")
    pytest.importorskip("provcheck.archive.search", reason="the archive search has not landed")
    path = tmp_path_factory.mktemp("archive") / "archive.db"
    with index.Index(path) as idx:
        idx.add([str(SOURCE), str(OTHER)])
    return path


@pytest.fixture(scope="module")
def archive_client(db: Path) -> TestClient:
    return TestClient(create_app(db=db))


def spam_texts(report: dict) -> list[str]:
    return [f["suspect_text"] for f in report["findings"] if f["type"] == "spliced_spam"]


def test_form_page_is_served_under_a_strict_policy(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'name="suspect_text"' in r.text and 'name="source_file"' in r.text and 'action="/report"' in r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'none'" in csp and "form-action 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "has no archive index" in r.text


def test_api_compare_gives_the_cli_json(client: TestClient) -> None:
    r = client.post("/api/compare", json={"source": SRC, "suspect": SUS})
    assert r.status_code == 200
    data = r.json()
    assert data["relation"] == "rewritten" and data["score"] > 0.9
    assert data["source"] == "source (pasted)" and data["suspect"] == "suspect (pasted)"
    assert "开云电子" in spam_texts(data)
    for f in data["findings"]:  # spans slice the texts as sent
        if "suspect_span" in f:
            a, b = f["suspect_span"]
            assert SUS[a:b] == f["suspect_text"]
    assert set(data) >= {
        "schema",
        "relation",
        "score",
        "stats",
        "counts",
        "substitutions",
        "findings",
        "alignment",
    }


def test_api_compare_takes_uploads_in_any_supported_encoding(client: TestClient) -> None:
    files = {
        "source": ("原文.txt", SRC.encode("gb18030")),
        "suspect": ("../../etc/passwd", SUS.encode("utf-8")),
    }
    r = client.post("/api/compare", files=files)
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["encoding"] == {"source": "gb18030", "suspect": "utf-8"}
    assert data["source"] == "原文.txt" and data["suspect"] == "passwd"  # a display name, never a path
    assert data["relation"] == "rewritten"


def test_server_paths_are_compared_as_text_never_opened(client: TestClient) -> None:
    r = client.post("/api/compare", json={"source": SRC, "suspect": str(SUSPECT)})
    assert r.status_code == 200
    data = r.json()
    assert data["stats"]["suspect_chars"] < 100 and data["relation"] == "unrelated"
    r = client.post("/api/compare", data={"source": SRC, "suspect": "/etc/passwd"})
    assert r.status_code == 200 and r.json()["stats"]["suspect_chars"] < 20


def test_report_page_renders_the_html_report(client: TestClient) -> None:
    r = client.post(
        "/report", data={"source_text": SRC, "suspect_text": SUS}, files={"source_file": ("", b"")}
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-security-policy"] == content_security_policy(REPORT_CSS)
    assert 'class="f-spliced_spam" title="Spliced spam' in r.text and "开云电子</mark>" in r.text
    assert '<a href="/">' in r.text


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"json": {"source": SRC}}, 400, "no suspect"),
        ({"json": {"suspect": SUS}}, 400, "no source"),
        ({"json": {"source": "", "suspect": SUS}}, 400, "source is empty"),
        ({"json": {"source": "  \n ", "suspect": SUS}}, 400, "source is empty"),
        ({"json": {"source": 3, "suspect": SUS}}, 400, "must be a string"),
        ({"json": ["a", "b"]}, 400, "must be an object"),
        ({"content": b"{nope", "headers": {"content-type": "application/json"}}, 400, "not valid JSON"),
        ({"content": SUS.encode(), "headers": {"content-type": "text/plain"}}, 415, "send JSON or a form"),
        (
            {"files": {"source": ("a.bin", bytes(range(256)) * 8), "suspect": ("b.txt", SUS.encode())}},
            400,
            "binary",
        ),
        ({"files": {"source": ("empty.txt", b""), "suspect": ("b.txt", SUS.encode())}}, 400, "empty"),
        (
            {"files": {"source": ("a.txt", bytes(range(128, 256)) * 4), "suspect": ("b.txt", SUS.encode())}},
            400,
            "decode",
        ),
        (
            {"data": {"source": SRC, "suspect": SUS}, "files": {"suspect_file": ("b.txt", SUS.encode())}},
            400,
            "once",
        ),
    ],
)
def test_bad_input_is_a_clear_4xx(client: TestClient, kwargs: dict, status: int, message: str) -> None:
    r = client.post("/api/compare", **kwargs)
    assert r.status_code == status, r.text
    assert message in r.json()["error"]
    assert "\n" not in r.json()["error"]


def test_size_limits(client: TestClient) -> None:
    small = TestClient(create_app(config=ServeConfig(max_document_bytes=1000, max_request_bytes=3000)))
    r = small.post("/api/compare", json={"source": SRC[:400], "suspect": SUS[:200]})  # 1,200 bytes of UTF-8
    assert r.status_code == 413 and "source is too large" in r.json()["error"]
    r = small.post("/api/compare", files={"source": ("a.txt", b"x" * 5000), "suspect": ("b.txt", b"y")})
    assert r.status_code == 413 and "request too large" in r.json()["error"]
    r = small.post("/api/compare", json={"source": SRC[:300], "suspect": SUS[:300]})
    assert r.status_code == 200 and r.json()["relation"] in ("copy", "rewritten", "partial")
    r = small.post("/report", data={"source_text": SRC, "suspect_text": SUS})
    assert (
        r.status_code == 413 and "too large" in r.text and r.headers["content-type"].startswith("text/html")
    )


def test_report_page_shows_errors_as_escaped_html(client: TestClient) -> None:
    r = client.post("/report", files={"suspect_file": ("<img src=x onerror=alert(1)>.bin", b"\x00\x01" * 64)})
    assert r.status_code == 400
    assert "binary" in r.text and "<img" not in r.text and "&lt;img" in r.text


def test_without_an_index_find_check_and_suspect_only_are_501(client: TestClient) -> None:
    for url in ("/api/find", "/api/check"):
        r = client.post(url, json={"suspect": SUS})
        assert r.status_code == 501 and "--db" in r.json()["error"]
    r = client.post("/report", data={"suspect_text": SUS})
    assert r.status_code == 501 and "--db" in r.text


def test_find_and_check_search_the_archive(archive_client: TestClient) -> None:
    r = archive_client.post("/api/find", json={"suspect": SUS})
    assert r.status_code == 200, r.text
    found = r.json()
    assert found["query"] == "suspect (pasted)"
    assert [c["path"] for c in found["candidates"]][:1] == [str(SOURCE)]
    r = archive_client.post("/api/check", json={"suspect": SUS, "fail_on": ["spliced_spam"]})
    assert r.status_code == 200, r.text
    checked = r.json()
    assert checked["passed"] is False and checked["source"] == str(SOURCE)
    assert "开云电子" in [f["suspect_text"] for f in checked["findings"] if f["type"] == "spliced_spam"]
    r = archive_client.post("/api/check", data={"suspect": SUS, "fail_on": "no_such_type"})
    assert r.status_code == 400 and "unknown finding type" in r.json()["error"]
    r = archive_client.post("/api/check", json={"suspect": "今天天气很好，我们去公园散步。" * 3})
    assert r.status_code == 200 and r.json()["passed"] is True


def test_report_page_finds_the_source_in_the_archive(archive_client: TestClient) -> None:
    r = archive_client.post("/report", data={"suspect_text": SUS, "source_text": ""})
    assert r.status_code == 200, r.text
    assert "开云电子</mark>" in r.text and f"<code>{SOURCE}</code>" in r.text
    pasted = "今天天气很好，我们去公园散步。<b>" * 3
    r = archive_client.post("/report", data={"suspect_text": pasted})
    # not an error: the form again, saying so, with the pasted text kept for a source to be added
    assert r.status_code == 200 and "Nothing in the archive index is related" in r.text
    assert (
        f'<textarea name="suspect_text" placeholder="疑似稿 / suspect copy">{pasted.replace("<", "&lt;").replace(">", "&gt;")}</textarea>'
        in r.text
    )


def test_missing_index_file_is_a_503(tmp_path: Path) -> None:
    pytest.importorskip("provcheck.archive.search", reason="the archive search has not landed")
    client = TestClient(create_app(db=tmp_path / "absent.db"))
    r = client.post("/api/find", json={"suspect": SUS})
    assert r.status_code == 503 and "archive index unavailable" in r.json()["error"]


def test_serve_command_is_registered_and_checks_its_index(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from provcheck.cli import app

    runner = CliRunner()
    assert "--db" in runner.invoke(app, ["serve", "--help"]).output
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no such index file" in result.output


def test_an_internal_error_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from provcheck.pair.comparer import Provcheck

    def broken(self: Provcheck, source: object, suspect: object) -> None:
        raise ValueError("secret internals\nmore")

    monkeypatch.setattr(Provcheck, "compare", broken)
    client = TestClient(create_app(), raise_server_exceptions=False)
    r = client.post("/api/compare", json={"source": SRC, "suspect": SUS})
    assert r.status_code == 500 and r.json() == {"error": "internal error (ValueError)"}
    r = client.post("/report", data={"source_text": SRC, "suspect_text": SUS})
    assert r.status_code == 500 and "internal error (ValueError)" in r.text and "secret" not in r.text


def test_find_and_check_json_match_the_cli(archive_client: TestClient, db: Path, tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from provcheck.cli import app

    runner = CliRunner()
    cli = runner.invoke(app, ["find", str(SUSPECT), "--db", str(db), "--format", "jsonl"])
    assert cli.exit_code == 0, cli.output
    served = archive_client.post("/api/find", files={"suspect": ("x.txt", SUSPECT.read_bytes())}).json()
    expected = json.loads(cli.stdout.splitlines()[0])
    assert served == {**expected, "query": "x.txt"}
    cli = runner.invoke(
        app, ["check", str(SUSPECT), "--db", str(db), "--format", "json", "--fail-on", "spliced_spam"]
    )
    assert cli.exit_code == 1, cli.output
    served = archive_client.post("/api/check", data={"suspect": SUS, "fail_on": "spliced_spam"}).json()
    expected = json.loads(cli.stdout)
    assert served == {**expected, "query": "suspect (pasted)"}


def test_short_texts_compare() -> None:
    client = TestClient(create_app())
    r = client.post("/api/compare", json={"source": "你好世界。", "suspect": "你好世界。再见。"})
    assert r.status_code == 200 and r.json()["relation"] != "unrelated"


def test_on_a_loopback_address_only_local_host_names_are_answered() -> None:
    config = ServeConfig.for_address("127.0.0.1")
    assert ServeConfig.for_address("0.0.0.0").allowed_hosts == ()
    local = TestClient(create_app(config=config), base_url="http://127.0.0.1:8000")
    assert local.get("/healthz").status_code == 200
    assert TestClient(create_app(config=config), base_url="http://localhost:8000").get("/").status_code == 200
    rebound = TestClient(create_app(config=config), base_url="http://attacker.example:8000")
    assert rebound.get("/").status_code == 400
    assert rebound.post("/api/compare", json={"source": SRC, "suspect": SUS}).status_code == 400
