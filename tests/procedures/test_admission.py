"""The admission file step by step (ADM-1..7): each step dated, refused when its rule fails (the
record unchanged, nothing audited), the ceremony writes the probationary member (MEM-1)."""

from datetime import date

import pytest

from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput
from dangbo.members.models import Member
from dangbo.procedures import rules, services
from dangbo.procedures.models import Applicant

TODAY = date(2026, 3, 31)


def _snapshot(a):
    return {f.name: getattr(Applicant.objects.get(pk=a.pk), f.name) for f in Applicant._meta.concrete_fields}


def refused(call, match, applicant, **kw):
    before = _snapshot(applicant)
    count = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match=match):
        call(actor=None, applicant=applicant, today=TODAY, **kw)
    assert _snapshot(applicant) == before and AuditEvent.objects.count() == count


@pytest.fixture
def applicant(world):
    return services.applicant_create(actor=world.office, organization=world.a2, full_name="Đỗ Minh Khôi", sex="M",
                                     birth_date=date(2000, 6, 15), today=TODAY)


def _to_cell(world, a):
    a = services.step_course(actor=None, applicant=a, course_date=date(2025, 3, 1), course_number="12/GCN", today=TODAY)
    a = services.step_application(actor=None, applicant=a, application_date=date(2025, 4, 1), today=TODAY)
    a = services.step_background(actor=None, applicant=a, background_date=date(2025, 4, 10),
                                 verified_date=date(2025, 6, 1), today=TODAY)
    return services.step_introducers(actor=None, applicant=a, introduced_date=date(2025, 6, 10), today=TODAY,
                                     introducers=[{"kind": "member", "member_id": world.hung.id, "months": 14},
                                                  {"kind": "youth_union"}])


def test_whole_file_to_probationary_member(world, applicant):
    a = _to_cell(world, applicant)
    assert a.step == "cell"
    a = services.step_cell(actor=None, applicant=a, resolution_date=date(2025, 7, 1), official_count=9,
                           votes_for=6, today=TODAY)
    a = services.step_committee(actor=None, applicant=a, resolution_date=date(2025, 7, 15), member_count=7,
                                votes_for=5, today=TODAY)
    a = services.step_decision(actor=None, applicant=a, decision_number="45-QĐ/ĐU", decision_date=date(2025, 8, 1),
                               received_date=date(2025, 8, 5), today=TODAY)
    # 30 working days after 5/8/2025, with 1/9 and 2/9 off → 18/9/2025
    assert services.ceremony_deadline(a) == date(2025, 9, 18)
    a = services.step_ceremony(actor=None, applicant=a, ceremony_date=date(2025, 9, 18), today=TODAY)
    assert a.step == "done"
    m = Member.objects.get(pk=a.member_id)
    assert (m.state, m.admission_date, m.ceremony_date) == ("probationary", date(2025, 8, 1), date(2025, 9, 18))
    assert m.organization_id == world.a2.id
    actions = list(AuditEvent.objects.filter(action__startswith="procedure.").order_by("id").values_list("action", flat=True))
    assert len(actions) == 9 and actions[-1] == "procedure.admission_ceremony"


def test_ceremony_late_refused(world, applicant):
    a = _to_cell(world, applicant)
    a = services.step_cell(actor=None, applicant=a, resolution_date=date(2025, 7, 1), official_count=3,
                           votes_for=2, today=TODAY)
    a = services.step_committee(actor=None, applicant=a, resolution_date=date(2025, 7, 15), member_count=3,
                                votes_for=2, today=TODAY)
    a = services.step_decision(actor=None, applicant=a, decision_number="45-QĐ/ĐU", decision_date=date(2025, 8, 1),
                               received_date=date(2025, 8, 5), today=TODAY)
    refused(services.step_ceremony, "chậm nhất 18/09/2025", a, ceremony_date=date(2025, 9, 19))
    assert not Member.objects.filter(full_name="Đỗ Minh Khôi").exists()


def test_expired_certificate_refused(world, applicant):
    refused(services.step_course, "đã hết hạn", applicant, course_date=date(2021, 3, 30))
    a = services.step_course(actor=None, applicant=applicant, course_date=date(2021, 3, 31), today=TODAY)
    assert a.step == "application"


