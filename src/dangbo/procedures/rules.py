"""Dates of a member's procedures: probation, recognition, party age, the next badge (MEM-1, MEM-3).

Pure Python (no Django). The date arithmetic is `members.rules` (periods in months, party age, award
days, discipline delays) and `workdays.rules` (working days); this module puts them together as the
`dangbo member dates` contract (issue 13) and the "what is due" list read them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dangbo.core import rulesettings
from dangbo.members import rules as mr
from dangbo.workdays import rules as wd

#: Disciplines the `member dates` contract reads (MEM-3): none, reprimand (khiển trách), warning
#: (cảnh cáo), dismissal (cách chức).
DISCIPLINES: tuple[str, ...] = ("none", "reprimand", "warning", "dismissal")


@dataclass(frozen=True)
class Badge:
    years: int
    reached: date
    award_date: date


@dataclass(frozen=True)
class MemberDates:
    probation_end: date
    recognition_deadline: date
    party_age_years: int
    next_badge: Badge | None


def recognition_deadline(probation_end: date, off: Iterable[date] = (), worked: Iterable[date] = (), *,
                         settings: mr.MemberRuleSettings = mr.DEFAULTS) -> date:
    """MEM-1 / ADM-6 — Điều lệ Đảng Điều 5.2; Quy định 294-QĐ/TW Điều 4.2 (med, setting
    `recognition_working_days` = 30): the 30th working day after the probation ends, that day not
    counted; working days are Monday–Friday minus the days off (`workdays.rules`)."""
    return wd.add_working_days(probation_end, settings.recognition_working_days, off, worked)


def next_badge(decision_date: date, today: date, *, discipline: str = "none", discipline_date: date | None = None,
               settings: mr.MemberRuleSettings = mr.DEFAULTS) -> Badge | None:
    """The smallest badge tier whose award date is on or after `today`, or None past the last tier.

    MEM-3 — HD 01-HD/TW §18, carried into HD 06-HD/TW (med; settings `discipline_delay_months`,
    `award_days`): `reached` = the decision date plus the tier's years (29/2 → 28/2); `award_date` =
    the first award day (3/2, 19/5, 2/9, 7/11) on or after the later of `reached` and the discipline
    decision date + 6 (reprimand) / 9 (warning) / 12 (dismissal) months. Worked case of DOMAIN.md:
    reached 1/3/2026, reprimand 1/1/2026 → 1/7/2026 → 2/9/2026.
    """
    hold = None
    if discipline != "none":
        if discipline_date is None:
            raise ValueError("Thiếu ngày quyết định kỷ luật.")
        hold = mr.discipline_hold([(discipline_date, discipline)], settings=settings)
    for years in mr.BADGE_TIERS:
        reached = mr.add_years(decision_date, years)
        award = mr.next_award_day(max(reached, hold) if hold else reached, settings=settings)
        if award >= today:
            return Badge(years, reached, award)
    return None


def member_dates(*, decision_date: date, ceremony_date: date, today: date, discipline: str = "none",
                 discipline_date: date | None = None, off: Iterable[date] = (), worked: Iterable[date] = (),
                 settings: mr.MemberRuleSettings = mr.DEFAULTS) -> MemberDates:
    """The `dangbo member dates` row (issue 13).

    - MEM-1 / ADM-6 (high, Điều lệ Đảng Điều 5.1): probation ends 12 months after the **ceremony**
      (same day number; 29/2 → 28/2, Bộ luật Dân sự 2015 Điều 148);
    - MEM-1 (med): the recognition deadline is the 30th working day after that day;
    - MEM-1 (high, Điều lệ Đảng Điều 5.4): party age = whole years from the **decision** to `today`;
    - MEM-3 (med): the next badge, see `next_badge`.
    """
    end = mr.probation_end(ceremony_date, settings=settings)
    return MemberDates(
        probation_end=end,
        recognition_deadline=recognition_deadline(end, off, worked, settings=settings),
        party_age_years=mr.full_years(decision_date, today),
        next_badge=next_badge(decision_date, today, discipline=discipline, discipline_date=discipline_date,
                              settings=settings),
    )


# --------------------------------------------------------------------------------------------------
# Admission (ADM-1..7)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdmissionRuleSettings:
    """Numbers of the admission rules (med), with their documented defaults (`SETTING_INFO`)."""

    admission_min_age_years: int = 18
    admission_max_age_years: int = 60
    course_valid_months: int = 60
    introducer_months: int = 12
    ceremony_working_days: int = 30

    @classmethod
    def from_mapping(cls, values) -> AdmissionRuleSettings:
        """Build settings from e.g. Django's `settings.DANGBO_RULES`, ignoring keys that are not ours."""
        return rulesettings.from_mapping(cls, values)


ADMISSION_DEFAULTS = AdmissionRuleSettings()

