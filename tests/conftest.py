import contextlib
import os
import socket
import subprocess
from urllib.parse import urlparse

import pytest
from django.conf import settings

from config.celery import app as celery_app

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, what: str) -> None:
    """A test that needs a service: fails in CI when it is missing, skips elsewhere."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available", pytrace=False)
    pytest.skip(f"{what} not available")


def tcp_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def which(cmd: str) -> bool:
    return subprocess.run(["sh", "-c", f"command -v {cmd}"], capture_output=True).returncode == 0


@pytest.fixture(autouse=True)
def _eager_celery_and_private_media(settings, tmp_path):
    """Tasks run in-process unless a test starts a real worker; files go to a temp dir."""
    settings.MEDIA_ROOT = tmp_path / "media"
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached dashboards, sessions or
    rate-limit counters of one test must not answer in the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    # A test may have pointed the cache at a server that is down.
    with contextlib.suppress(Exception):
        cache.clear()


@pytest.fixture
def demo(db):
    """The documented demo population (seed_demo at scale 1)."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


def uses_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, tests of SQLite's own code path (marked `sqlite_only`,
    e.g. the SQLite backup) are deselected rather than skipped: their
    PostgreSQL counterparts run instead, and CI output shows no skip."""
    if not uses_postgres():
        return
    dropped = [item for item in items if item.get_closest_marker("sqlite_only")]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not item.get_closest_marker("sqlite_only")]
