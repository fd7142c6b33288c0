"""Celery tasks of the email reminders: thin wrappers, scheduled by beat.

They take no arguments (each run works out what is due) and are idempotent:
reports.reminders records every reason sent, so a repeated or overlapping run
sends nothing twice.
"""

from celery import shared_task
from django.db import DatabaseError

from reports import reminders

RETRY = {
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 3},
}


@shared_task(**RETRY)
def send_pengingat_pi() -> int:
    return reminders.pengingat_pi()


@shared_task(**RETRY)
def send_pengingat_pmo() -> int:
    return reminders.pengingat_pmo()


@shared_task(**RETRY)
def send_digest_eskalasi() -> int:
    return reminders.digest_eskalasi()
