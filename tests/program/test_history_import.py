"""Audit history covers imports and admin edits too, and admin honours versions."""

import pytest
import tablib
from django.urls import reverse

from program.models import KabupatenKota, Orang, Sekolah
from program.resources import SekolahResource
from tests.factories import KabupatenFactory, OrangFactory, UserFactory


@pytest.mark.django_db
def test_import_dry_run_changes_nothing_and_real_import_is_in_history():
    KabupatenFactory(kode="5203", nama="Kabupaten Lombok Timur")
    data = tablib.Dataset(headers=["npsn", "nama", "jenjang", "status", "kode_kabupaten", "alamat"])
    data.append(["50209991", "SD Negeri 1 Pringgabaya", "SD", "negeri", "5203", "Pringgabaya"])
    data.append(["50209992", "SMP Negeri 1 Suela", "SMP", "negeri", "5203", "Suela"])

    dry = SekolahResource().import_data(data, dry_run=True)
    assert not dry.has_errors()
    assert not Sekolah.objects.filter(npsn__in=["50209991", "50209992"]).exists()

    result = SekolahResource().import_data(data, dry_run=False)
    assert not result.has_errors()
    sekolah = Sekolah.objects.get(npsn="50209991")
    assert sekolah.kabupaten == KabupatenKota.objects.get(kode="5203")
    assert sekolah.history.count() == 1


@pytest.mark.django_db
def test_import_with_a_bad_row_reports_it_and_saves_nothing():
    KabupatenFactory(kode="5203")
    data = tablib.Dataset(headers=["npsn", "nama", "jenjang", "status", "kode_kabupaten", "alamat"])
    data.append(["50209991", "SD Negeri 1 Pringgabaya", "SD", "negeri", "5203", ""])
    data.append(["50209992", "SMP Tanpa Kabupaten", "SMP", "negeri", "9999", ""])
    result = SekolahResource().import_data(data, dry_run=False, raise_errors=False)
    assert result.has_errors() or result.has_validation_errors()
    assert not Sekolah.objects.filter(npsn__in=["50209991", "50209992"]).exists()


@pytest.mark.django_db
def test_admin_edit_is_recorded_and_stale_admin_edit_is_refused(client):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    orang = OrangFactory(nama="Lama, S.Pd")
    client.force_login(admin)
    url = reverse("admin:program_orang_change", args=[orang.pk])
    form_page = client.get(url)
    assert form_page.status_code == 200

    # Someone else saves in between.
    Orang.objects.filter(pk=orang.pk).update(version=2, nama="Orang Lain, S.Pd")
    post = {
        "nama": "Admin, S.Pd",
        "nip": "",
        "nuptk": "",
        "instansi": "",
        "email": "",
        "telepon": "",
        "user": orang.user_id,
        "loaded_version": form_page.context["adminform"].form.initial["loaded_version"],
    }
    response = client.post(url, post)
    assert response.status_code == 200
    assert "sudah diubah orang lain" in response.content.decode()
    assert Orang.objects.get(pk=orang.pk).nama == "Orang Lain, S.Pd"


@pytest.mark.django_db
def test_admin_edit_lands_in_history_with_the_operator(client):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    orang = OrangFactory(nama="Lama, S.Pd")
    client.force_login(admin)
    url = reverse("admin:program_orang_change", args=[orang.pk])
    post = {
        "nama": "Baru, S.Pd., M.Pd",
        "nip": "",
        "nuptk": "",
        "instansi": "",
        "email": "",
        "telepon": "",
        "user": orang.user_id,
        "loaded_version": 1,
    }
    assert client.post(url, post).status_code == 302
    orang.refresh_from_db()
    assert orang.nama == "Baru, S.Pd., M.Pd" and orang.version == 2
    latest = orang.history.latest("history_date")
    assert latest.history_user == admin and latest.nama == "Baru, S.Pd., M.Pd"
