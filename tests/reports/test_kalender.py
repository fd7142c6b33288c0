"""Programme calendar, JP accounting (planned vs delivered) and the iCal feed."""

import datetime as dt
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from lokakarya.models import Lokakarya, Peserta, TemplatLokakarya
from pendampingan import services as pendampingan_services
from pendampingan.models import SesiPI
from pmo.models import ForumPokja
from program.models import KabupatenKota, PenugasanPP, Peran, Program
from reports import kalender, reference, services
from reports.kalender import Keadaan, rekap_jp
from reports.models import (
    JenisKegiatan,
    JenisTemplatLokakarya,
    KegiatanProgram,
    TokenKalender,
)
from tests.factories import (
    KabupatenFactory,
    OrangFactory,
    PenugasanSekolahFactory,
    PenugasanWilayahFactory,
    SekolahFactory,
)

# A fixed day in the PSP year 2026/2027: Oktober is over, November is running.
TODAY = dt.date(2026, 11, 15)
OKT, NOV, DES = dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 1)


def quiet_call(*args):
    call_command(*args, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _fresh_jp(settings):
    """These tests read the JP tables from the page's context on any request:
    always computed here (the cache: tests/reports/test_ringkasan.py)."""
    settings.RINGKASAN_CACHE_SECONDS = 0


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


# --- the calendar as data ----------------------------------------------------------------


def test_calendar_fixture_loads_the_seed_table_idempotently_and_keeps_operator_edits(db):
    quiet_call("load_reference")
    reference.load(today=TODAY)
    year = KegiatanProgram.objects.filter(program__kode="PSP", tahun_ajaran=2026)
    assert year.count() == 9 + 1 + 2 + 4 + 11 + 11
    months = {
        jenis: sorted(year.filter(jenis=jenis).values_list("bulan", flat=True))
        for jenis in JenisKegiatan.values
    }
    assert months["lokakarya"] == [2, 3, 4, 5, 6, 8, 10, 11, 12]
    assert months["pelatihan_perencanaan"] == [1]
    assert months["forum_pemangku"] == [4, 11]
    assert months["komite_pembelajaran"] == [2, 4, 6, 10]
    assert months["coaching"] == months["forum_pokja"] == [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12]
    assert year.get(jenis="pelatihan_perencanaan").jp == 16
    assert [
        (k.bulan, k.topik)
        for k in year.filter(jenis="komite_pembelajaran").order_by("tahun_ajaran", "topik")
    ] == [(10, 1), (2, 2), (4, 3), (6, 4)]
    assert all(k.per_sekolah and k.jp == 2 for k in year.filter(jenis="coaching"))
    assert not year.filter(jenis="lokakarya", per_sekolah=True).exists()
    assert year.get(jenis="lokakarya", bulan=8).tanggal == dt.date(2027, 8, 1)

    total = KegiatanProgram.objects.count()
    # An operator changes the JP of a month and moves a workshop; reloading keeps both.
    januari = year.get(jenis="pelatihan_perencanaan")
    januari.jp = 12
    services.kegiatan_program_save(actor=None, kegiatan=januari)
    year.filter(jenis="lokakarya", bulan=12).update(bulan=1)
    quiet_call("load_reference")
    reference.load(today=TODAY)
    assert KegiatanProgram.objects.count() == total
    assert year.get(jenis="pelatihan_perencanaan").jp == 12
    assert not year.filter(jenis="lokakarya", bulan=12).exists()
    assert januari.history.count() == 2


def test_operators_may_edit_the_calendar_in_the_admin(client, demo):
    operator = demo["operator1"]
    assert operator.has_perm("reports.change_kegiatanprogram")
    kegiatan = KegiatanProgram.objects.filter(jenis="coaching").first()
    client.force_login(operator)
    url = reverse("admin:reports_kegiatanprogram_change", args=[kegiatan.pk])
    assert client.get(url).status_code == 200


def test_calendar_page_for_facilitators_coordinators_and_operators_only(client, demo):
    for username in ("fasilitator1", "koordinator1", "operator1"):
        client.force_login(demo[username])
        response = client.get(reverse("reports:kalender"))
        assert response.status_code == 200, username
        body = response.content.decode()
        assert "Penguatan komite pembelajaran" in body
        assert "Angkatan 11" in body  # the PGP cohort with its lokakarya dates
    for username in ("ks1", "pp1", "cgp1", "pengawas1"):
        client.force_login(demo[username])
        assert client.get(reverse("reports:kalender")).status_code == 404, username
        assert client.get(reverse("reports:jp")).status_code == 404, username


def test_calendar_table_has_jp_per_month_and_pi_windows(client, demo, fixed_today):
    client.force_login(demo["fasilitator1"])
    response = client.get(reverse("reports:kalender"), {"tahun": 2026})
    rows = {r.jenis: r for r in response.context["rows"]}
    months = [m for m, _label in response.context["months"]]
    assert months[0] == OKT and months[-1] == dt.date(2027, 8, 1)
    komite = rows["komite_pembelajaran"].sel
    assert [k.topik for k in komite if k] == [1, 2, 3, 4]
    assert rows["pelatihan_perencanaan"].total_jp == 16
    assert rows["coaching"].per_sekolah
    for _angkatan, jadwal in response.context["pgp"]:
        for j in jadwal:
            if j.pi:
                assert j.pi_mulai == j.tanggal - dt.timedelta(days=7)
                assert j.pi_selesai == j.tanggal - dt.timedelta(days=1)


# --- JP accounting ---------------------------------------------------------------------------


@pytest.fixture
def jp_world(db):
    """Two facilitators of one region in Oktober 2026: a joint workshop, a
    komite workshop by the first only, coaching at two of three schools,
    forum pokja everywhere."""
    quiet_call("load_reference")
    reference.load(today=TODAY)
    psp = Program.objects.get(kode="PSP")
    kabupaten = KabupatenFactory(kode="5291", nama="Kabupaten Uji JP")
    koordinator = OrangFactory(nama="Koordinator Uji JP")
    PenugasanWilayahFactory(orang=koordinator, kabupaten=kabupaten)
    f1 = OrangFactory(nama="Fasilitator Satu")
    f2 = OrangFactory(nama="Fasilitator Dua")
    s1 = SekolahFactory(kabupaten=kabupaten, nama="SD Negeri 1 Coaching")
    s2 = SekolahFactory(kabupaten=kabupaten, nama="SD Negeri 2 Tanpa Coaching")
    s3 = SekolahFactory(kabupaten=kabupaten, nama="SD Negeri 3 Fasilitator Dua")
    for orang, sekolah in ((f1, s1), (f1, s2), (f2, s3)):
        PenugasanSekolahFactory(orang=orang, sekolah=sekolah, peran=Peran.FASILITATOR)
    actor = koordinator.user

    def workshop(nama, day, fasilitator, fasilitator_2=None, templat=None):
        return Lokakarya.objects.create(
            nama=nama,
            program=psp,
            kabupaten=kabupaten,
            moda="luring",
            tanggal_mulai=day,
            tanggal_selesai=day,
            jp=8,
            fasilitator=fasilitator,
            fasilitator_2=fasilitator_2,
            templat=templat,
            created_by=actor,
        )

    workshop("Lokakarya bersama Oktober", dt.date(2026, 10, 10), f1, f2)
    templat = TemplatLokakarya.objects.get(kode="kb1-luring")
    JenisTemplatLokakarya.objects.create(templat=templat, jenis="komite_pembelajaran")
    workshop("Penguatan komite 1", dt.date(2026, 10, 20), f1, templat=templat)
    for orang, sekolah in ((f1, s1), (f2, s3)):
        pendampingan_services.coaching_create(
            actor=orang.user,
            sekolah=sekolah,
            fasilitator=orang,
            data={"tanggal": dt.date(2026, 10, 14), "topik_pilihan": "1"},
        )
    for sekolah in (s1, s2, s3):
        ForumPokja.objects.create(
            sekolah=sekolah, bulan=OKT, tanggal=dt.date(2026, 10, 21), jp=2, dicatat_oleh=actor
        )
    return {"koordinator": koordinator, "f1": f1, "f2": f2, "s1": s1, "s2": s2, "s3": s3}


def cell(baris, jenis, bulan):
    row = next(b for b in baris if b.jenis == jenis)
    return next(s for s in row.sel if s.bulan == bulan)


def test_month_with_a_missing_coaching_session_is_a_shortfall(jp_world):
    w = jp_world
    _months, (r1, _r2) = rekap_jp(
        w["koordinator"].user, [w["f1"], w["f2"]], tahun=2026, today=TODAY
    )
    sekolah = {s.nama: s for s in r1.sekolah}
    missing = cell(sekolah["SD Negeri 2 Tanpa Coaching"].baris, "coaching", OKT)
    assert (missing.rencana, missing.realisasi, missing.keadaan) == (2, 0, Keadaan.KURANG)
    done = cell(sekolah["SD Negeri 1 Coaching"].baris, "coaching", OKT)
    assert (done.rencana, done.realisasi, done.keadaan) == (2, 2, Keadaan.TERPENUHI)
    forum = cell(sekolah["SD Negeri 2 Tanpa Coaching"].baris, "forum_pokja", OKT)
    assert (forum.rencana, forum.realisasi) == (2, 2)
    # The facilitator's total: 2 JP for each of two schools.
    total = cell(r1.baris, "coaching", OKT)
    assert (total.rencana, total.realisasi) == (4, 2)
    # The running month is not a shortfall yet; later months are still to come.
    assert cell(sekolah["SD Negeri 2 Tanpa Coaching"].baris, "coaching", NOV).keadaan == (
        Keadaan.BERJALAN
    )
    assert cell(sekolah["SD Negeri 2 Tanpa Coaching"].baris, "coaching", DES).keadaan == (
        Keadaan.MENDATANG
    )
    shortfalls = [
        (k.sekolah.nama if k.sekolah else None, k.label, k.bulan, k.rencana, k.realisasi)
        for k in r1.kekurangan
    ]
    assert shortfalls == [
        ("SD Negeri 2 Tanpa Coaching", JenisKegiatan.COACHING.label, OKT, 2, 0),
    ]


def test_two_facilitator_workshop_counts_in_full_for_both(jp_world):
    w = jp_world
    _months, (r1, r2) = rekap_jp(w["koordinator"].user, [w["f1"], w["f2"]], tahun=2026, today=TODAY)
    for r in (r1, r2):
        lokakarya = cell(r.baris, "lokakarya", OKT)
        assert (lokakarya.rencana, lokakarya.realisasi) == (8, 8)
    # The komite workshop (its template marked as such) counts for its facilitator only.
    assert cell(r1.baris, "komite_pembelajaran", OKT).realisasi == 8
    komite_2 = cell(r2.baris, "komite_pembelajaran", OKT)
    assert (komite_2.realisasi, komite_2.keadaan) == (0, Keadaan.KURANG)
    assert [(k.sekolah, k.label) for k in r2.kekurangan] == [
        (None, JenisKegiatan.KOMITE_PEMBELAJARAN.label)
    ]
    # A workshop of the next month does not count for Oktober.
    assert cell(r1.baris, "lokakarya", NOV).realisasi == 0


def test_jp_page_lists_shortfalls_for_the_coordinator_and_scopes_people(
    client, jp_world, fixed_today
):
    w = jp_world
    client.force_login(w["koordinator"].user)
    response = client.get(reverse("reports:jp"), {"tahun": 2026})
    assert response.status_code == 200
    assert [r.orang.nama for r in response.context["rekap"]] == [
        "Fasilitator Dua",
        "Fasilitator Satu",
    ]
    body = response.content.decode()
    assert body.count('class="baris-kekurangan"') == 2
    assert "SD Negeri 2 Tanpa Coaching" in body

    # A facilitator sees only their own JP.
    client.force_login(w["f1"].user)
    response = client.get(reverse("reports:jp"))
    assert [r.orang.nama for r in response.context["rekap"]] == ["Fasilitator Satu"]
    assert "SD Negeri 3 Fasilitator Dua" not in response.content.decode()

    # A coordinator of another region sees none of them.
    other = OrangFactory(nama="Koordinator Lain")
    PenugasanWilayahFactory(orang=other, kabupaten=KabupatenFactory(kode="5292"))
    client.force_login(other.user)
    response = client.get(reverse("reports:jp"))
    assert response.status_code == 200
    assert response.context["rekap"] == []

    # The kabupaten filter stays inside the coordinator's region.
    client.force_login(w["koordinator"].user)
    response = client.get(reverse("reports:jp"), {"kabupaten": KabupatenFactory(kode="5292").pk})
    assert len(response.context["rekap"]) == 2


@pytest.mark.parametrize("n_fasilitator", [1, 8])
def test_jp_page_query_count_is_flat(
    client, db, django_assert_max_num_queries, fixed_today, n_fasilitator
):
    quiet_call("load_reference")
    reference.load(today=TODAY)
    kabupaten = KabupatenFactory(kode="5293")
    koordinator = OrangFactory()
    PenugasanWilayahFactory(orang=koordinator, kabupaten=kabupaten)
    psp = Program.objects.get(kode="PSP")
    for i in range(n_fasilitator):
        fasilitator = OrangFactory(nama=f"Fasilitator {i:02d}")
        for j in range(3):
            sekolah = SekolahFactory(kabupaten=kabupaten)
            PenugasanSekolahFactory(orang=fasilitator, sekolah=sekolah)
            pendampingan_services.coaching_create(
                actor=fasilitator.user,
                sekolah=sekolah,
                fasilitator=fasilitator,
                data={"tanggal": dt.date(2026, 10, 5 + j), "topik_pilihan": "2"},
            )
            ForumPokja.objects.create(
                sekolah=sekolah, bulan=OKT, tanggal=OKT, dicatat_oleh=koordinator.user
            )
        Lokakarya.objects.create(
            nama=f"Lokakarya {i}",
            program=psp,
            kabupaten=kabupaten,
            moda="daring",
            tanggal_mulai=OKT,
            tanggal_selesai=OKT,
            fasilitator=fasilitator,
            created_by=koordinator.user,
        )
    client.force_login(koordinator.user)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("reports:jp"), {"tahun": 2026})
    assert response.status_code == 200
    assert len(response.context["rekap"]) == n_fasilitator
    assert all(cell(r.baris, "coaching", OKT).realisasi == 6 for r in response.context["rekap"])


