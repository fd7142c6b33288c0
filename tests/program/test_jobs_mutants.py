"""Jobs as users and operators see them, pinned where mutation testing found gaps.

What the job page and its JSON show while a job runs and after it ends (the
label, the progress, the exact messages), what is stored (the download name,
a streamed file, when a job finished), which earlier job a request reuses,
how the page's poll and the periodic sweep send jobs the broker missed, and
what they leave alone. docs/TESTING.md (Mutation testing, jobs) lists what
these tests kill and why the remaining mutants are equivalent.
"""

import datetime as dt
import logging
import re
import tempfile

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from program import jobs
from program.jobs import JobResult, fingerprint, job_kind, job_request, job_run, jobs_sweep
from program.models import Job
from reports.tasks import job_files_delete_old

KIND = "tests.mutants"

# Callables the handler calls with (job, progress) before it does its work: a
# test looks at the job's page from inside a run this way.
during_run: list = []


@job_kind(KIND, "Uji mutan")
def _handler(job, progress):
    for hook in during_run:
        hook(job, progress)
    fault = job.params.get("fault")
    if fault == "soft":
        raise SoftTimeLimitExceeded()
    if fault == "error":
        raise RuntimeError("boom")
    name = job.params.get("name", "hasil.txt")
    if job.params.get("stream"):
        # Large exports write to a temporary file and hand it over open.
        file = tempfile.TemporaryFile()  # noqa: SIM115 (job_run closes it)
        file.write(b"baris;" * 1000)
        file.seek(0)
        return JobResult(name, file=file)
    return JobResult(name, f"isi {job.params.get('n', '')}".encode())


@job_kind("tests.mutants_xlsx", "Uji mutan (xlsx)")
def _other_format(job, progress):
    return JobResult("hasil.xlsx", b"lembar")


@pytest.fixture(autouse=True)
def _fresh_process_state(monkeypatch):
    """Each test as a fresh process would see it: no hooks in the handler and
    no memory of the job page's earlier send attempts."""
    monkeypatch.setattr(jobs, "_last_page_send", {})
    yield
    during_run.clear()


class Broker:
    """The broker the tests need: accepting messages with no worker to run
    them yet (`fault=None`), or failing with `fault`."""

    def __init__(self):
        self.fault: Exception | None = None
        self.attempts = 0
        self.messages: list[str] = []

    def apply_async(self, args):
        self.attempts += 1
        if self.fault is not None:
            raise self.fault
        self.messages.append(args[0])


@pytest.fixture
def broker(monkeypatch):
    fake = Broker()
    monkeypatch.setattr("program.tasks.run_job", fake)
    return fake


def _ago(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


def _past_the_limit() -> dt.datetime:
    return _ago(seconds=settings.CELERY_TASK_TIME_LIMIT + settings.JOB_STUCK_MARGIN_SECONDS + 5)


def _queued(user, **params) -> Job:
    """A job created and not sent yet (its on-commit send has not run)."""
    return job_request(kind=KIND, actor=user, params=params)


def _status(client, job) -> dict:
    return client.get(reverse("program:job-status", args=[job.pk])).json()


def _poll(client, job) -> dict:
    """What the job page's script does every few seconds."""
    return client.post(reverse("program:job-status", args=[job.pk])).json()


def _page(client, job) -> str:
    return client.get(job.get_absolute_url()).content.decode()


def _pending_warning_shown(page: str) -> bool:
    return 'id="job-tertunda" class="alert alert-warning">' in page


def _recorded_just_now(moment, since) -> bool:
    return moment is not None and since <= moment <= timezone.now()


# --- kinds and labels ----------------------------------------------------------------------


def test_a_registered_kind_runs_and_its_page_carries_its_label(client, demo, monkeypatch):
    monkeypatch.setattr(jobs, "_REGISTRY", dict(jobs._REGISTRY))  # gone after the test

    @job_kind("tests.mutants_fresh", "Rekap uji")
    def _fresh(job, progress):
        return JobResult("rekap.txt", b"rekap")

    job = job_request(kind="tests.mutants_fresh", actor=demo["pp1"])
    job_run(job.pk)
    client.force_login(demo["pp1"])
    page = _page(client, job)
    assert '<h1 class="h3">Rekap uji</h1>' in page
    assert "<title>Rekap uji" in page
    download = client.get(reverse("program:job-download", args=[job.pk]))
    assert b"".join(download.streaming_content) == b"rekap"


def test_a_job_of_a_kind_a_later_release_removed_fails_and_names_the_kind(client, demo):
    job = Job.objects.create(kind="tests.dihapus", requested_by=demo["pp1"])
    since = timezone.now()
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.GAGAL
    assert job.error == "Jenis pekerjaan tidak dikenal."
    assert _recorded_just_now(job.finished_at, since)
    client.force_login(demo["pp1"])
    page = _page(client, job)
    assert '<h1 class="h3">tests.dihapus</h1>' in page
    assert "Jenis pekerjaan tidak dikenal." in page


def test_requesting_an_unknown_kind_is_refused_and_stores_nothing(demo):
    with pytest.raises(KeyError, match=re.escape("unknown job kind 'tests.tidak-ada'")):
        job_request(kind="tests.tidak-ada", actor=demo["pp1"])
    assert not Job.objects.filter(kind="tests.tidak-ada").exists()


# --- failures: the exact message, and when ----------------------------------------------


def test_a_job_that_keeps_killing_its_worker_says_so_and_is_recorded_finished(demo):
    job = _queued(demo["pp1"])
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.BERJALAN, attempts=settings.JOB_MAX_ATTEMPTS
    )
    since = timezone.now()
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.GAGAL
    assert job.error == (
        "Pemrosesan terhenti berulang kali sebelum selesai. "
        "Coba lagi nanti atau dengan data yang lebih sedikit."
    )
    assert _recorded_just_now(job.finished_at, since)


