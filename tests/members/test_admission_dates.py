"""MEM-1: the admission decision date (party age, badges) and the ceremony date (probation,
recognition deadline) are two dates; old records keep one value in both and are flagged to check."""

import importlib
from datetime import date

import pytest
from django.test import Client

from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput
from dangbo.members import rules
from dangbo.members.models import Member, MemberEvent
from dangbo.members.selectors import member_dates
from dangbo.members.services import member_create, member_event_record, member_update
from dangbo.members.workdays import public_holidays

D = date


def _new(world, **kw):
    args = {"admission_date": D(2025, 3, 3), "ceremony_date": D(2025, 3, 24), **kw}
    return member_create(actor=world.office, organization=world.b,
                         profile={"full_name": "Đinh Văn Khoa", "sex": "M", "birth_date": D(1990, 1, 1)}, **args)


def test_create_keeps_both_dates_and_the_admission_event_carries_them(world):
    m = _new(world)
    assert (m.admission_date, m.ceremony_date, m.dates_to_check) == (D(2025, 3, 3), D(2025, 3, 24), False)
    ev = m.events.get(kind="admission")
    assert ev.date == D(2025, 3, 3) and ev.decision_date == D(2025, 3, 3)
    assert ev.ceremony_date == D(2025, 3, 24)


def test_without_a_ceremony_date_the_decision_date_is_taken_and_flagged(world):
    m = member_create(actor=None, organization=world.b, profile={"full_name": "Lý Văn Tâm", "sex": "M"},
                      admission_date=D(2025, 3, 3))  # the registry import's call, unchanged
    assert m.ceremony_date == D(2025, 3, 3) and m.dates_to_check


def test_probation_and_recognition_count_from_the_ceremony(world):
    m = _new(world)
    dates = member_dates(m, today=D(2026, 1, 1))
    assert dates["probation_end"] == D(2026, 3, 24)  # 12 months from the ceremony, not the decision
    # 30 working days after 24/3/2026, without weekends and the public holidays of 2026 (Hùng Kings'
    # day observed 27/4, 30/4, 1/5): 8/5/2026 (5/5/2026 if holidays were ignored)
    assert dates["recognition_deadline"] == rules.recognition_deadline(
        D(2025, 3, 24), public_holidays(D(2026, 3, 24), D(2026, 6, 30)))
    assert dates["recognition_deadline"] == D(2026, 5, 8)
    assert dates["party_age"] == 0


def test_recognition_before_twelve_months_from_the_ceremony_is_refused(world):
    m = _new(world)
    before = (Member.objects.get(pk=m.pk).state, MemberEvent.objects.filter(member=m).count())
    with pytest.raises(InvalidInput) as exc:  # 12 months from the decision, not yet from the ceremony
        member_event_record(actor=None, member=m, kind="recognition", on=D(2026, 3, 10), today=D(2026, 4, 1))
    assert exc.value.field == "date" and "24/03/2026" in exc.value.message
    assert (Member.objects.get(pk=m.pk).state, MemberEvent.objects.filter(member=m).count()) == before
    member_event_record(actor=None, member=m, kind="recognition", on=D(2026, 3, 24), today=D(2026, 4, 1))
    assert Member.objects.get(pk=m.pk).state == "official"


def test_recognition_event_for_a_young_probationary_member_is_refused(world):
    with pytest.raises(InvalidInput):  # admitted 1/9/2025: nothing to recognise on 5/1/2026
        member_event_record(actor=None, member=world.hoa, kind="recognition", on=D(2026, 1, 5), today=D(2026, 1, 6))
    assert Member.objects.get(pk=world.hoa.pk).state == "probationary"


@pytest.mark.parametrize("kw, field", [
    ({"ceremony_date": D(2025, 3, 1)}, "ceremony_date"),  # before the decision
    ({"admission_date": D(1920, 1, 1), "ceremony_date": None}, "admission_date"),  # before the Party existed
    ({"official_date": D(2026, 3, 10)}, "official_date"),  # 12 months from the decision only
])
def test_create_refuses_impossible_dates(world, kw, field):
    n = Member.objects.count()
    with pytest.raises(InvalidInput) as exc:
        _new(world, **kw)
    assert field in exc.value.errors
    assert Member.objects.count() == n


