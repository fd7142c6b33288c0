"""Writes of workshop groups: dividing participants and moving one by hand.

Groups are kept (matched by number) when they are divided again, so a product
linked to "Kelompok 2" stays linked; only groups no longer needed are deleted.
Every change is recorded in the group's history (members included); the seed
of a random division is kept there as the change reason, so the page can show
it and the facilitator can repeat the same division."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lokakarya.kelompok import URUTAN_PERAN, bagi_campuran, bagi_per_peran
from lokakarya.models import JenisKelompok, Kehadiran, Kelompok, Lokakarya, PeranPeserta, Peserta

JUMLAH_CAMPURAN = 4
JUMLAH_MIN, JUMLAH_MAX = 2, 10
ALASAN_SEED = "seed="  # prefix of the history change reason of a random division
ALASAN_PINDAH = "pindah manual"

# A role group keeps its number whatever other roles are present.
NOMOR_PERAN = {peran: i for i, peran in enumerate(URUTAN_PERAN, start=1)}


@dataclass(frozen=True)
class Pembagian:
    kelompok: list[Kelompok]
    seed: int | None  # None for groups by role: nothing random about them


def seed_from_reason(reason: str | None) -> int | None:
    if reason and reason.startswith(ALASAN_SEED):
        try:
            return int(reason.removeprefix(ALASAN_SEED))
        except ValueError:
            return None
    return None


@transaction.atomic
def kelompok_generate(
    *,
    actor,
    lokakarya: Lokakarya,
    jenis: str,
    jumlah: int | None = None,
    seed: int | None = None,
    hanya_hadir: bool = False,
) -> Pembagian:
    """Replace the workshop's groups of one kind.

    Mixed groups (`campuran`): `jumlah` groups (default 4), every role spread
    over them; without a seed the workshop's id is used, so dividing again
    without one gives the same groups. Groups by role (`peran`): one group per
    role present. With `hanya_hadir` only participants marked present or late
    are divided (the others leave the groups of this kind).
    """
    # Two facilitators dividing at the same moment must not interleave.
    Lokakarya.objects.select_for_update().filter(pk=lokakarya.pk).first()
    peserta_qs = lokakarya.peserta.all()
    if hanya_hadir:
        peserta_qs = peserta_qs.filter(kehadiran__in=[Kehadiran.HADIR, Kehadiran.TERLAMBAT])
    peserta = list(peserta_qs.order_by("pk").values_list("pk", "peran"))
    if not peserta:
        raise ValidationError(
            _("Belum ada peserta yang hadir.") if hanya_hadir else _("Belum ada peserta.")
        )

    if jenis == JenisKelompok.CAMPURAN:
        jumlah = JUMLAH_CAMPURAN if jumlah is None else jumlah
        if not JUMLAH_MIN <= jumlah <= JUMLAH_MAX:
            raise ValidationError(
                _("Jumlah kelompok harus antara %(min)s dan %(max)s.")
                % {"min": JUMLAH_MIN, "max": JUMLAH_MAX}
            )
        if jumlah > len(peserta):
            raise ValidationError(
                _("%(k)s kelompok terlalu banyak untuk %(n)s peserta.")
                % {"k": jumlah, "n": len(peserta)}
            )
        seed = lokakarya.pk if seed is None else seed
        plan = [
            (nomor, _("Kelompok %(nomor)s") % {"nomor": nomor}, members)
            for nomor, members in enumerate(bagi_campuran(peserta, jumlah, seed), start=1)
        ]
        reason = f"{ALASAN_SEED}{seed}"
    elif jenis == JenisKelompok.PERAN:
        seed = None
        plan = [
            (
                NOMOR_PERAN.get(peran, len(NOMOR_PERAN) + 1),
                _("Kelompok %(peran)s") % {"peran": PeranPeserta(peran).label},
                members,
            )
            for peran, members in bagi_per_peran(peserta).items()
        ]
        reason = ""
    else:
        raise ValidationError(_("Jenis kelompok tidak dikenal."))

    existing = {k.nomor: k for k in lokakarya.kelompok.filter(jenis=jenis)}
    groups = []
    for nomor, nama, members in plan:
        group = existing.pop(nomor, None) or Kelompok(lokakarya=lokakarya, jenis=jenis, nomor=nomor)
        group.nama = nama
        group._history_user = actor
        group._change_reason = reason
        group.full_clean()
        group.save()
        group.anggota.set(members)
        groups.append(group)
    for leftover in existing.values():
        leftover._history_user = actor
        leftover.delete()
    return Pembagian(kelompok=groups, seed=seed)


@transaction.atomic
def kelompok_move(*, actor, peserta: Peserta, kelompok: Kelompok) -> Kelompok:
    """Move a participant by hand into `kelompok`, out of any other group of
    the same kind (one group per kind)."""
    if peserta.lokakarya_id != kelompok.lokakarya_id:
        raise ValidationError(_("Peserta dan kelompok berasal dari lokakarya yang berbeda."))
    for old in peserta.kelompok.filter(jenis=kelompok.jenis).exclude(pk=kelompok.pk):
        old._history_user = actor
        old._change_reason = ALASAN_PINDAH
        old.anggota.remove(peserta)
    if not kelompok.anggota.filter(pk=peserta.pk).exists():
        kelompok._history_user = actor
        kelompok._change_reason = ALASAN_PINDAH
        kelompok.anggota.add(peserta)
    return kelompok
