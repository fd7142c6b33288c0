"""PI 1–6 as the PP, the CGP and others experience it."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from pendampingan import services
from pendampingan.models import (
    JurnalPendampingan,
    LangkahPI,
    RencanaTindakLanjut,
    SesiPI,
    StatusJurnal,
    TemplatPI,
)
from pendampingan.selectors import Keadaan, grid_rows
from program.models import JadwalLokakarya, Job, Orang, PenugasanPP
from tests.factories import AngkatanFactory, OrangFactory, PenugasanPPFactory


def pair(demo, cgp_username_or_name):
    if cgp_username_or_name in demo:
        return PenugasanPP.objects.get(cgp__user=demo[cgp_username_or_name])
    return PenugasanPP.objects.get(cgp__nama__startswith=cgp_username_or_name)


def sesi_of(demo, who, n):
    return SesiPI.objects.get(penugasan=pair(demo, who), urutan=n)


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def run_job_and_read(client, response) -> str:
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    job.refresh_from_db()
    assert job.status == Job.Status.SELESAI, job.error
    download = client.get(reverse("program:job-download", args=[job.pk]))
    return pdf_text(b"".join(download.streaming_content))


# --- access -----------------------------------------------------------------------


def test_pp_pages_are_404_for_other_pp_cgp_and_coordinator_writes(client, demo):
    p = pair(demo, "cgp1")
    sesi = sesi_of(demo, "cgp1", 2)
    dok = sesi.dokumentasi.first()
    rtl = sesi.rtl.first()
    write_pages = [
        ("get", reverse("pendampingan:sesi", args=[p.pk, 2])),
        ("post", reverse("pendampingan:sesi-schedule", args=[sesi.pk])),
        ("post", reverse("pendampingan:jurnal-autosave", args=[sesi.pk])),
        ("post", reverse("pendampingan:jurnal-submit", args=[sesi.pk])),
        ("post", reverse("pendampingan:jurnal-reopen", args=[sesi.pk])),
        ("post", reverse("pendampingan:rtl-add", args=[sesi.pk])),
        ("post", reverse("pendampingan:rtl-delete", args=[rtl.pk])),
        ("post", reverse("pendampingan:rtl-mark", args=[rtl.pk])),
        ("post", reverse("pendampingan:dokumentasi-upload", args=[sesi.pk])),
        ("post", reverse("pendampingan:dokumentasi-delete", args=[dok.pk])),
    ]
    for username in ("pp2", "cgp1", "koordinator1", "fasilitator1", "ks1"):
        client.force_login(demo[username])
        for method, url in write_pages:
            assert getattr(client, method)(url).status_code == 404, (username, url)


def test_reading_pages_are_404_across_pp_and_cgp(client, demo):
    sesi = sesi_of(demo, "cgp1", 1)  # submitted
    dok = sesi.dokumentasi.first()
    read_pages = [
        reverse("pendampingan:sesi-read", args=[sesi.pk]),
        reverse("pendampingan:dokumentasi-berkas", args=[dok.pk]),
        reverse("pendampingan:dokumentasi-thumb", args=[dok.pk]),
    ]
    pdf_url = reverse("pendampingan:sesi-pdf", args=[sesi.pk])
    other_cgp = Orang.objects.get(nama__startswith="Edy Prasetyo")
    other_cgp.user = demo["admin"].__class__.objects.create_user("cgp-lain", password="x")
    other_cgp.save()
    for user in (demo["pp2"], other_cgp.user, demo["fasilitator1"], demo["ks1"]):
        client.force_login(user)
        for url in read_pages:
            assert client.get(url).status_code == 404, (user.username, url)
        assert client.post(pdf_url).status_code == 404, user.username
    for username in ("pp1", "cgp1", "koordinator1", "operator1"):
        client.force_login(demo[username])
        for url in read_pages:
            assert client.get(url).status_code == 200, (username, url)
        assert client.post(pdf_url).status_code == 302, username


def test_cgp_cannot_read_a_journal_before_it_is_submitted(client, demo):
    draft = sesi_of(demo, "cgp1", 3)
    assert draft.jurnal.status == StatusJurnal.DRAF
    client.force_login(demo["cgp1"])
    assert client.get(reverse("pendampingan:sesi-read", args=[draft.pk])).status_code == 404
    assert client.post(reverse("pendampingan:sesi-pdf", args=[draft.pk])).status_code == 404
    home = client.get(reverse("pendampingan:cgp-home")).content.decode()
    assert "Catatan" not in home  # no journal text leaks into the list
    client.force_login(demo["pp1"])
    assert client.get(reverse("pendampingan:sesi-read", args=[draft.pk])).status_code == 200


# --- the grid ---------------------------------------------------------------------


def test_pp_grid_shows_each_state_and_the_next_step(client, demo):
    client.force_login(demo["pp1"])
    body = client.get(reverse("pendampingan:beranda-pp")).content.decode()
    assert "Rusdiana, S.Pd" in body and "Edy Prasetyo" not in body
    rows = {r.penugasan.cgp.nama: r for r in grid_rows(PenugasanPP.objects.all())}
    cgp1 = [c.keadaan for c in rows["Rusdiana, S.Pd"].sel]
    assert cgp1 == [
        Keadaan.SELESAI,
        Keadaan.SELESAI,
        Keadaan.DRAF,
        Keadaan.BELUM,
        Keadaan.BELUM,
        Keadaan.BELUM,
    ]
    late = [c.keadaan for c in rows["Junaidi Hamzani, S.Pd"].sel]
    assert late[:3] == [Keadaan.SELESAI, Keadaan.TERLAMBAT, Keadaan.TERJADWAL]
    assert rows["Rusdiana, S.Pd"].langkah_berikut == "Ajukan jurnal PI 3"
    assert 'data-keadaan="terlambat"' in body


def test_late_is_decided_by_the_date_of_lokakarya_n():
    jadwal = dt.date(2026, 9, 1)
    from pendampingan.selectors import keadaan_sesi

    assert keadaan_sesi(None, jadwal, dt.date(2026, 8, 31)) == Keadaan.BELUM
    assert keadaan_sesi(None, jadwal, dt.date(2026, 9, 1)) == Keadaan.TERLAMBAT
    assert keadaan_sesi(None, None, dt.date(2030, 1, 1)) == Keadaan.BELUM


@pytest.mark.parametrize("n_cgp", [3, 30])
def test_pp_grid_query_count_is_flat(client, db, django_assert_max_num_queries, n_cgp):
    call_command("load_reference", stdout=io.StringIO())
    pp = OrangFactory()
    angkatan = AngkatanFactory()
    for i in range(n_cgp):
        p = PenugasanPPFactory(pp=pp, angkatan=angkatan)
        for n in (1, 2):
            sesi = services.sesi_get_or_create(actor=pp.user, penugasan=p, urutan=n)
            services.jurnal_save_draft(
                actor=pp.user, sesi=sesi, expected_version=0, data={"catatan": f"x{i}"}
            )
    JadwalLokakarya.objects.create(angkatan=angkatan, ke=1, tanggal=timezone.localdate())
    client.force_login(pp.user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("pendampingan:beranda-pp"))
    assert response.status_code == 200
    assert response.content.decode().count("pi-row") == n_cgp


# --- snapshots and templates ----------------------------------------------------------


def test_session_keeps_the_template_it_was_planned_with(client, demo):
    templat = TemplatPI.objects.get(urutan=1)
    old_tema = templat.tema
    sesi = sesi_of(demo, "cgp1", 1)
    templat.tema = "Tema yang diubah operator"
    templat.save()
    LangkahPI.objects.filter(templat=templat).update(judul="Langkah diubah")
    sesi.refresh_from_db()
    assert sesi.tema == old_tema
    client.force_login(demo["pp1"])
    body = client.get(reverse("pendampingan:sesi-read", args=[sesi.pk])).content.decode()
    assert old_tema in body and "Langkah diubah" not in body
    # A session planned now takes the new template.
    new = services.sesi_get_or_create(actor=demo["pp1"], penugasan=pair(demo, "cgp1"), urutan=6)
    assert new.templat["urutan"] == 6
    fresh = services.sesi_get_or_create(
        actor=demo["pp2"], penugasan=pair(demo, "Sri Nurdianti"), urutan=1
    )
    assert fresh.tema == "Tema yang diubah operator"


def test_template_minutes_must_add_up(db):
    from django.core.exceptions import ValidationError

    templat = TemplatPI(urutan=1, lokakarya_ke=1, menit_awal=20, menit_inti=150, menit_akhir=10)
    steps = [
        {"bagian": "awal", "menit": 20},
        {"bagian": "inti", "menit": 140},
        {"bagian": "akhir", "menit": 10},
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.templat_check_minutes(templat, steps)
    assert (
        "Bagian inti: langkah berjumlah 140 menit, seharusnya 150 menit." in excinfo.value.messages
    )


def test_admin_refuses_a_template_that_does_not_add_up(client, demo):
    templat = TemplatPI.objects.get(urutan=4)
    client.force_login(demo["admin"])
    url = reverse("admin:pendampingan_templatpi_change", args=[templat.pk])
    data = {
        "urutan": 4,
        "tema": "Tema PI 4",
        "lokakarya_ke": 4,
        "waktu": "",
        "tujuan": "",
        "fokus": "",
        "menit_awal": 20,
        "menit_inti": 150,
        "menit_akhir": 10,
        "langkah-TOTAL_FORMS": 1,
        "langkah-INITIAL_FORMS": 0,
        "langkah-MIN_NUM_FORMS": 0,
        "langkah-MAX_NUM_FORMS": 1000,
        "langkah-0-urutan": 1,
        "langkah-0-bagian": "awal",
        "langkah-0-judul": "Pembuka",
        "langkah-0-menit": 15,
        "langkah-0-kegiatan": "",
        "langkah-0-pertanyaan": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "seharusnya 20 menit" in response.content.decode()
    assert not LangkahPI.objects.filter(templat=templat).exists()


def test_fixtures_carry_pi_1_and_2_from_the_seed(db):
    call_command("load_reference", stdout=io.StringIO())
    pi1 = TemplatPI.objects.get(urutan=1)
    assert pi1.tema == "Refleksi awal kompetensi guru penggerak"
    assert TemplatPI.objects.get(urutan=2).tema == "Perubahan paradigma pemimpin pembelajaran"
    minutes = {
        b: sum(s.menit for s in pi1.langkah.filter(bagian=b)) for b in ("awal", "inti", "akhir")
    }
    assert minutes == {"awal": 20, "inti": 150, "akhir": 10}
    assert TemplatPI.objects.count() == 6


# --- a PI not planned yet ---------------------------------------------------------


def pi_url(name, penugasan, urutan):
    return reverse(f"pendampingan:{name}", args=[penugasan.pk, urutan])


def test_viewing_a_pi_not_planned_yet_shows_its_template_and_plans_nothing(client, demo):
    p = pair(demo, "cgp1")
    TemplatPI.objects.filter(urutan=4).update(tema="Merancang aksi nyata")
    assert not SesiPI.objects.filter(penugasan=p, urutan=4).exists()
    client.force_login(demo["pp1"])

    response = client.get(pi_url("sesi", p, 4))

    assert response.status_code == 200
    body = response.content.decode()
    assert "PI 4: Merancang aksi nyata" in body and "Belum dijadwalkan" in body
    # The forms plan the session when used; nothing that needs it is offered yet.
    assert pi_url("pi-schedule", p, 4) in body
    assert pi_url("pi-jurnal-autosave", p, 4) in body and pi_url("pi-jurnal-submit", p, 4) in body
    assert "Simpan jadwal" in body and "Simpan draf" in body
    assert "Unduh PDF" not in body and "Tambah rencana" not in body and "Unggah" not in body
    assert not SesiPI.objects.filter(penugasan=p, urutan=4).exists()
    # Another PP's CGP, planned or not: 404, and nothing planned either.
    client.force_login(demo["pp2"])
    assert client.get(pi_url("sesi", p, 4)).status_code == 404
    assert client.post(pi_url("pi-schedule", p, 4), {"version": 0}).status_code == 404
    assert not SesiPI.objects.filter(penugasan=p, urutan=4).exists()


def test_scheduling_plans_the_session_with_the_template_of_that_moment(client, demo):
    p = pair(demo, "cgp1")
    client.force_login(demo["pp1"])
    client.get(pi_url("sesi", p, 4))
    # The operator edits the template after the PP looked, before the PP acts.
    TemplatPI.objects.filter(urutan=4).update(tema="Tema setelah dilihat")
    tanggal = timezone.localdate() + dt.timedelta(days=10)
    jadwal = {"version": 0, "tanggal": tanggal, "jam_mulai": "13:30", "moda": "luring"}

    refused = client.post(pi_url("pi-schedule", p, 4), jadwal)  # luring needs a place

    assert (
        refused.status_code == 400 and "Sesi luring memerlukan tempat." in refused.content.decode()
    )
    assert not SesiPI.objects.filter(penugasan=p, urutan=4).exists()

    saved = client.post(pi_url("pi-schedule", p, 4), {**jadwal, "tempat": "Ruang guru"})

    assert saved.status_code == 302 and saved["Location"] == pi_url("sesi", p, 4)
    sesi = SesiPI.objects.get(penugasan=p, urutan=4)
    assert (sesi.tanggal, sesi.tempat, sesi.tema) == (tanggal, "Ruang guru", "Tema setelah dilihat")
    # A second tab still showing "not planned" cannot overwrite that schedule.
    stale = client.post(pi_url("pi-schedule", p, 4), {**jadwal, "tempat": "Perpustakaan"})
    assert stale.status_code == 409
    sesi.refresh_from_db()
    assert sesi.tempat == "Ruang guru"


def test_the_first_journal_save_plans_the_session_and_later_saves_find_it(client, demo):
    p = pair(demo, "cgp1")
    client.force_login(demo["pp1"])
    url = pi_url("pi-jurnal-autosave", p, 5)
    fetch = {"HTTP_X_REQUESTED_WITH": "fetch"}

    first = client.post(url, {"version": 0, "catatan": "Catatan awal"}, **fetch)
    second = client.post(url, {"version": first.json()["version"], "catatan": "Lanjut"}, **fetch)

    assert first.status_code == 200 and second.status_code == 200
    sesi = SesiPI.objects.get(penugasan=p, urutan=5)
    assert sesi.tanggal is None and sesi.jurnal.catatan == "Lanjut"
    page = client.get(pi_url("sesi", p, 5)).content.decode()
    # Planned now: the page posts to the session, and takes over the text the
    # device kept under the PI's key before the session existed.
    assert reverse("pendampingan:jurnal-autosave", args=[sesi.pk]) in page
    assert f'data-pi-key="u{demo["pp1"].pk}:jurnal-pi-{p.pk}-5"' in page
    # Submitting still needs a schedule; the text is kept.
    ajukan = client.post(pi_url("pi-jurnal-submit", p, 5), {"version": 2, "catatan": "Akhir"})
    assert ajukan.status_code == 302
    sesi.jurnal.refresh_from_db()
    assert sesi.jurnal.catatan == "Akhir" and sesi.jurnal.status == StatusJurnal.DRAF


# --- journal --------------------------------------------------------------------


def autosave(client, sesi, version, **data):
    return client.post(
        reverse("pendampingan:jurnal-autosave", args=[sesi.pk]),
        {"version": version, **data},
        HTTP_X_REQUESTED_WITH="fetch",
    )


def test_autosave_shows_time_and_survives_an_expired_login(client, demo):
    sesi = services.sesi_get_or_create(actor=demo["pp1"], penugasan=pair(demo, "cgp1"), urutan=4)
    client.force_login(demo["pp1"])
    first = autosave(client, sesi, 0, catatan="CGP bercerita tentang murid kelas VII.")
    assert first.status_code == 200
    assert first.json()["saved_at"] == timezone.localtime().strftime("%H:%M")

    client.logout()  # the session expired while the PP kept typing
    expired = autosave(client, sesi, first.json()["version"], catatan="teks setelah kedaluwarsa")
    assert expired.status_code == 401 and expired.json()["error"] == "login"

    client.force_login(demo["pp1"])
    page = client.get(reverse("pendampingan:sesi", args=[sesi.penugasan_id, 4])).content.decode()
    assert "CGP bercerita tentang murid kelas VII." in page
    assert "tersimpan" in page
    assert "teks setelah kedaluwarsa" not in page  # nothing was written while logged out


def test_autosave_stores_answers_per_step_of_the_template(client, demo):
    sesi = services.sesi_get_or_create(
        actor=demo["pp2"], penugasan=pair(demo, "Sri Nurdianti"), urutan=1
    )
    step = sesi.templat["langkah"][0]
    client.force_login(demo["pp2"])
    page = client.get(sesi.get_absolute_url()).content.decode()
    assert step["judul"] in page and step["kegiatan"][:40] in page
    saved = autosave(client, sesi, 0, **{f"langkah_{step['urutan']}": "Jawaban langkah 1"})
    assert saved.status_code == 200
    assert (
        JurnalPendampingan.objects.get(sesi=sesi).jawaban[str(step["urutan"])]
        == "Jawaban langkah 1"
    )


def test_stale_second_save_is_a_conflict_and_keeps_the_first(client, demo):
    sesi = sesi_of(demo, "cgp1", 3)
    version = sesi.jurnal.version
    client.force_login(demo["pp1"])
    assert autosave(client, sesi, version, catatan="dari ponsel").status_code == 200
    stale = autosave(client, sesi, version, catatan="dari laptop")
    assert stale.status_code == 409 and stale.json()["error"] == "conflict"
    # without JavaScript the user sees both texts side by side
    page = client.post(
        reverse("pendampingan:jurnal-autosave", args=[sesi.pk]),
        {"version": version, "catatan": "dari laptop"},
    )
    assert page.status_code == 409
    assert "dari laptop" in page.content.decode() and "dari ponsel" in page.content.decode()
    assert JurnalPendampingan.objects.get(sesi=sesi).catatan == "dari ponsel"


def test_conflict_page_without_js_shows_the_saved_step_answers(client, demo):
    """The step answers live in one JSON field, not as attributes named like
    the form's fields: the page must still show what the other tab saved."""
    sesi = services.sesi_get_or_create(
        actor=demo["pp2"], penugasan=pair(demo, "Sri Nurdianti"), urutan=1
    )
    field = f"langkah_{sesi.templat['langkah'][0]['urutan']}"
    client.force_login(demo["pp2"])
    version = 0  # no journal yet
    assert autosave(client, sesi, version, **{field: "Jawaban dari ponsel"}).status_code == 200

    page = client.post(
        reverse("pendampingan:jurnal-autosave", args=[sesi.pk]),
        {"version": version, field: "Jawaban dari laptop"},
    )

    assert page.status_code == 409
    row = next(r for r in page.context["rows"] if r["mine"] == "Jawaban dari laptop")
    assert row["theirs"] == "Jawaban dari ponsel" and row["differs"]
    assert "Jawaban dari ponsel" in page.content.decode()
    saved = JurnalPendampingan.objects.get(sesi=sesi).jawaban
    assert saved[field.removeprefix("langkah_")] == "Jawaban dari ponsel"


