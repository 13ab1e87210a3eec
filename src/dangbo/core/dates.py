"""Dates and times as the committee reads them: in Asia/Ho_Chi_Minh (settings.TIME_ZONE), dd/mm/yyyy
and HH:MM. Everything that turns a date or time into text outside a template (messages, services,
documents) goes through these; templates use the `vn_date` / `vn_datetime` / `vn_time` filters of
`web/templatetags/vn.py`, which call them.

Datetimes are stored in UTC (USE_TZ); `strftime` on a stored value would print UTC — 7 hours early.
"""

from datetime import date, datetime

from django.utils import timezone


def local_time(dt: datetime) -> datetime:
    """An aware datetime in the committee's time zone; a naive one is taken as already local."""
    if timezone.is_aware(dt):
        return timezone.localtime(dt)
    return dt


def vn_date(d: date | datetime | None) -> str:
    """05/03/2026 (a datetime: its local date); "" for None."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = local_time(d)
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def vn_time(dt: datetime | None) -> str:
    """14:05 in the committee's time zone; "" for None."""
    if dt is None:
        return ""
    dt = local_time(dt)
    return f"{dt.hour:02d}:{dt.minute:02d}"


def vn_datetime(dt: datetime | None) -> str:
    """05/03/2026 14:05 in the committee's time zone; "" for None."""
    if dt is None:
        return ""
    return f"{vn_date(dt)} {vn_time(dt)}"