def test_calendar_pages_query_counts_do_not_grow_with_the_population(client, db):
    counts = []
    for scale in ("1", "3"):
        quiet_call("seed_demo", "--scale", scale)
        for username in ("koordinator1", "operator1"):
            from django.contrib.auth import get_user_model

            client.force_login(get_user_model().objects.get(username=username))
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("reports:jp")).status_code == 200
                assert client.get(reverse("reports:kalender")).status_code == 200
            counts.append(len(ctx.captured_queries))
    assert counts[:2] == counts[2:], counts


# --- iCal ---------------------------------------------------------------------------------------


def feed_events(client, url) -> dict[str, object]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_feed_has_my_pi_sessions_not_others_and_reset_revokes_the_old_url(client, demo):
    today = timezone.localdate()
    mine = PenugasanPP.objects.get(cgp__user=demo["cgp1"])
    theirs = PenugasanPP.objects.filter(pp__user=demo["pp2"]).first()
    SesiPI.objects.update_or_create(
        penugasan=mine,
        urutan=5,
        defaults={"tanggal": today + dt.timedelta(days=10), "jam_mulai": dt.time(9, 0)},
    )
    SesiPI.objects.update_or_create(
        penugasan=theirs, urutan=5, defaults={"tanggal": today + dt.timedelta(days=11)}
    )
    SesiPI.objects.update_or_create(  # beyond the 120 days
        penugasan=mine, urutan=6, defaults={"tanggal": today + dt.timedelta(days=130)}
    )
    client.force_login(demo["pp1"])
    # No secret yet: the page offers to make one, and makes none by being seen.
    page = client.get(reverse("reports:ical-saya"))
    assert page.status_code == 200 and "Buat tautan kalender" in page.content.decode()
    assert not TokenKalender.objects.filter(user=demo["pp1"]).exists()
    created = client.post(reverse("reports:ical-reset"), follow=True)
    assert "Tautan kalender Anda dibuat." in created.content.decode()
    page = client.get(reverse("reports:ical-saya"))
    url = page.context["feed_url"]
    assert url.endswith(".ics") and demo["pp1"].token_kalender.token in url
    client.logout()  # the feed needs no login

    events = feed_events(client, url)
    vtimezone = Calendar.from_ical(client.get(url).content).walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in vtimezone] == ["Asia/Jakarta"]
    summary = f"PI 5 dengan {mine.cgp.nama}"
    assert summary in events
    start = events[summary].decoded("DTSTART")
    assert start.hour == 9 and start.utcoffset() == dt.timedelta(hours=7)
    assert not any(theirs.cgp.nama in s for s in events)
    assert not any(s.startswith("PI 6") for s in events)

    # The CGP sees the same session from their side.
    cgp_token = services.token_kalender_get_or_create(user=demo["cgp1"])
    cgp_events = feed_events(client, reverse("reports:ical-feed", args=[cgp_token.token]))
    assert f"PI 5 bersama {mine.pp.nama}" in cgp_events

    client.force_login(demo["pp1"])
    assert client.get(reverse("reports:ical-reset")).status_code == 405
    response = client.post(reverse("reports:ical-reset"))
    assert response.status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    new_token = TokenKalender.objects.get(user=demo["pp1"]).token
    assert client.get(reverse("reports:ical-feed", args=[new_token])).status_code == 200
    assert client.get(reverse("reports:ical-feed", args=["tidak-ada"])).status_code == 404


