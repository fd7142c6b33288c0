"""Soft delete: "nothing a user wrote disappears on one click".

A model that inherits `SoftDeleteModel` keeps deleted rows with `dihapus_pada`
and `dihapus_oleh` set. Its default manager (`objects`) leaves them out, and
Django builds reverse relations (`sesi.rtl`, `instrumen.akar_masalah`) and
prefetches from the default manager, so every selector, access scope, export,
PDF and dashboard that reads through the ORM stops seeing a row the moment it
is deleted, without each of them having to remember a filter. `semua` (all,
trash included) is for the trash page and restore only.

Deleting and restoring are saves, so django-simple-history records both with
the actor and a reason, next to every other change of the row.

Written here rather than taken from django-safedelete: that library brings five
deletion policies, its own admin and signal-based cascades, where this project
needs one policy, history through simple-history, and the scope checks of
`program.access`; a timestamp, a user and a manager are less to maintain.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class SoftDeleteQuerySet(models.QuerySet):
    def di_tempat_sampah(self):
        return self.filter(dihapus_pada__isnull=False)


class AliveManager(models.Manager.from_queryset(SoftDeleteQuerySet)):
    """The default manager: rows in the trash do not exist for the application."""

    def get_queryset(self):
        return super().get_queryset().filter(dihapus_pada__isnull=True)


class SoftDeleteModel(models.Model):
    dihapus_pada = models.DateTimeField(
        gettext_lazy("dihapus pada"), null=True, blank=True, editable=False, db_index=True
    )
    dihapus_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=gettext_lazy("dihapus oleh"),
    )

    objects = AliveManager()
    semua = models.Manager.from_queryset(SoftDeleteQuerySet)()

    class Meta:
        abstract = True

    @property
    def dihapus(self) -> bool:
        return self.dihapus_pada is not None


@transaction.atomic
def soft_delete(*, actor, obj: SoftDeleteModel) -> SoftDeleteModel:
    """Move a row to the trash; history records who and when."""
    obj.dihapus_pada = timezone.now()
    obj.dihapus_oleh = actor
    obj._history_user = actor
    obj._change_reason = _("Dipindahkan ke tempat sampah")
    obj.save(update_fields=["dihapus_pada", "dihapus_oleh"])
    return obj


@transaction.atomic
def soft_restore(*, actor, obj: SoftDeleteModel) -> SoftDeleteModel:
    """Bring a row back from the trash with its content untouched."""
    obj.dihapus_pada = None
    obj.dihapus_oleh = None
    obj._history_user = actor
    obj._change_reason = _("Dipulihkan dari tempat sampah")
    obj.save(update_fields=["dihapus_pada", "dihapus_oleh"])
    return obj
