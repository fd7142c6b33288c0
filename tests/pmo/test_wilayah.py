"""The coordinator's region: table, escalations, CSV export, and the Laporan PMO PDF."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pmo import services
from pmo.models import (
    InstrumenPMO,
    PenangananEskalasi,
    Solusi,
    StatusTindakLanjut,
    TindakLanjut,
)
from pmo.selectors.wilayah import eskalasi_wilayah
from program.dates import add_months
from program.models import Jenjang, Job, KabupatenKota, Sekolah
from tests.factories import (
    KabupatenFactory,
    OrangFactory,
    PenugasanWilayahFactory,
    SekolahFactory,
)

S = StatusTindakLanjut


def tahun_ini() -> int:
    return services.periode_pmo(timezone.localdate())[0]


def periode() -> dict:
    """Today's PMO cycle, as instrument fields."""
    tahun, siklus = services.periode_pmo(timezone.localdate())
    return {"tahun_ajaran": tahun, "siklus": siklus}


def new_pmo(sekolah, actor, *, refleksi="Data asesmen"):
    instrumen = services.instrumen_get_or_create(actor=actor, sekolah=sekolah, **periode())
    return services.instrumen_update(
        actor=actor,
        instrumen=instrumen,
        expected_version=instrumen.version,
        data={"data_refleksi": refleksi},
    )


def new_action(instrumen, actor, aktivitas, *, status=None, at=None, **data):
    """An action, optionally moved to `status`, last updated at `at`."""
    action = services.tindak_lanjut_save(
        actor=actor,
        tindak_lanjut=TindakLanjut(instrumen=instrumen),
        expected_version=0,
        data={"aktivitas": aktivitas, **data},
    )
    path = {
        None: [],
        S.BELUM_MULAI: [],
        S.BERJALAN: [S.BERJALAN],
        S.TERKENDALA: [S.TERKENDALA],
        S.SELESAI: [S.BERJALAN, S.SELESAI],
        S.DIBATALKAN: [S.DIBATALKAN],
    }[status]
    for step in path:
        action.refresh_from_db()
        services.tindak_lanjut_set_status(
            actor=actor,
            tindak_lanjut=action,
            expected_version=action.version,
            status=step,
            alasan=f"Menjadi {step}",
        )
    if at is not None:
        TindakLanjut.objects.filter(pk=action.pk).update(diperbarui_at=at)
    action.refresh_from_db()
    return action


def selong():
    return Sekolah.objects.get(npsn="50203101")


def lombok_timur():
    return KabupatenKota.objects.get(kode="5203")


@pytest.fixture
def other_region(demo):
    """Lombok Barat: a school with a PMO and an escalated action, and its own coordinator."""
    kabupaten = KabupatenFactory(kode="5201")
    koordinator = OrangFactory(nama="Koordinator Lombok Barat")
    PenugasanWilayahFactory(orang=koordinator, kabupaten=kabupaten)
    sekolah = SekolahFactory(
        kabupaten=kabupaten, nama="SMP Negeri 1 Gerung", npsn="50201001", jenjang=Jenjang.SMP
    )
    instrumen = new_pmo(sekolah, koordinator.user)
    action = new_action(instrumen, koordinator.user, "Kelas literasi pagi", status=S.TERKENDALA)
    return {"user": koordinator.user, "sekolah": sekolah, "action": action}


def rows_of(response) -> dict[str, object]:
    return {s.npsn: s for s in response.context["rows"]}


def escalated_names(client) -> list[str]:
    response = client.get(reverse("pmo:eskalasi"))
    assert response.status_code == 200
    return [t.aktivitas for t in response.context["items"]]


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def download(client, response) -> bytes:
    assert response.status_code == 302
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert job.status == Job.Status.SELESAI, job.error
    got = client.get(reverse("program:job-download", args=[job.pk]))
    return b"".join(got.streaming_content)


# --- access ---------------------------------------------------------------------------


def test_region_pages_are_404_for_everyone_but_coordinators_and_operators(client, demo):
    action = TindakLanjut.objects.get(
        instrumen__sekolah__npsn="50203101", aktivitas__startswith="Supervisi akademik"
    )
    pages = [
        ("get", reverse("pmo:wilayah")),
        ("get", reverse("pmo:eskalasi")),
        ("post", reverse("pmo:wilayah-csv")),
        ("post", reverse("pmo:eskalasi-handle", args=[action.pk])),
    ]
    for username in ("ks1", "fasilitator1", "pp1", "pengawas1", "cgp1"):
        client.force_login(demo[username])
        for method, url in pages:
            response = getattr(client, method)(url, {"catatan": "x"} if method == "post" else {})
            assert response.status_code == 404, (username, url)
    assert not PenangananEskalasi.objects.exists()
    assert not Job.objects.exists()
    for username in ("koordinator1", "operator1"):
        client.force_login(demo[username])
        assert client.get(reverse("pmo:wilayah")).status_code == 200
        assert client.get(reverse("pmo:eskalasi")).status_code == 200