def test_feed_has_workshops_coaching_and_forums_of_the_person(client, demo):
    today = timezone.localdate()
    fasilitator = demo["fasilitator1"].orang
    ks = demo["ks1"].orang
    sekolah = ks.penugasan_sekolah.get(peran=Peran.KEPALA_SEKOLAH).sekolah
    psp = Program.objects.get(kode="PSP")
    lokakarya = Lokakarya.objects.create(
        nama="Lokakarya Uji Kalender",
        program=psp,
        kabupaten=KabupatenKota.objects.get(kode="5203"),
        moda="luring",
        tanggal_mulai=today + dt.timedelta(days=20),
        tanggal_selesai=today + dt.timedelta(days=21),
        fasilitator=fasilitator,
        created_by=demo["fasilitator1"],
    )
    Peserta.objects.create(lokakarya=lokakarya, orang=ks, peran="kepala_sekolah")
    pendampingan_services.coaching_create(
        actor=demo["fasilitator1"],
        sekolah=sekolah,
        fasilitator=fasilitator,
        data={"tanggal": today + dt.timedelta(days=5), "topik_pilihan": "2"},
    )
    ForumPokja.objects.create(
        sekolah=sekolah,
        bulan=(today + dt.timedelta(days=40)).replace(day=1),
        tanggal=today + dt.timedelta(days=40),
        dicatat_oleh=demo["fasilitator1"],
    )
    for user in (demo["fasilitator1"], demo["ks1"]):
        token = services.token_kalender_get_or_create(user=user)
        events = feed_events(client, reverse("reports:ical-feed", args=[token.token]))
        assert "Lokakarya Uji Kalender" in events
        assert events["Lokakarya Uji Kalender"].decoded("DTEND") == today + dt.timedelta(days=22)
        assert f"Coaching kepala sekolah: {sekolah.nama}" in events
        assert f"Forum pokja: {sekolah.nama}" in events
    token = services.token_kalender_get_or_create(user=demo["fasilitator2"])
    events = feed_events(client, reverse("reports:ical-feed", args=[token.token]))
    assert "Lokakarya Uji Kalender" not in events


def test_tahun_ajaran_psp_runs_september_to_august():
    assert kalender.tahun_ajaran_psp(dt.date(2026, 9, 1)) == 2026
    assert kalender.tahun_ajaran_psp(dt.date(2027, 8, 31)) == 2026
    assert KegiatanProgram(tahun_ajaran=2026, bulan=1).tanggal == dt.date(2027, 1, 1)
