"""Meetings pages through HTTP: a secretary prepares and records a meeting, a member answers the
invitation, the warnings and dashboard pages, refusals leave the record unchanged."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dangbo.meetings import services
from dangbo.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_secretary_plans_prepares_records_and_downloads_minutes(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    c = client_for(world.secretary)
    r = c.post("/sinh-hoat/", {"action": "plan", "organization": world.a1.id, "body": "cell", "year": 2026})
    assert r.status_code == 302 and Meeting.objects.filter(organization=world.a1).count() == 16
    m = Meeting.objects.get(organization=world.a1, held_on=date(2026, 3, 3), kind="ordinary")
    page = c.get(f"/sinh-hoat/{m.id}/").content.decode()
    assert "Chuẩn bị" in page and "Nguyễn Văn Hùng" in page
    r = c.post(f"/sinh-hoat/{m.id}/chuan-bi/", {"topic": "Nhiệm vụ quý I", "place": "Phòng họp tầng 2",
                                               "committee_met_on": "01/03/2026", "upper_member": "Đ/c Bình",
                                               "invite": "on"})
    assert r.status_code == 302
    r = c.post(f"/sinh-hoat/{m.id}/ban-tin/", {"bulletin": _upload("ban-tin.pdf", b"%PDF-1.4 bulletin")})
    assert r.status_code == 302
    row = m.attendance.get()
    r = c.post(f"/sinh-hoat/{m.id}/diem-danh/", {f"s{row.id}": "present"})
    assert r.status_code == 302
    r = c.post(f"/sinh-hoat/{m.id}/ket-qua/", {"minutes": "95", "chair": "Nguyễn Văn Hùng", "secretary": "Thư ký",
                                              "resolution": "Chi bộ quyết nghị …", "votes_for": "1",
                                              "votes_against": "0"})
    assert r.status_code == 302
    page = c.get(f"/sinh-hoat/{m.id}/").content.decode()
    assert "Đạt các tiêu chí" in page and "100,0\u00a0%" in page
    r = c.get(f"/sinh-hoat/{m.id}/bien-ban.docx")
    assert r.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(r.content)).read("word/document.xml").decode()
    assert "BIÊN BẢN" in xml and "Phòng họp tầng 2" in xml and "Nghị quyết" in xml
    assert c.get(f"/sinh-hoat/{m.id}/ban-tin/").status_code == 200


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_refused_record_is_unchanged_and_answers_422(world):
    m = services.meeting_create(actor=None, organization=world.a1, held_on=date(2026, 3, 3))
    c = client_for(world.secretary)
    r = c.post(f"/sinh-hoat/{m.id}/ket-qua/", {"minutes": "95", "chair": "X\x07"})
    assert r.status_code == 422 and "Chủ trì" in r.content.decode()
    m.refresh_from_db()
    assert (m.state, m.chair, m.minutes) == ("planned", "", None)
    r = c.post(f"/sinh-hoat/{m.id}/chuan-bi/", {"committee_met_on": "31/02/2026"})
    assert r.status_code == 422 and "ngày/tháng/năm" in r.content.decode()


def test_member_answers_the_invitation_and_sees_history(world):
    soon = services.meeting_create(actor=None, organization=world.a2, held_on=timezone.localdate() + timedelta(days=4),
                                   topic="Sinh hoạt tháng")
    c = client_for(world.member_user)
    page = c.get("/sinh-hoat/cua-toi/").content.decode()
    assert "Buổi sinh hoạt tới" in page and "Tôi không dự được, vì" in page
    r = c.post("/sinh-hoat/cua-toi/", {"will_attend": "no", "reason": ""})
    assert r.status_code == 422 and "lý do" in r.content.decode()
    r = c.post("/sinh-hoat/cua-toi/", {"will_attend": "no", "reason": "Đi công tác"})
    assert r.status_code == 302
    assert soon.attendance.get(member=world.lan).reply_reason == "Đi công tác"
    # the member does not open the meeting page, nor another cell's bulletin
    assert c.get(f"/sinh-hoat/{soon.id}/").status_code == 403
    other = services.meeting_create(actor=None, organization=world.a1, held_on=date(2026, 3, 3))
    assert c.get(f"/sinh-hoat/{other.id}/ban-tin/").status_code == 404
    # staff see the answer
    page = client_for(world.secretary).get(f"/sinh-hoat/{soon.id}/").content.decode()
    assert "Đi công tác" in page


def test_staff_pages_and_scope(world):
    m = services.meeting_create(actor=None, organization=world.a1, held_on=date(2026, 3, 3))
    for path in ("/sinh-hoat/", "/sinh-hoat/canh-bao/", "/sinh-hoat/tong-hop/", "/sinh-hoat/?year=2025"):
        assert client_for(world.office).get(path).status_code == 200, path
    assert client_for(world.outsider).get(f"/sinh-hoat/{m.id}/").status_code == 404
    assert "Chi bộ A1" not in client_for(world.outsider).get("/sinh-hoat/tong-hop/").content.decode()
    assert client_for(world.member_user).get("/sinh-hoat/").status_code == 403
    assert client_for(world.office).get("/sinh-hoat/cua-toi/").status_code == 403


def test_refused_answer_keeps_what_was_chosen(world):
    services.meeting_create(actor=None, organization=world.a2, held_on=timezone.localdate() + timedelta(days=4))
    r = client_for(world.member_user).post("/sinh-hoat/cua-toi/", {"will_attend": "no", "reason": ""})
    assert r.status_code == 422 and 'value="no" checked' in r.content.decode()


def test_one_tap_marks_everyone_unmarked_present(world):
    for i in range(3):
        world.add(world.a1, f"Đảng viên Nhanh {i}")
    m = services.meeting_create(actor=None, organization=world.a1, held_on=date(2026, 3, 3))
    first = m.attendance.order_by("id").first()
    c = client_for(world.secretary)
    assert "Ghi có mặt cho 4 đồng chí chưa điểm danh" in c.get(f"/sinh-hoat/{m.id}/").content.decode()
    r = c.post(f"/sinh-hoat/{m.id}/diem-danh/", {"all_present": "1", f"s{first.id}": "excused", f"r{first.id}": "Ốm"})
    assert r.status_code == 302
    assert sorted(m.attendance.values_list("status", flat=True)) == ["excused", "present", "present", "present"]


def test_committee_roll_page(world):
    """Item 5 through HTTP: the secretary seats a member on the grassroots committee, a bad row keeps
    what was typed and saves nothing, a member cannot open it, ending a seat asks and is recorded."""
    from django.test import Client

    from dangbo.meetings.models import CommitteeSeat

    c = Client()
    c.force_login(world.secretary)
    url = f"/sinh-hoat/cap-uy/{world.a.id}/"
    body = c.get(url).content.decode()
    assert "Cấp ủy viên — Đảng bộ cơ sở A" in body and "Chưa ghi cấp ủy viên nào" in body
    assert "Nguyễn Văn Hùng (" in body or "Nguyễn Văn Hùng —" in body  # a member of A in the picker
    r = c.post(url, {"action": "them", "body": "grassroots_committee", "member": world.hung.id, "role": "secretary",
                     "since": "31/02/2026"})
    assert r.status_code == 422 and CommitteeSeat.objects.count() == 0
    r = c.post(url, {"action": "them", "body": "grassroots_committee", "member": world.hung.id, "role": "secretary",
                     "since": "01/10/2025"})
    assert r.status_code == 302
    body = c.get(url).content.decode()
    assert "Bí thư" in body and "01/10/2025" in body and "Đang đảm nhiệm" in body
    seat = CommitteeSeat.objects.get()
    assert c.post(url, {"action": "thoi", "seat": seat.id}).status_code == 302
    seat.refresh_from_db()
    assert seat.until is not None
    m = Client()
    m.force_login(world.member_user)
    assert m.get(url).status_code in (403, 404)
    assert c.get(f"/sinh-hoat/cap-uy/{world.x1.id}/").status_code == 404
