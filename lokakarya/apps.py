from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LokakaryaConfig(AppConfig):
    name = "lokakarya"
    verbose_name = _("Lokakarya")
