"""Writes of lokakarya: creating a workshop from a template, participants,
attendance, running the agenda, class agreement and reflections."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lokakarya.models import (
    MAKS_PESERTA,
    MENIT_PER_JP,
    JenisTahap,
    Kehadiran,
    Lokakarya,
    Peserta,
    TahapLokakarya,
    TemplatLokakarya,
)
from program.models import Orang
from program.versioning import save_versioned

# --- agenda -------------------------------------------------------------------


def agenda_from_template(
    templat: TemplatLokakarya, *, fasilitator: Orang, fasilitator_2: Orang | None
) -> list[TahapLokakarya]:
    """The agenda of a new workshop, unsaved.

    With one facilitator the template's PMO slot (1 JP) stays first. With two,
    the seed's layout: material 3.5 JP led by A · PMO of A's schools 0.5 JP ·
    PMO of B's schools 0.5 JP · material 3.5 JP led by B.
    """
    stages = list(templat.tahap.order_by("urutan"))
    pmo = [s for s in stages if s.jenis == JenisTahap.PMO]
    materi = [s for s in stages if s.jenis != JenisTahap.PMO]

    def copy(src, **overrides) -> TahapLokakarya:
        values = {
            "hari": src.hari,
            "nama": src.nama,
            "alur": src.alur,
            "jenis": src.jenis,
            "menit_rencana": src.menit,
            "tujuan": src.tujuan,
            "kegiatan": src.kegiatan,
            "bahan": src.bahan,
            "persiapan": src.persiapan,
            "fasilitator": fasilitator,
        }
        values.update(overrides)
        return TahapLokakarya(**values)

    if fasilitator_2 is None or not pmo:
        agenda = [
            copy(s, pmo_sekolah_dari=fasilitator if s.jenis == JenisTahap.PMO else None)
            for s in stages
        ]
    else:
        # Split the material where half of its minutes have been taught.
        total = sum(s.menit for s in materi)
        running, first_half = 0, []
        for s in materi:
            if running >= total / 2:
                break
            first_half.append(s)
            running += s.menit
        second_half = materi[len(first_half) :]
        half_jp = MENIT_PER_JP / 2
        slot = pmo[0]
        agenda = [copy(s) for s in first_half]
        agenda.append(
            copy(
                slot,
                nama=_("Monitoring PMO sekolah dampingan %(nama)s") % {"nama": fasilitator.nama},
                menit_rencana=math.ceil(half_jp),
                fasilitator=fasilitator,
                pmo_sekolah_dari=fasilitator,
            )
        )
        agenda.append(
            copy(
                slot,
                nama=_("Monitoring PMO sekolah dampingan %(nama)s") % {"nama": fasilitator_2.nama},
                menit_rencana=math.floor(half_jp),
                fasilitator=fasilitator_2,
                pmo_sekolah_dari=fasilitator_2,
            )
        )
        agenda += [copy(s, fasilitator=fasilitator_2) for s in second_half]
    for i, tahap in enumerate(agenda, start=1):
        tahap.urutan = i
    return agenda


@transaction.atomic
def lokakarya_create(*, actor, templat: TemplatLokakarya | None, data: dict) -> Lokakarya:
    """Create a workshop; its agenda is copied from the template, so adjusting
    minutes for this workshop never touches the template."""
    lokakarya = Lokakarya(created_by=actor, templat=templat, **data)
    if templat is not None:
        lokakarya.program = lokakarya.program if lokakarya.program_id else templat.program
        lokakarya.jp = templat.jp
    if lokakarya.fasilitator_2_id and lokakarya.fasilitator_2_id == lokakarya.fasilitator_id:
        raise ValidationError({"fasilitator_2": _("Fasilitator kedua harus orang yang berbeda.")})
    if (
        lokakarya.tanggal_selesai
        and lokakarya.tanggal_mulai
        and (lokakarya.tanggal_selesai < lokakarya.tanggal_mulai)
    ):
        raise ValidationError(
            {"tanggal_selesai": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")}
        )
    lokakarya._history_user = actor
    lokakarya.full_clean()
    lokakarya.save()
    if templat is not None:
        agenda = agenda_from_template(
            templat, fasilitator=lokakarya.fasilitator, fasilitator_2=lokakarya.fasilitator_2
        )
        for tahap in agenda:
            tahap.lokakarya = lokakarya
        TahapLokakarya.objects.bulk_create(agenda)
    return lokakarya


@transaction.atomic
def lokakarya_update(*, actor, lokakarya: Lokakarya, expected_version: int, data: dict):
    for field, value in data.items():
        setattr(lokakarya, field, value)
    lokakarya._history_user = actor
    return save_versioned(lokakarya, expected_version=expected_version)


@transaction.atomic
def tahap_set_minutes(*, actor, tahap: TahapLokakarya, menit: int) -> TahapLokakarya:
    if menit < 0 or menit > 600:
        raise ValidationError(_("Menit harus antara 0 dan 600."))
    tahap.menit_rencana = menit
    tahap._history_user = actor
    tahap.save(update_fields=["menit_rencana"])
    return tahap


@transaction.atomic
def tahap_start(*, actor, tahap: TahapLokakarya) -> TahapLokakarya:
    """Start a stage (finishing the one still running, as facilitators move on)."""
    now = timezone.now()
    running = tahap.lokakarya.tahap.filter(mulai_at__isnull=False, selesai_at__isnull=True).exclude(
        pk=tahap.pk
    )
    for other in running:
        other.selesai_at = now
        other._history_user = actor
        other.save(update_fields=["selesai_at"])
    if tahap.mulai_at is None:
        tahap.mulai_at = now
        tahap.selesai_at = None
        tahap._history_user = actor
        tahap.save(update_fields=["mulai_at", "selesai_at"])
    return tahap


@transaction.atomic
def tahap_finish(*, actor, tahap: TahapLokakarya) -> TahapLokakarya:
    if tahap.mulai_at is None:
        raise ValidationError(_("Tahap ini belum dimulai."))
    if tahap.selesai_at is None:
        tahap.selesai_at = timezone.now()
        tahap._history_user = actor
        tahap.save(update_fields=["selesai_at"])
    return tahap


@transaction.atomic
def tahap_set_refleksi(*, actor, tahap: TahapLokakarya, refleksi: str) -> TahapLokakarya:
    tahap.refleksi = refleksi.strip()
    tahap._history_user = actor
    tahap.save(update_fields=["refleksi"])
    return tahap


# --- participants and attendance ---------------------------------------------------


@transaction.atomic
def peserta_add_lain(
    *, actor, lokakarya: Lokakarya, nama: str, instansi: str, peran: str, orang: Orang | None = None
) -> Peserta:
    """A participant from outside the facilitator's schools: the existing
    person the facilitator chose (see program.orang_sama), or a new one."""
    if orang is None:
        orang = Orang(nama=nama.strip(), instansi=instansi.strip())
        orang._history_user = actor
        orang.full_clean()
        orang.save()
    return peserta_add(actor=actor, lokakarya=lokakarya, orang=orang, peran=peran)


@transaction.atomic
def peserta_add(*, actor, lokakarya: Lokakarya, orang: Orang, peran: str, sekolah=None) -> Peserta:
    """Add a participant; a class holds at most 40."""
    # Lock the workshop row so two facilitators adding the 40th and 41st at the
    # same moment cannot both pass the count.
    Lokakarya.objects.select_for_update().filter(pk=lokakarya.pk).first()
    if Peserta.objects.filter(lokakarya=lokakarya, orang=orang).exists():
        raise ValidationError(_("%(nama)s sudah terdaftar sebagai peserta.") % {"nama": orang.nama})
    if Peserta.objects.filter(lokakarya=lokakarya).count() >= MAKS_PESERTA:
        raise ValidationError(
            _("Kelas sudah berisi %(maks)s peserta (batas maksimal). %(nama)s tidak ditambahkan.")
            % {"maks": MAKS_PESERTA, "nama": orang.nama}
        )
    peserta = Peserta(lokakarya=lokakarya, orang=orang, peran=peran, sekolah=sekolah)
    peserta._history_user = actor
    peserta.full_clean()
    peserta.save()
    return peserta


@transaction.atomic
def peserta_remove(*, actor, peserta: Peserta) -> None:
    peserta._history_user = actor
    peserta.delete()


@transaction.atomic
def kehadiran_set(*, actor, peserta: Peserta, kehadiran: str) -> Peserta:
    if kehadiran not in Kehadiran.values:
        raise ValidationError(_("Status kehadiran tidak dikenal."))
    peserta.kehadiran = kehadiran
    peserta._history_user = actor
    peserta.save(update_fields=["kehadiran"])
    return peserta


@transaction.atomic
def presensi_mandiri(*, actor, lokakarya: Lokakarya, kode: str) -> Peserta:
    """A logged-in participant checks in with the code shown on screen."""
    if not lokakarya.presensi_dibuka:
        raise ValidationError(_("Presensi mandiri belum dibuka oleh fasilitator."))
    if (kode or "").strip().upper() != lokakarya.kode_presensi:
        raise ValidationError(_("Kode presensi salah. Periksa kode di layar fasilitator."))
    from lokakarya.access import orang_of

    orang = orang_of(actor)
    peserta = Peserta.objects.filter(lokakarya=lokakarya, orang=orang).first()
    if peserta is None:
        raise ValidationError(_("Anda tidak terdaftar sebagai peserta lokakarya ini."))
    if peserta.check_in_at is None:
        peserta.check_in_at = timezone.now()
        if not peserta.kehadiran:
            peserta.kehadiran = Kehadiran.HADIR
        peserta._history_user = actor
        peserta.save(update_fields=["check_in_at", "kehadiran"])
    return peserta


@transaction.atomic
def kesepakatan_set(*, actor, lokakarya: Lokakarya, expected_version: int, teks: str):
    lokakarya.kesepakatan_kelas = teks.strip()
    lokakarya._history_user = actor
    return save_versioned(lokakarya, expected_version=expected_version)


@transaction.atomic
def tahap_record_times(*, actor, tahap: TahapLokakarya, mulai_at, selesai_at) -> TahapLokakarya:
    """Record a stage's actual times after the fact (the start button was forgotten)."""
    if mulai_at and selesai_at and selesai_at < mulai_at:
        raise ValidationError(_("Waktu selesai tidak boleh sebelum waktu mulai."))
    tahap.mulai_at, tahap.selesai_at = mulai_at, selesai_at
    tahap._history_user = actor
    tahap.save(update_fields=["mulai_at", "selesai_at"])
    return tahap
