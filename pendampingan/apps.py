from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PendampinganConfig(AppConfig):
    name = "pendampingan"
    verbose_name = _("Pendampingan individu")

    def ready(self) -> None:
        from . import signals  # noqa: F401