def test_steps_in_order(world, applicant):
    refused(services.step_application, "Hồ sơ đang ở bước", applicant, application_date=date(2025, 4, 1))
    a = services.step_course(actor=None, applicant=applicant, course_date=date(2025, 3, 1), today=TODAY)
    refused(services.step_application, "trước ngày", a, application_date=date(2025, 2, 1))
    a = services.step_application(actor=None, applicant=a, application_date=date(2025, 4, 1), today=TODAY)
    refused(services.step_background, "trước ngày", a, background_date=date(2025, 3, 1),
            verified_date=date(2025, 6, 1))
    refused(services.step_background, "trước ngày", a, background_date=date(2025, 5, 1),
            verified_date=date(2025, 4, 20))


@pytest.mark.parametrize("introducers, match", [
    ([{"kind": "member", "months": 14}], "đúng hai"),
    ([{"kind": "youth_union"}, {"kind": "trade_union"}], "ít nhất một đảng viên"),
    ([{"kind": "member", "months": 11}, {"kind": "youth_union"}], "11 tháng"),
    ([{"kind": "member", "months": 14, "who": "hoa"}, {"kind": "youth_union"}], "đảng viên dự bị"),
    ([{"kind": "member", "months": 14, "who": "stranger"}, {"kind": "youth_union"}], "của đảng bộ"),
    ([{"kind": "member", "months": 14}, {"kind": "member", "months": 20}], "hai người khác nhau"),
])
def test_introducers_refused(world, applicant, introducers, match):
    a = services.step_course(actor=None, applicant=applicant, course_date=date(2025, 3, 1), today=TODAY)
    a = services.step_application(actor=None, applicant=a, application_date=date(2025, 4, 1), today=TODAY)
    a = services.step_background(actor=None, applicant=a, background_date=date(2025, 4, 10),
                                 verified_date=date(2025, 6, 1), today=TODAY)
    items = [{**i, "member_id": getattr(world, i.pop("who", "hung")).id} if i["kind"] == "member" else i
             for i in (dict(x) for x in introducers)]
    refused(services.step_introducers, match, a, introduced_date=date(2025, 6, 10), introducers=items)


def test_vote_below_two_thirds_and_age_refused(world, applicant):
    a = _to_cell(world, applicant)
    refused(services.step_cell, "cần ít nhất 6", a, resolution_date=date(2025, 7, 1), official_count=9, votes_for=5)
    young = services.applicant_create(actor=None, organization=world.a2, full_name="Hà Văn Trẻ", sex="M",
                                      birth_date=date(2007, 8, 1), today=TODAY)
    young = _to_cell(world, young)
    refused(services.step_cell, "chưa đủ 18", young, resolution_date=date(2025, 7, 31), official_count=3, votes_for=3)
    a = services.step_cell(actor=None, applicant=a, resolution_date=date(2025, 7, 1), official_count=9, votes_for=6,
                           today=TODAY)
    refused(services.step_committee, "cần ít nhất 5", a, resolution_date=date(2025, 7, 15), member_count=7,
            votes_for=4)


def test_applicant_create_refusals(world):
    with pytest.raises(InvalidInput, match="chi bộ"):
        services.applicant_create(actor=None, organization=world.a, full_name="X Y", sex="M",
                                  birth_date=date(2000, 1, 1), today=TODAY)
    with pytest.raises(InvalidInput, match="Họ và tên"):
        services.applicant_create(actor=None, organization=world.a2, full_name="X\u200bY", sex="M",
                                  birth_date=date(2000, 1, 1), today=TODAY)
    assert not Applicant.objects.exists()


def test_rules_two_thirds_and_age_edges():
    assert [rules.two_thirds(n) for n in (1, 2, 3, 4, 5, 6, 9, 10)] == [1, 2, 2, 3, 4, 4, 6, 7]
    assert rules.age_problem(date(2000, 2, 29), date(2018, 2, 28)) is None  # 29/2 → 28/2
    assert rules.age_problem(date(2000, 3, 1), date(2018, 2, 28))
    assert rules.age_problem(date(1966, 3, 15), date(2026, 4, 14)) is None  # 60 years and 0 months
    assert rules.age_problem(date(1966, 3, 15), date(2026, 4, 15))  # 60 years and 1 month
    assert rules.age_problem(date(1966, 3, 15), date(2026, 4, 15), over_limit_consent=True) is None
