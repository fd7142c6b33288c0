"""Running a workshop and taking attendance, as facilitators and participants see it."""

import datetime as dt
import io
import xml.etree.ElementTree as ET

import segno
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lokakarya import services
from lokakarya.models import Kehadiran, Lokakarya, PeranPeserta, TahapLokakarya, TemplatLokakarya
from lokakarya.services.presensi import presensi_set_dibuka
from lokakarya.views.presensi import check_in_url
from lokakarya.views.run import refleksi_baris
from program.models import Job, KabupatenKota, Orang


def stages(lok):
    return list(lok.tahap.order_by("urutan"))


def started_minutes_ago(tahap, minutes):
    """Pretend a started stage began `minutes` ago (no freezegun here)."""
    TahapLokakarya.objects.filter(pk=tahap.pk).update(
        mulai_at=timezone.now() - dt.timedelta(minutes=minutes)
    )


def peserta_of(lok, user):
    return lok.peserta.get(orang__user=user)


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


# --- access -----------------------------------------------------------------------


def test_run_and_attendance_pages_are_404_for_participants_and_outsiders(client, demo, workshop):
    tahap = stages(workshop)[0]
    ks1 = peserta_of(workshop, demo["ks1"])
    pages = [
        ("get", reverse("lokakarya:run", args=[workshop.pk]), {}),
        ("get", reverse("lokakarya:presensi", args=[workshop.pk]), {}),
        ("get", reverse("lokakarya:presensi-qr", args=[workshop.pk]), {}),
        ("post", reverse("lokakarya:daftar-hadir", args=[workshop.pk]), {}),
        ("post", reverse("lokakarya:tahap-start", args=[workshop.pk, tahap.pk]), {}),
        ("post", reverse("lokakarya:tahap-finish", args=[workshop.pk, tahap.pk]), {}),
        (
            "post",
            reverse("lokakarya:tahap-refleksi", args=[workshop.pk, tahap.pk]),
            {"refleksi": "ditulis orang luar"},
        ),
        ("post", reverse("lokakarya:presensi", args=[workshop.pk]), {"aksi": "buka"}),
        (
            "post",
            reverse("lokakarya:presensi", args=[workshop.pk]),
            {"peserta": ks1.pk, "kehadiran": "hadir"},
        ),
    ]
    for username in ("ks1", "cgp1", "fasilitator2", "ks2"):
        client.force_login(demo[username])
        for method, url, data in pages:
            assert getattr(client, method)(url, data).status_code == 404, (username, url)
    tahap.refresh_from_db()
    ks1.refresh_from_db()
    workshop.refresh_from_db()
    assert tahap.mulai_at is None and tahap.refleksi == ""
    assert ks1.kehadiran == Kehadiran.BELUM
    assert workshop.presensi_dibuka is False
    assert not Job.objects.exists()


def test_stage_of_another_workshop_is_404(client, demo, workshop):
    # The other region's workshop (Kabupaten Sikka), which the demo always has.
    other = Lokakarya.objects.filter(kabupaten__kode="5310", tahap__isnull=False).first()
    assert other is not None and other.pk != workshop.pk
    client.force_login(demo["fasilitator1"])
    tahap = other.tahap.first()
    url = reverse("lokakarya:tahap-start", args=[workshop.pk, tahap.pk])
    assert client.post(url).status_code == 404


def test_operator_may_run_and_print(client, demo, workshop):
    client.force_login(demo["operator1"])
    assert client.get(reverse("lokakarya:run", args=[workshop.pk])).status_code == 200
    assert client.get(reverse("lokakarya:presensi", args=[workshop.pk])).status_code == 200
    assert client.post(reverse("lokakarya:daftar-hadir", args=[workshop.pk])).status_code == 302


# --- running the agenda -----------------------------------------------------------------


def test_facilitator_runs_stages_and_sees_ahead_or_behind(client, demo, workshop):
    first, second, third = stages(workshop)[:3]
    client.force_login(demo["fasilitator1"])
    run_url = reverse("lokakarya:run", args=[workshop.pk])

    body = client.get(run_url).content.decode()
    assert first.nama in body and "Mulai" in body
    assert "Belum ada tahap yang selesai." in body

    response = client.post(reverse("lokakarya:tahap-start", args=[workshop.pk, first.pk]))
    assert response["Location"] == run_url
    first.refresh_from_db()
    assert first.mulai_at is not None and first.selesai_at is None

    # The first stage ran 12 minutes over its plan.
    started_minutes_ago(first, first.menit_rencana + 12)
    client.post(reverse("lokakarya:tahap-finish", args=[workshop.pk, first.pk]))
    client.post(reverse("lokakarya:tahap-start", args=[workshop.pk, second.pk]))
    first.refresh_from_db()
    assert first.menit_aktual == first.menit_rencana + 12  # starting stage 2 kept it

    body = client.get(run_url).content.decode()
    assert "terlambat 12 menit" in body
    assert f"Aktual {first.menit_aktual}′" in body
    assert second.nama in body and "Selesai, lalu mulai " + third.nama in body

    # The second stage finishes 17 minutes early: 5 minutes ahead overall.
    started_minutes_ago(second, second.menit_rencana - 17)
    client.post(reverse("lokakarya:tahap-finish", args=[workshop.pk, second.pk]))
    body = client.get(run_url).content.decode()
    assert "lebih cepat 5 menit" in body
    assert "2 dari" in body and "tahap selesai" in body


