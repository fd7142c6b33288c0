"""Jobs under faults: stuck jobs, the "Coba lagi" button, duplicate and repeated deliveries.

The run-time exclusion (an advisory lock that dies with its process) exists on
PostgreSQL only; those tests require it.
"""

import datetime as dt
import io
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from program import jobs
from program.access import OPERATOR_GROUP
from program.jobs import JobResult, job_kind, job_request, job_run, jobs_sweep
from program.models import Job
from tests.conftest import require, uses_postgres
from tests.factories import UserFactory

runs: list[str] = []


@job_kind("tests.faults", "Uji gangguan")
def _counted(job, progress):
    runs.append(str(job.pk))
    progress(50)
    if job.params.get("fail"):
        raise RuntimeError("boom")
    return JobResult("hasil.txt", b"isi")


@pytest.fixture
def demo(db):
    """The accounts these tests need (jobs are scoped to their requester and
    operators only, so no programme data): lighter than seed_demo."""
    from django.contrib.auth.models import Group

    users = {name: UserFactory(username=name) for name in ("pp1", "pp2", "cgp1", "koordinator1")}
    users["operator1"] = UserFactory(username="operator1")
    users["operator1"].groups.add(Group.objects.get_or_create(name=OPERATOR_GROUP)[0])
    return users


def _past_the_limit() -> dt.datetime:
    seconds = settings.CELERY_TASK_TIME_LIMIT + settings.JOB_STUCK_MARGIN_SECONDS + 5
    return timezone.now() - dt.timedelta(seconds=seconds)


def _queued(user, django_capture_on_commit_callbacks, **params) -> Job:
    """A job created but not sent (its on-commit send never ran)."""
    with django_capture_on_commit_callbacks(execute=False):
        return job_request(kind="tests.faults", actor=user, params=params)


def _files_of(job: Job) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if str(job.pk) in p.name]


# --- stuck jobs ---------------------------------------------------------------------


def test_job_running_past_its_limit_is_failed_on_its_page_with_a_retry_button(
    client, demo, django_capture_on_commit_callbacks
):
    job = _queued(demo["pp1"], django_capture_on_commit_callbacks)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.BERJALAN, started_at=_past_the_limit(), attempts=1
    )
    client.force_login(demo["pp1"])
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Pemrosesan terhenti" in page and "Gagal" in page
    assert "Coba lagi" in page and reverse("program:job-retry", args=[job.pk]) in page
    status = client.get(reverse("program:job-status", args=[job.pk])).json()
    assert status["finished"] and status["can_retry"]
    job.refresh_from_db()
    assert job.status == Job.Status.BERJALAN  # looking at it wrote nothing

    # The page's poll (a POST) records it failed.
    status = client.post(reverse("program:job-status", args=[job.pk])).json()
    assert status["finished"] and status["can_retry"]
    job.refresh_from_db()
    assert job.status == Job.Status.GAGAL and "Pemrosesan terhenti" in job.error


