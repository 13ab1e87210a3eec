"""The demo's 2025 appraisal: finished for part of the committee, under way for the rest.

Deterministic from `rng`; idempotent (an existing 2025 campaign of `root` is returned as it is).
Self-assessments are written in bulk (demo data entry, one audit row per cell through the services
that follow); proposals and decisions go through `cell_propose` and `campaign_decide`, so the APR-4
quota is enforced: where a unit's excellents exceed it, the demo's deciding level overrides the
lowest-scored ones to "good" with a written reason (APR-3), as `rules.demote_over_quota` picks them.
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction

from dangbo.appraisal import rules
from dangbo.appraisal.models import DRAFT, PROPOSED, SELF_ASSESSED, Campaign, Review
from dangbo.appraisal.services import GRASSROOTS_KINDS, campaign_decide, campaign_open, cell_propose
from dangbo.orgs.models import Organization

YEAR = 2025
OVERRIDE_REASON = "Ban Thường vụ xét theo tỷ lệ «hoàn thành xuất sắc» của nhóm (APR-4)."


def _inputs(rng: random.Random) -> dict:
    roll = rng.random()
    if roll < 0.15:  # excellent material
        return dict(score=rng.randint(90, 98), tasks_done_pct=100, tasks_late_pct=0,
                    tasks_beyond_pct=rng.randint(30, 60), shortcomings_fixed=True)
    if roll < 0.85:
        return dict(score=rng.randint(72, 89), tasks_done_pct=100, tasks_late_pct=rng.choice((0, 0, 5, 10)),
                    tasks_beyond_pct=rng.randint(0, 25), shortcomings_fixed=rng.random() < 0.8)
    if roll < 0.98:
        return dict(score=rng.randint(55, 69), tasks_done_pct=100, tasks_late_pct=rng.randint(5, 20),
                    tasks_beyond_pct=0, shortcomings_fixed=rng.random() < 0.5)
    return dict(score=rng.randint(30, 49), tasks_done_pct=rng.randint(40, 70), tasks_late_pct=rng.randint(10, 30),
                tasks_beyond_pct=0, shortcomings_fixed=False)


@transaction.atomic
def build_appraisal_demo(*, root: Organization, today: date, rng: random.Random) -> Campaign:
    existing = Campaign.objects.filter(year=YEAR, organization=root).first()
    if existing is not None:
        return existing
    campaign = campaign_open(actor=None, organization=root, year=YEAR, deadline=date(YEAR + 1, 1, 15))
    units = list(Organization.objects.filter(path__startswith=root.path, kind__in=GRASSROOTS_KINDS,
                                             valid_to__isnull=True).order_by("path"))
    finished = {u.pk for u in rng.sample(units, k=len(units) // 2)}
    reviews = list(campaign.reviews.filter(status=DRAFT).order_by("pk"))
    for r in reviews:
        if r.unit_id not in finished and rng.random() < 0.2:
            continue  # not yet self-assessed
        for k, v in _inputs(rng).items():
            setattr(r, k, v)
        r.tasks_late_pct = min(r.tasks_late_pct, r.tasks_done_pct)
        r.status = SELF_ASSESSED
    Review.objects.bulk_update(reviews, ["score", "tasks_done_pct", "tasks_late_pct", "tasks_beyond_pct",
                                         "shortcomings_fixed", "status"], batch_size=1000)
    cells = Organization.objects.filter(pk__in=campaign.reviews.values("organization_id")).order_by("path")
    for cell in cells:
        unit_id = campaign.reviews.filter(organization=cell).values_list("unit_id", flat=True).first()
        if unit_id in finished or rng.random() < 0.5:
            cell_propose(actor=None, campaign=campaign, organization=cell)
    for unit in units:
        if unit.pk not in finished:
            continue
        pending = list(campaign.reviews.filter(unit=unit, status=PROPOSED))
        if not pending:
            continue
        decided = {r.pk: r.decided_grade for r in campaign.reviews.filter(unit=unit, status="decided")
                   if r.decided_grade != rules.NOT_REVIEWED}
        grades = {**decided, **{r.pk: r.proposed_grade for r in pending}}
        groups = {r.pk: r.peer_group for r in campaign.reviews.filter(pk__in=grades)}
        fitted = rules.demote_over_quota(grades, groups, {r.pk: r.score for r in pending})
        overrides = {r.pk: (fitted[r.pk].grade, OVERRIDE_REASON) for r in pending
                     if fitted[r.pk].grade != r.proposed_grade}
        campaign_decide(actor=None, campaign=campaign, unit=unit, overrides=overrides)
    return campaign
