"""Every write of pendampingan: sessions, journals, RTL, documentation, coaching."""

from __future__ import annotations

import io
import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pendampingan.models import (
    Bagian,
    CatatanPP,
    Dokumentasi,
    JurnalFasilitasi,
    JurnalPemantauan,
    JurnalPendampingan,
    LangkahPI,
    RencanaCoaching,
    RencanaTindakLanjut,
    SesiCoaching,
    SesiPI,
    StatusJurnal,
    StatusTindakLanjut,
    TemplatPI,
    lines,
)
from program.dates import month_start
from program.models import PenugasanPP
from program.softdelete import soft_delete, soft_restore
from program.uploads import berkas_create
from program.versioning import ConflictError, save_versioned

# --- templates ----------------------------------------------------------------


def templat_check_minutes(templat: TemplatPI, langkah: list[LangkahPI] | list[dict]) -> None:
    """Refuse a template whose steps do not add up to its parts' minutes.

    A template without steps is allowed (PI 3–6 start as headings only), and
    so is a part whose minutes are not known yet: the template then says what
    it lacks (`TemplatPI.kekurangan`) instead of comparing with a guess.
    """
    if not langkah:
        return
    totals = {b.value: 0 for b in Bagian}
    for step in langkah:
        bagian = step["bagian"] if isinstance(step, dict) else step.bagian
        menit = step["menit"] if isinstance(step, dict) else step.menit
        totals[bagian] += menit or 0
    errors = [
        _("%(bagian)s: langkah berjumlah %(jumlah)s menit, seharusnya %(target)s menit.")
        % {"bagian": label, "jumlah": totals[value], "target": templat.menit_bagian(value)}
        for value, label in Bagian.choices
        if templat.menit_bagian(value) is not None and totals[value] != templat.menit_bagian(value)
    ]
    if errors:
        raise ValidationError(errors)


def templat_snapshot(templat: TemplatPI | None) -> dict:
    """What a session keeps of its template, frozen at planning time."""
    if templat is None:
        return {"tema": "", "fokus": [], "langkah": []}
    return {
        "urutan": templat.urutan,
        "tema": templat.tema,
        # What the guidance lacked when the session was planned ("Panduan belum diisi").
        "kekurangan": templat.kekurangan(),
        "waktu": templat.waktu,
        "tujuan": templat.tujuan,
        "lokakarya_ke": templat.lokakarya_ke,
        "fokus": templat.fokus_list,
        "langkah": [
            {
                "urutan": s.urutan,
                "bagian": s.bagian,
                "judul": s.judul,
                "menit": s.menit,
                "kegiatan": s.kegiatan,
                "pertanyaan": lines(s.pertanyaan),
            }
            for s in templat.langkah.order_by("urutan")
        ],
    }


# --- sessions -----------------------------------------------------------------


@transaction.atomic
def sesi_get_or_create(*, actor, penugasan: PenugasanPP, urutan: int) -> SesiPI:
    """The session for PI `urutan`, planned from the current template if new.

    Called by the first write on a PI (scheduling it, saving its journal),
    never by a page: planning freezes the template into the session, so it
    happens when the PP acts, not when anyone looks (see
    selectors.pi_for_editing for the page of a PI not planned yet).
    """
    sesi = SesiPI.objects.filter(penugasan=penugasan, urutan=urutan).first()
    if sesi is not None:
        return sesi
    versi = penugasan.angkatan.versi
    if urutan not in versi.pi_numbers:
        raise ValidationError(
            _("%(versi)s hanya punya PI 1–%(n)s.") % {"versi": versi, "n": versi.jumlah_pi}
        )
    templat = TemplatPI.objects.of_pi(versi.pk, urutan)
    sesi = SesiPI(penugasan=penugasan, urutan=urutan, templat=templat_snapshot(templat))
    sesi._history_user = actor
    sesi.full_clean()
    sesi.save()
    return sesi


@transaction.atomic
def sesi_schedule(*, actor, sesi: SesiPI, expected_version: int, data: dict) -> SesiPI:
    if (
        sesi.pk
        and JurnalPendampingan.objects.filter(sesi=sesi, status=StatusJurnal.DIAJUKAN).exists()
    ):
        raise ValidationError(
            _(
                "Jurnal sesi ini sudah diajukan, jadi jadwalnya terkunci. Buka kembali "
                "jurnalnya (dengan alasan) bila jadwal perlu diubah."
            )
        )
    for field in ("tanggal", "jam_mulai", "moda", "tempat", "tautan"):
        setattr(sesi, field, data.get(field) or (None if field in ("tanggal", "jam_mulai") else ""))
    if not sesi.tanggal:
        raise ValidationError({"tanggal": _("Tanggal wajib diisi.")})
    if sesi.moda == "daring" and not sesi.tautan:
        raise ValidationError({"tautan": _("Sesi daring memerlukan tautan pertemuan.")})
    if sesi.moda == "luring" and not sesi.tempat:
        raise ValidationError({"tempat": _("Sesi luring memerlukan tempat.")})
    sesi._history_user = actor
    return save_versioned(sesi, expected_version=expected_version)


