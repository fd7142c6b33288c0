"""Every write of the calendar and reminders: calendar activities (admin),
iCal tokens, reminder preferences and the record of reminders sent."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from reports.models import (
    JenisPengingat,
    KegiatanProgram,
    PengingatNonaktif,
    PengingatTerkirim,
    TokenKalender,
)


@transaction.atomic
def kegiatan_program_save(*, actor, kegiatan: KegiatanProgram) -> KegiatanProgram:
    """Save a calendar activity (operators, in the admin), with history."""
    kegiatan._history_user = actor
    kegiatan.full_clean()
    kegiatan.save()
    return kegiatan


# --- iCal token ---------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def token_kalender_get_or_create(*, user) -> TokenKalender:
    token, _ = TokenKalender.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return token


@transaction.atomic
def token_kalender_reset(*, user) -> TokenKalender:
    """A new secret: the old feed URL stops working at once (404)."""
    token, created = TokenKalender.objects.select_for_update().get_or_create(
        user=user, defaults={"token": _new_token()}
    )
    if not created:
        token.token = _new_token()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
    return token


# --- reminders ----------------------------------------------------------------------


@transaction.atomic
def pengingat_preferensi_save(*, actor, aktif: Iterable[str]) -> set[str]:
    """Keep the kinds in `aktif` switched on and every other kind off; returns
    the kinds now switched off."""
    aktif = set(aktif)
    mati = {j for j in JenisPengingat.values if j not in aktif}
    PengingatNonaktif.objects.filter(user=actor).exclude(jenis__in=mati).delete()
    sudah = set(
        PengingatNonaktif.objects.filter(user=actor, jenis__in=mati).values_list("jenis", flat=True)
    )
    PengingatNonaktif.objects.bulk_create(
        PengingatNonaktif(user=actor, jenis=j) for j in sorted(mati - sudah)
    )
    return mati


def pengingat_nonaktif(user) -> set[str]:
    return set(PengingatNonaktif.objects.filter(user=user).values_list("jenis", flat=True))


def pengingat_record(*, user, jenis: str, kunci: Iterable[str]) -> list[str]:
    """Record the reasons about to be reminded of and return the new ones.

    Call inside the transaction that sends the email: if sending fails the
    records roll back and the next run tries again; if another run recorded a
    reason first, the unique constraint raises IntegrityError and this run's
    email is not sent.
    """
    kunci = list(dict.fromkeys(kunci))
    sudah = set(
        PengingatTerkirim.objects.filter(user=user, jenis=jenis, kunci__in=kunci).values_list(
            "kunci", flat=True
        )
    )
    baru = [k for k in kunci if k not in sudah]
    PengingatTerkirim.objects.bulk_create(
        PengingatTerkirim(user=user, jenis=jenis, kunci=k) for k in baru
    )
    return baru
