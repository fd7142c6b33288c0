"""Every write of komunitas belajar, plus the recurrence and iCal of meetings."""

from __future__ import annotations

import datetime as dt

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from komunitas.models import (
    Frekuensi,
    HasilPeserta,
    JadwalRutin,
    KomunitasBelajar,
    Pedoman,
    Pertemuan,
    PraktikBaik,
    RencanaAksi,
    SiklusInkuiri,
    StatusTahap,
    Tahap,
    TahapOptimalisasi,
    UmpanBalikPedoman,
    VersiPedoman,
    new_ical_token,
)
from program.versioning import save_versioned


def _save(actor, obj, expected_version: int | None = None):
    """Validated save; versioned rows go through the conflict check."""
    obj._history_user = actor
    if hasattr(obj, "version"):
        return save_versioned(obj, expected_version=0 if obj._state.adding else expected_version)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def komunitas_save(
    *, actor, komunitas: KomunitasBelajar, expected_version: int = 0, data: dict, anggota=None
) -> KomunitasBelajar:
    pic_before = None if komunitas._state.adding else komunitas.pic_id
    for field, value in data.items():
        setattr(komunitas, field, value)
    if komunitas.terdaftar_pmm and not komunitas.tautan_pmm:
        raise ValidationError({"tautan_pmm": _("Isi tautan PMM bila komunitas sudah terdaftar.")})
    saved = _save(actor, komunitas, expected_version)
    if anggota is not None:
        before = set(saved.anggota.values_list("pk", flat=True))
        saved.anggota.set(anggota)
        after = {getattr(o, "pk", o) for o in anggota}
        # Someone who leaves the community no longer reads its schedule.
        if before - after or (pic_before is not None and pic_before != saved.pic_id):
            komunitas_ical_reset(actor=actor, komunitas=saved)
    return saved


def komunitas_ical_reset(*, actor, komunitas: KomunitasBelajar) -> KomunitasBelajar:
    """A new secret for the community's iCal feed: the old address stops working."""
    komunitas.ical_token = new_ical_token()
    KomunitasBelajar.objects.filter(pk=komunitas.pk).update(ical_token=komunitas.ical_token)
    return komunitas


# --- the five stages ----------------------------------------------------------------


def tahap_of_school(sekolah) -> list[TahapOptimalisasi]:
    """All five stages of a school, unsaved rows for those not started."""
    existing = {t.tahap: t for t in TahapOptimalisasi.objects.filter(sekolah=sekolah)}
    return [
        existing.get(t.value) or TahapOptimalisasi(sekolah=sekolah, tahap=t.value, version=0)
        for t in Tahap
    ]


@transaction.atomic
def tahap_set(
    *,
    actor,
    sekolah,
    tahap: int,
    expected_version: int,
    status: str,
    bukti: str = "",
    has_files: bool = False,
    tanggal_tercapai: dt.date | None = None,
) -> TahapOptimalisasi:
    """Update a stage. "Tercapai" needs evidence (text or a file) and gets the
    date it was reached; leaving "tercapai" clears that date."""
    if status not in StatusTahap.values:
        raise ValidationError(_("Status tahap tidak dikenal."))
    row = TahapOptimalisasi.objects.filter(sekolah=sekolah, tahap=tahap).first()
    if row is None:
        row = TahapOptimalisasi(sekolah=sekolah, tahap=tahap)
        expected_version = 0
        files = has_files
    else:
        files = has_files or row.berkas.exists()
    row.status = status
    row.bukti = (bukti or "").strip()
    if status == StatusTahap.TERCAPAI:
        if not row.bukti and not files:
            raise ValidationError(
                _(
                    "Tahap “%(tahap)s” hanya dapat ditandai tercapai dengan bukti "
                    "(uraian atau berkas)."
                )
                % {"tahap": Tahap(tahap).label}
            )
        row.tanggal_tercapai = tanggal_tercapai or row.tanggal_tercapai or timezone.localdate()
    else:
        row.tanggal_tercapai = None
    return _save(actor, row, expected_version)


