"""Recurring meetings, the month calendar, meeting notes and the iCal feed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from komunitas import services
from komunitas.models import (
    Cakupan,
    Frekuensi,
    Hari,
    JadwalRutin,
    JenisKomunitas,
    KomunitasBelajar,
    Pertemuan,
)
from program.models import Orang, PenugasanSekolah, Peran
from tests.factories import OrangFactory

WIB = ZoneInfo("Asia/Jakarta")
D = dt.date


JAN_1 = D(2026, 1, 1)
TWO_PM = dt.time(14)


def rule(frekuensi, hari, *, minggu_ke=None, mulai=JAN_1, sampai=None, jam=TWO_PM):
    return JadwalRutin(
        frekuensi=frekuensi,
        hari=hari,
        minggu_ke=minggu_ke,
        jam_mulai=jam,
        durasi_menit=90,
        mulai=mulai,
        sampai=sampai,
    )


def dates(jadwal, start, end):
    return [moment.date() for moment in services.occurrences(jadwal, start, end)]


# --- recurrence ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jadwal", "start", "end", "expected"),
    [
        pytest.param(
            rule(Frekuensi.BULANAN, Hari.KAMIS, minggu_ke=2),
            D(2026, 1, 1),
            D(2026, 4, 30),
            [D(2026, 1, 8), D(2026, 2, 12), D(2026, 3, 12), D(2026, 4, 9)],
            id="kamis-kedua",
        ),
        pytest.param(
            rule(Frekuensi.BULANAN, Hari.JUMAT, minggu_ke=-1),
            D(2026, 1, 1),
            D(2026, 3, 31),
            [D(2026, 1, 30), D(2026, 2, 27), D(2026, 3, 27)],
            id="jumat-terakhir",
        ),
        pytest.param(
            rule(Frekuensi.DUA_MINGGUAN, Hari.KAMIS, mulai=D(2026, 1, 30)),  # a Friday
            D(2026, 1, 1),
            D(2026, 3, 31),
            [D(2026, 2, 5), D(2026, 2, 19), D(2026, 3, 5), D(2026, 3, 19)],
            id="kamis-dua-mingguan-dari-jumat",
        ),
        pytest.param(
            rule(Frekuensi.MINGGUAN, Hari.SABTU, jam=dt.time(23, 30)),
            D(2026, 1, 28),
            D(2026, 2, 10),
            [D(2026, 1, 31), D(2026, 2, 7)],
            id="sabtu-31-januari-ke-februari",
        ),
        pytest.param(
            rule(Frekuensi.MINGGUAN, Hari.MINGGU),
            D(2026, 1, 28),
            D(2026, 2, 10),
            [D(2026, 2, 1), D(2026, 2, 8)],
            id="minggu-1-februari",
        ),
        pytest.param(
            rule(Frekuensi.MINGGUAN, Hari.KAMIS, sampai=D(2026, 1, 20)),
            D(2026, 1, 1),
            D(2026, 3, 31),
            [D(2026, 1, 1), D(2026, 1, 8), D(2026, 1, 15)],
            id="berhenti-pada-sampai",
        ),
    ],
)
def test_recurrence_lands_on_the_right_days(jadwal, start, end, expected):
    assert dates(jadwal, start, end) == expected


def test_occurrences_are_local_time_in_jakarta():
    (first,) = services.occurrences(
        rule(Frekuensi.MINGGUAN, Hari.SABTU, jam=dt.time(23, 30)), D(2026, 1, 31), D(2026, 1, 31)
    )
    assert first == dt.datetime(2026, 1, 31, 23, 30, tzinfo=WIB)
    assert first.astimezone(dt.UTC) == dt.datetime(2026, 1, 31, 16, 30, tzinfo=dt.UTC)


# --- the schedule page ---------------------------------------------------------------------


@pytest.fixture
def kombel(demo):
    """A community of ks1's school with no schedule yet, and one teacher member."""
    sekolah = KomunitasBelajar.objects.get(nama="Komunitas Belajar Numerasi Selong").sekolah
    pic = Orang.objects.get(nama="Lalu Hendra Wijaya, S.Pd")
    guru = OrangFactory(nama="Baiq Wulandari, S.Pd")
    PenugasanSekolah.objects.create(orang=guru, sekolah=sekolah, peran=Peran.GURU)
    return services.komunitas_save(
        actor=demo["ks1"],
        komunitas=KomunitasBelajar(sekolah=sekolah),
        data={
            "nama": "KKG Sains Selong",
            "jenis": JenisKomunitas.KKG,
            "cakupan": Cakupan.DALAM_SEKOLAH,
            "pic": pic,
        },
        anggota=[pic, guru],
    )


def member(kombel):
    return kombel.anggota.get(nama="Baiq Wulandari, S.Pd")


