"""``provcheck serve``: the web page and JSON API (extra ``[web]``); fastapi is imported only when run."""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path
from typing import Annotated

import typer

from provcheck.cli.common import ConfigOpt, EncodingOpt, app, fail, guard, load_settings


@app.command()
def serve(
    host: Annotated[
        str,
        typer.Option("--host", help="Address to bind; other machines can reach it only if you change it."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=0, max=65535)] = 8000,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Archive index to search when only a suspect is given (find, check).",
            show_default=False,
        ),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Largest source or suspect accepted, in bytes.", min=1)
    ] = 2_000_000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", help="Worker processes for compares (0 = one per core, at least 2).", min=0
        ),
    ] = 0,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit", help="Seconds one request's work may run before it is stopped.", min=1.0
        ),
    ] = 60.0,
    config: ConfigOpt = None,
    encoding: EncodingOpt = None,
) -> None:
    """Serve a page where editors paste or upload a source and a suspect and get the HTML report,
    plus JSON endpoints /api/compare, /api/find and /api/check."""
    try:
        import uvicorn

        from provcheck.web import ServeConfig, create_app
    except ImportError as exc:
        raise fail(
            f"serve needs the web extra ({exc.name} is missing): pip install 'provcheck[web]'"
        ) from None
    with guard():
        if db is not None and not db.is_file():
            raise fail(f"{db}: no such index file (build one with: provcheck index add PATH --db {db})")
        settings = load_settings(config, encoding)
        limits = ServeConfig.for_address(
            host,
            max_document_bytes=max_bytes,
            max_request_bytes=2 * max_bytes + 500_000,
            workers=workers or max(2, os.cpu_count() or 1),
            time_limit=time_limit,
        )
        sock = _bind(host, port)  # before anything is printed: a port in use is one line, exit 3
        web = create_app(settings, db, limits)
        web.state.pool.start()
    shown = sock.getsockname()[1]
    typer.echo(f"provcheck: serving on http://{host}:{shown}/ (Ctrl-C stops)", err=True)
    server = uvicorn.Server(uvicorn.Config(web, log_level="warning"))
    try:
        server.run(sockets=[sock])
    finally:
        web.state.pool.close()


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or a one-line error (exit 3) when it cannot be had."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as exc:
        raise fail(f"cannot serve on {host}: {exc.strerror or exc}", 3) from None
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        reason = "the port is in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        raise fail(f"cannot serve on {host}:{port}: {reason} (choose another with --port)", 3) from None
    sock.set_inheritable(True)
    return sock
