"""Backup and restore of the whole installation: the database and MEDIA_ROOT.

One `.tar.gz` archive holds

* `manifest.json` — when, which engine, the database file's name and sha256,
  the row count of every table, and every media file with its size and sha256;
* the database: `database.dump` (PostgreSQL, `pg_dump --format=custom`) or
  `database.sqlite3` (a consistent copy taken with SQLite's online backup API,
  safe while the application keeps writing);
* `media/…`: uploads (`berkas/`) and generated job files (`jobs/`).

A restore verifies every checksum before it touches anything, and refuses to
overwrite a database that already holds data unless told so.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
FORMAT_VERSION = 1
# Tables Django fills on `migrate` itself: a database with rows only here is "empty".
SCHEMA_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass
class RestoreResult:
    manifest: dict
    tables: dict[str, int]
    media_files: int


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"pendampingan-{stamp}.tar.gz"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine(db: dict) -> str:
    engine = db["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(
        _("Basis data %(engine)s tidak didukung untuk cadangan.") % {"engine": engine}
    )


# --- counting rows ------------------------------------------------------------------


def table_counts(alias: str = "default") -> dict[str, int]:
    """Rows per table, counted in SQL (no model manager hides soft-deleted rows)."""
    conn = connections[alias]
    with conn.cursor() as cursor:
        names = sorted(conn.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
    return counts


def sqlite_table_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        names = sorted(
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        )
        return {n: db.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608
    finally:
        db.close()


def has_data(counts: dict[str, int]) -> bool:
    return any(n for table, n in counts.items() if table not in SCHEMA_TABLES)


# --- PostgreSQL -----------------------------------------------------------------------


def _pg_env_and_args(db: dict) -> tuple[dict, list[str]]:
    """Connection options for the client tools; the password only in PGPASSWORD."""
    env = os.environ.copy()
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _run(cmd: list[str], env: dict, what: str) -> None:
    try:
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(
            _("Program %(cmd)s tidak ditemukan. Pasang paket postgresql-client.") % {"cmd": cmd[0]}
        ) from error
    if result.returncode != 0:
        raise BackupError(
            _("%(what)s gagal: %(err)s") % {"what": what, "err": result.stderr.strip()[-2000:]}
        )


def _pg_dump(db: dict, target: Path) -> None:
    env, args = _pg_env_and_args(db)
    _run(
        ["pg_dump", "--format=custom", "--no-password", *args, "--file", str(target), db["NAME"]],
        env,
        "pg_dump",
    )


def _pg_restore(db: dict, source: Path) -> None:
    env, args = _pg_env_and_args(db)
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            *args,
            "--dbname",
            db["NAME"],
            str(source),
        ],
        env,
        "pg_restore",
    )


# --- SQLite ---------------------------------------------------------------------------


def _sqlite_backup(alias: str, target: Path) -> None:
    """Copy through the online backup API of the open connection: consistent even
    while other processes write, and it works for in-memory test databases too."""
    conn = connections[alias]
    if conn.in_atomic_block:
        # SQLite's backup waits for the source's own write lock: it would never end.
        raise BackupError(_("Cadangan SQLite tidak dapat dibuat di dalam transaksi."))
    conn.ensure_connection()
    dest = sqlite3.connect(target)
    try:
        with dest:
            conn.connection.backup(dest)
    finally:
        dest.close()


def _sqlite_restore(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dest = sqlite3.connect(target)
    try:
        with dest:
            src.backup(dest)
    finally:
        src.close()
        dest.close()


# --- media ---------------------------------------------------------------------------


def _media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


# --- backup ---------------------------------------------------------------------------


def create_backup(output: Path | None = None, *, alias: str = "default") -> tuple[Path, dict]:
    """Write the archive and return its path and manifest."""
    output = Path(output) if output else default_output()
    output.parent.mkdir(parents=True, exist_ok=True)
    db = connections[alias].settings_dict
    engine = _engine(db)
    media_root = Path(settings.MEDIA_ROOT)
    db_name = "database.dump" if engine == "postgresql" else "database.sqlite3"

    with tempfile.TemporaryDirectory(prefix="cadangan-", dir=output.parent) as tmp:
        db_file = Path(tmp) / db_name
        # Counts first, then the dump: on a live system rows written in between
        # appear in the dump but not the counts, which the restore reports only.
        counts = table_counts(alias)
        if engine == "postgresql":
            _pg_dump(db, db_file)
        else:
            _sqlite_backup(alias, db_file)
            counts = sqlite_table_counts(db_file)
        media = [
            {
                "path": path.relative_to(media_root).as_posix(),
                "size": path.stat().st_size,
                "sha256": sha256_of(path),
            }
            for path in _media_files(media_root)
        ]
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database_file": db_name,
            "database_sha256": sha256_of(db_file),
            "tables": counts,
            "media": media,
        }
        manifest_file = Path(tmp) / MANIFEST
        manifest_file.write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        partial = output.with_name(output.name + ".tmp")
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            archive.add(manifest_file, arcname=MANIFEST)
            archive.add(db_file, arcname=db_name)
            for item in media:
                archive.add(media_root / item["path"], arcname=MEDIA_PREFIX + item["path"])
        # Only a complete archive gets the final name.
        partial.replace(output)
    return output, manifest


# --- restore --------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return json.load(member)
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as error:
        raise BackupError(
            _("%(path)s bukan arsip cadangan yang sah: %(err)s") % {"path": archive, "err": error}
        ) from error


def _extract_verified(archive: Path, manifest: dict, into: Path) -> None:
    """Extract only the files the manifest names and check every sha256."""
    wanted = {manifest["database_file"]: manifest["database_sha256"]}
    for item in manifest["media"]:
        wanted[MEDIA_PREFIX + item["path"]] = item["sha256"]
    with tarfile.open(archive, "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.name in wanted and m.isfile()]
        # The "data" filter refuses absolute paths, "..", links and devices.
        tar.extractall(into, members=members, filter="data")
    for name, expected in wanted.items():
        path = into / name
        if not path.is_file():
            raise BackupError(_("Berkas %(name)s tidak ada di arsip.") % {"name": name})
        if sha256_of(path) != expected:
            raise BackupError(
                _("Checksum %(name)s tidak cocok: arsip rusak atau diubah.") % {"name": name}
            )


def target_counts(db: dict) -> dict[str, int]:
    """Rows per table of the restore target (empty dict: no tables yet)."""
    alias = next((a for a in connections if connections[a].settings_dict is db), None)
    if alias is not None:
        return table_counts(alias)
    if _engine(db) == "sqlite":
        path = Path(db["NAME"])
        return sqlite_table_counts(path) if path.is_file() else {}
    return _pg_counts(db)


def _pg_counts(db: dict) -> dict[str, int]:
    """Counts in a database Django has no connection to (e.g. a fresh restore target)."""
    import psycopg2
    from psycopg2 import sql

    params = {"dbname": db["NAME"], "user": db.get("USER") or None}
    for key in ("PASSWORD", "HOST", "PORT"):
        if db.get(key):
            params[key.lower()] = db[key]
    with contextlib.closing(psycopg2.connect(**params)) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        counts = {}
        for (name,) in sorted(cursor.fetchall()):
            cursor.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(name)))
            counts[name] = cursor.fetchone()[0]
        return counts


def restore_backup(
    archive: Path,
    *,
    force: bool = False,
    database: dict | None = None,
    media_root: Path | None = None,
) -> RestoreResult:
    """Restore `archive` into the default database (or `database`, a settings
    dict) and MEDIA_ROOT (or `media_root`). Existing data is replaced only with
    `force`; media files not in the archive are left where they are."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(_("Versi arsip cadangan tidak dikenal."))
    db = database or connection.settings_dict
    engine = _engine(db)
    if manifest["engine"] != engine:
        raise BackupError(
            _("Arsip berisi basis data %(a)s, tetapi tujuan memakai %(b)s.")
            % {"a": manifest["engine"], "b": engine}
        )
    if not force and has_data(target_counts(db)):
        raise BackupError(
            _(
                "Basis data tujuan sudah berisi data. Pemulihan akan menimpa seluruhnya; "
                "ulangi dengan --yes bila memang itu yang dimaksud."
            )
        )
    media_root = Path(media_root or settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".pulih-", dir=media_root) as tmp:
        staging = Path(tmp)
        _extract_verified(archive, manifest, staging)
        db_file = staging / manifest["database_file"]
        # The application's own connection must not hold the old database open.
        for conn in connections.all(initialized_only=True):
            if conn.settings_dict.get("NAME") == db.get("NAME"):
                conn.close()
        if engine == "postgresql":
            _pg_restore(db, db_file)
        else:
            _sqlite_restore(db_file, Path(db["NAME"]))
        media_src = staging / MEDIA_PREFIX
        for item in manifest["media"]:
            target = media_root / item["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(media_src / item["path"], target)
    return RestoreResult(
        manifest=manifest, tables=target_counts(db), media_files=len(manifest["media"])
    )
