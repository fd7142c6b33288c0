from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramConfig(AppConfig):
    name = "program"
    verbose_name = _("Data induk dan akses")

    def ready(self) -> None:
        # Job kinds register themselves from each app's pdf.py / exports.py,
        # the same way the admin discovers admin.py.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("pdf", "exports")
