"""The meetings demo on the test tree: idempotent, deterministic, with what the pages need to show."""

import random
from datetime import date

import pytest

from dangbo.audit.models import AuditEvent
from dangbo.meetings import selectors
from dangbo.meetings.demo import build_meetings_demo
from dangbo.meetings.models import Attendance, Meeting

pytestmark = pytest.mark.django_db
TODAY = date(2026, 7, 10)


def _snapshot():
    return sorted(Meeting.objects.values_list("organization__code", "held_on", "kind", "state", "minutes")), \
        sorted(Attendance.objects.values_list("meeting__held_on", "member__full_name", "status"))


def test_demo_idempotent_deterministic_and_useful(world):
    for i in range(6):
        world.add(world.a1 if i % 2 else world.b, f"Đảng viên Mẫu {i}")
    n = build_meetings_demo(root=world.root, today=TODAY, rng=random.Random("x"))
    assert n > 0 and AuditEvent.objects.filter(action="meeting.demo").count() == 1
    first = _snapshot()
    assert build_meetings_demo(root=world.root, today=TODAY, rng=random.Random("x")) == 0  # idempotent
    Meeting.objects.all().delete()
    build_meetings_demo(root=world.root, today=TODAY, rng=random.Random("x"))
    assert _snapshot() == first  # deterministic
    years = {c.org.code: c for c in selectors.cell_years(user=world.office, year=2026, today=TODAY)}
    assert 2 in years["A1"].gaps.quarters_short  # the first cell is a thematic meeting short in Q2 2026
    assert years["A2"].held >= 6
    warned = selectors.warning_list(user=world.office, year=2026, sources={})
    assert len(warned) >= 3 and all(len(w.absent_months) >= 3 for w in warned)
    # the next month is planned and invited, so a member's page has a meeting to answer
    assert Meeting.objects.filter(held_on=date(2026, 8, 3), state="planned", invited_at__isnull=False).exists()
    assert not Meeting.objects.filter(organization__valid_to__isnull=False).exists()


def test_demo_seats_each_grassroots_committee_once(world):
    """The demo records the grassroots committee's standing members (audited), so its committee's
    meetings have a roll; a second run adds none."""
    from dangbo.meetings.models import CommitteeSeat

    for i in range(5):
        world.add(world.a1, f"Cấp ủy Mẫu {i}")
    build_meetings_demo(root=world.root, today=TODAY, rng=random.Random("x"))
    seats = list(CommitteeSeat.objects.order_by("pk").values_list("organization_id", "body", "role", "until"))
    assert {s[0] for s in seats} == {world.a.id}  # the only grassroots committee of the tree
    assert [s[2] for s in seats] == ["secretary", "deputy", "member", "member", "member"]
    assert all(s[1] == "grassroots_committee" and s[3] is None for s in seats)
    assert AuditEvent.objects.filter(action="meeting.seat_add").count() == 5
    Meeting.objects.all().delete()
    build_meetings_demo(root=world.root, today=TODAY, rng=random.Random("x"))
    assert CommitteeSeat.objects.count() == 5


def test_the_seats_list_reads_secretary_deputy_then_members(world):
    """Roles were sorted by their codes, which put the secretary last («deputy» < «member» < «secretary»)."""
    from dangbo.meetings.selectors import committee_seats
    from dangbo.meetings.services import seat_add

    people = [world.add(world.a1, f"Cấp ủy {c}") for c in "ABC"]
    for m, role in zip(people, ("member", "secretary", "deputy"), strict=True):
        seat_add(actor=None, organization=world.a, body="grassroots_committee", member=m, role=role,
                 since=date(2025, 8, 1))
    assert [s.role for s in committee_seats(world.a)] == ["secretary", "deputy", "member"]
