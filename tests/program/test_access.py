"""Every object page, across users: in scope 200, out of scope 404."""

import pytest
from django.urls import reverse

from program import access
from program.models import KabupatenKota, Orang, PenugasanPP, Sekolah
from tests.factories import SekolahFactory

SELONG, TERARA, JEROWARU_SD, JEROWARU_SMP, SEKAROH = (
    "50203101",
    "50203102",
    "50203103",
    "50203104",
    "50203105",
)


def sekolah_url(npsn):
    return reverse("program:sekolah-detail", args=[Sekolah.objects.get(npsn=npsn).pk])


def cgp_url(cgp_name_prefix):
    p = PenugasanPP.objects.get(cgp__nama__startswith=cgp_name_prefix, cgp__nama__contains="S.Pd")
    return reverse("program:cgp-detail", args=[p.pk])


@pytest.mark.parametrize(
    ("username", "npsn", "status"),
    [
        ("fasilitator1", SELONG, 200),
        ("fasilitator1", TERARA, 404),
        ("fasilitator2", TERARA, 200),
        ("fasilitator2", SELONG, 404),
        ("ks1", SELONG, 200),
        ("ks1", TERARA, 404),
        ("ks2", TERARA, 200),
        ("ks2", SELONG, 404),
        ("pengawas1", JEROWARU_SMP, 200),
        ("pengawas1", SEKAROH, 404),
        ("pp1", JEROWARU_SD, 200),  # school of pp1's CGP
        ("pp1", "50203106", 404),  # school of a pp2 CGP only
        ("cgp1", JEROWARU_SD, 200),
        ("cgp1", SELONG, 404),
        ("koordinator1", SEKAROH, 200),
        ("operator1", SEKAROH, 200),
    ],
)
def test_sekolah_page_is_scoped(client, demo, username, npsn, status):
    client.force_login(demo[username])
    assert client.get(sekolah_url(npsn)).status_code == status


def test_coordinator_does_not_see_other_region(client, demo):
    other = SekolahFactory(kabupaten=KabupatenKota.objects.get(kode="5201"))
    client.force_login(demo["koordinator1"])
    assert client.get(other.get_absolute_url()).status_code == 404
    client.force_login(demo["operator1"])
    assert client.get(other.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("username", "cgp", "status"),
    [
        ("pp1", "Rusdiana", 200),
        ("pp1", "Edy Prasetyo", 404),
        ("pp2", "Edy Prasetyo", 200),
        ("pp2", "Rusdiana", 404),
        ("cgp1", "Rusdiana", 200),
        ("cgp1", "Junaidi", 404),
        ("ks2", "Rusdiana", 404),
        ("fasilitator1", "Rusdiana", 404),
        ("koordinator1", "Sri Nurdianti", 200),
    ],
)
def test_cgp_page_is_scoped(client, demo, username, cgp, status):
    client.force_login(demo[username])
    assert client.get(cgp_url(cgp)).status_code == status


@pytest.mark.parametrize(
    ("username", "who", "status"),
    [
        ("pp1", "cgp1", 200),
        ("pp2", "cgp1", 404),
        ("cgp1", "pp1", 200),
        ("cgp1", "pp2", 404),
        ("ks1", "fasilitator1", 200),  # the facilitator of ks1's school
        ("ks1", "ks2", 404),
        ("fasilitator2", "ks1", 404),
    ],
)
def test_orang_page_is_scoped(client, demo, username, who, status):
    client.force_login(demo[username])
    orang = Orang.objects.get(user=demo[who])
    assert client.get(orang.get_absolute_url()).status_code == status


def test_anonymous_is_sent_to_login(client, demo):
    response = client.get(sekolah_url(SELONG))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_school_list_shows_only_scope(client, demo):
    client.force_login(demo["ks1"])
    body = client.get(reverse("program:sekolah-list")).content.decode()
    assert "SMA Negeri 1 Selong" in body
    assert "SD Negeri 4 Terara" not in body


def test_roles_follow_assignments(demo):
    assert access.roles_of(demo["pp1"]) == {"pp"}
    assert "cgp" in access.roles_of(demo["cgp1"])
    assert access.roles_of(demo["koordinator1"]) == {"koordinator"}
    assert access.is_operator(demo["operator1"])
    assert not access.is_operator(demo["pp1"])


def test_home_page_shows_each_role_its_section(client, demo):
    client.force_login(demo["pp1"])
    body = client.get(reverse("beranda")).content.decode()
    assert "CGP dampingan saya" in body and "Rusdiana, S.Pd" in body
    assert "Edy Prasetyo" not in body
    client.force_login(demo["ks2"])
    body = client.get(reverse("beranda")).content.decode()
    assert "Sekolah yang saya pimpin" in body and "SD Negeri 4 Terara" in body
    assert "CGP dampingan saya" not in body
