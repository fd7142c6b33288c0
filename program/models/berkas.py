import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Berkas(models.Model):
    """An uploaded file that passed `program.uploads` validation.

    Domain rows point to a Berkas; the file is served only by the domain's
    own view after its access check, through `program.uploads.berkas_response`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(upload_to="berkas/%Y/%m/")
    nama_asli = models.CharField(_("nama berkas"), max_length=255)
    mime = models.CharField(_("jenis"), max_length=100)
    ukuran = models.PositiveBigIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(max_length=64)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("berkas")
        verbose_name_plural = _("berkas")

    def __str__(self) -> str:
        return self.nama_asli

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")