# --- meetings -----------------------------------------------------------------------------

_WEEKDAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]


def occurrences(jadwal: JadwalRutin, start: dt.date, end: dt.date) -> list[dt.datetime]:
    """Meeting times of a recurring rule between two dates (inclusive), in local time."""
    tz = timezone.get_current_timezone()
    first = max(start, jadwal.mulai)
    last = min(end, jadwal.sampai) if jadwal.sampai else end
    if last < first:
        return []
    weekday = _WEEKDAYS[jadwal.hari]
    dtstart = dt.datetime.combine(jadwal.mulai, jadwal.jam_mulai)
    if jadwal.frekuensi == Frekuensi.BULANAN:
        rule = rrule.rrule(rrule.MONTHLY, dtstart=dtstart, byweekday=weekday(jadwal.minggu_ke or 1))
    else:
        # Count fortnights from the first meeting day on or after `mulai`.
        first_day = jadwal.mulai + dt.timedelta(days=(jadwal.hari - jadwal.mulai.weekday()) % 7)
        dtstart = dt.datetime.combine(first_day, jadwal.jam_mulai)
        interval = 2 if jadwal.frekuensi == Frekuensi.DUA_MINGGUAN else 1
        rule = rrule.rrule(rrule.WEEKLY, dtstart=dtstart, interval=interval, byweekday=weekday)
    window_start = dt.datetime.combine(first, dt.time.min)
    window_end = dt.datetime.combine(last, dt.time.max)
    return [
        moment.replace(tzinfo=tz) for moment in rule.between(window_start, window_end, inc=True)
    ]


@transaction.atomic
def jadwal_save(*, actor, jadwal: JadwalRutin, data: dict) -> JadwalRutin:
    for field, value in data.items():
        setattr(jadwal, field, value)
    if jadwal.frekuensi == Frekuensi.BULANAN and not jadwal.minggu_ke:
        raise ValidationError(
            {"minggu_ke": _("Jadwal bulanan memerlukan minggu ke- (1–5 atau -1).")}
        )
    if jadwal.sampai and jadwal.sampai < jadwal.mulai:
        raise ValidationError({"sampai": _("Tanggal akhir tidak boleh sebelum tanggal mulai.")})
    return _save(actor, jadwal)


@transaction.atomic
def jadwal_delete(*, actor, jadwal: JadwalRutin) -> None:
    """Remove a recurring rule; meetings already recorded stay."""
    jadwal._history_user = actor
    jadwal.delete()


