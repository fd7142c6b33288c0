from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PmoConfig(AppConfig):
    name = "pmo"
    verbose_name = _("PMO level sekolah")
