import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A background job (PDF, export, import) as a row.

    The Celery task only loads the row and calls `program.jobs.job_run`; the
    row carries status, progress, the result file and the error shown to the
    user. Ids are UUIDs so that a link does not reveal how many jobs exist.
    """

    class Status(models.TextChoices):
        ANTRE = "antre", _("Dalam antrean")
        BERJALAN = "berjalan", _("Sedang diproses")
        SELESAI = "selesai", _("Selesai")
        GAGAL = "gagal", _("Gagal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("jenis"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ANTRE
    )
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name=_("diminta oleh"),
    )
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    # Identifies the state of the source data: a request with the same key
    # reuses this job instead of rendering again.
    cache_key = models.CharField(max_length=200, blank=True, db_index=True)
    result = models.FileField(_("hasil"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("nama berkas"), max_length=200, blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    # When the broker accepted the task message. Empty while the job is queued
    # but could not be handed over (broker unreachable): the periodic sweep
    # and the job page send it once the broker is back.
    sent_at = models.DateTimeField(_("dikirim ke antrean"), null=True, blank=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pekerjaan latar")
        verbose_name_plural = _("pekerjaan latar")
        indexes = [models.Index(fields=["requested_by", "kind", "cache_key"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("program:job-detail", args=[self.pk])

    @property
    def label(self) -> str:
        from program.jobs import kind_label

        return kind_label(self.kind)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SELESAI, self.Status.GAGAL)
