"""Appraisal services: APR-1 at opening, proposals from the rules, the quota at decision, overrides, audit."""

from datetime import date

import pytest

from dangbo.appraisal import rules
from dangbo.appraisal.models import DECIDED, PROPOSED, SELF_ASSESSED, Review
from dangbo.appraisal.services import (
    campaign_decide,
    campaign_open,
    cell_propose,
    review_propose,
    review_self_assess,
)
from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput

GOOD = {"score": 80, "tasks_done_pct": 100, "tasks_late_pct": 0, "tasks_beyond_pct": 10,
        "shortcomings_fixed": True, "discipline": "none", "degradation": False}
EXCELLENT = {**GOOD, "score": 95, "tasks_beyond_pct": 40}


def _review(c, member):
    return Review.objects.get(campaign=c, member=member)


def test_open_excludes_apr1_and_sets_regulation(world):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    assert c.regulation == "366-QĐ/TW" and c.review_date == date(2025, 12, 31)
    assert set(c.reviews.values_list("member_id", flat=True)) == {world.hung.id, world.lan.id, world.hoa.id}
    hoa = _review(c, world.hoa)  # admitted 1/9/2025: under 6 months at 31/12/2025
    assert hoa.status == DECIDED and hoa.decided_grade == rules.NOT_REVIEWED and hoa.reasons == ["APR-1"]
    assert "chưa đủ 6 tháng" in hoa.note
    assert _review(c, world.hung).unit == world.a and _review(c, world.lan).organization == world.a2
    assert AuditEvent.objects.filter(action="appraisal.open", object_id=str(c.pk)).exists()
    with pytest.raises(InvalidInput, match="Đã có đợt"):
        campaign_open(actor=None, organization=world.root, year=2025)
    assert campaign_open(actor=None, organization=world.root, year=2024).regulation == "124-QĐ/TW"


def test_self_assess_validates_with_field_names(world):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    r = _review(c, world.lan)
    with pytest.raises(InvalidInput, match="Điểm tự chấm") as e:
        review_self_assess(actor=None, review=r, data={**GOOD, "score": 120})
    assert e.value.field == "score"
    with pytest.raises(InvalidInput, match="chậm tiến độ"):
        review_self_assess(actor=None, review=r, data={**GOOD, "tasks_done_pct": 60, "tasks_late_pct": 70})
    r = review_self_assess(actor=world.member_user, review=r, data=GOOD)
    assert r.status == SELF_ASSESSED and r.score == 80
    assert AuditEvent.objects.filter(action="appraisal.self_assess", object_id=str(r.pk)).exists()


def test_propose_uses_the_rules(world):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    r = review_self_assess(actor=None, review=_review(c, world.hung), data={**EXCELLENT, "discipline": "reprimand"})
    r = review_propose(actor=None, review=r)
    expected = rules.grade_member(role=r.role, year=2025, **{k: v for k, v in EXCELLENT.items()
                                                             if k != "discipline"}, discipline="reprimand")
    assert r.status == PROPOSED and r.proposed_grade == expected.grade == rules.NOT_COMPLETED
    assert r.reasons == ["APR-3"] and "khiển trách" in r.note
    with pytest.raises(InvalidInput, match="không sửa được"):
        review_self_assess(actor=None, review=r, data=GOOD)


def _propose_all(world, c, data_by_member):
    for m, data in data_by_member.items():
        review_self_assess(actor=None, review=_review(c, m), data=data)
    for org in (world.a1, world.a2):
        cell_propose(actor=None, campaign=c, organization=org)


def test_decision_refused_over_quota_then_override_with_reason(world):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    _propose_all(world, c, {world.hung: EXCELLENT, world.lan: GOOD})  # 1 excellent for 1 good: max 0
    assert {r.status for r in c.reviews.filter(unit=world.a)} == {PROPOSED}
    with pytest.raises(InvalidInput, match="Vượt tỷ lệ xuất sắc") as e:
        campaign_decide(actor=None, campaign=c, unit=world.a)
    assert "tối đa 0" in e.value.message and e.value.field == "quota"
    assert not c.reviews.filter(unit=world.a, status=DECIDED).exists()
    hung = _review(c, world.hung)
    with pytest.raises(InvalidInput, match="lý do"):
        campaign_decide(actor=None, campaign=c, unit=world.a, overrides={hung.pk: (rules.GOOD, "  ")})
    n = campaign_decide(actor=world.office, campaign=c, unit=world.a,
                        overrides={hung.pk: (rules.GOOD, "Cấp ủy xét theo tỷ lệ trong nhóm.")})
    assert n == 2
    hung.refresh_from_db()
    assert hung.decided_grade == rules.GOOD and "APR-3" in hung.reasons and hung.override_reason
    assert AuditEvent.objects.filter(action="appraisal.override", object_id=str(hung.pk)).exists()
    assert AuditEvent.objects.filter(action="appraisal.decide", object_id=str(c.pk)).count() == 1
    grades = dict(c.reviews.filter(status=DECIDED).values_list("pk", "decided_grade"))
    assert not any(q.exceeded for q in rules.apply_quota(
        {k: g for k, g in grades.items() if g != rules.NOT_REVIEWED}, {k: "x" for k in grades}))


