"""Writes of the annual appraisal. Each validates, writes and records an audit event atomically.

The grades come from the pure rules (`appraisal.rules`): APR-1 at `campaign_open`, APR-2/3/7 at
`review_propose`, APR-4 (and APR-3's written-reason override) at `campaign_decide`. Permission checks
(who may call what) live in the views, through `appraisal.selectors`.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

from django.db import transaction

from dangbo.appraisal import rules
from dangbo.appraisal.models import DECIDED, DRAFT, PROPOSED, SELF_ASSESSED, Campaign, Review
from dangbo.audit.services import audit_record
from dangbo.core.errors import InvalidInput
from dangbo.core.rulesettings import configured
from dangbo.members import rules as member_rules
from dangbo.members.models import Member, MemberEvent
from dangbo.orgs.models import Organization
from dangbo.orgs.rules import OrgKind
from dangbo.text.vietnamese import fold

GRASSROOTS_KINDS = (OrgKind.GRASSROOTS_COMMITTEE.value, OrgKind.GRASSROOTS_CELL.value)
SELF_FIELDS = ("score", "tasks_done_pct", "tasks_late_pct", "tasks_beyond_pct", "shortcomings_fixed",
               "discipline", "degradation", "self_comment")
PCT_FIELDS = ("score", "tasks_done_pct", "tasks_late_pct", "tasks_beyond_pct")
_LEADING_WORDS = ("truong ", "pho ", "giam doc", "chanh ", "tong ", "bi thu", "chu tich", "hieu truong")
PEER_GROUP_LABELS = {"leader": "Cán bộ lãnh đạo, quản lý", "member": "Đảng viên không giữ chức vụ lãnh đạo"}


def rule_settings() -> rules.AppraisalRuleSettings:
    """The med/low appraisal rules as configured (settings.DANGBO_RULES), documented defaults otherwise."""
    return configured(rules.AppraisalRuleSettings)


def role_of(position: str) -> str:
    """"leader" for a leading or managing position (Trưởng/Phó …, Giám đốc, Chánh …), else "member"."""
    p = fold(position or "").lower() + " "
    return rules.Role.LEADER.value if any(p.startswith(w) or f" {w}" in p for w in _LEADING_WORDS) \
        else rules.Role.MEMBER.value


def _label(field: str) -> str:
    return str(Review._meta.get_field(field).verbose_name)


def _units(org: Organization) -> dict[str, Organization]:
    """Organisations of the subtree and its ancestors by path, to find each cell's grassroots unit."""
    ancestors = [p for p in _prefixes(org.path)]
    qs = Organization.objects.filter(path__startswith=org.path) | Organization.objects.filter(path__in=ancestors)
    return {o.path: o for o in qs}


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{x}/" for x in parts[: i + 1]) for i in range(len(parts))]


def grassroots_unit(org: Organization, by_path: dict[str, Organization]) -> Organization:
    """The grassroots organisation (đảng bộ cơ sở / chi bộ cơ sở) `org` belongs to — where its
    members' grades are decided and the APR-4 quota is counted; `org` itself when there is none."""
    for prefix in reversed(_prefixes(org.path)):
        o = by_path.get(prefix)
        if o is not None and o.kind in GRASSROOTS_KINDS:
            return o
    return org


def _heaviest_disciplines(member_ids, year: int) -> dict[int, str]:
    out: dict[int, str] = {}
    order = rules.DISCIPLINES
    for mid, details in MemberEvent.objects.filter(member_id__in=member_ids, kind="discipline",
                                                   date__year=year).values_list("member_id", "details"):
        level = (details or {}).get("level")
        if level in order and order.index(level) > order.index(out.get(mid, "none")):
            out[mid] = level
    return out


