"""Two people, one profile: the stale save is a conflict, nothing is overwritten."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from program.forms import ProfilForm
from program.models import Orang
from program.services import orang_update
from program.versioning import ConflictError, add_service_errors, service_error_response
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


# --- a service's refusal shown on the form -------------------------------------------


def _bound_profile_form(orang, **changes) -> ProfilForm:
    form = ProfilForm(profile_post(orang, **changes), instance=orang)
    assert form.is_valid(), form.errors
    return form


@pytest.mark.django_db
def test_field_errors_go_on_their_fields_and_the_others_on_the_form():
    form = _bound_profile_form(OrangFactory())
    add_service_errors(
        form,
        ValidationError(
            {
                "nip": "NIP sudah dipakai orang lain.",
                "sekolah": "Sekolah tidak ada di formulir.",
                NON_FIELD_ERRORS: "Data bentrok.",
            }
        ),
    )
    assert form.errors["nip"] == ["NIP sudah dipakai orang lain."]
    assert form.non_field_errors() == ["Sekolah tidak ada di formulir.", "Data bentrok."]
    assert "nip" not in form.cleaned_data


@pytest.mark.django_db
def test_plain_messages_are_errors_of_the_whole_form():
    form = _bound_profile_form(OrangFactory())
    add_service_errors(form, ValidationError(["Jurnal sudah dikunci.", "Hubungi koordinator."]))
    assert form.non_field_errors() == ["Jurnal sudah dikunci.", "Hubungi koordinator."]
    assert set(form.errors) == {NON_FIELD_ERRORS}


@pytest.mark.django_db
def test_service_error_response_leaves_a_validation_error_to_the_form():
    orang = OrangFactory()
    form = _bound_profile_form(orang)
    request = RequestFactory().post("/")
    response = service_error_response(
        request, form=form, error=ValidationError({"nama": "Nama wajib."}), back_url="/kembali/"
    )
    assert response is None
    assert form.errors["nama"] == ["Nama wajib."]


@pytest.mark.django_db
def test_service_error_response_answers_a_conflict_with_both_versions():
    orang = OrangFactory(nama="Disimpan, S.Pd")
    form = _bound_profile_form(orang, nama="Milik saya, S.Pd")
    request = RequestFactory().post("/")
    request.user = orang.user
    response = service_error_response(
        request, form=form, error=ConflictError(orang), back_url="/kembali/"
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Milik saya, S.Pd" in body
    assert "Disimpan, S.Pd" in body
    orang.refresh_from_db()
    assert orang.nama == "Disimpan, S.Pd"
