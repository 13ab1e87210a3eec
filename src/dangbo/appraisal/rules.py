"""Rules of the annual appraisal and classification (kiểm điểm, đánh giá, xếp loại chất lượng).

Pure Python (no Django). Rule ids (APR-1..APR-7) refer to /work/shared/DOMAIN.md; every rule
function's docstring cites its id, the regulation and DOMAIN.md's confidence. Every APR rule is
**med** or **low**, so its numbers are fields of `AppraisalRuleSettings` (defaults in `DEFAULTS`);
each function using one takes `settings=` and `SETTING_INFO` says where each default comes from.

Regimes (APR-7): a year before `settings.new_regime_from_year` (2025) is graded under Quy định
124-QĐ/TW — no 100-point scale, the grade comes from the criteria flags alone, same 20% quota; from
2025 under Quy định 366-QĐ/TW (30/8/2025) with Hướng dẫn 43-HD/BTCTW. Every `Grading` records the
regulation it was computed under.

Inputs of one person or collective (the columns of `dangbo appraisal grade`, see the command):
- `tasks_done_pct` — share of the year's assigned tasks completed (on time or late), 0–100;
- `tasks_late_pct` — share of the tasks not on schedule (chưa bảo đảm tiến độ), 0–100;
- `tasks_beyond_pct` — share of the tasks completed beyond requirement (vượt mức yêu cầu), 0–100;
- `discipline` — the heaviest discipline in the year for a duty-related violation; for a collective,
  of a member of its leadership;
- `degradation` — concluded degradation ("suy thoái", "tự diễn biến", "tự chuyển hoá").
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from fractions import Fraction
from typing import Any, NamedTuple

from dangbo.core import rulesettings
from dangbo.members.rules import DISCIPLINE_LABELS, DISCIPLINE_LEVELS, add_months
from dangbo.orgs.rules import KIND_LABELS, OrgKind

# --------------------------------------------------------------------------------------------------
# Grades, roles, regimes
# --------------------------------------------------------------------------------------------------


class Grade(StrEnum):
    EXCELLENT = "excellent"  # Hoàn thành xuất sắc nhiệm vụ (HTXSNV)
    GOOD = "good"  # Hoàn thành tốt nhiệm vụ (HTTNV)
    COMPLETED = "completed"  # Hoàn thành nhiệm vụ (HTNV)
    NOT_COMPLETED = "not_completed"  # Không hoàn thành nhiệm vụ (KHTNV)
    NOT_REVIEWED = "not_reviewed"  # không đánh giá, xếp loại (APR-1)


EXCELLENT, GOOD, COMPLETED = Grade.EXCELLENT.value, Grade.GOOD.value, Grade.COMPLETED.value
NOT_COMPLETED, NOT_REVIEWED = Grade.NOT_COMPLETED.value, Grade.NOT_REVIEWED.value

GRADES: tuple[str, ...] = tuple(g.value for g in Grade)
#: The four grades of someone reviewed, lowest first (index = rank).
RANKED_GRADES: tuple[str, ...] = (NOT_COMPLETED, COMPLETED, GOOD, EXCELLENT)
GRADE_RANK: dict[str, int] = {g: i for i, g in enumerate(RANKED_GRADES)}

GRADE_LABELS: dict[str, str] = {
    EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    GOOD: "Hoàn thành tốt nhiệm vụ",
    COMPLETED: "Hoàn thành nhiệm vụ",
    NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
    NOT_REVIEWED: "Không đánh giá, xếp loại",
}


class Role(StrEnum):
    LEADER = "leader"  # cá nhân giữ chức vụ lãnh đạo, quản lý
    MEMBER = "member"  # cá nhân không giữ chức vụ lãnh đạo, quản lý / đảng viên
    COLLECTIVE = "collective"  # tập thể (tổ chức đảng, tập thể lãnh đạo)


ROLES: tuple[str, ...] = tuple(r.value for r in Role)
ROLE_LABELS: dict[str, str] = {"leader": "Lãnh đạo, quản lý", "member": "Đảng viên", "collective": "Tập thể"}

#: "none" and the forms of discipline of the Statute (Điều 35.2), lightest first.
DISCIPLINES: tuple[str, ...] = ("none", *DISCIPLINE_LEVELS)
DISCIPLINE_CHOICE_LABELS: dict[str, str] = {"none": "Không", **DISCIPLINE_LABELS}

REGULATION_366 = "366-QĐ/TW"
REGULATION_124 = "124-QĐ/TW"

#: Rule ids a `Grading.reasons` may contain.
RULE_IDS: frozenset[str] = frozenset(f"APR-{i}" for i in range(1, 8))

ROUNDINGS: tuple[str, ...] = ("floor", "round", "ceil")
#: APR-6: a temporary member's proposal without the host's written comments is refused ("block") or
#: made and flagged ("flag").
HOST_COMMENT_MODES: tuple[str, ...] = ("block", "flag")

# --------------------------------------------------------------------------------------------------
# Settings for med/low rules
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppraisalRuleSettings:
    """Numbers of the appraisal rules, with their documented defaults (see `SETTING_INFO`).

    Percentages are 0–100. `good_max_late_pct` is 0: 366 Điều 11.2 reads "hoàn thành 100% … đúng
    hạn" (DOMAIN.md APR-2 as corrected: score 85, all done, 10% late → completed). It was 20 until
    12/2026; grades decided before the change keep what was decided (decisions are stored, never
    recomputed), and a proposal not yet decided is re-made when the cell proposes again.
    """

    # APR-1
    admission_min_months: int = 6
    # APR-2
    excellent_min_score: float = 90
    good_min_score: float = 70
    completed_min_score: float = 50
    excellent_min_beyond_pct: float = 30
    good_max_late_pct: float = 0
    completed_max_late_pct: float = 20
    completed_requires_all_done: bool = True
    # APR-3
    not_done_max_pct: float = 50  # more than this share of tasks not done → not completed
    low_confidence_max_pct: float = 50  # leaders: more than this share of low-confidence votes
    unit_plan_min_pct: float = 70  # leaders / collectives: their unit under this share of its plan
    # APR-4
    quota_pct: float = 20
    quota_exception_pct: float = 25
    quota_rounding: str = "floor"
    # APR-5
    org_excellent_needs_no_failing_member: bool = True
    # APR-6
    long_leave_min_months: float = 3
    temporary_without_host_comments: str = "block"
    # APR-7
    new_regime_from_year: int = 2025
    old_regime_good_max_late_pct: float = 20  # years under 124-QĐ/TW: the reading used until 12/2026

    def __post_init__(self):
        if self.temporary_without_host_comments not in HOST_COMMENT_MODES:
            raise ValueError(f"Cách xử lý khi chưa có nhận xét của nơi sinh hoạt tạm thời không hợp lệ: "
                             f"«{self.temporary_without_host_comments}» (chọn {', '.join(HOST_COMMENT_MODES)}).")
        if self.quota_rounding not in ROUNDINGS:
            raise ValueError(f"Cách làm tròn tỷ lệ không hợp lệ: «{self.quota_rounding}» "
                             f"(chọn {', '.join(ROUNDINGS)}).")
        if not (self.completed_min_score <= self.good_min_score <= self.excellent_min_score):
            raise ValueError("Ngưỡng điểm phải tăng dần: hoàn thành ≤ tốt ≤ xuất sắc.")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> AppraisalRuleSettings:
        """Build settings from e.g. Django's `settings.DANGBO_RULES`, ignoring keys that are not ours."""
        return rulesettings.from_mapping(cls, values)


