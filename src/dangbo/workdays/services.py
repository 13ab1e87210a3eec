"""Writes of the holiday calendar (office staff): seed a year, add a day, remove a day.

Each validates, writes and records an audit event in one transaction. Permission (office only) is
checked in the views through `accounts.selectors.require_office`.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.core.textcheck import clean_text, model_limits
from dangbo.workdays import rules
from dangbo.workdays.models import GOVERNMENT, OFFICE, PACKAGE, CalendarDay, CalendarYear
from dangbo.workdays.selectors import YEARS, package_days


def _year_check(year: int) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        raise InvalidInput(f"Năm {year} nằm ngoài khoảng {YEARS[0]}–{YEARS[1]}.", field="year")


def year_seed(*, actor, year: int, org_path: str = "") -> CalendarYear:
    """Put `year` in the calendar from the `holidays` package: the law's holidays and compensatory
    days on weekdays (a holiday on a weekend changes no count), the days off the Government swapped
    («Ngày nghỉ (thay cho …)») and the weekend days worked for them. Days already there (the
    office's) are kept. Refused if the year is in."""
    _year_check(year)
    with transaction.atomic():
        if CalendarYear.objects.filter(year=year).exists():
            raise InvalidInput(f"Năm {year} đã có trong lịch.", field="year")
        cal = CalendarYear.objects.create(year=year)
        have = set(CalendarDay.objects.filter(day__year=year).values_list("day", flat=True))
        rows = [CalendarDay(day=d, kind=kind, name=name[:120],
                            source=GOVERNMENT if kind == rules.DayKind.WORKED or "thay cho" in name else PACKAGE)
                for d, (kind, name) in package_days(year).items() if d not in have]
        CalendarDay.objects.bulk_create(rows)
        audit_record(actor=actor, action="workdays.year_seed", obj=cal, org_path=org_path,
                     after={"year": year, "days": len(rows)})
    return cal


def day_add(*, actor, day: date, kind: str, name: str, org_path: str = "") -> CalendarDay:
    """Add a day off or a weekend day worked (office). Refused: a weekend day off, a weekday
    "worked", a day already in the calendar, a year not yet in the calendar."""
    limits = model_limits(CalendarDay, ["name"])
    label, max_length = limits["name"]
    name = clean_text(name, field="name", label=label, max_length=max_length)
    if not name:
        raise InvalidInput(f"Trường «{label}» không được để trống.", field="name")
    _year_check(day.year)
    problem = rules.day_problem(day, kind)
    if problem:
        raise InvalidInput(problem, field="kind" if kind not in rules.KIND_LABELS else "day")
    with transaction.atomic():
        if not CalendarYear.objects.filter(year=day.year).exists():
            raise InvalidInput(f"Năm {day.year} chưa có trong lịch; hãy đưa năm vào lịch trước.", field="day")
        if CalendarDay.objects.filter(day=day).exists():
            raise InvalidInput(f"Ngày {day:%d/%m/%Y} đã có trong lịch.", field="day")
        row = CalendarDay.objects.create(day=day, kind=kind, name=name, source=OFFICE)
        audit_record(actor=actor, action="workdays.day_add", obj=row, org_path=org_path,
                     after={"day": day, "kind": kind, "name": name})
    return row


def day_remove(*, actor, day_id: int, org_path: str = "") -> None:
    """Remove a day from the calendar (it becomes an ordinary day again)."""
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(pk=day_id).first()
        if row is None:
            raise InvalidInput("Ngày này không có trong lịch.", field="day")
        audit_record(actor=actor, action="workdays.day_remove", obj=row, org_path=org_path,
                     before={"day": row.day, "kind": row.kind, "name": row.name})
        row.delete()