@transaction.atomic
def campaign_open(*, actor, organization: Organization, year: int, review_date: date | None = None,
                  deadline: date | None = None) -> Campaign:
    """Open the appraisal of `year` for `organization`'s subtree: a review for every current member.

    APR-1 — members exempt from activities and members admitted less than 6 months before the review
    date are created decided, grade not_reviewed, with the reason. (The registry has no suspension
    state yet, so nobody is excluded as suspended.) APR-7 — the regulation comes from the year.
    Disciplines recorded in the year are pre-filled (APR-3). Reviews are bulk-created.
    """
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput("Năm đánh giá không hợp lệ.", field="year")
    if organization.valid_to is not None:
        raise InvalidInput(f"«{organization.name}» đã giải thể.", field="organization")
    if Campaign.objects.filter(year=year, organization=organization).exists():
        raise InvalidInput(f"Đã có đợt đánh giá năm {year} của «{organization.name}».", field="year")
    cfg = rule_settings()
    review_date = review_date or rules.default_review_date(year)
    deadline = deadline or review_date
    if deadline < date(year, 1, 1):
        raise InvalidInput("Hạn hoàn thành phải trong hoặc sau năm đánh giá.", field="deadline")
    regulation = rules.regulation_for_year(year, settings=cfg)
    campaign = Campaign.objects.create(year=year, organization=organization, org_path=organization.path,
                                       review_date=review_date, deadline=deadline, regulation=regulation)
    by_path = _units(organization)
    members = list(Member.objects.filter(org_path__startswith=organization.path,
                                         state__in=member_rules.COUNTED_STATES).select_related("organization"))
    disciplines = _heaviest_disciplines([m.pk for m in members], year)
    old = regulation == rules.REGULATION_124
    rows, excluded = [], 0
    for m in members:
        role = role_of(m.position)
        r = Review(campaign=campaign, member=m, organization=m.organization,
                   unit=grassroots_unit(m.organization, by_path), org_path=m.org_path,
                   peer_group=PEER_GROUP_LABELS[role], role=role, regulation=regulation,
                   discipline=disciplines.get(m.pk, "none"))
        why = rules.not_reviewed_reason(exempt=m.state == member_rules.EXEMPT, admitted=m.admission_date,
                                        review_date=review_date, settings=cfg)
        if why:
            excluded += 1
            r.status, r.proposed_grade, r.decided_grade, r.note = DECIDED, rules.NOT_REVIEWED, rules.NOT_REVIEWED, why
            r.reasons = ["APR-1", "APR-7"] if old else ["APR-1"]
        rows.append(r)
    Review.objects.bulk_create(rows, batch_size=1000)
    audit_record(actor=actor, action="appraisal.open", obj=campaign, org_path=campaign.org_path,
                 after={"year": year, "organization": organization.pk, "review_date": review_date,
                        "deadline": deadline, "regulation": regulation, "reviews": len(rows),
                        "not_reviewed": excluded})
    return campaign


def _clean_self(data: dict, *, uses_score: bool) -> dict:
    out = {}
    for f in SELF_FIELDS:
        if f in data:
            out[f] = data[f]
    for f in PCT_FIELDS:
        value = out.get(f)
        if value in (None, ""):
            if f == "score" and not uses_score:
                out[f] = None
                continue
            raise InvalidInput(f"Trường «{_label(f)}» là bắt buộc.", field=f)
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InvalidInput(f"Trường «{_label(f)}» phải là một số.", field=f) from None
        if math.isnan(value) or not 0 <= value <= 100:
            raise InvalidInput(f"Trường «{_label(f)}» phải là một số từ 0 đến 100.", field=f)
        out[f] = value
    for f in ("tasks_late_pct", "tasks_beyond_pct"):
        if out[f] > out["tasks_done_pct"]:
            raise InvalidInput(f"Trường «{_label(f)}» không được lớn hơn «{_label('tasks_done_pct')}» "
                               "(chỉ tính trong số nhiệm vụ đã hoàn thành).", field=f)
    if out.get("discipline", "none") not in rules.DISCIPLINES:
        raise InvalidInput(f"Trường «{_label('discipline')}»: lựa chọn không hợp lệ.", field="discipline")
    for f in ("shortcomings_fixed", "degradation"):
        if f in out:
            out[f] = bool(out[f])
    if "self_comment" in out:
        out["self_comment"] = (out["self_comment"] or "").strip()
    return out


