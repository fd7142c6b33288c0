"""Coaching kepala sekolah: who reads and writes, the 20–30 minute rule, the
quarter plan, conflict-safe edits, query budget and the demo seed."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pendampingan import services
from pendampingan.demo.coaching import seed as seed_coaching
from pendampingan.models import TOPIK_WAJIB, RencanaCoaching, SesiCoaching, TopikPilihan
from program import demo as program_demo
from program.dates import month_start
from program.models import Orang, PenugasanSekolah, Peran, Sekolah

SELONG, TERARA = "50203101", "50203102"
HOME_BUDGET = 12
SEKOLAH_BUDGET = 14


def quiet():
    return io.StringIO()


@pytest.fixture
def selong(demo):
    return Sekolah.objects.get(npsn=SELONG)


@pytest.fixture
def sesi(demo, selong):
    return services.coaching_create(
        actor=demo["fasilitator1"],
        sekolah=selong,
        fasilitator=Orang.objects.get(user=demo["fasilitator1"]),
        data={
            "tanggal": timezone.localdate() - dt.timedelta(days=3),
            "menit_topik_wajib": 25,
            "topik_pilihan": TopikPilihan.KEPEMIMPINAN,
            "rincian_topik": "Rencana kerja semester",
            "catatan": "Catatan awal dari fasilitator.",
            "kesepakatan": "Menyusun jadwal supervisi\nRapat komite pembelajaran",
        },
    )


def page_urls(sekolah, sesi):
    return {
        "sekolah": reverse("pendampingan:coaching-sekolah", args=[sekolah.pk]),
        "create": reverse("pendampingan:coaching-create", args=[sekolah.pk]),
        "rencana": reverse("pendampingan:coaching-rencana", args=[sekolah.pk]),
        "detail": reverse("pendampingan:coaching-detail", args=[sesi.pk]),
        "edit": reverse("pendampingan:coaching-edit", args=[sesi.pk]),
    }


def form_data(**overrides):
    data = {
        "tanggal": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "menit_topik_wajib": "25",
        "topik_pilihan": TopikPilihan.AKSI_NYATA,
        "rincian_topik": "Lokakarya 2 → aksi nyata",
        "catatan": "Kepala sekolah menceritakan aksi nyata.",
        "kesepakatan": "Kunjungan kelas\n\n  Berbagi praktik baik  \n",
    }
    data.update(overrides)
    return data


# --- access ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("fasilitator1", dict.fromkeys(("sekolah", "create", "rencana", "detail", "edit"), 200)),
        ("operator1", dict.fromkeys(("sekolah", "create", "rencana", "detail", "edit"), 200)),
        (
            "ks1",
            {"sekolah": 200, "detail": 200, "create": 404, "rencana": 404, "edit": 404},
        ),
        (
            "koordinator1",
            {"sekolah": 200, "detail": 200, "create": 404, "rencana": 404, "edit": 404},
        ),
        ("fasilitator2", dict.fromkeys(("sekolah", "create", "rencana", "detail", "edit"), 404)),
        ("ks2", dict.fromkeys(("sekolah", "create", "rencana", "detail", "edit"), 404)),
        ("pp1", dict.fromkeys(("sekolah", "create", "rencana", "detail", "edit"), 404)),
        ("pengawas1", dict.fromkeys(("sekolah", "create", "rencana", "detail", "edit"), 404)),
    ],
)
def test_pages_are_scoped(client, demo, selong, sesi, username, expected):
    client.force_login(demo[username])
    urls = page_urls(selong, sesi)
    got = {name: client.get(url).status_code for name, url in urls.items()}
    assert got == expected


@pytest.mark.parametrize("username", ["ks1", "fasilitator2", "koordinator1"])
def test_posts_outside_write_scope_change_nothing(client, demo, selong, sesi, username):
    client.force_login(demo[username])
    urls = page_urls(selong, sesi)
    before = SesiCoaching.objects.count()
    assert client.post(urls["create"], form_data()).status_code == 404
    edit = form_data(catatan="Diubah tanpa hak.", version=str(sesi.version))
    assert client.post(urls["edit"], edit).status_code == 404
    assert SesiCoaching.objects.count() == before
    sesi.refresh_from_db()
    assert sesi.catatan == "Catatan awal dari fasilitator."


def test_buttons_only_for_the_facilitator(client, demo, selong, sesi):
    urls = page_urls(selong, sesi)
    client.force_login(demo["fasilitator1"])
    page = client.get(urls["sekolah"]).content.decode()
    assert "Catat sesi coaching" in page and "Atur rencana triwulan" in page
    assert urls["edit"] in client.get(urls["detail"]).content.decode()

    client.force_login(demo["ks1"])
    page = client.get(urls["sekolah"]).content.decode()
    assert "Catat sesi coaching" not in page and "Atur rencana triwulan" not in page
    detail = client.get(urls["detail"]).content.decode()
    assert urls["edit"] not in detail
    # The head reads the notes and the agreed actions as a list.
    assert "Catatan awal dari fasilitator." in detail
    assert '<li class="list-group-item">Menyusun jadwal supervisi</li>' in detail


def test_home_lists_schools_by_role(client, demo, sesi):
    client.force_login(demo["fasilitator1"])
    home = client.get(reverse("pendampingan:coaching-home"))
    names = [s.nama for s in home.context["binaan"]]
    assert "SMA Negeri 1 Selong" in names and "SD Negeri 4 Terara" not in names
    selong_row = next(s for s in home.context["binaan"] if s.npsn == SELONG)
    assert selong_row.sesi_terakhir == sesi.tanggal

    client.force_login(demo["ks1"])
    home = client.get(reverse("pendampingan:coaching-home"))
    assert [s.nama for s in home.context["dipimpin"]] == ["SMA Negeri 1 Selong"]
    assert "binaan" not in home.context

    client.force_login(demo["koordinator1"])
    home = client.get(reverse("pendampingan:coaching-home"))
    names = [s.nama for s in home.context["wilayah"]]
    assert "SMA Negeri 1 Selong" in names and "SD Negeri 4 Terara" not in names


# --- recording a session ------------------------------------------------------------


@pytest.mark.parametrize(("menit", "word"), [("19", "paling sedikit 20"), ("35", "paling lama 30")])
def test_topik_wajib_minutes_outside_20_to_30_refused(client, demo, selong, menit, word):
    client.force_login(demo["fasilitator1"])
    url = reverse("pendampingan:coaching-create", args=[selong.pk])
    before = SesiCoaching.objects.count()
    response = client.post(url, form_data(menit_topik_wajib=menit))
    assert response.status_code == 200
    page = response.content.decode()
    assert "dibahas 20–30 menit setiap sesi" in page
    assert word in page
    assert SesiCoaching.objects.count() == before


def test_session_saved_with_topik_wajib_always_present(client, demo, selong):
    client.force_login(demo["fasilitator1"])
    url = reverse("pendampingan:coaching-create", args=[selong.pk])
    before = set(SesiCoaching.objects.values_list("pk", flat=True))
    response = client.post(url, form_data(topik_wajib="Topik lain yang diselipkan"))
    (sesi,) = SesiCoaching.objects.exclude(pk__in=before)
    assert response.status_code == 302
    assert response.url == sesi.get_absolute_url()
    assert sesi.topik_wajib == str(TOPIK_WAJIB) == "Pembelajaran paradigma baru"
    assert sesi.menit_topik_wajib == 25
    assert sesi.fasilitator.user == demo["fasilitator1"]
    assert sesi.kesepakatan_list == ["Kunjungan kelas", "Berbagi praktik baik"]
    assert sesi.jp == 2

    detail = client.get(sesi.get_absolute_url()).content.decode()
    assert "Pembelajaran paradigma baru" in detail


def test_future_date_refused(client, demo, selong):
    client.force_login(demo["fasilitator1"])
    url = reverse("pendampingan:coaching-create", args=[selong.pk])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    before = SesiCoaching.objects.count()
    response = client.post(url, form_data(tanggal=tomorrow))
    assert response.status_code == 200
    assert "Tanggal sesi belum terjadi" in response.content.decode()
    assert SesiCoaching.objects.count() == before


def test_create_form_defaults_topic_from_this_months_plan(client, demo, selong):
    services.rencana_coaching_set(
        actor=demo["fasilitator1"],
        sekolah=selong,
        rows=[
            {
                "bulan": month_start(timezone.localdate()),
                "topik_pilihan": TopikPilihan.KEPEMIMPINAN,
                "rincian": "Refleksi rencana kerja",
            }
        ],
    )
    client.force_login(demo["fasilitator1"])
    response = client.get(reverse("pendampingan:coaching-create", args=[selong.pk]))
    form = response.context["form"]
    assert form.initial["topik_pilihan"] == TopikPilihan.KEPEMIMPINAN
    assert form.initial["rincian_topik"] == "Refleksi rencana kerja"
    assert "Pembelajaran paradigma baru" in response.content.decode()


# --- the quarter plan --------------------------------------------------------------


def test_plan_for_three_months_is_saved_and_shown(client, demo, selong):
    client.force_login(demo["fasilitator1"])
    bulan_ini = month_start(timezone.localdate())
    months = [month_start(bulan_ini, months=i) for i in range(3)]
    url = reverse("pendampingan:coaching-rencana", args=[selong.pk])
    data = {
        "topik_0": "1",
        "rincian_0": "Lokakarya 3 → aksi nyata",
        "topik_1": "2",
        "rincian_1": "Rencana kerja kepala sekolah",
        "topik_2": "1",
        "rincian_2": "Lokakarya 4 → aksi nyata",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    saved = list(RencanaCoaching.objects.filter(sekolah=selong, bulan__gte=bulan_ini))
    assert [r.bulan for r in saved] == months
    assert [r.topik_pilihan for r in saved] == ["1", "2", "1"]

    response = client.get(reverse("pendampingan:coaching-sekolah", args=[selong.pk]))
    assert [r.bulan for r in response.context["rencana"]] == months
    page = response.content.decode()
    for bulan in months:
        assert bulan.strftime("%Y") in page
    assert "Rencana kerja kepala sekolah" in page
    assert "Lokakarya 4 → aksi nyata" in page

    # The head reads the plan too.
    client.force_login(demo["ks1"])
    response = client.get(reverse("pendampingan:coaching-sekolah", args=[selong.pk]))
    assert "Lokakarya 3 → aksi nyata" in response.content.decode()


def test_plan_from_a_chosen_month(client, demo, selong):
    client.force_login(demo["fasilitator1"])
    mulai = month_start(timezone.localdate(), months=2)
    url = reverse("pendampingan:coaching-rencana", args=[selong.pk])
    url += f"?mulai={mulai:%Y-%m}"
    data = {"topik_0": "2", "topik_1": "2", "topik_2": "1"}
    assert client.post(url, data).status_code == 302
    assert [r.bulan for r in RencanaCoaching.objects.filter(sekolah=selong, bulan__gte=mulai)] == [
        month_start(mulai, months=i) for i in range(3)
    ]
    # The existing plan is offered for editing.
    form = client.get(url).context["form"]
    assert form.fields["topik_0"].initial == "2"


def test_plan_requires_a_topic_each_month(client, demo, selong):
    client.force_login(demo["fasilitator1"])
    url = reverse("pendampingan:coaching-rencana", args=[selong.pk])
    before = list(RencanaCoaching.objects.values_list("sekolah", "bulan", "topik_pilihan"))
    response = client.post(url, {"topik_0": "2", "topik_1": "2"})
    assert response.status_code == 200
    assert "Pilih topik pilihan untuk bulan ini." in response.content.decode()
    assert list(RencanaCoaching.objects.values_list("sekolah", "bulan", "topik_pilihan")) == before


# --- editing ------------------------------------------------------------------------


def test_edit_saves_and_bumps_version(client, demo, sesi):
    client.force_login(demo["fasilitator1"])
    url = reverse("pendampingan:coaching-edit", args=[sesi.pk])
    data = form_data(catatan="Catatan diperbaiki.", version=str(sesi.version))
    response = client.post(url, data)
    assert response.status_code == 302
    sesi.refresh_from_db()
    assert sesi.catatan == "Catatan diperbaiki."
    assert sesi.version == 2
    assert sesi.topik_wajib == "Pembelajaran paradigma baru"


def test_stale_edit_is_a_conflict_and_keeps_the_newer_text(client, demo, sesi):
    client.force_login(demo["fasilitator1"])
    url = reverse("pendampingan:coaching-edit", args=[sesi.pk])
    loaded_version = client.get(url).context["form"].initial["version"]
    # Someone else saves in the meantime (another tab or device).
    services.coaching_update(
        actor=demo["operator1"],
        sesi=SesiCoaching.objects.get(pk=sesi.pk),
        expected_version=sesi.version,
        data={"catatan": "Versi lebih baru dari perangkat lain."},
    )
    data = form_data(catatan="Versi lama saya.", version=str(loaded_version))
    response = client.post(url, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Versi lama saya." in page
    assert "Versi lebih baru dari perangkat lain." in page
    sesi.refresh_from_db()
    assert sesi.catatan == "Versi lebih baru dari perangkat lain."
    assert sesi.version == 2


# --- query budget ---------------------------------------------------------------------


def _coaching_everywhere():
    """A session and a plan at every school, so the home page has rows to show."""
    actor = get_user_model().objects.get(username="operator1")
    today = timezone.localdate()
    for p in PenugasanSekolah.objects.filter(peran=Peran.FASILITATOR).select_related(
        "sekolah", "orang"
    ):
        services.coaching_create(
            actor=actor,
            sekolah=p.sekolah,
            fasilitator=p.orang,
            data={"tanggal": today, "topik_pilihan": "1", "kesepakatan": "A\nB"},
        )
        services.rencana_coaching_set(
            actor=actor,
            sekolah=p.sekolah,
            rows=[
                {"bulan": month_start(today, months=i), "topik_pilihan": "2", "rincian": "R"}
                for i in range(3)
            ],
        )


@pytest.mark.parametrize("scale", [1, 3])
@pytest.mark.parametrize("username", ["fasilitator1", "ks1", "koordinator1", "operator1"])
def test_home_query_budget(client, db, django_assert_max_num_queries, scale, username):
    call_command("seed_demo", "--scale", str(scale), stdout=quiet())
    _coaching_everywhere()
    client.force_login(get_user_model().objects.get(username=username))
    with django_assert_max_num_queries(HOME_BUDGET):
        response = client.get(reverse("pendampingan:coaching-home"))
    assert response.status_code == 200
    if username == "koordinator1":
        assert len(response.context["wilayah"]) == 8 * scale
        assert all(s.rencana_berikut is not None for s in response.context["wilayah"])


@pytest.mark.parametrize("extra", [0, 12])
@pytest.mark.parametrize("username", ["fasilitator1", "ks1", "koordinator1"])
def test_school_page_query_budget(
    client, demo, selong, django_assert_max_num_queries, extra, username
):
    fasilitator = Orang.objects.get(user=demo["fasilitator1"])
    for n in range(extra):
        services.coaching_create(
            actor=demo["fasilitator1"],
            sekolah=selong,
            fasilitator=fasilitator,
            data={
                "tanggal": dt.date(2025, 1, 1) + dt.timedelta(days=30 * n),
                "topik_pilihan": "2",
                "kesepakatan": "Satu\nDua",
            },
        )
    client.force_login(demo[username])
    with django_assert_max_num_queries(SEKOLAH_BUDGET):
        response = client.get(reverse("pendampingan:coaching-sekolah", args=[selong.pk]))
    assert response.status_code == 200
    assert len(response.context["sesi_list"]) >= extra


# --- demo seed --------------------------------------------------------------------------


def test_demo_seed_is_idempotent(db):
    call_command("load_reference", stdout=quiet())
    ctx = program_demo.DemoContext(password="demo12345")
    program_demo.seed(ctx)
    seed_coaching(ctx)
    counts = (SesiCoaching.objects.count(), RencanaCoaching.objects.count())
    history = (
        SesiCoaching.history.count(),
        RencanaCoaching.history.count(),
    )
    seed_coaching(ctx)
    assert (SesiCoaching.objects.count(), RencanaCoaching.objects.count()) == counts
    assert (SesiCoaching.history.count(), RencanaCoaching.history.count()) == history

    # fasilitator1 (Lombok Timur) and fasilitator3 (Sikka) have four schools each:
    # 3 + 2 + 3 + 2 past sessions, 3 plan rows each, at their own schools only.
    for username in ("fasilitator1", "fasilitator3"):
        schools = set(
            PenugasanSekolah.objects.filter(
                orang=ctx.orang[username], peran=Peran.FASILITATOR
            ).values_list("sekolah", flat=True)
        )
        own = SesiCoaching.objects.filter(fasilitator=ctx.orang[username])
        assert own.count() == 10, username
        assert set(own.values_list("sekolah", flat=True)) == schools, username
        assert RencanaCoaching.objects.filter(sekolah__in=schools).count() == 12, username
    assert counts == (20, 24)
    today = timezone.localdate()
    assert all(s.tanggal < month_start(today) for s in SesiCoaching.objects.all())
    assert all(20 <= s.menit_topik_wajib <= 30 for s in SesiCoaching.objects.all())
    assert all(len(s.kesepakatan_list) >= 2 for s in SesiCoaching.objects.all())
    selong = ctx.sekolah[SELONG]
    assert list(RencanaCoaching.objects.filter(sekolah=selong).values_list("bulan", flat=True)) == [
        month_start(today, months=i) for i in range(3)
    ]
    assert not SesiCoaching.objects.filter(sekolah=ctx.sekolah[TERARA]).exists()


def test_demo_seed_leaves_users_plans_alone(db):
    call_command("load_reference", stdout=quiet())
    ctx = program_demo.DemoContext(password="demo12345")
    program_demo.seed(ctx)
    selong = ctx.sekolah[SELONG]
    bulan_ini = month_start(timezone.localdate())
    services.rencana_coaching_set(
        actor=ctx.users["fasilitator1"],
        sekolah=selong,
        rows=[{"bulan": bulan_ini, "topik_pilihan": "2", "rincian": "Disepakati pengguna"}],
    )
    seed_coaching(ctx)
    assert RencanaCoaching.objects.get(sekolah=selong, bulan=bulan_ini).rincian == (
        "Disepakati pengguna"
    )


def test_seed_demo_twice_adds_no_coaching(db):
    call_command("seed_demo", stdout=quiet())
    counts = (SesiCoaching.objects.count(), RencanaCoaching.objects.count())
    assert counts == (20, 24)  # fasilitator1's and fasilitator3's schools
    call_command("seed_demo", stdout=quiet())
    assert (SesiCoaching.objects.count(), RencanaCoaching.objects.count()) == counts
