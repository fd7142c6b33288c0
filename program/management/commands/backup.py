from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from program.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Cadangkan basis data dan berkas unggahan (MEDIA_ROOT) ke satu arsip .tar.gz "
        "beserta manifes (jumlah baris per tabel, sha256 tiap berkas)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Berkas arsip tujuan (bawaan: var/backups/pendampingan-YYYYmmdd-HHMMSS.tar.gz).",
        )

    def handle(self, *args, output: Path | None = None, **options):
        try:
            path, manifest = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Cadangan tersimpan: {path} ({path.stat().st_size / 1e6:.1f} MB; "
                f"{len(manifest['tables'])} tabel, {rows} baris, "
                f"{len(manifest['media'])} berkas)."
            )
        )
