"""A real worker killed with SIGKILL in the middle of a journal PDF: the job still
ends SELESAI exactly once. One round of scripts/reliability/sigkill_pdf.py (the
script runs 20 and writes the figures in docs/RELIABILITY.md)."""

import random
import urllib.parse

import pytest
from django.conf import settings

from config.celery import app as celery_app
from scripts.reliability.sigkill_pdf import Harness, service_env
from tests.conftest import require, tcp_open, uses_postgres


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_pool_process_killed_mid_render_the_job_completes_exactly_once(demo, tmp_path):
    broker = settings.CELERY_BROKER_URL
    require(uses_postgres(), "PostgreSQL (DATABASE_URL)")
    require(bool(broker) and tcp_open(broker, 6379), "Redis (CELERY_BROKER_URL)")
    db = settings.DATABASES["default"]
    db_url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
        **{
            k: urllib.parse.quote(str(db.get(k) or ""), safe="")
            for k in ("USER", "PASSWORD", "HOST", "PORT", "NAME")
        }
    )
    env = service_env(database_url=db_url, broker_url=broker, media_root=str(settings.MEDIA_ROOT))
    celery_app.control.purge()
    celery_app.conf.task_always_eager = False  # sent to the worker, not run here
    harness = Harness(env, tmp_path, slow_seconds=1.0)
    try:
        result = harness.round("child", random.Random(1))
    finally:
        harness.stop_worker()
    log = harness.log_path.read_text() if harness.log_path else ""
    assert result.ok, f"{result.detail}\n{log[-3000:]}"
    assert "WorkerLostError" in log  # it really was killed mid-job
    assert result.attempts == 2 and result.files == 1
