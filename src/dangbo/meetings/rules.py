"""Rules of party meetings (sinh hoạt chi bộ, cấp ủy, đảng bộ) and the removal warning.

Pure Python (no Django). Rule ids (MTG-1..MTG-8) refer to /work/shared/DOMAIN.md; every rule
function's docstring cites its id, the regulation and DOMAIN.md's confidence. The med/low numbers are
fields of `MeetingRuleSettings` (defaults in `DEFAULTS`, sources in `SETTING_INFO`).

Months are written "YYYY-MM" (as in the `dangbo cell warnings` files); `month_key` and `parse_month`
convert. Attendance statuses are those of the command's A.csv: present, absent (without good reason),
excused (absent with a good reason), exempt (from activities, MEM-4) and away (on temporary transfer
elsewhere, MEM-5).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from dangbo.core import rulesettings

# --------------------------------------------------------------------------------------------------
# MTG-1: who meets, and the kinds of meeting
# --------------------------------------------------------------------------------------------------


class Body(StrEnum):
    """Who holds the meeting (MTG-1)."""

    CELL = "cell"  # chi bộ (cơ sở or trực thuộc)
    CELL_COMMITTEE = "cell_committee"  # chi ủy
    GRASSROOTS_COMMITTEE = "grassroots_committee"  # đảng ủy cơ sở
    PLENARY = "plenary"  # hội nghị đảng viên toàn đảng bộ cơ sở (twice a year)


BODIES: tuple[str, ...] = tuple(b.value for b in Body)
BODY_LABELS: dict[str, str] = {
    Body.CELL: "Chi bộ",
    Body.CELL_COMMITTEE: "Chi ủy",
    Body.GRASSROOTS_COMMITTEE: "Đảng ủy cơ sở",
    Body.PLENARY: "Hội nghị đảng viên đảng bộ cơ sở",
}


class Kind(StrEnum):
    ORDINARY = "ordinary"  # sinh hoạt thường kỳ
    THEMATIC = "thematic"  # sinh hoạt chuyên đề (MTG-2)
    EXTRAORDINARY = "extraordinary"  # sinh hoạt bất thường


KINDS: tuple[str, ...] = tuple(k.value for k in Kind)
KIND_LABELS: dict[str, str] = {
    Kind.ORDINARY: "Thường kỳ",
    Kind.THEMATIC: "Chuyên đề",
    Kind.EXTRAORDINARY: "Bất thường",
}

#: MTG-2's themes (Chỉ thị 50 §2).
THEMES: dict[str, str] = {
    "ho_chi_minh": "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "anti_corruption": "Phòng, chống tham nhũng, tiêu cực",
    "party_building": "Xây dựng, chỉnh đốn Đảng",
    "unit_work": "Nhiệm vụ chính trị của đơn vị",
    "other": "Chủ đề khác",
}


#: bodies whose members are a committee (their roll is the committee's seats, `models.CommitteeSeat`)
COMMITTEE_BODIES: tuple[str, ...] = (Body.CELL_COMMITTEE.value, Body.GRASSROOTS_COMMITTEE.value)


def bodies_for(org_kind: str) -> tuple[str, ...]:
    """The bodies of an organisation of this kind that must meet (MTG-1 — Điều lệ Đảng, Điều 22.4,
    22.6, 24.2; high): a grassroots committee (đảng bộ cơ sở) — its committee monthly, all its members
    twice a year; a cell (grassroots or under a committee) and its cell committee — monthly. Kinds of
    the org tree (`orgs.rules.OrgKind`) are taken as strings to keep this module free of imports."""
    if org_kind == "grassroots_committee":
        return (Body.GRASSROOTS_COMMITTEE.value, Body.PLENARY.value)
    if org_kind in ("grassroots_cell", "cell"):
        return (Body.CELL.value, Body.CELL_COMMITTEE.value)
    return ()


# --------------------------------------------------------------------------------------------------
# Attendance
# --------------------------------------------------------------------------------------------------


class Attendance(StrEnum):
    PRESENT = "present"  # có mặt
    ABSENT = "absent"  # vắng không có lý do
    EXCUSED = "excused"  # vắng có lý do
    EXEMPT = "exempt"  # miễn sinh hoạt (MEM-4)
    AWAY = "away"  # sinh hoạt tạm thời nơi khác (MEM-5)


STATUSES: tuple[str, ...] = tuple(a.value for a in Attendance)
STATUS_LABELS: dict[str, str] = {
    Attendance.PRESENT: "Có mặt",
    Attendance.ABSENT: "Vắng không lý do",
    Attendance.EXCUSED: "Vắng có lý do",
    Attendance.EXEMPT: "Miễn sinh hoạt",
    Attendance.AWAY: "Sinh hoạt tạm thời nơi khác",
}
#: Not expected at the meeting: not counted in the attendance rate (MTG-5).
NOT_EXPECTED: frozenset[str] = frozenset({Attendance.EXEMPT, Attendance.AWAY})

PAYMENTS: tuple[str, ...] = ("yes", "no", "excused")  # the P.csv column `paid`

# --------------------------------------------------------------------------------------------------
# Settings (med/low rules)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRuleSettings:
    """Numbers of the meeting rules, with their documented defaults (see `SETTING_INFO`)."""

    # MTG-2
    thematic_per_quarter: int = 1
    plenary_per_year: int = 2
    # MTG-3
    meeting_day: int = 3
    bulletin_day_before: int = 15
    # MTG-5
    min_attendance_pct: float = 85  # attendance must be MORE than this
    max_excused_in_row: int = 3  # absent with reason more than this many times in a row: not good
    min_minutes: int = 90
    min_minutes_thematic: int = 120
    min_speakers: int = 0  # "many speak": no number found; 0 = not judged
    # MTG-6
    resolution_quorum_pct: float = 0  # attendance quorum for a resolution: not found; 0 = none
    # MTG-8
    warning_months: int = 3
    warning_grounds_add_up: bool = False

    def __post_init__(self):
        if not 0 <= self.min_attendance_pct <= 100 or not 0 <= self.resolution_quorum_pct <= 100:
            raise ValueError("Tỷ lệ phần trăm phải trong khoảng 0–100.")
        if not 1 <= self.meeting_day <= 28 or not 1 <= self.bulletin_day_before <= 28:
            raise ValueError("Ngày trong tháng phải từ 1 đến 28.")
        if self.warning_months < 1 or self.warning_months > 12:
            raise ValueError("Số tháng để cảnh báo phải từ 1 đến 12.")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> MeetingRuleSettings:
        return rulesettings.from_mapping(cls, values)


DEFAULTS = MeetingRuleSettings()

_HD12 = "Hướng dẫn 12-HD/BTCTW (2018) §II.3"
#: For each setting: (rule id, regulation, confidence) — shown next to the value in the UI.
SETTING_INFO: dict[str, tuple[str, str, str]] = {
    "thematic_per_quarter": ("MTG-2", "Chỉ thị 50-CT/TW §2 (ít nhất mỗi quý một lần)", "med"),
    "plenary_per_year": ("MTG-1", "Điều lệ Đảng, Điều 22.4 (đảng bộ cơ sở họp 6 tháng một lần)", "high"),
    "meeting_day": ("MTG-3", "Hướng dẫn 37-HD/BTGDVTW (2025): «ngày 3 hằng tháng» (căn cứ chưa tìm thấy)", "low"),
    "bulletin_day_before": ("MTG-3", "Hướng dẫn 37-HD/BTGDVTW (2025): bản tin phát hành ngày 15 tháng trước",
                            "high"),
    "min_attendance_pct": ("MTG-5", _HD12 + " (trên 85%)", "med"),
    "max_excused_in_row": ("MTG-5", _HD12 + " (không ai vắng có lý do quá 3 lần liên tiếp trong năm)", "med"),
    "min_minutes": ("MTG-5", _HD12 + " (ít nhất 90 phút)", "med"),
    "min_minutes_thematic": ("MTG-5", _HD12 + " (ít nhất 120 phút khi có sinh hoạt chuyên đề)", "med"),
    "min_speakers": ("MTG-5", _HD12 + " («nhiều ý kiến phát biểu»: chưa có con số; 0 = không xét)", "low"),
    "resolution_quorum_pct": ("MTG-6", "Không tìm thấy quy định số có mặt tối thiểu (0 = không xét)", "low"),
    "warning_months": ("MTG-8", "Điều lệ Đảng, Điều 8.1 (ba tháng trong năm)", "high"),
    "warning_grounds_add_up": ("MTG-8", "Không quy định việc cộng tháng vắng và tháng không đóng đảng phí "
                               "(mặc định: tính riêng từng căn cứ)", "low"),
}

# --------------------------------------------------------------------------------------------------
# Months
# --------------------------------------------------------------------------------------------------

_MONTH = re.compile(r"(\d{4})-(\d{2})")


@lru_cache(maxsize=4096)  # a file of a year repeats the same few months a million times
def parse_month(text: str) -> tuple[int, int]:
    """"2026-03" → (2026, 3); ValueError (Vietnamese) otherwise."""
    m = _MONTH.fullmatch(text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"«{text}» không phải tháng hợp lệ dạng YYYY-MM.")
    return int(m.group(1)), int(m.group(2))


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


# --------------------------------------------------------------------------------------------------
# MTG-2 / MTG-3: the year's plan
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedMeeting:
    day: date
    kind: str


def meeting_date(year: int, month: int, *, settings: MeetingRuleSettings = DEFAULTS) -> date:
    """The usual meeting day of a month: the 3rd (MTG-3 — Hướng dẫn 37-HD/BTGDVTW; low, a setting)."""
    return date(year, month, settings.meeting_day)


def bulletin_date(year: int, month: int, *, settings: MeetingRuleSettings = DEFAULTS) -> date:
    """When the month's bulletin appears: the 15th of the month before (MTG-3 — Hướng dẫn
    37-HD/BTGDVTW, 19/11/2025; high)."""
    first = date(year, month, 1) - timedelta(days=1)
    return date(first.year, first.month, settings.bulletin_day_before)


def year_plan(year: int, body: str = Body.CELL, *, settings: MeetingRuleSettings = DEFAULTS) -> list[PlannedMeeting]:
    """The year's meetings of a body: monthly ordinary meetings (MTG-1 — Điều lệ Đảng, Điều 22.4, 24.2;
    high), and for a cell `thematic_per_quarter` thematic meetings a quarter held with the ordinary
    meeting of the quarter's last month (MTG-2 — Chỉ thị 50 §2; med); a grassroots plenary twice a year
    (June and December, `plenary_per_year`)."""
    if body == Body.PLENARY:
        n = settings.plenary_per_year
        months = [round(12 * (i + 1) / n) for i in range(n)] if n else []
        return [PlannedMeeting(meeting_date(year, m, settings=settings), Kind.ORDINARY.value) for m in months]
    plan = [PlannedMeeting(meeting_date(year, m, settings=settings), Kind.ORDINARY.value) for m in range(1, 13)]
    if body == Body.CELL:
        for q in range(1, 5):
            for i in range(settings.thematic_per_quarter):
                month = 3 * q - i if i < 3 else 3 * q
                plan.append(PlannedMeeting(meeting_date(year, month, settings=settings) + timedelta(days=1 + i // 3),
                                           Kind.THEMATIC.value))
    return sorted(plan, key=lambda p: (p.day, p.kind))


@dataclass(frozen=True)
class PlanGaps:
    """What a body's held meetings lack, up to a month of the year."""

    missing_months: list[int]  # months without an ordinary (or thematic) meeting
    quarters_short: list[int]  # quarters (complete so far) with fewer thematic meetings than required
    held: int

    @property
    def ok(self) -> bool:
        return not self.missing_months and not self.quarters_short


