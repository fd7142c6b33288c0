from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LokakaryaConfig(AppConfig):
    name = "lokakarya"
    verbose_name = _("Lokakarya")

    def ready(self) -> None:
        from . import signals  # noqa: F401
