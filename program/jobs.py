"""Background jobs: one mechanism for every PDF, export and import.

A job kind is a function registered with `@job_kind("app.name", label)`; it
receives the Job row and a `progress(percent)` callback and returns a
`JobResult` (file name and bytes). `job_request` creates the row (or reuses
one for the same data) and enqueues the Celery task once the transaction
commits; `job_run` does the work, idempotently.

Faults (docs/RELIABILITY.md): a task may be delivered twice (a worker killed
mid-render, a redelivery after the visibility timeout, a re-send by the
sweep). `job_run` therefore runs a job only while holding a PostgreSQL
advisory lock on it, which dies with the process that holds it: a duplicate
delivery finds the lock taken and leaves the job alone, a redelivery after a
crash finds it free and takes over. A broker that cannot be reached leaves the
job queued but unsent (`sent_at` empty) instead of failing the request;
`jobs_sweep` (Celery beat) and the job page send it later, and mark a job
that outlived its time limit with no process behind it as failed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnreachable

from program.models import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobResult:
    """A job's file: `content` bytes, or an open binary `file` (large exports
    stream to a temporary file, which storage then copies in chunks)."""

    filename: str
    content: bytes = b""
    file: IO[bytes] | None = None


ProgressFn = Callable[[int], None]
Handler = Callable[[Job, ProgressFn], JobResult]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    handler: Handler


_REGISTRY: dict[str, JobKind] = {}


def job_kind(name: str, label: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _REGISTRY[name] = JobKind(name=name, label=label, handler=handler)
        return handler

    return register


def kind_label(name: str) -> str:
    kind = _REGISTRY.get(name)
    return str(kind.label) if kind else name


REUSABLE = (Job.Status.ANTRE, Job.Status.BERJALAN, Job.Status.SELESAI)


def fingerprint(data) -> str:
    """A cache key for `job_request`: a digest of the data a job would print.

    Pass the same plain data the renderer uses; when it is unchanged the
    earlier file is reused instead of rendering again.
    """
    raw = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()[:40]


def job_request(*, kind: str, actor, params: dict | None = None, cache_key: str = "") -> Job:
    """Create a job (or return the matching one) and enqueue it on commit.

    With a `cache_key` describing the source data's state, a request for the
    same data by the same user reuses the existing job: nothing is rendered
    twice unless the data changed. A matching job that is stuck is failed
    first, so a new request is not tied to a dead one.
    """
    if kind not in _REGISTRY:
        raise KeyError(f"unknown job kind {kind!r}")
    params = params or {}
    if cache_key:
        existing = (
            Job.objects.filter(
                kind=kind,
                requested_by=actor,
                cache_key=cache_key,
                params=params,
                status__in=REUSABLE,
            )
            .order_by("-created_at")
            .first()
        )
        if existing is not None and not job_fail_if_stuck(existing):
            return existing
    job = Job.objects.create(kind=kind, requested_by=actor, params=params, cache_key=cache_key)
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    job_id = str(job.pk)
    transaction.on_commit(lambda: job_send(job_id))


def job_send(job_id) -> bool:
    """Hand a job to the broker; False when the broker cannot be reached.

    Runs after the commit of the request that created the job, so a failure
    here must not raise: the user's data is already saved and the job stays
    queued with `sent_at` empty, to be sent by `jobs_sweep` or the job page.
    The broker timeouts in settings keep this short when Redis is down.
    """
    from program.tasks import run_job

    try:
        run_job.apply_async((str(job_id),))
    except BrokerUnreachable:
        logger.warning("broker unreachable: job %s stays queued, sent later", job_id)
        return False
    except Exception:
        logger.exception("could not enqueue job %s: it stays queued, sent later", job_id)
        return False
    Job.objects.filter(pk=job_id).update(sent_at=timezone.now())
    return True


def job_is_pending(job: Job) -> bool:
    """Queued but not yet handed to the broker (it was unreachable)."""
    return job.status == Job.Status.ANTRE and job.sent_at is None


def _set(job: Job, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**fields)


# --- exclusive runs ---------------------------------------------------------------


def _lock_key(job_id) -> int:
    """A signed 64-bit advisory-lock key from the job's UUID."""
    return int.from_bytes(uuid.UUID(str(job_id)).bytes[:8], "big", signed=True)


def _uses_advisory_locks() -> bool:
    return connection.vendor == "postgresql"


# How long a delivery waits for a job's lock before deciding that another live
# process runs it. A killed worker's lock is freed when PostgreSQL notices the
# closed connection, usually at once but not always.
LOCK_WAIT_SECONDS = 5.0


