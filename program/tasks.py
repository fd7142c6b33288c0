from celery import shared_task
from django.db import DatabaseError

from program.jobs import job_run


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_kwargs={"max_retries": 5},
)
def run_job(job_id: str) -> None:
    job_run(job_id)
