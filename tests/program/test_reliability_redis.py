"""Redis (the Celery broker) down: journals still save, PDF requests do not fail.

The broker URL points at a closed port on this machine (connection refused) or
at a listener that never answers (a hung Redis); the real Redis is not touched.
"""

import datetime as dt
import socket
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from pendampingan import services as pendampingan_services
from pendampingan.models import SesiPI
from program.jobs import jobs_sweep
from program.models import Job, PenugasanPP


def _reset_producer_pool() -> None:
    """Forget pooled broker connections so the next publish uses conf.broker_url
    (what Celery itself does after a fork)."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_at():
    """Point the app's publishing at `url` for the test (None: back to normal).

    broker_write_url, not broker_url: Celery prefers the CELERY_BROKER_URL
    environment variable (set in CI) over conf.broker_url.
    """
    previous = (celery_app.conf.get("broker_write_url"), celery_app.conf.task_always_eager)

    def point(url: str | None) -> None:
        celery_app.conf.broker_write_url = url
        celery_app.conf.task_always_eager = url is None
        _reset_producer_pool()

    yield point
    celery_app.conf.broker_write_url, celery_app.conf.task_always_eager = previous
    _reset_producer_pool()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def silent_broker():
    """A TCP listener that accepts and never answers: Redis hung, not gone."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    server.close()


def _sesi(demo) -> SesiPI:
    pair = PenugasanPP.objects.get(cgp__user=demo["cgp1"], pp__user=demo["pp1"])
    return pendampingan_services.sesi_get_or_create(actor=demo["pp1"], penugasan=pair, urutan=6)


def _files_of(job: Job) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if str(job.pk) in p.name]


def test_journal_autosave_works_with_the_broker_down(client, demo, broker_at):
    broker_at(f"redis://127.0.0.1:{_closed_port()}/0")
    sesi = _sesi(demo)
    client.force_login(demo["pp1"])
    response = client.post(
        reverse("pendampingan:jurnal-autosave", args=[sesi.pk]),
        {
            "version": getattr(getattr(sesi, "jurnal", None), "version", 0),
            "catatan": "Catatan tetap tersimpan walau antrean mati.",
        },
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 200, response.content
    page = client.get(reverse("pendampingan:sesi", args=[sesi.penugasan_id, 6]))
    assert "Catatan tetap tersimpan walau antrean mati." in page.content.decode()


def test_pdf_request_with_the_broker_down_is_pending_then_sent_once_when_it_is_back(
    client, demo, broker_at, django_capture_on_commit_callbacks
):
    broker_at(f"redis://127.0.0.1:{_closed_port()}/0")
    sesi = _sesi(demo)
    client.force_login(demo["pp1"])
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pendampingan:sesi-pdf", args=[sesi.pk]))
    elapsed = time.monotonic() - started
    assert response.status_code == 302 and elapsed < 3, elapsed
    job = Job.objects.get()
    assert job.status == Job.Status.ANTRE and job.sent_at is None
    page = client.get(response["Location"]).content.decode()
    assert "sedang tertunda" in page and "dikirim otomatis" in page
    assert client.get(reverse("program:job-status", args=[job.pk])).json()["tertunda"]

    # The broker is back (the test's in-process worker stands in for it).
    broker_at(None)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=2))
    assert client.get(reverse("program:job-status", args=[job.pk])).json()["tertunda"]
    status = client.post(reverse("program:job-status", args=[job.pk])).json()  # the page's poll
    assert status["finished"] and status["download_url"] and not status["tertunda"]
    assert jobs_sweep() == {"macet": 0, "dikirim": 0}  # nothing left to send
    client.post(reverse("program:job-status", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.SELESAI and job.attempts == 1
    assert len(_files_of(job)) == 1


def test_pdf_request_does_not_hang_on_a_broker_that_never_answers(
    client, demo, broker_at, silent_broker, django_capture_on_commit_callbacks
):
    broker_at(silent_broker)
    sesi = _sesi(demo)
    client.force_login(demo["pp1"])
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pendampingan:sesi-pdf", args=[sesi.pk]))
    elapsed = time.monotonic() - started
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"]
    assert response.status_code == 302
    assert elapsed < timeout + 2, f"the request waited {elapsed:.1f} s"
    job = Job.objects.get()
    assert job.status == Job.Status.ANTRE and job.sent_at is None
