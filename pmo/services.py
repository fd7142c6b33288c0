"""Every write of the PMO: steps 1–4, actions and their status history,
monthly notes, feedback, forum pokja, escalation handling."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.models import (
    BULAN_SIKLUS,
    TRANSISI_STATUS,
    AkarMasalah,
    CatatanBulanan,
    ForumPokja,
    InstrumenPMO,
    LampiranPMO,
    PenangananEskalasi,
    PerubahanStatus,
    SiklusPMO,
    Solusi,
    StatusTindakLanjut,
    TindakLanjut,
    UmpanBalik,
)
from program.dates import month_start
from program.softdelete import soft_delete, soft_restore
from program.versioning import save_versioned


def tahun_ajaran_of(day: dt.date) -> int:
    """The school year a date falls in: July starts a new one (2026-07 → 2026)."""
    return day.year if day.month >= 7 else day.year - 1


def periode_pmo(day: dt.date) -> tuple[int, int]:
    """The PMO cycle a date falls in, as (school year, cycle): August–January
    is cycle 1 of the school year begun that August, February–July cycle 2
    (PMO ke-6 is June–July, so July still closes the year before)."""
    if day.month >= 8:
        return day.year, SiklusPMO.PERTAMA
    if day.month == 1:
        return day.year - 1, SiklusPMO.PERTAMA
    return day.year - 1, SiklusPMO.KEDUA


def bulan_siklus(tahun_ajaran: int, siklus: int) -> list[dt.date]:
    """The first day of each month of a cycle, in order."""
    return [
        dt.date(tahun_ajaran if m >= 8 else tahun_ajaran + 1, m, 1) for m in BULAN_SIKLUS[siklus]
    ]


def siklus_sebelumnya(tahun_ajaran: int, siklus: int) -> tuple[int, int]:
    if siklus == SiklusPMO.KEDUA:
        return tahun_ajaran, SiklusPMO.PERTAMA
    return tahun_ajaran - 1, SiklusPMO.KEDUA


@transaction.atomic
def instrumen_get_or_create(*, actor, sekolah, tahun_ajaran: int, siklus: int) -> InstrumenPMO:
    instrumen = InstrumenPMO.objects.filter(
        sekolah=sekolah, tahun_ajaran=tahun_ajaran, siklus=siklus
    ).first()
    if instrumen is None:
        instrumen = InstrumenPMO(sekolah=sekolah, tahun_ajaran=tahun_ajaran, siklus=siklus)
        instrumen._history_user = actor
        instrumen.save()
    return instrumen


INSTRUMEN_FIELDS = {
    1: ("data_refleksi", "tujuan_sekolah", "target_sekolah"),
    2: ("subtopik", "masalah_prioritas"),
}


@transaction.atomic
def instrumen_update(*, actor, instrumen: InstrumenPMO, expected_version: int, data: dict):
    """Save the text of step 1 or 2 (conflict-safe)."""
    for fields in INSTRUMEN_FIELDS.values():
        for field in fields:
            if field in data:
                setattr(instrumen, field, (data[field] or "").strip())
    instrumen._history_user = actor
    return save_versioned(instrumen, expected_version=expected_version)


def langkah_tercapai(instrumen: InstrumenPMO) -> int:
    """The step the school has reached (0–4), derived from what is filled in.

    Expects `akar_masalah`, `solusi` and `tindak_lanjut` prefetched for lists.
    """
    if instrumen.tindak_lanjut.all():
        return 4
    if any(s.disepakati for s in instrumen.solusi.all()):
        return 3
    if instrumen.akar_masalah.all() and instrumen.masalah_prioritas.strip():
        return 2
    if instrumen.data_refleksi.strip():
        return 1
    return 0


@transaction.atomic
def lampiran_add(*, actor, instrumen, uploaded_file, langkah: int = 1, keterangan: str = ""):
    """Attach a document (e.g. the data used in step 1) through the one upload path."""
    from program.uploads import berkas_create

    lampiran = LampiranPMO(
        instrumen=instrumen,
        langkah=langkah,
        keterangan=(keterangan or "").strip(),
        berkas=berkas_create(actor=actor, uploaded_file=uploaded_file),
    )
    lampiran.full_clean()
    lampiran.save()
    return lampiran


# --- step 2 ---------------------------------------------------------------------


@transaction.atomic
def akar_masalah_add(*, actor, instrumen, uraian: str, indikator_rapor: str = "", prioritas=False):
    item = AkarMasalah(
        instrumen=instrumen,
        uraian=uraian.strip(),
        indikator_rapor=indikator_rapor.strip(),
        prioritas=prioritas,
    )
    item._history_user = actor
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def akar_masalah_delete(*, actor, item: AkarMasalah) -> None:
    """To the trash. Its solutions and their actions stay where they are, still
    linked, so a restore brings the root cause back with its links."""
    soft_delete(actor=actor, obj=item)


@transaction.atomic
def akar_masalah_restore(*, actor, item: AkarMasalah) -> AkarMasalah:
    return soft_restore(actor=actor, obj=item)


# --- step 3 ---------------------------------------------------------------------


@transaction.atomic
def solusi_save(*, actor, solusi: Solusi, expected_version: int, data: dict) -> Solusi:
    """Create or update a candidate solution. It can be agreed only when each of
    the four criteria has an answer."""
    for field in ("uraian", "akar_masalah", *Solusi.KRITERIA, "disepakati"):
        if field in data:
            setattr(solusi, field, data[field])
    if solusi.disepakati and not solusi.kriteria_lengkap:
        raise ValidationError(
            _(
                "Solusi belum dapat disepakati: jawab keempat kriteria (mendesak, dapat dilakukan "
                "dalam 6 bulan, sumber daya, mendukung target) terlebih dahulu."
            )
        )
    solusi._history_user = actor
    if solusi._state.adding:
        return save_versioned(solusi, expected_version=0)
    return save_versioned(solusi, expected_version=expected_version)


# --- step 4 ---------------------------------------------------------------------

TINDAK_LANJUT_FIELDS = (
    "solusi",
    "aktivitas",
    "tujuan",
    "indikator_keberhasilan",
    "mulai",
    "selesai",
    "pihak_terlibat",
)


@transaction.atomic
def tindak_lanjut_save(*, actor, tindak_lanjut: TindakLanjut, expected_version: int, data: dict):
    """Create or edit an action's plan (not its status: see tindak_lanjut_set_status)."""
    for field in TINDAK_LANJUT_FIELDS:
        if field in data:
            setattr(tindak_lanjut, field, data[field])
    if (
        tindak_lanjut.mulai
        and tindak_lanjut.selesai
        and tindak_lanjut.selesai < tindak_lanjut.mulai
    ):
        raise ValidationError({"selesai": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
    tindak_lanjut.diperbarui_at = timezone.now()
    tindak_lanjut._history_user = actor
    creating = tindak_lanjut._state.adding
    saved = save_versioned(tindak_lanjut, expected_version=0 if creating else expected_version)
    if creating:
        PerubahanStatus.objects.create(
            tindak_lanjut=saved,
            dari="",
            ke=saved.status,
            alasan=_("Tindak lanjut dibuat"),
            oleh=actor,
            at=saved.diperbarui_at,
        )
    return saved


@transaction.atomic
def tindak_lanjut_set_status(
    *,
    actor,
    tindak_lanjut: TindakLanjut,
    expected_version: int,
    status: str,
    alasan: str,
    at: dt.datetime | None = None,
) -> TindakLanjut:
    """Change an action's status; every change is kept with when, who and why."""
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError(_("Tuliskan alasan perubahan status."))
    if status not in StatusTindakLanjut.values:
        raise ValidationError(_("Status tidak dikenal."))
    current = tindak_lanjut.status
    if status == current:
        raise ValidationError(_("Status tidak berubah."))
    if status not in TRANSISI_STATUS[current]:
        raise ValidationError(
            _("Status “%(dari)s” tidak dapat langsung menjadi “%(ke)s”.")
            % {
                "dari": StatusTindakLanjut(current).label,
                "ke": StatusTindakLanjut(status).label,
            }
        )
    when = at or timezone.now()
    tindak_lanjut.status = status
    tindak_lanjut.diperbarui_at = when
    tindak_lanjut._history_user = actor
    tindak_lanjut._change_reason = alasan[:100]
    saved = save_versioned(tindak_lanjut, expected_version=expected_version)
    PerubahanStatus.objects.create(
        tindak_lanjut=saved, dari=current, ke=status, alasan=alasan, oleh=actor, at=when
    )
    return saved


@transaction.atomic
def catatan_bulanan_save(
    *,
    actor,
    tindak_lanjut: TindakLanjut,
    bulan: dt.date,
    expected_version: int,
    data: dict,
    at: dt.datetime | None = None,
) -> CatatanBulanan:
    """The month's implementation notes of an action (one record per month)."""
    bulan = month_start(bulan)
    catatan = CatatanBulanan.objects.filter(tindak_lanjut=tindak_lanjut, bulan=bulan).first()
    if catatan is None:
        catatan = CatatanBulanan(tindak_lanjut=tindak_lanjut, bulan=bulan)
        expected_version = 0
    for field in ("berjalan_baik", "belum_berjalan", "kendala", "solusi"):
        if field in data:
            setattr(catatan, field, (data[field] or "").strip())
    catatan._history_user = actor
    saved = save_versioned(catatan, expected_version=expected_version)
    TindakLanjut.objects.filter(pk=tindak_lanjut.pk).update(diperbarui_at=at or timezone.now())
    return saved


# --- review, forum, escalation ----------------------------------------------------


@transaction.atomic
def umpan_balik_add(*, actor, instrumen, isi: str, langkah=None, tindak_lanjut=None):
    if not (isi or "").strip():
        raise ValidationError(_("Umpan balik tidak boleh kosong."))
    if tindak_lanjut is not None and tindak_lanjut.instrumen_id != instrumen.pk:
        raise ValidationError(_("Tindak lanjut bukan milik PMO ini."))
    item = UmpanBalik(
        instrumen=instrumen,
        isi=isi.strip(),
        langkah=langkah,
        tindak_lanjut=tindak_lanjut,
        oleh=actor,
    )
    item._history_user = actor
    item.full_clean()
    item.save()
    return item


def keadaan_pmo(sekolah, bulan: dt.date) -> dict:
    """Snapshot of the actions and statuses of the PMO cycle the forum is in."""
    tahun, siklus = periode_pmo(bulan)
    actions = TindakLanjut.objects.filter(
        instrumen__sekolah=sekolah, instrumen__tahun_ajaran=tahun, instrumen__siklus=siklus
    ).order_by("pk")
    return {
        "tindak_lanjut": [
            {"id": a.pk, "aktivitas": a.aktivitas, "status": a.status} for a in actions
        ]
    }


@transaction.atomic
def forum_pokja_save(*, actor, forum: ForumPokja, expected_version: int, data: dict) -> ForumPokja:
    for field, value in data.items():
        setattr(forum, field, value)
    forum.bulan = month_start(forum.tanggal) if forum.tanggal else forum.bulan
    forum._history_user = actor
    same_month = ForumPokja.objects.filter(sekolah=forum.sekolah, bulan=forum.bulan)
    if forum.pk:
        same_month = same_month.exclude(pk=forum.pk)
    if same_month.exists():
        raise ValidationError(
            _("Forum pokja bulan ini untuk sekolah ini sudah dicatat. Ubah catatan yang ada.")
        )
    if forum._state.adding:
        forum.dicatat_oleh = actor
        forum.keadaan_pmo = keadaan_pmo(forum.sekolah, forum.bulan)
        return save_versioned(forum, expected_version=0)
    return save_versioned(forum, expected_version=expected_version)


@transaction.atomic
def eskalasi_handle(*, actor, tindak_lanjut: TindakLanjut, catatan: str) -> PenangananEskalasi:
    if not (catatan or "").strip():
        raise ValidationError(_("Tuliskan catatan penanganan."))
    return PenangananEskalasi.objects.create(
        tindak_lanjut=tindak_lanjut, catatan=catatan.strip(), oleh=actor
    )