def _inputs(review: Review) -> dict:
    return {f: getattr(review, f) for f in SELF_FIELDS}


@transaction.atomic
def review_self_assess(*, actor, review: Review, data: dict) -> Review:
    """The member's self-assessment: the inputs of `rules.grade_member` (Vietnamese messages name the
    field). Allowed while the cell has not proposed a grade."""
    review = Review.objects.select_for_update().select_related("campaign").get(pk=review.pk)
    if review.status not in (DRAFT, SELF_ASSESSED):
        raise InvalidInput("Chi bộ đã đề xuất xếp loại; phiếu tự đánh giá không sửa được nữa.")
    before = _inputs(review)
    cleaned = _clean_self(data, uses_score=review.campaign.uses_score)
    if "discipline" in cleaned:
        # APR-3: a member may report a discipline the registry does not have yet, never a lighter one
        # than the registry records for the year
        recorded = _heaviest_disciplines([review.member_id], review.campaign.year).get(review.member_id, "none")
        order = rules.DISCIPLINES
        if order.index(cleaned["discipline"]) < order.index(recorded):
            cleaned["discipline"] = recorded
    for key, value in cleaned.items():
        setattr(review, key, value)
    review.status = SELF_ASSESSED
    review.save()
    after = _inputs(review)
    audit_record(actor=actor, action="appraisal.self_assess", obj=review, org_path=review.org_path,
                 before={k: before[k] for k in after if after[k] != before[k]},
                 after={**{k: after[k] for k in after if after[k] != before[k]}, "status": review.status})
    return review


def _grade(review: Review, campaign: Campaign, cfg) -> rules.Grading:
    try:
        return rules.grade_member(
            role=review.role, score=review.score, tasks_done_pct=review.tasks_done_pct,
            tasks_late_pct=review.tasks_late_pct, tasks_beyond_pct=review.tasks_beyond_pct,
            shortcomings_fixed=review.shortcomings_fixed, discipline=review.discipline,
            degradation=review.degradation, year=campaign.year, review_date=campaign.review_date, settings=cfg)
    except ValueError as exc:
        raise InvalidInput(f"{review.member.full_name}: {exc}") from exc


def _set_proposal(review: Review, g: rules.Grading) -> None:
    review.proposed_grade, review.reasons, review.note, review.regulation = g.grade, list(g.reasons), g.note, \
        g.regulation
    review.status = PROPOSED


@transaction.atomic
def review_propose(*, actor, review: Review) -> Review:
    """The cell's proposal: the grade `rules.grade_member` gives the self-assessment (APR-2/3/7)."""
    review = Review.objects.select_for_update().select_related("campaign", "member").get(pk=review.pk)
    if review.status not in (SELF_ASSESSED, PROPOSED):
        raise InvalidInput("Chỉ đề xuất được phiếu đã tự đánh giá và chưa có quyết định.")
    _set_proposal(review, _grade(review, review.campaign, rule_settings()))
    review.save()
    audit_record(actor=actor, action="appraisal.propose", obj=review, org_path=review.org_path,
                 after={"proposed_grade": review.proposed_grade, "reasons": review.reasons, "note": review.note})
    return review


@transaction.atomic
def cell_propose(*, actor, campaign: Campaign, organization: Organization) -> int:
    """Propose the grade of every self-assessed review of one cell (bulk; one audit row)."""
    cfg = rule_settings()
    reviews = list(campaign.reviews.select_for_update().select_related("member")
                   .filter(organization=organization, status=SELF_ASSESSED))
    for r in reviews:
        _set_proposal(r, _grade(r, campaign, cfg))
    Review.objects.bulk_update(reviews, ["proposed_grade", "reasons", "note", "regulation", "status"], batch_size=1000)
    audit_record(actor=actor, action="appraisal.propose_cell", obj=campaign, org_path=organization.path,
                 after={"organization": organization.pk,
                        "proposed": dict(Counter(r.proposed_grade for r in reviews))})
    return len(reviews)


