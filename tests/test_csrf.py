"""Every URL refuses a POST without a CSRF token; audit history names who
reopened a journal or deleted something.

The URL list is the access matrix's (tests/test_url_access.py): a view added
there is covered here too. The middleware refuses a token-less POST before
any view runs, whatever the view's methods; the control POST with a token
shows each refusal is the token's doing (it gets anything but 403).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.test_url_access import (  # noqa: F401  (demo_db is a fixture)
    ANON,
    EXPECTED,
    OPS,
    ROLES,
    _close,
    _eager_celery_and_private_media,
    client_for,
    demo_db,
)

# A 32-character CSRF secret: Django accepts it unmasked in cookie and header alike.
TOKEN = "csrfTokenForTheControlRequest123"
REFUSED = "CSRF verification failed"


@pytest.fixture(scope="module")
def strict(demo_db):  # noqa: F811
    """One client that enforces CSRF like a browser's request would meet it."""
    return Client(enforce_csrf_checks=True)


def _as(client: Client, ctx, role: str, *, token: bool = False) -> Client:
    client.cookies.clear()
    if role != ANON:
        client.cookies[settings.SESSION_COOKIE_NAME] = ctx.sessions[role]
    if token:
        client.cookies[settings.CSRF_COOKIE_NAME] = TOKEN
    return client


def _writer(name: str) -> str:
    """A role the view lets in: an operator, or the first role of its table."""
    spec = EXPECTED[name]
    if spec.post_only or spec.anon == 200 or not spec.ok:
        return "admin"
    return next((r for r in OPS if r in spec.ok), next(iter(spec.ok)))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_post_without_csrf_token_is_refused(demo_db, strict, name):  # noqa: F811
    url = reverse(name, kwargs=EXPECTED[name].kwargs(demo_db))
    role = _writer(name)
    response = _as(strict, demo_db, role).post(url, {"isi": "tanpa token"})
    _close(response)
    assert response.status_code == 403, f"POST {url} as {role}: {response.status_code}"
    assert REFUSED in response.content.decode() or response.reason_phrase == "Forbidden"

    control = _as(strict, demo_db, role, token=True).post(
        url, {"isi": "dengan token"}, headers={"X-CSRFToken": TOKEN}
    )
    _close(control)
    assert control.status_code != 403, f"POST {url} with a token as {role} is refused too"


@pytest.mark.django_db
def test_login_and_admin_login_need_the_token_too(demo_db, strict):  # noqa: F811
    for url in (reverse("login"), "/admin/login/"):
        response = _as(strict, demo_db, ANON).post(
            url, {"username": "admin", "password": settings.DEMO_PASSWORD}
        )
        assert response.status_code == 403, url
        assert settings.SESSION_COOKIE_NAME not in response.cookies, url


# --- the admin is for staff ---------------------------------------------------------------

ADMIN_PAGES = [
    "/admin/",
    "/admin/auth/user/",
    "/admin/program/sekolah/",
    "/admin/program/orang/",
    "/admin/auth/user/add/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("role", [r for r in ROLES if r not in OPS])
def test_admin_pages_send_non_staff_to_the_admin_login(demo_db, role, path):  # noqa: F811
    user = demo_db.users[role]
    assert not user.is_staff, role
    response = client_for(demo_db, role).get(path)
    assert response.status_code == 302, (role, path)
    location = urlsplit(response["Location"])
    assert location.path == "/admin/login/", (role, path)
    assert parse_qs(location.query)["next"] == [path]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_superuser_reaches_every_admin_page(demo_db, path):  # noqa: F811
    assert client_for(demo_db, "admin").get(path).status_code == 200, path


@pytest.mark.django_db
def test_operator_reaches_the_admin_of_master_data(demo_db):  # noqa: F811
    for path in ("/admin/", "/admin/program/sekolah/"):
        assert client_for(demo_db, "operator1").get(path).status_code == 200, path


# --- reopening and deleting leave a trace with the actor --------------------------------------


@pytest.mark.django_db
def test_reopening_a_submitted_journal_is_in_its_history_with_actor_and_reason(demo_db):  # noqa: F811
    jurnal = demo_db.sesi.jurnal
    jurnal.refresh_from_db()
    assert jurnal.status == "diajukan"
    url = reverse("pendampingan:jurnal-reopen", kwargs={"pk": demo_db.sesi.pk})
    alasan = "CGP meminta koreksi catatan langkah 2"
    response = client_for(demo_db, "pp1").post(url, {"alasan": alasan})
    assert response.status_code == 302
    latest = jurnal.history.latest("history_date")
    assert latest.status == "draf"
    assert latest.history_user == demo_db.users["pp1"]
    assert latest.history_change_reason == alasan
    assert latest.prev_record is not None and latest.prev_record.status == "diajukan"


def _deletion_in_history(model, pk):
    """The history record of a delete: a hard delete ("-") or a soft delete (a
    change that moved the row to the trash, program.softdelete)."""
    latest = model.history.filter(id=pk).latest("history_date")
    if latest.history_type != "-":
        assert latest.dihapus_pada is not None, "the last change did not delete the row"
    return latest


@pytest.mark.django_db
def test_deleting_documentation_is_in_its_history_with_actor(demo_db):  # noqa: F811
    from pendampingan.models import Dokumentasi

    pk = demo_db.dokumentasi.pk
    url = reverse("pendampingan:dokumentasi-delete", kwargs={"pk": pk})
    response = client_for(demo_db, "pp1").post(url)
    assert response.status_code == 302
    assert not Dokumentasi.objects.filter(pk=pk).exists()  # gone for the app
    deleted = _deletion_in_history(Dokumentasi, pk)
    assert deleted.history_user == demo_db.users["pp1"]


@pytest.mark.django_db
def test_deleting_a_pmo_root_cause_is_in_its_history_with_actor(demo_db):  # noqa: F811
    from pmo.models import AkarMasalah

    pk = demo_db.akar.pk
    url = reverse("pmo:akar-masalah-delete", kwargs={"pk": pk})
    response = client_for(demo_db, "ks1").post(url)
    assert response.status_code == 302
    assert not AkarMasalah.objects.filter(pk=pk).exists()
    deleted = _deletion_in_history(AkarMasalah, pk)
    assert deleted.history_user == demo_db.users["ks1"]