def test_correcting_the_dates_clears_the_flag_and_moves_the_admission_event(world):
    hung = world.hung
    assert hung.dates_to_check
    member_update(actor=world.office, member=hung, profile={}, admission_date=D(2000, 3, 2),
                  ceremony_date=D(2000, 3, 2), dates_checked=True)
    hung.refresh_from_db()
    assert not hung.dates_to_check
    # a later ceremony date (the official date 2/3/2001 is then too early: refused, nothing saved)
    with pytest.raises(InvalidInput) as exc:
        member_update(actor=world.office, member=hung, profile={}, ceremony_date=D(2000, 4, 2))
    assert "ceremony_date" in exc.value.errors
    hung.refresh_from_db()
    assert hung.ceremony_date == D(2000, 3, 2)
    member_update(actor=world.office, member=hung, profile={}, admission_date=D(2000, 2, 1),
                  ceremony_date=D(2000, 2, 20))
    hung.refresh_from_db()
    ev = hung.events.get(kind="admission")
    assert (ev.date, ev.ceremony_date) == (D(2000, 2, 1), D(2000, 2, 20))
    assert AuditEvent.objects.filter(action="member.update", object_id=str(hung.pk)).exists()


def test_the_data_migration_keeps_the_value_in_both_and_flags(world):
    Member.objects.filter(pk=world.hung.pk).update(ceremony_date=None, dates_to_check=False, card_number="ab 12.3",
                                                   card_key="")
    mig = importlib.import_module("dangbo.members.migrations.0005_admission_ceremony_card_key")
    from django.apps import apps

    mig.forward(apps, None)
    hung = Member.objects.get(pk=world.hung.pk)
    assert hung.ceremony_date == hung.admission_date == D(2000, 3, 2) and hung.dates_to_check
    assert hung.card_key == "AB123"


def test_profile_shows_both_dates_the_flag_and_the_deadline(world):
    c = Client()
    c.force_login(world.office)
    m = _new(world, admission_date=D(2025, 9, 1), ceremony_date=D(2025, 9, 22))
    html = c.get(f"/dang-vien/{m.id}/").content.decode()
    assert "Ngày quyết định kết nạp" in html and "01/09/2025" in html
    assert "Ngày tổ chức lễ kết nạp" in html and "22/09/2025" in html
    assert "Hạn xét công nhận chính thức" in html and "Cần kiểm tra ngày kết nạp" not in html
    html = c.get(f"/dang-vien/{world.hoa.id}/").content.decode()
    assert "Cần kiểm tra ngày kết nạp" in html


def test_office_filters_members_to_check_and_fixes_them_in_the_form(world):
    c = Client()
    c.force_login(world.office)
    ok = _new(world)
    html = c.get("/dang-vien/?kiem-tra=1").content.decode()
    assert "Nguyễn Văn Hùng" in html and ok.full_name not in html
    r = c.post(f"/dang-vien/{world.hung.id}/sua/", {
        "full_name": "Nguyễn Văn Hùng", "sex": "M", "birth_date": "1975-05-05", "national_id": "025075000123",
        "admission_date": "2000-02-10", "ceremony_date": "2000-03-01", "ethnicity": "Kinh"})
    assert r.status_code == 302, r.content.decode()[-3000:]
    hung = Member.objects.get(pk=world.hung.pk)
    assert (hung.admission_date, hung.ceremony_date, hung.dates_to_check) == (D(2000, 2, 10), D(2000, 3, 1), False)


def test_api_exposes_both_dates_and_the_deadline(world):
    c = Client()
    c.force_login(world.office)
    r = c.post("/api/members/", data={"organization_id": world.b.id, "full_name": "Mai Văn Sơn", "sex": "M",
                                      "admission_date": "2025-09-01", "ceremony_date": "2025-09-22"},
               content_type="application/json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["admission_date"] == "2025-09-01" and data["ceremony_date"] == "2025-09-22"
    assert data["dates_to_check"] is False and data["probation_end"] == "2026-09-22"
    assert data["recognition_deadline"] == "2026-11-03"  # 30 working days after 22/9/2026
    spec = c.get("/api/openapi.json").json()
    props = spec["components"]["schemas"]["MemberIn"]["properties"]
    assert props["admission_date"]["title"] == "Ngày quyết định kết nạp"
    assert props["ceremony_date"]["title"] == "Ngày tổ chức lễ kết nạp"
