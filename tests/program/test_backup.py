"""`manage.py backup` / `restore`: the database and the uploaded files come back whole."""

import io
import json
import os
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from PIL import Image

from pendampingan.models import SesiPI
from program.backup import (
    BackupError,
    create_backup,
    restore_backup,
    sha256_of,
    sqlite_table_counts,
    table_counts,
)
from tests.conftest import require, uses_postgres, which

# The archive is taken as another process would see the database: committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), "green").save(buf, "JPEG")
    return buf.getvalue()


def media_checksums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): sha256_of(p)
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith(".")
    }


def upload_documentation(client, user) -> None:
    """A PP uploads a photo the way the app does it (so a Berkas row and a file exist)."""
    sesi = SesiPI.objects.filter(penugasan__pp__user=user).order_by("pk").first()
    client.force_login(user)
    response = client.post(
        reverse("pendampingan:dokumentasi-upload", args=[sesi.pk]),
        {"berkas": SimpleUploadedFile("foto.jpg", jpeg()), "jenis": "foto", "keterangan": "x"},
    )
    assert response.status_code == 302


@pytest.mark.sqlite_only  # the PostgreSQL round trip is below
def test_sqlite_round_trip_restores_every_row_and_file(demo, client, tmp_path):
    upload_documentation(client, demo["pp1"])
    media = Path(settings.MEDIA_ROOT)
    before_rows = table_counts()
    before_files = media_checksums(media)
    assert before_rows["pendampingan_dokumentasi"] >= 1
    assert any(path.startswith("berkas/") for path in before_files)

    archive, manifest = create_backup(tmp_path / "cadangan.tar.gz")
    assert manifest["engine"] == "sqlite"
    assert manifest["tables"] == before_rows
    assert {m["path"]: m["sha256"] for m in manifest["media"]} == before_files

    # Wipe the files; restore into a fresh database file and media folder.
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    fresh = tmp_path / "baru.sqlite3"
    result = restore_backup(
        archive, database={**connection.settings_dict, "NAME": str(fresh)}, media_root=media
    )
    assert sqlite_table_counts(fresh) == before_rows
    assert result.tables == before_rows
    assert media_checksums(media) == before_files


def test_restore_refuses_a_database_with_data_without_yes(demo, tmp_path):
    archive, _ = create_backup(tmp_path / "cadangan.tar.gz")
    with pytest.raises(CommandError, match=r"sudah berisi data.*--yes"):
        call_command("restore", str(archive), stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_restore_refuses_an_archive_whose_file_was_changed(demo, client, tmp_path):
    upload_documentation(client, demo["pp1"])
    archive, manifest = create_backup(tmp_path / "cadangan.tar.gz")
    victim = manifest["media"][0]["path"]
    tampered = tmp_path / "diubah.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "media/" + victim:
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.addfile(member, io.BytesIO(data))
    target = tmp_path / "media-baru"
    with pytest.raises(BackupError, match="Checksum"):
        restore_backup(
            tampered,
            force=True,
            database={**connection.settings_dict, "NAME": str(tmp_path / "x.sqlite3")},
            media_root=target,
        )
    # Nothing was written before the checksums were verified.
    assert media_checksums(target) == {}
    assert not (tmp_path / "x.sqlite3").exists()


def test_backup_command_writes_an_archive_with_a_manifest(demo, tmp_path):
    out = tmp_path / "hasil.tar.gz"
    stdout = io.StringIO()
    call_command("backup", "--output", str(out), stdout=stdout)
    assert "Cadangan tersimpan" in stdout.getvalue()
    with tarfile.open(out, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["database_file"] in names
    assert manifest["tables"]["auth_user"] == len(demo)
    assert {"created_at", "engine", "media"} <= manifest.keys()


def test_postgres_round_trip_into_a_fresh_database(client, tmp_path):
    require(uses_postgres(), "PostgreSQL")
    require(which("pg_dump") and which("pg_restore"), "postgresql-client (pg_dump)")
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model

    upload_documentation(client, get_user_model().objects.get(username="pp1"))
    media = Path(settings.MEDIA_ROOT)
    before_rows = table_counts()
    before_files = media_checksums(media)
    archive, manifest = create_backup(tmp_path / "cadangan.tar.gz")
    assert manifest["engine"] == "postgresql"

    name = f"pulih_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        target = {**connection.settings_dict, "NAME": name}
        restored_media = tmp_path / "media-pulih"
        result = restore_backup(archive, database=target, media_root=restored_media)
        assert result.tables == before_rows
        assert media_checksums(restored_media) == before_files
        # A second restore into the now filled database needs --yes (force).
        with pytest.raises(BackupError, match="sudah berisi data"):
            restore_backup(archive, database=target, media_root=restored_media)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
