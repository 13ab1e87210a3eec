"""Meetings services and selectors: validation, nothing half-saved, quality, vote base, warnings."""

import os
from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput
from dangbo.meetings import selectors, services
from dangbo.meetings.models import Attendance, Meeting

pytestmark = pytest.mark.django_db


def test_create_lists_the_cells_members_and_refuses_bad_input(world):
    m = services.meeting_create(actor=None, organization=world.a1, held_on=date(2026, 3, 3), topic="Nghị quyết quý I")
    assert [a.member for a in m.attendance.all()] == [world.hung]
    assert AuditEvent.objects.filter(action="meeting.create", object_id=str(m.id)).exists()
    before = Meeting.objects.count()
    with pytest.raises(InvalidInput, match="Nội dung chính"):
        services.meeting_create(actor=None, organization=world.a1, held_on=date(2026, 4, 3), topic="a\u202eb")
    with pytest.raises(InvalidInput, match="MTG-1"):
        services.meeting_create(actor=None, organization=world.root, held_on=date(2026, 4, 3))
    with pytest.raises(InvalidInput, match="chuyên đề"):
        services.meeting_create(actor=None, organization=world.a, body="grassroots_committee", kind="thematic",
                                held_on=date(2026, 4, 3))
    assert Meeting.objects.count() == before


def test_plan_is_idempotent(world):
    assert services.plan_create(actor=None, organization=world.a1, year=2026) == 16
    assert services.plan_create(actor=None, organization=world.a1, year=2026) == 0
    assert Attendance.objects.filter(meeting__organization=world.a1).count() == 16
    assert services.plan_create(actor=None, organization=world.a, year=2026, body="plenary") == 2
    # the plenary gathers every member of the grassroots organisation
    plenary = Meeting.objects.filter(organization=world.a, body="plenary").first()
    assert {a.member for a in plenary.attendance.all()} == {world.hung, world.lan}


def test_prepare_invitation_needs_topic_and_place(world):
    m = services.meeting_create(actor=None, organization=world.a1, held_on=date(2026, 3, 3))
    with pytest.raises(InvalidInput, match="địa điểm"):
        services.meeting_prepare(actor=None, meeting=m, data={"topic": "Quý I"}, invite=True)
    m.refresh_from_db()
    assert m.topic == "" and m.invited_at is None  # nothing half-saved
    with pytest.raises(InvalidInput, match="trước ngày sinh hoạt"):
        services.meeting_prepare(actor=None, meeting=m, data={}, committee_met_on=date(2026, 3, 5))
    services.meeting_prepare(actor=None, meeting=m, data={"topic": "Quý I", "place": "Hội trường",
                                                          "draft_content": "Dòng 1\nDòng 2", "upper_member": "Đ/c Bình"},
                             committee_met_on=date(2026, 3, 1), invite=True)
    m.refresh_from_db()
    assert set(m.prepared) == {"draft_content", "committee_met", "invited_members", "invited_upper"}


