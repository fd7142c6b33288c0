"""On PostgreSQL, the test databases are copies of one migrated template.

Migrating an empty database takes some seventeen seconds here, and every
pytest process did it for its own test database: twice per `make test` on two
cores, and again for each moment of `make test-tanggal`. Now the first run
migrates a template database once (before pytest-xdist starts its workers),
and every test database is created from it with CREATE DATABASE … TEMPLATE,
which copies files and takes well under a second. Django's migrate then finds
nothing to apply.

The template's name carries a fingerprint of every migration on disk (the
project's files by content, the installed packages' by name), so a changed or
new migration builds a new template and the old ones are dropped. An advisory
lock keeps two pytest runs from building the same template at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect

from django.db import DatabaseError, connection

LOCK_KEY = 0x7E57_7E3A  # any constant: one lock for all runs on this server


def fingerprint() -> str:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256()
    for key in sorted(loader.disk_migrations):
        digest.update(repr(key).encode())
        migration = loader.disk_migrations[key]
        module = inspect.getmodule(type(migration))
        if module is not None and "site-packages" not in (module.__file__ or ""):
            with open(module.__file__, "rb") as source:
                digest.update(source.read())
    return digest.hexdigest()[:12]


def template_prefix() -> str:
    return f"test_{connection.settings_dict['NAME']}_tpl_"[:50]


def ensure_template() -> str:
    """The migrated template's name, building it first if it is missing."""
    name = template_prefix() + fingerprint()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            cursor.execute("SELECT datname FROM pg_database")
            existing = {row[0] for row in cursor.fetchall() if row[0].startswith(template_prefix())}
            if name not in existing:
                _build(cursor, name)
            for stale in existing - {name}:
                # Another fingerprint (an older checkout, or a half-built one);
                # one still being copied by another run is left for next time.
                with contextlib.suppress(DatabaseError):
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(stale)}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    return name


def _build(cursor, name: str) -> None:
    from django.core.management import call_command

    building = name + "_new"
    qn = connection.ops.quote_name
    cursor.execute(f"DROP DATABASE IF EXISTS {qn(building)}")
    cursor.execute(f"CREATE DATABASE {qn(building)}")
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = building
    try:
        call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
    # Renamed only once complete: an interrupted build leaves no template.
    cursor.execute(f"ALTER DATABASE {qn(building)} RENAME TO {qn(name)}")


def use_template(name: str) -> None:
    connection.settings_dict.setdefault("TEST", {})["TEMPLATE"] = name
