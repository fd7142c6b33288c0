"""Editing a programme version in the product (issue 17 §1): its name, PI
count and calendar, with history; never below the PI a cohort already keeps
sessions for, never over someone else's later save."""

import pytest
from django.urls import reverse

from pendampingan.models import SesiPI
from program import versi as services
from program.models import KalenderVersi, PenugasanPP, VersiProgram

ENAM = "PGP · 6 PI"


@pytest.fixture
def versi(demo) -> VersiProgram:
    versi = VersiProgram.objects.get(nama=ENAM)
    KalenderVersi.objects.filter(versi=versi).delete()
    for ke, minggu in ((0, 1), (1, 4), (2, 8)):
        KalenderVersi.objects.create(versi=versi, ke=ke, minggu_ke=minggu)
    return versi


def url(versi) -> str:
    return reverse("program:versi-edit", args=[versi.pk])


def form_data(page, **changes) -> dict:
    """What the browser would post back from the page as shown, with `changes`."""
    form, formset = page.context["form"], page.context["formset"]
    data = {f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()}
    data.update({name: form.initial.get(name, "") for name in form.fields})
    for i, f in enumerate(formset.forms):
        for name in ("ke", "minggu_ke"):
            value = f.initial.get(name)
            data[f"{formset.prefix}-{i}-{name}"] = "" if value is None else value
    data.update(changes)
    return data


def test_an_operator_edits_name_pi_count_and_calendar(client, demo, versi):
    client.force_login(demo["operator1"])
    page = client.get(url(versi))
    assert page.status_code == 200
    assert [f.initial.get("ke") for f in page.context["formset"].forms] == [0, 1, 2, None, None]
    response = client.post(
        url(versi),
        form_data(
            page,
            nama="PGP · 7 PI (9 bulan)",
            jumlah_pi=7,
            **{
                "kalender-1-minggu_ke": 5,  # Lokakarya 1 one week later
                "kalender-2-DELETE": "on",  # no Lokakarya 2
                "kalender-3-ke": 3,
                "kalender-3-minggu_ke": 12,
            },
        ),
    )
    assert response.status_code == 302
    versi.refresh_from_db()
    assert (versi.nama, versi.jumlah_pi) == ("PGP · 7 PI (9 bulan)", 7)
    assert list(versi.kalender.values_list("ke", "minggu_ke")) == [(0, 1), (1, 5), (3, 12)]
    last = versi.history.first()
    assert last.history_user == demo["operator1"] and last.jumlah_pi == 7

    # The PP of a cohort of that version now has a PI 7.
    pasangan = PenugasanPP.objects.filter(pp__user__username="pp1", angkatan__versi=versi).first()
    client.force_login(demo["pp1"])
    assert client.get(reverse("pendampingan:sesi", args=[pasangan.pk, 7])).status_code == 200

    # The list shows it, and the history names the operator.
    client.force_login(demo["operator1"])
    page = client.get(url(versi))
    assert "operator1: PGP · 7 PI (9 bulan), 7 PI" in page.text
    listing = client.get(reverse("program:versi-list")).text
    assert "minggu ke-12" in listing and "Lokakarya 2:" not in listing


def test_fewer_pi_than_a_cohort_has_sessions_for_is_refused(client, demo, versi):
    highest = (
        SesiPI.objects.filter(penugasan__angkatan__versi=versi)
        .order_by("-urutan")
        .values_list("urutan", flat=True)
        .first()
    )
    assert highest and highest >= 2
    client.force_login(demo["operator1"])
    page = client.get(url(versi))
    response = client.post(url(versi), form_data(page, nama="Dipotong", jumlah_pi=highest - 1))
    assert response.status_code == 400
    assert (
        f"sudah punya sesi PI {highest}; jumlah PI tidak bisa kurang dari {highest}"
        in response.text
    )
    # What was typed stays on the form; nothing was saved.
    assert response.context["form"]["nama"].value() == "Dipotong"
    versi.refresh_from_db()
    assert (versi.nama, versi.jumlah_pi) == (ENAM, 6)

    # Down to the highest PI with a session is allowed.
    response = client.post(url(versi), form_data(page, jumlah_pi=highest))
    assert response.status_code == 302
    versi.refresh_from_db()
    assert versi.jumlah_pi == highest


def test_a_save_over_a_later_save_is_refused_and_keeps_what_was_typed(client, demo, versi):
    client.force_login(demo["operator1"])
    page = client.get(url(versi))
    # Someone else saves first (e.g. the superuser in another tab).
    services.versi_update(
        actor=demo["admin"],
        versi=versi,
        riwayat=services.versi_riwayat(versi),
        data={"nama": ENAM, "jumlah_pi": 6, "keterangan": "Diubah admin"},
        kalender=[(0, 1), (1, 6), (2, 8)],
    )
    response = client.post(
        url(versi), form_data(page, keterangan="Ketikan operator", **{"kalender-1-minggu_ke": 3})
    )
    assert response.status_code == 400
    assert "sudah diubah oleh admin sejak halaman ini dibuka" in response.text
    assert response.context["form"]["keterangan"].value() == "Ketikan operator"
    versi.refresh_from_db()
    assert versi.keterangan == "Diubah admin"
    assert versi.kalender.get(ke=1).minggu_ke == 6

    # Saving again, knowingly, goes through.
    again = response.context["form"].data.copy()
    assert client.post(url(versi), again).status_code == 302
    versi.refresh_from_db()
    assert versi.keterangan == "Ketikan operator" and versi.kalender.get(ke=1).minggu_ke == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kalender-3-ke": 1, "kalender-3-minggu_ke": 9}, "Setiap lokakarya hanya sekali"),
        ({"kalender-3-ke": 4}, "Isi lokakarya ke- dan minggu ke-, atau kosongkan keduanya."),
        ({"jumlah_pi": 13}, "lebih kecil dari atau sama dengan 12"),
        ({"nama": "PSP"}, "Program ini sudah punya versi bernama itu."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, demo, versi, changes, message):
    VersiProgram.objects.create(program=versi.program, nama="PSP", jumlah_pi=0)
    before = list(versi.kalender.values_list("ke", "minggu_ke"))
    client.force_login(demo["operator1"])
    response = client.post(url(versi), form_data(client.get(url(versi)), **changes))
    assert response.status_code == 400
    assert message in response.text
    versi.refresh_from_db()
    assert versi.nama == ENAM and list(versi.kalender.values_list("ke", "minggu_ke")) == before


@pytest.mark.parametrize("username", ["operatorntb", "koordinatorntb", "pp1"])
def test_only_the_programmes_operators_edit_versions(client, demo, versi, username):
    client.force_login(demo[username])
    assert client.get(url(versi)).status_code == 404
    assert client.post(url(versi), {"nama": "X", "jumlah_pi": 1}).status_code == 404
    versi.refresh_from_db()
    assert versi.nama == ENAM
