"""GET never writes: every page each demo role reaches, with its SQL captured.

Prefetchers, the service worker, a second tab and crawlers all send GETs, so a
GET that inserts, updates or deletes a row writes on nobody's behalf (a PI
page that planned its session, and froze its template, on being looked at; a
PDF link that queued a job). Records are created by the action that means it:
scheduling, saving, a button posting a job.

Each role walks the URL × role matrix of tests/test_url_access.py (its URLs,
their objects, its demo database) and then every link those pages show it,
one step further: the PP's grid links to PI pages not planned yet, lists link
to their rows. Nothing but the login session may be written. Logging in
(last_login, the session row, login throttling) happens in the fixture,
before anything is captured.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from tests.test_url_access import (  # noqa: F401  (fixtures, used by name)
    ANON,
    EXPECTED,
    ROLES,
    _close,
    _eager_celery_and_private_media,
    client_for,
    demo_db,
)

# Tables a request may write to without the user doing anything: the session
# (messages, the CSRF token, a refreshed expiry) and login throttling.
ALLOWED_TABLES = frozenset(
    {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
)
_WRITE = re.compile(
    r"""^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+["`]?(\w+)""",
    re.IGNORECASE,
)


def writes(queries) -> list[str]:
    """The statements among `queries` that change a table other than ALLOWED_TABLES."""
    found = []
    for query in queries:
        match = _WRITE.match(query["sql"])
        if match and match.group(1).lower() not in ALLOWED_TABLES:
            found.append(query["sql"][:160])
    return found


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(html: str) -> list[str]:
    """The site's own page links of a page (no static files, media, admin, anchors)."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith((settings.STATIC_URL, "/admin/")):
            continue
        try:
            resolve(parts.path)
        except Resolver404:
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _matrix_urls(ctx) -> list[str]:
    """Every GET URL of the access matrix, with the objects it is asked about."""
    urls = []
    for name in sorted(EXPECTED):
        spec = EXPECTED[name]
        if spec.post_only or spec.method != "GET":
            continue
        urls.extend(reverse(name, kwargs=kwargs(ctx)) for kwargs in spec.all_kwargs())
    return urls


def _get(client, url: str, problems: list[str]):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        _close(response)
    for sql in writes(captured.captured_queries):
        problems.append(f"GET {url} → {response.status_code}: {sql}")
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("role", [ANON, *ROLES])
def test_get_never_writes(demo_db, role):  # noqa: F811  (the imported fixture)
    client = client_for(demo_db, role)
    problems: list[str] = []
    seen: set[str] = set()
    pending: list[str] = []
    for url in _matrix_urls(demo_db):
        if url in seen:
            continue
        seen.add(url)
        response = _get(client, url, problems)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pending.extend(_links(response.content.decode()))
    # One step further: the links those pages show this role. A link to a
    # POST-only view (a job, a write) would be a write waiting for a GET.
    for url in pending:
        if url in seen:
            continue
        seen.add(url)
        name = resolve(urlsplit(url).path).view_name
        if name in EXPECTED and EXPECTED[name].post_only:
            problems.append(f"a page links to {url}, which should only answer POST")
        _get(client, url, problems)
    assert not problems, f"{len(problems)} GET requests of {role} write:\n" + "\n".join(problems)
    assert len(seen) > 20  # the walk reached the role's pages


def test_writes_recognises_what_it_must():
    queries = [
        {"sql": 'INSERT INTO "pendampingan_sesipi" ("penugasan_id") VALUES (1)'},
        {"sql": 'UPDATE "program_job" SET "status" = \'antre\''},
        {"sql": 'DELETE FROM "pmo_akarmasalah" WHERE id = 1'},
        {"sql": 'UPDATE "django_session" SET "expire_date" = now()'},
        {"sql": 'INSERT INTO "axes_accesslog" ("username") VALUES (\'pp1\')'},
        {"sql": 'SELECT "program_job"."id" FROM "program_job" WHERE "status" = \'UPDATE\''},
        {"sql": 'SAVEPOINT "s1"'},
    ]
    assert [sql.split()[0] for sql in writes(queries)] == ["INSERT", "UPDATE", "DELETE"]


@pytest.mark.django_db
def test_the_pages_of_stuck_and_pending_jobs_write_nothing(client, demo):
    """A job in trouble is shown as it is (failed, or waiting for the broker);
    recording it so is for the poll (a POST) and the beat sweep."""
    from program.models import Job

    long_ago = timezone.now() - dt.timedelta(days=1)
    running = Job.objects.create(
        kind="program.daftar_sekolah", requested_by=demo["pp1"], status=Job.Status.BERJALAN
    )
    never_sent = Job.objects.create(kind="program.daftar_sekolah", requested_by=demo["pp1"])
    Job.objects.filter(pk__in=[running.pk, never_sent.pk]).update(
        created_at=long_ago, started_at=long_ago
    )
    Job.objects.filter(pk=never_sent.pk).update(started_at=None)
    client.force_login(demo["pp1"])
    problems: list[str] = []
    for job in (running, never_sent):
        for name in ("program:job-detail", "program:job-status"):
            assert _get(client, reverse(name, args=[job.pk]), problems).status_code == 200
    assert not problems, "\n".join(problems)
    assert "Pemrosesan terhenti" in client.get(running.get_absolute_url()).content.decode()
