"""The platform's access primitives where the URL x role matrix cannot tell:
operators seeing both regions, a person without assignments seeing
themselves, logins without a person, a CGP tied to a school only by their
pair, and who is offered to edit a profile. Found by `make mutants`."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse

from program import access
from program.models import KabupatenKota, Orang, PenugasanSekolah, Peran, Sekolah
from tests.factories import (
    OrangFactory,
    PenugasanPPFactory,
    PenugasanSekolahFactory,
    UserFactory,
)

SIKKA = "50310101"  # SMA Negeri 1 Maumere, in the other region
EDIT_PROFILE = f'href="{reverse("program:profil")}">Ubah profil</a>'


def sekolah_url(npsn: str) -> str:
    return Sekolah.objects.get(npsn=npsn).get_absolute_url()


def region_options(client) -> set[int]:
    response = client.get(reverse("pmo:wilayah"))
    assert response.status_code == 200
    form = response.context["form"]
    return {k.pk for k in form.fields["kabupaten"].queryset}


@pytest.mark.django_db
def test_operators_oversee_every_region_and_a_coordinator_only_theirs(client, demo):
    both = set(KabupatenKota.objects.filter(sekolah__isnull=False).values_list("pk", flat=True))
    assert len(both) >= 2, "the demo has two regions"
    client.force_login(demo["operator1"])
    assert region_options(client) >= both
    client.force_login(demo["koordinator1"])
    theirs = region_options(client)
    assert theirs and theirs < both


@pytest.mark.django_db
def test_operators_see_a_person_of_the_other_region(client, demo):
    sikka = PenugasanSekolah.objects.filter(sekolah__kabupaten__nama__icontains="Sikka").first()
    assert sikka is not None, "the demo has people in Sikka"
    client.force_login(demo["operator1"])
    assert client.get(sikka.orang.get_absolute_url()).status_code == 200
    client.force_login(demo["pp1"])
    assert client.get(sikka.orang.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_person_without_assignments_sees_their_own_page(client, db):
    orang = OrangFactory()
    assert not PenugasanSekolah.objects.filter(orang=orang).exists()
    client.force_login(orang.user)
    response = client.get(orang.get_absolute_url())
    assert response.status_code == 200
    assert EDIT_PROFILE in response.content.decode()


@pytest.mark.django_db
def test_only_ones_own_page_offers_to_edit_the_profile(client, demo):
    client.force_login(demo["pp1"])
    own = client.get(Orang.objects.get(user=demo["pp1"]).get_absolute_url())
    assert EDIT_PROFILE in own.content.decode()
    mentee = client.get(Orang.objects.get(user=demo["cgp1"]).get_absolute_url())
    assert mentee.status_code == 200
    assert EDIT_PROFILE not in mentee.content.decode()


@pytest.mark.django_db
def test_an_anonymous_visitor_is_nobody():
    anonymous = AnonymousUser()
    assert access.orang_of(anonymous) is None
    assert access.is_operator(anonymous) is False
    assert access.roles_of(anonymous) == frozenset()
    assert not access.job_visible_to(anonymous).exists()


@pytest.mark.django_db
def test_a_login_without_a_person_gets_pages_but_no_scope(client, demo):
    client.force_login(UserFactory())
    assert client.get(reverse("beranda")).status_code == 200
    assert client.get(sekolah_url(SIKKA)).status_code == 404


@pytest.mark.django_db
def test_an_operator_login_without_a_person_sees_everything(client, demo):
    user = UserFactory()
    Group.objects.get(name=access.OPERATOR_GROUP).user_set.add(user)
    client.force_login(user)
    assert client.get(sekolah_url(SIKKA)).status_code == 200


@pytest.mark.django_db
def test_operators_read_the_calendar(client, demo):
    client.force_login(demo["operator1"])
    assert client.get(reverse("reports:kalender")).status_code == 200


@pytest.mark.django_db
def test_the_menu_names_the_person_logged_in(client, demo):
    client.force_login(demo["ks1"])
    body = client.get(reverse("beranda")).content.decode()
    nama = html.escape(Orang.objects.get(user=demo["ks1"]).nama)
    assert f'href="{reverse("program:profil")}">{nama}</a>' in body


@pytest.mark.django_db
def test_a_cgp_sees_the_school_of_their_pair_without_an_assignment_there(client, demo):
    pasangan = PenugasanPPFactory()
    assert not PenugasanSekolah.objects.filter(orang=pasangan.cgp).exists()
    client.force_login(pasangan.cgp.user)
    assert client.get(pasangan.sekolah.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_schools_one_leads_are_only_those_one_heads(client, demo):
    kepala = PenugasanSekolahFactory(peran=Peran.KEPALA_SEKOLAH)
    guru = PenugasanSekolahFactory(orang=kepala.orang, peran=Peran.GURU)
    client.force_login(kepala.orang.user)
    body = client.get(reverse("beranda")).content.decode()
    assert "Sekolah yang saya pimpin" in body
    assert kepala.sekolah.nama in body
    assert guru.sekolah.nama not in body


@pytest.mark.django_db
def test_another_group_than_operator_gives_no_scope(client, demo):
    pp1 = demo["pp1"]
    Group.objects.create(name="Tamu").user_set.add(pp1)
    client.force_login(pp1)
    assert client.get(sekolah_url(SIKKA)).status_code == 404


@pytest.mark.django_db
def test_a_teacher_gets_no_pmo_menu(client, demo):
    guru = PenugasanSekolahFactory(peran=Peran.GURU)
    client.force_login(guru.orang.user)
    body = client.get(reverse("beranda")).content.decode()
    assert f'href="{reverse("pmo:home")}"' not in body


@pytest.mark.django_db
def test_operators_see_a_person_without_assignments(client, demo):
    orang = OrangFactory()
    client.force_login(demo["operator1"])
    assert client.get(orang.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_pp_sees_their_cgp_without_a_school_assignment(client, demo):
    pasangan = PenugasanPPFactory()
    client.force_login(pasangan.pp.user)
    assert client.get(pasangan.cgp.get_absolute_url()).status_code == 200
