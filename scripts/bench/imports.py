"""Dry run of a people import (10,000 rows), the way the operator does it.

Goal (issue #9): ≤ 20 s. The script writes an XLSX of people with roles at
existing schools — mostly new people, some already in the database (half of
them with a changed phone number), some with a new account — then, logged in
as `operator1`, uploads it to the preview view (`program:impor-pratinjau`) with
Django's test client: the whole request (middleware, reading the file,
`plan_import`, keeping the rows in the session, rendering the preview) is timed.
The phases are then timed again one by one to show where the time goes.

    python scripts/bench/imports.py --out var/bench/imports.json [--rows 10000]
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.bench import row, setup_django, within, write_rows

LIMIT_S = 20
EXISTING_SHARE = 0.2
ACCOUNT_EVERY = 10


def spreadsheet(n: int) -> bytes:
    import openpyxl

    from program.imports import JENIS
    from program.models import Orang, Peran, Sekolah

    schools = list(Sekolah.objects.order_by("pk").values_list("npsn", "nama")[:5000])
    existing = list(
        Orang.objects.exclude(nip="")
        .order_by("pk")
        .values("nama", "nip", "telepon")[: int(n * EXISTING_SHARE)]
    )
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("orang")
    ws.append(JENIS["orang"].nama_kolom)
    for i in range(n):
        npsn, nama_sekolah = schools[i % len(schools)]
        if i < len(existing):
            o = existing[i]
            telepon = o["telepon"] if i % 2 else f"0812{i:08d}"
            ws.append([o["nama"], o["nip"], "", "", "", telepon, "", Peran.GURU.value, npsn])
            continue
        ws.append(
            [
                f"Guru Uji Beban {i:05d}, S.Pd",
                f"19900101{2026:04d}{i:06d}",  # 18 digits, unique per row
                "",
                nama_sekolah,
                f"guru.uji.{i}@example.id",
                f"0813{i:08d}",
                f"guru.uji.{i}" if i % ACCOUNT_EVERY == 0 else "",
                Peran.GURU.value,
                npsn,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    setup_django()

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from program import imports

    data = spreadsheet(args.rows)
    operator = get_user_model().objects.get(username="operator1")
    client = Client()
    client.force_login(operator)
    url = reverse("program:impor-preview", args=["orang"])
    upload = SimpleUploadedFile(
        "orang.xlsx",
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    start = time.perf_counter()
    response = client.post(url, {"berkas": upload})
    seconds = time.perf_counter() - start
    html = response.content.decode()
    # The confirm button (with its token) appears only for a preview without errors.
    applicable = bool(re.search(r'name="token"\s+value="[^"]+"', html))

    # The same work phase by phase, outside the request.
    jenis = imports.get_jenis("orang")
    phases = {}
    ringkasan = {"galat": None}
    try:
        t = time.perf_counter()
        tabel = imports.read_upload(jenis, SimpleUploadedFile("orang.xlsx", data))
        phases["read_upload_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        ringkasan = imports.plan_import(jenis, tabel).ringkasan
        phases["plan_import_s"] = round(time.perf_counter() - t, 2)
    except imports.BerkasTidakValid as refused:
        phases["refused"] = refused.message

    value = round(seconds, 1) if response.status_code == 200 else None
    ratio, ok = within(value, LIMIT_S)
    write_rows(
        args.out,
        [
            row(
                f"Import dry run of {args.rows:,} people (preview view, XLSX upload)",
                command=f"python scripts/bench/imports.py --rows {args.rows}",
                size=(
                    f"{args.rows:,} rows, {len(data) / 1024:.0f} KiB XLSX; preview: "
                    + ", ".join(f"{k} {v}" for k, v in ringkasan.items())
                ),
                value=value,
                unit="s",
                limit=LIMIT_S,
                ratio=ratio,
                ok=ok and applicable and ringkasan["galat"] == 0,
                status=response.status_code,
                applicable=applicable,
                response_kib=round(len(html) / 1024),
                **phases,
            )
        ],
    )
    if response.status_code != 200:
        print(html[:3000], file=sys.stderr)


if __name__ == "__main__":
    main()
