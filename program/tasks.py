from celery import shared_task
from django.db import DatabaseError

from program.jobs import job_run, jobs_sweep


# acks_late + the worker's reject_on_worker_lost: a process killed mid-job
# returns the message to the queue; job_run's lock makes the redelivery safe.
@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_kwargs={"max_retries": 5},
)
def run_job(job_id: str) -> None:
    job_run(job_id)


@shared_task(name="program.check_stuck_jobs", ignore_result=True)
def check_stuck_jobs() -> dict[str, int]:
    """Every minute (beat): fail stuck jobs, send jobs the broker missed."""
    return jobs_sweep()