def test_a_job_past_its_soft_time_limit_fails_with_why(client, demo):
    job = _queued(demo["pp1"], fault="soft")
    since = timezone.now()
    job_run(job.pk)
    job.refresh_from_db()
    message = "Waktu pemrosesan habis. Coba lagi dengan data yang lebih sedikit."
    assert job.status == Job.Status.GAGAL and job.error == message
    assert _recorded_just_now(job.finished_at, since)
    client.force_login(demo["pp1"])
    status = _status(client, job)
    assert status["finished"] and status["can_retry"] and status["error"] == message


def test_a_failing_handler_shows_the_user_a_message_and_logs_the_job(caplog, demo):
    job = _queued(demo["pp1"], fault="error")
    since = timezone.now()
    with caplog.at_level(logging.ERROR, logger="program.jobs"):
        job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.GAGAL
    assert job.error == "Terjadi kesalahan saat memproses. Tim teknis sudah dicatat; coba lagi."
    assert _recorded_just_now(job.finished_at, since)
    [record] = [r for r in caplog.records if r.name == "program.jobs"]
    assert record.getMessage() == f"job {job.pk} ({KIND}) failed"
    assert record.exc_info and "boom" in str(record.exc_info[1])


def test_a_finished_file_is_deleted_after_the_retention_days(client, demo):
    """The retention clean-up counts from when the job finished."""
    job = _queued(demo["pp1"])
    job_run(job.pk)
    later = timezone.now() + dt.timedelta(days=settings.JOB_FILE_RETENTION_DAYS, hours=1)
    assert job_files_delete_old(now=later) >= 1
    assert not Job.objects.get(pk=job.pk).result
    client.force_login(demo["pp1"])
    page = _page(client, job)
    assert "Berkas sudah dihapus setelah" in page
    assert client.get(reverse("program:job-download", args=[job.pk])).status_code == 404


# --- while it runs ------------------------------------------------------------------------


def test_the_page_shows_the_progress_the_handler_reports_kept_below_100(client, demo):
    client.force_login(demo["pp1"])
    seen = []

    def report(job, progress):
        seen.append(_status(client, job)["progress"])
        for percent in (-5, 40, 150):
            progress(percent)
            seen.append(_status(client, job)["progress"])

    during_run.append(report)
    job = _queued(demo["pp1"])
    # A redelivery after a crash at 70 %: the new attempt starts from 0.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.BERJALAN, progress=70, attempts=1)
    job_run(job.pk)
    assert seen == [0, 0, 40, 99]
    assert _status(client, job)["progress"] == 100


