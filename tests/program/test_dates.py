"""Month arithmetic: first days of months and clamped month steps."""

import datetime as dt

import pytest

from program.dates import add_months, month_start

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 5, 17), 0, D(2026, 5, 1)),
        (D(2026, 5, 31), 1, D(2026, 6, 1)),
        (D(2026, 12, 31), 1, D(2027, 1, 1)),
        (D(2027, 1, 1), -1, D(2026, 12, 1)),
        (D(2026, 7, 1), 11, D(2027, 6, 1)),
        (D(2026, 3, 15), -15, D(2024, 12, 1)),
        (D(2026, 1, 31), 1, D(2026, 2, 1)),
    ],
)
def test_month_start(day, months, expected):
    assert month_start(day, months=months) == expected


def test_month_start_of_a_datetime_is_a_date():
    moment = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert month_start(moment) == D(2026, 12, 1)
    assert type(month_start(moment)) is dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 1, 15), 1, D(2026, 2, 15)),
        (D(2026, 12, 31), 1, D(2027, 1, 31)),
        (D(2027, 1, 31), -1, D(2026, 12, 31)),
        (D(2026, 5, 31), -3, D(2026, 2, 28)),
        (D(2026, 5, 31), -6, D(2025, 11, 30)),
        (D(2026, 2, 28), 12, D(2027, 2, 28)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 6, 30), -30, D(2023, 12, 30)),
        (D(2026, 6, 30), 0, D(2026, 6, 30)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_add_months_keeps_the_time_and_zone_of_a_datetime():
    moment = dt.datetime(2026, 5, 31, 10, 0, tzinfo=dt.UTC)
    assert add_months(moment, -3) == dt.datetime(2026, 2, 28, 10, 0, tzinfo=dt.UTC)
