"""Organisation grades (APR-5), temporary members (APR-6), suspended members (APR-1), history and
the commendation list, through the services."""

from datetime import date

import pytest

from dangbo.appraisal import rules
from dangbo.appraisal.models import DECIDED, PROPOSED, SELF_ASSESSED, OrgReview, Review
from dangbo.appraisal.services import (
    campaign_decide,
    campaign_open,
    cell_propose,
    cell_waiting_for_host,
    org_decide,
    org_propose,
    org_self_assess,
    review_host_comments,
    review_propose,
    review_self_assess,
)
from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput
from dangbo.members.services import member_event_record

GOOD = {"score": 80, "tasks_done_pct": 100, "tasks_late_pct": 0, "tasks_beyond_pct": 10,
        "shortcomings_fixed": True, "discipline": "none", "degradation": False}
EXCELLENT = {**GOOD, "score": 95, "tasks_beyond_pct": 40}
WEAK = {**GOOD, "score": 40}
TODAY = date(2025, 12, 1)


def _review(c, member):
    return Review.objects.get(campaign=c, member=member)


def _decide_members(world, c, data):
    for m, d in data.items():
        review_self_assess(actor=None, review=_review(c, m), data=d)
    for cell in (world.a1, world.a2, world.b):
        cell_propose(actor=None, campaign=c, organization=cell)
    for unit in (world.a, world.b):
        if c.reviews.filter(unit=unit, status=PROPOSED).exists():
            campaign_decide(actor=None, campaign=c, unit=unit)


def test_org_reviews_have_their_deciding_level(world):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    by_org = {o.organization: o for o in c.org_reviews.select_related("decider")}
    assert set(by_org) == {world.a, world.a1, world.a2, world.b}  # not the committee itself
    assert by_org[world.a].decider == world.root and by_org[world.b].decider == world.root
    assert by_org[world.a1].decider == world.a and by_org[world.a1].decider_level == rules.DECIDER_GRASSROOTS_COMMITTEE
    assert by_org[world.a].peer_group == rules.ORG_PEER_GRASSROOTS
    assert by_org[world.a1].peer_group == rules.ORG_PEER_CELL


def test_org_grade_waits_for_members_then_follows_the_rules(world):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    a = OrgReview.objects.get(campaign=c, organization=world.a)
    a = org_self_assess(actor=None, org_review=a, data=EXCELLENT)
    assert a.status == SELF_ASSESSED
    with pytest.raises(InvalidInput, match="chưa có quyết định xếp loại"):
        org_propose(actor=None, org_review=a)
    _decide_members(world, c, {world.hung: GOOD, world.lan: WEAK})
    a = org_propose(actor=None, org_review=a)
    # collective excellent, but a member not completed: good (APR-5)
    assert a.status == PROPOSED and a.proposed_grade == rules.GOOD and "APR-5" in a.reasons
    assert a.member_grades == {"good": 1, "not_completed": 1}
    with pytest.raises(InvalidInput, match="Không hoàn thành nhiệm vụ» \\(APR-5\\)"):
        org_decide(actor=None, campaign=c, decider=world.root,
                   overrides={a.pk: (rules.EXCELLENT, "Tập thể có nhiều thành tích.")})
    assert OrgReview.objects.get(pk=a.pk).status == PROPOSED  # nothing half-saved
    b = org_self_assess(actor=None, org_review=OrgReview.objects.get(campaign=c, organization=world.b), data=GOOD)
    b = org_propose(actor=None, org_review=b)  # Hoà: not reviewed (admitted < 6 months), decided at opening
    assert b.proposed_grade == rules.GOOD
    n = org_decide(actor=world.office, campaign=c, decider=world.root, on=TODAY)
    assert n == 2
    a.refresh_from_db()
    assert a.status == DECIDED and a.decided_grade == rules.GOOD and a.decided_by == "office"
    assert AuditEvent.objects.filter(action="appraisal.org_decide", object_id=str(c.pk)).exists()


def test_org_quota_refuses_an_excellent_without_enough_good(world):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    _decide_members(world, c, {world.hung: GOOD, world.lan: GOOD})
    for org, data in ((world.a, EXCELLENT), (world.b, GOOD)):
        o = org_self_assess(actor=None, org_review=OrgReview.objects.get(campaign=c, organization=org), data=data)
        org_propose(actor=None, org_review=o)
    a = OrgReview.objects.get(campaign=c, organization=world.a)
    assert a.proposed_grade == rules.EXCELLENT
    with pytest.raises(InvalidInput, match="Vượt tỷ lệ tổ chức xuất sắc"):  # 1 excellent for 1 good: max 0
        org_decide(actor=None, campaign=c, decider=world.root)
    with pytest.raises(InvalidInput, match="lý do"):
        org_decide(actor=None, campaign=c, decider=world.root, overrides={a.pk: (rules.GOOD, "")})
    org_decide(actor=None, campaign=c, decider=world.root, overrides={a.pk: (rules.GOOD, "Theo tỷ lệ (APR-4).")})
    a.refresh_from_db()
    assert a.decided_grade == rules.GOOD and a.override_reason and "APR-3" in a.reasons


def test_suspended_member_is_not_reviewed(world):
    member_event_record(actor=None, member=world.hung, kind="suspension", on=date(2025, 11, 3), today=TODAY)
    c = campaign_open(actor=None, organization=world.root, year=2025)
    r = _review(c, world.hung)
    assert r.status == DECIDED and r.decided_grade == rules.NOT_REVIEWED and r.reasons == ["APR-1"]
    assert "đình chỉ" in r.note


