"""The main menu of each demo role: the entries it shows, those it must not
show, and that every entry it shows opens for that user."""

import re

import pytest
from django.urls import reverse

ALL = ["Beranda", "Lokakarya", "Sekolah"]  # every signed-in user
# What each demo account's menu shows, in order (roles from program/demo.py).
EXPECTED = {
    "operator1": [
        "Beranda",
        "Lokakarya",
        "Komunitas",
        "Dasbor",
        "Ekspor",
        "Kalender",
        "Wilayah",
        "Sekolah",
        "Impor data",
        "Versi program",
        "Templat PI",
        "Admin data induk",
    ],
    "pp1": ["Beranda", "Pendampingan", "Lokakarya", "Sekolah"],
    "cgp1": ["Beranda", "Sesi saya", "Lokakarya", "Komunitas", "Sekolah"],  # also a teacher
    "fasilitator1": [
        "Beranda",
        "Lokakarya",
        "PMO",
        "Komunitas",
        "Kalender",
        "Coaching",
        "Sekolah",
    ],
    "ks1": ["Beranda", "Lokakarya", "PMO", "Komunitas", "Coaching", "Sekolah"],
    "pengawas1": ["Beranda", "Lokakarya", "PMO", "Komunitas", "Sekolah"],
    "koordinator1": [
        "Beranda",
        "Lokakarya",
        "PMO",
        "Komunitas",
        "Dasbor",
        "Ekspor",
        "Kalender",
        "Wilayah",
        "Coaching",
        "Sekolah",
    ],
}
NAV = re.compile(r'<ul class="navbar-nav me-auto">(.*?)</ul>', re.S)
LINK = re.compile(r'<a class="nav-link" href="([^"]+)"[^>]*>([^<]+)</a>')


def menu_of(client, user) -> list[tuple[str, str]]:
    client.force_login(user)
    html = client.get(reverse("beranda")).content.decode()
    return [(label, href) for href, label in LINK.findall(NAV.search(html).group(1))]


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_sees_its_entries_and_no_other(client, demo, username):
    labels = [label for label, _ in menu_of(client, demo[username])]
    assert labels == EXPECTED[username]


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_every_entry_shown_opens_for_that_user(client, demo, username):
    for label, href in menu_of(client, demo[username]):
        response = client.get(href)
        assert response.status_code == 200, (label, href, response.status_code)


def test_signed_out_there_is_no_menu(client, demo):
    html = client.get(reverse("login")).content.decode()
    assert NAV.search(html) is None
    assert not any(
        label in html for label in ("Dasbor", "Impor data", "Templat PI", "Admin data induk")
    )