DEFAULTS = AppraisalRuleSettings()

_R366 = "Quy định 366-QĐ/TW, Điều 11"
#: For each setting: (rule id, regulation, confidence) — shown next to the value in the UI.
SETTING_INFO: dict[str, tuple[str, str, str]] = {
    "admission_min_months": ("APR-1", "Quy định 366-QĐ/TW, Điều 5.2", "med"),
    "excellent_min_score": ("APR-2", _R366 + ".1", "med"),
    "good_min_score": ("APR-2", _R366 + ".2", "med"),
    "completed_min_score": ("APR-2", _R366 + ".3", "med"),
    "excellent_min_beyond_pct": ("APR-2", _R366 + ".1", "med"),
    "good_max_late_pct": ("APR-2", _R366 + ".2 («hoàn thành 100% … đúng hạn»: không nhiệm vụ nào chậm)", "med"),
    "completed_max_late_pct": ("APR-2", _R366 + ".3", "med"),
    "completed_requires_all_done": ("APR-2", _R366 + ".3 («hoàn thành 100% nhiệm vụ»)", "med"),
    "not_done_max_pct": ("APR-3", _R366 + ".4", "med"),
    "low_confidence_max_pct": ("APR-3", _R366 + ".4", "med"),
    "unit_plan_min_pct": ("APR-3", _R366 + ".4", "med"),
    "quota_pct": ("APR-4", _R366 + ".1", "med"),
    "quota_exception_pct": ("APR-4", _R366 + ".1", "med"),
    "quota_rounding": ("APR-4", "không quy định (mặc định làm tròn xuống)", "low"),
    "org_excellent_needs_no_failing_member": ("APR-5", "HD 43-HD/BTCTW §3 (cách vận dụng của phần mềm)", "low"),
    "long_leave_min_months": ("APR-6", "HD 43-HD/BTCTW §7.5", "med"),
    "temporary_without_host_comments": ("APR-6", "HD 43-HD/BTCTW §7.6 («sau khi có ý kiến nhận xét bằng văn bản» "
                                        "— mặc định chặn đề xuất; «flag»: đề xuất và đánh dấu)", "med"),
    "new_regime_from_year": ("APR-7", "Quy định 366-QĐ/TW thay Quy định 124-QĐ/TW", "med"),
    "old_regime_good_max_late_pct": ("APR-7", "Quy định 124-QĐ/TW (chưa đọc văn bản; giữ cách tính đã dùng cho "
                                     "các năm đến 2024)", "low"),
}


