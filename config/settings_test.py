"""Settings for the test suite: production settings with test-only defaults.

Everything else (DATABASE_URL, CELERY_BROKER_URL) still comes from the
environment, so CI runs the same suite against PostgreSQL and Redis.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("HTTPS", "0")

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Hashing demo passwords with PBKDF2 would dominate the suite's run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# pytest's live_server mounts a media handler at MEDIA_URL; nothing is served
# there (uploads go through views that check access), it only needs a prefix.
MEDIA_URL = "/media/"

# N+1 queries fail the suite (django-zeal, issue #9): every GET the tests make
# runs inside zeal's context, which raises when a relation is loaded one row at
# a time from a list of rows (tests/nplusone.py says why not POSTs).
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE, "tests.nplusone.zeal_untuk_bacaan"]  # noqa: F405
ZEAL_RAISE = True

# pytest-xdist runs the suite in one process per core, each with its own test
# database. A test that starts a real Celery worker points it at its process's
# database, so each process also gets its own Redis database for the queue:
# otherwise one process's worker takes another's job and finds no such row.
# Fixed by the process's name alone, so a worker started from a test (which
# inherits PYTEST_XDIST_WORKER) lands on the same one.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if CELERY_BROKER_URL.startswith("redis") and _xdist_worker.startswith("gw"):  # noqa: F405
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(CELERY_BROKER_URL)  # noqa: F405
    CELERY_BROKER_URL = urlunsplit(_parts._replace(path=f"/{1 + int(_xdist_worker[2:]) % 15}"))
    # Celery prefers the environment's CELERY_BROKER_URL to the settings'.
    os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL
