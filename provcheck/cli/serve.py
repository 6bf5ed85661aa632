"""``provcheck serve``: the web page and JSON API (extra ``[web]``); fastapi is imported only when run."""

from __future__ import annotations

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
            host, max_document_bytes=max_bytes, max_request_bytes=2 * max_bytes + 500_000
        )
        web = create_app(settings, db, limits)
    typer.echo(f"provcheck: serving on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(web, host=host, port=port, log_level="warning")