def test_submit_locks_and_reopen_needs_a_reason_kept_in_history(client, demo):
    sesi = sesi_of(demo, "cgp1", 3)
    client.force_login(demo["pp1"])
    response = client.post(
        reverse("pendampingan:jurnal-submit", args=[sesi.pk]),
        {"version": sesi.jurnal.version, "catatan": "final"},
    )
    assert response.status_code == 302
    jurnal = JurnalPendampingan.objects.get(sesi=sesi)
    assert jurnal.is_submitted and jurnal.catatan == "final"
    locked = autosave(client, sesi, jurnal.version, catatan="ubah diam-diam")
    assert locked.status_code == 400 and "terkunci" in locked.json()["message"]

    client.post(reverse("pendampingan:jurnal-reopen", args=[sesi.pk]), {"alasan": ""})
    assert JurnalPendampingan.objects.get(sesi=sesi).is_submitted
    client.post(
        reverse("pendampingan:jurnal-reopen", args=[sesi.pk]), {"alasan": "Salah tulis nama modul"}
    )
    jurnal.refresh_from_db()
    assert jurnal.status == StatusJurnal.DRAF
    assert jurnal.history.latest("history_date").history_change_reason == "Salah tulis nama modul"


def test_submitting_asks_first_and_then_locks_the_schedule(client, demo):
    sesi = sesi_of(demo, "cgp1", 3)
    client.force_login(demo["pp1"])
    page = client.get(sesi.get_absolute_url()).content.decode()
    button = re.search(r'<button[^>]*formaction="[^"]*/jurnal/ajukan/"[^>]*>', page).group(0)
    assert (
        'data-confirm="Ajukan jurnal ini? Setelah diajukan, jurnal dan jadwalnya terkunci' in button
    )
    schedule_url = reverse("pendampingan:sesi-schedule", args=[sesi.pk])
    assert schedule_url in page  # the schedule can still be changed

    client.post(
        reverse("pendampingan:jurnal-submit", args=[sesi.pk]),
        {"version": sesi.jurnal.version, "catatan": "final"},
    )
    page = client.get(sesi.get_absolute_url()).content.decode()
    assert "Jadwal terkunci karena jurnal sudah diajukan." in page
    assert schedule_url not in page
    sesi.refresh_from_db()
    moved = client.post(
        schedule_url,
        {
            "version": sesi.version,
            "tanggal": sesi.tanggal + dt.timedelta(days=7),
            "jam_mulai": "08:00",
            "moda": "luring",
            "tempat": "Aula",
        },
    )
    assert moved.status_code == 400 and "jadwalnya terkunci" in moved.content.decode()
    assert SesiPI.objects.get(pk=sesi.pk).tanggal == sesi.tanggal