def test_bulletin_bounded_and_checked(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    m = services.meeting_create(actor=None, organization=world.a1, held_on=date(2026, 3, 3))
    with pytest.raises(InvalidInput, match="PDF hoặc Word"):
        services.bulletin_attach(actor=None, meeting=m, name="x.exe", chunks=[b"MZ"], size=2)
    with pytest.raises(InvalidInput, match="không phải PDF"):
        services.bulletin_attach(actor=None, meeting=m, name="x.pdf", chunks=[b"<html>"], size=6)
    big = services.BULLETIN_MAX_BYTES + 1
    with pytest.raises(InvalidInput, match="MB"):
        services.bulletin_attach(actor=None, meeting=m, name="x.pdf", chunks=[b"%PDF-1.7"], size=big)
    # a lying size is caught while streaming
    with pytest.raises(InvalidInput, match="MB"):
        services.bulletin_attach(actor=None, meeting=m, name="x.pdf", size=10,
                                 chunks=[b"%PDF-" + b"0" * (1024 * 1024)] * 11)
    m.refresh_from_db()
    assert m.bulletin_name == "" and list((tmp_path / "uploads" / "meetings").iterdir()) == []
    services.bulletin_attach(actor=None, meeting=m, name="Bản tin 3-2026.pdf", chunks=[b"%PDF-1.7 ..."], size=12)
    path = services.bulletin_path(m)
    assert m.bulletin_name == "Bản tin 3-2026.pdf" and path.read_bytes() == b"%PDF-1.7 ..."
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"


def _cell(world, n=9):
    people = [world.add(world.a1, f"Đảng viên {i}") for i in range(n)]
    return people


def test_attendance_record_quality_and_vote(world):
    _cell(world)
    m = services.meeting_create(actor=None, organization=world.a1, held_on=date(2026, 3, 3))
    rows = list(m.attendance.order_by("id"))
    entries = {a.id: ("present", "") for a in rows}
    entries[rows[0].id] = ("excused", "Đi công tác")
    with pytest.raises(InvalidInput, match="chưa điểm danh"):
        services.meeting_record(actor=None, meeting=m, data={}, minutes=95, votes_for=None, votes_against=None)
    with pytest.raises(InvalidInput):
        services.attendance_record(actor=None, meeting=m, entries={**entries, rows[1].id: ("late", "")})
    assert not Attendance.objects.filter(meeting=m).exclude(status="").exists()  # all or nothing
    services.attendance_record(actor=None, meeting=m, entries=entries)
    with pytest.raises(InvalidInput, match="lớn hơn"):
        services.meeting_record(actor=None, meeting=m, data={}, minutes=95, votes_for=10, votes_against=0)
    m.refresh_from_db()
    assert m.state == "planned"
    services.meeting_record(actor=None, meeting=m, data={"chair": "Bí thư", "resolution": "Quyết nghị …",
                                                         "speakers": "A\nB\nC"},
                            minutes=95, votes_for=6, votes_against=2)
    m.refresh_from_db()
    assert (m.state, m.vote_base, m.resolution_passed) == ("held", 10, True)
    q = selectors.quality_of(m)
    assert q.passed and (q.present, q.expected) == (9, 10)


def test_record_refused_before_the_day(world):
    m = services.meeting_create(actor=None, organization=world.a1, held_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(InvalidInput, match="Chưa đến ngày"):
        services.meeting_record(actor=None, meeting=m, data={}, minutes=90, votes_for=None, votes_against=None)


def test_reply_before_the_meeting(world):
    m = services.meeting_create(actor=None, organization=world.a2, held_on=timezone.localdate() + timedelta(days=5))
    row = m.attendance.get(member=world.lan)
    with pytest.raises(InvalidInput, match="lý do"):
        services.reply_record(actor=None, attendance=row, will_attend=False)
    row.refresh_from_db()
    assert row.reply == ""
    services.reply_record(actor=None, attendance=row, will_attend=False, reason="Đi công tác Hà Nội")
    row.refresh_from_db()
    assert (row.reply, row.reply_reason) == ("no", "Đi công tác Hà Nội")
    past = services.meeting_create(actor=None, organization=world.a2, held_on=date(2026, 1, 3))
    with pytest.raises(InvalidInput, match="đã qua"):
        services.reply_record(actor=None, attendance=past.attendance.get(member=world.lan), will_attend=True)


def _held(world, org, day, statuses):
    m = services.meeting_create(actor=None, organization=org, held_on=day)
    services.attendance_record(actor=None, meeting=m, entries={a.id: (statuses.get(a.member_id, "present"), "")
                                                               for a in m.attendance.all()})
    services.meeting_record(actor=None, meeting=m, data={"resolution": "…"}, minutes=90, votes_for=None,
                            votes_against=None)
    return m


def test_warning_list_from_attendance_and_a_second_source(world):
    for month in (1, 4, 9):
        _held(world, world.a1, date(2026, month, 3), {world.hung.id: "absent"})
    _held(world, world.a2, date(2026, 2, 3), {world.lan.id: "absent"})
    rows = selectors.warning_list(user=world.office, year=2026, sources={})
    assert [(r.member, r.absent_months, r.grounds) for r in rows] == [
        (world.hung, ["2026-01", "2026-04", "2026-09"], ("absence",))]
    fees = {"fees": lambda path, year: {world.lan.id: {"2026-01", "2026-02", "2026-03"}, world.stranger.id: {"2026-01", "2026-02", "2026-03"}}}
    rows = selectors.warning_list(user=world.secretary, year=2026, sources=fees)
    assert {(r.member, r.grounds) for r in rows} == {(world.hung, ("absence",)), (world.lan, ("fees",))}
    assert selectors.warning_list(user=world.outsider, year=2026, sources={}) == []
    assert selectors.warning_list(user=world.member_user, year=2026) == []


def test_cell_years_and_dashboard(world):
    _cell(world, 3)
    _held(world, world.a1, date(2026, 1, 3), {})
    today = date(2026, 2, 10)
    years = {c.org: c for c in selectors.cell_years(user=world.office, year=2026, today=today)}
    assert years[world.a1].held == 1 and years[world.a1].gaps.missing_months == [2]
    assert years[world.a2].gaps.missing_months == [1, 2]
    d = selectors.dashboard(user=world.office, today=today)
    assert {c.org for c in d["no_month"]} == {world.a1, world.a2, world.b}
    assert [g["name"] for g in d["groups"]] == ["Đảng bộ cơ sở A", "Chi bộ cơ sở B"]
    assert d["groups"][0]["pct"] == 100
    assert selectors.dashboard(user=world.outsider, today=today)["groups"][0]["name"] == "Chi bộ cơ sở X1"


def test_committee_meetings_have_a_roll(world):
    """Item 5: a committee's seats are the expected list of its meetings, like a cell's members: seated
    members are on the roll (planned meetings included), a member who leaves is taken off the meetings
    not yet held, the attendance and the quality count on them; bad input refused, nothing saved."""
    from dangbo.meetings.models import CommitteeSeat

    before = services.meeting_create(actor=None, organization=world.a, body="grassroots_committee",
                                     held_on=date(2026, 3, 3))
    assert before.attendance.count() == 0  # nobody seated yet
    for m, role in ((world.hung, "secretary"), (world.lan, "member")):
        services.seat_add(actor=None, organization=world.a, body="grassroots_committee", member=m, role=role,
                          since=date(2025, 10, 1))
    assert set(before.attendance.values_list("member_id", flat=True)) == {world.hung.id, world.lan.id}
    later = services.meeting_create(actor=None, organization=world.a, body="grassroots_committee",
                                    held_on=date(2026, 4, 2))
    assert set(later.attendance.values_list("member_id", flat=True)) == {world.hung.id, world.lan.id}
    with pytest.raises(InvalidInput) as e:
        services.seat_add(actor=None, organization=world.a, body="cell_committee", member=world.stranger,
                          role="king", since=None)
    assert set(e.value.errors) == {"body", "member", "role", "since"}
    with pytest.raises(InvalidInput, match="đã là cấp ủy viên"):
        services.seat_add(actor=None, organization=world.a, body="grassroots_committee", member=world.lan,
                          since=date(2026, 1, 1))
    assert CommitteeSeat.objects.count() == 2
    seat = CommitteeSeat.objects.get(member=world.lan)
    services.seat_end(actor=None, seat=seat, until=date(2026, 3, 15))
    assert set(later.attendance.values_list("member_id", flat=True)) == {world.hung.id}
    assert set(before.attendance.values_list("member_id", flat=True)) == {world.hung.id, world.lan.id}
    rows = {a.member_id: a.id for a in before.attendance.all()}
    services.attendance_record(actor=None, meeting=before, entries={rows[world.hung.id]: ("present", ""),
                                                                    rows[world.lan.id]: ("absent", "")})
    services.meeting_record(actor=None, meeting=before, data={"resolution": "…"}, minutes=95, votes_for=None,
                            votes_against=None)
    before.refresh_from_db()
    q = selectors.quality_of(before)
    assert (q.present, q.expected) == (1, 2)
    assert AuditEvent.objects.filter(action__in=["meeting.seat_add", "meeting.seat_end"]).count() == 3
