"""Vietnamese public holidays for working-day deadlines (MEM-1 recognition, MEM-5 transfers).

Working days are Monday–Friday minus public holidays and the compensatory days off the government
announces (Bộ luật Lao động 2019, Điều 112). The one function below is the only place that knows
where holidays come from: the office's holiday calendar (`dangbo.workdays`: the years the office
keeps, seeded from the `holidays` package and the Government's notices, edited on its page; other
years straight from the package).
"""

from __future__ import annotations

from datetime import date


def public_holidays(start: date, end: date) -> frozenset[date]:
    """Every Vietnamese public holiday and day off on a weekday from `start` to `end` inclusive
    (years outside 1900–2200 have none: the library knows no calendar there). The weekend days worked
    in exchange are `dangbo.workdays.selectors.calendar_days`'s second set."""
    from dangbo.workdays.selectors import calendar_days

    return calendar_days(start, end)[0]