def test_empty_journal_cannot_be_submitted(client, demo):
    sesi = services.sesi_get_or_create(actor=demo["pp1"], penugasan=pair(demo, "cgp1"), urutan=5)
    client.force_login(demo["pp1"])
    response = client.post(
        reverse("pendampingan:jurnal-submit", args=[sesi.pk]), {"version": 0}, follow=True
    )
    assert "Jurnal masih kosong" in response.content.decode()
    assert not JurnalPendampingan.objects.filter(sesi=sesi, status=StatusJurnal.DIAJUKAN).exists()


def test_journal_of_an_unscheduled_session_cannot_be_submitted(client, demo):
    sesi = services.sesi_get_or_create(actor=demo["pp1"], penugasan=pair(demo, "cgp1"), urutan=5)
    assert sesi.tanggal is None
    jurnal = services.jurnal_save_draft(
        actor=demo["pp1"],
        sesi=sesi,
        expected_version=0,
        data={"sudah_baik": "Catatan ditulis sebelum sesi dijadwalkan."},
    )
    client.force_login(demo["pp1"])
    response = client.post(
        reverse("pendampingan:jurnal-submit", args=[sesi.pk]),
        {"version": jurnal.version},
        follow=True,
    )
    assert "Jadwalkan sesi terlebih dahulu" in response.content.decode()
    jurnal.refresh_from_db()
    assert jurnal.status == StatusJurnal.DRAF and jurnal.diajukan_at is None
    # Still a draft: the CGP does not read it.
    client.force_login(demo["cgp1"])
    assert client.get(reverse("pendampingan:sesi-read", args=[sesi.pk])).status_code == 404


