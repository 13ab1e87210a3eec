"""Hypothesis properties of the appraisal beyond the pure grade (test_rules.py): the quota holds for
whatever a deciding level saves, organisation grades agree with their members' (APR-5), the report's
shares, the excellent streak (HD 06-HD/TW §19.2) and the temporary-member gate (APR-6)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangbo.appraisal import rules
from dangbo.appraisal.models import DECIDED, PROPOSED, Review
from dangbo.appraisal.rules import (
    EXCELLENT,
    GOOD,
    NOT_COMPLETED,
    RANKED_GRADES,
    AppraisalRuleSettings,
    excellent_streak,
    grade_counts,
    host_comments_missing,
    org_grade,
    org_grade_problems,
)
from dangbo.core.errors import InvalidInput

grades_st = st.lists(st.sampled_from(RANKED_GRADES), max_size=30)
pct = st.floats(0, 100, allow_nan=False)


@given(members=grades_st, score=pct, beyond=pct, fixed=st.booleans(), discipline=st.sampled_from(rules.DISCIPLINES),
       year=st.sampled_from([2023, 2024, 2025, 2026]))
def test_org_grade_is_consistent_with_its_members(members, score, beyond, fixed, discipline, year):
    g = org_grade(members, score, year=year, tasks_beyond_pct=beyond, shortcomings_fixed=fixed, discipline=discipline)
    assert org_grade_problems(g.grade, members) == []  # APR-5: the proposal never contradicts the members
    if NOT_COMPLETED in members:
        assert g.grade != EXCELLENT
    if discipline != "none":
        assert g.grade == NOT_COMPLETED  # APR-3 for a collective: a disciplined member of its leadership
    lax = AppraisalRuleSettings(org_excellent_needs_no_failing_member=False)
    assert org_grade_problems(EXCELLENT, members, settings=lax) == []


@given(grades_st)
def test_report_shares_cover_the_members_reviewed(grades):
    counts = grade_counts(grades)
    assert sum(counts[g]["count"] for g in rules.GRADES) == len(grades)
    total = sum(counts[g]["pct"] for g in RANKED_GRADES)
    assert (total == 0 and not grades) or abs(total - 100) <= 0.2 + 1e-9  # 4 shares, each rounded to 0,1


@given(st.dictionaries(st.integers(2015, 2030), st.sampled_from(rules.GRADES)), st.integers(2015, 2030))
def test_excellent_streak_counts_back_unbroken_years(by_year, up_to):
    n = excellent_streak(by_year, up_to)
    assert all(by_year.get(y) == EXCELLENT for y in range(up_to - n + 1, up_to + 1))
    assert by_year.get(up_to - n) != EXCELLENT


@given(temporary=st.booleans(), comments=st.sampled_from(["", "  ", "Tốt."]), mode=st.sampled_from(["block", "flag"]))
def test_only_a_temporary_member_without_comments_is_blocked_and_only_in_block_mode(temporary, comments, mode):
    why = host_comments_missing(temporary=temporary, host_comments=comments,
                                settings=AppraisalRuleSettings(temporary_without_host_comments=mode))
    assert (why is not None) == (temporary and not comments.strip() and mode == "block")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(proposed=st.lists(st.sampled_from(RANKED_GRADES), min_size=2, max_size=12),
       demote=st.lists(st.booleans(), min_size=12, max_size=12))
def test_excellent_never_exceeds_the_quota_once_the_decision_is_saved(world, proposed, demote):
    """Whatever grades a deciding level submits, campaign_decide either refuses (nothing saved) or
    saves grades within the APR-4 quota in every peer group."""
    from django.db import transaction

    from dangbo.appraisal.services import campaign_decide, campaign_open

    with transaction.atomic():
        c = campaign_open(actor=None, organization=world.root, year=2025)
        extra = [world.add(world.a1, f"Trần Văn Thêm{i}") for i in range(len(proposed))]
        proto = Review.objects.get(campaign=c, member=world.hung)
        rows = [Review(campaign=c, member=m, organization=world.a1, unit=world.a, org_path=world.a1.path,
                       peer_group=proto.peer_group, regulation=c.regulation, status=PROPOSED, proposed_grade=g,
                       reasons=["APR-2"]) for m, g in zip(extra, proposed, strict=True)]
        Review.objects.bulk_create(rows)
        rows = list(c.reviews.filter(member__in=extra).order_by("pk"))
        overrides = {r.pk: (GOOD, "Theo tỷ lệ.") for r, d in zip(rows, demote, strict=False)
                     if d and r.proposed_grade == EXCELLENT}
        try:
            campaign_decide(actor=None, campaign=c, unit=world.a, overrides=overrides)
        except InvalidInput as exc:
            assert exc.field == "quota"
            assert not c.reviews.filter(member__in=extra, status=DECIDED).exists()
        else:
            saved = dict(c.reviews.filter(unit=world.a, status=DECIDED).exclude(decided_grade=rules.NOT_REVIEWED)
                         .values_list("pk", "decided_grade"))
            groups = dict(c.reviews.filter(pk__in=saved).values_list("pk", "peer_group"))
            assert not any(q.exceeded for q in rules.apply_quota(saved, groups))
        transaction.set_rollback(True)
