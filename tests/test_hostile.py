"""Hostile and broken input (issue 13): no silent wrong decode, no gate bypass, no quadratic stall,
no traceback, no merged or vanished records, no half-written output. Commands run as real processes
where the process boundary matters (exit codes, kills, read-only mounts, FIFOs)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from provcheck import api
from provcheck.clustering.inputs import SPILL_PREFIX, Spill
from provcheck.errors import InputError, StoreError
from provcheck.model import Document
from provcheck.text.normalize import Normalizer
from provcheck.text.read import (
    ReadConfig,
    decode_bytes,
    document_from_text,
    iter_documents,
    iter_jsonl,
    read_document,
)
from provcheck.text.segment import Segmenter
from tests.cases import CORPUS, DATA, SEED_COPY, SEED_SOURCE, read

PROVCHECK = [sys.executable, "-m", "provcheck"]
EN = (DATA / "en_source.txt").read_bytes()
ZH = read(SEED_SOURCE)


def run(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PROVCHECK, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The command run in this process (typer's runner): the same exit codes and output, without a
    process start; for cases where the process boundary does not matter."""
    from typer.testing import CliRunner

    from provcheck.cli import app

    res = CliRunner().invoke(app, list(args))
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return subprocess.CompletedProcess(list(args), res.exit_code, res.stdout, res.stderr)


def one_line_error(p: subprocess.CompletedProcess[str]) -> str:
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert "Traceback" not in p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("provcheck: "), p.stderr
    return lines[0]


# -- 1. decoding: right, or an error naming the byte ---------------------------------------------


@pytest.mark.parametrize("pos", [5, 100, 333, 500, 777, len(EN) - 3])
def test_one_latin1_byte_in_english_reads_as_latin1_not_mojibake(pos: int) -> None:
    data = EN[:pos] + b"\xe9" + EN[pos:]
    text, enc = decode_bytes(data, "x")
    assert enc == "cp1252"
    assert text == EN[:pos].decode() + "é" + EN[pos:].decode()


def test_one_bad_byte_in_utf8_chinese_is_an_error_naming_its_offset() -> None:
    data = ZH.encode("utf-8")
    at = len(ZH[:100].encode("utf-8"))  # between two characters
    bad = data[:at] + b"\xe9" + data[at:]
    with pytest.raises(InputError, match=rf"UTF-8 except for 1 byte\(s\), the first at byte {at} \(0xe9\)"):
        decode_bytes(bad, "x")


def test_mostly_ascii_chinese_with_one_bad_byte_is_an_error() -> None:
    text = ("Reported by the agency: 新闻 figures for 2024 rose again, said the office. " * 40).encode()
    with pytest.raises(InputError, match="byte 60"):
        decode_bytes(text[:60] + b"\xff" + text[60:], "x")


def test_english_with_curly_quotes_and_one_latin1_byte_is_an_error() -> None:
    data = EN[:50] + "“quoted”".encode() + EN[50:200] + b"\xe9" + EN[200:]
    with pytest.raises(InputError, match=r"byte 2\d\d \(0xe9\)"):
        decode_bytes(data, "x")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Привет, как дела? Это короткий текст на русском языке для проверки. " * 8, "cp1251"),
        ("Le café était très animé près de la rivière, où les élèves déjeunaient. " * 8, "latin-1"),
    ],
)
def test_legacy_single_byte_text_reads_right(text: str, encoding: str) -> None:
    decoded, _ = decode_bytes(text.encode(encoding), "x")
    assert decoded == text


def test_short_cyrillic_in_a_code_page_is_an_error_not_a_latin_guess() -> None:
    with pytest.raises(InputError, match="cannot decode"):
        decode_bytes("Привет мир".encode("cp1251"), "x")


