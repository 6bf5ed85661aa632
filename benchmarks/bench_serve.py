"""Light-request latency of ``provcheck serve`` while heavy requests run (loopback only, bounded).

Starts the web app on 127.0.0.1 (an ephemeral port) twice: in-process, one compare at a time (what
``serve`` did before its worker pool), then with the worker pool and its time limit. Each run sends
HEAVY concurrent heavy compares (the seed pair repeated to about 120 KB a side) and, meanwhile, light
compares (the seed pair, 4 KB) one after another; it prints the light requests' latency (median, p95,
max) and how the heavy ones ended. Nothing leaves the machine; each run stops after --seconds.

    .venv/bin/python -m benchmarks.bench_serve --heavy 2 --seconds 30
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from tests.cases import SEED_COPY, SEED_SOURCE, read


def post(port: int, body: dict[str, str], timeout: float) -> tuple[int, float]:
    data = json.dumps(body).encode("utf-8")
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/compare", data, {"content-type": "application/json"}
    )
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (TimeoutError, urllib.error.URLError):
        status = 0
    return status, time.monotonic() - t0


def serve(app: Any) -> tuple[Any, int, threading.Thread]:
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, sock.getsockname()[1], thread


def run(label: str, workers: int, heavy: int, seconds: float, time_limit: float) -> None:
    from provcheck.web import ServeConfig, create_app

    src, sus = read(SEED_SOURCE), read(SEED_COPY)
    app = create_app(config=ServeConfig(workers=workers, time_limit=time_limit))
    if workers:
        app.state.pool.start()
    server, port, thread = serve(app)
    post(port, {"source": src, "suspect": sus}, 60)  # warm up (dictionaries loaded)
    outcomes: list[tuple[int, float]] = []
    big = {"source": src * 30, "suspect": sus * 30}
    heavies = [
        threading.Thread(target=lambda: outcomes.append(post(port, big, seconds)), daemon=True)
        for _ in range(heavy)
    ]
    for t in heavies:
        t.start()
    time.sleep(0.5)
    light: list[float] = []
    failed = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end and (any(t.is_alive() for t in heavies) or len(light) < 5):
        status, took = post(port, {"source": src, "suspect": sus}, max(1.0, end - time.monotonic()))
        if status == 200:
            light.append(took)
        else:
            failed += 1
    for t in heavies:
        t.join(max(0.0, end - time.monotonic()) + 1)
    server.should_exit = True
    thread.join(10)
    if workers:
        app.state.pool.close()
    light.sort()
    p95 = light[min(len(light) - 1, int(0.95 * len(light)))] if light else float("nan")
    heavy_ends = ", ".join(f"{s or 'no answer'} after {t:.1f} s" for s, t in outcomes) or "no answer"
    print(
        f"{label:<34} light requests {len(light):3d} (failed {failed}): median "
        f"{statistics.median(light) if light else float('nan'):.2f} s, p95 {p95:.2f} s, max "
        f"{light[-1] if light else float('nan'):.2f} s; heavy: {heavy_ends}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--heavy", type=int, default=2, help="concurrent heavy requests")
    ap.add_argument("--seconds", type=float, default=30.0, help="bound on each run")
    ap.add_argument("--workers", type=int, default=2, help="worker processes of the pooled run")
    ap.add_argument("--time-limit", type=float, default=10.0, help="per-request limit of the pooled run")
    args = ap.parse_args()
    run("in-process, one at a time (before)", 0, args.heavy, args.seconds, args.time_limit)
    run(
        f"worker pool ({args.workers}, limit {args.time_limit:g} s)",
        args.workers,
        args.heavy,
        args.seconds,
        args.time_limit,
    )


if __name__ == "__main__":
    main()
