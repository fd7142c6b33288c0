"""Two PMO cycles a school year (issue 18 §1): PMO ke-1…3 (August–January)
and ke-4…6 (February–July). From February the school reflects again and
plans a new cycle; the first stays as it was and is shown, read-only, as the
start of the second. The region table, escalation, "since last month", the
export and the dashboard count the cycle of today."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from pmo import services
from pmo.models import InstrumenPMO, Solusi, StatusTindakLanjut, TindakLanjut
from pmo.selectors import eskalasi_filter
from program.models import Peran
from tests.factories import (
    KabupatenFactory,
    OrangFactory,
    PenugasanSekolahFactory,
    PenugasanWilayahFactory,
    SekolahFactory,
)

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
TAHUN = 2030  # the school year 2030/2031, far from the real calendar


def at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=WIB)


@pytest.mark.parametrize(
    ("day", "periode"),
    [
        (dt.date(TAHUN, 7, 31), (TAHUN - 1, 2)),  # PMO ke-6 is June–July
        (dt.date(TAHUN, 8, 1), (TAHUN, 1)),
        (dt.date(TAHUN + 1, 1, 31), (TAHUN, 1)),  # PMO ke-3 is December–January
        (dt.date(TAHUN + 1, 2, 1), (TAHUN, 2)),
        (dt.date(TAHUN + 1, 7, 1), (TAHUN, 2)),
    ],
)
def test_each_date_falls_in_one_cycle(day, periode):
    assert services.periode_pmo(day) == periode


def test_the_months_of_each_cycle():
    assert [b.month for b in services.bulan_siklus(TAHUN, 1)] == [8, 9, 10, 11, 12, 1]
    assert services.bulan_siklus(TAHUN, 1)[-1] == dt.date(TAHUN + 1, 1, 1)
    assert services.bulan_siklus(TAHUN, 2) == [dt.date(TAHUN + 1, m, 1) for m in range(2, 8)]


@pytest.fixture
def sekolah(db):
    kabupaten = KabupatenFactory(kode="5297", nama="Kabupaten Siklus")
    sekolah = SekolahFactory(kabupaten=kabupaten, nama="SMP Negeri 3 Siklus")
    kepala = OrangFactory(nama="Kepala Siklus")
    PenugasanSekolahFactory(orang=kepala, sekolah=sekolah, peran=Peran.KEPALA_SEKOLAH)
    koordinator = OrangFactory(nama="Koordinator Siklus")
    PenugasanWilayahFactory(orang=koordinator, kabupaten=kabupaten)
    sekolah.kepala, sekolah.koordinator = kepala.user, koordinator.user
    return sekolah


def first_cycle(sekolah) -> InstrumenPMO:
    """Cycle 1 as a school leaves it in January: a priority problem, an
    agreed solution, one action done and one stuck."""
    actor = sekolah.kepala
    with time_machine.travel(at(TAHUN, 9, 1), tick=False):
        instrumen = services.instrumen_get_or_create(
            actor=actor, sekolah=sekolah, tahun_ajaran=TAHUN, siklus=1
        )
        instrumen = services.instrumen_update(
            actor=actor,
            instrumen=instrumen,
            expected_version=instrumen.version,
            data={"data_refleksi": "Rapor Pendidikan 2030", "masalah_prioritas": "Literasi rendah"},
        )
        services.akar_masalah_add(actor=actor, instrumen=instrumen, uraian="Guru jarang membaca")
        solusi = services.solusi_save(
            actor=actor,
            solusi=Solusi(instrumen=instrumen),
            expected_version=0,
            data={
                "uraian": "Pojok baca tiap kelas",
                **dict.fromkeys(Solusi.KRITERIA, True),
                "disepakati": True,
            },
        )
        actions = []
        for aktivitas in ("Pojok baca kelas 7", "Jurnal membaca guru"):
            actions.append(
                services.tindak_lanjut_save(
                    actor=actor,
                    tindak_lanjut=TindakLanjut(instrumen=instrumen),
                    expected_version=0,
                    data={"solusi": solusi, "aktivitas": aktivitas},
                )
            )
    with time_machine.travel(at(TAHUN + 1, 1, 20), tick=False):
        done, stuck = actions
        for action, status in (
            (done, StatusTindakLanjut.BERJALAN),
            (done, StatusTindakLanjut.SELESAI),
            (stuck, StatusTindakLanjut.TERKENDALA),
        ):
            action.refresh_from_db()
            services.tindak_lanjut_set_status(
                actor=actor,
                tindak_lanjut=action,
                expected_version=action.version,
                status=status,
                alasan="Perubahan Januari",
            )
    return instrumen


def test_in_february_the_head_starts_a_second_cycle_and_the_first_stays(client, sekolah):
    pertama = first_cycle(sekolah)
    with time_machine.travel(at(TAHUN + 1, 2, 3), tick=False):
        client.force_login(sekolah.kepala)
        page = client.get(reverse("pmo:sekolah", args=[sekolah.pk]))
        assert page.status_code == 200  # no cycle-2 PMO yet: nothing is made by a GET
        assert InstrumenPMO.objects.filter(sekolah=sekolah).count() == 1
        text = page.text
        assert f"Mulai PMO {TAHUN}/{TAHUN + 1} siklus 2" in text
        # The first cycle's results, read-only, as the start of the second.
        lalu = text.split('id="siklus-lalu"')[1]
        assert "Literasi rendah" in lalu and "Pojok baca tiap kelas" in lalu
        assert "Selesai</span> Pojok baca kelas 7" in lalu
        assert "Terkendala</span> Jurnal membaca guru" in lalu
        assert "<form" not in lalu

        response = client.post(reverse("pmo:sekolah", args=[sekolah.pk]))
        kedua = InstrumenPMO.objects.get(sekolah=sekolah, tahun_ajaran=TAHUN, siklus=2)
        assert response["Location"] == kedua.get_absolute_url()
        page = client.get(kedua.get_absolute_url())
        assert "siklus 2 (PMO ke-4–6)" in page.text
        assert 'id="siklus-lalu"' in page.text and "bukan-berjalan" not in page.text
        # Writing the new cycle leaves the first as it was.
        client.post(
            reverse("pmo:langkah-save", args=[sekolah.pk, TAHUN, 2, 2]),
            {"subtopik": "", "masalah_prioritas": "Numerasi", "version": kedua.version},
        )
        kedua.refresh_from_db()
        pertama.refresh_from_db()
        assert (kedua.masalah_prioritas, pertama.masalah_prioritas) == (
            "Numerasi",
            "Literasi rendah",
        )
        # The first cycle's page says it is not the current one.
        page = client.get(pertama.get_absolute_url())
        assert "Ini bukan PMO siklus berjalan" in page.text


def test_a_stuck_action_of_the_ended_cycle_no_longer_escalates(client, sekolah):
    first_cycle(sekolah)
    stuck = TindakLanjut.objects.get(aktivitas="Jurnal membaca guru")
    january, february = at(TAHUN + 1, 1, 25), at(TAHUN + 1, 2, 3)
    assert list(eskalasi_filter(TindakLanjut.objects.all(), now=january)) == [stuck]
    assert not eskalasi_filter(TindakLanjut.objects.all(), now=february).exists()

    for moment, shown in ((january, True), (february, False)):
        with time_machine.travel(moment, tick=False):
            client.force_login(sekolah.koordinator)
            escalations = client.get(reverse("pmo:eskalasi")).text
            assert ("Jurnal membaca guru" in escalations) is shown
            row = client.get(reverse("pmo:wilayah")).context["rows"][0]
            assert row.jumlah_eskalasi == (1 if shown else 0)
            # January counts cycle 1's two actions; February's cycle has none yet.
            assert row.jumlah_tindak_lanjut == (2 if shown else 0)
            assert row.siklus == (1 if shown else 2)


def test_since_last_month_offers_only_the_months_of_the_cycle(client, sekolah):
    first_cycle(sekolah)
    fasilitator = OrangFactory(nama="Fasilitator Siklus")
    PenugasanSekolahFactory(orang=fasilitator, sekolah=sekolah, peran=Peran.FASILITATOR)
    with time_machine.travel(at(TAHUN + 1, 3, 5), tick=False):
        client.force_login(fasilitator.user)
        url = reverse("pmo:sejak-bulan-lalu", args=[sekolah.pk, TAHUN, 1])
        months = client.get(url).context["pilihan_bulan"]
    assert months == services.bulan_siklus(TAHUN, 1)


def test_the_region_export_says_which_cycle(client, sekolah, django_capture_on_commit_callbacks):
    from tests.pmo.test_wilayah import download

    first_cycle(sekolah)
    with time_machine.travel(at(TAHUN + 1, 2, 3), tick=False):
        client.force_login(sekolah.koordinator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("pmo:wilayah-csv"))
        content = download(client, response).decode("utf-8-sig").splitlines()
    header = content[0].split(",")
    row = dict(zip(header, content[1].split(","), strict=False))
    assert row["Tahun ajaran"] == f"{TAHUN}/{TAHUN + 1}" and row["Siklus PMO"] == "2"