# --- RTL ----------------------------------------------------------------------------


def test_rtl_of_pi_n_appears_in_pi_n_plus_1_to_be_marked(client, demo):
    p = pair(demo, "cgp1")
    sesi3 = sesi_of(demo, "cgp1", 3)
    client.force_login(demo["pp1"])
    client.post(
        reverse("pendampingan:rtl-add", args=[sesi3.pk]),
        {"kegiatan": "Uji coba asesmen formatif", "target": "2 kelas", "waktu": "Desember"},
    )
    page4 = client.get(reverse("pendampingan:sesi", args=[p.pk, 4])).content.decode()
    assert "Tindak lanjut dari PI 3" in page4 and "Uji coba asesmen formatif" in page4
    # Not pre-set to an outcome: the PP chooses one.
    carried = page4.split('id="rtl-sebelumnya"')[1].split("</section>")[0]
    assert '<option value="" selected disabled>Belum dinilai — pilih status</option>' in carried
    assert not re.search(r'<option value="[^"]+" selected', carried)

    item = RencanaTindakLanjut.objects.get(kegiatan="Uji coba asesmen formatif")
    client.post(
        reverse("pendampingan:rtl-mark", args=[item.pk]),
        {"status": "sebagian", "catatan": "baru 1 kelas"},
    )
    item.refresh_from_db()
    assert item.status == "sebagian" and item.catatan_status == "baru 1 kelas"
    # A marked item can no longer be deleted: the thread of follow-ups is kept.
    client.post(reverse("pendampingan:rtl-delete", args=[item.pk]))
    assert RencanaTindakLanjut.objects.filter(pk=item.pk).exists()


