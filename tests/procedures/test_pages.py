"""Procedure pages through HTTP: the admission file step by step, refusals shown beside their field,
the Word file, the badge list, "what is due" and the home digest; a member is turned away."""

from datetime import date

import pytest
from django.test import Client

from dangbo.members.models import Member
from dangbo.members.services import member_event_record
from dangbo.procedures.models import Applicant


@pytest.fixture
def office(world):
    c = Client()
    c.force_login(world.office)
    return c


def test_admission_journey_over_http(world, office):
    r = office.post("/ket-nap/", {"organization": world.a2.id, "full_name": "Vũ Thị Mai", "sex": "F",
                                  "birth_date": "15/06/2000"})
    assert r.status_code == 302
    a = Applicant.objects.get(full_name="Vũ Thị Mai")
    url = f"/ket-nap/{a.id}/"
    today = date.today()
    steps = [
        {"course_date": today.strftime("%d/%m/%Y"), "course_number": "7/GCN"},
        {"application_date": today.strftime("%d/%m/%Y")},
        {"background_date": today.strftime("%d/%m/%Y"), "verified_date": today.strftime("%d/%m/%Y")},
        {"introduced_date": today.strftime("%d/%m/%Y"), "kind_1": "member", "member_1": world.hung.id,
         "months_1": "24", "kind_2": "trade_union"},
    ]
    for data in steps:
        assert office.post(url, data).status_code == 302, data
    r = office.post(url, {"resolution_date": today.strftime("%d/%m/%Y"), "official_count": "9", "votes_for": "5"})
    assert r.status_code == 422 and "cần ít nhất 6" in r.content.decode()
    assert Applicant.objects.get(pk=a.pk).cell_resolution_date is None
    assert office.post(url, {"resolution_date": today.strftime("%d/%m/%Y"), "official_count": "9",
                             "votes_for": "6"}).status_code == 302
    assert office.post(url, {"resolution_date": today.strftime("%d/%m/%Y"), "member_count": "5",
                             "votes_for": "4"}).status_code == 302
    assert office.post(url, {"decision_number": "12-QĐ/ĐU", "decision_date": today.strftime("%d/%m/%Y"),
                             "received_date": today.strftime("%d/%m/%Y")}).status_code == 302
    body = office.get(url).content.decode()
    assert "Hạn tổ chức lễ kết nạp" in body and "Lễ kết nạp" in body
    due = office.get("/viec-can-lam/").content.decode()
    assert "Vũ Thị Mai" in due and "Tổ chức lễ kết nạp" in due
    assert "Vũ Thị Mai" in office.get("/").content.decode()  # the home digest
    docx = office.get(f"/ket-nap/{a.id}/ho-so.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert office.post(url, {"ceremony_date": today.strftime("%d/%m/%Y")}).status_code == 302
    m = Member.objects.get(full_name="Vũ Thị Mai")
    assert m.state == "probationary" and m.ceremony_date == today


def test_member_and_other_tree_turned_away(world):
    a = Applicant.objects.create(organization=world.a2, org_path=world.a2.path, full_name="Ẩn Danh", sex="M",
                                 birth_date=date(2000, 1, 1))
    c = Client()
    c.force_login(world.member_user)
    for path in ("/ket-nap/", f"/ket-nap/{a.id}/", "/viec-can-lam/", "/huy-hieu/"):
        assert c.get(path).status_code == 403
    c.force_login(world.outsider)
    assert c.get(f"/ket-nap/{a.id}/").status_code == 404
    assert "Ẩn Danh" not in c.get("/viec-can-lam/").content.decode()


def test_badge_list_with_discipline_delay(world, office):
    # Hùng and Lan: admitted 2/3/2000 → 30 years on 2/3/2030 → awarded 19/5/2030
    member_event_record(actor=None, member=world.lan, kind="discipline", on=date(2030, 1, 10),
                        decision_date=date(2030, 1, 10), details={"level": "warning"}, today=date(2030, 1, 10))
    body = office.get("/huy-hieu/?dot=2030-05-19").content.decode()
    assert "Nguyễn Văn Hùng" in body and "30 năm" in body and "Trần Thị Lan" not in body
    later = office.get("/huy-hieu/?dot=2030-11-07").content.decode()  # 10/1/2030 + 9 months → 7/11/2030
    assert "Trần Thị Lan" in later and "Lùi xét do kỷ luật đến 10/10/2030" in later
    assert office.get("/huy-hieu/?dot=2030-05-19&tai=docx").content[:2] == b"PK"


def test_due_lists_recognition_overdue_and_temporary_transfer_ending(world, office):
    from datetime import timedelta

    from dangbo.members.services import member_create

    today = date.today()
    late = member_create(actor=None, organization=world.a1, profile={"full_name": "Hồ Văn Muộn", "sex": "M",
                                                                       "birth_date": date(1990, 1, 1)},
                         admission_date=today - timedelta(days=600), ceremony_date=today - timedelta(days=590))
    member_event_record(actor=None, member=world.hung, kind="temp_transfer_out", on=today - timedelta(days=100),
                        end_date=today + timedelta(days=20), place="Trường Chính trị tỉnh",
                        decision_date=today - timedelta(days=100))
    body = office.get("/viec-can-lam/").content.decode()
    assert "Quá hạn xét công nhận đảng viên chính thức" in body and late.full_name in body
    assert "Hết thời hạn sinh hoạt đảng tạm thời" in body and "Nguyễn Văn Hùng" in body
    c = Client()
    c.force_login(world.outsider)
    assert late.full_name not in c.get("/viec-can-lam/").content.decode()


def test_admission_forms_1_to_4_are_separate_word_files(world, office):
    """ADM-7: Mẫu 1–4-KNĐ, each its own Word file filled from the file; another tree's staff get 404."""
    import io

    from docx import Document

    from dangbo.procedures import services

    today = date.today()
    a = services.applicant_create(actor=None, organization=world.a2, full_name="Đinh Thị Hạnh", sex="F",
                                  birth_date=date(2000, 6, 15))
    services.step_course(actor=None, applicant=a, course_date=today, course_number="9/GCN")
    services.step_application(actor=None, applicant=a, application_date=today)
    services.step_background(actor=None, applicant=a, background_date=today, verified_date=today)
    services.step_introducers(actor=None, applicant=a, introduced_date=today, introducers=[
        {"kind": "member", "member_id": world.lan.id, "months": 24}, {"kind": "youth_union"}])
    texts = {}
    for n, title in ((1, "ĐƠN XIN VÀO ĐẢNG"), (2, "LÝ LỊCH CỦA NGƯỜI XIN VÀO ĐẢNG"),
                     (3, "GIẤY GIỚI THIỆU NGƯỜI VÀO ĐẢNG"), (4, "NGHỊ QUYẾT GIỚI THIỆU ĐOÀN VIÊN ƯU TÚ VÀO ĐẢNG")):
        r = office.get(f"/ket-nap/{a.id}/mau-{n}-knd.docx")
        assert r.status_code == 200 and r["Content-Disposition"].endswith(f'mau-{n}-knd-{a.id}.docx"')
        doc = Document(io.BytesIO(r.content))
        text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
            c.text for t in doc.tables for row in t.rows for c in row.cells)
        assert f"Mẫu {n}-KNĐ" in text and title in text and "Đinh Thị Hạnh" in text
        texts[n] = text
    assert "9/GCN" in texts[1] and "Trần Thị Lan" in texts[3] and "24 tháng" in texts[3]
    assert "Ban Chấp hành Đoàn cơ sở" in texts[4]
    c = Client()
    c.force_login(world.outsider)
    assert c.get(f"/ket-nap/{a.id}/mau-1-knd.docx").status_code == 404


def test_transfer_pages_reachable_from_procedures_and_only_where_they_open(world):
    """«Thủ tục» (the menu's procedures entry, /ket-nap/) leads to the transfer letters for staff and to
    the signed transfer file for the office only; no page shows a secretary a link that answers 403."""
    import re

    def links(c, url):
        return set(re.findall(r'href="(/[^"]*)"', c.get(url).content.decode()))

    c = Client()
    c.force_login(world.office)
    assert {"/chuyen-sinh-hoat/giay-gioi-thieu/", "/chuyen-sinh-hoat/"} <= links(c, "/ket-nap/")
    assert "/chuyen-sinh-hoat/" in links(c, "/chuyen-sinh-hoat/giay-gioi-thieu/")
    c.force_login(world.secretary)
    assert c.get("/chuyen-sinh-hoat/").status_code == 403
    assert "/chuyen-sinh-hoat/giay-gioi-thieu/" in links(c, "/ket-nap/")
    for url in ("/ket-nap/", "/chuyen-sinh-hoat/giay-gioi-thieu/"):
        assert "/chuyen-sinh-hoat/" not in links(c, url), url
        assert c.get(url).status_code == 200
