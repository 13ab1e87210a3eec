"""Reads of the holiday calendar: the days off and the weekend days worked between two dates.

A year in the calendar (`CalendarYear`) is read from the database; any other year from the
`holidays` package (the law's public holidays and the compensatory days it knows), so a deadline
is computed the same way before and after the office seeds the year — only the office's edits change it.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays as _holidays
from django.db import DatabaseError
from django.http import Http404

from dangbo.workdays.models import CalendarDay, CalendarYear
from dangbo.workdays.rules import DayKind

YEARS = (1900, 2200)  # outside these the package knows no calendar


@lru_cache(maxsize=64)
def package_days(year: int) -> dict[date, tuple[str, str]]:
    """The `holidays` package's Vietnamese calendar of `year`: {day: (kind, name)} — the public
    holidays, compensatory days and days off swapped by the Government's notices that fall on a
    weekday (kind off), and the weekend days worked in exchange (kind worked)."""
    if not YEARS[0] <= year <= YEARS[1]:
        return {}
    cal = _holidays.country_holidays("VN", years=year, language="vi")
    out = {d: (DayKind.OFF, str(name)) for d, name in cal.items() if d.weekday() < 5}
    for d in sorted(getattr(cal, "weekend_workdays", ())):
        if d.year == year:
            swapped = [o for o, (_k, n) in out.items() if f"{d:%d/%m/%Y}" in n]
            out[d] = (DayKind.WORKED, "Ngày làm bù" + (f" (cho ngày nghỉ {swapped[0]:%d/%m/%Y})" if swapped else ""))
    return dict(sorted(out.items()))


def calendar_days(start: date, end: date) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, weekend days worked) from `start` to `end` inclusive."""
    years = range(max(start.year, YEARS[0]), min(end.year, YEARS[1]) + 1)
    try:
        kept = set(CalendarYear.objects.filter(year__in=list(years)).values_list("year", flat=True))
        rows = list(CalendarDay.objects.filter(day__gte=start, day__lte=end).values_list("day", "kind")) if kept else []
    except DatabaseError:  # a database not migrated yet (the command line on a fresh install)
        kept, rows = set(), []
    off = {d for d, k in rows if d.year in kept and k == DayKind.OFF}
    worked = {d for d, k in rows if d.year in kept and k == DayKind.WORKED}
    for year in years:
        if year not in kept:
            for d, (kind, _name) in package_days(year).items():
                if start <= d <= end:
                    (off if kind == DayKind.OFF else worked).add(d)
    return frozenset(off), frozenset(worked)


def day_get(day_id: int) -> CalendarDay:
    row = CalendarDay.objects.filter(pk=day_id).first()
    if row is None:
        raise Http404("Ngày này không có trong lịch.")
    return row


def year_list(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(day__year=year))


def years_kept() -> list[int]:
    return list(CalendarYear.objects.values_list("year", flat=True))