def test_next_pi_carries_only_the_same_pairs_rtl(client, demo, django_capture_on_commit_callbacks):
    """cgp1's PI 2 lists the RTL of cgp1's PI 1 with pp1, never that of another
    pair: pp2's CGP in Lombok Timur, pp3's in Sikka (Angkatan 12)."""
    lain = []
    for who in ("Edy Prasetyo", "cgp3"):
        sesi1 = sesi_of(demo, who, 1)
        item = services.rtl_add(
            actor=sesi1.penugasan.pp.user, sesi=sesi1, kegiatan=f"Rencana pasangan lain: {who}"
        )
        lain.append(item.kegiatan)
    own = sesi_of(demo, "cgp1", 1).rtl.order_by("pk")
    assert own.exists()
    sesi2 = sesi_of(demo, "cgp1", 2)
    assert list(services.rtl_carried_into(sesi2)) == list(own)

    client.force_login(demo["pp1"])
    page = client.get(reverse("pendampingan:sesi", args=[sesi2.penugasan_id, 2])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pendampingan:sesi-pdf", args=[sesi2.pk]))
    pdf = run_job_and_read(client, response)
    client.force_login(demo["cgp1"])
    baca = client.get(reverse("pendampingan:sesi-read", args=[sesi2.pk])).content.decode()
    for where, text in (("page", page), ("PDF", pdf), ("CGP's read view", baca)):
        assert all(item.kegiatan in text for item in own), where
        assert not any(kegiatan in text for kegiatan in lain), where


# --- documentation ----------------------------------------------------------------------


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), "blue").save(buf, "JPEG")
    return buf.getvalue()


