"""Writes of the school's stages with their files, mentoring activities and
their results, and guideline versions with an uploaded document; plus the
school-level read scope these pages share.

Everything here composes the services of `komunitas.services` so that a file
and the row it proves are saved, or refused, together.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from komunitas import services
from komunitas.models import (
    BuktiTahap,
    KegiatanPendampingan,
    KomunitasBelajar,
    TahapOptimalisasi,
    VersiPedoman,
)
from program.models import Sekolah
from program.uploads import berkas_create
from program.versioning import ConflictError, save_versioned

# --- scope ---------------------------------------------------------------------------


# --- the five stages -----------------------------------------------------------------


@transaction.atomic
def tahap_save(
    *,
    actor,
    sekolah: Sekolah,
    tahap: int,
    expected_version: int,
    status: str,
    bukti: str = "",
    uploaded_file=None,
    keterangan: str = "",
) -> TahapOptimalisasi:
    """Set a stage's status and evidence; a file uploaded with it is saved
    first, so that it counts as the evidence "tercapai" needs. A refusal or a
    conflict rolls the file back with the rest."""
    if uploaded_file is not None:
        row = TahapOptimalisasi.objects.select_for_update().filter(
            sekolah=sekolah, tahap=tahap
        ).first() or TahapOptimalisasi(sekolah=sekolah, tahap=tahap)
        if row._state.adding:
            # The file needs a row to hang on; the status is set just below.
            row._history_user = actor
            row = save_versioned(row, expected_version=0)
            expected_version = row.version
        elif row.version != expected_version:
            raise ConflictError(row)  # before anything is stored
        BuktiTahap.objects.create(
            tahap=row,
            berkas=berkas_create(actor=actor, uploaded_file=uploaded_file),
            keterangan=(keterangan or "").strip()[:255],
        )
    return services.tahap_set(
        actor=actor,
        sekolah=sekolah,
        tahap=tahap,
        expected_version=expected_version,
        status=status,
        bukti=bukti,
        has_files=uploaded_file is not None,
    )


# --- mentoring activities, pre/post and satisfaction ---------------------------------


@transaction.atomic
def kegiatan_add(
    *, actor, komunitas: KomunitasBelajar, judul: str, tanggal: dt.date
) -> KegiatanPendampingan:
    kegiatan = KegiatanPendampingan(
        komunitas=komunitas, judul=(judul or "").strip(), tanggal=tanggal
    )
    kegiatan._history_user = actor
    kegiatan.full_clean()
    kegiatan.save()
    return kegiatan


@transaction.atomic
def hasil_set_many(*, actor, kegiatan: KegiatanPendampingan, rows: list[tuple]) -> int:
    """Save the results of several participants at once: all or nothing.

    `rows` holds (orang, data) pairs; a row whose values are all empty and
    that has no result yet is skipped. Returns the number of rows saved.
    """
    existing = set(kegiatan.hasil.values_list("orang_id", flat=True))
    saved = 0
    for orang, data in rows:
        empty = all(v in (None, "") for v in data.values())
        if empty and orang.pk not in existing:
            continue
        try:
            services.hasil_set(actor=actor, kegiatan=kegiatan, orang=orang, data=data)
        except ValidationError as error:
            raise ValidationError(
                _("%(nama)s: %(pesan)s") % {"nama": orang.nama, "pesan": " ".join(error.messages)}
            ) from error
        saved += 1
    return saved


def gain(pre: Decimal | None, post: Decimal | None) -> Decimal | None:
    """Post minus pre, when both were taken."""
    if pre is None or post is None:
        return None
    return post - pre


# --- guideline versions --------------------------------------------------------------


@transaction.atomic
def pedoman_versi_upload(
    *,
    actor,
    komunitas: KomunitasBelajar,
    isi: str = "",
    uploaded_file=None,
    catatan_revisi: str = "",
    judul: str = "",
) -> VersiPedoman:
    """Add a version with text and/or a document; earlier versions stay as they are."""
    berkas = berkas_create(actor=actor, uploaded_file=uploaded_file) if uploaded_file else None
    return services.pedoman_versi_add(
        actor=actor,
        komunitas=komunitas,
        isi=isi,
        berkas=berkas,
        catatan_revisi=catatan_revisi,
        judul=judul,
    )