def regulation_for_year(year: int, *, settings: AppraisalRuleSettings = DEFAULTS) -> str:
    """The regulation a year is graded under: "124-QĐ/TW" before 2025, "366-QĐ/TW" from 2025.

    APR-7 — Quy định 124-QĐ/TW for years up to 2024 (med; setting `new_regime_from_year`). (Years
    before 2023 were graded under 132-QĐ/TW, which had the same shape: criteria, no score, 20% quota.)
    """
    return REGULATION_124 if year < settings.new_regime_from_year else REGULATION_366


def default_review_date(year: int) -> date:
    """The date the review is taken at when none is given: 31/12 of the year (APR-1)."""
    return date(year, 12, 31)


# --------------------------------------------------------------------------------------------------
# The result of a grading
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grading:
    """A grade, the DOMAIN rule ids that decided it and the regulation it was computed under.

    Unpacks as the pair `(grade, reasons)`. `note` holds the written reason of an override (APR-3).
    """

    grade: str
    reasons: tuple[str, ...]
    regulation: str
    note: str = ""

    def __iter__(self):
        return iter((self.grade, list(self.reasons)))

    @property
    def label(self) -> str:
        return GRADE_LABELS[self.grade]


def _reasons(*ids: str, regulation: str) -> tuple[str, ...]:
    out = list(dict.fromkeys(ids))
    if regulation == REGULATION_124 and "APR-7" not in out:
        out.append("APR-7")
    return tuple(out)


# --------------------------------------------------------------------------------------------------
# APR-1: who is reviewed
# --------------------------------------------------------------------------------------------------


def not_reviewed_reason(*, exempt: bool = False, suspended: bool = False, admitted: date | None = None,
                        review_date: date, settings: AppraisalRuleSettings = DEFAULTS) -> str | None:
    """Why a member is not reviewed and graded this year (Vietnamese), or None if they are.

    APR-1 — Quy định 366-QĐ/TW, Điều 5.2 (med; setting `admission_min_months`): not reviewed are
    members exempt from work and party activities, members suspended from party activities, and members
    admitted less than 6 months before the review date. Pass the admission date of the decision (the
    one party age counts from); None = not a recent admission. Six months are complete on the same day
    six months later, or the month's last day (Bộ luật Dân sự, Điều 148): admitted 30/6 → reviewed on
    31/12; admitted 1/7 → not reviewed.
    """
    if exempt:
        return "Đảng viên được miễn công tác và sinh hoạt đảng."
    if suspended:
        return "Đảng viên đang bị đình chỉ sinh hoạt đảng."
    months = settings.admission_min_months
    if admitted is not None and add_months(admitted, months) > review_date:
        return (f"Đảng viên được kết nạp ngày {admitted:%d/%m/%Y}, chưa đủ {months} tháng "
                f"đến ngày đánh giá {review_date:%d/%m/%Y}.")
    return None


# --------------------------------------------------------------------------------------------------
# APR-2 / APR-3: grading one person or collective
# --------------------------------------------------------------------------------------------------


def _check_pct(name: str, value: float | None, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if value is None or isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value) \
            or not 0 <= value <= 100:
        raise ValueError(f"«{name}» phải là một số từ 0 đến 100 (nhận được «{value}»).")


def band(score: float, *, settings: AppraisalRuleSettings = DEFAULTS) -> str:
    """The grade of the 100-point score alone: ≥ 90 excellent, 70–89 good, 50–69 completed, else
    not completed.

    APR-2 — Quy định 366-QĐ/TW, Điều 10–11 (med; settings `excellent_min_score`, `good_min_score`,
    `completed_min_score`). A band is "from N points to under M": 89.5 is good. ValueError outside 0–100.
    """
    _check_pct("score", score)
    if score >= settings.excellent_min_score:
        return EXCELLENT
    if score >= settings.good_min_score:
        return GOOD
    if score >= settings.completed_min_score:
        return COMPLETED
    return NOT_COMPLETED


def cap_reasons(*, role: str, discipline: str = "none", degradation: bool = False, tasks_done_pct: float = 100,
                unit_plan_pct: float | None = None, low_confidence_pct: float | None = None,
                settings: AppraisalRuleSettings = DEFAULTS) -> list[str]:
    """The causes (Vietnamese) that force "not completed" whatever the score; empty if none.

    APR-3 — Quy định 366-QĐ/TW, Điều 11.4 (med; settings `not_done_max_pct`, `unit_plan_min_pct`,
    `low_confidence_max_pct`): a reprimand or heavier discipline in the year for a duty-related
    violation (for a collective: of a member of its leadership); concluded degradation; more than 50%
    of the year's tasks not done; for a leader or a collective, the unit under 70% of its plan; for a
    leader, more than 50% low-confidence votes. The optional unit / confidence inputs are skipped when
    None. Also applied to years under 124-QĐ/TW (APR-7), which had the same causes.
    """
    out = []
    if discipline != "none":
        who = "thành viên tập thể lãnh đạo" if role == Role.COLLECTIVE else "đảng viên"
        out.append(f"Có {who} bị kỷ luật {DISCIPLINE_CHOICE_LABELS[discipline].lower()} trong năm.")
    if degradation:
        out.append("Bị kết luận suy thoái, «tự diễn biến», «tự chuyển hoá».")
    if 100 - tasks_done_pct > settings.not_done_max_pct:
        out.append(f"Không hoàn thành quá {settings.not_done_max_pct:g}% nhiệm vụ trong năm.")
    if role in (Role.LEADER, Role.COLLECTIVE) and unit_plan_pct is not None \
            and unit_plan_pct < settings.unit_plan_min_pct:
        out.append(f"Đơn vị hoàn thành dưới {settings.unit_plan_min_pct:g}% kế hoạch.")
    if role == Role.LEADER and low_confidence_pct is not None and low_confidence_pct > settings.low_confidence_max_pct:
        out.append(f"Quá {settings.low_confidence_max_pct:g}% phiếu tín nhiệm thấp.")
    return out