def test_a_job_that_waited_long_in_the_queue_is_not_shown_stuck_once_it_runs(client, demo):
    """Queued for hours while the broker was down, then picked up: the time
    limit counts from the start of the run."""
    client.force_login(demo["pp1"])
    seen = []

    def look(job, progress):
        seen.append((_status(client, job)["status"], jobs_sweep()["macet"]))

    during_run.append(look)
    job = _queued(demo["pp1"])
    Job.objects.filter(pk=job.pk).update(created_at=_ago(hours=3))
    job_run(job.pk)
    assert seen == [(Job.Status.BERJALAN, 0)]
    assert Job.objects.get(pk=job.pk).status == Job.Status.SELESAI


def test_a_run_is_not_stuck_until_the_margin_after_the_hard_time_limit(client, demo):
    job = _queued(demo["pp1"])
    seconds = settings.CELERY_TASK_TIME_LIMIT + settings.JOB_STUCK_MARGIN_SECONDS // 2
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.BERJALAN, started_at=_ago(seconds=seconds), attempts=1
    )
    client.force_login(demo["pp1"])
    assert _poll(client, job)["status"] == Job.Status.BERJALAN
    assert jobs_sweep()["macet"] == 0
    assert Job.objects.get(pk=job.pk).status == Job.Status.BERJALAN


# --- stuck jobs ------------------------------------------------------------------------------

RUNNING_STUCK = (
    "Pemrosesan terhenti dan tidak selesai dalam batas waktu "
    "(proses latar mati atau macet). Silakan coba lagi."
)
NEVER_STARTED = (
    "Pekerjaan tidak kunjung diproses: tidak ada proses latar yang "
    "menjalankannya. Silakan coba lagi."
)


def test_stuck_jobs_tell_the_user_what_happened_word_for_word(client, demo):
    running = _queued(demo["pp1"], n=1)
    Job.objects.filter(pk=running.pk).update(
        status=Job.Status.BERJALAN, started_at=_past_the_limit()
    )
    never_started = _queued(demo["pp1"], n=2)
    Job.objects.filter(pk=never_started.pk).update(sent_at=_past_the_limit())
    client.force_login(demo["pp1"])
    for job, message in ((running, RUNNING_STUCK), (never_started, NEVER_STARTED)):
        assert message in _page(client, job)  # shown before anything recorded it
        assert _poll(client, job)["error"] == message
        assert Job.objects.get(pk=job.pk).error == message


def test_a_stuck_job_failed_by_a_new_request_is_recorded_finished_and_logged(caplog, demo):
    stuck = job_request(kind=KIND, actor=demo["pp1"], cache_key="v1")
    Job.objects.filter(pk=stuck.pk).update(status=Job.Status.BERJALAN, started_at=_past_the_limit())
    since = timezone.now()
    with caplog.at_level(logging.WARNING, logger="program.jobs"):
        fresh = job_request(kind=KIND, actor=demo["pp1"], cache_key="v1")
    assert fresh.pk != stuck.pk
    stuck.refresh_from_db()
    assert stuck.status == Job.Status.GAGAL
    assert _recorded_just_now(stuck.finished_at, since)
    messages = [r.getMessage() for r in caplog.records if r.name == "program.jobs"]
    assert messages == [f"job {stuck.pk} ({KIND}) was stuck in berjalan: marked failed"]


def test_a_stuck_job_failed_by_the_poll_is_recorded_finished(client, demo):
    job = _queued(demo["pp1"])
    Job.objects.filter(pk=job.pk).update(status=Job.Status.BERJALAN, started_at=_past_the_limit())
    since = timezone.now()
    client.force_login(demo["pp1"])
    assert _poll(client, job)["status"] == Job.Status.GAGAL
    assert _recorded_just_now(Job.objects.get(pk=job.pk).finished_at, since)


def _read_then_changed(job: Job, **changes) -> Job:
    """The job as a page read it, after which another process changed it."""
    seen = Job.objects.get(pk=job.pk)
    Job.objects.filter(pk=job.pk).update(**changes)
    return seen


def test_a_stuck_job_that_finished_meanwhile_is_not_marked_failed(client, demo):
    job = _queued(demo["pp1"])
    Job.objects.filter(pk=job.pk).update(status=Job.Status.BERJALAN, started_at=_past_the_limit())
    seen = _read_then_changed(job, status=Job.Status.SELESAI, progress=100)
    jobs.job_refresh(seen)
    job.refresh_from_db()
    assert job.status == Job.Status.SELESAI and job.error == ""