def add_rule(kombel, actor, **data):
    values = {
        "frekuensi": Frekuensi.BULANAN,
        "hari": Hari.KAMIS,
        "minggu_ke": 2,
        "jam_mulai": dt.time(14),
        "durasi_menit": 90,
        "mulai": D(2026, 1, 1),
        "tempat": "Lab IPA",
    }
    values.update(data)
    return services.jadwal_save(actor=actor, jadwal=JadwalRutin(komunitas=kombel), data=values)


def test_editor_adds_a_monthly_rule_and_the_calendar_shows_it(client, demo, kombel):
    client.force_login(demo["ks1"])
    url = reverse("komunitas:jadwal", args=[kombel.pk])
    response = client.post(
        url,
        {
            "frekuensi": Frekuensi.BULANAN,
            "hari": Hari.KAMIS,
            "minggu_ke": "2",
            "jam_mulai": "15:30",
            "durasi_menit": "90",
            "mulai": "2026-01-01",
            "sampai": "2026-06-30",
            "tempat": "Lab IPA",
        },
    )
    assert response.status_code == 302
    saved = kombel.jadwal.get()
    assert (saved.minggu_ke, saved.jam_mulai) == (2, dt.time(15, 30))

    body = client.get(url, {"bulan": "2026-02"}).content.decode()
    assert "Kamis kedua setiap bulan, 15.30–17.00" in body
    assert "Februari 2026" in body
    assert "?bulan=2026-01" in body and "?bulan=2026-03" in body
    assert "waktu=2026-02-12T15%3A30%3A00%2B07%3A00" in body  # links to record it
    assert "Kamis, 12 Februari" in body  # the phone list
    assert "2026-02-05T" not in body and "2026-02-19T" not in body
    later = client.get(url, {"bulan": "2026-07"}).content.decode()
    assert "waktu=2026-07" not in later  # the rule ended in June