def conditions_grade(*, role: str, tasks_done_pct: float, tasks_late_pct: float, tasks_beyond_pct: float,
                     shortcomings_fixed: bool, discipline: str = "none", unit_plan_pct: float | None = None,
                     settings: AppraisalRuleSettings = DEFAULTS) -> str:
    """The highest grade whose conditions other than the score hold.

    APR-2 — Quy định 366-QĐ/TW, Điều 11.1–11.3 (med): excellent needs 100% of tasks done on time
    (done 100, late 0), ≥ 30% beyond requirement, last review's shortcomings fixed, and for a
    collective no disciplined member of the leadership; good needs 100% done on time (late ≤
    `good_max_late_pct`, 0 by default: Điều 11.2 "đúng hạn"); completed allows ≤ 20% late (and needs 100% done while
    `completed_requires_all_done`). A leader's unit (optional `unit_plan_pct`) must have done 100%
    of its plan for excellent or good.
    """
    unit_ok = role != Role.LEADER or unit_plan_pct is None or unit_plan_pct >= 100
    all_done = tasks_done_pct >= 100
    if (all_done and tasks_late_pct <= 0 and tasks_beyond_pct >= settings.excellent_min_beyond_pct
            and shortcomings_fixed and unit_ok and (role != Role.COLLECTIVE or discipline == "none")):
        return EXCELLENT
    if all_done and tasks_late_pct <= settings.good_max_late_pct and unit_ok:
        return GOOD
    if (all_done or not settings.completed_requires_all_done) and tasks_late_pct <= settings.completed_max_late_pct:
        return COMPLETED
    return NOT_COMPLETED


def grade_member(*, role: str, score: float | None, tasks_done_pct: float, tasks_late_pct: float,
                 tasks_beyond_pct: float, shortcomings_fixed: bool, discipline: str = "none",
                 degradation: bool = False, admitted: date | None = None, exempt: bool = False,
                 suspended: bool = False, year: int, review_date: date | None = None,
                 unit_plan_pct: float | None = None, low_confidence_pct: float | None = None,
                 settings: AppraisalRuleSettings = DEFAULTS) -> Grading:
    """Grade one member, leader or collective for `year`; a `Grading` that unpacks as (grade, reasons).

    In order:
    1. APR-1 — Quy định 366-QĐ/TW, Điều 5.2 (med): an exempt, suspended or recently admitted member
       (individuals only) → not_reviewed, reasons ["APR-1"].
    2. APR-3 — 366 Điều 11.4 (med): a cause of `cap_reasons` → not_completed, reasons ["APR-3"].
    3. APR-2 — 366 Điều 10–11 (med): the lower of the score's `band` and `conditions_grade` (the
       highest grade whose conditions hold), reasons ["APR-2"].
    APR-7 — Quy định 124-QĐ/TW (med): for a year before 2025 there is no 100-point scale: step 3 is
    `conditions_grade` alone (the score is ignored and may be None, and good allows
    `old_regime_good_max_late_pct` late, low) and "APR-7" is added to the reasons. From 2025 the score may be None only for someone not reviewed or capped (steps 1–2). `review_date` defaults to 31/12 of the year. The grade is monotone non-decreasing in the
    score with every other input fixed. ValueError (Vietnamese) for an invalid input.
    """
    if role not in ROLES:
        raise ValueError(f"Vai trò không hợp lệ: «{role}» (chọn {', '.join(ROLES)}).")
    if discipline not in DISCIPLINES:
        raise ValueError(f"Hình thức kỷ luật không hợp lệ: «{discipline}» (chọn {', '.join(DISCIPLINES)}).")
    for name, value in (("tasks_done_pct", tasks_done_pct), ("tasks_late_pct", tasks_late_pct),
                        ("tasks_beyond_pct", tasks_beyond_pct)):
        _check_pct(name, value)
    _check_pct("unit_plan_pct", unit_plan_pct, optional=True)
    _check_pct("low_confidence_pct", low_confidence_pct, optional=True)
    regulation = regulation_for_year(year, settings=settings)
    old = regulation == REGULATION_124
    if score is not None:
        _check_pct("score", score)
    review_date = review_date or default_review_date(year)

    if role != Role.COLLECTIVE:
        why = not_reviewed_reason(exempt=exempt, suspended=suspended, admitted=admitted,
                                  review_date=review_date, settings=settings)
        if why:
            return Grading(NOT_REVIEWED, _reasons("APR-1", regulation=regulation), regulation, why)
    caps = cap_reasons(role=role, discipline=discipline, degradation=degradation, tasks_done_pct=tasks_done_pct,
                       unit_plan_pct=unit_plan_pct, low_confidence_pct=low_confidence_pct, settings=settings)
    if caps:
        return Grading(NOT_COMPLETED, _reasons("APR-3", regulation=regulation), regulation, " ".join(caps))
    by_conditions = conditions_grade(
        role=role, tasks_done_pct=tasks_done_pct, tasks_late_pct=tasks_late_pct, tasks_beyond_pct=tasks_beyond_pct,
        shortcomings_fixed=shortcomings_fixed, discipline=discipline, unit_plan_pct=unit_plan_pct,
        settings=replace(settings, good_max_late_pct=settings.old_regime_good_max_late_pct) if old else settings)
    if old:
        return Grading(by_conditions, ("APR-7",), regulation)
    if score is None:
        raise ValueError(f"Thiếu điểm đánh giá (thang 100 điểm, Quy định {regulation}).")
    grade = min(band(score, settings=settings), by_conditions, key=GRADE_RANK.__getitem__)
    return Grading(grade, ("APR-2",), regulation)