def test_each_coordinator_sees_only_their_region(client, demo, other_region):
    client.force_login(demo["koordinator1"])
    body = client.get(reverse("pmo:wilayah")).content.decode()
    assert "SMA Negeri 1 Selong" in body and "SD Negeri 4 Terara" in body
    assert "SMP Negeri 1 Gerung" not in body
    assert escalated_names(client) == ["Supervisi akademik berbasis data asesmen"]
    # Filtering by a kabupaten outside the region shows nothing of it.
    other = other_region["sekolah"].kabupaten_id
    assert (
        "SMP Negeri 1 Gerung"
        not in client.get(reverse("pmo:wilayah"), {"kabupaten": other}).content.decode()
    )
    response = client.post(
        reverse("pmo:eskalasi-handle", args=[other_region["action"].pk]), {"catatan": "x"}
    )
    assert response.status_code == 404

    client.force_login(other_region["user"])
    rows = rows_of(client.get(reverse("pmo:wilayah")))
    assert list(rows) == ["50201001"]
    assert escalated_names(client) == ["Kelas literasi pagi"]
    mine = TindakLanjut.objects.get(
        instrumen__sekolah__npsn="50203101", aktivitas__startswith="Supervisi akademik"
    )
    response = client.post(reverse("pmo:eskalasi-handle", args=[mine.pk]), {"catatan": "x"})
    assert response.status_code == 404
    assert not PenangananEskalasi.objects.exists()

    client.force_login(demo["operator1"])
    rows = rows_of(client.get(reverse("pmo:wilayah")))
    assert {"50203101", "50203102", "50201001"} <= set(rows)
    assert set(escalated_names(client)) == {
        "Supervisi akademik berbasis data asesmen",
        "Kelas literasi pagi",
    }


# --- the table ------------------------------------------------------------------------


def test_table_shows_step_actions_by_status_months_and_escalations(client, demo):
    client.force_login(demo["koordinator1"])
    response = client.get(reverse("pmo:wilayah"))
    rows = rows_of(response)
    body = response.content.decode()

    selong_row = rows["50203101"]
    assert selong_row.langkah == 4
    counts = {status: n for status, _label, n in selong_row.per_status}
    assert counts == {
        S.BELUM_MULAI: 0,
        S.BERJALAN: 1,
        S.SELESAI: 1,
        S.TERKENDALA: 1,
        S.DIBATALKAN: 0,
    }
    assert selong_row.bulan_sejak == 0  # a monthly note this month
    assert selong_row.jumlah_eskalasi == 1
    assert rows["50203102"].langkah == 2
    # A school of the region without a PMO: step 0 and never updated.
    jerowaru = rows["50203103"]
    assert (jerowaru.langkah, jerowaru.bulan_sejak, jerowaru.jumlah_eskalasi) == (0, None, 0)

    assert "1 Terkendala" in body and "1 Selesai" in body
    assert (
        reverse("pmo:instrumen", args=[selong().pk, *services.periode_pmo(timezone.localdate())])
        in body
    )
    assert reverse("pmo:forum-list", args=[selong().pk]) in body
    assert reverse("pmo:wilayah-csv") in body


def test_step_reached_follows_what_is_filled_in(client, demo):
    koordinator = demo["koordinator1"]
    kab = lombok_timur()
    s1, s2, s3 = (SekolahFactory(kabupaten=kab) for _ in range(3))
    new_pmo(s1, koordinator)  # refleksi only
    instrumen = new_pmo(s2, koordinator)
    services.solusi_save(
        actor=koordinator,
        solusi=Solusi(instrumen=instrumen),
        expected_version=0,
        data={"uraian": "Agreed", "disepakati": True, **dict.fromkeys(Solusi.KRITERIA, True)},
    )
    services.instrumen_get_or_create(actor=koordinator, sekolah=s3, **periode())
    client.force_login(koordinator)
    rows = rows_of(client.get(reverse("pmo:wilayah")))
    assert [rows[s.npsn].langkah for s in (s1, s2, s3)] == [1, 3, 0]