def test_documentation_upload_makes_a_thumbnail_and_refuses_disguised_files(client, demo):
    sesi = sesi_of(demo, "cgp1", 3)
    client.force_login(demo["pp1"])
    url = reverse("pendampingan:dokumentasi-upload", args=[sesi.pk])
    ok = client.post(
        url,
        {
            "berkas": SimpleUploadedFile("aksi-nyata.jpg", jpeg()),
            "jenis": "foto",
            "keterangan": "Aksi nyata modul 1.1",
        },
    )
    assert ok.status_code == 302
    dok = sesi.dokumentasi.get()
    thumb = Image.open(
        io.BytesIO(
            b"".join(
                client.get(
                    reverse("pendampingan:dokumentasi-thumb", args=[dok.pk])
                ).streaming_content
            )
        )
    )
    assert max(thumb.size) <= 320

    bad = client.post(
        url,
        {
            "berkas": SimpleUploadedFile("foto.jpg", b"<html><script></script></html>"),
            "jenis": "foto",
            "keterangan": "jangan",
        },
    )
    assert bad.status_code == 400
    assert "tidak diizinkan" in bad.content.decode()
    assert sesi.dokumentasi.count() == 1


# --- CGP -------------------------------------------------------------------------------


def test_cgp_sees_schedule_and_confirms_with_a_comment(client, demo):
    sesi = sesi_of(demo, "cgp1", 3)
    SesiPI.objects.filter(pk=sesi.pk).update(tanggal=timezone.localdate() - dt.timedelta(days=1))
    sesi.refresh_from_db()
    client.force_login(demo["cgp1"])
    home = client.get(reverse("pendampingan:cgp-home")).content.decode()
    assert sesi.tanggal.strftime("%Y") in home and "Konfirmasi sesi sudah berlangsung" in home
    client.post(
        reverse("pendampingan:sesi-confirm", args=[sesi.pk]), {"komentar": "Terima kasih, Pak."}
    )
    sesi.refresh_from_db()
    assert sesi.dikonfirmasi_cgp_at is not None and sesi.komentar_cgp == "Terima kasih, Pak."
    client.force_login(demo["pp2"])
    assert client.post(reverse("pendampingan:sesi-confirm", args=[sesi.pk])).status_code == 404


