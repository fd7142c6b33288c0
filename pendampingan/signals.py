"""What pendampingan does when the platform tells it something."""

from django.dispatch import receiver

from program.models import VersiProgram
from program.versi import versi_disalin


@receiver(versi_disalin, sender=VersiProgram, dispatch_uid="pendampingan-salin-templat-pi")
def salin_templat_pi(sender, *, dari, ke, actor, **kwargs) -> None:
    from pendampingan.services.templat import templat_copy_to_version

    templat_copy_to_version(dari=dari, ke=ke, actor=actor)