def test_months_since_last_update(client, demo):
    koordinator = demo["koordinator1"]
    sekolah = SekolahFactory(kabupaten=lombok_timur())
    instrumen = new_pmo(sekolah, koordinator)
    now = timezone.now()
    new_action(instrumen, koordinator, "Lama", at=add_months(now, -5))
    InstrumenPMO.objects.filter(pk=instrumen.pk).update(
        updated_at=add_months(now, -3) - dt.timedelta(days=1)
    )
    client.force_login(koordinator)
    row = rows_of(client.get(reverse("pmo:wilayah")))[sekolah.npsn]
    assert row.bulan_sejak == 3


def test_table_filters_by_jenjang_and_kabupaten(client, demo):
    client.force_login(demo["koordinator1"])
    rows = rows_of(client.get(reverse("pmo:wilayah"), {"jenjang": "SMA"}))
    assert set(rows) == {"50203101", "50203106"}
    rows = rows_of(client.get(reverse("pmo:wilayah"), {"kabupaten": lombok_timur().pk}))
    assert "50203102" in rows


@pytest.mark.parametrize("n_schools", [2, 50])
def test_region_table_query_count_is_flat(client, db, django_assert_max_num_queries, n_schools):
    kabupaten = KabupatenFactory(kode="5299")
    koordinator = OrangFactory()
    PenugasanWilayahFactory(orang=koordinator, kabupaten=kabupaten)
    actor = koordinator.user
    for i in range(n_schools):
        instrumen = new_pmo(SekolahFactory(kabupaten=kabupaten), actor)
        new_action(instrumen, actor, f"Aksi {i}", status=S.BERJALAN)
        new_action(instrumen, actor, f"Kendala {i}", status=S.TERKENDALA)
    client.force_login(actor)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("pmo:wilayah"))
    assert response.status_code == 200
    assert response.content.decode().count('class="baris-wilayah"') == n_schools
    assert all(r.jumlah_eskalasi == 1 for r in response.context["rows"])


# --- escalation -----------------------------------------------------------------------


@pytest.fixture
def region_pmo(demo):
    """A fresh school of koordinator1's region with a PMO, and a way to add actions."""
    koordinator = demo["koordinator1"]
    sekolah = SekolahFactory(kabupaten=lombok_timur(), nama="SD Negeri 9 Uji")
    instrumen = new_pmo(sekolah, koordinator)
    return instrumen, koordinator


def test_escalation_boundary_is_exactly_n_months(demo, region_pmo):
    instrumen, user = region_pmo
    now = timezone.now()
    cutoff = add_months(now, -2)
    new_action(instrumen, user, "Tepat dua bulan", status=S.BERJALAN, at=cutoff)
    new_action(
        instrumen, user, "Semenit kemudian", status=S.BERJALAN, at=cutoff + dt.timedelta(minutes=1)
    )
    new_action(instrumen, user, "Belum mulai lama", at=cutoff - dt.timedelta(days=1))
    names = [t.aktivitas for t in eskalasi_wilayah(demo["koordinator1"], now=now)]
    assert "Tepat dua bulan" in names and "Belum mulai lama" in names
    assert "Semenit kemudian" not in names


def test_escalation_page_lists_reasons_oldest_first(client, demo, region_pmo):
    instrumen, user = region_pmo
    now = timezone.now()
    new_action(instrumen, user, "Terkendala baru", status=S.TERKENDALA)
    new_action(instrumen, user, "Berjalan lama", status=S.BERJALAN, at=add_months(now, -4))
    new_action(instrumen, user, "Selesai lama", status=S.SELESAI, at=add_months(now, -6))
    new_action(instrumen, user, "Batal lama", status=S.DIBATALKAN, at=add_months(now, -6))
    new_action(instrumen, user, "Berjalan baru", status=S.BERJALAN)
    client.force_login(demo["koordinator1"])
    response = client.get(reverse("pmo:eskalasi"))
    names = [t.aktivitas for t in response.context["items"]]
    assert names[0] == "Berjalan lama"
    assert "Terkendala baru" in names
    for never in ("Selesai lama", "Batal lama", "Berjalan baru"):
        assert never not in names
    body = " ".join(response.content.decode().split())
    assert "Tidak diperbarui 4 bulan" in body
    assert "Menjadi terkendala" in body  # the reason given at the last status change
    assert "Tandai sudah ditindaklanjuti" in body


