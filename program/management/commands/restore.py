from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from program.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Pulihkan basis data dan berkas unggahan dari arsip buatan `backup`. Checksum "
        "diperiksa lebih dulu; basis data yang sudah berisi ditimpa hanya dengan --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Arsip .tar.gz hasil perintah backup.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Timpa basis data tujuan walaupun sudah berisi data.",
        )

    def handle(self, *args, archive: Path, yes: bool = False, **options):
        if not archive.is_file():
            raise CommandError(f"Arsip {archive} tidak ditemukan.")
        try:
            result = restore_backup(archive, force=yes)
        except BackupError as error:
            raise CommandError(str(error)) from error
        expected = result.manifest["tables"]
        differs = sorted(t for t, n in expected.items() if result.tables.get(t) != n)
        if differs:
            self.stdout.write(
                self.style.WARNING(
                    "Jumlah baris berbeda dari manifes pada tabel: " + ", ".join(differs)
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Dipulihkan dari {archive} (dibuat {result.manifest['created_at']}): "
                f"{sum(result.tables.values())} baris, {result.media_files} berkas."
            )
        )
