"""TANGGAL_UJI really moves the clock the code reads (make test-tanggal)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import TANGGAL_UJI


@pytest.mark.tanggal_uji
def test_the_clock_starts_at_tanggal_uji_and_ticks_on():
    moment = dt.datetime.fromisoformat(TANGGAL_UJI)
    now = timezone.now()
    # The whole session may have run before this test; it still starts from there.
    assert moment <= now < moment + dt.timedelta(hours=2)
    assert timezone.localdate() == moment.astimezone(timezone.get_current_timezone()).date()
    assert timezone.now() > now  # ticking: durations and timeouts still pass