def test_compare_cli_refuses_broken_utf8_and_errors_replace_is_the_users_choice(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    data = ZH.encode("utf-8")
    at = len(ZH[:10].encode("utf-8"))
    bad.write_bytes(data[:at] + b"\xe9" + data[at:])
    line = one_line_error(run("compare", str(SEED_SOURCE), str(bad)))
    assert f"byte {at} (0xe9)" in line and "--errors replace" in line
    p = run("compare", str(SEED_SOURCE), str(bad), "--format", "json", "--errors", "replace")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["relation"] == "copy"
    p = run("compare", str(SEED_SOURCE), str(bad), "--errors", "sloppy")
    assert "strict or replace" in one_line_error(p)
    assert read_document(bad, config=ReadConfig(errors="replace")).text.count("\ufffd") == 1


# -- 2. markup never hides what a reader of the file sees -----------------------------------------

TAGS = "<p><div><span><a><li><ul><table><iframe>"


@pytest.mark.parametrize(
    "wrap",
    [
        lambda t: TAGS + t,  # eight tag-like strings ending in an unclosed <iframe>
        lambda t: TAGS + t + "</iframe>",  # ... closed at the very end
        lambda t: "<html><body><script>" + t + "</script><p>hello</p></body></html>",
        lambda t: "<html><body><noscript>" + t + "</noscript><p>hello</p></body></html>",
    ],
)
def test_markup_wrapped_verbatim_copy_is_still_a_copy(wrap, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    suspect = tmp_path / "suspect.html"
    suspect.write_text(wrap(ZH), encoding="utf-8")
    report = api.compare(SEED_SOURCE, suspect)
    assert report.relation.value == "copy" and report.score >= 0.9


def test_markup_gate_bypass_fails_the_gate(tmp_path: Path) -> None:
    suspect = tmp_path / "suspect.txt"
    suspect.write_text(TAGS + ZH, encoding="utf-8")
    db = tmp_path / "x.db"
    assert cli("index", "add", str(SEED_SOURCE), "--db", str(db), "-q").returncode == 0
    p = cli("check", str(suspect), "--db", str(db), "--max-score", "0.5")
    assert p.returncode == 1, p.stdout + p.stderr
    assert "FAIL" in p.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "<html><head><script>var a = 1; function f(x) { return x * 2; }</script></head></html>",
            "shows no text",
        ),
        ("\u200b\u200c\u200d\ufeff\u200b", "has no text (only invisible characters)"),
        ("   \n\t  ", "has no text"),
    ],
)
def test_empty_extraction_is_reported_never_a_zero_character_report(
    text: str, message: str, tmp_path: Path
) -> None:
    suspect = tmp_path / "s.html"
    suspect.write_text(text, encoding="utf-8")
    assert message in one_line_error(cli("compare", str(SEED_SOURCE), str(suspect)))


def test_a_real_page_is_still_read_as_html() -> None:
    page = "<!doctype html><html><head><title>T</title><script>var x = 1;</script></head><body>"
    page += "".join(f"<p>{line}</p>" for line in ZH.splitlines() if line.strip()) + "</body></html>"
    doc = document_from_text(page, "p")
    assert doc.kind == "html"
    report = api.compare(SEED_SOURCE, doc)
    assert report.relation.value == "copy"


def test_dense_tags_over_the_whole_document_decide_html() -> None:
    assert document_from_text(TAGS.replace("<iframe>", "") + ZH, "x").kind == "text"
    assert document_from_text("".join(f"<p>{s}</p>" for s in ZH.split("。")), "y").kind == "html"


# -- 3. long lines: bounded pieces, sparse alignment ----------------------------------------------


def test_a_long_line_is_cut_into_bounded_sentences() -> None:
    line = ZH.replace("。", "，").replace("\n", "") * 20
    doc = Document("x", line)
    seg = Segmenter().segment(doc, Normalizer().normalize(doc))
    limit = Segmenter().config.max_sentence_chars
    assert len(seg.sentences) >= len(line) // limit
    assert all(s.end - s.start <= limit for s in seg.sentences)
    covered = "".join(seg.norm.text[s.start : s.end] for s in seg.sentences)
    assert len(covered) >= 0.99 * len(seg.norm.text.replace(" ", ""))


def test_a_long_line_compared_with_itself_is_a_copy_and_spans_slice_it() -> None:
    line = (ZH.replace("。", "，").replace("\n", " ") + " ") * 40  # ~440 000 characters, one sentence
    suspect = line[:200_000] + "开云电子官网" + line[200_000:]
    report = api.compare(document_from_text(line, "a"), document_from_text(suspect, "b"))
    assert report.relation.value == "copy" and report.score > 0.95
    for f in report.findings:
        if f.suspect_span is not None:
            assert suspect[f.suspect_span.start : f.suspect_span.end] == f.suspect_text


