"""The APR-4 quota check reads the reviews alone: never the member table (a province's check at the
nation's scale would otherwise scan millions of member rows for an order it does not use)."""

from collections import defaultdict

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.accounts.selectors import scope_of
from dangbo.accounts.services import account_create
from dangbo.appraisal import kept, rules, services
from dangbo.appraisal.models import DECIDED, STATUSES, Review
from dangbo.appraisal.selectors import quota_boxes, review_list
from dangbo.appraisal.services import campaign_open


def test_quota_check_reads_no_member_row(world):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    Review.objects.filter(campaign=c, member=world.lan).update(proposed_grade="excellent", status="proposed")
    Review.objects.filter(campaign=c, member=world.hung).update(proposed_grade="good", status="proposed")
    kept.rebuild(campaign_id=c.pk)  # written past the services: the kept counts recomputed
    with CaptureQueriesContext(connection) as ctx:
        rows = quota_boxes(user=world.office, campaign=c)
    assert [(r["unit"], r["good"], r["excellent"]) for r in rows] == [("Đảng bộ cơ sở A", 1, 1)]
    assert not [q["sql"] for q in ctx.captured_queries if "members_member" in q["sql"]]


# ------------------------------------------------------------------------------------------------
# The grouped count equals the review-by-review reading it replaced (the oracle: main at c72039b)
# ------------------------------------------------------------------------------------------------


def quota_boxes_oracle(*, user, campaign, unit_id=None, preview=None, exceptions=()):
    """quota_boxes as it was: every review read into Python, grouped and checked there."""
    scope = scope_of(user)
    if not scope.sees_tree:
        return []
    qs = review_list(user=user, campaign=campaign).exclude(proposed_grade="").order_by()
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    by_unit = defaultdict(lambda: {"grades": {}, "groups": {}})
    names = {}
    for pk, unit, uname, upath, group, proposed, decided, status in qs.values_list(
            "pk", "unit_id", "unit__name", "unit__path", "peer_group", "proposed_grade", "decided_grade", "status"):
        if not upath.startswith(scope.org_path):
            continue
        names[unit] = uname
        grade = (preview or {}).get(pk) or (decided if status == DECIDED else proposed)
        by_unit[unit]["grades"][pk] = grade
        by_unit[unit]["groups"][pk] = group
    out = []
    for unit, data in by_unit.items():
        for q in services.quota_rows(campaign, None, data["grades"], data["groups"], exceptions=exceptions):
            out.append({"unit_id": unit, "unit": names[unit], **q._asdict()})
    return sorted(out, key=lambda r: (r["unit"], r["peer_group"], r["unit_id"]))


@pytest.fixture
def crowd(world):
    """The test world with 14 more members across its cells and a secretary of one cell (a unit above
    her subtree is not hers to check)."""
    world.more = [world.add(org, f"Trần Văn Thêm {i}") for i, org in
                  enumerate([world.a1, world.a2, world.b, world.x1] * 3 + [world.a1, world.b])]
    world.cell_secretary = account_create(actor=None, username="cellsec", password="x", role="secretary",
                                          organization=world.a1, check_password=False)
    return world


GRADE_OR_BLANK = st.sampled_from(["", *rules.GRADES])
REVIEW = st.tuples(GRADE_OR_BLANK, GRADE_OR_BLANK, st.sampled_from(STATUSES), st.sampled_from(["P1", "P2", "P3"]),
                   st.sampled_from(["a", "b", "a1"]), st.one_of(st.none(), GRADE_OR_BLANK))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reviews=st.lists(REVIEW, min_size=19, max_size=19), who=st.sampled_from(["office", "secretary", "cell_secretary",
                                                                               "member_user", "outsider"]),
       unit=st.sampled_from([None, "a", "b", "a1"]), exceptions=st.sets(st.sampled_from(["P1", "P2", "P3"])),
       quota=st.sampled_from([(20, 25, "floor"), (20, 25, "ceil"), (25, 30, "round")]))
def test_grouped_quota_equals_the_review_by_review_reading(crowd, reviews, who, unit, exceptions, quota):
    """Random campaigns (grades proposed and decided, statuses, peer groups, units, a preview of some
    reviews, exception groups, the quota settings), every kind of user: the same boxes as before."""
    pct, exception_pct, rounding = quota
    rule_settings = {"quota_pct": pct, "quota_exception_pct": exception_pct, "quota_rounding": rounding}
    with transaction.atomic():
        c = campaign_open(actor=None, organization=crowd.root, year=2025)
        rows = list(Review.objects.filter(campaign=c).order_by("pk"))
        preview = {}
        for r, (proposed, decided, status, group, unit_code, shown) in zip(rows, reviews, strict=False):
            r.proposed_grade, r.decided_grade, r.status, r.peer_group = proposed, decided, status, group
            if r.org_path.startswith(getattr(crowd, unit_code).path):  # a unit is above its cell, as opened
                r.unit = getattr(crowd, unit_code)
            if shown is not None:
                preview[r.pk] = shown
        Review.objects.bulk_update(rows, ["proposed_grade", "decided_grade", "status", "peer_group", "unit"])
        kept.rebuild(campaign_id=c.pk)
        preview[10**9] = rules.EXCELLENT  # a review that is not there changes nothing
        args = {"user": getattr(crowd, who), "campaign": c, "unit_id": getattr(crowd, unit).pk if unit else None,
                "preview": preview, "exceptions": exceptions}
        with override_settings(DANGBO_RULES=rule_settings):
            assert quota_boxes(**args) == quota_boxes_oracle(**args)
            assert quota_boxes(**{**args, "preview": None}) == quota_boxes_oracle(**{**args, "preview": None})
        transaction.set_rollback(True)
