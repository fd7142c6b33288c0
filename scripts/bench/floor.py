"""What the stack costs by itself: the floor under the page latencies of load.py.

Same server and load as scripts/bench/load.py (gunicorn gthread sized for the
cores, wrk with 50 connections and no think time), against three pages that do
almost nothing (scripts/bench/floor_urls.py):

* `/lantai/kosong/`    the middleware only (no session, no user);
* `/lantai/pengguna/`  plus the session and the logged-in user (what every
                       page of the application reads);
* `/lantai/kerangka/`  plus the page frame every page renders (base.html: the
                       menu by role, the person's name, the logout form).

No goal of its own: it tells how much of a page's cost is the stack's. With
50 clients the latency is set by throughput (Little's law), so the p95 of
`kerangka` is about the best any page of the application can reach here.

    python scripts/bench/floor.py --out var/bench/floor.json [--duration 15] [--connections 50]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

os.environ["DJANGO_SETTINGS_MODULE"] = "scripts.bench.floor_settings"

from scripts.bench import data_size, load, row, setup_django, write_rows

PAGES = (
    ("kosong", "/lantai/kosong/", "middleware only"),
    ("pengguna", "/lantai/pengguna/", "+ session and user"),
    ("kerangka", "/lantai/kerangka/", "+ the page frame (base.html) as pp1"),
)
ROLE = "pp1"


def main() -> None:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * cores)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    setup_django()
    load.ensure_static()
    size = data_size()
    from django.db import connection

    database = connection.settings_dict["NAME"]
    connection.close()
    port = load.free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(tempfile.gettempdir()) / f"bench-floor-{port}.log"
    server = load.start_gunicorn(port, args.workers, args.threads, log)
    command = (
        f"python scripts/bench/floor.py --duration {args.duration} --connections {args.connections}"
    )
    setup = (
        f"gunicorn gthread {args.workers} workers × {args.threads} threads, "
        f"wrk {args.connections} connections {args.duration} s/page"
    )
    rows = []
    try:
        cookie = load.login(base, ROLE)
        for name, page, what in PAGES:
            pairs = [(cookie, page)]
            load.run_wrk(base, pairs, load.WARMUP_S, args.connections)
            before = load.cpu_seconds(server, database)
            result = load.run_wrk(base, pairs, args.duration, args.connections)
            after = load.cpu_seconds(server, database)
            requests = max(1, result["requests"])
            cpu_ms = load.cpu_used(before, after) * 1000 / requests
            errors = result["non2xx"] + result["connect_errors"] + result["read_errors"]
            errors += result["write_errors"] + result["timeouts"]
            rows.append(
                row(
                    f"Floor page {page} ({what}) p95",
                    command=command,
                    size=f"{size}; {setup}",
                    value=round(result["p95_us"] / 1000, 1),
                    unit="ms",
                    p50_ms=round(result["p50_us"] / 1000, 1),
                    p99_ms=round(result["p99_us"] / 1000, 1),
                    requests=result["requests"],
                    throughput_rps=round(result["requests"] / (result["duration_us"] / 1e6), 1),
                    errors=errors,
                    server_cpu_ms_per_request=round(cpu_ms, 2),
                )
            )
            print(
                f"{name}: p50 {rows[-1]['p50_ms']} p95 {rows[-1]['value']} ms, "
                f"{rows[-1]['throughput_rps']} req/s, {errors} errors, "
                f"{cpu_ms:.2f} ms server CPU/request",
                file=sys.stderr,
                flush=True,
            )
    finally:
        load.stop(server)
    write_rows(args.out, rows)


if __name__ == "__main__":
    main()