def test_monthly_rule_without_week_is_refused(client, demo, kombel):
    client.force_login(demo["ks1"])
    response = client.post(
        reverse("komunitas:jadwal", args=[kombel.pk]),
        {
            "frekuensi": Frekuensi.BULANAN,
            "hari": Hari.KAMIS,
            "minggu_ke": "",
            "jam_mulai": "14:00",
            "durasi_menit": "90",
            "mulai": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert "Jadwal bulanan memerlukan minggu ke-" in response.content.decode()
    assert not kombel.jadwal.exists()


def test_editor_removes_a_rule_but_members_cannot(client, demo, kombel):
    jadwal = add_rule(kombel, demo["ks1"])
    url = reverse("komunitas:jadwal-delete", args=[kombel.pk, jadwal.pk])
    client.force_login(member(kombel).user)
    assert client.post(url).status_code == 404
    assert (
        reverse("komunitas:jadwal-delete", args=[kombel.pk, jadwal.pk])
        not in client.get(reverse("komunitas:jadwal", args=[kombel.pk])).content.decode()
    )
    client.force_login(demo["ks1"])
    assert client.post(url).status_code == 302
    assert not kombel.jadwal.exists()


# --- meetings ---------------------------------------------------------------------------------


def test_member_records_a_meeting_with_attendance(client, demo, kombel):
    add_rule(kombel, demo["ks1"])
    guru = member(kombel)
    pic = kombel.pic
    client.force_login(guru.user)
    calendar = client.get(reverse("komunitas:jadwal", args=[kombel.pk]), {"bulan": "2026-02"})
    assert "waktu=2026-02-12T14%3A00%3A00%2B07%3A00" in calendar.content.decode()

    url = reverse("komunitas:pertemuan-create", args=[kombel.pk])
    form = client.get(url, {"waktu": "2026-02-12T14:00:00+07:00"}).content.decode()
    assert 'value="2026-02-12T14:00"' in form
    assert "Lalu Hendra Wijaya" in form and "Baiq Wulandari" in form
    assert "H. Lalu Suparman" not in form  # the head is not a member of this one

    response = client.post(
        url,
        {
            "waktu": "2026-02-12T14:00",
            "topik": "Praktikum sederhana",
            "catatan": "Sepakat mencoba LKPD berbasis inkuiri.",
            "hadir": [guru.pk, pic.pk],
        },
    )
    pertemuan = Pertemuan.objects.get(komunitas=kombel)
    assert response.status_code == 302
    assert response["Location"] == reverse("komunitas:pertemuan", args=[pertemuan.pk])
    assert pertemuan.waktu == dt.datetime(2026, 2, 12, 14, tzinfo=WIB)
    assert set(pertemuan.hadir.all()) == {guru, pic}
    page = client.get(response["Location"]).content.decode()
    assert "Sepakat mencoba LKPD" in page and "Hadir (2)" in page

    # The calendar now links the day to the notes, and asking again opens them.
    calendar = client.get(reverse("komunitas:jadwal", args=[kombel.pk]), {"bulan": "2026-02"})
    body = calendar.content.decode()
    assert reverse("komunitas:pertemuan", args=[pertemuan.pk]) in body and "tercatat" in body
    again = client.get(url, {"waktu": "2026-02-12T14:00:00+07:00"})
    assert again["Location"] == reverse("komunitas:pertemuan", args=[pertemuan.pk])
    duplicate = client.post(url, {"waktu": "2026-02-12T14:00", "topik": "Lagi"})
    assert duplicate.status_code == 400 and Pertemuan.objects.filter(komunitas=kombel).count() == 1


def test_attendance_is_ticked_only_from_members(client, demo, kombel):
    client.force_login(member(kombel).user)
    outsider = Orang.objects.get(user=demo["ks2"])
    response = client.post(
        reverse("komunitas:pertemuan-create", args=[kombel.pk]),
        {"waktu": "2026-02-12T14:00", "hadir": [outsider.pk]},
    )
    assert response.status_code == 400 and not kombel.pertemuan.exists()


def test_meeting_notes_edit_is_versioned(client, demo, kombel):
    pertemuan = services.pertemuan_save(
        actor=demo["ks1"],
        pertemuan=Pertemuan(komunitas=kombel),
        data={"waktu": dt.datetime(2026, 2, 12, 14, tzinfo=WIB), "catatan": "Awal"},
    )
    url = reverse("komunitas:pertemuan", args=[pertemuan.pk])
    guru = member(kombel)
    client.force_login(guru.user)
    response = client.post(
        url,
        {"waktu": "2026-02-12T14:00", "catatan": "Tambahan saya", "hadir": [guru.pk], "version": 1},
    )
    assert response.status_code == 302
    stale = client.post(url, {"waktu": "2026-02-12T14:00", "catatan": "Versi lama", "version": 1})
    assert stale.status_code == 409
    pertemuan.refresh_from_db()
    assert pertemuan.catatan == "Tambahan saya" and list(pertemuan.hadir.all()) == [guru]

    # A reader outside the community's members sees the notes but has no form.
    client.force_login(demo["fasilitator1"])
    page = client.get(url).content.decode()
    assert "Tambahan saya" in page and 'name="catatan"' not in page


# --- iCal --------------------------------------------------------------------------------------


def feed(client, komunitas):
    return client.get(reverse("komunitas:ical", args=[komunitas.ical_token]))


@pytest.fixture
def today_is_15_march_2026(monkeypatch):
    # The feed covers 90 days back to 365 days ahead of "today".
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D(2026, 3, 15))


def test_ical_feed_lists_the_meetings_without_login(client, demo, kombel, today_is_15_march_2026):
    add_rule(kombel, demo["ks1"], mulai=D(2025, 10, 1), sampai=D(2026, 6, 30))
    response = feed(client, kombel)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'inline; filename="komunitas-{kombel.pk}.ics"'
    cal = Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    starts = sorted(e.decoded("dtstart") for e in events)
    # Window 15 Dec 2025 – 15 Mar 2027, rule ends 30 Jun 2026: Jan … Jun.
    assert starts == [
        dt.datetime(2026, 1, 8, 14, tzinfo=WIB),
        dt.datetime(2026, 2, 12, 14, tzinfo=WIB),
        dt.datetime(2026, 3, 12, 14, tzinfo=WIB),
        dt.datetime(2026, 4, 9, 14, tzinfo=WIB),
        dt.datetime(2026, 5, 14, 14, tzinfo=WIB),
        dt.datetime(2026, 6, 11, 14, tzinfo=WIB),
    ]
    assert all(str(e["dtstart"].params.get("TZID")) == "Asia/Jakarta" for e in events)
    assert events[0].decoded("dtend") - events[0].decoded("dtstart") == dt.timedelta(minutes=90)
    assert str(events[0]["location"]) == "Lab IPA"
    assert str(cal["x-wr-calname"]) == "KKG Sains Selong"


def test_ical_unknown_token_is_404_and_feeds_stay_apart(client, demo, kombel):
    assert client.get(reverse("komunitas:ical", args=["bukan-token-asli"])).status_code == 404
    add_rule(kombel, demo["ks1"], mulai=D(2026, 1, 1))
    numerasi = KomunitasBelajar.objects.get(nama="Komunitas Belajar Numerasi Selong")
    other = feed(client, numerasi).content.decode()
    assert kombel.ical_token not in other and numerasi.ical_token not in other
    assert "KKG Sains Selong" not in other and f"komunitas-{kombel.pk}-" not in other
    uids = {str(e["uid"]) for e in Calendar.from_ical(other).walk("VEVENT")}
    assert uids and all(uid.startswith(f"komunitas-{numerasi.pk}-") for uid in uids)
    assert client.post(reverse("komunitas:ical", args=[kombel.ical_token])).status_code == 405
