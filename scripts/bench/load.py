"""Page latency under load: gunicorn + PostgreSQL, 50 clients without think time.

Goal (issue #9), on national data: the main pages of each demo role p95 ≤ 150 ms,
the coordinator's dashboards p95 ≤ 500 ms, no errors.

What it does:
1. starts gunicorn on 127.0.0.1 (a free port) with the production settings:
   DEBUG off, SECRET_KEY set, ALLOWED_HOSTS=127.0.0.1, static files from
   WhiteNoise (collectstatic first if STATIC_ROOT has no manifest);
2. logs every demo role in through the real login form (GET for the CSRF
   token, POST username/password) and keeps each session cookie;
3. per group, writes the (cookie, path) pairs and runs wrk with
   scripts/bench/load.lua, which rotates through them on every connection:
   one group per role (its MAIN_PAGES, see scripts/bench/queries.py) and one
   for the coordinator's dashboards (DASHBOARDS);
4. reports p50/p95/p99, throughput and errors (every response that is not 2xx,
   plus socket errors and time-outs) per group, and stops gunicorn.

Why wrk: a C event loop that keeps 50 connections busy with a fraction of a
core, so that the 2 cores stay with gunicorn and PostgreSQL; locust's Python
clients would need about a core of their own to generate the same load and
would measure their own GIL as much as the server.

Why the gunicorn size (2 cores): 2 × cores worker processes, 2 threads each
(gthread). A page is mostly Python (CPU) with short waits on PostgreSQL; one
process per core computes while a second one's request waits on the database,
and the threads keep HTTP keep-alive connections open (the sync worker closes
every connection, which would add a TCP handshake to each request). More
processes than that only share the same two cores and add context switches.

    python scripts/bench/load.py --out var/bench/load.json [--duration 20] [--connections 50]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.bench import ROOT, data_size, row, setup_django, within, write_rows
from scripts.bench.queries import DASHBOARD_ROLE, DASHBOARDS, MAIN_PAGES, DemoContext

LIMIT_MAIN_MS = 150
LIMIT_DASHBOARD_MS = 500
PASSWORD = os.environ.get("DEMO_PASSWORD", "demo12345")
LUA = ROOT / "scripts" / "bench" / "load.lua"
WARMUP_S = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_static() -> None:
    """The manifest storage needs collectstatic's manifest, or every page is a 500."""
    from django.conf import settings

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            check=True,
        )


def start_gunicorn(port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "0",
    }
    cmd = [
        str(Path(sys.executable).with_name("gunicorn")),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--timeout",
        "60",
        # 50 clients connect at once: the default backlog (2048) is plenty, but
        # keep-alive must outlast wrk's gaps between requests on a connection.
        "--keep-alive",
        "10",
        "--log-level",
        "warning",
    ]
    with log.open("w") as f:
        proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            cmd, cwd=ROOT, env=env, stdout=f, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), 1):
                return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise SystemExit("gunicorn did not start within 60 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        # SIGINT: gunicorn's quick shutdown (SIGTERM would first finish every
        # request still queued, minutes after a slow group).
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login(base: str, username: str) -> str:
    """The session cookie of a real login through the login form."""
    from django.conf import settings

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    page = opener.open(base + "/masuk/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/"}
    ).encode()
    # base is our own http://127.0.0.1 server.
    request = urllib.request.Request(  # noqa: S310
        base + "/masuk/", data=data, headers={"Referer": base}
    )
    try:
        opener.open(request, timeout=30)
        raise SystemExit(f"login of {username} failed (the form came back)")
    except urllib.error.HTTPError as e:  # the 302 to "/" after a successful login
        if e.code != 302:
            raise SystemExit(f"login of {username}: HTTP {e.code}") from e
    cookies = {c.name: c.value for c in jar}
    return f"{settings.SESSION_COOKIE_NAME}={cookies[settings.SESSION_COOKIE_NAME]}"


def probe(base: str, cookie: str, path: str, times: int = 3) -> tuple[int, float]:
    """(status, median ms) of a few requests alone: the page without load."""
    opener = urllib.request.build_opener(NoRedirect())
    seconds = []
    status = 0
    for _ in range(times):
        request = urllib.request.Request(base + path, headers={"Cookie": cookie})  # noqa: S310
        t0 = time.perf_counter()
        try:
            with opener.open(request, timeout=60) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as e:
            status = e.code
        seconds.append(time.perf_counter() - t0)
    return status, round(statistics.median(seconds) * 1000, 1)


