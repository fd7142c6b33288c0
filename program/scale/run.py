"""The run: which generators, in which order, in one transaction.

Every app that has a `scale` module takes part, found the way seed_demo finds
`demo` modules and load_reference `reference` modules; program's own is this
package, which exports platform.py's. A generator module declares

    ORDER = 20          # its place in the run
    def seed(ctx: ScaleContext) -> None: ...

and runs after every generator with a smaller ORDER: the platform's (0) first,
since every other one builds on its schools, people and assignments. The order
is declared rather than left to INSTALLED_APPS because it is part of the
output: the generators share the context's text bank, whose pools draw from
one RNG stream, so for a seed the same rows come out only in the same order.
Two generators may not share an ORDER.

Text is deterministic for a seed; dates follow the day of the run, and iCal
tokens are random because they are secrets. No historical (audit) rows are
written: the history of a record starts with its first edit after seeding.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import time
from collections.abc import Callable
from itertools import pairwise

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from program.models import Provinsi
from program.scale.context import ScaleContext
from program.scale.loader import Loader
from program.scale.plan import KODE_PREFIX, Plan, ScaleError
from program.scale.text import TextBank


def check_ready() -> None:
    if connection.vendor != "postgresql":
        raise ScaleError(
            "seed_scale memerlukan PostgreSQL (memuat jutaan baris dengan COPY). "
            "Setel DATABASE_URL=postgres://… lalu jalankan migrate, load_reference, seed_demo."
        )
    if Provinsi.objects.filter(kode__startswith=KODE_PREFIX).exists():
        raise ScaleError(
            "Data skala nasional sudah ada di basis data ini; seed_scale tidak menambahkannya "
            "dua kali. Untuk memuat ulang: dropdb/createdb, migrate, load_reference, seed_demo, "
            "lalu seed_scale."
        )


def generators() -> list[Callable[[ScaleContext], None]]:
    """The `seed` of every app's `scale` module, in their declared ORDER."""
    found = []
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.scale") is None:
            continue
        order = import_string(f"{config.name}.scale.ORDER")
        found.append((order, config.label, import_string(f"{config.name}.scale.seed")))
    found.sort(key=lambda item: item[0])
    for (order, first, _), (next_order, second, _) in pairwise(found):
        if order == next_order:
            raise ImproperlyConfigured(
                f"{first}.scale and {second}.scale both declare ORDER = {order}; "
                "the order of seed_scale's generators must be explicit."
            )
    return [seed for _order, _label, seed in found]


def seed_scale(
    *, factor: float, seed: int = 2026, today: dt.date | None = None, out=print
) -> Loader:
    """Add the national population at `factor`; one transaction, all or nothing."""
    check_ready()
    started = time.monotonic()
    loader = Loader(out)
    ctx = ScaleContext(
        plan=Plan.for_factor(factor),
        load=loader,
        seed=seed,
        today=today or timezone.localdate(),
        text=TextBank(seed),
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Losing the tail of a seed on a crash is harmless; waiting for
            # every WAL flush is not.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            # Check each write at once: PostgreSQL refuses to drop an FK of a
            # table with pending deferred checks, and generators may write with
            # the ORM before they COPY (the platform's previous cohort).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for generate in generators():
            generate(ctx)
        loader.step("foreign key divalidasi", loader.restore_fks)
        loader.step("sequence disetel ulang", loader.reset_sequences)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's default again
    loader.step("ANALYZE", loader.analyze)
    loader.timings.append(("total", sum(loader.counts.values()), time.monotonic() - started))
    return loader