# -- 4. size limit: skipped with a reason, never stored, never aborts a batch ---------------------


def test_oversized_document_is_skipped_not_stored_and_memory_stays_bounded(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as f:
        for _ in range(50_000_000 // len(ZH.encode()) + 1):
            f.write(ZH)
    assert big.stat().st_size > 50_000_000
    db = tmp_path / "x.db"
    script = (
        "from provcheck import api\n"
        f"with api.open_index({str(db)!r}, create=True) as index:\n"
        f"    s = index.add([{str(big)!r}, {str(CORPUS)!r}])\n"
        "print(s.added, s.skipped, s.problems[0])\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(int(hwm.split()[1]) // 1024)\n"
    )
    p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    first, peak = p.stdout.splitlines()
    added, skipped, reason = first.split(" ", 2)
    assert (added, skipped) == ("5", "1") and "over the limit of 8.0 MB" in reason and str(big) in reason
    assert int(peak) < 400  # MB of this process since exec (VmHWM): the big file is never read
    with api.open_index(db) as index:
        assert str(big) not in index and len(index) == 5


def test_size_limit_is_a_setting_and_cluster_skips_the_oversized(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[read]\nmax_bytes = 15000\n", encoding="utf-8")  # corpus articles are ~11 KB
    big = tmp_path / "big.txt"
    big.write_text(ZH * 2, encoding="utf-8")
    p = cli("cluster", str(CORPUS), str(big), "--config", str(cfg), "--quiet")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert any(str(big) in s and "over the limit" in s for s in out["skipped"])
    assert len(out["clusters"]) == 1  # the corpus' planted pair still groups
    bad = tmp_path / "bad.toml"
    bad.write_text("[read]\nmax_bytes = 0\n", encoding="utf-8")
    assert "max_bytes" in one_line_error(
        cli("compare", str(SEED_SOURCE), str(SEED_COPY), "--config", str(bad))
    )


# -- 5. an empty or missing --db never passes the gate --------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["check", str(SEED_COPY)],
        ["find", str(SEED_COPY)],
        ["index", "stats"],
        ["cluster", "--quiet"],
        ["index", "remove", "x"],
    ],
)
def test_empty_or_missing_db_is_exit_2_and_untouched(args: list[str], tmp_path: Path) -> None:
    empty = tmp_path / "z.db"
    empty.write_bytes(b"")
    assert "empty file, not an index" in one_line_error(cli(*args, "--db", str(empty)))
    assert empty.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["z.db"]
    missing = tmp_path / "none.db"
    assert "no such index" in one_line_error(cli(*args, "--db", str(missing)))
    assert not missing.exists()


def test_web_check_with_an_empty_db_never_passes(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from provcheck.web import create_app

    empty = tmp_path / "z.db"
    empty.write_bytes(b"")
    r = TestClient(create_app(db=empty)).post("/api/check", json={"suspect": ZH})
    assert r.status_code >= 400 and "passed" not in r.text
    assert empty.stat().st_size == 0


# -- 6. no tracebacks: records skipped with their line, one-line errors ---------------------------


def hostile_jsonl(path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": ZH}, ensure_ascii=False),
        '{"id": "s", "text": "\\ud800 lone"}',
        "[" * 100_000 + "]" * 100_000,
        '{"id": "n", "text": "x", "v": ' + "9" * 5000 + "}",
        json.dumps({"id": None, "text": ZH + "一"}, ensure_ascii=False),
        json.dumps({"id": None, "text": ZH + "二"}, ensure_ascii=False),
        json.dumps({"id": None, "text": ZH + "三"}, ensure_ascii=False),
        json.dumps({"id": "a", "text": "重复的编号。"}, ensure_ascii=False),
        json.dumps({"text": read(SEED_COPY)}, ensure_ascii=False),
        json.dumps({"id": ["x"], "text": "列表编号。"}, ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


EXPECTED_SKIPS = {
    2: "lone surrogate (\\ud800)",
    3: "nested too deeply",
    4: "not readable JSON",
    5: "id is null",
    6: "id is null",
    7: "id is null",
    8: "duplicate id 'a' (first at line 1)",
    10: 'id is ["x"]',
}


def test_jsonl_reader_skips_each_bad_record_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    hostile_jsonl(path)
    skipped: list[str] = []
    docs = list(iter_jsonl(path, skipped))
    assert [d.id for d in docs] == ["a", f"{path}:9"]
    assert docs[0].text == ZH
    assert len(skipped) == len(EXPECTED_SKIPS)
    for line, (lineno, reason) in zip(skipped, EXPECTED_SKIPS.items(), strict=True):
        assert line.startswith(f"{path}:{lineno}: ") and reason in line, line


def test_index_add_and_cluster_skip_bad_records_and_strict_fails(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    hostile_jsonl(path)
    db = tmp_path / "x.db"
    p = cli("index", "add", str(path), "--db", str(db), "--format", "json")
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    assert json.loads(p.stdout) | {"db": ""} == {
        "db": "", "added": 2, "updated": 0, "unchanged": 0, "skipped": 8, "documents": 2
    }  # fmt: skip
    assert p.stderr.count("provcheck: skipped") == 8
    p = cli("index", "add", str(path), "--db", str(tmp_path / "y.db"), "--strict", "-q")
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "8 file(s) or record(s) could not be read" in p.stderr.splitlines()[-1]
    p = cli("cluster", "--input", str(path), "--quiet")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert [c["members"] for c in out["clusters"]] == [["a", f"{path}:9"]] or [
        sorted(c["members"]) for c in out["clusters"]
    ] == [sorted(["a", f"{path}:9"])]
    assert len(out["skipped"]) == 8
    assert "could not be read" in one_line_error(cli("cluster", "--input", str(path), "--strict", "-q"))


def test_duplicate_ids_across_inputs_are_skipped_never_merged(tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    one.write_text(json.dumps({"id": "same", "text": ZH}, ensure_ascii=False) + "\n", encoding="utf-8")
    two.write_text(
        json.dumps({"id": "same", "text": read(SEED_COPY)}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    skipped: list[str] = []
    docs = list(iter_documents([str(one), str(two)], skipped))
    assert [d.text for d in docs] == [ZH] and "duplicate id" in skipped[0]
    with pytest.raises(InputError, match="duplicate id"):
        list(iter_documents([str(one), str(two)]))
    result = api.cluster(inputs=[str(one), str(two)])
    assert result.documents == ("same",) and any("duplicate id" in s for s in result.skipped)


def test_corrupt_db_bad_config_and_unwritable_out_are_one_line_errors(tmp_path: Path) -> None:
    corrupt = tmp_path / "c.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    assert "corrupt" in one_line_error(cli("cluster", "--db", str(corrupt), "-q"))
    assert "corrupt" in one_line_error(cli("check", str(SEED_COPY), "--db", str(corrupt)))
    for text, message in [
        ("[fingerprint]\nnum_perm = 0\n", "must be positive"),
        ('[align]\nthreshold = "x"\n', "expected a number"),
        ("[read]\nerrors = 3\n", "expected a string"),
    ]:
        cfg = tmp_path / "c.toml"
        cfg.write_text(text, encoding="utf-8")
        assert message in one_line_error(
            cli("compare", str(SEED_SOURCE), str(SEED_COPY), "--config", str(cfg))
        )
    pairs = tmp_path / "p.tsv"
    pairs.write_text(f"{SEED_SOURCE}\t{SEED_COPY}\n", encoding="utf-8")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    line = one_line_error(
        cli(
            "compare",
            "--pairs",
            str(pairs),
            "--format",
            "jsonl",
            "--out",
            str(tmp_path / "afile" / "o.jsonl"),
        )
    )
    assert "cannot write" in line


def test_python_api_raises_provcheck_errors_only(tmp_path: Path) -> None:
    bad = Document("x", "abc \ud800 新闻")
    with pytest.raises(InputError, match="lone surrogate"):
        api.compare(SEED_SOURCE, bad)
    corrupt = tmp_path / "c.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    with pytest.raises(StoreError, match="corrupt"):
        api.find(SEED_COPY, corrupt)
    with pytest.raises(StoreError):
        api.cluster(db=corrupt)
    db = tmp_path / "x.db"
    with api.open_index(db, create=True) as index:
        summary = index.add([bad, Document("y", ZH)])
    assert summary.added == 1 and "lone surrogate" in summary.problems[0]


def test_pairs_file_with_a_bom_reads_its_first_path(tmp_path: Path) -> None:
    pairs = tmp_path / "p.tsv"
    pairs.write_bytes(b"\xef\xbb\xbf" + f"{SEED_SOURCE}\t{SEED_COPY}\n".encode())
    p = run("compare", "--pairs", str(pairs), "--format", "jsonl")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["relation"] == "rewritten"


# -- 8. output written whole, spill files never left behind ---------------------------------------


def report_files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_killed_rerun_leaves_the_previous_report_whole(tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert run("cluster", str(CORPUS), "--out", str(out), "-q").returncode == 0
    before = report_files(out)
    assert "clusters.json" in before and any(k.startswith("members/") for k in before)
    for delay in (0.5, 1.0, 2.0):
        proc = subprocess.Popen(
            [*PROVCHECK, "cluster", str(CORPUS), "--out", str(out), "-q"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = report_files(out)
        assert after.keys() == before.keys()  # never old and new pages side by side
    assert run("cluster", str(CORPUS), "--out", str(out), "-q").returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # killed runs' temporary folders swept
    assert report_files(out).keys() == before.keys()


def test_report_replaces_only_a_report_folder(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep", encoding="utf-8")
    assert "refusing to replace" in one_line_error(cli("cluster", str(CORPUS), "--out", str(out), "-q"))
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_member_unreadable_on_the_second_pass_is_listed_in_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(CORPUS, folder)
    result = api.cluster([str(folder)])
    copy = folder / SEED_COPY.name
    assert any(m.id == str(copy) for g in result.groups for m in g.members)
    copy.write_bytes(b"\x00\x01binary now\x00" * 100)  # changed between the two passes
    written = api.write_cluster_report(result, tmp_path / "out", [str(folder)])
    missing = [s for s in written.skipped if s.startswith(str(copy))]
    assert missing and "no member report" in missing[0]
    assert json.loads((tmp_path / "out" / "clusters.json").read_text(encoding="utf-8"))["skipped"] == list(
        written.skipped
    )


def test_spill_files_of_killed_processes_are_removed_on_the_next_start(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{SPILL_PREFIX}{dead.pid}-abc.jsonl"
    stale.write_text("[]\n", encoding="utf-8")
    mine = tmp_path / f"{SPILL_PREFIX}{os.getpid()}-keep.jsonl"
    mine.write_text("[]\n", encoding="utf-8")
    with Spill(str(tmp_path)) as spill:
        spill.add(Document("d", "文本"))
        assert Path(spill.path).exists()
        path = spill.path
    assert not stale.exists() and mine.exists() and not Path(path).exists()


def test_sigterm_during_cluster_removes_the_spill_file(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen(
        [*PROVCHECK, "cluster", str(CORPUS), "--out", str(tmp_path / "r"), "-q"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not list(tmp_path.glob(f"{SPILL_PREFIX}*")) and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    assert not list(tmp_path.glob(f"{SPILL_PREFIX}*"))
    assert not list(tmp_path.glob(".r.tmp-*"))


def test_a_signal_while_the_spill_file_is_being_opened_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM arrives as SystemExit wherever the process is; right after the spill file is created,
    before anyone holds it, nothing would remove it."""

    def interrupted(fd: int, mode: str) -> object:
        raise SystemExit(128 + signal.SIGTERM)

    monkeypatch.setattr(os, "fdopen", interrupted)
    with pytest.raises(SystemExit):
        Spill(str(tmp_path))
    assert not list(tmp_path.glob(f"{SPILL_PREFIX}*"))


# -- 9. read-only archives ------------------------------------------------------------------------


def read_only_mount(folder: Path, commands: str) -> subprocess.CompletedProcess[str]:
    """Run ``commands`` (sh) with ``folder`` bind-mounted read-only in a private mount namespace."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed: cannot mount a folder read-only")
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} {folder}"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if probe.returncode != 0:
        pytest.skip(f"this environment cannot make a read-only bind mount: {probe.stderr.strip()[:100]}")
    script = f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} {folder} && {commands}"
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300)


def test_index_on_a_read_only_file_system_is_searched_and_writes_name_the_cause(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    db = archive / "x.db"
    assert run("index", "add", str(CORPUS), "--db", str(db), "-q").returncode == 0
    py = " ".join(PROVCHECK)
    p = read_only_mount(
        archive,
        f"{py} find {SEED_COPY} --db {db} --format jsonl; echo rc=$?; "
        f"{py} check {SEED_COPY} --db {db} --max-score 0.99 --format json; echo rc=$?; "
        f"{py} index stats --db {db}; echo rc=$?; "
        f"{py} cluster --db {db} -q > /dev/null; echo rc=$?; "
        f"{py} index add {DATA} --db {db} -q; echo rc=$?",
    )
    out = p.stdout.splitlines()
    rcs = [line for line in out if line.startswith("rc=")]
    assert rcs == ["rc=0", "rc=1", "rc=0", "rc=0", "rc=2"], p.stdout + p.stderr
    assert json.loads(out[0])["candidates"][0]["path"] == api.canonical_path(str(SEED_COPY))
    assert "read-only file system" in p.stderr and "corrupt" not in p.stderr
    assert "Traceback" not in p.stderr


# -- 10. links, folders, pipes ----------------------------------------------------------------------


def test_dangling_and_looping_links_and_pipes_are_listed_in_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED_SOURCE, folder / "a.txt")
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)  # a folder loop
    os.mkfifo(folder / "pipe.txt")
    skipped: list[str] = []
    docs = list(iter_documents([str(folder)], skipped))
    assert [d.id for d in docs] == [str(folder / "a.txt")]
    text = "\n".join(skipped)
    assert f"{folder / 'dangling.txt'}: dangling symbolic link" in text
    assert f"{folder / 'loop.txt'}: symbolic link loop" in text
    assert "symbolic link loop, not followed" in text
    assert f"{folder / 'pipe.txt'} is not a regular file" in text


def test_unreadable_subfolder_is_listed_in_skipped(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: permissions do not stop root from reading a folder")
    folder = tmp_path / "docs"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(SEED_SOURCE, folder / "a.txt")
    (folder / "locked").chmod(0)
    try:
        skipped: list[str] = []
        assert len(list(iter_documents([str(folder)], skipped))) == 1
        assert any("cannot read folder" in s and "locked" in s for s in skipped)
    finally:
        (folder / "locked").chmod(0o755)


def test_fifo_as_input_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "not a regular file" in one_line_error(run("compare", str(fifo), str(SEED_COPY), timeout=60))
    records = tmp_path / "records.jsonl"
    os.mkfifo(records)
    assert "not a regular file" in one_line_error(run("cluster", "--input", str(records), "-q", timeout=60))
    p = run("index", "add", str(SEED_SOURCE), str(records), "--db", str(tmp_path / "x.db"), timeout=60)
    assert (
        p.returncode == 0 and "added 1" in p.stdout and f"skipped {records} is not a regular file" in p.stderr
    )


def test_failure_while_writing_leaves_the_previous_report_whole(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import provcheck.report.htmlpage as htmlpage
    import provcheck.report.overview as overview

    out = tmp_path / "report"
    result = api.cluster([str(CORPUS)])
    api.write_cluster_report(result, out, [str(CORPUS)])
    before = report_files(out)

    def dies(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt  # as a kill would stop it, after the member pages were written

    monkeypatch.setattr(htmlpage, "render_html", lambda *a, **k: "<p>new page</p>")
    monkeypatch.setattr(overview, "render_overview", dies)
    with pytest.raises(KeyboardInterrupt):
        api.write_cluster_report(result, out, [str(CORPUS)])
    assert report_files(out) == before  # no new member page beside the old overview
    assert [p.name for p in tmp_path.iterdir()] == ["report"]