def cpu_seconds(server: subprocess.Popen, database: str) -> dict[int, float]:
    """CPU seconds so far of every gunicorn process and of every PostgreSQL
    backend serving `database` (by pid): the cost of the requests, which the
    other work on a shared machine does not inflate the way it does latency."""
    import psutil

    found: dict[int, float] = {}
    try:
        root = psutil.Process(server.pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        procs = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if cmdline.startswith("postgres: ") and f" {database} " in cmdline:
            procs.append(proc)
    for proc in procs:
        try:
            t = proc.cpu_times()
            found[proc.pid] = t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return found


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def run_wrk(base: str, pairs: list[tuple[str, str]], seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        for cookie, path in pairs:
            f.write(f"{cookie}\t{path}\n")
        pairs_file = f.name
    try:
        cmd = [
            "wrk",
            "--connections",
            str(connections),
            "--threads",
            "2",
            "--duration",
            f"{seconds}s",
            # A slow page is a slow page, not a lost one: count it in the latency.
            "--timeout",
            "30s",
            "--script",
            str(LUA),
            base,
            "--",
            pairs_file,
        ]
        out = subprocess.run(  # noqa: S603 - fixed arguments
            cmd, capture_output=True, text=True, timeout=seconds + 120, check=False
        )
    finally:
        os.unlink(pairs_file)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk failed: {out.stdout[-1000:]} {out.stderr[-1000:]}")
    return json.loads(line.removeprefix("WRK_JSON "))


def main() -> None:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per group")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * cores)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", help="comma-separated groups (role names, 'dasbor')")
    args = parser.parse_args()
    # The harness's `timeout` sends SIGTERM: leave through `finally`, which
    # stops gunicorn, instead of dying with its workers still serving.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: run scripts/system-deps (Debian package wrk)")
    setup_django()
    ensure_static()
    size = data_size()

    # The pages' arguments (pks of the demo objects) from the URL matrix; its
    # extra records are rolled back, and no main page refers to them.
    with DemoContext() as demo:
        urls = {
            role: [(name, demo.url(name)) for name in names] for role, names in MAIN_PAGES.items()
        }
        dashboards = [(name, demo.url(name)) for name in DASHBOARDS]
    groups: list[tuple[str, str, list[tuple[str, str]], int]] = [
        (role, role, pages, LIMIT_MAIN_MS) for role, pages in urls.items()
    ]
    groups.append(("dasbor", DASHBOARD_ROLE, dashboards, LIMIT_DASHBOARD_MS))
    if args.only:
        wanted = set(args.only.split(","))
        groups = [g for g in groups if g[0] in wanted]

    from django.db import connection

    database = connection.settings_dict["NAME"]
    connection.close()  # gunicorn's workers open their own
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(tempfile.gettempdir()) / f"bench-gunicorn-{port}.log"
    server = start_gunicorn(port, args.workers, args.threads, log)
    command = (
        f"python scripts/bench/load.py --duration {args.duration} --connections {args.connections}"
    )
    setup = (
        f"gunicorn gthread {args.workers} workers × {args.threads} threads, "
        f"wrk {args.connections} connections {args.duration} s/group"
    )
    rows = []
    servers = [server]
    try:
        cookies = {role: login(base, role) for role in {g[1] for g in groups}}
        for index, (group, role, pages, limit) in enumerate(groups):
            if index:
                # A fresh server per group: requests of a slow group still queued
                # in the old one must not be charged to the next group.
                stop(servers[-1])
                servers.append(start_gunicorn(port, args.workers, args.threads, log))
                server = servers[-1]
            cookie = cookies[role]
            pairs = [(cookie, p) for _, p in pages]
            # Warm every worker (templates, per-process caches, DB connections):
            # a server in production has long been warm.
            run_wrk(base, pairs, WARMUP_S, args.connections)
            # Each page alone (no other client), on the warm server.
            alone = {}
            for name, path in pages:
                status, ms = probe(base, cookie, path)
                alone[name] = {"status": status, "ms_alone": ms}
            load_before = os.getloadavg()[0]
            python_before = cpu_seconds(server, database)
            result = run_wrk(base, pairs, args.duration, args.connections)
            python_after = cpu_seconds(server, database)
            cpu_ms = cpu_used(python_before, python_after) * 1000 / max(1, result["requests"])
            p95 = round(result["p95_us"] / 1000, 1)
            errors = (
                result["non2xx"]
                + result["connect_errors"]
                + result["read_errors"]
                + result["write_errors"]
                + result["timeouts"]
            )
            ratio, ok = within(p95, limit)
            what = (
                "Coordinator dashboards p95" if group == "dasbor" else f"Main pages of {role} p95"
            )
            rows.append(
                row(
                    what,
                    command=command + f" --only {group}",
                    size=f"{size}; {setup}",
                    value=p95,
                    unit="ms",
                    limit=limit,
                    ratio=round(ratio, 2),
                    ok=ok and errors == 0 and all(a["status"] == 200 for a in alone.values()),
                    p50_ms=round(result["p50_us"] / 1000, 1),
                    p99_ms=round(result["p99_us"] / 1000, 1),
                    max_ms=round(result["max_us"] / 1000, 1),
                    requests=result["requests"],
                    throughput_rps=round(result["requests"] / (result["duration_us"] / 1e6), 1),
                    errors=errors,
                    wrk=result,
                    pages=alone,
                    # Server CPU (gunicorn + PostgreSQL backends) per request:
                    # 2 cores ÷ this = the throughput ceiling of the machine.
                    server_cpu_ms_per_request=round(cpu_ms, 1),
                    loadavg_1min_before=round(load_before, 2),
                )
            )
            print(
                f"{group}: p50 {rows[-1]['p50_ms']} p95 {p95} p99 {rows[-1]['p99_ms']} ms, "
                f"{rows[-1]['throughput_rps']} req/s, {errors} errors, "
                f"{cpu_ms:.1f} ms server CPU/request, load {load_before:.1f}",
                file=sys.stderr,
                flush=True,
            )
    finally:
        for proc in servers:
            stop(proc)
    errors_total = sum(r["errors"] for r in rows)
    rows.append(
        row(
            "Errors under load, all groups",
            command=command,
            size=f"{size}; {setup}",
            value=errors_total,
            unit="responses",
            limit=0,
            ratio=None,
            ok=errors_total == 0,
            requests=sum(r["requests"] for r in rows),
        )
    )
    write_rows(args.out, rows)


if __name__ == "__main__":
    main()