@transaction.atomic
def sesi_confirm_by_cgp(*, actor, sesi: SesiPI, komentar: str) -> SesiPI:
    """The CGP confirms the session took place (timestamp kept) with a comment."""
    if not sesi.tanggal:
        raise ValidationError(_("Sesi belum dijadwalkan, belum dapat dikonfirmasi."))
    if sesi.tanggal > timezone.localdate():
        raise ValidationError(
            _("Sesi ini dijadwalkan %(tanggal)s; konfirmasi dapat diberikan mulai hari itu.")
            % {"tanggal": date_format(sesi.tanggal, "j F Y")}
        )
    if sesi.dikonfirmasi_cgp_at is None:
        sesi.dikonfirmasi_cgp_at = timezone.now()
    sesi.komentar_cgp = komentar.strip()
    sesi._history_user = actor
    sesi.save(update_fields=["dikonfirmasi_cgp_at", "komentar_cgp"])
    return sesi


# --- journal ------------------------------------------------------------------

JURNAL_TEXT_FIELDS = ("sudah_baik", "perlu_ditingkatkan", "catatan")
_LANGKAH_KEY = re.compile(r"^langkah_(\d+)$")


def jurnal_of(sesi: SesiPI) -> JurnalPendampingan:
    """The session's journal (unsaved and empty if not started yet)."""
    try:
        return sesi.jurnal
    except JurnalPendampingan.DoesNotExist:
        return JurnalPendampingan(sesi=sesi, version=0)


@transaction.atomic
def jurnal_save_draft(
    *, actor, sesi: SesiPI, expected_version: int, data: dict
) -> JurnalPendampingan:
    """Autosave: store whatever the PP has typed so far.

    `data` holds `langkah_<n>` answers and the free-text fields. A submitted
    journal is locked; a stale version is a conflict (two tabs or devices).
    """
    jurnal = jurnal_of(sesi)
    if jurnal.is_submitted:
        raise ValidationError(_("Jurnal sudah diajukan dan terkunci. Buka kembali untuk mengubah."))
    valid_steps = {str(s["urutan"]) for s in sesi.templat.get("langkah", [])}
    answers = dict(jurnal.jawaban)
    for key, value in data.items():
        match = _LANGKAH_KEY.match(key)
        if match and match.group(1) in valid_steps:
            answers[match.group(1)] = str(value)
    jurnal.jawaban = answers
    for field in JURNAL_TEXT_FIELDS:
        if field in data:
            setattr(jurnal, field, str(data[field]))
    jurnal._history_user = actor
    if jurnal._state.adding:
        if expected_version not in (0, None):
            raise ValidationError(_("Versi jurnal tidak dikenal. Muat ulang halaman."))
        return save_versioned(jurnal, expected_version=0)
    try:
        return save_versioned(jurnal, expected_version=expected_version)
    except ConflictError as error:
        # A retried or late duplicate of a save that already landed (a weak
        # link, or the save fired when leaving the page) is not a conflict:
        # the stored text is already exactly this text.
        if _same_text(error.current, jurnal):
            return error.current
        raise


def _same_text(a: JurnalPendampingan, b: JurnalPendampingan) -> bool:
    return a.jawaban == b.jawaban and all(
        getattr(a, f) == getattr(b, f) for f in JURNAL_TEXT_FIELDS
    )


@transaction.atomic
def jurnal_submit(*, actor, sesi: SesiPI, expected_version: int) -> JurnalPendampingan:
    jurnal = jurnal_of(sesi)
    if jurnal._state.adding or not jurnal.has_content:
        raise ValidationError(_("Jurnal masih kosong. Isi catatan sesi sebelum mengajukan."))
    if jurnal.is_submitted:
        return jurnal
    if not sesi.tanggal:
        raise ValidationError(_("Jadwalkan sesi terlebih dahulu sebelum mengajukan jurnal."))
    jurnal.status = StatusJurnal.DIAJUKAN
    jurnal.diajukan_at = timezone.now()
    jurnal._history_user = actor
    jurnal._change_reason = _("Jurnal diajukan")
    return save_versioned(jurnal, expected_version=expected_version)


@transaction.atomic
def jurnal_reopen(*, actor, sesi: SesiPI, alasan: str) -> JurnalPendampingan:
    """Unlock a submitted journal; the reason is kept in its history."""
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError(_("Tuliskan alasan membuka kembali jurnal."))
    jurnal = jurnal_of(sesi)
    if not jurnal.is_submitted:
        raise ValidationError(_("Jurnal belum diajukan."))
    jurnal.status = StatusJurnal.DRAF
    jurnal.diajukan_at = None
    jurnal._history_user = actor
    jurnal._change_reason = alasan[:100]
    return save_versioned(jurnal, expected_version=jurnal.version)


# --- RTL ----------------------------------------------------------------------


@transaction.atomic
def rtl_add(*, actor, sesi: SesiPI, kegiatan: str, target: str = "", waktu: str = ""):
    item = RencanaTindakLanjut(
        sesi=sesi, kegiatan=kegiatan.strip(), target=target.strip(), waktu=waktu.strip()
    )
    item._history_user = actor
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def rtl_delete(*, actor, item: RencanaTindakLanjut) -> None:
    """To the trash: the PP can restore it (program.softdelete)."""
    if item.status:
        raise ValidationError(_("Rencana yang sudah dinilai tidak dapat dihapus."))
    soft_delete(actor=actor, obj=item)


