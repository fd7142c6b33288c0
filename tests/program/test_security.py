"""Login throttling, password reset by email, Content-Security-Policy."""

import re

from django.core import mail
from django.urls import reverse

from tests.factories import OrangFactory


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failures_lock_the_account_on_this_device_for_a_while(client, db):
    orang = OrangFactory(user__username="pp.lombok")
    for _ in range(4):
        assert login(client, "pp.lombok", "salah").status_code == 200
    assert login(client, "pp.lombok", "salah").status_code == 429  # the fifth failure locks
    locked = login(client, "pp.lombok", "rahasia123")  # even the right password
    assert locked.status_code == 429
    assert "Akun terkunci sementara" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked.
    OrangFactory(user__username="ks.lombok")
    assert login(client, "ks.lombok", "rahasia123").status_code == 302
    # An operator unlocks it (django-axes' reset, as from the admin).
    from axes.utils import reset

    reset(username="pp.lombok")
    client.logout()
    assert login(client, "pp.lombok", "rahasia123").status_code == 302
    assert orang.user.pk == int(client.session["_auth_user_id"])


def test_password_reset_by_email(client, db):
    orang = OrangFactory(user__username="guru.selong")
    orang.user.email = "guru.selong@example.id"
    orang.user.save()
    response = client.post(reverse("password_reset"), {"email": "guru.selong@example.id"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "kata sandi" in message.body.lower()
    link = re.search(r"https?://[^/]+(/atur-sandi/[^\s]+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Kata sandi baru" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Lombok-Timur-2026!", "new_password2": "Lombok-Timur-2026!"},
    )
    assert done.status_code == 302
    assert login(client, "guru.selong", "Lombok-Timur-2026!").status_code == 302


def test_unknown_email_reveals_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "tidak.ada@example.id"})
    assert response.status_code == 302 and not mail.outbox


def _reset_account(email: str):
    orang = OrangFactory(user__username=email.split("@")[0])
    orang.user.email = email
    orang.user.save()
    return orang.user


def test_reset_mail_to_one_address_is_throttled_without_saying_so(client, db, settings):
    settings.LUPA_SANDI_PER_ALAMAT = "3/h"
    _reset_account("guru.selong@example.id")
    answers = [
        client.post(reverse("password_reset"), {"email": "Guru.Selong@example.id"})
        for _ in range(5)
    ]
    # Every request gets the same answer; only three mails leave.
    assert [a.status_code for a in answers] == [302] * 5
    assert {a["Location"] for a in answers} == {reverse("password_reset_done")}
    assert len(mail.outbox) == 3


def test_reset_requests_from_one_ip_are_throttled_with_a_message(client, db, settings):
    settings.LUPA_SANDI_PER_IP = "4/h"
    settings.LUPA_SANDI_PER_ALAMAT = "100/h"
    for i in range(4):
        _reset_account(f"guru{i}@example.id")
        assert (
            client.post(reverse("password_reset"), {"email": f"guru{i}@example.id"}).status_code
            == 302
        )
    _reset_account("guru9@example.id")

    response = client.post(reverse("password_reset"), {"email": "guru9@example.id"})

    assert response.status_code == 429
    assert "Terlalu banyak permintaan dari jaringan ini" in response.content.decode()
    assert len(mail.outbox) == 4
    # Another network is not held back.
    other = client.post(
        reverse("password_reset"), {"email": "guru9@example.id"}, REMOTE_ADDR="10.1.2.3"
    )
    assert other.status_code == 302 and len(mail.outbox) == 5


def test_pages_carry_a_csp_without_inline_scripts(client, demo):
    client.force_login(demo["pp1"])
    response = client.get(reverse("pendampingan:beranda-pp"))
    policy = response["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]+)", policy).group(1)
    assert "'self'" in script and "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()  # no inline script blocks


# --- private pages, oversized bodies ---------------------------------------------------


def test_a_logged_in_users_pages_are_private_and_not_stored(client, demo):
    client.force_login(demo["pp1"])
    response = client.get(reverse("pendampingan:beranda-pp"))
    assert response["Cache-Control"] == "private, no-store"
    # A view's own rule stays (the service worker's script is revalidated, not forbidden).
    assert client.get("/sw.js")["Cache-Control"] == "no-cache"


def test_a_body_far_over_the_upload_limit_is_refused_before_it_is_read(client, demo, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from program.models import Sekolah

    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(demo["operator1"])
    before = Sekolah.objects.count()
    big = SimpleUploadedFile("sekolah.csv", b"npsn,nama\n" + b"#" * (3 * 1024 * 1024))

    response = client.post(reverse("program:impor-preview", args=["sekolah"]), {"berkas": big})

    assert response.status_code == 413
    page = response.content.decode()
    assert "Berkas terlalu besar" in page and "melebihi 1 MB" in page
    assert "tidak ada yang tersimpan" in page
    assert Sekolah.objects.count() == before


def test_the_offline_marker_follows_the_login(client, demo):
    """program.sesi: the cookie the kept pages check is set at login, differs
    for every login, matches the page's <meta>, and goes at logout."""
    client.force_login(demo["pp1"])
    page = client.get(reverse("pendampingan:beranda-pp"))
    first = page.cookies["pwa_sesi"].value
    assert first and f'<meta name="pwa-sesi" content="{first}"' in page.content.decode()
    gone = client.post(reverse("logout"))
    assert gone.cookies["pwa_sesi"].value == ""  # deleted with the login
    assert "pwa-sesi" not in client.get(reverse("login")).content.decode()
    client.force_login(demo["pp1"])
    again = client.get(reverse("pendampingan:beranda-pp")).cookies["pwa_sesi"].value
    assert again and again != first