def test_a_stuck_job_a_redelivery_restarted_meanwhile_keeps_running(demo):
    job = _queued(demo["pp1"])
    Job.objects.filter(pk=job.pk).update(status=Job.Status.BERJALAN, started_at=_past_the_limit())
    seen = _read_then_changed(job, started_at=timezone.now())
    jobs.job_refresh(seen)
    job.refresh_from_db()
    assert job.status == Job.Status.BERJALAN and job.error == ""


def test_a_never_started_job_retried_meanwhile_in_another_tab_is_left_queued(demo):
    job = _queued(demo["pp1"])
    Job.objects.filter(pk=job.pk).update(sent_at=_past_the_limit())
    seen = _read_then_changed(job, sent_at=timezone.now())
    jobs.job_refresh(seen)
    job.refresh_from_db()
    assert job.status == Job.Status.ANTRE and job.error == ""


# --- the broker: sending, pending, the poll and the sweep ---------------------------------


def test_a_job_the_broker_accepted_is_not_shown_pending_nor_sent_again(client, demo, broker):
    job = _queued(demo["pp1"])
    assert jobs.job_send(job.pk) is True
    assert broker.messages == [str(job.pk)]
    Job.objects.filter(pk=job.pk).update(created_at=_ago(minutes=2))  # the worker is busy
    client.force_login(demo["pp1"])
    assert not _pending_warning_shown(_page(client, job))
    assert _poll(client, job)["tertunda"] is False
    assert jobs_sweep() == {"macet": 0, "dikirim": 0}
    assert broker.attempts == 1
    assert Job.objects.get(pk=job.pk).status == Job.Status.ANTRE


@pytest.mark.parametrize(
    ("fault", "log"),
    [
        (BrokerUnreachable("down"), "broker unreachable: job {} stays queued, sent later"),
        (RuntimeError("kaput"), "could not enqueue job {}: it stays queued, sent later"),
    ],
)
def test_a_job_the_broker_did_not_take_is_shown_pending_and_logged(
    client, demo, broker, caplog, fault, log
):
    broker.fault = fault
    job = _queued(demo["pp1"])
    with caplog.at_level(logging.WARNING, logger="program.jobs"):
        assert jobs.job_send(job.pk) is False
    messages = [r.getMessage() for r in caplog.records if r.name == "program.jobs"]
    assert messages == [log.format(job.pk)]
    client.force_login(demo["pp1"])
    assert _pending_warning_shown(_page(client, job))
    assert _status(client, job)["tertunda"] is True
    assert Job.objects.get(pk=job.pk).status == Job.Status.ANTRE


@pytest.mark.parametrize("fault", [BrokerUnreachable("down"), RuntimeError("kaput")])
def test_the_sweep_stops_sending_at_the_first_failure(demo, broker, fault):
    broker.fault = fault
    for n in (1, 2):
        job = _queued(demo["pp1"], n=n)
        Job.objects.filter(pk=job.pk).update(created_at=_ago(minutes=5))
    assert jobs_sweep() == {"macet": 0, "dikirim": 0}
    assert broker.attempts == 1


def test_the_sweep_counts_every_job_it_sent(demo, broker):
    pending = []
    for n in (1, 2):
        job = _queued(demo["pp1"], n=n)
        Job.objects.filter(pk=job.pk).update(created_at=_ago(minutes=5 + n))
        pending.append(str(job.pk))
    assert jobs_sweep() == {"macet": 0, "dikirim": 2}
    assert broker.messages == pending[::-1]  # the oldest first
    assert not Job.objects.filter(pk__in=pending, sent_at__isnull=True).exists()


def test_the_sweep_sends_only_queued_jobs_not_sent_yet(demo, broker):
    # Finished without the broker's involvement (run in-process, or a row
    # from before `sent_at` was recorded).
    finished = _queued(demo["pp1"], n=1)
    job_run(finished.pk)
    # Sent a minute ago; the worker has not got to it yet.
    waiting = _queued(demo["pp1"], n=2)
    Job.objects.filter(pk=waiting.pk).update(sent_at=_ago(minutes=1))
    Job.objects.filter(pk__in=[finished.pk, waiting.pk]).update(created_at=_ago(minutes=5))
    assert jobs_sweep() == {"macet": 0, "dikirim": 0}
    assert broker.attempts == 0


