"""Export of the PI sessions (one row per CGP × PI 1–6): CSV, XLSX, memory.

Goals (issue #9), all on the export kind "sesi_pi" of reports/exports.py run
through its job handler as an operator (every row in the country):

* CSV within 10× of PostgreSQL `COPY (the same select) TO STDOUT`, same run;
* XLSX ≤ 90 s;
* peak RSS ≤ 250 MiB, and flat between 100k and 600k rows;
* beside django-import-export's stock `Resource.export()` (a tablib Dataset in
  memory) with the project's `SesiPIResource` on the same 100k rows.

Every measurement runs in its own subprocess (`--child …`) so that its peak RSS
(getrusage) is its own, not that of an earlier run.

    python scripts/bench/exports.py --out var/bench/exports.json
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.bench import ROOT, peak_rss_mib, row, setup_django, within, write_rows

LIMIT_CSV_VS_COPY = 10
LIMIT_XLSX_S = 90
LIMIT_RSS_MIB = 250
# "Flat": the larger export may use at most this much more memory than the smaller.
FLAT_TOLERANCE = 0.10
SMALL_ROWS = 100_000
ROWS_PER_PAIR = 6  # PI 1–6

# The export's rows in one SQL statement, for PostgreSQL's own COPY: the same
# joins, columns, order and derived state (keadaan) as reports.exports._iter_sesi_pi.
COPY_SQL = """
SELECT a.nama, k.nama, s.npsn, s.nama, pp.nama, cgp.nama, n.pi, si.tanggal,
  CASE
    WHEN j.status = 'diajukan' THEN 'Selesai'
    WHEN jl.tanggal IS NOT NULL AND CURRENT_DATE >= jl.tanggal THEN 'Terlambat'
    WHEN j.id IS NOT NULL AND (j.sudah_baik <> '' OR j.perlu_ditingkatkan <> ''
      OR j.catatan <> '' OR j.jawaban::text <> '{{}}') THEN 'Draf jurnal'
    WHEN si.tanggal IS NOT NULL THEN 'Terjadwal'
    ELSE 'Belum dijadwalkan'
  END,
  COALESCE(j.status, 'Belum ada'), to_char(j.diajukan_at, 'YYYY-MM-DD HH24:MI'),
  COALESCE((SELECT count(*) FROM pendampingan_rencanatindaklanjut r WHERE r.sesi_id = si.id), 0)
