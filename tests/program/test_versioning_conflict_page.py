"""What the conflict page shows, row by row (program.versioning.conflict_response).

tests/test_conflicts.py proves every edit page answers a stale save with a 409
holding both texts. These read the page as its user does: one row per field
under the field's label, choices, yes/no and members in words, empty cells
empty, the rows that differ marked, no row for hidden fields, a way back, and
a form that saves again (with its CSRF token). Found by `make mutants`.
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from komunitas.models import KomunitasBelajar
from pmo.models import InstrumenPMO
from pmo.services import periode_pmo
from program.models import Orang
from program.services import orang_update
from program.versioning import ConflictError
from tests.factories import OrangFactory, UserFactory
from tests.html_forms import form_for

SELONG = "50203101"  # ks1's school

ROW = re.compile(
    r'<tr( class="table-warning")?><th scope="row">(.*?)</th>'
    r'<td class="conflict-mine"><pre>(.*?)</pre></td>'
    r'<td class="conflict-theirs"><pre>(.*?)</pre></td></tr>',
    re.DOTALL,
)


def rows(response) -> dict[str, tuple[str, str, bool]]:
    """label -> (the user's value, the saved value, marked as different)."""
    body = response.content.decode()
    return {
        html.unescape(label): (html.unescape(mine), html.unescape(theirs), bool(marked))
        for marked, label, mine, theirs in ROW.findall(body)
    }


def stale_save(client, page: str, action: str, first: dict, second: dict):
    """Two tabs open `page`; the first saves `first`, the stale second `second`
    (a value None unticks a checkbox)."""

    def post(changes):
        tab = form_for(client.get(page).content.decode(), page, action).data()
        return {k: v for k, v in {**tab, **changes}.items() if v is not None}

    first, second = post(first), post(second)
    saved = client.post(action, first)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    response = client.post(action, second)
    assert response.status_code == 409
    return response


def logged_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def komunitas(demo):
    return KomunitasBelajar.objects.get(
        sekolah__npsn=SELONG, nama__startswith="Komunitas Belajar Numerasi"
    )


@pytest.fixture
def instrumen(demo):
    return InstrumenPMO.objects.get(
        sekolah__npsn=SELONG, tahun_ajaran=periode_pmo(timezone.localdate())[0]
    )


@pytest.mark.django_db
def test_conflict_page_shows_each_field_in_words_and_marks_what_differs(demo, komunitas):
    client = logged_in(demo["ks1"])
    page = reverse("komunitas:edit", args=[komunitas.pk])
    members = list(komunitas.anggota.order_by("nama"))
    assert len(members) >= 2, "the demo community needs two members"
    kept = members[0]
    KomunitasBelajar.objects.filter(pk=komunitas.pk).update(terdaftar_pmm=False, tautan_pmm="")

    response = stale_save(
        client,
        page,
        page,
        # First tab: a PKG, registered in PMM, one member left.
        first={
            "jenis": "pkg",
            "terdaftar_pmm": "on",
            "tautan_pmm": "https://pmm.kemdikbud.go.id/komunitas/123",
            "anggota": [str(kept.pk)],
        },
        # Stale tab: only the name changes; everything else as it was loaded.
        second={"nama": "Komunitas Numerasi (tab kedua)"},
    )
    table = rows(response)
    saved_jenis = dict(KomunitasBelajar._meta.get_field("jenis").choices)

    assert table["Nama komunitas"] == (
        "Komunitas Numerasi (tab kedua)",
        komunitas.nama,
        True,
    )
    # Choices by their label, on both sides.
    assert table["Jenis"] == (saved_jenis[komunitas.jenis], saved_jenis["pkg"], True)
    # Yes/no in words.
    assert table["Terdaftar di PMM"] == ("Tidak", "Ya", True)
    # Members by name, in the order of the form's choices (and of the saved list).
    everyone = ", ".join(o.nama for o in Orang.objects.filter(pk__in=[m.pk for m in members]))
    mine, theirs, marked = table["Anggota"]
    assert sorted(mine.split(", ")) == sorted(everyone.split(", "))
    assert theirs == kept.nama
    assert marked
    # An empty field is an empty cell; an unchanged one is not marked.
    assert table["Tautan PMM"] == ("", "https://pmm.kemdikbud.go.id/komunitas/123", True)
    cakupan = dict(KomunitasBelajar._meta.get_field("cakupan").choices)[komunitas.cakupan]
    assert table["Cakupan"] == (cakupan, cakupan, False)
    assert "version" not in table and "Version" not in table

    body = response.content.decode()
    assert re.search(r'<h1 class="h3">Terjadi konflik penyimpanan</h1>', body)
    assert f'href="{page}">Batal dan muat versi terbaru</a>' in body


@pytest.mark.django_db
def test_saving_again_from_the_conflict_page_overwrites_with_its_csrf_token(demo, komunitas):
    client = logged_in(demo["ks1"], enforce_csrf_checks=True)
    page = reverse("komunitas:edit", args=[komunitas.pk])
    tab_a = form_for(client.get(page).content.decode(), page, page).data()
    tab_b = form_for(client.get(page).content.decode(), page, page).data()
    assert client.post(page, {**tab_a, "tujuan": "Tujuan dari tab pertama"}).status_code == 302
    conflict = client.post(page, {**tab_b, "tujuan": "Tujuan dari tab kedua"})
    assert conflict.status_code == 409

    again = form_for(conflict.content.decode(), page, page).data()
    assert again["csrfmiddlewaretoken"]
    assert client.post(page, again).status_code == 302
    komunitas.refresh_from_db()
    assert komunitas.tujuan == "Tujuan dari tab kedua"


@pytest.mark.django_db
def test_unanswered_and_unlinked_fields_are_empty_cells(demo, instrumen):
    client = logged_in(demo["ks1"])
    solusi = instrumen.solusi.order_by("pk").first()
    page = reverse("pmo:solusi-edit", args=[solusi.pk])
    unanswered = {
        "akar_masalah": "",
        "mendesak": "",
        "dapat_dilakukan": "",
        "sumber_daya": "",
        "mendukung_target": "",
        "disepakati": None,
    }
    # Both tabs leave the criteria unanswered and the root cause unlinked.
    response = stale_save(
        client,
        page,
        page,
        first={**unanswered, "uraian": "Uraian dari tab pertama"},
        second={**unanswered, "uraian": "Uraian dari tab kedua"},
    )
    table = rows(response)
    assert table.pop("Solusi") == ("Uraian dari tab kedua", "Uraian dari tab pertama", True)
    assert table.pop("Disepakati") == ("Tidak", "Tidak", False)
    assert table.pop("Untuk akar masalah") == ("", "", False)
    assert len(table) == 4  # the four criteria, each unanswered
    assert set(table.values()) == {("", "", False)}


@pytest.mark.django_db
def test_hidden_fields_get_no_row(demo, komunitas):
    client = logged_in(demo["ks1"])
    siklus = komunitas.siklus.order_by("nomor").first()
    page = reverse("komunitas:siklus", args=[siklus.pk])
    response = stale_save(
        client,
        page,
        page,
        first={"tahap": "refleksi_awal", "refleksi_awal": "Refleksi dari tab pertama"},
        second={"tahap": "refleksi_awal", "refleksi_awal": "Refleksi dari tab kedua"},
    )
    assert list(rows(response)) == ["Refleksi awal (data murid)"]  # and no "tahap"


@pytest.mark.django_db
def test_conflict_error_names_the_row_and_its_version_for_the_log():
    orang = OrangFactory()
    orang_update(
        actor=UserFactory(),
        orang=Orang.objects.get(pk=orang.pk),
        expected_version=1,
        data={"nama": "Baru, S.Pd"},
    )
    with pytest.raises(ConflictError) as error:
        orang_update(
            actor=UserFactory(),
            orang=Orang.objects.get(pk=orang.pk),
            expected_version=1,
            data={"nama": "Lama, S.Pd"},
        )
    assert str(error.value) == f"Orang {orang.pk} changed (now v2)"
