"""Reads of the meetings app, every one scoped through `accounts.selectors.scope_of`: staff see the
meetings of their subtree, a member only the meetings of their own cell and their own rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, F, IntegerField, Value, When
from django.http import Http404

from dangbo.accounts.selectors import scope_of
from dangbo.meetings import rules
from dangbo.meetings.models import HELD, PLANNED, Attendance, CommitteeSeat, Meeting
from dangbo.meetings.services import CELL_KINDS, rule_settings
from dangbo.members import rules as member_rules
from dangbo.members.models import Member
from dangbo.orgs.models import Organization

#: Second sources of MTG-8 grounds: name → fn(org_path, year) returning {member_id: set("YYYY-MM")}.
#: The fees app registers "fees" (months not paid without good reason) at merge (`ground_register`).
GROUND_SOURCES: dict[str, Callable[[str, int], Mapping[int, set[str]]]] = {}


def ground_register(name: str, fn: Callable[[str, int], Mapping[int, set[str]]]) -> None:
    GROUND_SOURCES[name] = fn


def meeting_list(*, user, org: Organization | None = None, year: int | None = None):
    scope = scope_of(user)
    if not scope.sees_tree:
        return Meeting.objects.none()
    qs = Meeting.objects.filter(org_path__startswith=scope.org_path).select_related("organization")
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    if year:
        qs = qs.filter(held_on__year=year)
    return qs


def meeting_get(*, user, meeting_id: int) -> Meeting:
    """A meeting for staff covering its organisation (404 otherwise: its existence is not told)."""
    m = meeting_list(user=user).filter(pk=meeting_id).first()
    if m is None:
        raise Http404("Không tìm thấy buổi sinh hoạt.")
    return m


def own_row(*, user, meeting_id: int) -> Attendance:
    """A member's own row of a meeting of their cell (404 for anything else)."""
    scope = scope_of(user)
    row = None
    if scope.member_id:
        row = Attendance.objects.filter(meeting_id=meeting_id, member_id=scope.member_id) \
            .select_related("meeting", "meeting__organization", "member").first()
    if row is None:
        raise Http404("Không tìm thấy buổi sinh hoạt.")
    return row


def can_read_bulletin(user, meeting: Meeting) -> bool:
    scope = scope_of(user)
    if scope.sees_tree:
        return meeting.org_path.startswith(scope.org_path)
    return bool(scope.member_id) and meeting.attendance.filter(member_id=scope.member_id).exists()


def cell_orgs(*, user, under: Organization | None = None):
    """The cells (grassroots cells and cells under a grassroots committee) in force in the scope."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return Organization.objects.none()
    qs = Organization.objects.filter(path__startswith=scope.org_path, kind__in=CELL_KINDS, valid_to=None)
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    return qs.order_by("path")


def managed_orgs(*, user):
    """Organisations in scope that hold meetings (cells and grassroots committees), for the forms."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=scope.org_path, valid_to=None,
                                       kind__in=(*CELL_KINDS, "grassroots_committee")).order_by("path")


def committee_org_get(*, user, org_id: int) -> Organization:
    """An organisation with a committee (a cell or a grassroots committee) inside the user's scope."""
    org = managed_orgs(user=user).filter(pk=org_id).first()
    if org is None:
        raise Http404("Không tìm thấy tổ chức đảng.")
    return org


def committee_seats(org: Organization):
    """The organisation's committee seats, current ones first, with their members; within each, the
    secretary, the deputies, then the members (the order of the roles, not of their codes)."""
    rank = Case(*[When(role=code, then=Value(i)) for i, (code, _label) in enumerate(CommitteeSeat.ROLE_CHOICES)],
                output_field=IntegerField())
    return (CommitteeSeat.objects.filter(organization=org).select_related("member", "member__organization")
            .order_by("body", F("until").desc(nulls_first=True), rank, "member__name_sort"))


def committee_candidates(org: Organization):
    """Members who may be seated on the organisation's committee: its current members."""
    return Member.objects.filter(org_path__startswith=org.path, state__in=member_rules.COUNTED_STATES) \
        .select_related("organization").order_by("name_sort", "id")


# ------------------------------------------------------------------------------------- quality


