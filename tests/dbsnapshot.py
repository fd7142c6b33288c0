"""The test database's contents, kept once and put back in a fraction of a
second, so that tests which commit (live server, real workers) get the
seeded demo population again without seeding it again.

Transactional tests end with Django's flush, and the next one that wants the
demo used to run seed_demo again: three to four seconds each, for some fifty
tests a run. `capture()` runs once per test process, right after the session's
seed; `restore()` puts that state back exactly: the same rows, the same
primary keys and the same sequence positions.

PostgreSQL: every table is copied out with COPY (binary) and back in one
transaction; Django creates foreign keys DEFERRABLE INITIALLY DEFERRED, so
the order of tables does not matter and the constraints are checked at
commit. SQLite: the whole database is copied with SQLite's backup API.
"""

from __future__ import annotations

import io
import sqlite3
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

SKIPPED_TABLES = {"django_migrations"}


@dataclass
class Snapshot:
    tables: dict[str, bytes] = field(default_factory=dict)
    sequences: dict[str, tuple[int, bool]] = field(default_factory=dict)
    sqlite: sqlite3.Connection | None = None


def _tables() -> list[str]:
    return [t for t in connection.introspection.table_names() if t not in SKIPPED_TABLES]


def capture() -> Snapshot:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return Snapshot(sqlite=copy)
    snapshot = Snapshot()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        qn = connection.ops.quote_name
        for table in _tables():
            buffer = io.BytesIO()
            raw.copy_expert(f"COPY {qn(table)} TO STDOUT (FORMAT binary)", buffer)
            snapshot.tables[table] = buffer.getvalue()
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
            "FROM pg_sequences WHERE schemaname = current_schema()"
        )
        for name, last_value in cursor.fetchall():
            # A sequence never used has no last value: it starts at 1 again.
            snapshot.sequences[name] = (last_value, True) if last_value else (1, False)
    return snapshot


def restore(snapshot: Snapshot) -> None:
    """Replace whatever the database holds with the captured state."""
    connection.ensure_connection()
    if snapshot.sqlite is not None:
        snapshot.sqlite.backup(connection.connection)
    else:
        qn = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor
            cursor.execute(f"TRUNCATE {', '.join(qn(t) for t in _tables())} CASCADE")
            for table, data in snapshot.tables.items():
                raw.copy_expert(f"COPY {qn(table)} FROM STDIN (FORMAT binary)", io.BytesIO(data))
            for name, (value, is_called) in snapshot.sequences.items():
                cursor.execute("SELECT setval(%s, %s, %s)", [name, value, is_called])
    # The flush before made new content types; their ids are cached per process.
    ContentType.objects.clear_cache()