def test_retry_of_a_stuck_job_nothing_has_recorded_failed_runs_it_again(
    client, demo, django_capture_on_commit_callbacks
):
    """The sweep has not run yet (no beat on `make run`): the page already
    offers "Coba lagi", and it works."""
    job = _queued(demo["pp1"], django_capture_on_commit_callbacks)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.BERJALAN, started_at=_past_the_limit(), attempts=1
    )
    client.force_login(demo["pp1"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("program:job-retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.SELESAI and job.result


def test_job_running_within_its_limit_is_left_running(
    client, demo, django_capture_on_commit_callbacks
):
    job = _queued(demo["pp1"], django_capture_on_commit_callbacks)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.BERJALAN, started_at=timezone.now() - dt.timedelta(seconds=30)
    )
    client.force_login(demo["pp1"])
    page = client.get(job.get_absolute_url()).content.decode()
    job.refresh_from_db()
    assert job.status == Job.Status.BERJALAN
    assert "Sedang diproses" in page
    retry_form = page.split('id="job-retry"')[1].split(">")[0]
    assert "hidden" in retry_form  # no "Coba lagi" for a job that is fine


def test_sweep_fails_stuck_jobs_and_sends_the_ones_the_broker_missed(
    demo, django_capture_on_commit_callbacks
):
    long_ago = _past_the_limit()
    running = _queued(demo["pp1"], django_capture_on_commit_callbacks, n=1)
    Job.objects.filter(pk=running.pk).update(status=Job.Status.BERJALAN, started_at=long_ago)
    sent_never_started = _queued(demo["pp1"], django_capture_on_commit_callbacks, n=2)
    Job.objects.filter(pk=sent_never_started.pk).update(sent_at=long_ago)
    missed = _queued(demo["pp1"], django_capture_on_commit_callbacks, n=3)
    Job.objects.filter(pk=missed.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    just_created = _queued(demo["pp1"], django_capture_on_commit_callbacks, n=4)

    assert jobs_sweep() == {"macet": 2, "dikirim": 1}
    state = dict(Job.objects.values_list("pk", "status"))
    assert state[running.pk] == Job.Status.GAGAL
    assert state[sent_never_started.pk] == Job.Status.GAGAL
    assert state[missed.pk] == Job.Status.SELESAI  # sent; the test's worker runs it in-process
    assert state[just_created.pk] == Job.Status.ANTRE  # its own send may still be on its way
    assert "tidak kunjung diproses" in Job.objects.get(pk=sent_never_started.pk).error

    before = len(runs)
    assert jobs_sweep() == {"macet": 0, "dikirim": 0}  # nothing is sent or run twice
    assert len(runs) == before


def test_a_new_request_does_not_reuse_a_stuck_job(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        stuck = job_request(kind="tests.faults", actor=demo["pp1"], cache_key="v1")
    Job.objects.filter(pk=stuck.pk).update(status=Job.Status.BERJALAN, started_at=_past_the_limit())
    with django_capture_on_commit_callbacks(execute=True):
        fresh = job_request(kind="tests.faults", actor=demo["pp1"], cache_key="v1")
    assert fresh.pk != stuck.pk
    assert Job.objects.get(pk=stuck.pk).status == Job.Status.GAGAL
    assert Job.objects.get(pk=fresh.pk).status == Job.Status.SELESAI


# --- "Coba lagi" -------------------------------------------------------------------------


def test_retry_button_runs_a_failed_job_again(client, demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_request(kind="tests.faults", actor=demo["pp1"], params={"fail": True})
    job.refresh_from_db()
    assert job.status == Job.Status.GAGAL
    Job.objects.filter(pk=job.pk).update(params={})  # whatever failed is fixed now
    client.force_login(demo["pp1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("program:job-retry", args=[job.pk]))
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == Job.Status.SELESAI and job.error == "" and job.attempts == 1
    assert job.result.read() == b"isi"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Unduh" in page


def test_only_the_requester_and_operators_may_retry(
    client, demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_request(kind="tests.faults", actor=demo["pp1"], params={"fail": True})
    url = reverse("program:job-retry", args=[job.pk])
    for outsider in ("pp2", "cgp1", "koordinator1"):
        client.force_login(demo[outsider])
        assert client.post(url).status_code == 404, outsider
    assert Job.objects.get(pk=job.pk).status == Job.Status.GAGAL
    client.force_login(demo["pp1"])
    assert client.get(url).status_code == 405  # a link cannot retry
    client.logout()
    assert client.post(url).status_code == 302  # to the login page
    assert Job.objects.get(pk=job.pk).status == Job.Status.GAGAL
    client.force_login(demo["operator1"])
    with django_capture_on_commit_callbacks(execute=False) as sent:
        assert client.post(url).status_code == 302
    assert Job.objects.get(pk=job.pk).status == Job.Status.ANTRE and len(sent) == 1


def test_retrying_a_finished_job_changes_nothing(client, demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_request(kind="tests.faults", actor=demo["pp1"])
    before = len(runs)
    client.force_login(demo["pp1"])
    with django_capture_on_commit_callbacks(execute=True) as sent:
        client.post(reverse("program:job-retry", args=[job.pk]))
    assert not sent and len(runs) == before
    assert Job.objects.get(pk=job.pk).status == Job.Status.SELESAI


# --- repeated deliveries ------------------------------------------------------------------


def test_redelivery_after_a_dead_attempt_takes_over_and_keeps_one_file(
    demo, django_capture_on_commit_callbacks
):
    job = _queued(demo["pp1"], django_capture_on_commit_callbacks)
    # The killed attempt: BERJALAN, counted, and its file saved just before it died.
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.BERJALAN, started_at=timezone.now(), attempts=1
    )
    name = Job._meta.get_field("result").generate_filename(job, f"{job.pk}.txt")
    Job._meta.get_field("result").storage.save(name, io.BytesIO(b"setengah"))

    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SELESAI and job.attempts == 2
    files = _files_of(job)
    assert len(files) == 1 and files[0].read_bytes() == b"isi"


def test_a_job_that_keeps_killing_its_worker_stops_being_redelivered(
    demo, django_capture_on_commit_callbacks
):
    job = _queued(demo["pp1"], django_capture_on_commit_callbacks)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.BERJALAN, attempts=settings.JOB_MAX_ATTEMPTS
    )
    before = len(runs)
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.GAGAL and "berulang kali" in job.error
    assert len(runs) == before


def _hold_lock_elsewhere(job: Job):
    """A second PostgreSQL session holding the job's lock: a live worker running it."""
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [jobs._lock_key(job.pk)])
    return other


@pytest.mark.django_db(transaction=True)
def test_duplicate_delivery_of_a_running_job_is_ignored(demo, monkeypatch):
    require(uses_postgres(), "PostgreSQL (DATABASE_URL)")
    monkeypatch.setattr(jobs, "LOCK_WAIT_SECONDS", 0.3)
    job = Job.objects.create(kind="tests.faults", requested_by=demo["pp1"])
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.BERJALAN, started_at=_past_the_limit(), attempts=1
    )
    job.refresh_from_db()
    other = _hold_lock_elsewhere(job)
    try:
        before = len(runs)
        job_run(job.pk)  # a second delivery while the first is alive
        assert len(runs) == before
        assert not jobs.job_is_stuck(job)  # old, but a live process holds it
        assert jobs_sweep()["macet"] == 0
        assert Job.objects.get(pk=job.pk).status == Job.Status.BERJALAN
    finally:
        other.close()  # the first worker dies: its lock goes with it
    assert jobs.job_is_stuck(job)
    job_run(job.pk)  # the redelivery after its death
    job.refresh_from_db()
    assert job.status == Job.Status.SELESAI and job.attempts == 2 and len(_files_of(job)) == 1


@job_kind("tests.long_name", "Uji nama panjang")
def _long_name(job, progress):
    return JobResult(
        "Laporan Lokakarya " + "Komunitas Belajar Sekolah Penggerak " * 5 + ".pdf", b"isi"
    )


def test_a_long_file_name_is_kept_for_the_download_not_in_the_stored_name(client, demo):
    """The stored path fits the FileField column (100 characters, enforced by
    PostgreSQL); the user still downloads the file under its full name."""
    job = job_request(kind="tests.long_name", actor=demo["pp1"])
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SELESAI, job.error
    assert len(job.result.name) <= 100
    client.force_login(demo["pp1"])
    response = client.get(reverse("program:job-download", args=[job.pk]))
    assert response.status_code == 200
    assert "Komunitas Belajar Sekolah Penggerak" in response["Content-Disposition"]