def test_handled_escalation_is_gone_until_the_school_updates_it(client, demo, region_pmo):
    instrumen, user = region_pmo
    action = new_action(instrumen, user, "Supervisi kelas", status=S.TERKENDALA)
    client.force_login(demo["koordinator1"])
    url = reverse("pmo:eskalasi-handle", args=[action.pk])

    response = client.post(url, {"catatan": "  "})
    assert response.status_code == 200
    assert "Supervisi kelas" in escalated_names(client)
    assert "Tuliskan catatan penanganan." in response.content.decode()

    response = client.post(url, {"catatan": "Sudah ditelepon; jadwal baru disepakati."})
    assert response.status_code == 302
    assert "Supervisi kelas" not in escalated_names(client)
    handled = PenangananEskalasi.objects.get(tindak_lanjut=action)
    assert handled.oleh == demo["koordinator1"]

    services.catatan_bulanan_save(
        actor=user,
        tindak_lanjut=action,
        bulan=timezone.localdate(),
        expected_version=0,
        data={"kendala": "Masih bentrok"},
    )
    assert "Supervisi kelas" in escalated_names(client)


def test_escalation_months_come_from_the_setting(client, demo, region_pmo, settings):
    settings.PMO_ESKALASI_BULAN = 3
    instrumen, user = region_pmo
    now = timezone.now()
    new_action(instrumen, user, "Dua bulan", status=S.BERJALAN, at=add_months(now, -2))
    new_action(instrumen, user, "Tiga bulan", status=S.BERJALAN, at=add_months(now, -3))
    client.force_login(demo["koordinator1"])
    names = escalated_names(client)
    assert "Tiga bulan" in names and "Dua bulan" not in names
    row = rows_of(client.get(reverse("pmo:wilayah")))[instrumen.sekolah.npsn]
    assert row.jumlah_eskalasi == 1


