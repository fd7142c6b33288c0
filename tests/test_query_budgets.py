"""Queries per page of every role's main pages, pinned at two data sizes (issue #9).

The main pages of each demo role and the coordinator's dashboards are those
scripts/bench/queries.py and scripts/bench/load.py measure (MAIN_PAGES,
DASHBOARDS). Each must stay within 15 queries, and cost the same at the demo
size and at three times the demo: a count that grows with the data is an N+1
that the national scale multiplies.
"""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scripts.bench.queries import DASHBOARD_ROLE, DASHBOARDS, MAIN_PAGES
from tests import test_url_access as matrix

LIMIT = 15
PAGES = [(role, name) for role, names in MAIN_PAGES.items() for name in names] + [
    (DASHBOARD_ROLE, name) for name in DASHBOARDS
]


def _count_all(client, ctx) -> dict[str, tuple[int, int]]:
    """(queries, status) of each main page, counted on its second request
    (the first fills per-process caches such as ContentType's).

    The region dashboards keep their numbers in Django's cache for a few
    minutes (program.ringkasan): each page is counted with an empty cache (the
    numbers computed) and again right after ("… (cache)", read back)."""
    counts = {}
    for role, name in PAGES:
        client.force_login(ctx.users[role])
        url = reverse(name, kwargs=matrix.EXPECTED[name].kwargs(ctx))
        client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts[f"{name} [{role}]"] = (len(captured), response.status_code)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts[f"{name} [{role}] (cache)"] = (len(captured), response.status_code)
    return counts


@pytest.mark.django_db
def test_main_pages_cost_at_most_15_queries_and_the_same_at_two_sizes(client):
    call_command("seed_demo", stdout=io.StringIO())
    ctx = matrix._build_context()
    small = _count_all(client, ctx)
    # Twice as many copies of the demo population again (scale 3 in all).
    call_command("seed_demo", "--scale", "3", stdout=io.StringIO())
    large = _count_all(client, ctx)

    wrong = {page: status for page, (_n, status) in {**small, **large}.items() if status != 200}
    assert not wrong, f"pages that did not answer 200: {wrong}"
    over = {page: n for page, (n, _s) in large.items() if n > LIMIT}
    assert not over, f"pages over {LIMIT} queries: {over}"
    grew = {
        page: (small[page][0], large[page][0]) for page in small if small[page][0] != large[page][0]
    }
    assert not grew, f"pages whose query count changed with the data (small, large): {grew}"


def test_every_main_page_is_in_the_url_matrix():
    """A renamed URL must be renamed here too, not silently dropped."""
    for role, name in PAGES:
        assert name in matrix.EXPECTED, name
        assert matrix.EXPECTED[name].expected(role) == 200, f"{role} does not read {name}"
