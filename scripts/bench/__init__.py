"""Shared helpers of the benchmarks (issue #9).

Every benchmark is a script run by `scripts/bench/run` as
`python scripts/bench/<name>.py --out var/bench/<name>.json`; it writes a JSON
list of rows `{what, command, size, value, unit, limit, ratio, ok}` which
`scripts/bench/report.py` turns into docs/PERFORMANCE.md. `limit` is either a
number (an upper bound in `unit`) or a text naming the peer; `ratio` is the
measured value divided by that limit or peer (≤ 1 passes), `ok` true/false, or
null for a figure that is reported without a goal.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setup_django() -> None:
    """Django with the production settings, DEBUG off (no query log growing in
    memory), so that time and memory are what a deployment would see."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    import django

    django.setup()


def row(
    what: str,
    *,
    command: str,
    size: str,
    value: float | None,
    unit: str,
    limit: float | str | None = None,
    ratio: float | None = None,
    ok: bool | None = None,
    **extra,
) -> dict:
    return {
        # How busy the machine was: on shared cores, wall times grow with it.
        "load_1m": round(os.getloadavg()[0], 1),
        "what": what,
        "command": command,
        "size": size,
        "value": value,
        "unit": unit,
        "limit": limit,
        "ratio": ratio,
        "ok": ok,
        **extra,
    }


def within(value: float | None, limit: float) -> tuple[float | None, bool | None]:
    """(ratio to the limit, passes) for an upper bound."""
    if value is None:
        return None, False
    ratio = value / limit if limit else None
    return ratio, value <= limit


def write_rows(path: str | os.PathLike, rows: list[dict]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, indent=2, ensure_ascii=False, default=str) + "\n")
    for r in rows:
        mark = {True: "ok", False: "FAIL", None: "--"}[r.get("ok")]
        print(f"[{mark:>4}] {r['what']}: {r['value']} {r['unit']}", flush=True)


def median_ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 1)


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        return False


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def data_size() -> str:
    """The numbers that say how big the benchmark's database is."""
    from pendampingan.models import JurnalPendampingan, SesiPI
    from program.models import PenugasanPP

    return (
        f"{PenugasanPP.objects.count():,} CGP pairs, {SesiPI.objects.count():,} PI sessions, "
        f"{JurnalPendampingan.objects.count():,} journals"
    )