def test_cgp_cannot_confirm_a_session_before_its_date(client, demo):
    sesi = sesi_of(demo, "cgp1", 3)
    besok = timezone.localdate() + dt.timedelta(days=1)
    SesiPI.objects.filter(pk=sesi.pk).update(tanggal=besok, dikonfirmasi_cgp_at=None)
    client.force_login(demo["cgp1"])
    home = client.get(reverse("pendampingan:cgp-home")).content.decode()
    assert reverse("pendampingan:sesi-confirm", args=[sesi.pk]) not in home
    assert "Konfirmasi dapat diberikan mulai" in home

    response = client.post(reverse("pendampingan:sesi-confirm", args=[sesi.pk]), follow=True)

    assert "konfirmasi dapat diberikan mulai hari itu" in response.content.decode()
    assert SesiPI.objects.get(pk=sesi.pk).dikonfirmasi_cgp_at is None
    # On the day itself it can.
    SesiPI.objects.filter(pk=sesi.pk).update(tanggal=timezone.localdate())
    client.post(reverse("pendampingan:sesi-confirm", args=[sesi.pk]))
    assert SesiPI.objects.get(pk=sesi.pk).dikonfirmasi_cgp_at is not None


# --- PDFs ------------------------------------------------------------------------------


def test_journal_pdf_has_name_tema_and_rtl_and_is_reused_until_changed(
    client, demo, django_capture_on_commit_callbacks
):
    sesi = sesi_of(demo, "cgp1", 2)
    client.force_login(demo["pp1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pendampingan:sesi-pdf", args=[sesi.pk]))
    text = run_job_and_read(client, response)
    assert "Rusdiana, S.Pd" in text
    assert sesi.tema in text
    for item in sesi.rtl.all():
        assert item.kegiatan in text
    assert "Terlaksana" in text  # statuses carried over from PI 1

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("pendampingan:sesi-pdf", args=[sesi.pk]))
    assert again["Location"] == response["Location"]  # nothing changed: same file
    services.rtl_add(actor=demo["pp1"], sesi=sesi, kegiatan="Rencana baru setelah unduhan")
    with django_capture_on_commit_callbacks(execute=True):
        changed = client.post(reverse("pendampingan:sesi-pdf", args=[sesi.pk]))
    assert changed["Location"] != response["Location"]
    assert "Rencana baru setelah unduhan" in run_job_and_read(client, changed)