def _runs_before(meeting: Meeting) -> dict[int, int]:
    """Each member's longest run of absences with reason over the year's held meetings of the cell,
    up to and including this one (MTG-5)."""
    history: dict[int, list[str]] = defaultdict(list)
    rows = Attendance.objects.filter(
        meeting__organization_id=meeting.organization_id, meeting__body=meeting.body, meeting__state=HELD,
        meeting__held_on__year=meeting.held_on.year, meeting__held_on__lte=meeting.held_on,
    ).exclude(meeting_id=meeting.pk).order_by("meeting__held_on", "meeting_id").values_list("member_id", "status")
    for member_id, status in rows:
        history[member_id].append(status)
    for a in meeting.attendance.all():
        history[a.member_id].append(a.status)
    return {m: rules.excused_streaks(h) for m, h in history.items()}


def quality_of(meeting: Meeting) -> rules.Quality | None:
    """MTG-5 for a held meeting (None before it is recorded)."""
    if meeting.state != HELD:
        return None
    statuses = [a.status for a in meeting.attendance.all() if a.status]
    speakers = len([s for s in meeting.speakers.splitlines() if s.strip()])
    members = {a.member_id for a in meeting.attendance.all()}
    runs = [r for m, r in _runs_before(meeting).items() if m in members]
    return rules.meeting_quality(statuses, minutes=meeting.minutes, kind=meeting.kind, speakers=speakers,
                                 excused_runs=runs, has_minutes=bool(meeting.proceedings or meeting.resolution),
                                 settings=rule_settings())


@dataclass
class CellYear:
    org: Organization
    year: int
    held: int = 0
    planned: int = 0
    passed: int = 0
    present: int = 0
    expected: int = 0
    gaps: rules.PlanGaps | None = None

    @property
    def attendance_pct(self) -> float | None:
        return 100 * self.present / self.expected if self.expected else None


def cell_years(*, user, year: int, today: date, under: Organization | None = None) -> list[CellYear]:
    """Per cell and year: meetings held and planned, how many met every MTG-5 criterion, attendance
    (present / expected) and the plan's gaps up to this month (MTG-1/2). Two queries for all cells;
    the quality of each held meeting from its own attendance (the excused-run criterion is read on
    the meeting page)."""
    return cells_year(cell_orgs(user=user, under=under), year=year, today=today)


def cells_year(cells: Iterable[Organization], *, year: int, today: date) -> list[CellYear]:
    """`cell_years` for the cells given, read without a user: the caller has chosen them (the
    programme's measures read every cell of the tree, `programme.measures`)."""
    cells = {o.pk: CellYear(o, year) for o in cells}
    if not cells:
        return []
    upto = 12 if year < today.year else (today.month if year == today.year else 0)
    settings = rule_settings()
    meetings = list(Meeting.objects.filter(organization_id__in=cells, body=rules.Body.CELL, held_on__year=year)
                    .values("id", "organization_id", "kind", "state", "held_on", "minutes", "proceedings",
                            "resolution"))
    statuses: dict[int, list[str]] = defaultdict(list)
    for mid, status in Attendance.objects.filter(meeting_id__in=[m["id"] for m in meetings if m["state"] == HELD]) \
            .values_list("meeting_id", "status"):
        if status:
            statuses[mid].append(status)
    held: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for m in meetings:
        c = cells[m["organization_id"]]
        if m["state"] == PLANNED:
            c.planned += 1
        if m["state"] != HELD:
            continue
        c.held += 1
        held[c.org.pk].append((m["held_on"].month, m["kind"]))
        q = rules.meeting_quality(statuses[m["id"]], minutes=m["minutes"], kind=m["kind"],
                                  has_minutes=bool(m["proceedings"] or m["resolution"]), settings=settings)
        c.passed += q.passed
        c.present += q.present
        c.expected += q.expected
    for c in cells.values():
        c.gaps = rules.plan_gaps(held[c.org.pk], upto_month=upto, settings=settings)
    return list(cells.values())


# ------------------------------------------------------------------------------------- warnings


@dataclass
class WarningRow:
    member: Member
    months: dict[str, list[str]] = field(default_factory=dict)
    grounds: tuple[str, ...] = ()

    @property
    def absent_months(self) -> list[str]:
        return self.months.get(rules.GROUND_ABSENCE, [])

    @property
    def unpaid_months(self) -> list[str]:
        return self.months.get(rules.GROUND_FEES, [])

    @property
    def ground_labels(self) -> list[str]:
        return [rules.GROUND_LABELS.get(g, g) for g in self.grounds]