@contextmanager
def _job_lock(job_id, *, wait: float = LOCK_WAIT_SECONDS) -> Iterator[bool]:
    """Hold the job's session-level advisory lock; yields whether it was taken.

    A session lock (not a transaction lock) so the run's progress updates stay
    in autocommit and visible to the polling page. It is released at the end,
    or by PostgreSQL when the holding process dies, which is what tells a
    redelivery after a crash from a duplicate of a job that is still running.
    Without PostgreSQL (the embedded SQLite mode runs jobs in-process) there
    is nobody to exclude.
    """
    if not _uses_advisory_locks():
        yield True
        return
    key = _lock_key(job_id)
    deadline = time.monotonic() + wait
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = bool(cursor.fetchone()[0])
            if acquired or time.monotonic() >= deadline:
                break
            time.sleep(0.2)
    try:
        yield acquired
    finally:
        if acquired:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
            except DatabaseError:
                # The connection is gone, and the session lock with it.
                logger.warning("could not release the lock of job %s", job_id)


def _lock_is_held(job_id) -> bool:
    """Is a live process running this job right now? (PostgreSQL only.)

    Waits a second: the lock of a process that just died may not be freed yet.
    Asked only about jobs already past their time limit, so rarely.
    """
    if not _uses_advisory_locks():
        return False
    with _job_lock(job_id, wait=1.0) as acquired:
        return not acquired


def job_run(job_id) -> Job:
    """Run a job to completion. Safe to call twice: a finished job is left alone,
    and a job another live process is running is not run a second time.

    Errors in the handler mark the job failed with a message for the user;
    database errors propagate so that Celery retries the task.
    """
    with _job_lock(job_id) as acquired:
        if not acquired:
            logger.info("job %s is running elsewhere: duplicate delivery ignored", job_id)
            return Job.objects.get(pk=job_id)
        return _run_exclusively(job_id)


def _run_exclusively(job_id) -> Job:
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return job
    kind = _REGISTRY.get(job.kind)
    if kind is None:
        _set(
            job,
            status=Job.Status.GAGAL,
            error=_("Jenis pekerjaan tidak dikenal."),
            finished_at=timezone.now(),
        )
        return job
    if job.attempts >= settings.JOB_MAX_ATTEMPTS:
        # Each start that never finished was a process that died under this
        # job (e.g. out of memory): stop the redelivery loop.
        _set(
            job,
            status=Job.Status.GAGAL,
            finished_at=timezone.now(),
            error=_(
                "Pemrosesan terhenti berulang kali sebelum selesai. "
                "Coba lagi nanti atau dengan data yang lebih sedikit."
            ),
        )
        return job
    _set(
        job,
        status=Job.Status.BERJALAN,
        progress=0,
        started_at=timezone.now(),
        error="",
        attempts=job.attempts + 1,
    )

    def progress(percent: int) -> None:
        _set(job, progress=max(0, min(99, int(percent))))

    try:
        result = kind.handler(job, progress)
    except DatabaseError:
        raise
    except SoftTimeLimitExceeded:
        _set(
            job,
            status=Job.Status.GAGAL,
            finished_at=timezone.now(),
            error=_("Waktu pemrosesan habis. Coba lagi dengan data yang lebih sedikit."),
        )
        return job
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _set(
            job,
            status=Job.Status.GAGAL,
            finished_at=timezone.now(),
            error=_("Terjadi kesalahan saat memproses. Tim teknis sudah dicatat; coba lagi."),
        )
        return job
    try:
        name = _store_result(job, result)
    finally:
        if result.file is not None:
            result.file.close()
    _set(
        job,
        result=name,
        result_name=_fit(result.filename, Job._meta.get_field("result_name").max_length),
        status=Job.Status.SELESAI,
        progress=100,
        finished_at=timezone.now(),
    )
    return job


def _fit(filename: str, limit: int) -> str:
    """A download name that fits its column, shortened before the extension."""
    if len(filename) <= limit:
        return filename
    suffix = PurePosixPath(filename).suffix[:10]
    return filename[: limit - len(suffix)].rstrip() + suffix


def _store_result(job: Job, result: JobResult) -> str:
    """Save the file under a name fixed by the job, replacing what an earlier
    attempt killed between saving its file and marking the job finished left
    behind: one job, one file."""
    field = job.result.field
    # The stored name is the job's id and the extension only: the user's file
    # name (which can be long, e.g. a workshop title) lives in result_name, and
    # the FileField column holds 100 characters.
    suffix = PurePosixPath(result.filename).suffix[:10]
    name = field.generate_filename(job, f"{job.pk}{suffix}")
    if field.storage.exists(name):
        field.storage.delete(name)
    payload = File(result.file) if result.file is not None else ContentFile(result.content)
    return field.storage.save(name, payload)


# --- stuck and pending jobs ---------------------------------------------------------


