from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionedModel(models.Model):
    """A row that users edit concurrently.

    `version` is bumped by `program.versioning.save_versioned` on every write;
    a save based on an older version is refused as a conflict.
    """

    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    class Meta:
        abstract = True
