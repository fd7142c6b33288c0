"""The facilitator's review (“sejak bulan lalu”, feedback) and the Forum Pokja."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pmo import perubahan, services
from pmo.models import ForumPokja, InstrumenPMO, StatusTindakLanjut, TindakLanjut, UmpanBalik
from program.dates import month_start
from program.models import Orang
from tests.factories import SekolahFactory, UserFactory

SELONG, TERARA = "50203101", "50203102"


def this_month() -> dt.date:
    return month_start(timezone.localdate())


def pmo_of(npsn: str) -> InstrumenPMO:
    return InstrumenPMO.objects.select_related("sekolah").get(
        sekolah__npsn=npsn, tahun_ajaran=services.periode_pmo(timezone.localdate())[0]
    )


def action(aktivitas_start: str) -> TindakLanjut:
    """An action of SMA Negeri 1 Selong (ks3's school in Sikka has the same plans)."""
    return TindakLanjut.objects.get(
        instrumen__sekolah__npsn="50203101", aktivitas__startswith=aktivitas_start
    )


def row_of(data, aktivitas_start: str):
    return next(
        r for r in data.tindak_lanjut if r.tindak_lanjut.aktivitas.startswith(aktivitas_start)
    )


def nama(demo, username: str) -> str:
    return Orang.objects.get(user=demo[username]).nama


def new_action(instrumen, actor, aktivitas="Kunjungan kelas bersama pengawas"):
    return services.tindak_lanjut_save(
        actor=actor,
        tindak_lanjut=TindakLanjut(instrumen=instrumen),
        expected_version=0,
        data={"aktivitas": aktivitas},
    )


def set_status(item, actor, status, alasan, at=None):
    item.refresh_from_db()
    return services.tindak_lanjut_set_status(
        actor=actor,
        tindak_lanjut=item,
        expected_version=item.version,
        status=status,
        alasan=alasan,
        at=at,
    )


def sejak_url(npsn: str, bulan: dt.date | None = None) -> str:
    pmo = pmo_of(npsn)
    url = reverse("pmo:sejak-bulan-lalu", args=[pmo.sekolah_id, pmo.tahun_ajaran, pmo.siklus])
    return url + (f"?bulan={bulan:%Y-%m}" if bulan else "")


# --- "sejak bulan lalu": the computation --------------------------------------------


def test_the_action_that_got_stuck_this_month_shows_berjalan_to_terkendala_with_reason(demo):
    data = perubahan.sejak_bulan_lalu(pmo_of(SELONG), this_month())

    supervisi = row_of(data, "Supervisi akademik")
    assert (supervisi.status_lalu, supervisi.status_kini) == ("berjalan", "terkendala")
    assert [(c.dari, c.ke, c.alasan) for c in supervisi.perubahan] == [
        ("berjalan", "terkendala", "Bentrok dengan ANBK; jadwal mundur.")
    ]
    assert supervisi.perubahan[0].oleh == nama(demo, "ks1")
    assert not supervisi.baru
    assert supervisi in data.status_berubah


def test_an_action_changed_two_months_ago_shows_no_change_this_month(demo):
    data = perubahan.sejak_bulan_lalu(pmo_of(SELONG), this_month())

    jadwal = row_of(data, "Jadwal belajar bersama")
    assert (jadwal.status_lalu, jadwal.status_kini) == ("berjalan", "berjalan")
    assert jadwal.perubahan == []
    assert not jadwal.status_berubah and not jadwal.baru


def test_last_month_is_its_own_comparison(demo):
    last_month = month_start(this_month(), months=-1)
    data = perubahan.sejak_bulan_lalu(pmo_of(SELONG), last_month)

    training = row_of(data, "In-house training")
    assert (training.status_lalu, training.status_kini) == ("berjalan", "selesai")
    assert [c.alasan for c in training.perubahan] == ["Seluruh sesi pelatihan selesai."]
    # Still "berjalan" then: the trouble came later.
    assert row_of(data, "Supervisi akademik").status_kini == "berjalan"


def test_the_months_note_is_set_beside_last_months(demo):
    jadwal = action("Jadwal belajar bersama")
    note = jadwal.catatan_bulanan.get(bulan=this_month())
    services.catatan_bulanan_save(
        actor=demo["ks1"],
        tindak_lanjut=jadwal,
        bulan=this_month(),
        expected_version=note.version,
        data={"kendala": "Dua guru mutasi; kelompok matematika kosong."},
    )

    row = row_of(perubahan.sejak_bulan_lalu(pmo_of(SELONG), this_month()), "Jadwal belajar")
    assert row.catatan_lalu.bulan == month_start(this_month(), months=-1)
    assert row.catatan_lalu.kendala == "Jadwal rapat dinas di hari yang sama."
    assert row.catatan_kini.kendala == "Dua guru mutasi; kelompok matematika kosong."
    assert row.catatan_berubah
    assert ("Kendala", row.catatan_lalu.kendala, row.catatan_kini.kendala) in row.catatan_pasangan


def test_an_action_added_this_month_is_listed_as_new(demo):
    added = new_action(pmo_of(SELONG), demo["ks1"])

    data = perubahan.sejak_bulan_lalu(pmo_of(SELONG), this_month())
    row = row_of(data, "Kunjungan kelas")
    assert row.baru and row.status_lalu is None and row.status_kini == "belum_mulai"
    assert [r.tindak_lanjut for r in data.baru] == [added]
    # Not there at all last month.
    last = perubahan.sejak_bulan_lalu(pmo_of(SELONG), month_start(this_month(), months=-1))
    assert added not in [r.tindak_lanjut for r in last.tindak_lanjut]


def test_a_step_one_edit_this_month_is_detected(demo):
    instrumen = pmo_of(SELONG)
    # The demo wrote steps 1–2 today; date that writing two months back.
    instrumen.history.update(history_date=timezone.now() - dt.timedelta(days=70))
    assert perubahan.sejak_bulan_lalu(instrumen, this_month()).teks_berubah == []
    before = instrumen.data_refleksi

    services.instrumen_update(
        actor=demo["ks1"],
        instrumen=instrumen,
        expected_version=instrumen.version,
        data={"data_refleksi": "Rapor Pendidikan 2027: numerasi naik menjadi 48%."},
    )

    data = perubahan.sejak_bulan_lalu(pmo_of(SELONG), this_month())
    assert [(t.langkah, t.field, t.lalu, t.kini) for t in data.teks_berubah] == [
        (1, "data_refleksi", before, "Rapor Pendidikan 2027: numerasi naik menjadi 48%.")
    ]
    assert data.teks_diubah_oleh == nama(demo, "ks1")
    assert not data.instrumen_baru


def periode() -> dict:
    """Today's PMO cycle, as instrument fields."""
    tahun, siklus = services.periode_pmo(timezone.localdate())
    return {"tahun_ajaran": tahun, "siklus": siklus}


def test_a_pmo_started_this_month_has_every_text_new(db):
    actor = UserFactory()
    instrumen = services.instrumen_get_or_create(actor=actor, sekolah=SekolahFactory(), **periode())
    services.instrumen_update(
        actor=actor, instrumen=instrumen, expected_version=instrumen.version, data={"subtopik": "X"}
    )
    data = perubahan.sejak_bulan_lalu(instrumen, this_month())
    assert data.instrumen_baru
    assert [t.field for t in data.teks_berubah] == ["subtopik"]


def _pmo_with_actions(n: int) -> InstrumenPMO:
    actor = UserFactory()
    instrumen = services.instrumen_get_or_create(actor=actor, sekolah=SekolahFactory(), **periode())
    for i in range(n):
        item = new_action(instrumen, actor, f"Aksi {i}")
        set_status(item, actor, StatusTindakLanjut.BERJALAN, "mulai")
        services.catatan_bulanan_save(
            actor=actor,
            tindak_lanjut=item,
            bulan=this_month(),
            expected_version=0,
            data={"kendala": "k"},
        )
        services.umpan_balik_add(actor=actor, instrumen=instrumen, isi="ub", tindak_lanjut=item)
    return instrumen


def test_the_comparison_costs_the_same_queries_for_3_and_15_actions(db):
    counts = []
    for n in (3, 15):
        instrumen = InstrumenPMO.objects.get(pk=_pmo_with_actions(n).pk)
        with CaptureQueriesContext(connection) as ctx:
            data = perubahan.sejak_bulan_lalu(instrumen, this_month())
            # Everything the page reads is already there.
            for row in data.tindak_lanjut:
                [c.oleh for c in row.perubahan]
                [u.oleh.get_username() for u in row.umpan_balik]
        assert len(data.tindak_lanjut) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 7


# --- "sejak bulan lalu": the page ----------------------------------------------------


def test_the_facilitator_and_the_head_read_the_page_others_get_404(client, demo):
    for username in ("fasilitator1", "ks1", "koordinator1"):
        client.force_login(demo[username])
        response = client.get(sejak_url(SELONG))
        assert response.status_code == 200, username
        assert "Supervisi akademik berbasis data asesmen" in response.text
        assert "Bentrok dengan ANBK; jadwal mundur." in response.text
    for username in ("fasilitator2", "ks2", "pp1", "cgp1"):
        client.force_login(demo[username])
        assert client.get(sejak_url(SELONG)).status_code == 404, username


def test_the_page_shows_the_chosen_month(client, demo):
    client.force_login(demo["fasilitator1"])
    last_month = month_start(this_month(), months=-1)
    response = client.get(sejak_url(SELONG, last_month))
    assert response.context["d"].bulan == last_month
    assert "Seluruh sesi pelatihan selesai." in response.text
    assert "Bentrok dengan ANBK" not in response.text


def test_only_reviewers_see_the_feedback_forms(client, demo):
    instrumen = pmo_of(SELONG)
    action_url = reverse(
        "pmo:umpan-balik", args=[instrumen.sekolah_id, instrumen.tahun_ajaran, instrumen.siklus]
    )
    client.force_login(demo["fasilitator1"])
    assert action_url in client.get(sejak_url(SELONG)).text
    client.force_login(demo["ks1"])
    assert action_url not in client.get(sejak_url(SELONG)).text


# --- feedback ----------------------------------------------------------------------


def umpan_balik_url(npsn: str) -> str:
    pmo = pmo_of(npsn)
    return reverse("pmo:umpan-balik", args=[pmo.sekolah_id, pmo.tahun_ajaran, pmo.siklus])


def test_the_head_cannot_give_feedback(client, demo):
    for username in ("ks1", "koordinator1", "fasilitator2", "pengawas1"):
        client.force_login(demo[username])
        response = client.post(umpan_balik_url(SELONG), {"langkah": 1, "isi": "Bagus"})
        assert response.status_code == 404, username
        assert client.get(umpan_balik_url(SELONG)).status_code == 404, username
    assert not UmpanBalik.objects.exists()


def test_the_feedback_page_preselects_the_action(client, demo):
    supervisi = action("Supervisi akademik")
    client.force_login(demo["fasilitator1"])
    response = client.get(umpan_balik_url(SELONG) + f"?tindak_lanjut={supervisi.pk}")
    assert response.status_code == 200
    assert f'<option value="{supervisi.pk}" selected>' in response.text


def test_the_facilitator_gives_feedback_per_step_and_per_action(client, demo):
    client.force_login(demo["fasilitator1"])
    supervisi = action("Supervisi akademik")

    response = client.post(
        umpan_balik_url(SELONG), {"langkah": 2, "isi": "Akar masalah sudah berbasis data."}
    )
    assert response.status_code == 302
    assert response["Location"] == pmo_of(SELONG).get_absolute_url() + "#umpan-balik"
    client.post(
        umpan_balik_url(SELONG),
        {"tindak_lanjut": supervisi.pk, "isi": "Jadwalkan ulang setelah ANBK."},
    )

    saved = {(u.langkah, u.tindak_lanjut_id, u.isi, u.oleh_id) for u in UmpanBalik.objects.all()}
    assert saved == {
        (2, None, "Akar masalah sudah berbasis data.", demo["fasilitator1"].pk),
        (4, supervisi.pk, "Jadwalkan ulang setelah ANBK.", demo["fasilitator1"].pk),
    }
    # The head reads it on the PMO page, and on the review page.
    client.force_login(demo["ks1"])
    for url in (pmo_of(SELONG).get_absolute_url(), sejak_url(SELONG)):
        page = client.get(url).text
        assert "Jadwalkan ulang setelah ANBK." in page, url
        assert "Akar masalah sudah berbasis data." in page, url


def test_feedback_needs_a_target_and_text_and_an_action_of_this_pmo(client, demo):
    client.force_login(demo["fasilitator1"])
    other = new_action(pmo_of(TERARA), demo["ks2"])
    for data, message in (
        ({"isi": "Tanpa sasaran"}, "Pilih langkah atau tindak lanjut"),
        ({"langkah": 1, "isi": "  "}, "Tuliskan umpan balik."),
        ({"tindak_lanjut": other.pk, "isi": "Bukan PMO ini"}, "bukan bagian dari PMO ini"),
        ({"langkah": 9, "isi": "Langkah tidak ada"}, "Pilih langkah 1 sampai 4."),
    ):
        response = client.post(umpan_balik_url(SELONG), data)
        assert response.status_code == 200, data
        assert message in response.text, data
    assert not UmpanBalik.objects.exists()


def test_feedback_from_the_review_page_returns_there(client, demo):
    client.force_login(demo["fasilitator1"])
    back = sejak_url(SELONG)
    response = client.post(
        umpan_balik_url(SELONG), {"langkah": 1, "isi": "Data lengkap.", "next": back + "#x"}
    )
    assert response["Location"] == back + "#x"
    response = client.post(
        umpan_balik_url(SELONG),
        {"langkah": 1, "isi": "Data lengkap.", "next": "https://contoh.invalid/"},
    )
    assert response["Location"].startswith(pmo_of(SELONG).get_absolute_url())


# --- forum pokja -------------------------------------------------------------------


def selong_pk() -> int:
    return pmo_of(SELONG).sekolah_id


def months_ago(n: int, day: int = 15) -> dt.date:
    return month_start(this_month(), months=-n).replace(day=day)


def forum_data(**overrides) -> dict:
    return {
        "tanggal": months_ago(2).isoformat(),
        "peserta": "H. Lalu Suparman, S.Pd., M.M\nDr. Hj. Siti Rohmi, M.Pd",
        "koordinator_hadir": "on",
        "capaian": "Pelatihan asesmen formatif terlaksana.",
        "target": "Komunitas belajar mingguan.",
        "hambatan": "Rapat dinas.",
        "kesepakatan": "Jadwal Kamis dipertahankan.\nSupervisi disusun.",
        **overrides,
    }


def test_the_create_form_is_prefilled_with_head_and_facilitator(client, demo):
    client.force_login(demo["fasilitator1"])
    response = client.get(reverse("pmo:forum-create", args=[selong_pk()]))
    peserta = response.context["form"].initial["peserta"].splitlines()
    assert nama(demo, "ks1") in peserta
    assert peserta[-1] == nama(demo, "fasilitator1")  # the heads first
    assert "1 JP" in response.text
    assert nama(demo, "koordinator1") in response.text  # named beside the checkbox
    # This month's forum is already in the demo.
    assert "sudah dicatat" in response.text


def test_the_facilitator_records_a_forum_with_the_coordinator(client, demo):
    client.force_login(demo["fasilitator1"])
    response = client.post(
        reverse("pmo:forum-create", args=[selong_pk()]), forum_data(peserta=nama(demo, "ks1"))
    )
    forum = ForumPokja.objects.get(sekolah_id=selong_pk(), bulan=months_ago(2, 1))
    assert response["Location"] == reverse("pmo:forum-detail", args=[forum.pk])
    assert forum.jp == 2 and forum.koordinator_hadir
    assert forum.peserta.splitlines() == [nama(demo, "ks1"), nama(demo, "koordinator1")]
    assert forum.dicatat_oleh == demo["fasilitator1"]

    detail = client.get(response["Location"])
    assert "Koordinator" in detail.text and "Hadir · 1 JP" in detail.text
    assert "Supervisi disusun." in detail.text


def test_a_second_forum_in_the_same_month_is_refused(client, demo):
    client.force_login(demo["fasilitator1"])
    url = reverse("pmo:forum-create", args=[selong_pk()])
    client.post(url, forum_data())
    response = client.post(url, forum_data(tanggal=months_ago(2, 20).isoformat()))
    assert response.status_code == 200
    assert "sudah dicatat" in response.text
    assert ForumPokja.objects.filter(sekolah_id=selong_pk(), bulan=months_ago(2, 1)).count() == 1


def test_a_forum_cannot_be_dated_in_the_future(client, demo):
    client.force_login(demo["fasilitator1"])
    tomorrow = timezone.localdate() + dt.timedelta(days=40)
    response = client.post(
        reverse("pmo:forum-create", args=[selong_pk()]), forum_data(tanggal=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert "masa depan" in response.text


def test_the_detail_keeps_the_statuses_discussed_beside_todays(client, demo):
    # The forum discusses its own cycle's actions: two months back, or the
    # cycle's first day when that is nearer (the demo's PMO is this cycle's).
    supervisi_now = action("Supervisi akademik")
    awal = services.bulan_siklus(
        supervisi_now.instrumen.tahun_ajaran, supervisi_now.instrumen.siklus
    )
    tanggal = max(months_ago(2), awal[0])
    ForumPokja.objects.filter(sekolah_id=selong_pk(), bulan=tanggal.replace(day=1)).delete()
    client.force_login(demo["fasilitator1"])
    client.post(
        reverse("pmo:forum-create", args=[selong_pk()]),
        forum_data(tanggal=tanggal.isoformat()),
    )
    forum = ForumPokja.objects.get(sekolah_id=selong_pk(), bulan=tanggal.replace(day=1))
    set_status(supervisi_now, demo["ks1"], "berjalan", "ANBK selesai.")

    client.force_login(demo["koordinator1"])
    response = client.get(reverse("pmo:forum-detail", args=[forum.pk]))
    rows = {r.aktivitas: r for r in response.context["keadaan"]}
    supervisi = rows["Supervisi akademik berbasis data asesmen"]
    assert (supervisi.status_forum_label, supervisi.status_kini_label) == ("Terkendala", "Berjalan")
    assert supervisi.berubah
    assert not rows["Jadwal belajar bersama setiap Kamis"].berubah
    assert "Terkendala" in response.text and "Saat forum" in response.text


def test_a_stale_edit_is_a_409_and_saves_nothing(client, demo):
    forum = ForumPokja.objects.filter(sekolah_id=selong_pk()).order_by("-bulan").first()
    client.force_login(demo["fasilitator1"])
    url = reverse("pmo:forum-edit", args=[forum.pk])
    loaded = client.get(url).context["form"].initial["version"]
    services.forum_pokja_save(
        actor=demo["fasilitator1"],
        forum=forum,
        expected_version=forum.version,
        data={"hambatan": "Disimpan lebih dulu oleh rekan."},
    )
    data = forum_data(tanggal=forum.tanggal.isoformat(), hambatan="Versi saya.", version=loaded)
    response = client.post(url, data)
    assert response.status_code == 409
    forum.refresh_from_db()
    assert forum.hambatan == "Disimpan lebih dulu oleh rekan."

    data["version"] = forum.version
    assert client.post(url, data).status_code == 302
    forum.refresh_from_db()
    assert forum.hambatan == "Versi saya."


def test_moving_a_forum_into_a_month_already_recorded_is_refused(client, demo):
    older, newer = ForumPokja.objects.filter(sekolah_id=selong_pk()).order_by("bulan")
    client.force_login(demo["fasilitator1"])
    response = client.post(
        reverse("pmo:forum-edit", args=[older.pk]),
        forum_data(tanggal=newer.tanggal.isoformat(), version=older.version),
    )
    assert response.status_code == 200
    assert "sudah dicatat" in response.text
    older.refresh_from_db()
    assert older.bulan < newer.bulan


def test_forum_pages_follow_the_school_scope(client, demo):
    forum = ForumPokja.objects.filter(sekolah_id=selong_pk()).first()
    reads = [
        reverse("pmo:forum-list", args=[selong_pk()]),
        reverse("pmo:forum-detail", args=[forum.pk]),
    ]
    writes = [
        reverse("pmo:forum-create", args=[selong_pk()]),
        reverse("pmo:forum-edit", args=[forum.pk]),
    ]
    for username in ("koordinator1", "ks1", "pengawas1"):
        client.force_login(demo[username])
        for url in reads:
            assert client.get(url).status_code == 200, (username, url)
        for url in writes:
            assert client.get(url).status_code == 404, (username, url)
    client.force_login(demo["fasilitator1"])
    for url in reads + writes:
        assert client.get(url).status_code == 200, url
    for username in ("fasilitator2", "ks2", "pp1"):
        client.force_login(demo[username])
        for url in reads + writes:
            assert client.get(url).status_code == 404, (username, url)


def test_the_list_shows_jp_and_the_coordinators_presence(client, demo):
    client.force_login(demo["ks1"])
    response = client.get(reverse("pmo:forum-list", args=[selong_pk()]))
    assert [f.bulan for f in response.context["forums"]] == [
        this_month(),
        month_start(this_month(), months=-1),
    ]
    assert "4 JP" in response.text and "koordinator 2 JP" in response.text
    assert "Catat forum" not in response.text  # the head reads only
    client.force_login(demo["fasilitator2"])
    terara = pmo_of(TERARA).sekolah_id
    response = client.get(reverse("pmo:forum-list", args=[terara]))
    assert "Belum ada forum pokja" in response.text
    assert "Catat forum bulan ini" in response.text


def test_forum_list_queries_do_not_grow_with_records(client, demo, django_assert_max_num_queries):
    client.force_login(demo["koordinator1"])
    url = reverse("pmo:forum-list", args=[selong_pk()])
    with django_assert_max_num_queries(13):
        assert len(client.get(url).context["forums"]) == 2
    sekolah = pmo_of(SELONG).sekolah
    for n in range(2, 20):
        tanggal = months_ago(n, 5)
        services.forum_pokja_save(
            actor=demo["fasilitator1"],
            forum=ForumPokja(sekolah=sekolah, tanggal=tanggal),
            expected_version=0,
            data={"tanggal": tanggal, "koordinator_hadir": n % 2 == 0},
        )
    with django_assert_max_num_queries(13):
        assert len(client.get(url).context["forums"]) == 20


def test_a_school_without_a_kabupaten_coordinator_names_the_balais(client, demo):
    from program.models import PenugasanWilayah

    PenugasanWilayah.objects.filter(orang__user=demo["koordinator1"]).delete()
    client.force_login(demo["fasilitator1"])
    response = client.get(reverse("pmo:forum-create", args=[selong_pk()]))
    assert nama(demo, "koordinatorntb") in response.text
    assert nama(demo, "koordinator1") not in response.text
    # The Balai's operator is not one of its coordinators.
    assert nama(demo, "operatorntb") not in response.text
