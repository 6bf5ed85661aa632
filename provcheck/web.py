"""A small web service over the library: paste or upload texts, get the HTML report or the JSON.

Only uploaded or pasted content is compared: nothing in a request is ever read as a server path.
``find`` and ``check`` search the archive index given at start-up (``db``), and nothing else.

Routes: ``GET /`` the form; ``POST /report`` the HTML report (form fields ``source_text``/``source_file``,
``suspect_text``/``suspect_file``; without a source the suspect is searched in the archive);
``POST /api/compare``, ``/api/find``, ``/api/check`` the CLI's JSON (JSON bodies ``{"source": TEXT,
"suspect": TEXT}`` or multipart fields/files ``source``, ``suspect``); ``GET /healthz``.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.middleware.trustedhost import TrustedHostMiddleware

from provcheck import api
from provcheck.api import Settings
from provcheck.errors import ConfigError, InputError, ProvcheckError, StoreError
from provcheck.model import Document
from provcheck.pair.comparer import Provcheck
from provcheck.report.archiveout import check_to_dict, find_to_dict
from provcheck.report.htmlpage import REPORT_CSS, content_security_policy, html_document, render_html
from provcheck.report.jsonout import report_to_dict
from provcheck.report.traceout import TRACE_PAGE_CSS, trace_to_dict, trace_to_html
from provcheck.text.read import decode_bytes, document_from_text

__all__ = ["ServeConfig", "create_app"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ServeConfig:
    max_document_bytes: int = 2_000_000  # per source or suspect (UTF-8 bytes of pasted text, or the upload)
    max_request_bytes: int = 4_500_000  # whole request body, multipart overhead included
    top: int = 5  # candidates returned by find
    # Host headers answered (empty: any). On a loopback address only local names are, so a web page
    # cannot reach the service by pointing its own host name at 127.0.0.1 (DNS rebinding).
    allowed_hosts: tuple[str, ...] = ()

    @classmethod
    def for_address(cls, host: str, **limits: Any) -> ServeConfig:
        """Limits plus the host names to accept when bound to ``host``."""
        local = ("127.0.0.1", "localhost", "::1", "[::1]")
        loopback = host in local or host.startswith("127.")
        return cls(allowed_hosts=(*local, host) if loopback else (), **limits)


class HTTPProblem(Exception):
    """A client error: ``status`` and a one-line ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


FORM_CSS = """
body{margin:0;font:15px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC","PingFang SC",
"Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;color:#1d1d1f}
main{max-width:1200px;margin:0 auto;padding:16px 20px}
h1{font-size:20px;margin:0 0 4px}p{margin:4px 0 12px;color:#5f6368}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:16px}
fieldset{border:1px solid #d9d9de;border-radius:8px;padding:8px 12px}legend{font-weight:600}
textarea{width:100%;height:320px;font-family:inherit;font-size:14px;line-height:1.5;resize:vertical}
button{margin-top:12px;padding:8px 22px;font-size:15px;border-radius:6px;border:1px solid #444;background:#222;
color:#fff;cursor:pointer}
@media (max-width:760px){.cols{grid-template-columns:1fr}}
"""


def _form_page(db: bool, config: ServeConfig) -> str:
    limit = f"{config.max_document_bytes / 1_000_000:g} MB"
    archive = (
        "Leave the source empty to search the archive index for it. · 原文留空则在档案库中查找。"
        if db
        else "This server has no archive index: give both texts. · 本服务未配置档案库，请提供两篇文本。"
    )
    side = (
        '<fieldset><legend>{label}</legend><textarea name="{role}_text" placeholder="{hint}"></textarea>'
        '<p>or upload a file · 或上传文件 (≤ {limit}): <input type="file" name="{role}_file" accept=".txt,.md,.html,.htm,text/*"></p>'
        "</fieldset>"
    )
    body = (
        "<main><h1>provcheck · 溯源比对</h1>"
        "<p>Paste or upload the original and the suspect copy; the report shows what changed, sentence by sentence. "
        "· 粘贴或上传原文与疑似稿，逐句显示改动。</p>"
        f"<p>{archive}</p>"
        '<form method="post" action="/report" enctype="multipart/form-data"><div class="cols">'
        + side.format(label="Source · 原文", role="source", hint="原文 / original article", limit=limit)
        + side.format(label="Suspect · 疑似稿", role="suspect", hint="疑似稿 / suspect copy", limit=limit)
        + '</div><button type="submit">Compare · 比对</button></form></main>'
    )
    return html_document("provcheck", body, FORM_CSS, form_action="'self'")


def _html(page: str, css: str, status: int = 200, form_action: str = "'none'") -> HTMLResponse:
    return HTMLResponse(
        page, status, headers={"Content-Security-Policy": content_security_policy(css, form_action)}
    )


