"""The PSP activity calendar from fixtures/kalender_psp.json.

A year is seeded once (the current PSP year and the next, so the calendar is
there before October); a year that already has activities is left alone, so
operators' edits — a changed JP, a workshop moved to another month, a deleted
row — survive every later `load_reference`.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from program.access import OPERATOR_GROUP
from program.models import Program
from program.reference import read_fixture
from reports.models import KegiatanProgram, tahun_ajaran_psp

# Reference data of this app that operators edit in the admin.
OPERATOR_MODELS = ("kegiatanprogram", "jenistemplatlokakarya")


def seed_year(data: dict, program: Program, tahun_ajaran: int) -> int:
    """Create the fixture's activities for one year unless it has some already."""
    if KegiatanProgram.objects.filter(program=program, tahun_ajaran=tahun_ajaran).exists():
        return 0
    created = 0
    for row in data["kegiatan"]:
        topik = row.get("topik") or [None] * len(row["bulan"])
        for bulan, nomor in zip(row["bulan"], topik, strict=True):
            kegiatan = KegiatanProgram(
                program=program,
                tahun_ajaran=tahun_ajaran,
                jenis=row["jenis"],
                bulan=bulan,
                jp=row["jp"],
                per_sekolah=row["per_sekolah"],
                moda=row["moda"],
                topik=nomor,
                keterangan=row.get("keterangan", ""),
            )
            kegiatan.full_clean()
            kegiatan.save()
            created += 1
    return created


@transaction.atomic
def load(today=None) -> list[str]:
    data = read_fixture("kalender_psp.json")
    program = Program.objects.get(kode=data["program"])
    tahun = tahun_ajaran_psp(today or timezone.localdate())
    created = sum(seed_year(data, program, t) for t in (tahun, tahun + 1))
    group, _ = Group.objects.get_or_create(name=OPERATOR_GROUP)
    # program.reference sets the group's permissions first (apps load in order);
    # this adds the calendar models to them.
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reports", content_type__model__in=OPERATOR_MODELS
        )
    )
    return [
        f"{created} kegiatan kalender PSP baru "
        f"({KegiatanProgram.objects.filter(program=program).count()} seluruhnya)"
    ]