@transaction.atomic
def rtl_restore(*, actor, item: RencanaTindakLanjut) -> RencanaTindakLanjut:
    return soft_restore(actor=actor, obj=item)


def rtl_carried_into(sesi: SesiPI):
    """RTL items of the previous PI of the same CGP: marked in this session."""
    if sesi.urutan <= 1:
        return RencanaTindakLanjut.objects.none()
    return RencanaTindakLanjut.objects.filter(
        sesi__penugasan_id=sesi.penugasan_id, sesi__urutan=sesi.urutan - 1
    ).order_by("created_at", "pk")


@transaction.atomic
def rtl_mark(*, actor, item: RencanaTindakLanjut, status: str, catatan: str = ""):
    if status not in StatusTindakLanjut.values or not status:
        raise ValidationError(_("Pilih status: terlaksana, sebagian, atau belum terlaksana."))
    item.status = status
    item.catatan_status = catatan.strip()
    item.dinilai_at = timezone.now()
    item._history_user = actor
    item.save(update_fields=["status", "catatan_status", "dinilai_at"])
    return item


# --- documentation ------------------------------------------------------------

THUMBNAIL_SIZE = (320, 320)


def _thumbnail(actor, uploaded: UploadedFile):
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail(THUMBNAIL_SIZE)
            buf = io.BytesIO()
            image.save(buf, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError):
        return None  # e.g. HEIC without a decoder: the original is still kept
    finally:
        uploaded.seek(0)
    thumb = SimpleUploadedFile("thumb.jpg", buf.getvalue(), content_type="image/jpeg")
    return berkas_create(actor=actor, uploaded_file=thumb)


@transaction.atomic
def dokumentasi_add(
    *, actor, sesi: SesiPI, uploaded_file: UploadedFile, jenis: str, keterangan: str = ""
) -> Dokumentasi:
    berkas = berkas_create(actor=actor, uploaded_file=uploaded_file)
    thumbnail = _thumbnail(actor, uploaded_file) if berkas.is_image else None
    dok = Dokumentasi(
        sesi=sesi, berkas=berkas, thumbnail=thumbnail, jenis=jenis, keterangan=keterangan.strip()
    )
    dok._history_user = actor
    dok.full_clean()
    dok.save()
    return dok


@transaction.atomic
def dokumentasi_delete(*, actor, dokumentasi: Dokumentasi) -> None:
    """To the trash; the stored file stays until the row is restored or purged."""
    soft_delete(actor=actor, obj=dokumentasi)


@transaction.atomic
def dokumentasi_restore(*, actor, dokumentasi: Dokumentasi) -> Dokumentasi:
    return soft_restore(actor=actor, obj=dokumentasi)


# --- other PGP journals -------------------------------------------------------


@transaction.atomic
def jurnal_modul_save(*, actor, jurnal, expected_version: int, data: dict):
    """Save a jurnal pemantauan or jurnal fasilitasi (both versioned)."""
    fields = {
        JurnalPemantauan: ("kemajuan", "kendala", "dukungan"),
        JurnalFasilitasi: ("pelajaran", "kelebihan", "kekurangan", "rekomendasi"),
    }[type(jurnal)]
    for field in fields:
        if field in data:
            setattr(jurnal, field, data[field])
    jurnal._history_user = actor
    if jurnal._state.adding:
        return save_versioned(jurnal, expected_version=0)
    return save_versioned(jurnal, expected_version=expected_version)


@transaction.atomic
def catatan_create(*, actor, pp, data: dict) -> CatatanPP:
    catatan = CatatanPP(pp=pp, **data)
    catatan._history_user = actor
    catatan.full_clean()
    catatan.save()
    return catatan


# --- coaching kepala sekolah ----------------------------------------------------


@transaction.atomic
def coaching_create(*, actor, sekolah, fasilitator, data: dict) -> SesiCoaching:
    sesi = SesiCoaching(sekolah=sekolah, fasilitator=fasilitator, created_by=actor, **data)
    sesi._history_user = actor
    sesi.full_clean()
    sesi.save()
    return sesi


@transaction.atomic
def coaching_update(*, actor, sesi: SesiCoaching, expected_version: int, data: dict):
    for field, value in data.items():
        setattr(sesi, field, value)
    sesi._history_user = actor
    return save_versioned(sesi, expected_version=expected_version)


@transaction.atomic
def rencana_coaching_set(*, actor, sekolah, rows: list[dict]) -> list[RencanaCoaching]:
    """Agree the topics of the coming months (usually a quarter: three rows)."""
    saved = []
    for row in rows:
        bulan = month_start(row["bulan"])
        obj, _created = RencanaCoaching.objects.update_or_create(
            sekolah=sekolah,
            bulan=bulan,
            defaults={"topik_pilihan": row["topik_pilihan"], "rincian": row.get("rincian", "")},
        )
        saved.append(obj)
    return saved