def test_escalations_come_a_page_at_a_time_and_handling_keeps_the_page(
    client, demo, region_pmo, monkeypatch
):
    from pmo.views import wilayah

    monkeypatch.setattr(wilayah, "ESKALASI_PER_HALAMAN", 2)
    instrumen, user = region_pmo
    now = timezone.now()
    for i in range(4):
        new_action(instrumen, user, f"Lama {i}", status=S.BERJALAN, at=add_months(now, i - 9))
    client.force_login(demo["koordinator1"])
    kabupaten = {"kabupaten": lombok_timur().pk}

    first = client.get(reverse("pmo:eskalasi"), kabupaten)
    assert [t.aktivitas for t in first.context["items"]] == ["Lama 0", "Lama 1"]
    body = " ".join(first.content.decode().split())
    total = first.context["page"].paginator.count
    assert total == 5  # the four above and the demo's escalated supervision
    assert f"{total} tindak lanjut" in body and "Halaman 1 dari 3" in body
    assert f"?kabupaten={lombok_timur().pk}&amp;halaman=2" in body

    second = client.get(reverse("pmo:eskalasi"), {**kabupaten, "halaman": 2})
    assert [t.aktivitas for t in second.context["items"]] == ["Lama 2", "Lama 3"]
    action = second.context["items"][0]
    url = reverse("pmo:eskalasi-handle", args=[action.pk])
    assert f'action="{url}?kabupaten={lombok_timur().pk}&amp;halaman=2"' in second.content.decode()

    response = client.post(
        f"{url}?kabupaten={lombok_timur().pk}&halaman=2", {"catatan": "Ditelepon"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?kabupaten={lombok_timur().pk}&halaman=2")
    after = client.get(response["Location"])
    assert [t.aktivitas for t in after.context["items"]] == [
        "Lama 3",
        "Supervisi akademik berbasis data asesmen",
    ]
    assert after.context["page"].paginator.count == 4


def test_table_pages_keep_the_order_and_each_rows_numbers(client, demo, monkeypatch):
    from pmo.views import wilayah

    client.force_login(demo["koordinator1"])
    whole = [s.npsn for s in client.get(reverse("pmo:wilayah")).context["rows"]]
    assert len(whole) >= 3

    monkeypatch.setattr(wilayah, "SEKOLAH_PER_HALAMAN", 1)
    pages = []
    for n in range(1, len(whole) + 1):
        response = client.get(reverse("pmo:wilayah"), {"halaman": n, "segarkan": 1})
        pages.append([s.npsn for s in response.context["rows"]])
        if "50203101" in pages[-1]:
            row = response.context["rows"][0]
            assert (row.langkah, row.jumlah_eskalasi, row.jumlah_tindak_lanjut) == (4, 1, 3)
    assert pages == [[npsn] for npsn in whole]
    assert (
        f"Halaman 2 dari {len(whole)}"
        in client.get(reverse("pmo:wilayah"), {"halaman": 2, "segarkan": 1}).content.decode()
    )


# --- CSV ------------------------------------------------------------------------------


def test_csv_rows_equal_the_scoped_table_and_formulas_are_defused(
    client, demo, other_region, django_capture_on_commit_callbacks
):
    nasty = '=HYPERLINK("http://contoh.test","klik")'
    SekolahFactory(kabupaten=lombok_timur(), nama=nasty, npsn="50203199")
    client.force_login(demo["koordinator1"])
    table = rows_of(client.get(reverse("pmo:wilayah")))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pmo:wilayah-csv"))
    content = download(client, response)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert header[:7] == [
        "NPSN",
        "Nama sekolah",
        "Jenjang",
        "Kabupaten/kota",
        "Tahun ajaran",
        "Siklus PMO",
        "Langkah PMO (0–4)",
    ]
    assert "Tindak lanjut terkendala" in header and "Tindak lanjut tereskalasi" in header
    assert [r[0] for r in data] == list(table)
    by_npsn = {r[0]: dict(zip(header, r, strict=True)) for r in data}
    assert by_npsn["50203199"]["Nama sekolah"] == "'" + nasty
    assert by_npsn["50203101"]["Langkah PMO (0–4)"] == "4"
    assert by_npsn["50203101"]["Tindak lanjut tereskalasi"] == "1"
    assert "50201001" not in by_npsn


def test_csv_job_keeps_the_filter(client, demo, django_capture_on_commit_callbacks):
    client.force_login(demo["koordinator1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pmo:wilayah-csv") + "?jenjang=SMA")
    job = Job.objects.get(kind="pmo.wilayah_csv")
    assert job.params == {"kabupaten": None, "jenjang": "SMA"}
    rows = list(csv.reader(io.StringIO(download(client, response).decode("utf-8-sig"))))
    assert sorted(r[0] for r in rows[1:]) == ["50203101", "50203106"]


# --- the PDF --------------------------------------------------------------------------


def laporan_url(sekolah, bulan=None):
    url = reverse("pmo:laporan-pdf", args=[sekolah.pk, *services.periode_pmo(timezone.localdate())])
    return f"{url}?bulan={bulan}" if bulan else url


def test_laporan_pdf_prints_actions_current_status_and_forum(
    client, demo, django_capture_on_commit_callbacks
):
    client.force_login(demo["ks1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(laporan_url(selong()))
    text = pdf_text(download(client, response))
    assert "SMA Negeri 1 Selong" in text and "50203101" in text
    assert "In-house training asesmen formatif — Selesai" in text
    assert "Jadwal belajar bersama setiap Kamis — Berjalan" in text
    assert "Supervisi akademik berbasis data asesmen — Terkendala" in text
    assert "Bentrok dengan ANBK; jadwal mundur." in text  # the timeline
    assert "Pelatihan asesmen formatif selesai; komunitas belajar berjalan." in text
    assert "Guru hadir dan berbagi contoh asesmen." in text  # this month's note
    bulan_id = [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ]  # fmt: skip
    today = timezone.localdate()
    assert f"{bulan_id[today.month - 1]} {today.year}" in text


def test_laporan_pdf_is_reused_until_the_data_changes(
    client, demo, django_capture_on_commit_callbacks
):
    client.force_login(demo["fasilitator1"])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(laporan_url(selong()))
    assert client.post(laporan_url(selong()))["Location"] == first["Location"]
    action = TindakLanjut.objects.get(
        instrumen__sekolah__npsn="50203101", aktivitas__startswith="Supervisi akademik"
    )
    services.tindak_lanjut_set_status(
        actor=demo["ks1"],
        tindak_lanjut=action,
        expected_version=action.version,
        status=S.BERJALAN,
        alasan="ANBK selesai.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(laporan_url(selong()))
    assert second["Location"] != first["Location"]
    assert "Supervisi akademik berbasis data asesmen — Berjalan" in pdf_text(
        download(client, second)
    )


def test_laporan_pdf_of_another_month_and_for_readers_only(client, demo):
    client.force_login(demo["ks2"])
    assert client.post(laporan_url(selong())).status_code == 404
    client.force_login(demo["pp1"])
    assert client.post(laporan_url(selong())).status_code == 404
    client.force_login(demo["koordinator1"])
    assert client.post(laporan_url(selong(), "2026-13")).status_code == 404
    assert client.post(laporan_url(selong(), "2026-03")).status_code == 302
    assert Job.objects.get(kind="pmo.laporan").params["bulan"] == "2026-03"