def test_people_admitted_after_the_review_date_get_no_review(world):
    c = campaign_open(actor=None, organization=world.root, year=2024)
    assert not c.reviews.filter(member=world.hoa).exists()  # admitted 1/9/2025
    assert c.regulation == rules.REGULATION_124


def test_temporary_member_waits_for_the_host_comments(world):
    member_event_record(actor=None, member=world.lan, kind="temp_transfer_out", on=date(2025, 9, 1),
                        to_org=world.b, end_date=date(2026, 3, 1), today=TODAY)
    c = campaign_open(actor=None, organization=world.root, year=2025)
    r = _review(c, world.lan)
    assert r.temporary and r.organization == world.a2 and r.host_name == world.b.name  # graded at home
    r = review_self_assess(actor=None, review=r, data=GOOD)
    with pytest.raises(InvalidInput, match="Chưa có nhận xét"):
        review_propose(actor=None, review=r)
    assert cell_propose(actor=None, campaign=c, organization=world.a2) == 0
    assert cell_waiting_for_host(c, world.a2) == 1
    with pytest.raises(InvalidInput, match="bắt buộc"):
        review_host_comments(actor=None, review=r, text="  ")
    r = review_host_comments(actor=world.office, review=r, text="Hoàn thành tốt nhiệm vụ được giao tại chi bộ.",
                             on=TODAY)
    assert r.host_commented_by == "office"
    r = review_propose(actor=None, review=r)
    assert r.proposed_grade == rules.GOOD and "APR-6" in r.reasons and "Hoàn thành tốt" in r.note
    assert AuditEvent.objects.filter(action="appraisal.host_comments", object_id=str(r.pk)).exists()


def test_temporary_flag_mode_proposes_and_flags(world, settings):
    settings.DANGBO_RULES = {**getattr(settings, "DANGBO_RULES", {}), "temporary_without_host_comments": "flag"}
    member_event_record(actor=None, member=world.lan, kind="temp_transfer_out", on=date(2025, 9, 1),
                        place="Trường Chính trị tỉnh", end_date=date(2026, 3, 1), today=TODAY)
    c = campaign_open(actor=None, organization=world.root, year=2025)
    r = review_self_assess(actor=None, review=_review(c, world.lan), data=GOOD)
    r = review_propose(actor=None, review=r)
    assert r.status == PROPOSED and "APR-6" in r.reasons and "Chưa có nhận xét" in r.note


def test_history_and_five_excellent_years(world):
    from dangbo.appraisal.selectors import commendations, member_history

    for year in range(2021, 2026):
        c = campaign_open(actor=None, organization=world.root, year=year)
        # Hùng excellent every year, kept within the quota by four good colleagues
        extra = [world.add(world.a1, f"Nguyễn Văn Phụ{year}{i}") for i in range(4)] if year == 2021 else []
        for m in extra:
            Review.objects.create(campaign=c, member=m, organization=world.a1, unit=world.a, org_path=world.a1.path,
                                  peer_group=_review(c, world.hung).peer_group, regulation=c.regulation)
        data = {world.hung: EXCELLENT, world.lan: GOOD}
        data.update({rr.member: GOOD for rr in c.reviews.filter(status="draft").exclude(member__in=data)})
        if not c.uses_score:
            data = {m: {k: v for k, v in d.items() if k != "score"} for m, d in data.items()}
        _decide_members(world, c, data)
    hist = member_history(member=world.hung)
    assert [r.campaign.year for r in hist] == [2025, 2024, 2023, 2022, 2021]
    assert {r.decided_grade for r in hist} == {rules.EXCELLENT}
    assert [r.regulation for r in hist][-1] == rules.REGULATION_124
    rows = commendations(user=world.office, year=2025)
    assert [r["member"] for r in rows] == [world.hung]
    assert commendations(user=world.office, year=2024) == []  # only 4 years by 2024
    assert commendations(user=world.outsider, year=2025) == []


def test_long_leave_is_graded_on_the_work_actually_expected(world):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    data = {**GOOD, "tasks_done_pct": None, "tasks_late_pct": None, "tasks_beyond_pct": None,
            "leave_months": 6, "tasks_assigned": 12, "tasks_done_n": 6, "tasks_late_n": 0, "tasks_beyond_n": 2}
    r = review_self_assess(actor=None, review=_review(c, world.lan), data=data)
    # 12 tasks a year, 6 months at work: 6 expected, all 6 done (APR-6, HD 43 §7.5)
    assert (r.tasks_done_pct, r.tasks_late_pct, round(r.tasks_beyond_pct, 2)) == (100, 0, 33.33)
    r = review_propose(actor=None, review=r)
    assert r.proposed_grade == rules.GOOD and "APR-6" in r.reasons and "nghỉ ốm 6 tháng" in r.note
    with pytest.raises(InvalidInput, match="Số nhiệm vụ được giao") as e:
        review_self_assess(actor=None, review=_review(c, world.hung), data={**GOOD, "tasks_done_n": 3})
    assert e.value.field == "tasks_assigned"
    with pytest.raises(InvalidInput, match="từ 0 đến 12"):
        review_self_assess(actor=None, review=_review(c, world.hung), data={**GOOD, "leave_months": 13})
    with pytest.raises(InvalidInput, match="bắt buộc"):  # no counts: the percentages are needed
        review_self_assess(actor=None, review=_review(c, world.hung), data={**GOOD, "tasks_done_pct": None})
