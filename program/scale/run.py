"""The run: one transaction, all or nothing.

Text is deterministic for a seed; dates follow the day of the run, and iCal
tokens are random because they are secrets. No historical (audit) rows are
written: the history of a record starts with its first edit after seeding.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, transaction

from program.scale.generator import Generator
from program.scale.loader import Loader
from program.scale.plan import KODE_PREFIX, Plan, ScaleError


def check_ready() -> None:
    if connection.vendor != "postgresql":
        raise ScaleError(
            "seed_scale memerlukan PostgreSQL (memuat jutaan baris dengan COPY). "
            "Setel DATABASE_URL=postgres://… lalu jalankan migrate, load_reference, seed_demo."
        )
    from program.models import Provinsi

    if Provinsi.objects.filter(kode__startswith=KODE_PREFIX).exists():
        raise ScaleError(
            "Data skala nasional sudah ada di basis data ini; seed_scale tidak menambahkannya "
            "dua kali. Untuk memuat ulang: dropdb/createdb, migrate, load_reference, seed_demo, "
            "lalu seed_scale."
        )


def seed_scale(
    *, factor: float, seed: int = 2026, today: dt.date | None = None, out=print
) -> Loader:
    """Add the national population at `factor`; one transaction, all or nothing."""
    check_ready()
    started = time.monotonic()
    loader = Loader(out)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Losing the tail of a seed on a crash is harmless; waiting for
            # every WAL flush is not.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        gen = Generator(Plan.for_factor(factor), loader, seed=seed, today=today)
        gen.run()
        loader.step("foreign key divalidasi", loader.restore_fks)
        loader.step("sequence disetel ulang", loader.reset_sequences)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's default again
    loader.step("ANALYZE", loader.analyze)
    loader.timings.append(("total", sum(loader.counts.values()), time.monotonic() - started))
    return loader