def test_member_cannot_report_a_lighter_discipline_than_the_registry(world):
    from datetime import date

    from dangbo.members.services import member_event_record

    member_event_record(actor=None, member=world.hung, kind="discipline", on=date(2025, 3, 1),
                        details={"level": "warning"}, today=date(2025, 3, 1))
    c = campaign_open(actor=None, organization=world.root, year=2025)
    r = review_self_assess(actor=None, review=_review(c, world.hung), data={**EXCELLENT, "discipline": "none"})
    assert r.discipline == "warning"
    r = review_propose(actor=None, review=r)
    assert r.proposed_grade == rules.NOT_COMPLETED and r.reasons == ["APR-3"]


def test_apr2_change_regrades_nothing_decided(world, settings):
    """Good needs every task on time (APR-2 as corrected, 12/2026). A grade decided under the former
    default (≤ 20% late) stays as decided; a review proposed after the change gets the new grade."""
    late = {**GOOD, "tasks_late_pct": 10}
    c = campaign_open(actor=None, organization=world.root, year=2025)
    settings.DANGBO_RULES = {**settings.DANGBO_RULES, "good_max_late_pct": 20}  # the former default
    r = review_propose(actor=None, review=review_self_assess(actor=None, review=_review(c, world.hung), data=late))
    assert r.proposed_grade == rules.GOOD
    campaign_decide(actor=None, campaign=c, unit=world.a)
    settings.DANGBO_RULES = {k: v for k, v in settings.DANGBO_RULES.items() if k != "good_max_late_pct"}
    r.refresh_from_db()
    assert (r.status, r.decided_grade) == (DECIDED, rules.GOOD)  # decided stays decided
    with pytest.raises(InvalidInput):
        review_propose(actor=None, review=r)
    r.refresh_from_db()
    assert (r.status, r.decided_grade) == (DECIDED, rules.GOOD)
    lan = review_propose(actor=None, review=review_self_assess(actor=None, review=_review(c, world.lan), data=late))
    assert lan.proposed_grade == rules.COMPLETED  # the new default: 10% late is not "good"


@pytest.mark.parametrize("bad", ["\x00", "\u202e", "\u200b"])
def test_text_fields_refuse_control_and_bidi_characters(world, bad):
    c = campaign_open(actor=None, organization=world.root, year=2025)
    r = _review(c, world.lan)
    with pytest.raises(InvalidInput) as e:
        review_self_assess(actor=None, review=r, data={**GOOD, "self_comment": f"Tốt{bad}"})
    assert e.value.field == "self_comment"
    r.refresh_from_db()
    assert (r.status, r.self_comment) != (SELF_ASSESSED, f"Tốt{bad}") and r.self_comment == ""
    with pytest.raises(InvalidInput) as e:
        campaign_open(actor=None, organization=world.root, year=2026, note=f"x{bad}")
    assert e.value.field == "note" and not c.__class__.objects.filter(year=2026).exists()
    review_self_assess(actor=None, review=r, data=GOOD)
    review_propose(actor=None, review=r)
    with pytest.raises(InvalidInput) as e:
        campaign_decide(actor=None, campaign=c, unit=world.a, overrides={r.pk: (rules.COMPLETED, f"lý do{bad}")})
    assert e.value.field == f"reason_{r.pk}"
    r.refresh_from_db()
    assert r.status == PROPOSED and r.override_reason == ""


def test_over_long_note_is_refused_not_cut(world):
    with pytest.raises(InvalidInput, match="tối đa 255"):
        campaign_open(actor=None, organization=world.root, year=2025, note="x" * 256)
