"""Queries per page: every GET page each demo role reaches, counted.

Goal (issue #9): at most 15 queries for every page reachable by each demo role,
and the same count at demo scale and at national scale (a page whose count grows
with the data has an N+1 somewhere).

The pages and their arguments come from the URL × role matrix of
tests/test_url_access.py (EXPECTED and its demo objects): every (URL, role) the
matrix expects to answer 200 on GET is requested here, logged in as that role
with Django's test Client, and its queries are counted with
CaptureQueriesContext. Each page is requested twice and the second request is
counted: that is what a warm server process does (the first one also fills
per-process caches, e.g. ContentType). The matrix's few extra records (a note,
an upload, a finished job...) are created inside one transaction that is rolled
back at the end, so the database is left as it was.

    python scripts/bench/queries.py --out var/bench/queries.json [--compare EARLIER.json]

Without --compare, a `queries-demo.json` beside --out (written by the harness at
demo scale, before the national seed) is compared with when it exists.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.bench import data_size, row, setup_django, within, write_rows

LIMIT = 15
SLOW_MS = 1000
COMMAND = "python scripts/bench/queries.py"

# The pages a role works in every day: its menu (templates/base.html) plus the
# object page it lives on. scripts/bench/load.py puts these under load, and
# tests/test_query_budgets.py pins their counts at two data sizes.
MAIN_PAGES: dict[str, tuple[str, ...]] = {
    "admin": ("beranda", "program:sekolah-list", "lokakarya:list", "program:impor"),
    "operator1": ("beranda", "program:sekolah-list", "lokakarya:list", "program:impor"),
    "pp1": (
        "beranda",
        "pendampingan:beranda-pp",
        "pendampingan:sesi",
        "pendampingan:sesi-read",
        "lokakarya:list",
    ),
    "pp2": ("beranda", "pendampingan:beranda-pp", "lokakarya:list", "program:sekolah-list"),
    "cgp1": ("beranda", "pendampingan:cgp-home", "pendampingan:sesi-read", "lokakarya:list"),
    "fasilitator1": (
        "beranda",
        "lokakarya:list",
        "lokakarya:detail",
        "lokakarya:run",
        "pmo:home",
        "pendampingan:coaching-home",
        "program:sekolah-list",
    ),
    "fasilitator2": (
        "beranda",
        "lokakarya:list",
        "pmo:home",
        "pendampingan:coaching-home",
        "program:sekolah-list",
    ),
    "ks1": (
        "beranda",
        "pmo:home",
        "pmo:instrumen",
        "komunitas:home",
        "komunitas:detail",
        "pendampingan:coaching-home",
    ),
    "ks2": ("beranda", "pmo:home", "komunitas:home", "lokakarya:list"),
    "pengawas1": ("beranda", "pmo:home", "pmo:instrumen", "program:sekolah-list"),
    "koordinator1": (
        "beranda",
        "program:sekolah-list",
        "lokakarya:list",
        "pmo:home",
        "komunitas:home",
        "pendampingan:coaching-home",
    ),
}
# The coordinator's region-wide pages: aggregates over every school of the
# region, with their own latency goal (p95 ≤ 500 ms instead of 150 ms).
DASHBOARD_ROLE = "koordinator1"
DASHBOARDS: tuple[str, ...] = (
    "reports:dasbor",
    "pmo:wilayah",
    "pmo:eskalasi",
    "reports:jp",
    "reports:kalender",
    "komunitas:peta",
)


def matrix():
    """tests/test_url_access.py, imported as a module (Django must be set up)."""
    from tests import test_url_access

    return test_url_access


def readable_pages(m) -> list[tuple[str, str]]:
    """(url name, role) of every GET page the matrix expects a role to read (200)."""
    pairs = []
    for name in sorted(m.EXPECTED):
        spec = m.EXPECTED[name]
        if spec.post_only or spec.method != "GET":
            continue
        for role in m.ROLES:
            if spec.expected(role) == 200 and (name, role) not in m.KNOWN_BUGS:
                pairs.append((name, role))
    return pairs


def media_files() -> set[Path]:
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


class DemoContext:
    """The matrix's demo objects and one logged-in session per role, inside a
    transaction that is rolled back on exit (the database is left as it was)."""

    def __enter__(self):
        from django.conf import settings
        from django.db import transaction
        from django.test import Client

        from config.celery import app as celery_app

        # Jobs the matrix starts (a finished job of pp1) run in this process.
        celery_app.conf.task_always_eager = True
        # The demo's own files (dokumentasi, thumbnails) are in MEDIA_ROOT, so it
        # stays; the files the matrix uploads are removed again on exit.
        self._files_before = media_files()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        m = matrix()
        self.ctx = m._build_context()
        # A page that fails is a 500 in the results, not the end of the run.
        self.client = Client(raise_request_exception=False)
        self.sessions = {}
        for role in m.ROLES:
            self.client.force_login(self.ctx.users[role])
            self.sessions[role] = self.client.cookies[settings.SESSION_COOKIE_NAME].value
            self.client.cookies.clear()
        return self

    def url(self, name: str) -> str:
        from django.urls import reverse

        return reverse(name, kwargs=matrix().EXPECTED[name].kwargs(self.ctx))

    def get(self, role: str, url: str):
        from django.conf import settings

        self.client.cookies.clear()
        self.client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        response = self.client.get(url)
        # Read a streamed file to its end: that is when its queries (if any) run,
        # and it closes the file without closing the connection (see the matrix).
        matrix()._close(response)
        return response

    def __exit__(self, *exc):
        from django.db import transaction

        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        for path in media_files() - self._files_before:
            path.unlink(missing_ok=True)
        return False


def count_queries(demo: DemoContext, name: str, role: str) -> tuple[int, int, list[str]]:
    """(queries of the second request, its status, the SQL) for one page and role."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    url = demo.url(name)
    # Each page in its own savepoint (outside the count), so that a page that
    # fails with a database error does not break the ones after it.
    with transaction.atomic():
        demo.get(role, url)  # warm: per-process caches, lazily compiled templates
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = demo.get(role, url)
        demo.last_ms = round((time.perf_counter() - start) * 1000, 1)
    return len(captured), response.status_code, [q["sql"] for q in captured.captured_queries]


