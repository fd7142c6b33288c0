"""Month arithmetic, once for every app.

Two different questions are asked of months, so there are two functions:

* `month_start(day, months=n)`: the first day of a month (this one, or `n`
  months on). Monthly records (`bulan` fields), month pages and "previous /
  next month" links work with these.
* `add_months(moment, n)`: the same day and time `n` months on, clamped to the
  month's last day (31 January + 1 month = 28/29 February). Durations such as
  "not updated for two months" count with this.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TypeVar

D = TypeVar("D", dt.date, dt.datetime)


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def month_start(day: dt.date, *, months: int = 0) -> dt.date:
    """The first day of the month `months` after `day`'s month (its own by default)."""
    year, month = _shift(day.year, day.month, months)
    return dt.date(year, month, 1)


def add_months(moment: D, months: int) -> D:
    """The same day (and time, for a datetime) `months` later, or earlier when
    negative, clamped to the last day of a shorter month."""
    year, month = _shift(moment.year, moment.month, months)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
