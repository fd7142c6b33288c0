import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Muat data rujukan (wilayah, program, templat) dari fixtures/. Aman dijalankan berulang."

    @transaction.atomic
    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if importlib.util.find_spec(f"{config.name}.reference") is None:
                continue
            load = import_string(f"{config.name}.reference.load")
            for line in load() or []:
                self.stdout.write(f"  {config.label}: {line}")
        self.stdout.write(self.style.SUCCESS("Data rujukan dimuat."))