def test_the_sweep_spends_its_batch_on_jobs_that_may_be_stuck(demo, broker):
    """With a batch of one, older jobs that cannot be stuck must not take the
    place of the stuck one (in production: thousands of finished jobs)."""
    old_finished = _queued(demo["pp1"], n=1)
    Job.objects.filter(pk=old_finished.pk).update(
        status=Job.Status.SELESAI, started_at=_ago(hours=3), sent_at=_ago(hours=3)
    )
    running_fine = _queued(demo["pp1"], n=2)
    Job.objects.filter(pk=running_fine.pk).update(
        status=Job.Status.BERJALAN, started_at=_ago(minutes=1), sent_at=_ago(minutes=1)
    )
    sent_recently = _queued(demo["pp1"], n=3)
    Job.objects.filter(pk=sent_recently.pk).update(sent_at=_ago(minutes=1))
    for n, job in enumerate((old_finished, running_fine, sent_recently)):
        Job.objects.filter(pk=job.pk).update(created_at=_ago(hours=5 - n))
    stuck = _queued(demo["pp1"], n=4)
    Job.objects.filter(pk=stuck.pk).update(
        status=Job.Status.BERJALAN, started_at=_past_the_limit(), created_at=_ago(hours=1)
    )
    assert jobs_sweep(limit=1) == {"macet": 1, "dikirim": 0}
    state = dict(Job.objects.values_list("pk", "status"))
    assert state[stuck.pk] == Job.Status.GAGAL
    assert state[old_finished.pk] == Job.Status.SELESAI
    assert state[running_fine.pk] == Job.Status.BERJALAN
    assert state[sent_recently.pk] == Job.Status.ANTRE


def test_the_poll_sends_a_job_the_broker_missed_once_the_broker_is_back(client, demo):
    job = _queued(demo["pp1"])  # its on-commit send failed: broker down
    Job.objects.filter(pk=job.pk).update(created_at=_ago(minutes=1))
    client.force_login(demo["pp1"])
    status = _poll(client, job)  # the test's worker runs a sent job at once
    assert status["status"] == Job.Status.SELESAI and status["download_url"]


def test_the_poll_leaves_a_just_created_or_already_sent_job_alone(client, demo, broker):
    just_created = _queued(demo["pp1"], n=1)  # its own send may be on its way
    sent = _queued(demo["pp1"], n=2)
    Job.objects.filter(pk=sent.pk).update(created_at=_ago(minutes=2), sent_at=_ago(minutes=1))
    client.force_login(demo["pp1"])
    assert _poll(client, just_created)["tertunda"] is True
    assert _poll(client, sent)["tertunda"] is False
    assert broker.attempts == 0


def test_the_poll_tries_a_down_broker_once_per_window_for_each_job(client, demo, broker):
    broker.fault = BrokerUnreachable("down")
    first, second = _queued(demo["pp1"], n=1), _queued(demo["pp1"], n=2)
    Job.objects.filter(pk__in=[first.pk, second.pk]).update(created_at=_ago(minutes=1))
    client.force_login(demo["pp1"])
    for _ in range(3):
        assert _poll(client, first)["tertunda"] is True
    assert broker.attempts == 1
    assert _poll(client, second)["tertunda"] is True
    assert broker.attempts == 2


def test_the_poll_still_throttles_with_a_thousand_jobs_pending(demo, broker, settings, caplog):
    """The page process forgets only the attempts whose window has passed,
    however many jobs it tracks."""
    settings.JOB_RESEND_AFTER_SECONDS = 3600  # however slowly the polls below run
    caplog.set_level(logging.ERROR, logger="program.jobs")  # a thousand warnings
    broker.fault = BrokerUnreachable("down")
    pending = Job.objects.bulk_create(
        Job(kind=KIND, requested_by=demo["pp1"], params={"n": n}) for n in range(1002)
    )
    ours = Job.objects.filter(kind=KIND, requested_by=demo["pp1"])
    ours.update(created_at=_ago(hours=2))
    loaded = {job.pk: job for job in ours}
    for job in pending:
        jobs.job_refresh(loaded[job.pk])
    assert broker.attempts == 1002
    jobs.job_refresh(Job.objects.get(pk=pending[0].pk))
    assert broker.attempts == 1002


# --- which job a request reuses -----------------------------------------------------------