def ical(komunitas: KomunitasBelajar, *, start: dt.date, end: dt.date) -> bytes:
    """The community's meetings as an iCalendar file (one event per meeting)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Pendampingan Penggerak//Komunitas Belajar//ID")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", komunitas.nama)
    for jadwal in komunitas.jadwal.all():
        for moment in occurrences(jadwal, start, end):
            event = Event()
            event.add(
                "uid",
                f"komunitas-{komunitas.pk}-jadwal-{jadwal.pk}-{moment:%Y%m%dT%H%M}@pendampingan",
            )
            event.add("summary", _("Pertemuan %(nama)s") % {"nama": komunitas.nama})
            event.add("dtstart", moment)
            event.add("dtend", moment + dt.timedelta(minutes=jadwal.durasi_menit))
            event.add("dtstamp", timezone.now())
            if jadwal.tempat:
                event.add("location", jadwal.tempat)
            cal.add_component(event)
    cal.add_missing_timezones()  # VTIMEZONE for Asia/Jakarta, as RFC 5545 requires
    return cal.to_ical()


@transaction.atomic
def pertemuan_save(
    *, actor, pertemuan: Pertemuan, expected_version: int = 0, data: dict, hadir=None
) -> Pertemuan:
    for field, value in data.items():
        setattr(pertemuan, field, value)
    saved = _save(actor, pertemuan, expected_version)
    if hadir is not None:
        saved.hadir.set(hadir)
    return saved


# --- cycles, good practice, plan --------------------------------------------------------


@transaction.atomic
def siklus_save(*, actor, siklus: SiklusInkuiri, expected_version: int = 0, data: dict):
    if siklus._state.adding and not siklus.nomor:
        last = SiklusInkuiri.objects.filter(komunitas=siklus.komunitas).aggregate(n=Max("nomor"))[
            "n"
        ]
        siklus.nomor = (last or 0) + 1
    for field, value in data.items():
        setattr(siklus, field, value)
    if siklus.selesai and not siklus.evaluasi.strip():
        raise ValidationError({"evaluasi": _("Siklus selesai setelah evaluasi bersama ditulis.")})
    return _save(actor, siklus, expected_version)


@transaction.atomic
def bukti_siklus_add(*, actor, siklus: SiklusInkuiri, tahap: str, uploaded_file, keterangan=""):
    """Evidence of one stage of a cycle, through the one upload path."""
    from komunitas.models import BuktiSiklus
    from program.uploads import berkas_create

    return BuktiSiklus.objects.create(
        siklus=siklus,
        tahap=tahap,
        berkas=berkas_create(actor=actor, uploaded_file=uploaded_file),
        keterangan=(keterangan or "").strip(),
    )


@transaction.atomic
def praktik_baik_save(*, actor, praktik: PraktikBaik, expected_version: int = 0, data: dict):
    for field, value in data.items():
        setattr(praktik, field, value)
    if praktik.dibagikan_pmm and not praktik.tautan_pmm:
        raise ValidationError({"tautan_pmm": _("Isi tautan PMM bila sudah dibagikan.")})
    return _save(actor, praktik, expected_version)


@transaction.atomic
def rencana_aksi_save(*, actor, rencana: RencanaAksi, expected_version: int = 0, data: dict):
    for field, value in data.items():
        setattr(rencana, field, value)
    return _save(actor, rencana, expected_version)


# --- guideline versions --------------------------------------------------------------------


@transaction.atomic
def pedoman_versi_add(
    *,
    actor,
    komunitas: KomunitasBelajar,
    isi: str = "",
    berkas=None,
    catatan_revisi: str = "",
    judul: str = "",
) -> VersiPedoman:
    """Add a new version; earlier versions are never changed."""
    if not (isi or "").strip() and berkas is None:
        raise ValidationError(_("Tulis isi pedoman atau unggah berkasnya."))
    pedoman, _created = Pedoman.objects.get_or_create(
        komunitas=komunitas,
        defaults={"judul": judul or _("Pedoman %(nama)s") % {"nama": komunitas.nama}},
    )
    Pedoman.objects.select_for_update().filter(pk=pedoman.pk).first()
    last = pedoman.versi.aggregate(n=Max("nomor"))["n"] or 0
    return VersiPedoman.objects.create(
        pedoman=pedoman,
        nomor=last + 1,
        isi=(isi or "").strip(),
        berkas=berkas,
        catatan_revisi=(catatan_revisi or "").strip(),
        dibuat_oleh=actor,
    )


@transaction.atomic
def pedoman_umpan_balik_add(*, actor, versi: VersiPedoman, isi: str) -> UmpanBalikPedoman:
    if not (isi or "").strip():
        raise ValidationError(_("Umpan balik tidak boleh kosong."))
    return UmpanBalikPedoman.objects.create(versi=versi, isi=isi.strip(), oleh=actor)


# --- tests and surveys ----------------------------------------------------------------------


@transaction.atomic
def hasil_set(*, actor, kegiatan, orang, data: dict) -> HasilPeserta:
    hasil = HasilPeserta.objects.filter(kegiatan=kegiatan, orang=orang).first() or HasilPeserta(
        kegiatan=kegiatan, orang=orang
    )
    for field, value in data.items():
        setattr(hasil, field, value)
    return _save(actor, hasil)
