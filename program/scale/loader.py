"""Loading rows with PostgreSQL's COPY, and the values of its text format.

Why COPY and not the ORM: millions of rows have to land in minutes on a
2-core machine. Rows are generated as COPY text streams that psycopg2 sends
while PostgreSQL parses the previous chunk, so Python and the server work in
parallel. Ids are assigned by the generators (from the current maximum,
`Loader.next_id`), so foreign keys are arithmetic and nothing is read back.

Foreign keys: the constraints of each loaded table are dropped for the load
and added again at the end (`Loader.restore_fks`): PostgreSQL then validates
each one with a single join instead of millions of deferred per-row checks, so
every FK is still verified before the commit.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Callable, Iterable
from itertools import islice

from django.core.management.color import no_style
from django.db import connection, models

from program.scale.plan import ScaleError

NULL = "\\N"


def ts(day: dt.date, hour: int = 9, minute: int = 0) -> str:
    """A timestamptz literal in WIB."""
    return f"{day.isoformat()} {hour:02d}:{minute:02d}:00+07"


def b(value: bool | None) -> str:
    return NULL if value is None else ("t" if value else "f")


class RowStream(io.TextIOBase):
    """A file-like view of a row generator for psycopg2's copy_expert."""

    def __init__(self, rows: Iterable[str], batch: int = 2000):
        self._rows = iter(rows)
        self._batch = batch
        self.count = 0
        self.error: Exception | None = None

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        try:
            chunk = list(islice(self._rows, self._batch))
        except Exception as error:
            # psycopg2 reports only the message; keep the traceback for the caller.
            self.error = error
            raise
        self.count += len(chunk)
        return "".join(chunk)

    readline = read


def check_columns(model: type[models.Model], columns: list[str]) -> None:
    """Refuse to load a model whose NOT NULL columns the generator does not fill.

    Other work may add a field to a model; without this check the load would
    fail deep inside COPY with a bare NOT NULL violation.
    """
    given = set(columns)
    missing = [
        f.column
        for f in model._meta.concrete_fields
        if f.column not in given and not f.null and not f.has_db_default()
    ]
    if missing:
        raise ScaleError(
            f"{model._meta.label}: kolom {', '.join(missing)} wajib diisi tetapi belum dibuat "
            f"oleh generator seed_scale aplikasi {model._meta.app_label}; perbarui generatornya."
        )


class Loader:
    """COPY into tables, timing each one; drops and re-adds their foreign keys."""

    def __init__(self, out: Callable[[str], None]):
        self.out = out
        self.timings: list[tuple[str, int, float]] = []
        self.counts: dict[str, int] = {}
        self.models: list[type[models.Model]] = []
        self._dropped: list[tuple[str, str, str]] = []

    def next_id(self, model: type[models.Model]) -> int:
        with connection.cursor() as cursor:
            table = model._meta.db_table  # a model's own table name, never user input
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')  # noqa: S608
            return cursor.fetchone()[0]

    def _drop_fks(self, table: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [f'"{table}"'],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                self._dropped.append((table, name, definition))

    def copy(self, model: type[models.Model], columns: list[str], rows: Iterable[str]) -> int:
        table = model._meta.db_table
        check_columns(model, columns)
        self._drop_fks(table)
        stream = RowStream(rows)
        started = time.monotonic()
        try:
            with connection.cursor() as cursor:
                cursor.copy_expert(
                    f'COPY "{table}" ({", ".join(columns)}) FROM STDIN WITH (FORMAT text)', stream
                )
        except Exception as error:
            if stream.error is not None:
                raise stream.error from error
            raise
        elapsed = time.monotonic() - started
        self.timings.append((table, stream.count, elapsed))
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + stream.count
        if model not in self.models:
            self.models.append(model)
        rate = stream.count / elapsed if elapsed else 0
        self.out(f"  {table:<42} {stream.count:>9} baris {elapsed:7.1f} s ({rate:,.0f}/s)")
        return stream.count

    def step(self, label: str, fn: Callable[[], None]) -> None:
        started = time.monotonic()
        fn()
        elapsed = time.monotonic() - started
        self.timings.append((label, 0, elapsed))
        self.out(f"  {label:<42} {'':>9}       {elapsed:7.1f} s")

    def restore_fks(self) -> None:
        """Add every dropped FK again; PostgreSQL validates it against all rows."""
        with connection.cursor() as cursor:
            for table, name, definition in self._dropped:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        self._dropped = []

    def reset_sequences(self) -> None:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(sql)

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            for model in self.models:
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
