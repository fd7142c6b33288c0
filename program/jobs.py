"""Background jobs: one mechanism for every PDF, export and import.

A job kind is a function registered with `@job_kind("app.name", label)`; it
receives the Job row and a `progress(percent)` callback and returns a
`JobResult` (file name and bytes). `job_request` creates the row (or reuses
one for the same data) and enqueues the Celery task once the transaction
commits; `job_run` does the work, idempotently.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
    twice unless the data changed.
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
        if existing is not None:
            return existing
    job = Job.objects.create(kind=kind, requested_by=actor, params=params, cache_key=cache_key)
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    from program.tasks import run_job

    job_id = str(job.pk)
    transaction.on_commit(lambda: run_job.delay(job_id))


def _set(job: Job, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**fields)


def job_run(job_id) -> Job:
    """Run a job to completion. Safe to call twice: a finished job is left alone.

    Errors in the handler mark the job failed with a message for the user;
    database errors propagate so that Celery retries the task.
    """
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
        payload = File(result.file) if result.file is not None else ContentFile(result.content)
        job.result.save(result.filename, payload, save=False)
    finally:
        if result.file is not None:
            result.file.close()
    _set(
        job,
        result=job.result.name,
        result_name=result.filename,
        status=Job.Status.SELESAI,
        progress=100,
        finished_at=timezone.now(),
    )
    return job
