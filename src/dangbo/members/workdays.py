"""Vietnamese public holidays for working-day deadlines (MEM-1 recognition, MEM-5 transfers).

Working days are Monday–Friday minus public holidays and the compensatory days off the government
announces (Bộ luật Lao động 2019, Điều 112). The one function below is the only place that knows
where holidays come from: today the `holidays` package (PyPI; its Vietnam calendar includes Tết and
the announced days off), later the office's own editable calendar. Pure Python.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays as _holidays


@lru_cache(maxsize=64)
def _year(year: int) -> frozenset[date]:
    return frozenset(_holidays.country_holidays("VN", years=year))


def public_holidays(start: date, end: date) -> frozenset[date]:
    """Every Vietnamese public holiday and day off from `start` to `end` inclusive (years
    outside 1900–2200 have none: the library knows no calendar there)."""
    out: set[date] = set()
    for year in range(max(start.year, 1900), min(end.year, 2200) + 1):
        out |= {d for d in _year(year) if start <= d <= end}
    return frozenset(out)
