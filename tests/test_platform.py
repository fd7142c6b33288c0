"""The platform as a person runs it: make run's path, a real worker, deployment."""

import http.cookiejar
import io
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from config.celery import app as celery_app
from program.jobs import job_request
from program.models import Job, Peran
from tests.conftest import require, tcp_open, uses_postgres, which
from tests.factories import PenugasanSekolahFactory, SekolahFactory, UserFactory

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "DJANGO_SETTINGS_MODULE",
            "SECRET_KEY",
            "DEBUG",
            "HTTPS",
        )
    }
    env.update(extra)
    return env


def manage(*args, env, timeout=180):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def test_make_run_path_on_sqlite_serves_login_home_and_in_process_jobs(tmp_path):
    """migrate + seed_demo + runserver on the embedded default, then use it."""
    env = clean_env(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    migrate = manage("migrate", "--no-input", env=env)
    assert migrate.returncode == 0, migrate.stderr
    seed = manage("seed_demo", env=env)
    assert seed.returncode == 0, seed.stderr
    assert "pp1" in seed.stdout and "demo12345" in seed.stdout

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(100):
            try:
                login_page = opener.open(f"{base}/masuk/", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("runserver did not answer")
        assert "Nama pengguna" in login_page and "Kata sandi" in login_page
        css = opener.open(f"{base}/static/vendor/bootstrap/bootstrap.min.css", timeout=5)
        assert css.status == 200

        def csrf():
            return next(c.value for c in jar if c.name == "csrftoken")

        form = urllib.parse.urlencode(
            {"username": "fasilitator1", "password": "demo12345", "csrfmiddlewaretoken": csrf()}
        ).encode()
        home = opener.open(f"{base}/masuk/", data=form, timeout=10).read().decode()
        assert "Sekolah binaan saya" in home and "SMA Negeri 1 Selong" in home

        form = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf()}).encode()
        job_page = opener.open(f"{base}/sekolah/pdf/", data=form, timeout=60)
        assert "Selesai" in job_page.read().decode()  # tasks run in-process
        job_id = re.search(r"/unduhan/([0-9a-f-]{36})/", job_page.url).group(1)
        pdf = opener.open(f"{base}/unduhan/{job_id}/berkas/", timeout=10).read()
        assert "SMA Negeri 1 Selong" in pdf_text(pdf)
    finally:
        server.terminate()
        server.wait(10)


def test_production_settings_pass_check_deploy(tmp_path):
    env = clean_env(
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="pendampingan.example.id",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_docker_compose_file_is_valid():
    require(which("docker-compose"), "docker-compose (Debian package)")
    env = clean_env(SECRET_KEY="x" * 60)
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    services = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config", "--services"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()
    assert set(services) == {"db", "redis", "web", "worker", "beat"}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_pdf_job_through_a_real_celery_worker_on_redis(settings):
    broker = settings.CELERY_BROKER_URL
    require(uses_postgres(), "PostgreSQL (DATABASE_URL)")
    require(bool(broker) and tcp_open(broker, 6379), "Redis (CELERY_BROKER_URL)")

    user = UserFactory()
    from program.models import Orang

    orang = Orang.objects.create(user=user, nama="Hj. Baiq Maryam, S.Pd., M.Pd")
    sekolah = SekolahFactory(nama="SMP Negeri 2 Sakra")
    PenugasanSekolahFactory(orang=orang, sekolah=sekolah, peran=Peran.FASILITATOR)

    db = settings.DATABASES["default"]
    db_url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
        **{
            k: urllib.parse.quote(str(db.get(k) or ""), safe="")
            for k in ("USER", "PASSWORD", "HOST", "PORT", "NAME")
        }
    )
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings_test",
        DATABASE_URL=db_url,
        CELERY_BROKER_URL=broker,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    celery_app.control.purge()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    celery_app.conf.task_always_eager = False
    try:
        job = job_request(kind="program.daftar_sekolah", actor=user)  # autocommit: sent now
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert job.status == Job.Status.SELESAI, output[-3000:]
    assert "succeeded" in output  # it was the worker, not this process
    text = pdf_text(job.result.read())
    assert "SMP Negeri 2 Sakra" in text and "Hj. Baiq Maryam, S.Pd., M.Pd" in text