def override(grade: Grading | str, new_grade: str, reason_text: str, *, regulation: str | None = None) -> Grading:
    """The deciding level grades otherwise than the rules, with a written reason.

    APR-3 — Quy định 366-QĐ/TW, Điều 11.4 (med): for self-detected and remedied faults or force
    majeure the competent level may grade otherwise; it must state why in writing. Returns a Grading
    with `new_grade`, the old reasons plus "APR-3" and `note` = the reason. ValueError (Vietnamese)
    when the reason is empty, a grade is unknown, or either grade is not_reviewed (APR-1 exclusions
    are not the deciding level's to waive). `regulation` is needed only when `grade` is a bare string.
    """
    if isinstance(grade, Grading):
        old, reasons, regulation = grade.grade, grade.reasons, grade.regulation
    else:
        old, reasons, regulation = grade, (), regulation or REGULATION_366
    for g in (old, new_grade):
        if g not in GRADES:
            raise ValueError(f"Mức xếp loại không hợp lệ: «{g}».")
    if NOT_REVIEWED in (old, new_grade):
        raise ValueError("Không thể xếp loại khác đối với trường hợp không đánh giá, xếp loại (APR-1).")
    text = (reason_text or "").strip()
    if not text:
        raise ValueError("Cấp có thẩm quyền xếp loại khác phải ghi rõ lý do bằng văn bản.")
    return Grading(new_grade, tuple(dict.fromkeys((*reasons, "APR-3"))), regulation, text)


# --------------------------------------------------------------------------------------------------
# APR-4: the quota of "excellent" per peer group
# --------------------------------------------------------------------------------------------------


class QuotaResult(NamedTuple):
    good: int
    excellent: int
    max_excellent: int
    exceeded: bool


class PeerQuota(NamedTuple):
    peer_group: str
    good: int
    excellent: int
    max_excellent: int
    exceeded: bool


def _grade_of(x: Grading | str) -> str:
    return x.grade if isinstance(x, Grading) else x


def max_excellent(good: int, *, exception: bool = False, settings: AppraisalRuleSettings = DEFAULTS) -> int:
    """Most "excellent" grades allowed for `good` "good" grades: 20% (25% with the exception) of it.

    APR-4 — Quy định 366-QĐ/TW, Điều 11.1 (med; settings `quota_pct`, `quota_exception_pct`); the
    rounding is not specified (low; setting `quota_rounding`: "floor" default, "round" = half up,
    "ceil"). Exact arithmetic: 10 good at 25% → 2.5 → 2 (floor), 3 (round, ceil).
    """
    pct = settings.quota_exception_pct if exception else settings.quota_pct
    exact = Fraction(str(pct)) * good / 100
    if settings.quota_rounding == "ceil":
        return math.ceil(exact)
    if settings.quota_rounding == "round":
        return math.floor(exact + Fraction(1, 2))
    return math.floor(exact)


def quota(peer_group_grades: Iterable[Grading | str], *, exception: bool = False,
          settings: AppraisalRuleSettings = DEFAULTS) -> QuotaResult:
    """Count good and excellent in one peer group and check the excellent quota.

    APR-4 — Quy định 366-QĐ/TW, Điều 11.1 (med): within a peer group (similar position and role) the
    number graded excellent must not exceed 20% of the number graded **good** (not of all), 25% where
    the competent level allows (`exception`). Same quota under 124-QĐ/TW (APR-7). With no good grade
    no excellent is allowed. `exceeded` is reported, never acted on here (see `demote_over_quota`).
    """
    grades = [_grade_of(g) for g in peer_group_grades]
    return quota_of_counts(grades.count(GOOD), grades.count(EXCELLENT), exception=exception, settings=settings)


