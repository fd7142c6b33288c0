"""Celery application.

Without CELERY_BROKER_URL the settings switch Celery to eager mode, so a job
enqueued on commit runs in the web process: `make run` needs no broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("pendampingan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
