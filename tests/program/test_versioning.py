"""Two people, one profile: the stale save is a conflict, nothing is overwritten."""

import pytest
from django.urls import reverse

from program.models import Orang
from program.services import orang_update
from program.versioning import ConflictError
from tests.factories import OrangFactory, UserFactory


def profile_post(orang, **changes):
    data = {f: getattr(orang, f) for f in ("nama", "nip", "nuptk", "instansi", "email", "telepon")}
    data.update(changes)
    data["version"] = orang.version
    return data


@pytest.mark.django_db
def test_stale_profile_save_shows_conflict_and_keeps_the_newer_text(client):
    orang = OrangFactory(nama="Khosiah, S.Pd")
    client.force_login(orang.user)
    first_tab = profile_post(orang, nama="Khosiah, S.Pd., M.Si")
    second_tab = profile_post(orang, nama="Khosiah S.Pd (salah ketik)")

    assert client.post(reverse("program:profil"), first_tab).status_code == 302
    response = client.post(reverse("program:profil"), second_tab)

    assert response.status_code == 409
    body = response.content.decode()
    assert "Khosiah S.Pd (salah ketik)" in body  # the user's own text is shown back
    assert "Khosiah, S.Pd., M.Si" in body  # beside the version now saved
    assert "BELUM disimpan" in body
    orang.refresh_from_db()
    assert orang.nama == "Khosiah, S.Pd., M.Si"
    assert orang.version == 2


@pytest.mark.django_db
def test_resubmitting_from_the_conflict_page_overwrites_deliberately(client):
    orang = OrangFactory(nama="A, S.Pd")
    client.force_login(orang.user)
    client.post(reverse("program:profil"), profile_post(orang, nama="B, S.Pd"))
    stale = profile_post(orang, nama="C, S.Pd")
    response = client.post(reverse("program:profil"), stale)
    assert response.status_code == 409
    retry = dict(stale, version=response.context["form"].data["version"])
    assert client.post(reverse("program:profil"), retry).status_code == 302
    orang.refresh_from_db()
    assert orang.nama == "C, S.Pd"


@pytest.mark.django_db
def test_service_refuses_stale_version_and_writes_nothing():
    orang = OrangFactory(nama="Asli, S.Pd")
    actor = UserFactory()
    orang_update(
        actor=actor,
        orang=Orang.objects.get(pk=orang.pk),
        expected_version=1,
        data={"nama": "Baru, S.Pd"},
    )
    with pytest.raises(ConflictError) as excinfo:
        orang_update(
            actor=actor,
            orang=Orang.objects.get(pk=orang.pk),
            expected_version=1,
            data={"nama": "Lama, S.Pd"},
        )
    assert excinfo.value.current.nama == "Baru, S.Pd"
    assert Orang.objects.get(pk=orang.pk).nama == "Baru, S.Pd"


@pytest.mark.django_db
def test_profile_changes_are_in_the_history_with_who_changed_them(client):
    orang = OrangFactory(nama="Sebelum, S.Pd")
    client.force_login(orang.user)
    client.post(reverse("program:profil"), profile_post(orang, nama="Sesudah, S.Pd., M.Pd"))
    history = list(orang.history.order_by("history_date"))
    assert [h.nama for h in history] == ["Sebelum, S.Pd", "Sesudah, S.Pd., M.Pd"]
    assert history[-1].history_user == orang.user


@pytest.mark.django_db
def test_invalid_nip_is_refused_in_indonesian(client):
    orang = OrangFactory()
    client.force_login(orang.user)
    response = client.post(reverse("program:profil"), profile_post(orang, nip="12ab"))
    assert response.status_code == 200
    assert "NIP terdiri dari 18 angka." in response.content.decode()
    orang.refresh_from_db()
    assert orang.nip == ""