def quota_of_counts(good: int, excellent: int, *, exception: bool = False,
                    settings: AppraisalRuleSettings = DEFAULTS) -> QuotaResult:
    """APR-4 — Quy định 366-QĐ/TW, Điều 11.1 (med): `quota` from the numbers graded good and
    excellent in one peer group (counted in the database for a province's thousands of units)."""
    limit = max_excellent(good, exception=exception, settings=settings)
    return QuotaResult(good, excellent, limit, excellent > limit)


def counted_grade(status: str, proposed_grade: str, decided_grade: str) -> str:
    """The grade a member's review adds to its unit's APR-4 count, '' when it adds none.

    APR-4 — Quy định 366-QĐ/TW, Điều 11.1 (med): the quota is checked over the grades as they stand —
    the decided grade once decided, else the cell's proposal; a review without a proposal, and a member
    not reviewed (APR-1), count in no peer group. (Kept per unit, peer group and grade in
    `appraisal.kept` so a province's check reads counts, not its 93,000 reviews.)"""
    if not proposed_grade:
        return ""
    grade = decided_grade if status == "decided" else proposed_grade
    return "" if grade in ("", NOT_REVIEWED) else grade


def _groups(results: Mapping[Any, Grading | str], peer_groups: Mapping[Any, str]) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = {}
    for key in results:
        groups.setdefault(peer_groups[key], []).append(key)
    return groups


def apply_quota(results: Mapping[Any, Grading | str], peer_groups: Mapping[Any, str], *,
                exceptions: Collection[str] = (), settings: AppraisalRuleSettings = DEFAULTS) -> list[PeerQuota]:
    """The quota check of every peer group, in the order groups first appear in `results`.

    APR-4 — Quy định 366-QĐ/TW, Điều 11.1 (med): `results` maps an id to its Grading (or grade),
    `peer_groups` the id to its peer group; groups in `exceptions` get the 25% quota. Nothing is
    downgraded: a group with `exceeded` must be acted on by the deciding level (APR-5).
    """
    return [PeerQuota(group, *quota([results[k] for k in keys], exception=group in exceptions, settings=settings))
            for group, keys in _groups(results, peer_groups).items()]


def demote_over_quota(results: Mapping[Any, Grading | str], peer_groups: Mapping[Any, str],
                      scores: Mapping[Any, float | None] | None = None, *, exceptions: Collection[str] = (),
                      settings: AppraisalRuleSettings = DEFAULTS) -> dict[Any, Grading]:
    """Results with the lowest-scored excellents of each over-quota group demoted to good.

    APR-4 — Quy định 366-QĐ/TW, Điều 11.1 (med): for use when the decision is saved. In each peer
    group, while excellent > `max_excellent(good)`, the excellent with the lowest score (None lowest;
    ties: the greater id as a string, so the earlier-listed id keeps the grade) becomes good with
    "APR-4" added to its reasons. Each demotion adds a good grade, which may raise the limit, so no
    more are demoted than needed. Returns a new dict (bare grades become Gradings under 366-QĐ/TW).
    """
    scores = scores or {}
    out = {k: v if isinstance(v, Grading) else Grading(v, (), REGULATION_366) for k, v in results.items()}
    for group, keys in _groups(out, peer_groups).items():
        exception = group in exceptions
        excellents = sorted((k for k in keys if out[k].grade == EXCELLENT),
                            key=lambda k: (-math.inf if scores.get(k) is None else scores[k], _neg_str(k)))
        good = sum(1 for k in keys if out[k].grade == GOOD)
        while len(excellents) > max_excellent(good, exception=exception, settings=settings):
            k = excellents.pop(0)
            g = out[k]
            out[k] = replace(g, grade=GOOD, reasons=tuple(dict.fromkeys((*g.reasons, "APR-4"))))
            good += 1
    return out


def _neg_str(key: Any) -> tuple[int, ...]:
    """Sort key putting the greater string first."""
    return tuple(-ord(c) for c in str(key)) + (1,)


# --------------------------------------------------------------------------------------------------
# APR-5: who decides, organisation grades
# --------------------------------------------------------------------------------------------------

#: The grassroots committee (đảng ủy cơ sở) the organisation belongs to.
DECIDER_GRASSROOTS_COMMITTEE = "grassroots_committee"
#: The standing committee of the committee directly above (ban thường vụ cấp ủy cấp trên trực tiếp).
DECIDER_UPPER_STANDING_COMMITTEE = "upper_standing_committee"
DECIDER_LABELS: dict[str, str] = {
    DECIDER_GRASSROOTS_COMMITTEE: "Đảng ủy cơ sở",
    DECIDER_UPPER_STANDING_COMMITTEE: "Ban Thường vụ cấp ủy cấp trên trực tiếp",
}


