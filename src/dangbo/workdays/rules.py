"""Working days: Monday–Friday minus the days off, plus the Saturdays or Sundays worked in exchange.

Pure Python (no Django). Where the days come from is the workdays app's business (`selectors`):
the office's calendar, seeded from the `holidays` package and the Government's yearly notices.

- Bộ luật Lao động 2019, Điều 112: the public holidays (1/1, Tết, 10/3 âm lịch, 30/4, 1/5, 2/9 and a
  day next to it); a holiday falling on a weekend gives a compensatory day off (nghỉ bù).
- The Government (Thủ tướng / Bộ Nội vụ) announces each year the days swapped for civil servants:
  a working day made a day off (nghỉ) in exchange for a Saturday worked (làm bù).
- MEM-1 (DOMAIN.md, med): "working days = Monday–Friday minus Vietnamese public holidays"; the days
  swapped by the Government's notice are counted as it says (a Saturday worked is a working day).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum


class DayKind(StrEnum):
    """What a calendar entry makes of its day."""

    OFF = "off"  # a public holiday, a compensatory day off, a day off by the Government's notice
    WORKED = "worked"  # a weekend day worked in exchange (ngày làm bù)


KIND_LABELS = {DayKind.OFF: "Ngày nghỉ", DayKind.WORKED: "Ngày làm bù"}


def is_working_day(d: date, off: Iterable[date] | frozenset = frozenset(),
                   worked: Iterable[date] | frozenset = frozenset()) -> bool:
    """MEM-1 (med), Bộ luật Lao động 2019 Điều 112: Monday–Friday not off, or a weekend day worked."""
    if d in worked:
        return True
    return d.weekday() < 5 and d not in off


def add_working_days(start: date, n: int, off: Iterable[date] = (), worked: Iterable[date] = ()) -> date:
    """The n-th working day after `start`; `start` itself is not counted (n = 0: `start`).

    MEM-1, MEM-5, ADM-5 (med): "within N working days" ends on the day this returns. With `worked`
    empty it is `members.rules.add_working_days`.
    """
    if n < 0:
        raise ValueError("Số ngày làm việc không được âm.")
    off, worked = frozenset(off), frozenset(worked)
    d, left = start, n
    while left > 0:
        d += timedelta(days=1)
        if is_working_day(d, off, worked):
            left -= 1
    return d


def working_days_between(start: date, end: date, off: Iterable[date] = (), worked: Iterable[date] = ()) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    off, worked = frozenset(off), frozenset(worked)
    n, d = 0, start
    while d < end:
        d += timedelta(days=1)
        n += is_working_day(d, off, worked)
    return n


def day_problem(day: date, kind: str) -> str | None:
    """Why a calendar entry makes no sense (Vietnamese), or None: a day off on a weekend changes
    nothing (its compensatory weekday is the entry to make), a worked day must be a weekend day."""
    if kind == DayKind.OFF and day.weekday() >= 5:
        return (f"Ngày {day:%d/%m/%Y} là thứ Bảy hoặc Chủ nhật, vốn đã là ngày nghỉ; "
                "hãy ghi ngày nghỉ bù (ngày làm việc được nghỉ thay).")
    if kind == DayKind.WORKED and day.weekday() < 5:
        return f"Ngày {day:%d/%m/%Y} là ngày làm việc bình thường; ngày làm bù phải là thứ Bảy hoặc Chủ nhật."
    if kind not in (DayKind.OFF, DayKind.WORKED):
        return "Loại ngày không hợp lệ."
    return None
