"""Redis (the Celery broker) down, then hung, then back, under a running app.

gunicorn and a Celery worker reach Redis (broker db 12, cache db 13, as in
docker-compose.yml both on one Redis) through a small TCP proxy in
this script, so Redis can "go down" for them without stopping the machine's
Redis: `down` closes the proxy (connection refused), `hang` accepts
connections and never answers (a stuck Redis), `up` forwards again.

In each phase pp1 saves the journal (autosave POST, as the page does while
typing) and asks for its PDF (the "Unduh PDF" link); the script reports status
codes and how long each request took, whether the job page says the job is
pending ("sedang tertunda"), and, once Redis is back, how long until every
pending job is SELESAI while the job pages are polled as job.js does — each
run exactly once (attempts 1, one file).

    .venv/bin/python scripts/reliability/redis_down.py

JOB_RESEND_AFTER_SECONDS is 5 here (30 in production) to keep the run short.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.reliability.sigkill_pdf import ROOT, prepare_database, service_env, wait_for
from scripts.reliability.web import Browser, free_port, start_gunicorn


class Proxy:
    """A TCP forwarder to Redis that can refuse, hang or forward."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = free_port()
        self.mode = "up"
        self.listener: socket.socket | None = None
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()

    def _listen(self) -> None:
        if self.listener is not None:
            return
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self.lock:
                self.open.append(client)
                if self.mode == "hang":
                    continue  # accepted, never answered
                try:
                    upstream = socket.create_connection(self.upstream, timeout=2)
                except OSError:
                    client.close()
                    continue
                upstream.settimeout(None)
                self.open.append(upstream)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.close()

    def _drop_connections(self) -> None:
        with self.lock:
            for s in self.open:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self.open.clear()

    def up(self) -> None:
        self._drop_connections()  # hung ones
        self.mode = "up"
        self._listen()

    def down(self) -> None:
        self.mode = "down"
        if self.listener is not None:
            self.listener.close()
            self.listener = None
        self._drop_connections()

    def hang(self) -> None:
        self.mode = "hang"
        self._drop_connections()
        self._listen()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "FAULTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rel_faults"
        ),
    )
    parser.add_argument("--redis", default="127.0.0.1:6379")
    parser.add_argument("--requests", type=int, default=5, help="PDF requests per outage phase")
    args = parser.parse_args()

    host, port = args.redis.split(":")
    proxy = Proxy((host, int(port)))
    proxy.up()
    work = Path(tempfile.mkdtemp(prefix="redis-down-"))
    env = service_env(
        database_url=args.database_url,
        broker_url=f"redis://127.0.0.1:{proxy.port}/12",
        # As in docker-compose.yml, the cache is on the same Redis and goes down with it.
        CACHE_URL=f"redis://127.0.0.1:{proxy.port}/13",
        media_root=str(work / "media"),
        JOB_RESEND_AFTER_SECONDS="5",
    )
    os.environ.update(env)
    import django

    django.setup()
    prepare_database(args.database_url)
    import redis
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from pendampingan import services as pendampingan_services
    from program.models import Job, PenugasanPP

    redis.Redis(host=host, port=int(port), db=12).delete("celery", "unacked", "unacked_index")
    pp1 = get_user_model().objects.get(username="pp1")
    pair = PenugasanPP.objects.get(cgp__user__username="cgp1", pp__user=pp1)
    sesi = pendampingan_services.sesi_get_or_create(actor=pp1, penugasan=pair, urutan=6)

    gunicorn = start_gunicorn(env, free_port(), work / "gunicorn.log")
    worker_log = (work / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-n",
            "redisdown@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    rows: list[tuple[str, str, int, float, str]] = []
    pending: list[str] = []
    counter = 0
    try:
        wait_for(lambda: " ready." in (work / "worker.log").read_text(), 90, 0.3, "worker")
        port_web = gunicorn.args[gunicorn.args.index("--bind") + 1].split(":")[1]
        browser = Browser(f"http://127.0.0.1:{port_web}")
        browser.login("pp1", env.get("DEMO_PASSWORD", "demo12345"))
        browser.request(reverse("pendampingan:sesi", args=[pair.pk, 6]))  # as a person would

        def save_and_request(phase: str) -> str:
            nonlocal counter
            counter += 1
            sesi.refresh_from_db()
            version = getattr(getattr(sesi, "jurnal", None), "version", 0)
            save = browser.request(
                f"/pendampingan/sesi/{sesi.pk}/jurnal/autosave/",
                {"version": version, "catatan": f"Catatan {phase} {counter}."},
                headers={"X-Requested-With": "fetch"},
            )
            rows.append((phase, "autosave", save.status, save.seconds, ""))
            pdf = browser.request(f"/pendampingan/sesi/{sesi.pk}/pdf/")
            job_id = (re.search(r"/unduhan/([0-9a-f-]{36})/", pdf.location) or [None, ""])[1]
            page = browser.request(f"/unduhan/{job_id}/") if job_id else None
            note = "tertunda" if page and "sedang tertunda" in page.body else ""
            rows.append((phase, "pdf", pdf.status, pdf.seconds, note))
            return job_id

        def finished(job_id: str) -> bool:
            reply = browser.request(f"/unduhan/{job_id}/status/")
            return reply.status == 200 and json.loads(reply.body)["finished"]

        job_id = save_and_request("up")
        wait_for(lambda: finished(job_id), 60, 0.5, "the first PDF")
        for phase, action in (("down", proxy.down), ("hang", proxy.hang)):
            action()
            time.sleep(1)
            for _ in range(args.requests if phase == "down" else max(2, args.requests // 2)):
                pending.append(save_and_request(phase))
        t_back = time.monotonic()
        proxy.up()

        def all_done() -> bool:
            return all([finished(j) for j in pending])  # polls every page, as job.js does

        wait_for(all_done, 180, 1.0, "the pending jobs after Redis came back")
        recovery = time.monotonic() - t_back
        time.sleep(3)  # anything sent twice would run now
    finally:
        for proc in (gunicorn, worker):
            proc.terminate()
        for proc in (gunicorn, worker):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        proxy.down()

    print(f"logs in {work}")
    problems = 0
    for phase in ("up", "down", "hang"):
        for kind in ("autosave", "pdf"):
            mine = [r for r in rows if r[0] == phase and r[1] == kind]
            codes = sorted({r[2] for r in mine})
            secs = [r[3] for r in mine]
            extra = ""
            if kind == "pdf" and phase != "up":
                pend = sum(1 for r in mine if r[4] == "tertunda")
                extra = f", page says 'sedang tertunda' {pend}/{len(mine)}"
                problems += len(mine) - pend
            expected = 200 if kind == "autosave" else 302
            problems += sum(1 for r in mine if r[2] != expected)
            print(
                f"{phase:>4} {kind:>8}: {len(mine)} requests, status {codes}, "
                f"median {statistics.median(secs):.2f} s, max {max(secs):.2f} s{extra}"
            )
    jobs = Job.objects.filter(pk__in=pending)
    once = [
        j
        for j in jobs
        if j.status == Job.Status.SELESAI
        and j.attempts == 1
        and len([p for p in (work / "media").rglob("*") if str(j.pk) in p.name]) == 1
    ]
    problems += len(pending) - len(once)
    print(
        f"Redis back: all {len(pending)} pending jobs SELESAI {recovery:.1f} s later; "
        f"{len(once)}/{len(pending)} ran exactly once (attempts 1, one file)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
