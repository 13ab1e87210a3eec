"""Reads of the member procedures, always scoped (see accounts.selectors): office staff and
secretaries see the admission files of their subtree; "what is due" lists the deadlines of the
user's part of the tree, sorted by date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse

from dangbo.accounts.selectors import scope_of
from dangbo.core.rulesettings import configured
from dangbo.members import rules as mr
from dangbo.members.models import Member, MemberEvent
from dangbo.procedures import rules
from dangbo.procedures.models import Applicant
from dangbo.workdays.selectors import calendar_days

#: how far ahead "what is due" looks
HORIZON_DAYS = 90


def applicant_list(*, user, include_done: bool = False):
    scope = scope_of(user)
    if not scope.sees_tree:
        return Applicant.objects.none()
    qs = Applicant.objects.filter(org_path__startswith=scope.org_path).select_related("organization")
    return qs if include_done else qs.filter(member__isnull=True)


def applicant_get(*, user, applicant_id: int) -> Applicant:
    a = applicant_list(user=user, include_done=True).filter(pk=applicant_id).first()
    if a is None:
        raise Http404("Không tìm thấy hồ sơ kết nạp.")
    return a


def introducer_choices(*, user):
    """Official members of the user's subtree who may introduce (ADM-2), by name."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return Member.objects.none()
    return Member.objects.filter(org_path__startswith=scope.org_path, state__in=list(mr.OFFICIAL_STATES)) \
        .order_by("name_sort").only("id", "full_name", "birth_date")


@dataclass(frozen=True)
class Due:
    on: date
    kind: str  # label of the procedure
    who: str
    org: str
    url: str
    late: bool = False


def due_list(*, user, today: date | None = None, horizon_days: int = HORIZON_DAYS) -> list[Due]:
    """What is due in the user's scope up to `horizon_days` ahead (late items first: their date is past):
    ceremonies to hold (ADM-5), admission files waiting, probation ending and recognition overdue
    (MEM-1), badges to award at the coming occasions (MEM-3)."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return []
    today = today or date.today()
    until = today + timedelta(days=horizon_days)
    cfg = configured(mr.MemberRuleSettings)
    off, worked = calendar_days(today - timedelta(days=800), until + timedelta(days=120))
    out: list[Due] = []
    for a in Applicant.objects.filter(org_path__startswith=scope.org_path, member__isnull=True) \
            .select_related("organization"):
        url = reverse("procedure_applicant", args=[a.id])
        if a.step == "ceremony":
            last = rules.ceremony_deadline(a.decision_received_date, off, worked,
                                           settings=configured(rules.AdmissionRuleSettings))
            out.append(Due(last, "Tổ chức lễ kết nạp (hạn chót)", a.full_name, a.organization.name, url,
                           late=last < today))
        else:
            out.append(Due(today, f"Hồ sơ kết nạp, bước tiếp theo: {a.step_label}", a.full_name, a.organization.name,
                           url))
    probationary = Member.objects.filter(org_path__startswith=scope.org_path, state=mr.PROBATIONARY) \
        .select_related("organization").only("id", "full_name", "ceremony_date", "admission_date",
                                             "organization__name")
    for m in probationary:
        start = m.ceremony_date or m.admission_date
        if start is None:
            continue
        end = mr.probation_end(start, settings=cfg)
        deadline = rules.recognition_deadline(end, off, worked, settings=cfg)
        url = reverse("member_detail", args=[m.id])
        if deadline < today:
            out.append(Due(deadline, "Quá hạn xét công nhận đảng viên chính thức", m.full_name,
                           m.organization.name, url, late=True))
        elif end <= until:
            out.append(Due(deadline, f"Xét công nhận đảng viên chính thức (hết dự bị {end:%d/%m/%Y})", m.full_name,
                           m.organization.name, url))
    away = Member.objects.filter(org_path__startswith=scope.org_path, away=True).select_related("organization") \
        .prefetch_related(Prefetch("events", queryset=MemberEvent.objects.filter(kind="temp_transfer_out")))
    for m in away:  # MEM-5: temporary transfers ending (the latest temporary transfer out)
        outs = [e for e in m.events.all() if e.kind == "temp_transfer_out" and e.end_date]
        if outs:
            end = max(outs, key=lambda e: (e.date, e.id)).end_date
            if end <= until:
                out.append(Due(end, "Hết thời hạn sinh hoạt đảng tạm thời", m.full_name, m.organization.name,
                               reverse("member_detail", args=[m.id]), late=end < today))
    occasion = mr.next_award_day(today, settings=cfg)
    if occasion <= until:
        n = len(badge_list(user=user, occasion=occasion, today=today))
        if n:
            out.append(Due(occasion, f"Trao Huy hiệu Đảng ngày {occasion:%d/%m/%Y}: lập danh sách đề nghị",
                           f"{n} đảng viên", "", reverse("procedure_badges")))
    return sorted(out, key=lambda d: (d.on, not d.late, d.kind, d.who))


@dataclass(frozen=True)
class BadgeRow:
    member: Member
    tier: int
    reached: date
    held_until: date | None  # MEM-3: the discipline delay, when it holds this award back


def badge_list(*, user, occasion: date, today: date | None = None) -> list[BadgeRow]:
    """MEM-3 (med): official members of the user's scope whose next badge is due on `occasion`
    (tiers already awarded skipped, discipline delays from the discipline decision counted)."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return []
    today = today or date.today()
    cfg = configured(mr.MemberRuleSettings)
    qs = Member.objects.filter(org_path__startswith=scope.org_path, state__in=list(mr.OFFICIAL_STATES),
                               admission_date__isnull=False,
                               admission_date__lte=mr.add_years(occasion, -mr.BADGE_TIERS[0])) \
        .select_related("organization").order_by("name_sort") \
        .only("id", "full_name", "admission_date", "organization__name") \
        .prefetch_related(Prefetch("events", queryset=MemberEvent.objects.filter(kind__in=("badge", "discipline"))))
    out = []
    for m in qs:
        events = list(m.events.all())
        awarded = [e.details.get("tier") for e in events if e.kind == "badge" and e.details.get("tier")]
        disciplines = [(e.decision_date or e.date, e.details.get("level")) for e in events
                       if e.kind == "discipline" and e.details.get("level")]
        due = mr.next_badge(m.admission_date, awarded_tiers=awarded, on_date=min(today, occasion),
                            disciplines=disciplines, settings=cfg)
        if due is None or due.award_date != occasion:
            continue
        hold = mr.discipline_hold(disciplines, settings=cfg)
        reached = mr.badge_reached_date(m.admission_date, due.tier, settings=cfg)
        out.append(BadgeRow(m, due.tier, reached, hold if hold and hold > reached else None))
    return out


def transfer_members(*, user):
    """Members of the user's scope who may be transferred (probationary or official, not away)."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return Member.objects.none()
    return Member.objects.filter(org_path__startswith=scope.org_path,
                                 state__in=[mr.PROBATIONARY, *mr.OFFICIAL_STATES]).order_by("name_sort")


def transfer_imports(*, user):
    from dangbo.procedures.models import TransferImport

    scope = scope_of(user)
    if not scope.sees_tree:
        return TransferImport.objects.none()
    return TransferImport.objects.filter(org_path__startswith=scope.org_path).select_related("member") \
        .order_by("-imported_at")[:50]
