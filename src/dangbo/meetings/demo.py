"""The demo's cell meetings: every cell of the committee's grassroots organisations meets monthly from
January 2025 to the demo's month (MTG-1), with a thematic meeting in each quarter's last month (MTG-2)
— except a few missed months, one cell a thematic meeting short in the second quarter of 2026, and,
in the current month, some cells that have not met yet (so the dashboard has something to show).
Attendance is taken for every held meeting; a few members are absent without reason in three months
of 2026 (the MTG-8 warning list). The next month's meeting is planned, prepared and the invitation
sent, so a member's own page has something to answer. Plenaries of the grassroots committees meet
in June and December. Each grassroots committee's standing members (a secretary, a deputy and three
members, from 1/8/2025, after the congress) are recorded as its committee's seats, so a committee
meeting has its roll.

Deterministic from `rng`; idempotent (a committee that already has meetings is left as it is). Rows
are written with bulk_create through `services.demo_bulk` (one audit event), to stay within the
demo's time budget.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from dangbo.meetings import rules
from dangbo.meetings.models import HELD, MISSED, PLANNED, Meeting
from dangbo.meetings.services import CELL_KINDS, demo_bulk
from dangbo.members import rules as member_rules
from dangbo.members.models import Member
from dangbo.orgs.models import Organization

FIRST_YEAR = 2025
TOPICS = ("Kiểm điểm thực hiện nhiệm vụ tháng, đề ra nhiệm vụ tháng tới", "Triển khai nghị quyết của cấp trên",
          "Công tác phát triển đảng viên", "Thu, nộp đảng phí và công tác kiểm tra, giám sát")
THEMES = ("ho_chi_minh", "anti_corruption", "party_building", "unit_work")
PLACES = ("Hội trường cơ quan", "Phòng họp tầng 2", "Nhà văn hóa khu phố", "Phòng họp chi bộ")
REASONS = ("Đi công tác", "Ốm, có giấy của cơ sở y tế", "Việc gia đình, đã báo chi ủy", "Đi học tập trung")


def _months(today: date):
    """(year, month) from January 2025 to the month after today's."""
    y, m = FIRST_YEAR, 1
    end = (today.year + (today.month == 12), today.month % 12 + 1)
    while (y, m) <= end:
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def build_meetings_demo(*, root: Organization, today: date, rng: random.Random) -> int:
    if Meeting.objects.filter(org_path__startswith=root.path).exists():
        return 0
    cells = list(Organization.objects.filter(path__startswith=root.path, kind__in=CELL_KINDS, valid_to=None)
                 .order_by("path"))
    if not cells:
        return 0
    people: dict[int, list[Member]] = {c.pk: [] for c in cells}
    for m in Member.objects.filter(organization__in=cells, state__in=member_rules.COUNTED_STATES).order_by("pk"):
        people[m.organization_id].append(m)
    active = [m for c in cells for m in people[c.pk] if m.state != member_rules.EXEMPT and not m.away]
    warned = {m.pk: sorted(rng.sample(range(1, min(today.month, 11) + 1), 3)) for m in rng.sample(active, 4)} \
        if today.year >= 2026 and today.month >= 3 and len(active) >= 4 else {}
    keep = {(m.organization_id, mo) for m in active if m.pk in warned for mo in warned[m.pk]}
    short_cell = cells[0].pk  # one quarter (2026 Q2) short of its thematic meeting
    meetings: list[Meeting] = []
    attendance: list[tuple] = []
    next_month = (today.year + (today.month == 12), today.month % 12 + 1)
    for cell in cells:
        for y, mo in _months(today):
            day = rules.meeting_date(y, mo)
            kinds = [rules.Kind.ORDINARY.value]
            if mo % 3 == 0 and not (cell.pk == short_cell and (y, mo) == (2026, 6)):
                kinds.append(rules.Kind.THEMATIC.value)
            for kind in kinds:
                on = day + timedelta(days=1) if kind == rules.Kind.THEMATIC else day
                meeting = Meeting(organization=cell, org_path=cell.path, body=rules.Body.CELL, kind=kind, held_on=on,
                                  theme=THEMES[(mo // 3 - 1) % 4] if kind == rules.Kind.THEMATIC else "",
                                  topic=TOPICS[mo % len(TOPICS)] if kind == rules.Kind.ORDINARY else
                                  "Sinh hoạt chuyên đề: " + rules.THEMES[THEMES[(mo // 3 - 1) % 4]])
                if on > today:
                    if (y, mo) == next_month and kind == rules.Kind.ORDINARY:
                        _prepare(meeting, rng, today)
                    meetings.append(meeting)
                    _rows(attendance, len(meetings) - 1, people[cell.pk], None, rng, warned)
                    continue
                this_month = (y, mo) == (today.year, today.month)
                skip = rng.random()
                if (y == 2026 and (cell.pk, mo) in keep) or (y, mo) == (2026, 6):
                    skip = 1.0  # the warned members' absences and the short quarter stay visible
                if (this_month and skip < 0.15) or (not this_month and skip < 0.03):
                    meeting.state = PLANNED if this_month else MISSED
                    meetings.append(meeting)
                    _rows(attendance, len(meetings) - 1, people[cell.pk], None, rng, warned)
                    continue
                _hold(meeting, rng, kind)
                meetings.append(meeting)
                _vote(meeting, _rows(attendance, len(meetings) - 1, people[cell.pk], on, rng, warned))
    for gc in Organization.objects.filter(path__startswith=root.path, kind="grassroots_committee", valid_to=None):
        for y in range(FIRST_YEAR, today.year + 1):
            for mo in (6, 12):
                on = rules.meeting_date(y, mo)
                meetings.append(Meeting(organization=gc, org_path=gc.path, body=rules.Body.PLENARY, held_on=on,
                                        topic="Hội nghị đảng viên sơ kết, tổng kết",
                                        state=HELD if on <= today else PLANNED, minutes=150 if on <= today else None,
                                        place=PLACES[0]))
    written = demo_bulk(actor=None, meetings=meetings, attendance=attendance,
                        label=f"Sinh hoạt chi bộ mẫu {FIRST_YEAR}–{today.year}")
    _seats(root)
    return written


def _seats(root: Organization) -> None:
    """MTG-1: five seats on each grassroots committee's committee (`services.seat_add`, audited): its
    first official members in the registry's order — invented people, like the whole demo."""
    from dangbo.meetings.models import CommitteeSeat
    from dangbo.meetings.services import seat_add

    roles = ("secretary", "deputy", "member", "member", "member")
    for gc in Organization.objects.filter(path__startswith=root.path, kind="grassroots_committee", valid_to=None):
        if CommitteeSeat.objects.filter(organization=gc).exists():
            continue  # recorded already (by the office, or an earlier demo)
        people = Member.objects.filter(org_path__startswith=gc.path, state=member_rules.OFFICIAL).order_by("pk")[:5]
        for member, role in zip(people, roles, strict=False):
            seat_add(actor=None, organization=gc, body=rules.Body.GRASSROOTS_COMMITTEE.value, member=member,
                     role=role, since=date(2025, 8, 1))


def _prepare(m: Meeting, rng: random.Random, today: date) -> None:
    m.place = rng.choice(PLACES)
    m.starts_at = time(14, 0)
    m.draft_content = "1. Đánh giá kết quả tháng trước.\n2. Phổ biến bản tin sinh hoạt chi bộ.\n3. Nhiệm vụ tháng tới."
    m.draft_resolution = "Chi bộ thống nhất các nhiệm vụ trọng tâm của tháng."
    m.committee_met_on = m.held_on - timedelta(days=3)
    m.upper_member = "Đồng chí Ủy viên Ban Thường vụ phụ trách"
    m.invited_at = datetime.combine(today, time(1, 0), tzinfo=UTC)


def _hold(m: Meeting, rng: random.Random, kind: str) -> None:
    m.state = HELD
    m.place = rng.choice(PLACES)
    need = 120 if kind == rules.Kind.THEMATIC else 90
    m.minutes = need + rng.choice((0, 5, 10, 20, 30)) if rng.random() > 0.08 else need - 15
    m.chair, m.secretary = "Bí thư chi bộ", "Phó Bí thư chi bộ"
    m.speakers = "\n".join(f"Ý kiến {i}" for i in range(1, rng.randint(3, 7)))
    m.proceedings = "Chi bộ nghe báo cáo, thảo luận và thống nhất nhiệm vụ."
    m.resolution = "Chi bộ thống nhất thông qua nghị quyết sinh hoạt tháng."


def _rows(out: list, index: int, members: list[Member], held_on: date | None, rng: random.Random,
          warned: dict[int, list[int]]) -> list[tuple]:
    added = []
    for person in members:
        status, reason = "", ""
        if person.state == member_rules.EXEMPT:
            status = rules.Attendance.EXEMPT.value
        elif person.away:
            status = rules.Attendance.AWAY.value
        elif held_on is not None:
            roll = rng.random()
            if held_on.year == 2026 and held_on.month in warned.get(person.pk, ()) and held_on.day == 3:
                status = rules.Attendance.ABSENT.value
            elif roll < 0.07:
                status, reason = rules.Attendance.EXCUSED.value, rng.choice(REASONS)
            elif roll < 0.075:
                status = rules.Attendance.ABSENT.value
            else:
                status = rules.Attendance.PRESENT.value
        row = (index, person.pk, person.state in member_rules.OFFICIAL_STATES, status, reason)
        out.append(row)
        added.append(row)
    return added


def _vote(m: Meeting, rows: list[tuple]) -> None:
    base = rules.resolution_base(rules.Voter(official, status) for _i, _m, official, status, _r in rows)
    present = sum(1 for _i, _m, official, status, _r in rows if official and status == rules.Attendance.PRESENT)
    m.vote_base, m.votes_for, m.votes_against = base, present, 0
    m.resolution_passed = rules.resolution_vote(agree=present, base=base).passed if base else None