def deciding_level(org_kind: str, parent_kind: str | None) -> str:
    """Which level decides the grade of an organisation of `org_kind` under `parent_kind`.

    APR-5 — HD 43-HD/BTCTW §3 (med): a cell under a grassroots committee (directly or through a
    sub-committee) and a sub-committee → that grassroots committee (`DECIDER_GRASSROOTS_COMMITTEE`);
    a grassroots cell or grassroots committee → the standing committee one level up, for this
    committee its standing committee grading its 12 organisations; a committee above grassroots
    level → the standing committee above it (`DECIDER_UPPER_STANDING_COMMITTEE`).
    """
    if org_kind not in KIND_LABELS:
        raise ValueError(f"Loại tổ chức đảng không hợp lệ: «{org_kind}».")
    if org_kind == OrgKind.CELL and parent_kind in (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.SUB_COMMITTEE):
        return DECIDER_GRASSROOTS_COMMITTEE
    if org_kind == OrgKind.SUB_COMMITTEE:
        return DECIDER_GRASSROOTS_COMMITTEE
    if org_kind == OrgKind.CELL:
        raise ValueError(f"Chi bộ trực thuộc không thể trực thuộc «{KIND_LABELS.get(parent_kind, parent_kind)}».")
    return DECIDER_UPPER_STANDING_COMMITTEE


def org_grade(member_grades: Iterable[Grading | str], org_score: float | None, *, year: int,
              tasks_done_pct: float = 100, tasks_late_pct: float = 0, tasks_beyond_pct: float = 0,
              shortcomings_fixed: bool = True, discipline: str = "none", degradation: bool = False,
              unit_plan_pct: float | None = None, settings: AppraisalRuleSettings = DEFAULTS) -> Grading:
    """Grade a party organisation: the collective rules, then its members' grades.

    APR-5 — HD 43-HD/BTCTW §3 (med): an organisation's grade draws on its members' grades. First the
    organisation is graded as a collective by `grade_member(role="collective")` (APR-2/3, APR-7 by
    year). Then (low; setting `org_excellent_needs_no_failing_member`): an organisation cannot be
    excellent while one of its reviewed members is not completed — it becomes good, with "APR-5"
    in the reasons. Members not reviewed do not count. Nothing else is inferred from the members.
    """
    g = grade_member(role=Role.COLLECTIVE, score=org_score, tasks_done_pct=tasks_done_pct,
                     tasks_late_pct=tasks_late_pct, tasks_beyond_pct=tasks_beyond_pct,
                     shortcomings_fixed=shortcomings_fixed, discipline=discipline, degradation=degradation,
                     year=year, unit_plan_pct=unit_plan_pct, settings=settings)
    grades = [_grade_of(m) for m in member_grades]
    if g.grade == EXCELLENT and settings.org_excellent_needs_no_failing_member and NOT_COMPLETED in grades:
        n = grades.count(NOT_COMPLETED)
        return Grading(GOOD, tuple(dict.fromkeys((*g.reasons, "APR-5"))), g.regulation,
                       f"Có {n} đảng viên không hoàn thành nhiệm vụ.")
    return g


ORG_PEER_GRASSROOTS = "Tổ chức cơ sở đảng"
ORG_PEER_CELL = "Chi bộ trực thuộc, đảng bộ bộ phận"


def org_peer_group(org_kind: str) -> str:
    """The peer group an organisation's grade is counted in for the quota (APR-4 applied to
    collectives): grassroots organisations together, cells and sub-committees together."""
    return ORG_PEER_CELL if org_kind in (OrgKind.CELL, OrgKind.SUB_COMMITTEE) else ORG_PEER_GRASSROOTS


def org_grade_problems(grade: str, member_grades: Iterable[Grading | str], *,
                       settings: AppraisalRuleSettings = DEFAULTS) -> list[str]:
    """Why an organisation's decided `grade` is inconsistent with its members' grades (Vietnamese);
    empty when consistent.

    APR-5 — HD 43-HD/BTCTW §3 (med): an organisation's grade draws on its members'. With the setting
    `org_excellent_needs_no_failing_member` (low) an organisation is never excellent while one of its
    reviewed members is not completed — the check `org_grade` applies to the proposal, applied again
    to the decision (a written reason does not lift it: APR-3's mitigation is about the causes of
    "not completed", not about this consistency).
    """
    grades = [_grade_of(m) for m in member_grades]
    out = []
    if grade == EXCELLENT and settings.org_excellent_needs_no_failing_member and NOT_COMPLETED in grades:
        out.append(f"Không thể xếp «{GRADE_LABELS[EXCELLENT]}» khi có {grades.count(NOT_COMPLETED)} đảng viên "
                   f"«{GRADE_LABELS[NOT_COMPLETED]}» (APR-5).")
    return out