def absence_ground(org_path: str, year: int) -> dict[int, set[str]]:
    """{member id: months of `year` absent without reason from a held cell meeting} under `org_path`."""
    out: dict[int, set[str]] = defaultdict(set)
    rows = Attendance.objects.filter(meeting__org_path__startswith=org_path, meeting__body=rules.Body.CELL,
                                     meeting__state=HELD, meeting__held_on__year=year,
                                     status=rules.Attendance.ABSENT).values_list("member_id", "meeting__held_on")
    for member_id, day in rows:
        out[member_id].add(rules.month_key(day.year, day.month))
    return out


def warning_list(*, user, year: int, under: Organization | None = None,
                 sources: Mapping[str, Callable[[str, int], Mapping[int, set[str]]]] | None = None) -> list[WarningRow]:
    """The MTG-8 list for the cell or the upper level: members of the scope (or of `under`) who meet a
    ground in `year`, with the months. Grounds: absence from attendance, plus every registered source
    (`GROUND_SOURCES`, e.g. fees) — each a function (org_path, year) → {member_id: set(months)}."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return []
    path = under.path if under is not None and under.path.startswith(scope.org_path) else scope.org_path
    grounds = {rules.GROUND_ABSENCE: absence_ground(path, year)}
    for name, fn in (GROUND_SOURCES if sources is None else sources).items():
        grounds[name] = fn(path, year)
    found = rules.removal_warnings(grounds, year, settings=rule_settings())
    members = Member.objects.in_bulk([w.member for w in found])
    rows = [WarningRow(members[w.member], w.months, w.grounds) for w in found
            if w.member in members and members[w.member].org_path.startswith(path)]
    return sorted(rows, key=lambda r: (r.member.org_path, r.member.name_sort))


# ------------------------------------------------------------------------------------- dashboard


def dashboard(*, user, today: date, under: Organization | None = None) -> dict:
    """Cells without this month's meeting or this quarter's thematic meeting (so far), and attendance
    per grassroots organisation this year (cells summed)."""
    years = cell_years(user=user, year=today.year, today=today, under=under)
    q = rules.quarter_of(today.month)
    held = defaultdict(set)
    for org_id, day, kind in Meeting.objects.filter(
            organization_id__in=[c.org.pk for c in years], body=rules.Body.CELL, state=HELD,
            held_on__year=today.year, held_on__month__gte=3 * q - 2).values_list("organization_id", "held_on", "kind"):
        held[org_id].add((day.month, kind))
    no_month = [c for c in years if not any(m == today.month and k != "extraordinary" for m, k in held[c.org.pk])]
    no_thematic = [c for c in years if not any(k == "thematic" for _m, k in held[c.org.pk])]
    scope = scope_of(user)
    depth = (under or Organization.objects.filter(path=scope.org_path).first())
    groups: dict[str, dict] = {}
    for c in years:
        key = _group_path(c.org.path, depth.path if depth else "")
        g = groups.setdefault(key, {"path": key, "present": 0, "expected": 0, "cells": 0, "passed": 0, "held": 0})
        g["present"] += c.present
        g["expected"] += c.expected
        g["cells"] += 1
        g["passed"] += c.passed
        g["held"] += c.held
    names = dict(Organization.objects.filter(path__in=groups).values_list("path", "name"))
    rows = []
    for key, g in sorted(groups.items()):
        g["name"] = names.get(key, "")
        g["pct"] = 100 * g["present"] / g["expected"] if g["expected"] else None
        rows.append(g)
    return {"no_month": no_month, "no_thematic": no_thematic, "groups": rows, "quarter": q, "years": years}


def _group_path(path: str, top: str) -> str:
    """The organisation one level under `top` that contains `path` (the cell itself when directly under)."""
    rest = path[len(top):].split("/")
    return top + rest[0] + "/" if rest and rest[0] else path


# ------------------------------------------------------------------------------------- a member's page


def member_page(*, user, today: date) -> dict:
    scope = scope_of(user)
    if not scope.member_id:
        return {"next": None, "history": []}
    rows = Attendance.objects.filter(member_id=scope.member_id).select_related("meeting", "meeting__organization")
    upcoming = rows.filter(meeting__state=PLANNED, meeting__held_on__gte=today).order_by("meeting__held_on").first()
    history = list(rows.filter(meeting__state=HELD).order_by("-meeting__held_on")[:24])
    return {"next": upcoming, "history": history}