def plan_gaps(held: Iterable[tuple[int, str]], *, upto_month: int = 12, body: str = Body.CELL,
              settings: MeetingRuleSettings = DEFAULTS) -> PlanGaps:
    """Months without their meeting and quarters without their thematic meeting (MTG-1 monthly —
    Điều lệ Đảng, Điều 22.4, 24.2, high; MTG-2 a thematic meeting a quarter — Chỉ thị 50 §2, med).

    `held`: (month 1–12, kind) of the meetings held in the year. A thematic meeting also counts as the
    month's meeting (it is a cell meeting of that month); an extraordinary meeting does not. Quarters
    are judged once `upto_month` has reached their last month. A plenary is judged by half-years.
    """
    held = list(held)
    if body == Body.PLENARY:
        halves = {1 if m <= 6 else 2 for m, _k in held}
        missing = [6 * h for h in (1, 2) if 6 * h <= upto_month and h not in halves]
        return PlanGaps(missing, [], len(held))
    months = {m for m, k in held if k in (Kind.ORDINARY, Kind.THEMATIC)}
    missing = [m for m in range(1, upto_month + 1) if m not in months]
    short = []
    if body == Body.CELL:
        for q in range(1, upto_month // 3 + 1):
            n = sum(1 for m, k in held if k == Kind.THEMATIC and quarter_of(m) == q)
            if n < settings.thematic_per_quarter:
                short.append(q)
    return PlanGaps(missing, short, len(held))


# --------------------------------------------------------------------------------------------------
# MTG-4: preparation
# --------------------------------------------------------------------------------------------------

PREPARATION_STEPS: dict[str, str] = {
    "draft_content": "Dự thảo nội dung sinh hoạt",
    "draft_resolution": "Dự thảo nghị quyết",
    "committee_met": "Chi ủy họp trước để chuẩn bị",
    "invited_members": "Thông báo thời gian, địa điểm, nội dung cho đảng viên",
    "invited_upper": "Mời đồng chí cấp ủy cấp trên theo dõi chi bộ",
}
THEMATIC_STEPS: dict[str, str] = {
    "theme_author": "Phân công đảng viên chuẩn bị chuyên đề",
    "theme_approved": "Chi ủy duyệt nội dung chuyên đề và gửi trước",
}


def preparation_missing(done: Collection[str], *, kind: str = Kind.ORDINARY, has_committee: bool = True) -> list[str]:
    """Preparation steps not done yet, in order (MTG-4 — Hướng dẫn 12-HD/BTCTW 2018 §II.1.1; med):
    the secretary or deputy drafts content and resolution, the cell committee meets first (when the
    cell has one), time, place and agenda go to members and to the upper committee member who follows
    the cell; a thematic meeting also has its assigned author and the committee's approval."""
    steps = list(PREPARATION_STEPS)
    if not has_committee:
        steps.remove("committee_met")
    if kind == Kind.THEMATIC:
        steps += list(THEMATIC_STEPS)
    return [s for s in steps if s not in done]


# --------------------------------------------------------------------------------------------------
# MTG-5: quality of a meeting
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    passed: bool | None  # None: not judged (a setting turns it off, or data missing)
    detail: str = ""


@dataclass(frozen=True)
class Quality:
    criteria: tuple[Criterion, ...]
    attendance_pct: float | None
    expected: int
    present: int

    @property
    def passed(self) -> bool:
        return all(c.passed is not False for c in self.criteria)

    @property
    def failed(self) -> list[Criterion]:
        return [c for c in self.criteria if c.passed is False]


def _pct(value: float) -> str:
    """85 → "85 %", 85.5 → "85,5 %" (the UI's decimal comma; no Django here, so not core.numbers)."""
    return f"{value:g}".replace(".", ",") + "\u00a0%"


def attendance_rate(statuses: Iterable[str]) -> tuple[int, int, float | None]:
    """(present, expected, percentage): exempt members and members away on temporary transfer are not
    expected (MTG-5 — Hướng dẫn 12-HD/BTCTW 2018 §II.3; med). None when nobody is expected."""
    statuses = list(statuses)
    _check_statuses(statuses)
    expected = sum(1 for s in statuses if s not in NOT_EXPECTED)
    present = sum(1 for s in statuses if s == Attendance.PRESENT)
    return present, expected, (100 * present / expected if expected else None)


def _check_statuses(statuses: Iterable[str]) -> None:
    for s in statuses:
        if s not in STATUSES:
            raise ValueError(f"Tình trạng dự họp không hợp lệ: «{s}».")


def excused_streaks(history: Iterable[str]) -> int:
    """The longest run of "excused" in a member's attendance over the year's meetings, in order.
    Exempt and away meetings neither break nor extend a run (the member was not expected)."""
    best = run = 0
    for s in history:
        if s == Attendance.EXCUSED:
            run += 1
            best = max(best, run)
        elif s not in NOT_EXPECTED:
            run = 0
    return best


def meeting_quality(statuses: Iterable[str], *, minutes: int | None, kind: str = Kind.ORDINARY,
                    speakers: int | None = None, excused_runs: Iterable[int] = (), has_minutes: bool = True,
                    settings: MeetingRuleSettings = DEFAULTS) -> Quality:
    """The quality criteria of a regular meeting (MTG-5 — Hướng dẫn 12-HD/BTCTW 2018 §II.3; med):
    attendance more than 85 % of the members expected (exempt and away not counted); no one absent
    without reason; no one absent with reason more than 3 times in a row in the year (`excused_runs`:
    each member's longest run so far, `excused_streaks`); at least 90 minutes, 120 with a thematic
    part; members speak (`min_speakers`, 0 = not judged); the minutes recorded.
    """
    statuses = list(statuses)
    present, expected, pct = attendance_rate(statuses)
    absent = sum(1 for s in statuses if s == Attendance.ABSENT)
    runs = [r for r in excused_runs if r > settings.max_excused_in_row]
    need = settings.min_minutes_thematic if kind == Kind.THEMATIC else settings.min_minutes
    crit = [
        Criterion("attendance", f"Tỷ lệ dự họp trên {_pct(settings.min_attendance_pct)}",
                  None if pct is None else pct > settings.min_attendance_pct,
                  "" if pct is None else f"{present}/{expected}"),
        Criterion("no_unexcused", "Không có đảng viên vắng không lý do", absent == 0,
                  f"{absent} vắng không lý do" if absent else ""),
        Criterion("excused_runs", f"Không ai vắng có lý do quá {settings.max_excused_in_row} lần liên tiếp",
                  not runs, f"{len(runs)} đảng viên" if runs else ""),
        Criterion("duration", f"Thời gian sinh hoạt ít nhất {need} phút",
                  None if minutes is None else minutes >= need, "" if minutes is None else f"{minutes} phút"),
    ]
    if settings.min_speakers:
        crit.append(Criterion("speakers", f"Ít nhất {settings.min_speakers} ý kiến phát biểu",
                              None if speakers is None else speakers >= settings.min_speakers,
                              "" if speakers is None else f"{speakers} ý kiến"))
    crit.append(Criterion("minutes", "Biên bản ghi đầy đủ diễn biến", has_minutes))
    return Quality(tuple(crit), pct, expected, present)


@dataclass(frozen=True)
class YearQuality:
    meetings: int
    passed: int
    attendance_pct: float | None
    gaps: PlanGaps


def year_quality(meetings: Iterable[tuple[int, str, Quality]], *, upto_month: int = 12,
                 settings: MeetingRuleSettings = DEFAULTS) -> YearQuality:
    """A cell's year (MTG-5 per meeting, MTG-1/2 for the plan): meetings held, how many met every
    criterion, the attendance over all meetings (present / expected, summed) and the plan's gaps."""
    meetings = list(meetings)
    present = sum(q.present for _m, _k, q in meetings)
    expected = sum(q.expected for _m, _k, q in meetings)
    return YearQuality(len(meetings), sum(1 for *_x, q in meetings if q.passed),
                       100 * present / expected if expected else None,
                       plan_gaps(((m, k) for m, k, _q in meetings), upto_month=upto_month, settings=settings))


# --------------------------------------------------------------------------------------------------
# MTG-6: the resolution's vote
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Voter:
    official: bool  # probationary members do not vote (MEM-2)
    status: str  # attendance at the meeting


def resolution_base(voters: Iterable[Voter]) -> int:
    """Members a resolution counts on (MTG-6 — Điều lệ Đảng, Điều 9.5, high; Quy định 294 point
    9.3.2, med): official members, minus those on temporary transfer elsewhere and exempt members who
    are absent. Probationary members are not in the base (MEM-2)."""
    base = 0
    for v in voters:
        _check_statuses([v.status])
        if not v.official or v.status == Attendance.AWAY:
            continue
        if v.status == Attendance.EXEMPT:
            continue  # an exempt member recorded as exempt did not attend
        base += 1
    return base


@dataclass(frozen=True)
class ResolutionVote:
    base: int
    needed: int
    agree: int
    passed: bool
    quorum_ok: bool


def resolution_vote(*, agree: int, disagree: int = 0, base: int, present_voters: int | None = None,
                    settings: MeetingRuleSettings = DEFAULTS) -> ResolutionVote:
    """A resolution passes with more than half of the base in favour (MTG-6 — Điều lệ Đảng, Điều 9.5;
    high): needed = ⌊base/2⌋ + 1. The attendance quorum is a setting (not found; 0 = none). More votes
    than the base, or than the voters present, is refused."""
    for name, v in (("agree", agree), ("disagree", disagree), ("base", base)):
        if v < 0:
            raise ValueError(f"Số phiếu không được âm ({name}).")
    if agree + disagree > base:
        raise ValueError(f"Tổng số biểu quyết ({agree + disagree}) lớn hơn số đảng viên làm cơ sở tính ({base}).")
    if present_voters is not None and agree + disagree > present_voters:
        raise ValueError(f"Tổng số biểu quyết ({agree + disagree}) lớn hơn số đảng viên chính thức có mặt "
                         f"({present_voters}).")
    needed = base // 2 + 1
    quorum_ok = True
    if settings.resolution_quorum_pct and present_voters is not None and base:
        quorum_ok = 100 * present_voters / base >= settings.resolution_quorum_pct
    return ResolutionVote(base, needed, agree, base > 0 and agree >= needed and quorum_ok, quorum_ok)


# --------------------------------------------------------------------------------------------------
# MTG-7: the minutes
# --------------------------------------------------------------------------------------------------

MINUTES_FIELDS: dict[str, str] = {
    "held_on": "Ngày sinh hoạt",
    "place": "Địa điểm",
    "chair": "Chủ trì",
    "secretary": "Thư ký",
    "minutes": "Thời gian sinh hoạt",
    "attendance": "Điểm danh",
    "resolution": "Nghị quyết",
}


def minutes_missing(values: Mapping[str, Any]) -> list[str]:
    """What the minutes still lack (MTG-7 — a model resolution; low): date, place, chair, secretary,
    duration, the attendance (members total, present, absent with and without reason, exempt) and the
    resolution. Returns the field codes, in order."""
    return [k for k in MINUTES_FIELDS if not values.get(k)]


# --------------------------------------------------------------------------------------------------
# MTG-8: the removal warning
# --------------------------------------------------------------------------------------------------

GROUND_ABSENCE = "absence"
GROUND_FEES = "fees"
GROUNDS: tuple[str, ...] = (GROUND_ABSENCE, GROUND_FEES)
GROUND_LABELS = {GROUND_ABSENCE: "Vắng sinh hoạt không có lý do", GROUND_FEES: "Không đóng đảng phí không có lý do"}


@dataclass(frozen=True)
class Warning:
    member: Any
    months: dict[str, list[str]] = field(default_factory=dict)  # ground → sorted "YYYY-MM"
    grounds: tuple[str, ...] = ()

    @property
    def absent_months(self) -> list[str]:
        return self.months.get(GROUND_ABSENCE, [])

    @property
    def unpaid_months(self) -> list[str]:
        return self.months.get(GROUND_FEES, [])


def absence_months(rows: Iterable[tuple[Any, str, str]]) -> dict[Any, set[str]]:
    """{member: months absent without good reason} from (member, "YYYY-MM", status) rows: a month
    counts once however many of its meetings were missed (MTG-8)."""
    out: dict[Any, set[str]] = {}
    for member, month, status in rows:
        _check_statuses([status])
        if status == Attendance.ABSENT:
            out.setdefault(member, set()).add(month)
    return out


def unpaid_months(rows: Iterable[tuple[Any, str, str]]) -> dict[Any, set[str]]:
    """{member: months not paid without good reason} from (member, "YYYY-MM", paid) rows, paid in
    yes | no | excused (MTG-8; FEE-6)."""
    out: dict[Any, set[str]] = {}
    for member, month, paid in rows:
        if paid not in PAYMENTS:
            raise ValueError(f"Giá trị đóng đảng phí không hợp lệ: «{paid}».")
        if paid == "no":
            out.setdefault(member, set()).add(month)
    return out


def removal_warnings(grounds: Mapping[str, Mapping[Any, Collection[str]]], year: int, *,
                     settings: MeetingRuleSettings = DEFAULTS) -> list[Warning]:
    """Members to be considered for removal (MTG-8 — Điều lệ Đảng, Điều 8.1; high; counting low):
    absent from cell activities, or not paying the fee, without good reason in `warning_months` (3)
    distinct calendar months of `year`, consecutive or not, each ground on its own (2 months absent +
    2 other months unpaid warns of neither) unless `warning_grounds_add_up`. A warning is for the cell
    to consider — never a removal.

    `grounds`: ground name → {member: months "YYYY-MM"}; any ground source plugs in (absence from
    attendance, fees from the fees app). Months of other years are ignored. Returns the warnings in
    the order members first appear, each with every ground's months of the year (sorted) and the
    grounds that meet the count.
    """
    prefix = f"{year:04d}-"
    per_member: dict[Any, dict[str, list[str]]] = {}
    for ground, table in grounds.items():
        for member, months in table.items():
            for m in months:
                parse_month(m)
            inside = sorted({m for m in months if m.startswith(prefix)})
            if inside:
                per_member.setdefault(member, {})[ground] = inside
    out = []
    n = settings.warning_months
    for member, months in per_member.items():
        met = tuple(g for g in grounds if len(months.get(g, ())) >= n)
        if not met and settings.warning_grounds_add_up:
            union = set().union(*months.values())
            if len(union) >= n:
                met = tuple(g for g in grounds if months.get(g))
        if met:
            out.append(Warning(member, {g: months[g] for g in grounds if g in months}, met))
    return out