def test_journal_pdf_shows_the_documentation_photos_with_captions(
    client, demo, django_capture_on_commit_callbacks
):
    sesi = sesi_of(demo, "cgp1", 3)
    client.force_login(demo["pp1"])
    url = reverse("pendampingan:dokumentasi-upload", args=[sesi.pk])
    client.post(
        url,
        {
            "berkas": SimpleUploadedFile("diskusi.jpg", jpeg()),
            "jenis": "foto",
            "keterangan": "Diskusi visi bersama kepala sekolah",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pendampingan:sesi-pdf", args=[sesi.pk]))
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    content = client.get(reverse("program:job-download", args=[job.pk])).getvalue()
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Dokumentasi" in text and "Diskusi visi bersama kepala sekolah" in text
    assert sum(len(page.images) for page in reader.pages) >= 1


def test_laporan_pdf_follows_the_report_layout(client, demo, django_capture_on_commit_callbacks):
    client.force_login(demo["pp1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pendampingan:laporan-pdf", args=[1]))
    text = run_job_and_read(client, response)
    for heading in (
        "A. Latar Belakang",
        "B. Tujuan",
        "E. Pelaksanaan",
        "H. Evaluasi",
        "J. Lampiran",
    ):
        assert heading in text
    for name in ("Rusdiana, S.Pd", "Junaidi Hamzani, S.Pd", "Sarniwati, S.Pd.Gr"):
        assert name in text
    assert "Edy Prasetyo" not in text
    assert "Daftar hadir" in text and "daftar-hadir.pdf" in text
    # Bahasa Indonesia dates
    months = (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    )
    assert any(m in text for m in months)


def test_a_late_duplicate_of_a_save_is_not_a_conflict(client, demo):
    sesi = sesi_of(demo, "cgp1", 3)
    version = sesi.jurnal.version
    client.force_login(demo["pp1"])
    first = autosave(client, sesi, version, catatan="teks yang sama")
    assert first.status_code == 200
    duplicate = autosave(client, sesi, version, catatan="teks yang sama")  # retried request
    assert duplicate.status_code == 200
    assert duplicate.json()["version"] == first.json()["version"]  # nothing written twice
    different = autosave(client, sesi, version, catatan="teks lain")
    assert different.status_code == 409  # a real conflict is still shown