#: For each setting: (rule id, regulation, confidence) — shown next to the value in the UI.
SETTING_INFO: dict[str, tuple[str, str, str]] = {
    "admission_min_age_years": ("ADM-1", "Quy định 294-QĐ/TW Điều 1; Hướng dẫn 06-HD/TW §1", "med"),
    "admission_max_age_years": ("ADM-1", "Quy định 294-QĐ/TW Điều 1; Hướng dẫn 06-HD/TW §1", "med"),
    "course_valid_months": ("ADM-7", "Hướng dẫn 06-HD/TW §5.4", "med"),
    "introducer_months": ("ADM-2", "Quy định 294-QĐ/TW §3.2.1", "med"),
    "ceremony_working_days": ("ADM-5", "Quy định 294-QĐ/TW Điều 5.4", "med"),
}

#: Who may introduce an applicant (ADM-2): an official member, or the grassroots Youth Union
#: committee / the trade-union committee (as one of the two, with one official member).
INTRODUCER_KINDS = {"member": "Đảng viên chính thức", "youth_union": "Ban Chấp hành Đoàn cơ sở",
                    "trade_union": "Ban Chấp hành Công đoàn cơ sở"}


@dataclass(frozen=True)
class Introducer:
    kind: str  # INTRODUCER_KINDS
    official: bool = True  # a member introducer: official (not probationary) on the day
    months_together: int = 0  # a member introducer: months worked / studied / lived together
    name: str = ""


def age_problem(birth_date: date, on: date, *, over_limit_consent: bool = False,
                settings: AdmissionRuleSettings = ADMISSION_DEFAULTS) -> str | None:
    """ADM-1 — Quy định 294-QĐ/TW Điều 1; HD 06-HD/TW §1 (med): full 18 to full 60 years, counted in
    months, on the day the cell considers; over 60 only by a committee directly under the Central
    Committee with its standing committee's written consent (`over_limit_consent`)."""
    if on < mr.add_years(birth_date, settings.admission_min_age_years):
        return (f"Người xin vào Đảng chưa đủ {settings.admission_min_age_years} tuổi vào ngày chi bộ xét "
                f"({on:%d/%m/%Y}; ngày sinh {birth_date:%d/%m/%Y}).")
    if mr.add_months(mr.add_years(birth_date, settings.admission_max_age_years), 1) <= on and not over_limit_consent:
        return (f"Người xin vào Đảng đã quá {settings.admission_max_age_years} tuổi vào ngày chi bộ xét: chỉ kết nạp khi "
                "có văn bản đồng ý của ban thường vụ cấp ủy trực thuộc Trung ương.")
    return None


def course_problem(certificate_date: date, on: date, *,
                   settings: AdmissionRuleSettings = ADMISSION_DEFAULTS) -> str | None:
    """ADM-7 — HD 06-HD/TW §5.4 (med): the Party-awareness course certificate is valid 60 months."""
    if on < certificate_date:
        return f"Ngày {on:%d/%m/%Y} trước ngày cấp giấy chứng nhận lớp bồi dưỡng ({certificate_date:%d/%m/%Y})."
    until = mr.add_months(certificate_date, settings.course_valid_months)
    if on > until:
        return (f"Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng cấp ngày {certificate_date:%d/%m/%Y} đã hết "
                f"hạn ngày {until:%d/%m/%Y} ({settings.course_valid_months} tháng): phải học lại.")
    return None


def order_problem(earlier: date | None, later: date, what_earlier: str, what_later: str) -> str | None:
    """ADM-3 — HD 06-HD/TW §3 (med): the application first, then the background form and its check,
    then the introducers, the resolutions and the decision — each step dated on or after the one before."""
    if earlier is None:
        return f"Chưa có {what_earlier}: phải có trước {what_later}."
    if later < earlier:
        return f"Ngày {what_later} ({later:%d/%m/%Y}) trước ngày {what_earlier} ({earlier:%d/%m/%Y})."
    return None


def introducers_problem(introducers: Iterable[Introducer], *,
                        settings: AdmissionRuleSettings = ADMISSION_DEFAULTS) -> str | None:
    """ADM-2 — Điều lệ Đảng Điều 4.1–4.2 (high); Quy định 294-QĐ/TW §3.2.1 (med): two official
    members, or the Youth Union's (trade union's) committee and one official member; a member
    introducer worked, studied or lived with the applicant ≥ 12 months (their party age does not
    matter); a probationary member may not introduce."""
    people = list(introducers)
    if len(people) != 2:
        return "Phải có đúng hai người (tổ chức) giới thiệu."
    for p in people:
        if p.kind not in INTRODUCER_KINDS:
            return "Loại người giới thiệu không hợp lệ."
        if p.kind == "member":
            who = f"«{p.name}»" if p.name else "Người giới thiệu"
            if not p.official:
                return f"{who} là đảng viên dự bị: chỉ đảng viên chính thức được giới thiệu người vào Đảng."
            if p.months_together < settings.introducer_months:
                return (f"{who} mới công tác, học tập hoặc sinh sống cùng người xin vào Đảng {p.months_together} "
                        f"tháng; phải từ {settings.introducer_months} tháng trở lên.")
    if sum(p.kind == "member" for p in people) == 0:
        return "Phải có ít nhất một đảng viên chính thức giới thiệu."
    if sum(p.kind != "member" for p in people) > 1:
        return "Chỉ một tổ chức (Đoàn hoặc Công đoàn) giới thiệu, cùng một đảng viên chính thức."
    return None