def grade_counts(grades: Iterable[Grading | str]) -> dict[str, dict[str, float]]:
    """Count and share (%) of each grade, for the tables of the summary report. Shares are of the
    members reviewed (not_reviewed excluded), rounded to 0.1; not_reviewed gets its count only."""
    grades = [_grade_of(g) for g in grades]
    reviewed = sum(1 for g in grades if g in RANKED_GRADES)
    out: dict[str, dict[str, float]] = {}
    for g in GRADES:
        n = grades.count(g)
        pct = round(n * 100 / reviewed, 1) if reviewed and g != NOT_REVIEWED else 0.0
        out[g] = {"count": n, "pct": pct}
    return out


def excellent_streak(grades_by_year: Mapping[int, str], up_to: int) -> int:
    """Consecutive years graded excellent ending with `up_to` (0 if `up_to` is not excellent).

    HD 06-HD/TW §19.2 (med-high, reference/regulations.md §4.3): the standing committee of the
    committee directly above grassroots level gives a certificate of merit to members graded
    excellent five years in a row; the years run across regimes (124-QĐ/TW then 366-QĐ/TW, APR-7).
    A year missing from `grades_by_year` breaks the streak.
    """
    n, year = 0, up_to
    while grades_by_year.get(year) == EXCELLENT:
        n += 1
        year -= 1
    return n


#: HD 06-HD/TW §19.2: five consecutive years "excellent" earn the upper standing committee's merit.
COMMENDATION_YEARS = 5


# --------------------------------------------------------------------------------------------------
# APR-6: temporary transfer, long leave
# --------------------------------------------------------------------------------------------------


def temporary_member_note(*, host_org_name: str, host_comments: str | None) -> str:
    """The note recorded with the grade of a member on temporary transfer.

    APR-6 — HD 43-HD/BTCTW §7.6 (med): a member on temporary transfer is reviewed and graded at the
    cell of their official (permanent) membership, after written comments from the cell where they
    are temporarily active. So the grade is entered at the permanent cell, and this note carries the
    host's comments; ValueError (Vietnamese) while the comments are missing.
    """
    text = (host_comments or "").strip()
    if not text:
        raise ValueError(f"Cần có nhận xét bằng văn bản của «{host_org_name}» (nơi sinh hoạt tạm thời) "
                         "trước khi đánh giá, xếp loại tại chi bộ nơi sinh hoạt chính thức.")
    return f"Nhận xét của «{host_org_name}» (nơi sinh hoạt tạm thời): {text}"


def host_comments_missing(*, temporary: bool, host_comments: str | None, host_org_name: str = "",
                          settings: AppraisalRuleSettings = DEFAULTS) -> str | None:
    """What stands in the way of proposing the grade of a member on temporary transfer, or None.

    APR-6 — HD 43-HD/BTCTW §7.6 (med; setting `temporary_without_host_comments`): the permanent cell
    grades "sau khi có ý kiến nhận xét bằng văn bản" of the host. With "block" (default) the proposal
    waits for the comments and this returns the Vietnamese reason; with "flag" it returns None and the
    caller records the proposal flagged (see `temporary_member_note`).
    """
    if not temporary or (host_comments or "").strip() or settings.temporary_without_host_comments == "flag":
        return None
    return (f"Chưa có nhận xét bằng văn bản của «{host_org_name or 'nơi sinh hoạt tạm thời'}» (APR-6): "
            "chi bộ nơi sinh hoạt chính thức chỉ đề xuất xếp loại sau khi có nhận xét.")


def grading_org(*, permanent_org: Any, temporary_host: Any = None) -> Any:
    """APR-6 — HD 43-HD/BTCTW §7.6 (med): the organisation that grades a member is always the
    permanent one, whether or not the member is on temporary transfer to `temporary_host`."""
    return permanent_org


class TaskShares(NamedTuple):
    base: float  # the number of tasks the member is measured against
    done_pct: float
    late_pct: float
    beyond_pct: float


def leave_task_shares(*, assigned: int, done: int, late: int = 0, beyond: int = 0, months_on_leave: float = 0,
                      maternity: bool = False, settings: AppraisalRuleSettings = DEFAULTS) -> TaskShares:
    """Task percentages of a member on long sick or maternity leave, on the work actually expected.

    APR-6 — HD 43-HD/BTCTW §7.5 (med; setting `long_leave_min_months`): a member on sick leave of 3
    months or more in the year, or on maternity leave, is graded on work actually done: the base is the
    year's `assigned` tasks scaled to the months at work, assigned × (12 − months_on_leave) / 12
    (low: proportional scaling is this software's reading). Shorter leave keeps the full base. Shares
    are capped at 100. ValueError when nothing was expected (a whole year on leave).
    """
    if min(assigned, done, late, beyond) < 0 or not 0 <= months_on_leave <= 12:
        raise ValueError("Số nhiệm vụ không được âm; số tháng nghỉ từ 0 đến 12.")
    base = float(assigned)
    if maternity or months_on_leave >= settings.long_leave_min_months:
        base = assigned * (12 - months_on_leave) / 12
    if base <= 0:
        raise ValueError("Không có nhiệm vụ nào trong thời gian công tác thực tế để đánh giá.")

    def pct(n: int) -> float:
        return min(100.0, round(n * 100 / base, 2))

    return TaskShares(base, pct(done), pct(late), pct(beyond))
