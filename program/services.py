"""Writes to master data. Views and admin call these, never `.save()`."""

from __future__ import annotations

from django.db import transaction

from program.models import Orang
from program.versioning import save_versioned

PROFIL_FIELDS = ("nama", "nip", "nuptk", "instansi", "email", "telepon")


@transaction.atomic
def orang_update(*, actor, orang: Orang, expected_version: int, data: dict) -> Orang:
    """Update a person's profile; raises ConflictError if someone saved since."""
    for field in PROFIL_FIELDS:
        if field in data:
            value = data[field]
            setattr(orang, field, value.strip() if isinstance(value, str) else value)
    orang._history_user = actor
    return save_versioned(orang, expected_version=expected_version)
