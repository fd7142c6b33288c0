"""Email reminders: PI not scheduled before a workshop, PMO not updated this
month, the coordinators' digest of new escalations; opt-out and deduplication."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pendampingan.models import SesiPI
from pmo.models import InstrumenPMO, StatusTindakLanjut, TindakLanjut
from program.models import JadwalLokakarya, Peran
from reports import reminders
from reports.models import JenisPengingat, PengingatNonaktif, PengingatTerkirim
from reports.tasks import reminders as tasks_reminders
from tests.factories import (
    AngkatanFactory,
    KabupatenFactory,
    OrangFactory,
    PenugasanPPFactory,
    PenugasanSekolahFactory,
    PenugasanWilayahFactory,
    SekolahFactory,
)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


# --- (a) PP: PI not scheduled a week before lokakarya N --------------------------------


@pytest.fixture
def pi_world(db):
    today = timezone.localdate()
    angkatan = AngkatanFactory()
    JadwalLokakarya.objects.create(angkatan=angkatan, ke=3, tanggal=today + dt.timedelta(days=5))
    pp = OrangFactory(nama="Pengajar Praktik Uji", email="pp.uji@contoh.id")
    belum = PenugasanPPFactory(angkatan=angkatan, pp=pp, cgp=OrangFactory(nama="CGP Belum Ada"))
    tanpa_tanggal = PenugasanPPFactory(
        angkatan=angkatan, pp=pp, cgp=OrangFactory(nama="CGP Tanpa Tanggal")
    )
    terjadwal = PenugasanPPFactory(angkatan=angkatan, pp=pp, cgp=OrangFactory(nama="CGP Terjadwal"))
    SesiPI.objects.create(penugasan=tanpa_tanggal, urutan=3)
    SesiPI.objects.create(penugasan=terjadwal, urutan=3, tanggal=today + dt.timedelta(days=3))
    # PI 3 of another cohort is not due: its lokakarya 3 is ten days away.
    later = AngkatanFactory(nomor=92, nama="Angkatan 92")
    JadwalLokakarya.objects.create(angkatan=later, ke=3, tanggal=today + dt.timedelta(days=10))
    PenugasanPPFactory(angkatan=later, pp=pp, cgp=OrangFactory(nama="CGP Angkatan Lain"))
    return {"pp": pp, "angkatan": angkatan, "belum": belum}


def test_pp_gets_exactly_one_email_for_unscheduled_pi_when_the_task_runs_twice(pi_world):
    tasks_reminders.send_pengingat_pi.delay()
    tasks_reminders.send_pengingat_pi.delay()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["pp.uji@contoh.id"]
    assert "PI belum dijadwalkan" in email.subject
    assert "CGP Belum Ada" in email.body and "CGP Tanpa Tanggal" in email.body
    assert "CGP Terjadwal" not in email.body
    assert "CGP Angkatan Lain" not in email.body
    assert "PI 3 sebelum Lokakarya 3" in email.body
    assert reverse("pendampingan:sesi", args=[pi_world["belum"].pk, 3]) in email.body
    assert PengingatTerkirim.objects.filter(
        kunci=f"pi-belum-dijadwalkan:{pi_world['belum'].pk}:3"
    ).exists()

    # A CGP added later is a new reason: one more email, about that CGP only.
    PenugasanPPFactory(
        angkatan=pi_world["angkatan"], pp=pi_world["pp"], cgp=OrangFactory(nama="CGP Baru")
    )
    tasks_reminders.send_pengingat_pi.delay()
    assert len(mail.outbox) == 2
    assert "CGP Baru" in mail.outbox[1].body
    assert "CGP Belum Ada" not in mail.outbox[1].body


def test_pp_who_opted_out_gets_no_pi_reminder(client, pi_world):
    user = pi_world["pp"].user
    client.force_login(user)
    response = client.post(
        reverse("reports:pengingat"),
        {"aktif": [JenisPengingat.PMO_BELUM_DIPERBARUI, JenisPengingat.ESKALASI_BARU]},
    )
    assert response.status_code == 302
    assert list(PengingatNonaktif.objects.filter(user=user).values_list("jenis", flat=True)) == [
        JenisPengingat.PI_BELUM_DIJADWALKAN
    ]
    page = client.get(reverse("reports:pengingat"))
    assert page.context["form"].initial["aktif"] == [
        JenisPengingat.PMO_BELUM_DIPERBARUI,
        JenisPengingat.ESKALASI_BARU,
    ]
    assert reminders.pengingat_pi() == 0
    assert mail.outbox == []
    assert not PengingatTerkirim.objects.exists()

    # Switching it back on sends what is still due.
    client.post(reverse("reports:pengingat"), {"aktif": JenisPengingat.values})
    assert not PengingatNonaktif.objects.filter(user=user).exists()
    assert reminders.pengingat_pi() == 1


def test_a_failed_send_is_retried_by_the_next_run(pi_world, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP tidak tersedia")

    monkeypatch.setattr(reminders, "send_mail", broken)
    assert reminders.pengingat_pi() == 0
    assert not PengingatTerkirim.objects.exists()
    monkeypatch.undo()
    assert reminders.pengingat_pi() == 1
    assert len(mail.outbox) == 1


# --- (b) head of school: PMO not updated this month ------------------------------------


@pytest.fixture
def pmo_world(db):
    now = timezone.now()
    long_ago = now - dt.timedelta(days=70)
    kabupaten = KabupatenFactory(kode="5294")
    fasilitator = OrangFactory()

    def school(nama, email):
        sekolah = SekolahFactory(kabupaten=kabupaten, nama=nama)
        PenugasanSekolahFactory(orang=fasilitator, sekolah=sekolah, peran=Peran.FASILITATOR)
        kepala = OrangFactory(nama=f"Kepala {nama}", email=email)
        PenugasanSekolahFactory(orang=kepala, sekolah=sekolah, peran=Peran.KEPALA_SEKOLAH)
        instrumen = InstrumenPMO.objects.create(sekolah=sekolah, tahun_ajaran=now.year)
        InstrumenPMO.objects.filter(pk=instrumen.pk).update(updated_at=long_ago)
        return sekolah, kepala, instrumen

    lupa, _kepala, _instrumen = school("SD Negeri Lupa PMO", "kepala.lupa@contoh.id")
    _rajin, _kepala2, instrumen = school("SD Negeri Rajin PMO", "kepala.rajin@contoh.id")
    TindakLanjut.objects.create(
        instrumen=instrumen, aktivitas="Kelas membaca", status="berjalan", diperbarui_at=now
    )
    # A school outside PSP (no facilitator, no PMO): its head gets nothing.
    luar = SekolahFactory(kabupaten=kabupaten, nama="SD Negeri Bukan PSP")
    PenugasanSekolahFactory(
        orang=OrangFactory(email="kepala.luar@contoh.id"),
        sekolah=luar,
        peran=Peran.KEPALA_SEKOLAH,
    )
    return {"lupa": lupa}


def test_head_is_reminded_once_per_month_when_the_pmo_was_not_updated(pmo_world):
    hari20 = timezone.localdate().replace(day=20)
    assert reminders.pengingat_pmo(today=hari20) == 1
    assert reminders.pengingat_pmo(today=hari20) == 0
    assert reminders.pengingat_pmo(today=hari20.replace(day=27)) == 0
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["kepala.lupa@contoh.id"]
    assert "SD Negeri Lupa PMO" in email.body and "SD Negeri Rajin PMO" not in email.body
    assert PengingatTerkirim.objects.get().kunci == (
        f"pmo-belum-diperbarui:{pmo_world['lupa'].pk}:{hari20:%Y-%m}"
    )
    # Next month neither school has updated yet: both heads, from the 20th on.
    bulan_depan = next_month(hari20)
    assert reminders.pengingat_pmo(today=bulan_depan.replace(day=10)) == 0
    assert reminders.pengingat_pmo(today=bulan_depan.replace(day=20)) == 2
    assert sorted(m.to[0] for m in mail.outbox[1:]) == [
        "kepala.lupa@contoh.id",
        "kepala.rajin@contoh.id",
    ]


def test_head_reminder_day_comes_from_the_setting_and_the_task_runs_it(pmo_world, settings):
    settings.PENGINGAT_PMO_TANGGAL = 1
    tasks_reminders.send_pengingat_pmo.delay()
    tasks_reminders.send_pengingat_pmo.delay()
    assert [m.to for m in mail.outbox] == [["kepala.lupa@contoh.id"]]


# --- (c) coordinators: digest of new escalations ----------------------------------------------


def escalate(sekolah, aktivitas):
    from pmo.services import periode_pmo

    tahun, siklus = periode_pmo(timezone.localdate())  # escalation counts today's cycle
    instrumen, _ = InstrumenPMO.objects.get_or_create(
        sekolah=sekolah, tahun_ajaran=tahun, siklus=siklus
    )
    return TindakLanjut.objects.create(
        instrumen=instrumen,
        aktivitas=aktivitas,
        status=StatusTindakLanjut.TERKENDALA,
        diperbarui_at=timezone.now(),
    )


def test_coordinator_digest_includes_only_new_escalations_of_their_region(db):
    region = KabupatenFactory(kode="5295", nama="Kabupaten Digest")
    koordinator = OrangFactory(nama="Koordinator Digest", email="koordinator@contoh.id")
    PenugasanWilayahFactory(orang=koordinator, kabupaten=region)
    other_region = KabupatenFactory(kode="5296", nama="Kabupaten Lain")
    other = OrangFactory(nama="Koordinator Lain", email="lain@contoh.id")
    PenugasanWilayahFactory(orang=other, kabupaten=other_region)
    sekolah = SekolahFactory(kabupaten=region, nama="SMP Negeri Eskalasi")
    escalate(sekolah, "Aksi pertama terkendala")
    TindakLanjut.objects.create(  # on track: not an escalation
        instrumen=InstrumenPMO.objects.get(sekolah=sekolah),
        aktivitas="Aksi lancar",
        status=StatusTindakLanjut.BERJALAN,
        diperbarui_at=timezone.now(),
    )

    tasks_reminders.send_digest_eskalasi.delay()
    tasks_reminders.send_digest_eskalasi.delay()
    assert len(mail.outbox) == 1
    first = mail.outbox[0]
    assert first.to == ["koordinator@contoh.id"]
    assert "Aksi pertama terkendala" in first.body and "Aksi lancar" not in first.body
    assert reverse("pmo:eskalasi") in first.body

    escalate(sekolah, "Aksi kedua terkendala")
    escalate(SekolahFactory(kabupaten=other_region), "Aksi wilayah lain")
    assert reminders.digest_eskalasi() == 2
    by_recipient = {m.to[0]: m.body for m in mail.outbox[1:]}
    assert "Aksi kedua terkendala" in by_recipient["koordinator@contoh.id"]
    assert "Aksi pertama terkendala" not in by_recipient["koordinator@contoh.id"]
    assert "Aksi wilayah lain" not in by_recipient["koordinator@contoh.id"]
    assert "Aksi wilayah lain" in by_recipient["lain@contoh.id"]
    assert reminders.digest_eskalasi() == 0

    # An opted-out coordinator gets no digest even for a new escalation.
    PengingatNonaktif.objects.create(user=other.user, jenis=JenisPengingat.ESKALASI_BARU)
    escalate(SekolahFactory(kabupaten=other_region), "Aksi baru wilayah lain")
    assert reminders.digest_eskalasi() == 0


def test_a_balais_operator_gets_no_coordinator_digest(demo):
    """The Balai's operator reads its region but is not one of its coordinators."""
    from program.models import Orang, Sekolah

    for username, email in (
        ("koordinatorntb", "koordinator.ntb@contoh.id"),
        ("operatorntb", "operator.ntb@contoh.id"),
    ):
        Orang.objects.filter(user=demo[username]).update(email=email)
    escalate(Sekolah.objects.get(npsn="50203101"), "Aksi Selong terkendala")
    reminders.digest_eskalasi()
    recipients = {m.to[0] for m in mail.outbox}
    assert "koordinator.ntb@contoh.id" in recipients
    assert "operator.ntb@contoh.id" not in recipients
