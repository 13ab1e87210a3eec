"""MEM-5 transfers inside the installation: refused while the member is under inspection or a
complaint is handled; the numbered introduction letter with its 60 / 30 working-day deadlines; the
receiving cell's confirmation records the member's event; the letter as Word."""

from datetime import date, timedelta

import pytest
from django.test import Client

from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput
from dangbo.members.models import Member
from dangbo.procedures import rules
from dangbo.procedures.models import TransferLetter
from dangbo.procedures.services import hold_end, hold_record, letter_confirm, letter_issue
from dangbo.workdays import rules as wd


def test_deadlines_count_working_days():
    # Friday 2/1/2026; no holidays given: +30 working days = Friday 13/2, +60 = Friday 27/3
    d = rules.transfer_deadlines(date(2026, 1, 2))
    assert (d.present_by, d.complete_by) == (date(2026, 2, 13), date(2026, 3, 27))
    assert wd.is_working_day(d.present_by) and wd.is_working_day(d.complete_by)


def test_hold_in_force():
    holds = [("inspection", date(2026, 1, 10), date(2026, 2, 10)), ("complaint", date(2026, 5, 1), None)]
    assert rules.hold_in_force(holds, date(2026, 1, 9)) is None
    assert rules.hold_in_force(holds, date(2026, 2, 10))[0] == "inspection"
    assert rules.hold_in_force(holds, date(2026, 3, 1)) is None
    assert rules.hold_in_force(holds, date(2030, 1, 1))[0] == "complaint"


def test_letter_refused_under_inspection_then_issued_numbered_and_confirmed(world):
    today = date.today()
    hold = hold_record(actor=None, member=world.hung, kind="inspection", decision="3-QĐ/UBKT ngày 01/12/2026",
                       start_date=today - timedelta(days=5))
    with pytest.raises(InvalidInput) as exc:
        letter_issue(actor=None, member=world.hung, kind="official", to_org=world.a2, letter_date=today)
    assert "đang bị kiểm tra" in exc.value.errors["member"]
    assert not TransferLetter.objects.exists()
    assert not AuditEvent.objects.filter(action="procedure.letter_issue").exists()
    hold_end(actor=None, hold=hold, end_date=today - timedelta(days=1))
    first = letter_issue(actor=None, member=world.hung, kind="official", to_org=world.a2, letter_date=today)
    second = letter_issue(actor=None, member=world.lan, kind="temporary", to_org=world.a1, letter_date=today,
                          end_date=today + timedelta(days=200))
    assert (first.number, second.number) == (1, 2) and first.label == f"1/{today.year}/GGT"
    with pytest.raises(InvalidInput) as exc:  # one letter at a time
        letter_issue(actor=None, member=world.hung, kind="official", to_org=world.b, letter_date=today)
    assert first.label in exc.value.errors["member"] and TransferLetter.objects.count() == 2
    assert first.present_by > today and first.complete_by > first.present_by
    assert Member.objects.get(pk=world.hung.pk).organization_id == world.a1.id  # not moved before confirmation
    from dangbo.procedures.selectors import due_list

    due = [d for d in due_list(user=world.office) if d.kind.startswith("Nộp giấy giới thiệu")]
    assert [(d.on, d.who) for d in due] == [(first.present_by, "Nguyễn Văn Hùng"), (second.present_by, "Trần Thị Lan")]
    letter_confirm(actor=None, letter=first, received_date=today)
    assert len([d for d in due_list(user=world.office) if d.kind.startswith("Nộp giấy giới thiệu")]) == 1
    hung = Member.objects.get(pk=world.hung.pk)
    assert hung.organization_id == world.a2.id
    assert hung.events.filter(kind="transfer_internal", decision_number=first.label).exists()
    with pytest.raises(InvalidInput):
        letter_confirm(actor=None, letter=TransferLetter.objects.get(pk=first.pk), received_date=today)


def test_complaint_with_no_end_refuses_and_temporary_period_checked(world):
    today = date.today()
    with pytest.raises(InvalidInput) as exc:  # under 3 months: the members service's own rule
        letter_issue(actor=None, member=world.lan, kind="temporary", to_org=world.a1, letter_date=today,
                     end_date=today + timedelta(days=30))
    assert exc.value.errors
    hold_record(actor=None, member=world.lan, kind="complaint", decision="Đơn ngày 01/11/2026",
                start_date=today - timedelta(days=30))
    with pytest.raises(InvalidInput) as exc:
        letter_issue(actor=None, member=world.lan, kind="temporary", to_org=world.a1, letter_date=today,
                     end_date=today + timedelta(days=200))
    assert "đang giải quyết khiếu nại" in exc.value.errors["member"]
    assert not TransferLetter.objects.exists()