def two_thirds(n: int) -> int:
    """ADM-4 — Điều lệ Đảng Điều 4.3 (high): at least two thirds of n, ⌈2n/3⌉."""
    return -(-2 * n // 3)


def vote_problem(votes_for: int, total: int, body: str) -> str | None:
    """ADM-4 — Điều lệ Đảng Điều 4.3 (high): the cell needs ≥ 2/3 of its official members, the
    grassroots committee ≥ 2/3 of its members; `total` is that number, not those present."""
    if total <= 0:
        return f"Số thành viên của {body} phải lớn hơn 0."
    if not 0 <= votes_for <= total:
        return f"Số tán thành phải từ 0 đến {total}."
    need = two_thirds(total)
    if votes_for < need:
        return (f"{body[0].upper()}{body[1:]} chỉ có {votes_for}/{total} tán thành; cần ít nhất {need} "
                "(hai phần ba) để đề nghị kết nạp.")
    return None


def ceremony_deadline(decision_received: date, off: Iterable[date] = (), worked: Iterable[date] = (), *,
                      settings: AdmissionRuleSettings = ADMISSION_DEFAULTS) -> date:
    """ADM-5 — Quy định 294-QĐ/TW Điều 5.4 (med): the ceremony within 30 working days of receiving the
    decision (that day not counted)."""
    return wd.add_working_days(decision_received, settings.ceremony_working_days, off, worked)


@dataclass(frozen=True)
class TransferDeadlines:
    present_by: date  # the member presents the letter to the receiving cell
    complete_by: date  # the transfer is done


def transfer_deadlines(letter_date: date, off: Iterable[date] = (), worked: Iterable[date] = (), *,
                       settings: mr.MemberRuleSettings = mr.DEFAULTS) -> TransferDeadlines:
    """MEM-5 — Quy định 294-QĐ/TW §6.3.1 (med, settings `transfer_letter_working_days` = 30,
    `permanent_transfer_working_days` = 60): counted in working days from the letter's date, that day
    not counted (`workdays.rules.add_working_days`)."""
    return TransferDeadlines(wd.add_working_days(letter_date, settings.transfer_letter_working_days, off, worked),
                             wd.add_working_days(letter_date, settings.permanent_transfer_working_days, off, worked))


def hold_in_force(holds: Iterable[tuple[str, date, date | None]], on: date) -> tuple[str, date, date | None] | None:
    """MEM-5 — Quy định 294-QĐ/TW §6.3 (med): no transfer while the member is under inspection or a
    complaint is being handled. `holds` are (kind, start, end or None while it goes on); the first in
    force on `on` (start ≤ on ≤ end), or None."""
    for kind, start, end in holds:
        if start <= on and (end is None or on <= end):
            return kind, start, end
    return None


def recognition_start_bounds(today: date, until: date, off: Iterable[date] = (), worked: Iterable[date] = (), *,
                             settings: mr.MemberRuleSettings = mr.DEFAULTS) -> tuple[date, date]:
    """(first, last) days of the probation's start (the ceremony, else the admission) for "what is due".

    MEM-1 — Điều lệ Đảng Điều 5; Quy định 294-QĐ/TW Điều 4.2 (med settings `probation_months`,
    `recognition_working_days`): a probationary member whose probation started before `first` is
    overdue for recognition (`recognition_deadline(probation_end(start)) < today`); one who started
    from `first` to `last` is due within the horizon (the probation ends by `until`). `add_months`
    and `add_working_days` never go back when the start moves forward, so both sets are ranges of
    the start day and the database counts and pages them by it (procedures.due)."""
    off, worked = frozenset(off), frozenset(worked)

    def deadline(d: date) -> date:
        return recognition_deadline(mr.probation_end(d, settings=settings), off, worked, settings=settings)

    floor = date(1900, 1, 1)
    first = _first_true(lambda d: deadline(d) >= today, floor, max(today, floor))
    last = _first_true(lambda d: mr.probation_end(d, settings=settings) > until, floor, until + timedelta(days=1))
    return first, last - timedelta(days=1)


def _first_true(pred, lo: date, hi: date) -> date:
    """The first day in [lo, hi] where the monotone `pred` (false, then true) holds; `hi` when none
    before it does."""
    a, b = lo.toordinal(), hi.toordinal()
    while a < b:
        mid = (a + b) // 2
        if pred(date.fromordinal(mid)):
            b = mid
        else:
            a = mid + 1
    return date.fromordinal(a)
