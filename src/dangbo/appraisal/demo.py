"""The demo's appraisal: 2021–2024 decided (124-QĐ/TW, APR-7), 2025 finished for part of the
committee and under way for the rest.

Deterministic from `rng`; idempotent (an existing 2025 campaign of `root` is returned as it is).
Self-assessments are written in bulk (demo data entry, one audit row per cell through the services
that follow); proposals and decisions go through `cell_propose`, `campaign_decide`, `org_propose`
and `org_decide`, so the APR-4 quota is enforced: where excellents exceed it, the demo's deciding
level overrides the lowest-scored ones to "good" with a written reason (APR-3), as
`rules.demote_over_quota` picks them. A few "stars" (members of the finished units, not leaders)
are excellent every year, so the 5-year commendation list has names. 2025 also has one member
suspended from party activities (APR-1: not reviewed) and, in the finished units, the written
comments of the host for every member on temporary transfer (APR-6); elsewhere they still wait.
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction

from dangbo.appraisal import rules
from dangbo.appraisal.models import DECIDED, DRAFT, PROPOSED, SELF_ASSESSED, Campaign
from dangbo.appraisal.services import (
    GRASSROOTS_KINDS,
    bulk_save,
    campaign_decide,
    campaign_open,
    cell_propose,
    org_decide,
    org_propose,
    review_host_comments,
)
from dangbo.members.models import Member
from dangbo.members.services import member_event_record
from dangbo.orgs.models import Organization

YEAR = 2025
PRIOR_YEARS = (2021, 2022, 2023, 2024)
OVERRIDE_REASON = "Ban Thường vụ xét theo tỷ lệ «hoàn thành xuất sắc» của nhóm (APR-4)."
PRIOR_NOTE = "Kết quả do các đảng bộ tiền thân quyết định, nhập lại từ hồ sơ (Quy định 124-QĐ/TW, APR-7)."
HOST_COMMENTS = ("Đồng chí chấp hành tốt nội quy, quy chế của chi bộ nơi sinh hoạt tạm thời; tham gia đầy đủ "
                 "sinh hoạt chi bộ, hoàn thành nhiệm vụ được giao.")
SUSPENSION = dict(on=date(2025, 11, 14), decision_number="05-QĐ/UBKTĐU",
                  note="Đình chỉ sinh hoạt đảng trong thời gian xem xét, xử lý (Điều lệ Đảng, Điều 40.4).")
SELF_FIELDS = ["score", "tasks_done_pct", "tasks_late_pct", "tasks_beyond_pct", "shortcomings_fixed", "status"]


def _inputs(rng: random.Random) -> dict:
    roll = rng.random()
    if roll < 0.15:  # excellent material
        return dict(score=rng.randint(90, 96), tasks_done_pct=100, tasks_late_pct=0,
                    tasks_beyond_pct=rng.randint(30, 60), shortcomings_fixed=True)
    if roll < 0.85:
        return dict(score=rng.randint(72, 89), tasks_done_pct=100, tasks_late_pct=rng.choice((0, 0, 5, 10)),
                    tasks_beyond_pct=rng.randint(0, 25), shortcomings_fixed=rng.random() < 0.8)
    if roll < 0.98:
        return dict(score=rng.randint(55, 69), tasks_done_pct=100, tasks_late_pct=rng.randint(5, 20),
                    tasks_beyond_pct=0, shortcomings_fixed=rng.random() < 0.5)
    return dict(score=rng.randint(30, 49), tasks_done_pct=rng.randint(40, 70), tasks_late_pct=rng.randint(10, 30),
                tasks_beyond_pct=0, shortcomings_fixed=False)


def _star(rng: random.Random) -> dict:
    return dict(score=rng.randint(97, 99), tasks_done_pct=100, tasks_late_pct=0, tasks_beyond_pct=rng.randint(45, 70),
                shortcomings_fixed=True)


def _self_assess(campaign: Campaign, rng: random.Random, stars: set[int], *, skip=lambda r: False) -> None:
    reviews = list(campaign.reviews.filter(status=DRAFT).order_by("pk"))
    for r in reviews:
        if skip(r):
            continue  # not yet self-assessed
        for k, v in (_star(rng) if r.member_id in stars else _inputs(rng)).items():
            setattr(r, k, v)
        r.tasks_late_pct = min(r.tasks_late_pct, r.tasks_done_pct)
        if not campaign.uses_score:
            r.score = None  # APR-7: no 100-point scale under 124-QĐ/TW
        r.status = SELF_ASSESSED
    bulk_save([r for r in reviews if r.status == SELF_ASSESSED], SELF_FIELDS)


def _decide_unit(campaign: Campaign, unit: Organization, stars: set[int]) -> None:
    pending = list(campaign.reviews.filter(unit=unit, status=PROPOSED))
    if not pending:
        return
    decided = {r.pk: r.decided_grade for r in campaign.reviews.filter(unit=unit, status=DECIDED)
               if r.decided_grade != rules.NOT_REVIEWED}
    grades = {**decided, **{r.pk: r.proposed_grade for r in pending}}
    groups = {r.pk: r.peer_group for r in campaign.reviews.filter(pk__in=grades)}
    scores = {r.pk: (200 if r.member_id in stars else (r.score or 0)) for r in pending}
    fitted = rules.demote_over_quota(grades, groups, scores)
    overrides = {r.pk: (fitted[r.pk].grade, OVERRIDE_REASON) for r in pending if fitted[r.pk].grade != r.proposed_grade}
    campaign_decide(actor=None, campaign=campaign, unit=unit, overrides=overrides)


def _propose_cells(campaign: Campaign, rng: random.Random, finished: set[int]) -> None:
    cells = Organization.objects.filter(pk__in=campaign.reviews.values("organization_id")).order_by("path")
    for cell in cells:
        unit_id = campaign.reviews.filter(organization=cell).values_list("unit_id", flat=True).first()
        if unit_id in finished or rng.random() < 0.5:
            cell_propose(actor=None, campaign=campaign, organization=cell)


def _prior_year(root: Organization, year: int, rng: random.Random, stars: set[int]) -> None:
    campaign = campaign_open(actor=None, organization=root, year=year, deadline=date(year + 1, 1, 15), note=PRIOR_NOTE)
    # the rolls carry no temporary transfer of past years: today's are not theirs (APR-6)
    campaign.reviews.filter(temporary=True).update(temporary=False, temp_host=None, host_name="", host_path="")
    _self_assess(campaign, rng, stars)
    units = {r.unit_id for r in campaign.reviews.all()}
    _propose_cells(campaign, rng, units)
    for unit in Organization.objects.filter(pk__in=units).order_by("path"):
        _decide_unit(campaign, unit, stars)


def _pick_stars(root: Organization, finished: set[int], rng: random.Random) -> set[int]:
    """About one in forty non-leading members of the finished units, in the Party since before 2021."""
    from dangbo.appraisal.services import _units, grassroots_unit, role_of

    by_path = _units(root)
    out = set()
    qs = Member.objects.filter(org_path__startswith=root.path, state="official", away=False,
                               admission_date__lt=date(2020, 6, 1)).select_related("organization").order_by("pk")
    for m in qs:
        if grassroots_unit(m.organization, by_path).pk in finished and role_of(m.position) == rules.Role.MEMBER \
                and rng.random() < 0.025:
            out.add(m.pk)
    return out


def _suspend_one(root: Organization, finished: set[int], stars: set[int], today: date) -> None:
    """One member suspended from party activities in November 2025 (APR-1: not reviewed in 2025)."""
    if today < SUSPENSION["on"]:
        return
    for m in Member.objects.filter(org_path__startswith=root.path, state="official", away=False,
                                   suspended=False).order_by("-pk")[:200]:
        last = m.events.order_by("-date", "-seq").first()
        if m.pk not in stars and (last is None or last.date < date(2025, 10, 1)):
            member_event_record(actor=None, member=m, kind="suspension", today=today, **SUSPENSION)
            return


def _org_inputs(rng: random.Random) -> dict:
    roll = rng.random()
    if roll < 0.3:
        return dict(score=rng.randint(90, 95), tasks_done_pct=100, tasks_late_pct=0, tasks_beyond_pct=rng.randint(30, 45),
                    shortcomings_fixed=True)
    return dict(score=rng.randint(75, 89), tasks_done_pct=100, tasks_late_pct=rng.choice((0, 5)),
                tasks_beyond_pct=rng.randint(5, 25), shortcomings_fixed=True)


def _org_grades(campaign: Campaign, finished: set[int], rng: random.Random, root: Organization) -> None:
    """APR-5: the finished units and their cells self-assess, the rules propose, the grassroots
    committees decide their cells and the standing committee the grassroots organisations."""
    unit_paths = [u.path for u in Organization.objects.filter(pk__in=finished)]
    rows = [o for o in campaign.org_reviews.select_related("organization").order_by("org_path")
            if any(o.org_path.startswith(p) for p in unit_paths)]
    for o in rows:
        for k, v in _org_inputs(rng).items():
            setattr(o, k, v)
        o.status = SELF_ASSESSED
        o.self_comment = "Tập thể chi ủy, đảng ủy tự đánh giá theo Mẫu 01 (HD 43-HD/BTCTW)."
    bulk_save(rows, [*SELF_FIELDS, "self_comment"])
    for o in rows:
        org_propose(actor=None, org_review=o)
    deciders = sorted({o.decider for o in campaign.org_reviews.filter(pk__in=[o.pk for o in rows])},
                      key=lambda d: (-len(d.path), d.path))  # the grassroots committees first, then the committee
    for decider in deciders:
        pending = list(campaign.org_reviews.filter(decider=decider, status=PROPOSED))
        grades = {o.pk: o.proposed_grade for o in pending}
        fitted = rules.demote_over_quota(grades, {o.pk: o.peer_group for o in pending}, {o.pk: o.score for o in pending})
        overrides = {o.pk: (fitted[o.pk].grade, OVERRIDE_REASON) for o in pending if fitted[o.pk].grade != o.proposed_grade}
        org_decide(actor=None, campaign=campaign, decider=decider, overrides=overrides, on=date(YEAR + 1, 1, 10))


@transaction.atomic
def build_appraisal_demo(*, root: Organization, today: date, rng: random.Random) -> Campaign:
    existing = Campaign.objects.filter(year=YEAR, organization=root).first()
    if existing is not None:
        return existing
    units = list(Organization.objects.filter(path__startswith=root.path, kind__in=GRASSROOTS_KINDS,
                                             valid_to__isnull=True).order_by("path"))
    finished = {u.pk for u in rng.sample(units, k=len(units) // 2)}
    stars = _pick_stars(root, finished, rng)
    for year in PRIOR_YEARS:
        if not Campaign.objects.filter(year=year, organization=root).exists():
            _prior_year(root, year, rng, stars)
    _suspend_one(root, finished, stars, today)
    campaign = campaign_open(actor=None, organization=root, year=YEAR, deadline=date(YEAR + 1, 1, 15))
    _self_assess(campaign, rng, stars, skip=lambda r: r.unit_id not in finished and rng.random() < 0.2)
    for r in campaign.reviews.filter(unit_id__in=finished, temporary=True, status=SELF_ASSESSED):
        review_host_comments(actor=None, review=r, text=HOST_COMMENTS, on=date(YEAR, 12, 10))
    _propose_cells(campaign, rng, finished)
    for unit in units:
        if unit.pk in finished:
            _decide_unit(campaign, unit, stars)
    _org_grades(campaign, finished, rng, root)
    return campaign
