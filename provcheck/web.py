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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from provcheck import api
from provcheck.api import Settings
from provcheck.errors import InputError, ProvcheckError
from provcheck.model import Document
from provcheck.report.htmlpage import REPORT_CSS, content_security_policy, html_document
from provcheck.report.traceout import TRACE_PAGE_CSS
from provcheck.serving import HTTPProblem, PoolConfig, WorkerPool
from provcheck.text.read import decode_bytes, document_from_text

__all__ = ["HTTPProblem", "ServeConfig", "create_app"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ServeConfig:
    max_document_bytes: int = 2_000_000  # per source or suspect (UTF-8 bytes of pasted text, or the upload)
    max_request_bytes: int = 4_500_000  # whole request body, multipart overhead included
    top: int = 5  # candidates returned by find
    # Host headers answered (empty: any). On a loopback address only local names are, so a web page
    # cannot reach the service by pointing its own host name at 127.0.0.1 (DNS rebinding).
    allowed_hosts: tuple[str, ...] = ()
    workers: int = 0  # worker processes for compares (0: in the server process, one at a time)
    time_limit: float = 60.0  # seconds a request's work may run in a worker before it is stopped
    heavy_bytes: int = 100_000  # requests with more text are heavy: they never take the last worker

    @classmethod
    def for_address(cls, host: str, **limits: Any) -> ServeConfig:
        """Limits plus the host names to accept when bound to ``host``."""
        local = ("127.0.0.1", "localhost", "::1", "[::1]")
        loopback = host in local or host.startswith("127.")
        return cls(allowed_hosts=(*local, host) if loopback else (), **limits)


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
.message{padding:8px 12px;border-radius:6px;background:#fff4e5;border-left:4px solid #ef6c00;color:#1d1d1f}
@media (max-width:760px){.cols{grid-template-columns:1fr}main{padding:10px 8px}}
"""


def _form_page(
    db: bool, config: ServeConfig, texts: dict[str, str] | None = None, message: str | None = None
) -> str:
    """The form; ``texts`` refills the source and suspect (so nothing pasted is lost), ``message``
    says above it what happened (nothing related found, or why the texts could not be compared)."""
    texts = texts or {}
    limit = f"{config.max_document_bytes / 1_000_000:g} MB"
    archive = (
        "Leave the source empty to search the archive index for it. · 原文留空则在档案库中查找。"
        if db
        else "This server has no archive index: give both texts. · 本服务未配置档案库，请提供两篇文本。"
    )
    side = (
        '<fieldset><legend>{label}</legend><textarea name="{role}_text" placeholder="{hint}">{text}</textarea>'
        '<p>or upload a file · 或上传文件 (≤ {limit}): <input type="file" name="{role}_file" accept=".txt,.md,.html,.htm,text/*"></p>'
        "</fieldset>"
    )
    note = f'<p id="message" class="message">{_escape(message)}</p>' if message else ""
    body = (
        "<main><h1>provcheck · 溯源比对</h1>"
        + note
        + "<p>Paste or upload the original and the suspect copy; the report shows what changed, sentence by sentence. "
        "· 粘贴或上传原文与疑似稿，逐句显示改动。</p>"
        f"<p>{archive}</p>"
        '<form method="post" action="/report" enctype="multipart/form-data"><div class="cols">'
        + "".join(
            side.format(label=label, role=role, hint=hint, limit=limit, text=_escape(texts.get(role, "")))
            for label, role, hint in (
                ("Source · 原文", "source", "原文 / original article"),
                ("Suspect · 疑似稿", "suspect", "疑似稿 / suspect copy"),
            )
        )
        + '</div><button type="submit">Compare · 比对</button></form></main>'
    )
    return html_document("provcheck", body, FORM_CSS, form_action="'self'")


def _html(page: str, css: str, status: int = 200, form_action: str = "'none'") -> HTMLResponse:
    return HTMLResponse(
        page, status, headers={"Content-Security-Policy": content_security_policy(css, form_action)}
    )


def _host(header: str) -> str:
    """The host name of a Host header, without its port: ``[::1]:8000`` -> ``[::1]``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


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
            obj = json.loads(data, object_pairs_hook=_no_doubles)
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
    keys = [key for key, _ in form.multi_items()]
    doubled = sorted({k for k in keys if keys.count(k) > 1})
    if doubled:
        raise HTTPProblem(400, f"field {doubled[0]!r} given more than once")
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            content = await value.read()
            if content or value.filename:
                out[key] = (_name(value.filename, key.removesuffix("_file")), content)
        elif value:
            out[key] = (f"{key.removesuffix('_text')} (pasted)", value)
    return out


def _no_doubles(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    doubled = sorted({k for k in keys if keys.count(k) > 1})
    if doubled:
        raise HTTPProblem(400, f"field {doubled[0]!r} given more than once")
    return dict(pairs)


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
    """The web app over ``db``, the archive index (optional). Compares run in ``config.workers``
    worker processes with a time limit each (0: in this process, one at a time)."""
    cfg = config or ServeConfig()
    settings = settings or Settings()
    db_path = Path(db) if db is not None else None
    pool = WorkerPool(settings, db_path, cfg.top, PoolConfig(cfg.workers, cfg.time_limit, cfg.heavy_bytes))
    app = FastAPI(title="provcheck", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.pool = pool
    app.router.on_shutdown.append(pool.close)
    hosts = {h.lower() for h in cfg.allowed_hosts}

    async def inputs(
        request: Request, need_source: bool
    ) -> tuple[Document | None, Document, dict[str, tuple[str, bytes | str]]]:
        fields = await _fields(request, cfg)
        suspect = _document(fields, "suspect", cfg, settings.encoding)
        source = _document(fields, "source", cfg, settings.encoding)
        if suspect is None:
            raise HTTPProblem(400, "no suspect: paste it or upload a file")
        if need_source and source is None:
            raise HTTPProblem(400, "no source: paste it or upload a file")
        return source, suspect, fields

    async def work(request: Request, kind: str, *docs_and_args: Any) -> Any:
        size = sum(len(d.text) for d in docs_and_args if isinstance(d, Document))
        return await pool.run(
            kind, *docs_and_args, heavy=size > cfg.heavy_bytes, gone=request.is_disconnected
        )

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
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if hosts and _host(request.headers.get("host", "")) not in hosts:
            response: Response = JSONResponse(
                {"error": "this service answers only requests to a local host name"}, 400
            )
        else:
            response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", "default-src 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: f"no such page: {request.url.path}", 405: f"{request.method} is not allowed here"}
        message = messages.get(exc.status_code) or str(exc.detail).splitlines()[0]
        return JSONResponse({"error": message}, exc.status_code, headers=getattr(exc, "headers", None))

    @app.get("/", response_class=HTMLResponse)
    async def form() -> Response:
        return _html(_form_page(db_path is not None, cfg), FORM_CSS, form_action="'self'")

    @app.get("/healthz")
    async def healthz() -> Response:
        if db_path is None:
            return JSONResponse({"status": "ok", "archive": False})
        try:
            documents = await run_in_threadpool(_check_index, db_path, settings)
        except ProvcheckError as exc:
            return JSONResponse({"status": "error", "archive": True, "error": str(exc)}, 503)
        return JSONResponse({"status": "ok", "archive": True, "documents": documents})

    @app.post("/report", response_class=HTMLResponse)
    async def report_page(request: Request) -> Response:
        fields: dict[str, tuple[str, bytes | str]] = {}
        try:
            fields = await _fields(request, cfg)
            suspect = _document(fields, "suspect", cfg, settings.encoding)
            source = _document(fields, "source", cfg, settings.encoding)
            if suspect is None:
                raise HTTPProblem(400, "no suspect: paste it or upload a file · 请提供疑似稿")
            page = await work(request, "page", source, suspect)
            if page is None:
                message = (
                    "Nothing in the archive index is related to this suspect. Paste a source to compare "
                    "it with. · 档案库中没有与此疑似稿相关的文章，可粘贴原文进行比对。"
                )
                return _html(
                    _form_page(True, cfg, _texts(fields, settings), message), FORM_CSS, form_action="'self'"
                )
            kind, html = page
            return _html(html, TRACE_PAGE_CSS if kind == "trace" else REPORT_CSS)
        except HTTPProblem as problem:
            page = _form_page(
                db_path is not None,
                cfg,
                _texts(fields, settings),
                f"Cannot compare · 无法比对: {problem.message}",
            )
            return _html(page, FORM_CSS, problem.status, form_action="'self'")
        except Exception as exc:  # a bug: log it, show one line
            log.exception("internal error on /report")
            message = f"Cannot compare · 无法比对: internal error ({exc.__class__.__name__})"
            return _html(
                _form_page(db_path is not None, cfg, _texts(fields, settings), message),
                FORM_CSS,
                500,
                form_action="'self'",
            )

    async def api_compare(request: Request) -> Any:
        source, suspect, _ = await inputs(request, need_source=True)
        return await work(request, "compare", source, suspect)

    async def api_find(request: Request) -> Any:
        _, suspect, _ = await inputs(request, need_source=False)
        return await work(request, "find", suspect)

    async def api_check(request: Request) -> Any:
        _, suspect, fields = await inputs(request, need_source=False)
        fail_on, max_score = _gate_options(fields)
        return await work(request, "check", suspect, fail_on, max_score)

    app.add_api_route("/api/compare", json_route(api_compare), methods=["POST"])
    app.add_api_route("/api/find", json_route(api_find), methods=["POST"])

    async def api_trace(request: Request) -> Any:
        _, suspect, _ = await inputs(request, need_source=False)
        return await work(request, "trace", suspect)

    app.add_api_route("/api/check", json_route(api_check), methods=["POST"])
    app.add_api_route("/api/trace", json_route(api_trace), methods=["POST"])
    return app


def _texts(fields: dict[str, tuple[str, bytes | str]], settings: Settings) -> dict[str, str]:
    """The source and suspect as text, to refill the form (uploads decoded; undecodable ones left out)."""
    out: dict[str, str] = {}
    for role in ("source", "suspect"):
        for key in (f"{role}_text", role, f"{role}_file"):
            name, value = fields.get(key, ("", ""))
            if isinstance(value, bytes):
                try:
                    value = decode_bytes(value, name, settings.encoding)[0]
                except InputError:
                    continue
            if value.strip():
                out[role] = value
                break
    return out


def _check_index(db: Path, settings: Settings) -> int:
    """Open the index and read all of it (SQLite's quick check): corruption anywhere is an error."""
    with api.open_index(db, settings) as index:
        problem = index.store.quick_check()
        if problem is not None:
            raise ProvcheckError(f"{db}: the index is damaged ({problem})")
        return len(index)
