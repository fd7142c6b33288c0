"""1,000 journal PDFs through Celery: two worker processes on Redis.

Goal (issue #9): wall time ≤ 5 min from the first request to the last file,
worker peak RSS ≤ 300 MiB, and exactly 1,000 jobs SELESAI with 1,000 files.

The script starts `celery -A config worker -c 2` itself (broker from
CELERY_BROKER_URL), requests the jobs the way the "Unduh PDF" button does
(`program.jobs.job_request`, enqueued on commit), and samples the RSS of the
worker's main process and its pool children every 0.2 s from /proc (psutil).
A pool child replaced after CELERY_WORKER_MAX_TASKS_PER_CHILD tasks shows up as
a new process; the peak is taken per process and for their sum.

    python scripts/bench/celery_pdfs.py --out var/bench/celery_pdfs.json [--jobs 1000]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.bench import ROOT, row, setup_django, within, write_rows

LIMIT_WALL_S = 5 * 60
LIMIT_RSS_MIB = 300
SAMPLE_EVERY_S = 0.2
MIB = 1024 * 1024


class RssSampler(threading.Thread):
    """Peak RSS per process (parent + pool children) and of their sum."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        import psutil

        self.parent = psutil.Process(pid)
        self.peak: dict[int, int] = {}
        self.names: dict[int, str] = {pid: "main"}
        self.peak_sum = 0
        self.cpu: dict[int, float] = {}  # user + system seconds, last seen
        self.samples = 0
        self.stop = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stop.is_set():
            total = 0
            try:
                procs = [self.parent, *self.parent.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    times = p.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                self.cpu[p.pid] = times.user + times.system
                total += rss
                self.peak[p.pid] = max(self.peak.get(p.pid, 0), rss)
                self.names.setdefault(p.pid, "child")
            self.peak_sum = max(self.peak_sum, total)
            self.samples += 1
            self.stop.wait(SAMPLE_EVERY_S)


def start_worker(concurrency: int) -> subprocess.Popen:
    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            str(celery),
            "-A",
            "config",
            "worker",
            "-c",
            str(concurrency),
            "--pool",
            "prefork",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"bench-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,  # the banner; warnings and errors go to stderr
        start_new_session=True,
    )


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def wait_ready(app, worker: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit(f"celery worker exited with {worker.returncode}")
        if app.control.ping(timeout=1.0):
            return
    raise SystemExit("celery worker did not answer a ping")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=2 * LIMIT_WALL_S)
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage
    from django.db import transaction

    from config.celery import app
    from pendampingan.models import JurnalPendampingan
    from pendampingan.pdf import JURNAL_KIND
    from program.jobs import job_request
    from program.models import Job

    if not settings.CELERY_BROKER_URL:
        raise SystemExit("CELERY_BROKER_URL is not set: this benchmark needs Redis")
    max_tasks = getattr(settings, "CELERY_WORKER_MAX_TASKS_PER_CHILD", None)
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    sesi_ids = list(
        JurnalPendampingan.objects.exclude(sudah_baik="")
        .order_by("sesi_id")
        .values_list("sesi_id", flat=True)[: args.jobs]
    )
    if not sesi_ids:
        raise SystemExit("no journal with text in the database: seed first")
    distinct = len(sesi_ids)
    while len(sesi_ids) < args.jobs:  # a small database: the same journals again
        sesi_ids += sesi_ids[: args.jobs - len(sesi_ids)]

    app.control.purge()
    worker = start_worker(args.concurrency)
    sampler = None
    try:
        wait_ready(app, worker)
        sampler = RssSampler(worker.pid)
        sampler.start()
        start = time.perf_counter()
        with transaction.atomic():  # enqueued on commit, as from the views
            job_ids = [
                job_request(kind=JURNAL_KIND, actor=admin, params={"sesi": s}).pk for s in sesi_ids
            ]
        enqueued = time.perf_counter() - start
        finished = 0
        while time.perf_counter() - start < args.timeout:
            finished = Job.objects.filter(
                pk__in=job_ids, status__in=[Job.Status.SELESAI, Job.Status.GAGAL]
            ).count()
            if finished == len(job_ids):
                break
            time.sleep(0.5)
        wall = time.perf_counter() - start
    finally:
        if sampler is not None:
            sampler.stop.set()
        stop_worker(worker)

    jobs = list(Job.objects.filter(pk__in=job_ids).values("status", "result"))
    selesai = sum(1 for j in jobs if j["status"] == Job.Status.SELESAI)
    files = {j["result"] for j in jobs if j["result"]}
    files_present = sum(1 for name in files if default_storage.exists(name))
    timed_out = finished < len(job_ids)

    peaks = {pid: round(rss / MIB, 1) for pid, rss in sampler.peak.items()}
    main_peak = peaks.get(worker.pid, 0.0)
    child_peaks = sorted((v for pid, v in peaks.items() if pid != worker.pid), reverse=True)
    max_proc = max(peaks.values()) if peaks else None
    sum_peak = round(sampler.peak_sum / MIB, 1)
    command = f"python scripts/bench/celery_pdfs.py --jobs {args.jobs}"
    size = (
        f"{args.jobs:,} jobs over {distinct:,} distinct journals, "
        f"-c {args.concurrency}, max_tasks_per_child={max_tasks}"
    )
    wall_value = None if timed_out else round(wall, 1)
    cpu_s = sum(sampler.cpu.values())
    ratio_wall, ok_wall = within(wall_value, LIMIT_WALL_S)
    ratio_rss, ok_rss = within(max_proc, LIMIT_RSS_MIB)
    count_ok = selesai == args.jobs and files_present == args.jobs
    write_rows(
        args.out,
        [
            row(
                f"{args.jobs:,} journal PDFs through Celery, wall time "
                f"(worker CPU {cpu_s:.0f} s, {cpu_s * 1000 / args.jobs:.0f} ms per PDF)",
                command=command,
                size=size,
                value=wall_value,
                unit="s",
                limit=LIMIT_WALL_S,
                ratio=ratio_wall,
                ok=ok_wall,
                enqueue_s=round(enqueued, 1),
                per_pdf_ms=round(wall * 1000 / args.jobs, 1),
            ),
            row(
                "Celery worker peak RSS, largest single process",
                command=command,
                size=size,
                value=max_proc,
                unit="MiB",
                limit=LIMIT_RSS_MIB,
                ratio=ratio_rss,
                ok=ok_rss,
                main_mib=main_peak,
                children_mib=[v for v in child_peaks if v >= 5],
                processes_seen=len(peaks),
                samples=sampler.samples,
            ),
            row(
                "Celery worker peak RSS, sum of main + pool processes",
                command=command,
                size=size,
                value=sum_peak,
                unit="MiB",
                note="reported; the 300 MiB goal is per process",
            ),
            row(
                "Jobs ended SELESAI with a stored file",
                command=command,
                size=size,
                value=min(selesai, files_present),
                unit="jobs",
                limit=f"exactly {args.jobs:,}",
                ratio=round(min(selesai, files_present) / args.jobs, 3),
                ok=count_ok,
                selesai=selesai,
                gagal=sum(1 for j in jobs if j["status"] == Job.Status.GAGAL),
                distinct_files=len(files),
                files_present=files_present,
            ),
        ],
    )


if __name__ == "__main__":
    main()