def _request(user, *, kind=KIND, params=None, cache_key="") -> Job:
    job = job_request(kind=kind, actor=user, params=params, cache_key=cache_key)
    job_run(job.pk)
    return job


def test_a_request_without_a_cache_key_always_renders_anew(demo):
    """As the school list's button asks: no key vouches for unchanged data."""
    first = job_request(kind=KIND, actor=demo["pp1"])
    job_run(first.pk)
    again = job_request(kind=KIND, actor=demo["pp1"])
    job_run(again.pk)
    assert first.pk != again.pk
    assert Job.objects.filter(pk__in=[first.pk, again.pk], status=Job.Status.SELESAI).count() == 2


def test_a_cached_job_is_reused_only_for_the_same_kind_user_and_parameters(client, demo):
    first = _request(demo["pp1"], params={"n": 1}, cache_key="k")
    assert _request(demo["pp1"], params={"n": 1}, cache_key="k").pk == first.pk
    other_format = _request(demo["pp1"], kind="tests.mutants_xlsx", params={"n": 1}, cache_key="k")
    other_user = _request(demo["pp2"], params={"n": 1}, cache_key="k")
    other_params = _request(demo["pp1"], params={"n": 2}, cache_key="k")
    assert len({first.pk, other_format.pk, other_user.pk, other_params.pk}) == 4
    client.force_login(demo["pp2"])
    assert client.get(reverse("program:job-download", args=[other_user.pk])).status_code == 200
    client.force_login(demo["pp1"])
    download = client.get(reverse("program:job-download", args=[other_params.pk]))
    assert b"".join(download.streaming_content) == b"isi 2"
    download = client.get(reverse("program:job-download", args=[other_format.pk]))
    assert b"".join(download.streaming_content) == b"lembar"


def test_a_failed_job_is_not_reused_by_a_new_request(demo):
    failed = _request(demo["pp1"], params={"fault": "error"}, cache_key="k")
    assert Job.objects.get(pk=failed.pk).status == Job.Status.GAGAL
    Job.objects.filter(pk=failed.pk).update(params={})  # whatever failed is fixed now
    again = _request(demo["pp1"], params={}, cache_key="k")
    assert again.pk != failed.pk
    assert Job.objects.get(pk=again.pk).status == Job.Status.SELESAI


def test_the_fingerprint_of_unchanged_data_reuses_the_job_and_changed_data_does_not(demo):
    data = {"sekolah": ["SMA 1", "SMA 2"], "tanggal": dt.date(2026, 12, 3), "wilayah": "Selong"}
    first = _request(demo["pp1"], cache_key=fingerprint(data))
    reordered = dict(reversed(list(data.items())))
    assert _request(demo["pp1"], cache_key=fingerprint(reordered)).pk == first.pk
    changed = {**data, "tanggal": dt.date(2026, 12, 4)}
    assert _request(demo["pp1"], cache_key=fingerprint(changed)).pk != first.pk
    assert _request(demo["pp1"], cache_key=fingerprint(["SMA 1"])).pk != first.pk


# --- the stored file and its name -----------------------------------------------------------


def test_a_streamed_result_is_stored_whole(client, demo):
    job = _request(demo["pp1"], params={"stream": True, "name": "ekspor.csv"})
    client.force_login(demo["pp1"])
    download = client.get(reverse("program:job-download", args=[job.pk]))
    assert b"".join(download.streaming_content) == b"baris;" * 1000
    assert Job.objects.get(pk=job.pk).result.name.endswith(".csv")


def test_download_names_that_fit_are_kept_and_long_ones_cut_before_the_extension(client, demo):
    limit = Job._meta.get_field("result_name").max_length
    fits = "Laporan " + "x" * (limit - len("Laporan ") - len(" .pdf")) + " .pdf"
    assert len(fits) == limit
    long = "Rekap " + "Komunitas Belajar " * 20 + ".pdf"
    cut_at = limit - len(".pdf")
    assert long[cut_at - 1] == " "  # the cut lands right after a word
    names = {}
    for name in (fits, long):
        job = _request(demo["pp1"], params={"name": name})
        names[name] = Job.objects.get(pk=job.pk).result_name
    assert names[fits] == fits
    assert names[long] == long[: cut_at - 1] + ".pdf"
    client.force_login(demo["pp1"])
    assert f"Unduh {names[long]}</a>" in _page(client, Job.objects.get(result_name=names[long]))