def quota_rows(campaign: Campaign, unit: Organization, grades: dict[int, str], peer_groups: dict[int, str], *,
               exceptions=()) -> list[rules.PeerQuota]:
    """APR-4 per peer group of one grassroots unit (not_reviewed never counts)."""
    counted = {k: g for k, g in grades.items() if g and g != rules.NOT_REVIEWED}
    return rules.apply_quota(counted, {k: peer_groups[k] for k in counted}, exceptions=exceptions,
                             settings=rule_settings())


def quota_message(rows: list[rules.PeerQuota]) -> str:
    cfg = rule_settings()
    parts = [f"nhóm «{q.peer_group}» có {q.excellent} «{rules.GRADE_LABELS[rules.EXCELLENT]}», tối đa "
             f"{q.max_excellent} ({cfg.quota_pct:g}% của {q.good} «{rules.GRADE_LABELS[rules.GOOD]}»)"
             for q in rows if q.exceeded]
    return ("Vượt tỷ lệ xuất sắc (APR-4): " + "; ".join(parts) + ". Xếp loại khác (ghi rõ lý do) để đưa về "
            "trong tỷ lệ trước khi lưu quyết định.")


@transaction.atomic
def campaign_decide(*, actor, campaign: Campaign, unit: Organization, overrides: dict | None = None,
                    exceptions=()) -> int:
    """The deciding level decides the proposed grades of one grassroots unit.

    `overrides` maps a review id to (grade, written reason): APR-3 — the deciding level may grade
    otherwise, always with a reason (rules.override). APR-4 — the excellent quota is checked per peer
    group over every decided review of the unit (those decided before and these); the decision is
    refused while a group exceeds it. Returns the number of reviews decided.
    """
    overrides = overrides or {}
    unit_reviews = list(campaign.reviews.select_for_update().filter(unit=unit).select_related("member"))
    pending = [r for r in unit_reviews if r.status == PROPOSED]
    if not pending:
        raise InvalidInput(f"«{unit.name}» chưa có phiếu nào được chi bộ đề xuất để quyết định.")
    unknown = set(overrides) - {r.pk for r in pending}
    if unknown:
        raise InvalidInput("Chỉ xếp loại khác được các phiếu đang chờ quyết định.", field="overrides")
    decided: dict[int, rules.Grading] = {}
    overridden: set[int] = set()
    for r in pending:
        g = rules.Grading(r.proposed_grade, tuple(r.reasons), r.regulation, r.note)
        if r.pk in overrides:
            new_grade, reason = overrides[r.pk]
            if (new_grade and new_grade != r.proposed_grade) or (reason or "").strip():
                try:
                    g = rules.override(g, new_grade or r.proposed_grade, reason)
                except ValueError as exc:
                    raise InvalidInput(f"{r.member.full_name}: {exc}", field=f"reason_{r.pk}") from exc
                overridden.add(r.pk)
        decided[r.pk] = g
    grades = {r.pk: r.decided_grade for r in unit_reviews if r.status == DECIDED}
    grades.update({k: g.grade for k, g in decided.items()})
    rows = quota_rows(campaign, unit, grades, {r.pk: r.peer_group for r in unit_reviews}, exceptions=exceptions)
    if any(q.exceeded for q in rows):
        raise InvalidInput(quota_message(rows), field="quota")
    for r in pending:
        g = decided[r.pk]
        r.decided_grade, r.reasons, r.status = g.grade, list(g.reasons), DECIDED
        r.override_reason = g.note if r.pk in overridden else ""
    Review.objects.bulk_update(pending, ["decided_grade", "reasons", "status", "override_reason"], batch_size=1000)
    for r in pending:
        if r.override_reason:
            audit_record(actor=actor, action="appraisal.override", obj=r, org_path=r.org_path,
                         before={"proposed_grade": r.proposed_grade},
                         after={"decided_grade": r.decided_grade, "override_reason": r.override_reason})
    audit_record(actor=actor, action="appraisal.decide", obj=campaign, org_path=unit.path,
                 after={"unit": unit.pk, "decided": len(pending),
                        "grades": dict(Counter(g.grade for g in decided.values())),
                        "quota": [q._asdict() for q in rows]})
    return len(pending)
