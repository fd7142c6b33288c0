import contextlib
import datetime as dt
import os
import shutil
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import override_settings

from config.celery import app as celery_app

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# TANGGAL_UJI=2027-01-01T06:00+07:00 runs the suite as if it were then (the
# clock ticks on from there): `make test-tanggal` runs the date-sensitive
# modules on the dates in its Makefile. Demo data is seeded relative to it.
TANGGAL_UJI = os.environ.get("TANGGAL_UJI", "")


def pytest_configure(config):
    if TANGGAL_UJI:
        import time_machine

        moment = dt.datetime.fromisoformat(TANGGAL_UJI)
        if moment.tzinfo is None:
            raise pytest.UsageError("TANGGAL_UJI needs a UTC offset, e.g. 2027-01-01T06:00+07:00")
        time_machine.travel(moment, tick=True).start()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """On PostgreSQL every test database is a copy of one migrated template
    (tests/pgtemplate.py): the first process builds it, before pytest-xdist
    starts its workers, which then find it."""
    if not uses_postgres():
        return
    from pytest_django.plugin import blocking_manager_key

    from tests import pgtemplate

    with session.config.stash[blocking_manager_key].unblock():
        pgtemplate.use_template(pgtemplate.ensure_template())


def pytest_report_header(config):
    if TANGGAL_UJI:
        return f"TANGGAL_UJI: the clock starts at {TANGGAL_UJI}"
    return None


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
    """Tasks run in-process unless a test starts a real worker; files go to a
    temp dir, which starts with the demo's uploads (the demo's rows name them)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_media_into(settings.MEDIA_ROOT)
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


# Where the session's demo uploads live once django_db_setup has seeded them,
# and the seeded database's contents (tests/dbsnapshot.py).
_demo_media: Path | None = None
_demo_snapshot = None


def demo_media_into(media_root) -> None:
    """Give a MEDIA_ROOT the demo's uploaded files (hard links: the demo's
    copies stay as seeded whatever a test does to its own)."""
    if _demo_media is not None:
        shutil.copytree(_demo_media, media_root, copy_function=os.link, dirs_exist_ok=True)


def _seed_demo() -> None:
    from django.core.management import call_command

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """The test database (one per xdist worker) holds the documented demo
    population from the start: seed_demo runs once per worker, committed, and
    every test's transaction is rolled back over it. Tests that build their
    own data see the demo beside it, as they would in production.

    Transactional tests run after all others (pytest-django orders them so)
    and flush the database; the `demo` fixture puts the seeded state back for
    them from a snapshot taken here (`restore_demo`).
    """
    global _demo_media, _demo_snapshot
    from tests import dbsnapshot

    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        _seed_demo()
        _demo_snapshot = dbsnapshot.capture()
    _demo_media = media
    yield


def restore_demo() -> None:
    """The demo population as seeded, in a database a transactional test
    flushed (or one that still holds it: then nothing happens)."""
    from django.contrib.auth import get_user_model

    from tests import dbsnapshot

    if get_user_model().objects.filter(username="operator1").exists():
        return
    if _demo_snapshot is None:
        _seed_demo()
    else:
        dbsnapshot.restore(_demo_snapshot)


@pytest.fixture
def demo(db):
    """The documented demo population (seed_demo at scale 1), by username."""
    from django.contrib.auth import get_user_model

    restore_demo()  # after a transactional test's flush
    return {u.username: u for u in get_user_model().objects.all()}


def uses_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, tests of SQLite's own code path (marked `sqlite_only`,
    e.g. the SQLite backup) are deselected rather than skipped: their
    PostgreSQL counterparts run instead, and CI output shows no skip. So are
    the checks of the frozen clock when the clock is not frozen.
    """
    dropped = [
        item
        for item in items
        if (uses_postgres() and item.get_closest_marker("sqlite_only"))
        or (not TANGGAL_UJI and item.get_closest_marker("tanggal_uji"))
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]
