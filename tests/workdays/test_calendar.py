"""The holiday calendar (workdays app): seeding a year from the package, the office's edits, the
refusals (nothing changed), the audit, the page and its effect on every working-day deadline."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput
from dangbo.members.workdays import public_holidays
from dangbo.workdays import selectors, services
from dangbo.workdays.models import CalendarDay, CalendarYear


@pytest.mark.django_db
def test_before_seeding_the_package_is_read():
    off, worked = selectors.calendar_days(date(2025, 1, 1), date(2025, 12, 31))
    assert {date(2025, 1, 1), date(2025, 1, 29), date(2025, 5, 2), date(2025, 9, 2)} <= off
    assert worked == {date(2025, 4, 26)}  # the Saturday worked for Friday 2/5/2025
    assert all(d.weekday() < 5 for d in off)


@pytest.mark.django_db
def test_seed_year_copies_the_package_and_is_audited(world):
    before = selectors.calendar_days(date(2025, 1, 1), date(2025, 12, 31))
    services.year_seed(actor=world.office, year=2025)
    assert selectors.calendar_days(date(2025, 1, 1), date(2025, 12, 31)) == before
    swap = CalendarDay.objects.get(day=date(2025, 4, 26))
    assert swap.kind == "worked" and swap.source == "government" and "02/05/2025" in swap.name
    ev = AuditEvent.objects.get(action="workdays.year_seed")
    assert ev.after["year"] == 2025 and ev.after["days"] == CalendarDay.objects.count()
    with pytest.raises(InvalidInput, match="đã có trong lịch"):
        services.year_seed(actor=world.office, year=2025)
    assert CalendarYear.objects.count() == 1


@pytest.mark.django_db
def test_office_day_moves_deadlines(world, tmp_path):
    csv = tmp_path / "in.csv"
    csv.write_text("id,decision_date,ceremony_date,discipline,discipline_date\na,2024-12-20,2025-01-02,none,\n")

    def deadline():
        out = StringIO()
        call_command("member", "dates", "--input", str(csv), "--today", "2026-01-15", "--json", stdout=out)
        return json.loads(out.getvalue())["results"][0]["recognition_deadline"]

    assert deadline() == "2026-02-13"
    services.year_seed(actor=world.office, year=2026)
    assert deadline() == "2026-02-13"
    services.day_add(actor=world.office, day=date(2026, 1, 5), kind="off", name="Nghỉ bù theo thông báo")
    assert deadline() == "2026-02-23"  # one day more, and 16–20/2 is Tết
    assert date(2026, 1, 5) in public_holidays(date(2026, 1, 1), date(2026, 1, 31))  # the member pages too
    services.day_add(actor=world.office, day=date(2026, 1, 10), kind="worked", name="Làm bù")
    assert deadline() == "2026-02-13"
    row = CalendarDay.objects.get(day=date(2026, 1, 5))
    services.day_remove(actor=world.office, day_id=row.id)
    assert deadline() == "2026-02-12"
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="workdays.").order_by("id")] == [
        "workdays.year_seed", "workdays.day_add", "workdays.day_add", "workdays.day_remove"]


@pytest.mark.django_db
@pytest.mark.parametrize("day, kind, name, message", [
    (date(2026, 1, 3), "off", "Nghỉ", "thứ Bảy hoặc Chủ nhật"),
    (date(2026, 1, 6), "worked", "Làm bù", "ngày làm việc bình thường"),
    (date(2026, 1, 1), "off", "Trùng", "đã có trong lịch"),
    (date(2026, 1, 6), "off", "", "không được để trống"),
    (date(2026, 1, 6), "off", "x" * 121, "120"),
    (date(2026, 1, 6), "off", "Nghỉ\u202e", r"U\+202E"),
    (date(2027, 1, 6), "off", "Nghỉ", "chưa có trong lịch"),
])
def test_refused_days_change_nothing(world, day, kind, name, message):
    services.year_seed(actor=world.office, year=2026)
    before = list(CalendarDay.objects.values_list("day", "kind", "name"))
    with pytest.raises(InvalidInput, match=message):
        services.day_add(actor=world.office, day=day, kind=kind, name=name)
    assert list(CalendarDay.objects.values_list("day", "kind", "name")) == before
    assert not AuditEvent.objects.filter(action="workdays.day_add").exists()


@pytest.mark.django_db
def test_page_office_only(world):
    c = Client()
    c.force_login(world.secretary)
    assert c.get("/lich-nghi/").status_code == 403
    c.force_login(world.office)
    r = c.get("/lich-nghi/?nam=2026")
    assert r.status_code == 200 and "chưa có trong lịch" in r.content.decode() and "17/02/2026" in r.content.decode()
    r = c.post("/lich-nghi/?nam=2026", {"year": "2026", "seed": ""})
    assert r.status_code == 302 and CalendarYear.objects.filter(year=2026).exists()
    r = c.post("/lich-nghi/?nam=2026", {"day": "06/01/2026", "kind": "off", "name": "Nghỉ bù", "add": ""})
    assert r.status_code == 302
    r = c.post("/lich-nghi/?nam=2026", {"day": "10/01/2026", "kind": "off", "name": "Nghỉ", "add": ""})
    assert r.status_code == 422 and "thứ Bảy hoặc Chủ nhật" in r.content.decode()
    body = c.get("/lich-nghi/?nam=2026").content.decode()
    assert "06/01/2026" in body and "Nghỉ bù" in body and "Văn phòng ghi thêm" in body
    row = CalendarDay.objects.get(day=date(2026, 1, 6))
    c.force_login(world.secretary)
    assert c.post(f"/lich-nghi/{row.id}/bo/").status_code == 403
    c.force_login(world.office)
    assert c.post(f"/lich-nghi/{row.id}/bo/").status_code == 302
    assert not CalendarDay.objects.filter(day=date(2026, 1, 6)).exists()
    assert c.post("/lich-nghi/987654/bo/").status_code == 404
