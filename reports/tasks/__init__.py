"""Periodic clean-up of job result files (Celery beat).

Result files of every job kind (exports, PDFs) are kept for
JOB_FILE_RETENTION_DAYS after the job finished, then deleted from storage.
The Job row stays, so the job page can still say what was requested and
that its file is gone; its cache key is cleared so that a later request for
the same data renders a new file instead of reusing a job without one.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from program.models import Job

logger = logging.getLogger(__name__)

BATCH = 500


def job_files_delete_old(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Delete result files of jobs finished more than `days` ago; returns how many."""
    now = now or timezone.now()
    days = settings.JOB_FILE_RETENTION_DAYS if days is None else days
    cutoff = now - dt.timedelta(days=days)
    storage = Job._meta.get_field("result").storage
    pending = list(
        Job.objects.filter(finished_at__lt=cutoff)
        .exclude(result="")
        .order_by("finished_at")
        .values_list("pk", "result")
    )
    deleted = 0
    for start in range(0, len(pending), BATCH):
        done = []
        for pk, name in pending[start : start + BATCH]:
            try:
                storage.delete(name)  # a file already gone is not an error
            except Exception:
                # Keep the reference: the next run tries again.
                logger.exception("could not delete job file %s (job %s)", name, pk)
                continue
            done.append(pk)
        Job.objects.filter(pk__in=done).update(result="", cache_key="")
        deleted += len(done)
    return deleted


@shared_task(name="reports.delete_old_job_files", ignore_result=True)
def delete_old_job_files() -> int:
    return job_files_delete_old()