def _error_page(problem: HTTPProblem) -> HTMLResponse:
    body = (
        f'<main><h1>provcheck: cannot compare · 无法比对</h1><p id="error">{_escape(problem.message)}</p>'
        '<p><a href="/">← back · 返回</a></p></main>'
    )
    return _html(html_document("provcheck: error", body), REPORT_CSS, problem.status)


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


# ------------------------------------------------------------------ reading requests


async def _body(request: Request, config: ServeConfig) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > config.max_request_bytes:
        raise HTTPProblem(413, f"request too large: over {config.max_request_bytes} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > config.max_request_bytes:
            raise HTTPProblem(413, f"request too large: over {config.max_request_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _name(filename: str | None, role: str) -> str:
    """A display name for an upload: the bare file name, never a path that is used."""
    base = PureWindowsPath(PurePosixPath(filename or "").name).name.strip()
    base = "".join(c for c in base if c.isprintable())[:200]
    return base or f"{role} (upload)"


async def _fields(request: Request, config: ServeConfig) -> dict[str, tuple[str, bytes | str]]:
    """``{field: (display name, bytes of an upload | pasted text)}`` for the non-empty fields."""
    data = await _body(request, config)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    out: dict[str, tuple[str, bytes | str]] = {}
    if ctype == "application/json":
        try:
            obj = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise HTTPProblem(400, "body is not valid JSON") from None
        if not isinstance(obj, dict):
            raise HTTPProblem(400, 'JSON body must be an object like {"source": "...", "suspect": "..."}')
        for key, value in obj.items():
            if value is None:
                continue
            if key in ("fail_on", "max_score"):
                out[key] = ("", json.dumps(value))
            elif not isinstance(value, str):
                raise HTTPProblem(400, f"field {key!r} must be a string")
            else:
                out[key] = (f"{key} (pasted)", value)
        return out
    if ctype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise HTTPProblem(
            415, "send JSON or a form (multipart/form-data or application/x-www-form-urlencoded)"
        )

    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": data, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(
            max_files=4, max_fields=16, max_part_size=config.max_request_bytes
        )
    except Exception as exc:  # starlette raises its own parse errors; all mean a malformed form
        raise HTTPProblem(
            400, f"malformed form data: {str(exc).splitlines()[0] if str(exc) else 'cannot parse'}"
        ) from None
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            content = await value.read()
            if content or value.filename:
                out[key] = (_name(value.filename, key.removesuffix("_file")), content)
        elif value:
            out[key] = (f"{key.removesuffix('_text')} (pasted)", value)
    return out


def _document(
    fields: dict[str, tuple[str, bytes | str]], role: str, config: ServeConfig, encoding: str | None
) -> Document | None:
    given = [k for k in (role, f"{role}_text", f"{role}_file") if k in fields]
    texts = [k for k in given if isinstance(fields[k][1], str) and str(fields[k][1]).strip()]
    files = [k for k in given if isinstance(fields[k][1], bytes)]
    if len(texts) + len(files) > 1:
        raise HTTPProblem(400, f"give the {role} once: either pasted text or one file")
    if not texts and not files:
        if given:
            raise HTTPProblem(400, f"the {role} is empty")
        return None
    name, value = fields[(texts or files)[0]]
    size = len(value) if isinstance(value, bytes) else len(value.encode("utf-8", "surrogatepass"))
    if size > config.max_document_bytes:
        raise HTTPProblem(413, f"the {role} is too large: {size} bytes, limit {config.max_document_bytes}")
    try:
        if isinstance(value, bytes):
            text, enc = decode_bytes(value, name, encoding)
            return document_from_text(text, name, enc)
        return document_from_text(value, name)
    except InputError as exc:
        raise HTTPProblem(400, str(exc)) from None


def _gate_options(fields: dict[str, tuple[str, bytes | str]]) -> tuple[list[str], float | None]:
    fail_on: list[str] = []
    max_score: float | None = None
    raw = fields.get("fail_on", ("", ""))[1]
    if raw:
        value = json.loads(raw) if isinstance(raw, str) and raw.startswith(("[", '"')) else raw
        if isinstance(value, bytes):
            raise HTTPProblem(400, "fail_on must be text")
        items = value if isinstance(value, list) else str(value).split(",")
        fail_on = [str(x).strip() for x in items if str(x).strip()]
    raw = fields.get("max_score", ("", ""))[1]
    if raw:
        try:
            max_score = float(raw)
        except (TypeError, ValueError):
            raise HTTPProblem(400, "max_score must be a number in [0, 1]") from None
    return fail_on, max_score


# ------------------------------------------------------------------ the app


def create_app(
    settings: Settings | None = None, db: str | Path | None = None, config: ServeConfig | None = None
) -> FastAPI:
    """The web app: one :class:`~provcheck.pair.comparer.Provcheck` session, ``db`` the archive index (optional)."""
    cfg = config or ServeConfig()
    settings = settings or Settings()
    pc = Provcheck(settings)
    lock = threading.Lock()  # one comparison at a time: the session's loaded resources are shared
    db_path = Path(db) if db is not None else None
    app = FastAPI(title="provcheck", docs_url=None, redoc_url=None, openapi_url=None)
    if cfg.allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(dict.fromkeys(cfg.allowed_hosts)))

    def compare(source: Document, suspect: Document) -> Any:
        with lock:
            return pc.compare(source, suspect)

    def archive_call(method: str, suspect: Document, *args: Any) -> Any:
        if db_path is None:
            raise HTTPProblem(
                501, "this server has no archive index: start it with --db DB, or give a source"
            )
        with lock, api.open_archive(db_path, settings) as archive:
            return getattr(archive, method)(suspect, *args)

    def find_and_trace(suspect: Document) -> tuple[Any, Any]:
        """The candidate list and the passage trace of ``suspect``, in one archive session."""
        from provcheck.archive.trace import Tracer

        if db_path is None:
            archive_call("find", suspect)  # raises the 501
        with lock, api.open_archive(db_path, settings) as archive:
            return archive.find(suspect, cfg.top), Tracer(archive, settings.trace).trace(suspect)

    async def run(fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return await run_in_threadpool(fn, *args)
        except StoreError as exc:
            raise HTTPProblem(503, f"archive index unavailable: {exc}") from None
        except (InputError, ConfigError) as exc:
            raise HTTPProblem(400, str(exc)) from None
        except ProvcheckError as exc:
            raise HTTPProblem(422, str(exc)) from None

    async def inputs(request: Request, need_source: bool) -> tuple[Document | None, Document, dict[str, Any]]:
        fields = await _fields(request, cfg)
        suspect = _document(fields, "suspect", cfg, pc.settings.encoding)
        source = _document(fields, "source", cfg, pc.settings.encoding)
        if suspect is None:
            raise HTTPProblem(400, "no suspect: paste it or upload a file")
        if need_source and source is None:
            raise HTTPProblem(400, "no source: paste it or upload a file")
        return source, suspect, fields

    def json_route(handler: Callable[[Request], Awaitable[Any]]) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                return JSONResponse(await handler(request))
            except HTTPProblem as problem:
                return JSONResponse({"error": problem.message}, problem.status)
            except Exception as exc:  # a bug: log it, answer one line
                log.exception("internal error on %s", request.url.path)
                return JSONResponse({"error": f"internal error ({exc.__class__.__name__})"}, 500)

        return endpoint

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", "default-src 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.get("/", response_class=HTMLResponse)
    async def form() -> Response:
        return _html(_form_page(db_path is not None, cfg), FORM_CSS, form_action="'self'")

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "archive": db_path is not None}

    @app.post("/report", response_class=HTMLResponse)
    async def report_page(request: Request) -> Response:
        try:
            source, suspect, _ = await inputs(request, need_source=False)
            if source is not None:
                report = await run(compare, source, suspect)
            else:  # the passage trace, the candidate list, then the best match's report
                found, traced = await run(find_and_trace, suspect)
                report = found.best.report if found.best is not None else None
                if report is None and not traced.sources:
                    raise HTTPProblem(404, "nothing in the archive index is related to this suspect")
                best = render_html(report, back_href="/") if report is not None else ""
                best = best.split("<body>\n", 1)[-1].rsplit("\n</body>", 1)[0]
                page = trace_to_html(traced, suspect.text, find_to_dict(found)["candidates"], best)
                return _html(page, TRACE_PAGE_CSS)
            return _html(render_html(report, back_href="/"), REPORT_CSS)
        except HTTPProblem as problem:
            return _error_page(problem)
        except Exception as exc:  # a bug: log it, show one line
            log.exception("internal error on /report")
            return _error_page(HTTPProblem(500, f"internal error ({exc.__class__.__name__})"))

    async def api_compare(request: Request) -> Any:
        source, suspect, _ = await inputs(request, need_source=True)
        assert source is not None
        return report_to_dict(await run(compare, source, suspect))

    async def api_find(request: Request) -> Any:
        _, suspect, _ = await inputs(request, need_source=False)
        return find_to_dict(await run(archive_call, "find", suspect, cfg.top))

    async def api_check(request: Request) -> Any:
        _, suspect, fields = await inputs(request, need_source=False)
        fail_on, max_score = _gate_options(fields)
        return check_to_dict(await run(archive_call, "check", suspect, fail_on, max_score, cfg.top))

    app.add_api_route("/api/compare", json_route(api_compare), methods=["POST"])
    app.add_api_route("/api/find", json_route(api_find), methods=["POST"])

    async def api_trace(request: Request) -> Any:
        _, suspect, _ = await inputs(request, need_source=False)
        found, traced = await run(find_and_trace, suspect)
        return {**trace_to_dict(traced), "candidates": find_to_dict(found)["candidates"]}

    app.add_api_route("/api/check", json_route(api_check), methods=["POST"])
    app.add_api_route("/api/trace", json_route(api_trace), methods=["POST"])
    return app
