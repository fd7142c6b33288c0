"""SIGKILL a Celery worker in the middle of a journal PDF; the job must end SELESAI once.

On PostgreSQL + Redis: starts a real worker (prefork, one pool process) with the
TEST-ONLY hook scripts/reliability/slow_journal.py (the real journal renderer,
slowed so that it can be killed mid-render), requests a journal PDF
(pendampingan.jurnal_pdf) the way the "Unduh PDF" button does, waits until the
Job row is BERJALAN, SIGKILLs the process executing it, and waits. Then it
checks: the job is SELESAI, its attempts are 2 (the killed one and the
redelivery, no third run), exactly one file for the job is in storage and it
is a PDF, and no job is left BERJALAN.

Two ways to die:
  child   the pool process executing the job is killed (as the OOM killer
          does); the worker's main process requeues the message
          (acks_late + task_reject_on_worker_lost) and a new pool process runs it.
  worker  the whole worker is killed (main and pool process, as `docker kill`
          or a lost machine); nothing acknowledges the message, Redis hands it
          out again after the visibility timeout, and a NEW worker started
          after the crash runs it.

    .venv/bin/python scripts/reliability/sigkill_pdf.py [--rounds 20] [--worker-rounds 3]

Uses its own database (default rel_faults, created, migrated and seeded when
missing) and Redis db 12; short time limits (8 s hard, visibility timeout
10 s, stuck margin 2 s) keep the rounds fast; their order is production's.

A third kind of round, `stuck`, kills the whole worker and starts none: the
periodic sweep (program.jobs.jobs_sweep, run here every 0.5 s instead of every
minute) must mark the job GAGAL once it is past hard limit + margin, the job
page must offer "Coba lagi", and the retried job — with the dead worker's
message redelivered as well once a new worker starts — must again end
SELESAI with one file.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Short limits in the same order as production's (soft < hard < visibility).
FAST_LIMITS = {
    "CELERY_TASK_SOFT_TIME_LIMIT": "7",
    "CELERY_TASK_TIME_LIMIT": "8",
    "CELERY_VISIBILITY_TIMEOUT": "10",
    "JOB_STUCK_MARGIN_SECONDS": "2",
}


def service_env(*, database_url: str, broker_url: str, media_root: str, **extra: str) -> dict:
    """The environment of this process and of the workers it starts."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "DATABASE_URL", "CELERY_BROKER_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE=env.get("FAULTS_SETTINGS", "config.settings_test"),
        SECRET_KEY=env.get("SECRET_KEY") or "reliability-script-only-" + "k" * 40,
        HTTPS="0",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        MEDIA_ROOT=media_root,
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def pool_children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return children


