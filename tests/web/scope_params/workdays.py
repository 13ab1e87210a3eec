"""Scope walker parameters of the holiday calendar: one day in the calendar, and 987654. The calendar
is the country's, shared by every committee: office staff (either tree) may open it, no one else."""

from datetime import date


def provide(world, congresses, role, seen_orgs, seen_members):
    from dangbo.workdays.services import day_add, year_seed

    year_seed(actor=None, year=2026)
    row = day_add(actor=None, day=date(2026, 1, 6), kind="off", name="Nghỉ bù")
    visible = {row.id} if role in ("office", "outsider") else set()
    return {"calendar_day_id": [row.id, 987654]}, {"calendar_day_id": visible}
