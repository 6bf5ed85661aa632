"""The HTML report and the web page in a real browser: Debian's Chromium driven by playwright.

Skips (with the reason) where Chromium or playwright is missing; set CHROMIUM to use another binary.
Screenshots go to the test's tmp dir (``--basetemp`` to keep them somewhere known).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from provcheck.pair.comparer import Provcheck
from provcheck.report.htmlpage import render_html
from provcheck.text.read import document_from_text, read_document

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).is_file():
    pytest.skip(
        f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set CHROMIUM) to run the browser tests",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: pip install -e '.[dev]'"
)

ROOT = Path(__file__).resolve().parents[1]
NEGATIVES_TEXT = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("00[234]_*.txt"))]
SOURCE = ROOT / "corpus" / "001_f774ca4a0bf60419.txt"
SUSPECT = ROOT / "corpus" / "000_4220fd22daa105e4.txt"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAPTOP = {"width": 1366, "height": 768}
# Each payload, if it ever ran, would set window.__xss or change the title.
PAYLOADS = (
    "<script>window.__xss='script';document.title='pwned'</script>"
    "<img src=x onerror=\"window.__xss='img'\">"
    "</style><script>window.__xss='style-break'</script>"
    "<a id=jsurl href=\"javascript:window.__xss='href'\">点我 click</a>"
    "<svg onload=\"window.__xss='svg'\"></svg>"
    "<iframe src=\"javascript:parent.__xss='iframe'\"></iframe>"
    "<body onload=\"window.__xss='body'\">"
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, viewport=LAPTOP
        )
        try:
            yield context
        finally:
            context.close()


class Loaded:
    """A page plus what it asked the network for, what it logged and any dialog it opened."""

    def __init__(self, context: Any, path: Path) -> None:
        self.page = context.new_page()
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.url, wait_until="load")
        self.page.wait_for_timeout(300)  # let anything that would run, run

    def texts(self, selector: str) -> list[str]:
        return self.page.eval_on_selector_all(selector, "els => els.map(e => e.textContent)")

    def close(self) -> None:
        self.page.close()


@pytest.fixture(scope="module")
def pc() -> Provcheck:
    return Provcheck()


@pytest.fixture
def load(browser: Any, tmp_path: Path) -> Iterator[Any]:
    pages: list[Loaded] = []

    def _load(html: str, name: str = "report.html") -> Loaded:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        pages.append(Loaded(browser, path))
        return pages[-1]

    yield _load
    for p in pages:
        p.close()


def test_seed_report_marks_and_screenshot(pc: Provcheck, load: Any, tmp_path: Path) -> None:
    report = pc.compare(SOURCE, SUSPECT)
    view = load(render_html(report))
    page = view.page
    assert view.requests == [view.url]  # self-contained: nothing else fetched
    assert view.errors == []  # a CSP violation (e.g. a wrong style hash) would be logged here
    assert page.title() == f"provcheck: {SUSPECT}"
    assert page.text_content("[data-relation]") == "Rewritten · 洗稿"
    assert "开云电子" in view.texts("td.sus mark.f-spliced_spam")
    boiler = "".join(view.texts("td.sus mark.f-boilerplate"))
    assert "新闻中心News" in boiler and "浏览次数" in boiler
    assert "□文/摄 本报记者 刘莉 李爱民" in view.texts("td.src mark.f-deleted")
    # the row holding the spliced brand shows the source sentence it was spun from
    row = page.locator("tr.pair", has=page.locator("mark.f-spliced_spam", has_text="开云电子"))
    assert "签署推进厅市共建龙江职业教育创新发展样板协议" in row.locator("td.src").inner_text()
    # the stylesheet applied (its CSP hash is right) and every finding class has its own colour
    colours = page.eval_on_selector_all(
        "table.counts mark.swatch", "els => els.map(e => getComputedStyle(e).backgroundColor)"
    )
    assert len(colours) == 8 and len(set(colours)) == 8 and "rgba(0, 0, 0, 0)" not in colours
    spam_bg = page.eval_on_selector("td.sus mark.f-spliced_spam", "e => getComputedStyle(e).backgroundColor")
    assert spam_bg == "rgb(246, 198, 239)"
    # usable on a laptop screen: nothing wider than the window
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot = tmp_path / "seed-report.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 20_000
    page.locator("#texts").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "seed-report-texts.png"))


def test_changed_rows_only_hides_unchanged_pairs_without_script(pc: Provcheck, load: Any) -> None:
    original = read_document(SOURCE).text
    tampered = original.replace("16个优质专业", "18个优质专业", 1)
    report = pc.compare(
        document_from_text(original, "source.txt"), document_from_text(tampered, "tampered.txt")
    )
    view = load(render_html(report))
    page = view.page
    visible = "els => els.filter(e => e.offsetParent !== null).length"
    total = page.eval_on_selector_all("table.sbs tbody tr", visible)
    page.click("text=Show changed rows only · 只看改动")
    assert page.eval_on_selector_all("table.sbs tbody tr", visible) == 1  # the row with the altered number
    assert page.locator("td.sus mark.f-altered_number").is_visible()
    page.click("text=Show all rows · 显示全部")
    assert page.eval_on_selector_all("table.sbs tbody tr", visible) == total > 50


def test_hovering_an_altered_number_shows_the_source_value(pc: Provcheck, load: Any) -> None:
    original = read_document(SOURCE).text
    tampered = original.replace("16个优质专业", "18个优质专业", 1)
    assert tampered != original
    report = pc.compare(
        document_from_text(original, "source.txt"), document_from_text(tampered, "tampered.txt")
    )
    view = load(render_html(report))
    mark = view.page.locator("td.sus mark.f-altered_number")
    assert mark.count() == 1 and mark.inner_text() == "18"
    assert "16" in (mark.get_attribute("title") or "")
    tooltip = "e => getComputedStyle(e, '::after').content"
    assert mark.evaluate(tooltip) in ("none", "normal", "")
    mark.hover()
    assert mark.evaluate(tooltip) == '"source 原文: 16"'


def _hostile_page(pc: Provcheck, as_html_page: bool = False) -> str:
    original = read_document(SOURCE).text
    hostile = original.replace("在刚刚启幕的", PAYLOADS + "在刚刚启幕的", 1)
    if as_html_page:
        hostile = "<!DOCTYPE html><html><head><script>window.__xss='head'</script></head><body>" + hostile
    name = "<script>window.__xss='name'</script>.txt"
    suspect = document_from_text(hostile, name)
    assert suspect.kind == ("html" if as_html_page else "text")
    return render_html(pc.compare(document_from_text(original, "source.txt"), suspect))


SUSPECT_TEXT_JS = """Array.from(document.querySelectorAll('td.sus .sent')).map(d => {
  const c = d.cloneNode(true); c.querySelectorAll('.ix').forEach(x => x.remove()); return c.textContent;
}).join('')"""


def _ran(view: Loaded) -> Any:
    return view.page.evaluate("window.__xss === undefined ? null : window.__xss")


def test_planted_payloads_never_run(pc: Provcheck, load: Any) -> None:
    html = _hostile_page(pc)
    view = load(html)
    page = view.page
    page.click("#texts")  # clicking around the texts runs nothing either
    assert _ran(view) is None and view.dialogs == []
    assert page.title() == "provcheck: <script>window.__xss='name'</script>.txt"
    assert (
        page.evaluate("document.querySelectorAll('script, img, iframe, svg, [onload], [onerror]').length")
        == 0
    )
    assert page.evaluate("document.querySelectorAll('a[href^=\"javascript\"]').length") == 0
    shown = page.evaluate(SUSPECT_TEXT_JS)
    assert re.sub(r"\s+", "", PAYLOADS) in re.sub(r"\s+", "", shown)  # shown to the editor as text
    assert view.requests == [view.url]
    # escaping alone holds: the same page without its Content-Security-Policy runs nothing either
    bare = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    assert bare != html
    unguarded = load(bare, "no-csp.html")
    assert _ran(unguarded) is None and unguarded.dialogs == []


def test_a_hostile_html_page_runs_nothing_either(pc: Provcheck, load: Any) -> None:
    view = load(_hostile_page(pc, as_html_page=True))
    assert _ran(view) is None and view.dialogs == [] and view.requests == [view.url]
    assert view.page.evaluate("document.querySelectorAll('script, img, iframe, svg').length") == 0
    assert "在刚刚启幕的" in view.page.evaluate(SUSPECT_TEXT_JS)  # shown as its extracted text


def test_the_detector_would_see_a_payload_that_ran(load: Any) -> None:
    """Positive control: the same payloads, not escaped, do run and are seen by the checks above."""
    view = load(
        f"<!DOCTYPE html><html><head><title>t</title></head><body>{PAYLOADS}</body></html>", "raw.html"
    )
    assert _ran(view) is not None
    assert view.page.title() == "pwned"


def test_print_layout_shows_everything(pc: Provcheck, load: Any, tmp_path: Path) -> None:
    view = load(render_html(pc.compare(SOURCE, SUSPECT)))
    page = view.page
    page.emulate_media(media="print")
    assert page.eval_on_selector(".subs-box", "e => getComputedStyle(e).maxHeight") == "none"
    assert (
        page.eval_on_selector("td.sus mark.f-spliced_spam", "e => getComputedStyle(e).printColorAdjust")
        == "exact"
    )
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", landscape=True)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 50_000


# ------------------------------------------------------------------ the web page, served for real


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    uvicorn = pytest.importorskip("uvicorn", reason="the web extra is not installed")
    from provcheck.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


def test_editor_pastes_and_uploads_and_gets_the_report(browser: Any, server: str, tmp_path: Path) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(server + "/")
        page.fill("textarea[name=source_text]", SOURCE.read_text(encoding="utf-8"))
        gb = tmp_path / "疑似稿.txt"
        gb.write_bytes(SUSPECT.read_text(encoding="utf-8").encode("gb18030"))
        page.set_input_files("input[name=suspect_file]", str(gb))
        page.screenshot(path=str(tmp_path / "form.png"))
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert page.url == server + "/report"
        assert page.text_content("[data-relation]") == "Rewritten · 洗稿"
        assert "开云电子" in page.eval_on_selector_all(
            "td.sus mark.f-spliced_spam", "els => els.map(e => e.textContent)"
        )
        assert "疑似稿.txt" in page.text_content("p.docs") and "gb18030" in page.text_content("p.docs")
        assert errors == []
        page.screenshot(path=str(tmp_path / "served-report.png"))
        page.click("text=← back · 返回")
        assert page.url == server + "/"
        # an empty submission is a readable error page, not a crash
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert "no suspect" in page.text_content("#message")
    finally:
        page.close()


# ------------------------------------------------------------------ issue 12: what people see first

ARTIFACTS = Path(os.environ.get("PROVCHECK_ARTIFACTS") or ROOT / ".artifacts" / "screenshots")


def _shot(page: Any, name: str) -> None:
    """Keep a screenshot where people can look at it (not committed: .artifacts/ is ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_first_screen_shows_text_and_a_phone_never_scrolls_sideways(
    pc: Provcheck, browser: Any, tmp_path: Path
) -> None:
    path = tmp_path / "seed.html"
    path.write_text(render_html(pc.compare(SOURCE, SUSPECT)), encoding="utf-8")
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 720})
    try:
        page.goto(path.as_uri())
        assert page.inner_text("#headline").startswith("Rewritten, tampered: spam spliced at 6 places")
        first = page.eval_on_selector("td.sus .sent", "e => e.getBoundingClientRect().top")
        assert first < 720 - 40  # the texts start on the first screen
        _shot(page, "seed-report-1280x720.png")
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(100)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        _shot(page, "seed-report-390.png")
        page.set_viewport_size({"width": 1280, "height": 720})
        numbers = page.eval_on_selector_all(
            "table.list td:first-child a", "els => els.map(e => e.textContent)"
        )
        assert numbers == [str(k) for k in range(1, len(numbers) + 1)] and len(numbers) == 25
        targets = page.eval_on_selector_all(
            "table.list td:first-child a", "els => els.map(e => !!document.getElementById(e.hash.slice(1)))"
        )
        assert all(targets)
        titles = page.eval_on_selector_all("td.sus mark.f-spliced_spam", "els => els.map(e => e.title)")
        assert any("stuffed 5 times · 堆砌 5 次" in t for t in titles)
        assert any("glued to a sentence edge · 粘在句首或句尾" in t for t in titles)
    finally:
        page.close()


