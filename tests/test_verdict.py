"""What people see first: the verdict line says "tampered" (terminal, JSON, HTML), the plain-text
report marks every finding without colour, deletions show their source text, ``--summary`` fits one
screen, and every front end gives the one "suspect derived" figure."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provcheck.api import compare
from provcheck.cli import app
from provcheck.model import Document, Report
from provcheck.report.htmlpage import render_html
from provcheck.report.jsonout import report_to_dict
from provcheck.report.verdict import verdict_of
from tests.cases import SEED_COPY, SEED_SOURCE, read
from tests.cases.pair import body, paragraphs, splice_spam

runner = CliRunner()


def tampered_case() -> tuple[str, str, str]:
    """The seed article's body with two figures altered, spam spliced at two places and its fourth
    paragraph deleted; returns (source, suspect, the deleted paragraph)."""
    source = body(read(SEED_SOURCE))
    suspect = splice_spam(source).suspect.replace("92个", "97个", 1).replace("企业400家", "企业450家", 1)
    paras = paragraphs(suspect)
    gone = paras.pop(3)
    return source, "\n".join(paras), gone


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    root = tmp_path_factory.mktemp("verdict")
    source, suspect, gone = tampered_case()
    (root / "src.txt").write_text(source, encoding="utf-8")
    (root / "sus.txt").write_text(suspect, encoding="utf-8")
    return root / "src.txt", root / "sus.txt", gone


@pytest.fixture(scope="module")
def report(files: tuple[Path, Path, str]) -> Report:
    return compare(files[0], files[1])


def test_verdict_names_the_tampering(report: Report) -> None:
    v = verdict_of(report)
    assert v.headline == "Copy, tampered: 2 figures altered, spam spliced at 2 places"
    assert v.headline_zh == "转载，已篡改：2 处数字被改，2 处植入广告"
    assert v.tampered and dict(v.signs) == {"altered_number": 2, "spliced_spam": 2}


def test_a_clean_copy_is_not_tampered() -> None:
    text = body(read(SEED_SOURCE))
    v = verdict_of(compare(Document("a.txt", text), Document("b.txt", "首页 > 新闻\n" + text)))
    assert not v.tampered and v.headline == "Copy, not tampered: no figure altered, no spam spliced"


def test_json_carries_the_verdict_machine_readable(report: Report) -> None:
    d = report_to_dict(report)["verdict"]
    assert d["tampered"] is True
    assert d["tampering"] == {"altered_number": 2, "spliced_spam": 2}
    assert d["headline"].startswith("Copy, tampered:") and d["edits"]["deleted"] >= 1


def test_html_states_the_verdict_first(report: Report) -> None:
    page = render_html(report)
    main = page[page.index("<main>") :]
    first_text = re.sub(r"<[^>]+>", " ", main[: main.index("</h1>") + 300])
    assert "Copy, tampered: 2 figures altered, spam spliced at 2 places" in first_text


def test_plain_text_report_marks_every_finding_and_shows_deletions(
    files: tuple[Path, Path, str], tmp_path: Path
) -> None:
    out = tmp_path / "r.txt"
    result = runner.invoke(app, ["compare", str(files[0]), str(files[1]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "\x1b[" not in text  # no colour codes in a file
    assert text.splitlines()[0].startswith("Copy, tampered: 2 figures altered, spam spliced at 2 places")
    flat = "".join(text.split())  # the report wraps lines at 100 columns
    assert "[spam:开元棋牌]" in flat and "[spam:欢迎访问某某娱乐官方网站，注册即送体验金。]" in flat
    assert "[num:97(source92)]" in flat and "[num:450(source400)]" in flat
    assert "[del:" + "".join(files[2].split()) + "]" in flat  # the deleted paragraph, in full


def test_piped_terminal_report_has_the_same_marks(files: tuple[Path, Path, str]) -> None:
    result = runner.invoke(app, ["compare", str(files[0]), str(files[1])])
    assert result.exit_code == 0
    flat = "".join(result.stdout.split())
    assert "[spam:开元棋牌]" in flat and "[num:97(source92)]" in flat


def test_the_seed_copy_shows_its_stripped_byline() -> None:
    result = runner.invoke(app, ["compare", str(SEED_SOURCE), str(SEED_COPY)])
    flat = "".join(result.stdout.split())
    assert "[del:□文/摄本报记者刘莉李爱民]" in flat
    assert "[spam:开云电子]" in flat and "[chrome:新闻中心News]" in flat


def test_summary_fits_one_screen(files: tuple[Path, Path, str]) -> None:
    for a, b in ((SEED_SOURCE, SEED_COPY), (files[0], files[1])):
        result = runner.invoke(app, ["compare", str(a), str(b), "--summary"])
        assert result.exit_code == 0
        lines = result.stdout.splitlines()
        assert len(lines) <= 24, len(lines)
        assert re.match(r"(Copy|Rewritten), tampered: ", lines[0])
    assert "[num] 97 (source 92)" in result.stdout and "[spam] 开元棋牌" in result.stdout


def test_one_derived_figure_everywhere() -> None:
    r = compare(SEED_SOURCE, SEED_COPY)
    d = report_to_dict(r)
    share = d["stats"]["suspect_derived"]
    text = runner.invoke(app, ["compare", str(SEED_SOURCE), str(SEED_COPY), "--summary"]).stdout
    shown = re.search(r"suspect derived (\S+) \((\d+) of (\d+) content characters", " ".join(text.split()))
    assert shown is not None
    assert int(shown.group(2)) == d["stats"]["derived_chars"]
    assert abs(int(shown.group(2)) / int(shown.group(3)) - share) < 0.001
    expected = ">99%" if 0.995 <= share < 1.0 else f"{share:.0%}"  # never rounded up to 100%
    assert shown.group(1) == expected
    page = render_html(r)
    assert f"suspect derived · 疑似稿来源于原文: <b>{expected.replace('>', '&gt;')}</b>" in page
    assert f"{shown.group(2)} of {shown.group(3)}" in page


def test_json_output_reads_as_json(files: tuple[Path, Path, str]) -> None:
    result = runner.invoke(app, ["compare", str(files[0]), str(files[1]), "--format", "json"])
    assert json.loads(result.stdout)["verdict"]["tampered"] is True