def wait_for(predicate, timeout: float, step: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass
class RoundResult:
    mode: str
    ok: bool
    job_id: str
    attempts: int
    files: int
    seconds_to_berjalan: float
    seconds_kill_to_selesai: float
    detail: str = ""


class Harness:
    """Workers and rounds; Django must be set up with the same env."""

    def __init__(self, env: dict, log_dir: Path, slow_seconds: float = 1.5):
        self.env = {**env, "SLOW_JOURNAL_SECONDS": str(slow_seconds)}
        self.log_dir = log_dir
        self.slow = slow_seconds
        self.media_root = Path(env["MEDIA_ROOT"])
        self.worker: subprocess.Popen | None = None
        self.log_path: Path | None = None
        self.started = 0

    # --- workers ------------------------------------------------------------------
    def clear_broker(self) -> None:
        """Messages (and unacknowledged ones) left by an earlier run of this
        script in its own Redis db would point at jobs that no longer exist."""
        import redis

        client = redis.Redis.from_url(self.env["CELERY_BROKER_URL"])
        client.delete("celery", "unacked", "unacked_index", "unacked_mutex")

    def start_worker(self) -> subprocess.Popen:
        self.started += 1
        self.log_path = self.log_dir / f"worker-{self.started}.log"
        log = self.log_path.open("w")
        self.worker = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-I",
                "scripts.reliability.slow_journal",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"faults{self.started}@%h",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: `worker` rounds kill it whole
        )
        wait_for(
            lambda: " ready." in self.log_path.read_text() or self.worker.poll() is not None,
            timeout=90,
            step=0.2,
            what="the worker to be ready",
        )
        if self.worker.poll() is not None:
            raise RuntimeError("worker died at start:\n" + self.log_path.read_text()[-3000:])
        return self.worker

    def stop_worker(self) -> None:
        if self.worker is None or self.worker.poll() is not None:
            return
        self.worker.send_signal(signal.SIGTERM)  # warm shutdown
        try:
            self.worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(timeout=10)

    # --- one round ------------------------------------------------------------------
    def files_of(self, job_id: str) -> list[Path]:
        return [p for p in self.media_root.rglob("*") if p.is_file() and job_id in p.name]

    def round(self, mode: str, rng: random.Random) -> RoundResult:
        from django.contrib.auth import get_user_model

        from pendampingan import access
        from pendampingan.pdf import JURNAL_KIND
        from program.jobs import job_request
        from program.models import Job

        assert mode in ("child", "worker")
        if self.worker is None or self.worker.poll() is not None:
            self.start_worker()
        pp1 = get_user_model().objects.get(username="pp1")
        sesi = access.sesi_pi_content_visible_to(pp1).order_by("pk").first()
        t0 = time.monotonic()
        # As the journal's "Unduh PDF" does; no cache key, so every round is a new job.
        job = job_request(kind=JURNAL_KIND, actor=pp1, params={"sesi": sesi.pk})
        job_id = str(job.pk)

        def status() -> str:
            return Job.objects.values_list("status", flat=True).get(pk=job_id)

        wait_for(lambda: status() == Job.Status.BERJALAN, 60, what="BERJALAN")
        t_running = time.monotonic()
        # Somewhere inside the render (the hook sleeps half before, half after it).
        time.sleep(rng.uniform(0.1, max(0.2, self.slow - 0.3)))
        if status() != Job.Status.BERJALAN:
            return RoundResult(mode, False, job_id, 0, 0, t_running - t0, 0, "finished before kill")
        t_kill = time.monotonic()
        if mode == "child":
            children = pool_children(self.worker.pid)
            if len(children) != 1:
                raise RuntimeError(f"expected one pool process, found {children}")
            os.kill(children[0], signal.SIGKILL)
        else:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(timeout=10)
            # A new worker comes up once Redis would hand the message out again.
            visibility = int(self.env.get("CELERY_VISIBILITY_TIMEOUT", "1200"))
            time.sleep(max(0.0, t_running + visibility + 1 - time.monotonic()))
            self.start_worker()
        try:
            wait_for(
                lambda: (
                    Job.objects.filter(pk=job_id)
                    .exclude(status__in=(Job.Status.ANTRE, Job.Status.BERJALAN))
                    .exists()
                ),
                90,
                step=0.1,
                what="the job to finish",
            )
        except TimeoutError as error:
            return RoundResult(mode, False, job_id, 0, 0, t_running - t0, 0, str(error))
        t_done = time.monotonic()
        job = Job.objects.get(pk=job_id)
        files = self.files_of(job_id)
        problems = []
        if job.status != Job.Status.SELESAI:
            problems.append(f"status {job.status}: {job.error}")
        if job.attempts != 2:
            problems.append(f"attempts {job.attempts} (expected 2: the killed one + one rerun)")
        if len(files) != 1:
            problems.append(f"{len(files)} files in storage: {files}")
        elif not files[0].read_bytes().startswith(b"%PDF") or not str(files[0]).endswith(
            job.result.name
        ):
            problems.append(f"stored file {files[0]} is not the job's PDF {job.result.name}")
        left = Job.objects.filter(status=Job.Status.BERJALAN).count()
        if left:
            problems.append(f"{left} jobs left BERJALAN")
        return RoundResult(
            mode,
            not problems,
            job_id,
            job.attempts,
            len(files),
            t_running - t0,
            t_done - t_kill,
            "; ".join(problems),
        )

    def stuck_round(self) -> RoundResult:
        """Kill the whole worker and start none: the sweep must fail the job,
        the page must offer "Coba lagi", and the retry must finish it once."""
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.urls import reverse

        from pendampingan import access
        from pendampingan.pdf import JURNAL_KIND
        from program.jobs import job_request, jobs_sweep
        from program.models import Job

        if self.worker is None or self.worker.poll() is not None:
            self.start_worker()
        pp1 = get_user_model().objects.get(username="pp1")
        sesi = access.sesi_pi_content_visible_to(pp1).order_by("pk").first()
        job = job_request(kind=JURNAL_KIND, actor=pp1, params={"sesi": sesi.pk})
        job_id = str(job.pk)
        wait_for(
            lambda: Job.objects.filter(pk=job_id, status=Job.Status.BERJALAN).exists(),
            60,
            what="BERJALAN",
        )
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(timeout=10)
        t_kill = time.monotonic()

        def swept() -> bool:
            jobs_sweep()  # what beat runs every minute
            return Job.objects.filter(pk=job_id, status=Job.Status.GAGAL).exists()

        wait_for(swept, 120, step=0.5, what="the sweep to mark the job GAGAL")
        t_failed = time.monotonic() - t_kill
        job.refresh_from_db()
        error = job.error
        client = Client(HTTP_HOST="localhost")
        client.force_login(pp1)
        page = client.get(job.get_absolute_url()).content.decode()
        button = "Coba lagi" in page and reverse("program:job-retry", args=[job.pk]) in page
        t_retry = time.monotonic()
        response = client.post(reverse("program:job-retry", args=[job.pk]))
        self.start_worker()  # also redelivers the dead worker's message after the timeout
        try:
            wait_for(
                lambda: Job.objects.filter(pk=job_id, status=Job.Status.SELESAI).exists(),
                90,
                step=0.1,
                what="the retried job to finish",
            )
        except TimeoutError as timeout:
            return RoundResult("stuck", False, job_id, 0, 0, 0, 0, str(timeout))
        t_done = time.monotonic() - t_retry
        # Let the dead worker's own message come back too (visibility timeout):
        # it must find the job finished and leave it alone.
        time.sleep(int(settings.CELERY_VISIBILITY_TIMEOUT) + 2)
        job.refresh_from_db()
        files = self.files_of(job_id)
        problems = []
        if not button:
            problems.append("no 'Coba lagi' button on the failed job's page")
        if response.status_code != 302:
            problems.append(f"retry answered {response.status_code}")
        if job.status != Job.Status.SELESAI or job.attempts != 1 or len(files) != 1:
            problems.append(
                f"after retry: {job.status}, attempts {job.attempts}, {len(files)} files"
            )
        limit = settings.CELERY_TASK_TIME_LIMIT + settings.JOB_STUCK_MARGIN_SECONDS
        detail = (
            f"GAGAL {t_failed:.1f} s after the kill (limit + margin = {limit} s; "
            f'message "{error}"); retry → SELESAI in {t_done:.1f} s'
        )
        return RoundResult(
            "stuck",
            not problems,
            job_id,
            job.attempts,
            len(files),
            0,
            t_failed,
            "; ".join(problems) or detail,
        )


