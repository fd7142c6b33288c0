"""The database unreachable mid-request (PostgreSQL restarting): an Indonesian
503 page without a stack trace, and the next request works again.

The real restart is scripts/reliability/pg_restart.py (docs/RELIABILITY.md); the
suite simulates the error, since restarting PostgreSQL would break the other
tests running against it.
"""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError

from program import selectors
from tests.factories import UserFactory


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
    ],
)
def test_database_down_gives_a_503_page_in_indonesian_then_recovers(client, db, error):
    client.force_login(UserFactory())
    client.raise_request_exception = False
    with mock.patch.object(selectors, "beranda", side_effect=error):
        response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "Layanan sedang tidak tersedia" in body and "coba lagi" in body
    assert "Traceback" not in body and "server closed" not in body and "connection" not in body

    assert client.get("/").status_code == 200  # no restart of the app needed


def test_other_errors_still_give_the_indonesian_500_page(client, db):
    client.force_login(UserFactory())
    client.raise_request_exception = False
    with mock.patch.object(selectors, "beranda", side_effect=RuntimeError("bug")):
        response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan di server" in body
    assert "Traceback" not in body and "RuntimeError" not in body
