"""What pendampingan does when the platform tells it something."""

from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext as _

from program.models import VersiProgram
from program.versi import jumlah_pi_dikurangi, versi_disalin


@receiver(versi_disalin, sender=VersiProgram, dispatch_uid="pendampingan-salin-templat-pi")
def salin_templat_pi(sender, *, dari, ke, actor, **kwargs) -> None:
    from pendampingan.services.templat import templat_copy_to_version

    templat_copy_to_version(dari=dari, ke=ke, actor=actor)


@receiver(jumlah_pi_dikurangi, sender=VersiProgram, dispatch_uid="pendampingan-jumlah-pi")
def tolak_bila_ada_sesi(sender, *, versi, jumlah_pi, **kwargs) -> None:
    """A version keeps at least as many PI as any of its cohorts has sessions
    for: lowering the count would hide sessions a PP already keeps."""
    from pendampingan.models import SesiPI

    tertinggi = (
        SesiPI.objects.filter(penugasan__angkatan__versi=versi, urutan__gt=jumlah_pi)
        .order_by("-urutan")
        .values_list("urutan", flat=True)
        .first()
    )
    if tertinggi is not None:
        raise ValidationError(
            {
                "jumlah_pi": _(
                    "Angkatan versi ini sudah punya sesi PI %(n)s; jumlah PI tidak bisa kurang "
                    "dari %(n)s."
                )
                % {"n": tertinggi}
            }
        )