def prepare_database(database_url: str) -> None:
    """Create, migrate and seed the script's own database (idempotent)."""
    from urllib.parse import urlparse

    import psycopg2

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    conn = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def summarise(results: list[RoundResult], mode: str) -> str:
    mine = [r for r in results if r.mode == mode]
    if not mine:
        return ""
    good = [r for r in mine if r.ok]
    times = [r.seconds_kill_to_selesai for r in good] or [0.0]
    if mode == "stuck":
        return (
            f"stuck: {len(good)}/{len(mine)} marked GAGAL by the sweep, retried with "
            f"'Coba lagi' and completed exactly once; {mine[0].detail}"
        )
    return (
        f"{mode}: {len(good)}/{len(mine)} completed exactly once "
        f"(SELESAI, attempts=2, 1 file, none left BERJALAN); kill→SELESAI "
        f"median {statistics.median(times):.1f} s, max {max(times):.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="rounds killing the pool process")
    parser.add_argument("--worker-rounds", type=int, default=3, help="rounds killing the worker")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "FAULTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rel_faults"
        ),
    )
    parser.add_argument(
        "--broker-url", default=os.environ.get("FAULTS_BROKER_URL", "redis://127.0.0.1:6379/12")
    )
    parser.add_argument("--stuck-rounds", type=int, default=1, help="rounds left to the sweep")
    parser.add_argument("--slow", type=float, default=1.0, help="seconds added to each render")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="sigkill-pdf-"))
    env = service_env(
        database_url=args.database_url,
        broker_url=args.broker_url,
        media_root=str(work / "media"),
        **FAST_LIMITS,
    )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    t_setup = time.monotonic()
    prepare_database(args.database_url)
    print(f"database ready in {time.monotonic() - t_setup:.1f} s; logs in {work}", flush=True)

    harness = Harness(env, work, slow_seconds=args.slow)
    harness.clear_broker()
    rng = random.Random(args.seed)  # noqa: S311 (when to kill, not a secret)
    results: list[RoundResult] = []
    t_start = time.monotonic()
    try:
        plan = (
            ("child", args.rounds),
            ("worker", args.worker_rounds),
            ("stuck", args.stuck_rounds),
        )
        for mode, count in plan:
            for i in range(count):
                result = harness.stuck_round() if mode == "stuck" else harness.round(mode, rng)
                results.append(result)
                print(
                    f"{mode} {i + 1:2d}/{count}: {'ok ' if result.ok else 'FAIL'} "
                    f"job {result.job_id[:8]} attempts={result.attempts} files={result.files} "
                    f"BERJALAN after {result.seconds_to_berjalan:.2f} s, "
                    f"kill→SELESAI {result.seconds_kill_to_selesai:.2f} s {result.detail}",
                    flush=True,
                )
    finally:
        harness.stop_worker()
    total = time.monotonic() - t_start
    print()
    for mode in ("child", "worker", "stuck"):
        line = summarise(results, mode)
        if line:
            print(line)
    print(f"total {total:.0f} s for {len(results)} rounds ({harness.started} workers started)")
    return 0 if results and all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