def compare(rows_now: dict, path: Path) -> dict | None:
    """Pages whose count differs from an earlier run (the demo-scale one)."""
    if not path.exists():
        return None
    earlier = None
    for r in json.loads(path.read_text()):
        if "per_page" in r:
            earlier = r["per_page"]
    if earlier is None:
        return None
    changed = {}
    for key, count in rows_now.items():
        if key in earlier and earlier[key] != count:
            changed[key] = {"before": earlier[key], "now": count}
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--compare", help="an earlier queries JSON (default: queries-demo.json)")
    parser.add_argument("--show", metavar="NAME", help="print the SQL of this URL name's pages")
    parser.add_argument("--roles", help="only these roles (comma-separated), to profile")
    args = parser.parse_args()
    setup_django()

    m = matrix()
    size = data_size()
    per_page: dict[str, int] = {}
    wrong_status: dict[str, int] = {}
    ms: dict[str, float] = {}  # wall time of the counted request, in-process
    with DemoContext() as demo:
        for name, role in readable_pages(m):
            if args.roles and role not in args.roles.split(","):
                continue
            n, status, sql = count_queries(demo, name, role)
            key = f"{name} [{role}]"
            per_page[key] = n
            ms[key] = demo.last_ms
            if demo.last_ms > SLOW_MS:  # progress on a big database
                print(f"  slow: {key}: {demo.last_ms:.0f} ms, {n} queries", file=sys.stderr)
            if status != 200:
                wrong_status[key] = status
            if args.show == name:
                print(f"--- {key}: {n} queries", file=sys.stderr)
                for q in sql:
                    print("   ", q[:300], file=sys.stderr)

    worst = max(per_page.values())
    over = {k: v for k, v in per_page.items() if v > LIMIT}
    ratio, ok = within(worst, LIMIT)
    rows = [
        row(
            f"Queries per page, max over {len(per_page)} (page, role) pairs",
            command=COMMAND,
            size=size,
            value=worst,
            unit="queries",
            limit=LIMIT,
            ratio=round(ratio, 2),
            ok=ok and not wrong_status,
            worst=max(per_page, key=per_page.get),
            over_budget=over,
            wrong_status=wrong_status,
            per_page=per_page,
            slowest_ms=dict(sorted(ms.items(), key=lambda kv: -kv[1])[:25]),
        )
    ]
    main_pages = {
        f"{name} [{role}]": per_page[f"{name} [{role}]"]
        for role, names in MAIN_PAGES.items()
        for name in names
    }
    main_pages.update(
        {f"{n} [{DASHBOARD_ROLE}]": per_page[f"{n} [{DASHBOARD_ROLE}]"] for n in DASHBOARDS}
    )
    worst_main = max(main_pages.values())
    ratio, ok = within(worst_main, LIMIT)
    rows.append(
        row(
            "Queries per main page and dashboard of each role, max",
            command=COMMAND,
            size=size,
            value=worst_main,
            unit="queries",
            limit=LIMIT,
            ratio=round(ratio, 2),
            ok=ok,
            pages=main_pages,
        )
    )

    out = Path(args.out)
    earlier = Path(args.compare) if args.compare else out.with_name("queries-demo.json")
    if earlier.resolve() != out.resolve():
        changed = compare(per_page, earlier)
        if changed is not None:
            rows.append(
                row(
                    f"Pages whose query count differs from {earlier.name}",
                    command=f"{COMMAND} --compare {earlier}",
                    size=size,
                    value=len(changed),
                    unit="pages",
                    limit=0,
                    ratio=None,
                    ok=not changed,
                    changed=changed,
                )
            )
    write_rows(out, rows)
    for key in sorted(over, key=over.get, reverse=True):
        print(f"  over budget: {key}: {over[key]}", file=sys.stderr)
    for key, status in wrong_status.items():
        print(f"  status {status}: {key}", file=sys.stderr)


if __name__ == "__main__":
    main()