def test_transfer_letters_page(world):
    today = date.today()
    office = Client()
    office.force_login(world.office)
    r = office.post("/chuyen-sinh-hoat/giay-gioi-thieu/", {
        "letter": "1", "member": world.hung.id, "kind": "official", "to_org": world.a2.id,
        "letter_date": today.strftime("%d/%m/%Y")})
    assert r.status_code == 302, r.content.decode()
    letter = TransferLetter.objects.get()
    body = office.get("/chuyen-sinh-hoat/giay-gioi-thieu/").content.decode()
    assert letter.label in body and "Nguyễn Văn Hùng" in body and f"{letter.complete_by:%d/%m/%Y}" in body
    docx = office.get(f"/chuyen-sinh-hoat/giay-gioi-thieu/{letter.id}.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    # the receiving cell's secretary confirms; someone of another tree cannot
    outsider = Client()
    outsider.force_login(world.outsider)
    url = f"/chuyen-sinh-hoat/giay-gioi-thieu/{letter.id}/xac-nhan/"
    assert outsider.post(url, {"received_date": today.strftime("%d/%m/%Y")}).status_code == 404
    assert TransferLetter.objects.get().confirmed_date is None
    secretary = Client()
    secretary.force_login(world.secretary)
    assert secretary.post(url, {"received_date": today.strftime("%d/%m/%Y")}).status_code == 302
    assert TransferLetter.objects.get().confirmed_date == today
    assert Member.objects.get(pk=world.hung.pk).organization_id == world.a2.id


def test_transfer_page_refuses_under_inspection(world):
    today = date.today()
    office = Client()
    office.force_login(world.office)
    r = office.post("/chuyen-sinh-hoat/giay-gioi-thieu/", {
        "hold": "1", "hold_member": world.hung.id, "hold_kind": "inspection", "decision": "3-QĐ/UBKT",
        "start_date": today.strftime("%d/%m/%Y")})
    assert r.status_code == 302
    r = office.post("/chuyen-sinh-hoat/giay-gioi-thieu/", {
        "letter": "1", "member": world.hung.id, "kind": "official", "to_org": world.a2.id,
        "letter_date": today.strftime("%d/%m/%Y")})
    assert r.status_code == 422 and "đang bị kiểm tra" in r.content.decode()
    assert not TransferLetter.objects.exists()


def test_hold_ended_on_the_letters_page(world):
    """The letters page ends an inspection or complaint (audited); then a letter may be issued. Another
    committee's office cannot reach it, and an end before the start is refused; both leave it as it was."""
    from dangbo.audit.models import AuditEvent
    from dangbo.procedures.models import MemberHold

    today = date.today()
    hold = hold_record(actor=None, member=world.hung, kind="inspection", decision="3-QĐ/UBKT",
                       start_date=today - timedelta(days=20))
    url = f"/chuyen-sinh-hoat/kiem-tra-khieu-nai/{hold.id}/ket-thuc/"
    office = Client()
    office.force_login(world.office)
    assert url in office.get("/chuyen-sinh-hoat/giay-gioi-thieu/").content.decode()
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.post(url, {"hold_end_date": today.strftime("%d/%m/%Y")}).status_code == 404
    r = office.post(url, {"hold_end_date": (today - timedelta(days=30)).strftime("%d/%m/%Y")}, follow=True)
    assert "Đến ngày không được trước từ ngày." in r.content.decode()
    assert MemberHold.objects.get(pk=hold.pk).end_date is None
    assert not AuditEvent.objects.filter(action="procedure.hold_end").exists()
    r = office.post(url, {"hold_end_date": (today - timedelta(days=1)).strftime("%d/%m/%Y")}, follow=True)
    assert f"Đã ghi ngày kết thúc của Nguyễn Văn Hùng: {today - timedelta(days=1):%d/%m/%Y}." in r.content.decode()
    assert MemberHold.objects.get(pk=hold.pk).end_date == today - timedelta(days=1)
    assert AuditEvent.objects.filter(action="procedure.hold_end", object_id=str(world.hung.id)).count() == 1
    assert url not in r.content.decode()  # no longer in force
    letter_issue(actor=None, member=world.hung, kind="official", to_org=world.a2, letter_date=today)


def test_a_letter_issued_in_error_is_withdrawn_by_its_office_and_a_new_one_can_be_issued(world):
    """A waiting letter used to lock the member: no second letter until the receiving cell confirmed.
    The issuing office withdraws it (reason required, audited); its number stays taken; the receiving
    side can neither withdraw nor confirm it after; a refused withdrawal leaves it as it was."""
    today = date.today()
    day = today.strftime("%d/%m/%Y")
    from dangbo.accounts.services import account_create

    letter = letter_issue(actor=None, member=world.hung, kind="official", to_org=world.b, letter_date=today)
    url = f"/chuyen-sinh-hoat/giay-gioi-thieu/{letter.id}/thu-hoi/"
    secretary = Client()  # the receiving cell's secretary: sees the letter, cannot withdraw it
    secretary.force_login(account_create(actor=None, username="secretary_b", password="dangbo-test-2025x",
                                         role="secretary", organization=world.b))
    page = secretary.get("/chuyen-sinh-hoat/giay-gioi-thieu/").content.decode()
    assert letter.label in page and url not in page
    assert secretary.post(url, {"withdrawn_date": day, "withdraw_reason": "Nhầm"}).status_code == 403
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.post(url, {"withdrawn_date": day, "withdraw_reason": "Nhầm"}).status_code == 404
    office = Client()
    office.force_login(world.office)
    assert url in office.get("/chuyen-sinh-hoat/giay-gioi-thieu/").content.decode()
    for bad, said in (({"withdrawn_date": day, "withdraw_reason": ""}, "Lý do thu hồi"),
                      ({"withdrawn_date": day, "withdraw_reason": "Nhầm\u202e người"}, "Lý do thu hồi"),
                      ({"withdrawn_date": (today - timedelta(days=3)).strftime("%d/%m/%Y"),
                        "withdraw_reason": "Nhầm người"}, "Ngày thu hồi phải từ ngày giới thiệu")):
        r = office.post(url, bad, follow=True)
        assert said in r.content.decode(), bad
        assert TransferLetter.objects.get(pk=letter.pk).withdrawn_date is None
    assert not AuditEvent.objects.filter(action="procedure.letter_withdraw").exists()
    r = office.post(url, {"withdrawn_date": day, "withdraw_reason": "Cấp nhầm chi bộ nơi đến"}, follow=True)
    body = r.content.decode()
    assert f"Đã thu hồi giấy giới thiệu số {letter.label} của Nguyễn Văn Hùng." in body
    assert "Đã thu hồi" in body and "Cấp nhầm chi bộ nơi đến" in body
    saved = TransferLetter.objects.get(pk=letter.pk)
    assert (saved.withdrawn_date, saved.withdraw_reason) == (today, "Cấp nhầm chi bộ nơi đến")
    assert AuditEvent.objects.filter(action="procedure.letter_withdraw", object_id=str(world.hung.id)).count() == 1
    from dangbo.procedures.selectors import due_list

    assert not [d for d in due_list(user=world.office) if d.kind.startswith("Nộp giấy giới thiệu")]
    assert office.post(url, {"withdrawn_date": day, "withdraw_reason": "Lần nữa"}).status_code == 302
    assert AuditEvent.objects.filter(action="procedure.letter_withdraw").count() == 1  # not twice
    with pytest.raises(InvalidInput) as exc:  # the receiving cell cannot take in a withdrawn letter
        letter_confirm(actor=None, letter=saved, received_date=today)
    assert "đã bị thu hồi" in exc.value.errors["received_date"]
    assert Member.objects.get(pk=world.hung.pk).organization_id == world.a1.id
    again = letter_issue(actor=None, member=world.hung, kind="official", to_org=world.a2, letter_date=today)
    assert again.number == letter.number + 1  # the withdrawn number is not reused


def test_a_confirmed_letter_cannot_be_withdrawn(world):
    from dangbo.procedures.services import letter_withdraw

    today = date.today()
    letter = letter_issue(actor=None, member=world.hung, kind="official", to_org=world.a2, letter_date=today)
    letter_confirm(actor=None, letter=letter, received_date=today)
    with pytest.raises(InvalidInput) as exc:
        letter_withdraw(actor=None, letter=letter, withdrawn_date=today, reason="Nhầm")
    assert "không thu hồi được" in exc.value.errors["withdrawn_date"]
    assert TransferLetter.objects.get(pk=letter.pk).withdrawn_date is None
