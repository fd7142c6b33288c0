import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from program.demo import DemoContext


class Command(BaseCommand):
    help = "Buat data demo (akun, sekolah, penugasan, catatan). Aman dijalankan berulang."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Kelipatan populasi demo (benchmark)."
        )

    @transaction.atomic
    def handle(self, *args, scale: int, **options):
        call_command("load_reference", stdout=self.stdout)
        password = getattr(settings, "DEMO_PASSWORD", "demo12345")
        ctx = DemoContext(password=password, scale=max(1, scale))
        for config in apps.get_app_configs():
            if importlib.util.find_spec(f"{config.name}.demo") is None:
                continue
            import_string(f"{config.name}.demo.seed")(ctx)
        self.stdout.write(
            self.style.SUCCESS("Data demo siap. Akun demo (kata sandi sama untuk semua):")
        )
        for username, role in ctx.accounts:
            self.stdout.write(f"  {username:<14} {role}")
        self.stdout.write(f"  kata sandi: {password}")