def test_cluster_page_names_titles_flags_tampering_and_filters(browser: Any, tmp_path: Path) -> None:
    import json

    from provcheck.api import cluster, write_cluster_report

    other = NEGATIVES_TEXT[0]
    records = [
        {"id": "r0", "title": "开云 转载稿", "text": SUSPECT.read_text(encoding="utf-8")},
        {"id": "r1", "title": "哈尔滨职业教育原文", "text": SOURCE.read_text(encoding="utf-8")},
        {"id": "r2", "title": "另一篇原文", "text": other},
        {
            "id": "r3",
            "title": "另一篇的转载",
            "text": "首页 > 新闻中心 > 正文\n" + other + "\n分享到：微信 微博\n",
        },
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    result = cluster(inputs=[str(feed)])
    assert len(result.groups) == 2
    out = tmp_path / "clusters"
    write_cluster_report(result, out, inputs=[str(feed)])
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 720})
    try:
        page.goto((out / "index.html").as_uri())
        heads = page.eval_on_selector_all("section.g h2", "els => els.map(e => e.textContent)")
        assert any("哈尔滨职业教育原文" in h for h in heads) and any("另一篇原文" in h for h in heads)
        assert "1 with tampering" in page.inner_text("p.sum")
        flags = page.eval_on_selector_all("section.g td.flag", "els => els.map(e => e.textContent)")
        assert "Rewritten, tampered: spam spliced at 6 places" in flags
        _shot(page, "cluster-overview-1280x720.png")
        visible = "els => els.filter(e => e.offsetParent !== null).length"
        assert page.eval_on_selector_all("section.g", visible) == 2
        page.click("text=Show groups with tampering only · 只看被篡改的")
        assert page.eval_on_selector_all("section.g", visible) == 1
        page.click("text=Show all groups · 显示全部")
        assert page.eval_on_selector_all("section.g", visible) == 2
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(100)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        _shot(page, "cluster-overview-390.png")
    finally:
        page.close()
