"""PostgreSQL restarted under a running app: clean 503s, then recovery without a restart.

Runs gunicorn (DEBUG off, 2 workers) against PostgreSQL, logs in as pp1, asks
for the home page (a page that queries the database) every 0.1 s, and after
3 s restarts PostgreSQL:

    pg_ctlcluster --skip-systemctl-redirect <version> main restart

It reports the status codes seen before, during and after the restart, the
time from the restart to the first 200 after the last failure, and whether
any failed response carried a stack trace or was not the Indonesian page.

    .venv/bin/python scripts/reliability/pg_restart.py

CAUTION: restarts the machine's PostgreSQL; everything else using it sees
its connections dropped.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.reliability.sigkill_pdf import prepare_database, service_env
from scripts.reliability.web import Browser, free_port, looks_clean, start_gunicorn

INDONESIAN = ("Layanan sedang tidak tersedia", "Terjadi kesalahan di server")


def restart_postgres(marks: dict, dry_run: bool = False) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    marks["restart_start"] = time.monotonic()
    if dry_run:  # checks the script itself without touching PostgreSQL
        time.sleep(2)
        marks["restart_end"] = time.monotonic()
        return
    subprocess.run(  # noqa: S603
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],  # noqa: S607
        check=True,
        capture_output=True,
        timeout=120,
    )
    marks["restart_end"] = time.monotonic()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "FAULTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rel_faults"
        ),
    )
    parser.add_argument("--page", default="/")
    parser.add_argument("--dry-run", action="store_true", help="do not really restart")
    parser.add_argument("--after", type=float, default=15.0, help="seconds to watch after it")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pg-restart-"))
    env = service_env(database_url=args.database_url, broker_url="", media_root=str(work / "media"))
    os.environ.update(env)
    import django

    django.setup()
    prepare_database(args.database_url)

    port = free_port()
    gunicorn = start_gunicorn(env, port, work / "gunicorn.log")
    samples: list[tuple[float, int, float, str]] = []
    marks: dict = {}
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        browser.login("pp1", env.get("DEMO_PASSWORD", "demo12345"))
        t0 = time.monotonic()
        restarter = None
        while True:
            now = time.monotonic()
            if restarter is None and now - t0 > 3:
                restarter = threading.Thread(target=restart_postgres, args=(marks, args.dry_run))
                restarter.start()
            if "restart_end" in marks and now - marks["restart_end"] > args.after:
                break
            if now - t0 > 120:
                break
            reply = browser.request(args.page, timeout=10)
            samples.append((time.monotonic(), reply.status, reply.seconds, reply.body))
            time.sleep(0.1)
        if restarter is not None:
            restarter.join()
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)

    start, end = marks["restart_start"], marks["restart_end"]
    phases = {"before": [], "during": [], "after": []}
    for t, status, _secs, _body in samples:
        phase = "before" if t < start else "during" if t <= end else "after"
        phases[phase].append(status)
    failures = [s for s in samples if s[1] != 200]
    last_failure = max((s[0] for s in failures), default=None)
    first_ok_after = next(
        (s[0] for s in samples if last_failure is not None and s[0] > last_failure and s[1] == 200),
        None,
    )
    dirty = [s for s in failures if not looks_clean(s[3])]
    foreign = [s for s in failures if s[1] >= 500 and not any(x in s[3] for x in INDONESIAN)]
    print(f"logs in {work}")
    print(f"restart command took {end - start:.1f} s")
    for phase, statuses in phases.items():
        counts = dict(collections.Counter(statuses))
        print(f"{phase:>6}: {len(statuses)} requests, status codes {counts}")
    if failures:
        slowest = max(s[2] for s in failures)
        print(f"failed requests: {len(failures)}, slowest answered in {slowest:.2f} s")
        print(
            f"recovered: first 200 after the last failure {first_ok_after - start:.1f} s after "
            f"the restart began ({first_ok_after - end:+.1f} s from its end), no app restart"
        )
    else:
        print("no failed request")
    print(f"failures with a stack trace or exception text: {len(dirty)}")
    print(f"5xx pages not in Indonesian: {len(foreign)}")
    ok_after = phases["after"] and phases["after"][-1] == 200
    return 0 if ok_after and not dirty and not foreign else 1


if __name__ == "__main__":
    sys.exit(main())
