"""Resident memory of one process rendering journal PDFs back to back.

The figure behind CELERY_WORKER_MAX_TASKS_PER_CHILD: how much a pool process
grows per WeasyPrint render and whether it levels off. Renders the journal
PDF of pp1's sessions in turn (the real job handler, in this process) and
prints the RSS after selected renders.

    .venv/bin/python scripts/reliability/render_memory.py [--renders 100]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.reliability.sigkill_pdf import prepare_database, service_env


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=100)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "FAULTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rel_faults"
        ),
    )
    args = parser.parse_args()
    env = service_env(
        database_url=args.database_url,
        broker_url="",
        media_root=tempfile.mkdtemp(prefix="render-memory-"),
    )
    os.environ.update(env)
    import django

    django.setup()
    prepare_database(args.database_url)
    from django.contrib.auth import get_user_model

    from pendampingan import access
    from pendampingan.pdf import jurnal_pdf
    from program.models import Job

    pp1 = get_user_model().objects.get(username="pp1")
    sessions = list(access.sesi_pi_content_visible_to(pp1).values_list("pk", flat=True))
    marks = {1, 5, 10, 20, 30, 50, 75, 100, 150, 200}
    print(f"before the first render: {rss_mib():.0f} MiB")
    started = time.monotonic()
    for n in range(1, args.renders + 1):
        job = Job(
            kind="pendampingan.jurnal",
            requested_by=pp1,
            params={"sesi": sessions[n % len(sessions)]},
        )
        t = time.monotonic()
        jurnal_pdf(job, lambda percent: None)
        if n <= 2:
            print(f"render {n} took {time.monotonic() - t:.2f} s")
        if n in marks or n == args.renders:
            print(f"after {n:3d} renders: {rss_mib():.0f} MiB")
    per = (time.monotonic() - started) / args.renders
    print(f"{per:.2f} s per render on average")
    return 0


if __name__ == "__main__":
    sys.exit(main())
