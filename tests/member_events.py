"""Test helper shared by the property tests that drive members through random events (orgs counters,
reports tallies): the arguments a random event of `kind` needs, drawn from `pick`."""

from datetime import date

from dangbo.members.models import Member
from dangbo.members.rules import add_months
from dangbo.orgs.models import Organization


def event_kwargs(kind: str, member: Member, on: date, pick: int, cells: list[Organization]) -> dict:
    if kind == "transfer_internal":
        return {"to_org": cells[pick % len(cells)]}  # sometimes the same organisation: refused
    if kind == "transfer_out":
        return {"place": "Đảng bộ tỉnh Tuyên Quang"}
    if kind == "temp_transfer_out":
        host = cells[pick % len(cells)]
        where = {"to_org": host} if pick % 3 and host.pk != member.organization_id else {"place": "Trường Chính trị"}
        return {**where, "end_date": add_months(on, 3 + pick % 8)}
    if kind == "transfer_in":
        return {"details": {"status": ("official", "probationary")[pick % 2]}}
    if kind == "discipline":
        levels = ("reprimand", "warning") if member.state == "probationary" else (
            "reprimand", "warning", "dismissal", "expulsion")
        return {"details": {"level": levels[pick % len(levels)]}}
    if kind == "badge":
        return {"details": {"tier": 30}}
    return {}