def test_starting_the_next_stage_finishes_the_running_one(client, demo, workshop):
    first, second = stages(workshop)[:2]
    client.force_login(demo["fasilitator1"])
    client.post(reverse("lokakarya:tahap-start", args=[workshop.pk, first.pk]))
    started_minutes_ago(first, 30)
    client.post(reverse("lokakarya:tahap-start", args=[workshop.pk, second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.menit_aktual == 30
    assert second.mulai_at is not None and second.selesai_at is None


def test_countdown_is_rendered_by_the_server(client, demo, workshop):
    first = stages(workshop)[0]  # the PMO slot, 45 minutes
    client.force_login(demo["fasilitator1"])
    client.post(reverse("lokakarya:tahap-start", args=[workshop.pk, first.pk]))
    started_minutes_ago(first, 10)
    body = client.get(reverse("lokakarya:run", args=[workshop.pk])).content.decode()
    assert "Sisa waktu" in body and f"{first.menit_rencana - 10} menit" in body
    assert 'data-sisa-detik="' in body
    assert "js/lokakarya-run.js" in body

    started_minutes_ago(first, first.menit_rencana + 5)
    body = client.get(reverse("lokakarya:run", args=[workshop.pk])).content.decode()
    assert "Melewati rencana" in body and "5 menit" in body


def test_finishing_a_stage_not_started_is_refused_with_a_message(client, demo, workshop):
    first = stages(workshop)[0]
    client.force_login(demo["fasilitator1"])
    response = client.post(
        reverse("lokakarya:tahap-finish", args=[workshop.pk, first.pk]), follow=True
    )
    assert "Tahap ini belum dimulai." in response.content.decode()


def test_all_stages_done_shows_the_end(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    for tahap in stages(workshop):
        services.tahap_start(actor=demo["fasilitator1"], tahap=tahap)
        services.tahap_finish(actor=demo["fasilitator1"], tahap=tahap)
    body = client.get(reverse("lokakarya:run", args=[workshop.pk])).content.decode()
    assert "Semua tahap sudah selesai." in body


def test_daring_two_day_agenda_shows_the_day(client, demo):
    templat = TemplatLokakarya.objects.get(kode="kb1-daring")
    fasilitator = Orang.objects.get(user=demo["fasilitator1"])
    lok = services.lokakarya_create(
        actor=demo["fasilitator1"],
        templat=templat,
        data={
            "nama": "Komunitas Belajar 1 Daring",
            "program": templat.program,
            "kabupaten": KabupatenKota.objects.get(kode="5203"),
            "moda": "daring",
            "tanggal_mulai": dt.date(2026, 11, 23),
            "tanggal_selesai": dt.date(2026, 11, 24),
            "tautan": "https://meet.google.com/abc-defg-hij",
            "fasilitator": fasilitator,
        },
    )
    client.force_login(demo["fasilitator1"])
    body = client.get(reverse("lokakarya:run", args=[lok.pk])).content.decode()
    assert "Hari 1" in body and "Hari 2" in body


def test_reflection_links_are_links_and_only_http(client, demo, workshop):
    tahap = stages(workshop)[5]
    client.force_login(demo["fasilitator1"])
    response = client.post(
        reverse("lokakarya:tahap-refleksi", args=[workshop.pk, tahap.pk]),
        {
            "refleksi": "Jawaban peserta: https://padlet.com/fasilitator/kb1.\n"
            "javascript:alert(1)\n<script>alert(2)</script>"
        },
    )
    assert response["Location"].endswith(f"#tahap-{tahap.pk}")
    tahap.refresh_from_db()
    assert tahap.refleksi.startswith("Jawaban peserta:")
    body = client.get(reverse("lokakarya:run", args=[workshop.pk])).content.decode()
    assert (
        '<a href="https://padlet.com/fasilitator/kb1" target="_blank" rel="noopener noreferrer">'
        in body
    )
    assert 'href="javascript:' not in body
    assert "<script>alert(2)" not in body and "&lt;script&gt;alert(2)" in body


def test_reflection_parts():
    assert refleksi_baris("Lihat https://jamboard.google.com/d/x, ya\n\njavascript:x") == [
        [{"text": "Lihat "}, {"url": "https://jamboard.google.com/d/x"}, {"text": ", ya"}],
        [{"text": "javascript:x"}],
    ]
    assert refleksi_baris("http://") == [[{"text": "http://"}]]


# --- attendance by the facilitator ------------------------------------------------------


def test_facilitator_marks_attendance_and_sees_the_rate(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    url = reverse("lokakarya:presensi", args=[workshop.pk])
    ks1 = peserta_of(workshop, demo["ks1"])
    cgp1 = peserta_of(workshop, demo["cgp1"])
    pengawas1 = peserta_of(workshop, demo["pengawas1"])
    response = client.post(url, {"peserta": ks1.pk, "kehadiran": "hadir"})
    assert response["Location"] == f"{url}#peserta-{ks1.pk}"
    client.post(url, {"peserta": cgp1.pk, "kehadiran": "terlambat"})
    client.post(url, {"peserta": pengawas1.pk, "kehadiran": "tidak_hadir"})
    assert client.post(url, {"peserta": ks1.pk, "kehadiran": "bolos"}).status_code == 302
    ks1.refresh_from_db()
    cgp1.refresh_from_db()
    assert ks1.kehadiran == Kehadiran.HADIR and cgp1.kehadiran == Kehadiran.TERLAMBAT

    body = client.get(url).content.decode()
    assert "Hadir 2 dari 12 peserta (17%)" in body
    assert "Terlambat 1 · Tidak hadir 1 · Belum dicatat 9" in body
    assert workshop.kode_presensi in body


def test_participant_of_another_workshop_cannot_be_marked(client, demo, workshop):
    other = Lokakarya.objects.filter(kabupaten__kode="5310", peserta__isnull=False).first()
    assert other is not None and other.pk != workshop.pk
    client.force_login(demo["fasilitator1"])
    stranger = other.peserta.first()
    url = reverse("lokakarya:presensi", args=[workshop.pk])
    assert client.post(url, {"peserta": stranger.pk, "kehadiran": "hadir"}).status_code == 404


def test_facilitator_opens_and_closes_self_check_in(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    url = reverse("lokakarya:presensi", args=[workshop.pk])
    client.post(url, {"aksi": "buka"})
    workshop.refresh_from_db()
    assert workshop.presensi_dibuka
    version = workshop.version
    assert "Tutup presensi mandiri" in client.get(url).content.decode()
    client.post(url, {"aksi": "tutup"})
    workshop.refresh_from_db()
    assert not workshop.presensi_dibuka
    assert workshop.version == version  # an open edit of the workshop is not invalidated


def test_presensi_page_queries_do_not_grow_with_participants(
    client, demo, workshop, django_assert_max_num_queries
):
    client.force_login(demo["fasilitator1"])
    url = reverse("lokakarya:presensi", args=[workshop.pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    sekolah = workshop.peserta.first().sekolah
    for i in range(28):
        orang = Orang.objects.create(nama=f"Guru Tambahan {i:02d}, S.Pd", instansi=sekolah.nama)
        services.peserta_add(
            actor=demo["fasilitator1"],
            lokakarya=workshop,
            orang=orang,
            peran=PeranPeserta.GURU,
            sekolah=sekolah,
        )
    services.kehadiran_set(
        actor=demo["fasilitator1"], peserta=workshop.peserta.last(), kehadiran="hadir"
    )
    with django_assert_max_num_queries(12):
        body = client.get(url).content.decode()
    assert "Hadir 1 dari 40 peserta (2%)" in body


# --- QR code ---------------------------------------------------------------------------


def test_check_in_url_carries_the_code(rf, settings):
    settings.ALLOWED_HOSTS = ["pendampingan.example.id"]
    request = rf.get("/", HTTP_HOST="pendampingan.example.id", secure=True)
    assert (
        check_in_url(request, "AB23CD")
        == "https://pendampingan.example.id" + reverse("lokakarya:check-in") + "?kode=AB23CD"
    )


def test_qr_is_an_svg_of_the_check_in_address(client, demo, workshop):
    client.force_login(demo["fasilitator1"])
    response = client.get(reverse("lokakarya:presensi-qr", args=[workshop.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    content = response.content
    assert content.lstrip().startswith((b"<?xml", b"<svg"))
    assert ET.fromstring(content).tag.endswith("svg")  # noqa: S314 (our own SVG)
    # segno cannot decode; the same address encoded the same way gives the same SVG.
    expected = io.BytesIO()
    address = "http://testserver" + reverse("lokakarya:check-in")
    segno.make_qr(f"{address}?kode={workshop.kode_presensi}", error="m").save(
        expected, kind="svg", scale=8, border=2
    )
    assert content == expected.getvalue()


# --- self check-in ---------------------------------------------------------------------


def test_check_in_closed_wrong_code_and_outsider_get_a_clear_message(client, demo, workshop):
    url = reverse("lokakarya:check-in")
    ks1 = peserta_of(workshop, demo["ks1"])

    client.force_login(demo["ks1"])
    body = client.post(url, {"kode": workshop.kode_presensi}).content.decode()
    assert "Presensi mandiri belum dibuka oleh fasilitator." in body
    ks1.refresh_from_db()
    assert ks1.check_in_at is None

    presensi_set_dibuka(actor=demo["fasilitator1"], lokakarya=workshop, dibuka=True)
    wrong = "ZZZZZ9" if workshop.kode_presensi != "ZZZZZ9" else "ZZZZZ8"
    body = client.post(url, {"kode": wrong}).content.decode()
    assert "Kode presensi tidak dikenal." in body

    client.force_login(demo["ks2"])
    response = client.post(url, {"kode": workshop.kode_presensi})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Anda tidak terdaftar sebagai peserta lokakarya ini." in body
    assert workshop.nama not in body and "Komunitas Belajar" not in body


def test_participant_checks_in_once(client, demo, workshop):
    presensi_set_dibuka(actor=demo["fasilitator1"], lokakarya=workshop, dibuka=True)
    url = reverse("lokakarya:check-in")
    client.force_login(demo["ks1"])

    form = client.get(url, {"kode": workshop.kode_presensi.lower()}).content.decode()
    assert f'value="{workshop.kode_presensi}"' in form  # prefilled from the QR code

    typed = " ".join(workshop.kode_presensi[i : i + 3] for i in (0, 3)).lower()
    response = client.post(url, {"kode": typed})
    assert response["Location"] == workshop.get_absolute_url()
    assert "tercatat pukul" in messages_of(response) and workshop.nama in messages_of(response)
    ks1 = peserta_of(workshop, demo["ks1"])
    assert ks1.kehadiran == Kehadiran.HADIR and ks1.check_in_at is not None
    first_time = ks1.check_in_at

    again = client.post(url, {"kode": workshop.kode_presensi})
    assert again.status_code == 302
    ks1.refresh_from_db()
    assert ks1.check_in_at == first_time and ks1.kehadiran == Kehadiran.HADIR

    client.force_login(demo["fasilitator1"])
    body = client.get(reverse("lokakarya:presensi", args=[workshop.pk])).content.decode()
    assert "Presensi mandiri pukul" in body
    assert "Hadir 1 dari 12 peserta (8%)" in body


def test_late_mark_by_the_facilitator_survives_a_later_check_in(client, demo, workshop):
    cgp1 = peserta_of(workshop, demo["cgp1"])
    services.kehadiran_set(actor=demo["fasilitator1"], peserta=cgp1, kehadiran="terlambat")
    presensi_set_dibuka(actor=demo["fasilitator1"], lokakarya=workshop, dibuka=True)
    client.force_login(demo["cgp1"])
    client.post(reverse("lokakarya:check-in"), {"kode": workshop.kode_presensi})
    cgp1.refresh_from_db()
    assert cgp1.kehadiran == Kehadiran.TERLAMBAT and cgp1.check_in_at is not None


def test_check_in_needs_a_login_and_comes_back_with_the_code(client, settings, workshop):
    url = reverse("lokakarya:check-in") + f"?kode={workshop.kode_presensi}"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert workshop.kode_presensi in response["Location"]


# --- daftar hadir PDF ------------------------------------------------------------------


def test_daftar_hadir_pdf_lists_participants(
    client, demo, workshop, django_capture_on_commit_callbacks
):
    services.kehadiran_set(
        actor=demo["fasilitator1"], peserta=peserta_of(workshop, demo["ks1"]), kehadiran="hadir"
    )
    client.force_login(demo["fasilitator1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lokakarya:daftar-hadir", args=[workshop.pk]))
    job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    job.refresh_from_db()
    assert job.kind == "lokakarya.daftar_hadir"
    assert job.status == Job.Status.SELESAI, job.error
    download = client.get(reverse("program:job-download", args=[job.pk]))
    text = pdf_text(b"".join(download.streaming_content))
    assert "Daftar Hadir" in text
    assert workshop.nama in text and "Aula SMA Negeri 1 Selong" in text
    assert "Tanda tangan" in text
    for p in workshop.peserta.select_related("orang"):
        assert p.orang.nama in text
    assert "Kepala sekolah" in text and "Hadir" in text

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("lokakarya:daftar-hadir", args=[workshop.pk]))
    assert again["Location"] == response["Location"]  # unchanged data: same file