FROM program_penugasanpp p
JOIN program_angkatan a ON a.id = p.angkatan_id
JOIN program_sekolah s ON s.id = p.sekolah_id
JOIN program_kabupatenkota k ON k.id = s.kabupaten_id
JOIN program_orang pp ON pp.id = p.pp_id
JOIN program_orang cgp ON cgp.id = p.cgp_id
CROSS JOIN generate_series(1, 6) AS n(pi)
LEFT JOIN pendampingan_sesipi si ON si.penugasan_id = p.id AND si.urutan = n.pi
LEFT JOIN pendampingan_jurnalpendampingan j ON j.sesi_id = si.id
LEFT JOIN program_jadwallokakarya jl ON jl.angkatan_id = p.angkatan_id AND jl.ke = n.pi
{where}
ORDER BY k.nama, pp.nama, cgp.nama, p.id, n.pi
"""


# --- children: one measurement each ------------------------------------------------


def _limit_pairs(rows: int | None):
    """Narrow the export to the first rows/6 CGP pairs (by id), through the
    same function the export uses, so that everything else runs unchanged."""
    if not rows:
        return
    from program.models import PenugasanPP
    from reports import exports

    original = exports.penugasan_sesi_pi
    first = PenugasanPP.objects.order_by("pk").values("pk")[: rows // ROWS_PER_PAIR]

    def limited(user, saringan):
        return original(user, saringan).filter(pk__in=first)

    exports.penugasan_sesi_pi = limited


def _operator():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def child_export(fmt: str, rows: int | None) -> dict:
    """The job handler of reports.exports, as the worker runs it."""
    from program.models import Job
    from reports.exports import EKSPOR_KIND, ekspor

    _limit_pairs(rows)
    job = Job(
        kind=EKSPOR_KIND,
        requested_by=_operator(),
        params={"jenis": "sesi_pi", "format": fmt, "filter": {}},
    )
    start = time.perf_counter()
    result = ekspor(job, lambda percent: None)  # unsaved job: no progress rows
    seconds = time.perf_counter() - start
    result.file.seek(0, 2)
    size = result.file.tell()
    if fmt == "csv":
        result.file.seek(0)
        lines = sum(1 for _ in result.file) - 1
    else:
        lines = None
    result.file.close()
    return {"seconds": seconds, "bytes": size, "rows": lines, "peak_mib": peak_rss_mib()}


class _Sink:
    def __init__(self):
        self.bytes = 0

    def write(self, data):
        self.bytes += len(data)
        return len(data)


def child_copy(rows: int | None) -> dict:
    from django.db import connection

    where, params = "", []
    if rows:
        where = "WHERE p.id IN (SELECT id FROM program_penugasanpp ORDER BY id LIMIT %s)"
        params = [int(rows) // ROWS_PER_PAIR]
    sink = _Sink()
    start = time.perf_counter()
    with connection.cursor() as cursor:
        select = cursor.cursor.mogrify(COPY_SQL.format(where=where), params).decode()
        cursor.cursor.copy_expert(f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER)", sink)
    return {"seconds": time.perf_counter() - start, "bytes": sink.bytes}


def child_stock(rows: int | None) -> dict:
    """django-import-export as documented: Resource.export() builds a tablib
    Dataset of every row in memory, then renders it as CSV."""
    from django.utils import timezone

    from reports import exports, resources
    from reports.filters import Saringan

    _limit_pairs(rows)
    resource = resources.SesiPIResource()
    start = time.perf_counter()
    _total, dict_rows = exports.baris_sesi_pi(_operator(), Saringan(), timezone.now())
    dataset = resource.export(queryset=dict_rows)
    text = dataset.csv
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "bytes": len(text.encode()),
        "rows": len(dataset),
        "peak_mib": peak_rss_mib(),
    }


def run_child(*args: str) -> dict:
    command = [sys.executable, __file__, "--child", *args]
    done = subprocess.run(  # noqa: S603 - our own script
        command, cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"child {args} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- parent --------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--small", type=int, default=SMALL_ROWS)
    args = parser.parse_args()
    setup_django()

    if args.child:
        kind, *rest = args.child
        rows = int(rest[-1]) if rest and rest[-1] != "all" else None
        result = {
            "csv": lambda: child_export("csv", rows),
            "xlsx": lambda: child_export("xlsx", rows),
            "copy": lambda: child_copy(rows),
            "stock": lambda: child_stock(rows),
        }[kind]()
        print(json.dumps(result))
        return

    from program.models import PenugasanPP

    total_rows = PenugasanPP.objects.count() * ROWS_PER_PAIR
    small = min(args.small, total_rows)
    # The full table last, after the database's cache has seen the rows once.
    copy_all = run_child("copy", "all")
    csv_small = run_child("csv", str(small))
    csv_all = run_child("csv", "all")
    copy_all = min(copy_all, run_child("copy", "all"), key=lambda r: r["seconds"])
    xlsx_small = run_child("xlsx", str(small))
    xlsx_all = run_child("xlsx", "all")
    stock_small = run_child("stock", str(small))

    cmd = "python scripts/bench/exports.py"
    size_all = f"{csv_all['rows']:,} rows ({csv_all['bytes'] / 2**20:.0f} MiB CSV)"
    size_small = f"{small:,} rows"
    ratio_copy = round(csv_all["seconds"] / copy_all["seconds"], 2)
    ratio_xlsx, ok_xlsx = within(round(xlsx_all["seconds"], 1), LIMIT_XLSX_S)
    rows = [
        row(
            "Export PI sessions, CSV (job handler) vs PostgreSQL COPY of the same select",
            command=cmd,
            size=size_all,
            value=round(csv_all["seconds"], 1),
            unit="s",
            limit=(
                f"{LIMIT_CSV_VS_COPY}× COPY (COPY took {copy_all['seconds']:.1f} s, "
                f"{copy_all['bytes'] / 2**20:.0f} MiB)"
            ),
            ratio=round(ratio_copy / LIMIT_CSV_VS_COPY, 2),
            ok=ratio_copy <= LIMIT_CSV_VS_COPY,
            times_copy=ratio_copy,
        ),
        row(
            "Export PI sessions, XLSX (job handler)",
            command=cmd,
            size=f"{csv_all['rows']:,} rows ({xlsx_all['bytes'] / 2**20:.0f} MiB XLSX)",
            value=round(xlsx_all["seconds"], 1),
            unit="s",
            limit=LIMIT_XLSX_S,
            ratio=ratio_xlsx,
            ok=ok_xlsx,
        ),
    ]
    for label, small_run, all_run in (
        ("CSV", csv_small, csv_all),
        ("XLSX", xlsx_small, xlsx_all),
    ):
        ratio, ok = within(all_run["peak_mib"], LIMIT_RSS_MIB)
        rows.append(
            row(
                f"Export PI sessions, {label}, peak RSS of the process",
                command=cmd,
                size=f"{csv_all['rows']:,} rows ({all_run['bytes'] / 2**20:.0f} MiB {label})",
                value=all_run["peak_mib"],
                unit="MiB",
                limit=LIMIT_RSS_MIB,
                ratio=ratio,
                ok=ok,
            )
        )
        growth = round(all_run["peak_mib"] / small_run["peak_mib"], 2)
        rows.append(
            row(
                f"Export PI sessions, {label}, peak RSS at {size_all.split(' (')[0]} vs {small:,}",
                command=cmd,
                size=f"{small:,} → {size_all.split(' (')[0]}",
                value=all_run["peak_mib"],
                unit="MiB",
                limit=(
                    f"flat: ≤ {1 + FLAT_TOLERANCE:.2f}× the {small:,}-row run "
                    f"({small_run['peak_mib']} MiB)"
                ),
                ratio=round(growth / (1 + FLAT_TOLERANCE), 2),
                ok=growth <= 1 + FLAT_TOLERANCE,
            )
        )
    rows += [
        row(
            "Export PI sessions, CSV (job handler), time",
            command=cmd,
            size=size_small,
            value=round(csv_small["seconds"], 1),
            unit="s",
            limit="peer: stock Resource.export() below",
            ratio=round(csv_small["seconds"] / stock_small["seconds"], 2),
            peak_mib=csv_small["peak_mib"],
        ),
        row(
            "django-import-export stock SesiPIResource().export() + .csv, time",
            command=cmd,
            size=size_small,
            value=round(stock_small["seconds"], 1),
            unit="s",
            peak_mib=stock_small["peak_mib"],
        ),
        row(
            "Export PI sessions, CSV (job handler), peak RSS",
            command=cmd,
            size=size_small,
            value=csv_small["peak_mib"],
            unit="MiB",
            limit="peer: stock Resource.export() below",
            ratio=round(csv_small["peak_mib"] / stock_small["peak_mib"], 2),
        ),
        row(
            "django-import-export stock SesiPIResource().export() + .csv, peak RSS",
            command=cmd,
            size=size_small,
            value=stock_small["peak_mib"],
            unit="MiB",
        ),
    ]
    write_rows(args.out, rows)


if __name__ == "__main__":
    main()
