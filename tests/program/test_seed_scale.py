"""seed_scale at a tiny factor: the plan's row counts, valid references, demo pages.

One seeding serves all checks: seed_demo plus the seed take most of the time.
"""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.db.models.functions import Length
from django.urls import reverse

from komunitas.models import KomunitasBelajar
from lokakarya.models import Lokakarya, Peserta
from pendampingan.models import JurnalPendampingan, SesiPI
from pmo.models import InstrumenPMO, TindakLanjut
from program.models import KabupatenKota, KelasDaring, Orang, PenugasanPP, Provinsi
from program.scale import KODE_PREFIX, NPSN_PREFIX, Plan, ScaleError, check_ready
from tests.conftest import require, uses_postgres

FACTOR = 0.01


def _orphans(model) -> list[str]:
    """Foreign keys of `model` whose value names no row: found by a join, not
    by trusting the constraints the seed dropped and added again."""
    bad = []
    with connection.cursor() as cursor:
        for field in model._meta.concrete_fields:
            if not field.is_relation:
                continue
            target = field.related_model._meta
            cursor.execute(
                f'SELECT COUNT(*) FROM "{model._meta.db_table}" t '  # noqa: S608
                f'LEFT JOIN "{target.db_table}" r ON r."{field.target_field.column}" = '
                f't."{field.column}" WHERE t."{field.column}" IS NOT NULL '
                f'AND r."{field.target_field.column}" IS NULL'
            )
            if cursor.fetchone()[0]:
                bad.append(f"{model._meta.label}.{field.name}")
    return bad


def _foreign_keys() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'f'"
        )
        return set(cursor.fetchall())


@pytest.fixture
def seeded(db, request):
    require(uses_postgres(), "PostgreSQL")
    demo = request.getfixturevalue("demo")
    fks_before = _foreign_keys()
    out = io.StringIO()
    call_command("seed_scale", "--factor", str(FACTOR), stdout=out)
    return {"demo": demo, "output": out.getvalue(), "fks_before": fks_before}


def test_tiny_national_seed_follows_the_plan_and_keeps_the_demo_working(seeded, client):
    plan = Plan.for_factor(FACTOR)
    national = PenugasanPP.objects.filter(sekolah__npsn__startswith=NPSN_PREFIX)

    assert Provinsi.objects.filter(kode__startswith=KODE_PREFIX).count() == plan.provinsi
    assert KabupatenKota.objects.filter(kode__startswith=KODE_PREFIX).count() == plan.kabupaten
    assert national.count() == plan.cgp
    assert national.values("pp").distinct().count() == plan.pp
    assert SesiPI.objects.filter(penugasan__in=national).count() == plan.cgp * 6
    # Every national CGP is in an online class of their own cohort, with a Fasilitator PGP.
    assert not national.filter(kelas__isnull=True).exists()
    assert not national.exclude(kelas__angkatan=F("angkatan")).exists()
    kelas = KelasDaring.objects.filter(penugasan__in=national).distinct()
    assert kelas.count() == plan.kelas_daring
    assert kelas.values("fasilitator").distinct().count() == plan.kelas_daring
    assert (
        InstrumenPMO.objects.filter(sekolah__npsn__startswith=NPSN_PREFIX).count()
        == plan.sekolah_psp * 2
    )
    assert (
        KomunitasBelajar.objects.filter(sekolah__npsn__startswith=NPSN_PREFIX).count()
        == plan.sekolah_psp
    )
    nasional = Lokakarya.objects.filter(nama__contains="klaster")
    assert nasional.count() == plan.lokakarya
    assert Peserta.objects.filter(lokakarya__in=nasional).count() == plan.lokakarya * 40
    assert Lokakarya.objects.exclude(nama__contains="klaster").exists()  # the demo's remain
    # Every national PP can log in.
    assert not Orang.objects.filter(pk__in=national.values("pp"), user__isnull=True).exists()

    # Journals carry realistic text, and only sessions that took place have one.
    lengths = JurnalPendampingan.objects.filter(sesi__penugasan__in=national).annotate(
        n=Length("sudah_baik")
    )
    assert lengths.exists()
    assert all(300 <= n <= 2000 for n in lengths.values_list("n", flat=True))
    assert not JurnalPendampingan.objects.filter(sesi__tanggal__isnull=True).exists()
    assert TindakLanjut.objects.filter(perubahan_status__isnull=False).exists()

    models = [SesiPI, JurnalPendampingan, PenugasanPP, Peserta, TindakLanjut, KomunitasBelajar]
    models += [Lokakarya, InstrumenPMO, Orang]
    orphans = [name for model in models for name in _orphans(model)]
    assert orphans == []
    # The constraints dropped for the load are all back (and PostgreSQL
    # validated each of them when it was added again).
    assert _foreign_keys() == seeded["fks_before"]
    assert "program_sekolah" in seeded["output"]  # timings per table are printed

    # Seeding twice is refused, and adds nothing.
    sesi = SesiPI.objects.count()
    with pytest.raises(CommandError, match="sudah ada"):
        call_command("seed_scale", "--factor", str(FACTOR), stdout=io.StringIO())
    assert SesiPI.objects.count() == sesi

    # The demo accounts still work, and see the national data of their region.
    demo = seeded["demo"]
    client.force_login(demo["pp1"])
    response = client.get(reverse("pendampingan:beranda-pp"))
    assert response.status_code == 200
    assert "Rusdiana" in response.content.decode()  # pp1's own CGP, as before

    client.force_login(demo["koordinator1"])
    response = client.get(reverse("reports:dasbor"))
    assert response.status_code == 200
    # The coordinator's Lombok Timur holds national PP too: one is on the dashboard.
    kabupaten = Orang.objects.get(user=demo["koordinator1"]).penugasan_wilayah.get().kabupaten
    pp = (
        Orang.objects.filter(
            cgp_dampingan__sekolah__kabupaten=kabupaten,
            cgp_dampingan__sekolah__npsn__startswith=NPSN_PREFIX,
        )
        .order_by("nama")
        .first()
    )
    assert pp is not None
    assert pp.nama in response.content.decode()


def test_refuses_without_postgresql(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(ScaleError, match="PostgreSQL"):
        check_ready()


def test_the_generators_run_platform_first_then_each_app_in_its_declared_order():
    from program.scale.run import generators

    modules = [seed.__module__ for seed in generators()]
    assert modules == [
        "program.scale.platform",
        "pendampingan.scale",
        "pmo.scale",
        "lokakarya.scale",
        "komunitas.scale",
    ]


def test_two_generators_with_the_same_order_are_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    import pmo.scale
    from program.scale.run import generators

    monkeypatch.setattr(pmo.scale, "ORDER", 10)  # pendampingan's
    with pytest.raises(ImproperlyConfigured, match="both declare ORDER = 10"):
        generators()