def _stuck_limit() -> dt.timedelta:
    """No run may last longer than the hard time limit; the margin covers the
    time the worker needs to notice and clean up."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + settings.JOB_STUCK_MARGIN_SECONDS)


def job_is_stuck(job: Job, *, now: dt.datetime | None = None) -> bool:
    """Running past its time limit with no live process holding it, or handed
    to the broker that long ago and never started by any worker."""
    cutoff = (now or timezone.now()) - _stuck_limit()
    if job.status == Job.Status.BERJALAN:
        return (job.started_at or job.created_at) < cutoff and not _lock_is_held(job.pk)
    if job.status == Job.Status.ANTRE and job.sent_at is not None:
        return job.sent_at < cutoff
    return False


def _stuck_error(job: Job) -> str:
    if job.status == Job.Status.BERJALAN:
        return _(
            "Pemrosesan terhenti dan tidak selesai dalam batas waktu "
            "(proses latar mati atau macet). Silakan coba lagi."
        )
    return _(
        "Pekerjaan tidak kunjung diproses: tidak ada proses latar yang "
        "menjalankannya. Silakan coba lagi."
    )


def job_as_seen(job: Job, *, now: dt.datetime | None = None) -> Job:
    """The job as its page shows it, without writing (a GET never writes): a
    stuck job is shown failed, with why and "Coba lagi", before the sweep or
    the page's poll (a POST, job_refresh) records it so."""
    if job_is_stuck(job, now=now):
        job.error = _stuck_error(job)
        job.status = Job.Status.GAGAL
    return job


def job_fail_if_stuck(job: Job, *, now: dt.datetime | None = None) -> bool:
    """Mark a stuck job failed (the user may then try again); True if it was."""
    now = now or timezone.now()
    if not job_is_stuck(job, now=now):
        return False
    error = _stuck_error(job)
    # Guarded on the state just read: a job that moved on meanwhile is left alone.
    updated = Job.objects.filter(
        pk=job.pk, status=job.status, started_at=job.started_at, sent_at=job.sent_at
    ).update(status=Job.Status.GAGAL, error=error, finished_at=now)
    if updated:
        logger.warning("job %s (%s) was stuck in %s: marked failed", job.pk, job.kind, job.status)
        job.refresh_from_db()
    return bool(updated)


def _resend_due(job: Job, now: dt.datetime) -> bool:
    age = dt.timedelta(seconds=settings.JOB_RESEND_AFTER_SECONDS)
    return job_is_pending(job) and job.created_at < now - age


def job_refresh(job: Job) -> Job:
    """What the job page's poll (a POST) does: fail a stuck job, and send a
    pending one when the broker may be back (at most once per
    JOB_RESEND_AFTER_SECONDS per job and process, so polling does not
    hammer a broker that is still down)."""
    now = timezone.now()
    if job_fail_if_stuck(job, now=now):
        return job
    if _resend_due(job, now) and _resend_slot(job):
        job_send(job.pk)
        job.refresh_from_db()
    return job


# When this process last tried to send a pending job from its page. Per
# process on purpose: the shared cache is Redis in production, which is down
# (or hanging) exactly when jobs are pending.
_last_page_send: dict[str, float] = {}


def _resend_slot(job: Job) -> bool:
    """One send attempt per job per JOB_RESEND_AFTER_SECONDS in each process."""
    window = settings.JOB_RESEND_AFTER_SECONDS
    now = time.monotonic()
    key = str(job.pk)
    if now - _last_page_send.get(key, -window) < window:
        return False
    if len(_last_page_send) > 1000:
        for old in [k for k, t in _last_page_send.items() if now - t >= window]:
            del _last_page_send[old]
    _last_page_send[key] = now
    return True


def jobs_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """The periodic check (Celery beat): fail stuck jobs, send pending ones.

    Sending twice is harmless: a job runs under its lock and only while it is
    not finished. Stops sending at the first failure (the broker is still
    down); the next sweep tries again.
    """
    now = now or timezone.now()
    cutoff = now - _stuck_limit()
    stuck = 0
    for job in Job.objects.filter(
        Q(status=Job.Status.BERJALAN, started_at__lt=cutoff)
        | Q(status=Job.Status.ANTRE, sent_at__lt=cutoff)
    ).order_by("created_at")[:limit]:
        stuck += job_fail_if_stuck(job, now=now)
    sent = 0
    pending = Job.objects.filter(
        status=Job.Status.ANTRE,
        sent_at__isnull=True,
        created_at__lt=now - dt.timedelta(seconds=settings.JOB_RESEND_AFTER_SECONDS),
    ).order_by("created_at")
    for job_id in pending.values_list("pk", flat=True)[:limit]:
        if not job_send(job_id):
            break
        sent += 1
    return {"macet": stuck, "dikirim": sent}


@transaction.atomic
def job_retry(*, actor, job: Job) -> Job:
    """Queue a failed job again ("Coba lagi"). The view has checked that the
    actor may see the job (its requester or an operator). A job that is not
    failed (a double click, a retry already running) is left as it is."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    # A stuck job is offered "Coba lagi" before anything recorded it failed.
    if job.status != Job.Status.GAGAL and not job_fail_if_stuck(job):
        return job
    logger.info("job %s (%s) retried by %s", job.pk, job.kind, actor.pk)
    _set(
        job,
        status=Job.Status.ANTRE,
        progress=0,
        error="",
        attempts=0,
        sent_at=None,
        started_at=None,
        finished_at=None,
    )
    _enqueue(job)
    return job
