"""Members' yearly commitments (MOD-1) through HTTP: the member writes their own, the secretary writes
for the cell, the office lists them; out of scope is 404, a refused write leaves the record unchanged."""

from datetime import date

import pytest
from django.test import Client

from dangbo.audit.models import AuditEvent
from dangbo.core.errors import InvalidInput
from dangbo.programme import services
from dangbo.programme.models import Commitment

YEAR = date.today().year


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_member_records_own_commitment_and_result(world):
    c = login(world.member_user)
    r = c.get("/cam-ket/")
    assert r.status_code == 302 and r["Location"] == f"/cam-ket/{world.lan.id}/"
    r = c.get(f"/cam-ket/{world.lan.id}/")
    assert r.status_code == 200 and "Chưa đăng ký năm nào" in r.content.decode()
    r = c.post(f"/cam-ket/{world.lan.id}/", {"year": YEAR, "text": "Mỗi tuần một việc tốt", "result": ""})
    assert r.status_code == 302
    r = c.post(f"/cam-ket/{world.lan.id}/", {"year": YEAR, "text": "Mỗi tuần một việc tốt",
                                             "result": "Hoàn thành: 52 việc"})
    saved = Commitment.objects.get(member=world.lan, year=YEAR)
    assert (saved.text, saved.result, saved.org_path) == ("Mỗi tuần một việc tốt", "Hoàn thành: 52 việc",
                                                          world.lan.org_path)
    ev = AuditEvent.objects.filter(action="programme.commitment_save").order_by("-id").first()
    assert ev.before["result"] == "" and ev.after["result"] == "Hoàn thành: 52 việc"
    page = c.get(f"/cam-ket/{world.lan.id}/").content.decode()
    assert "Hoàn thành: 52 việc" in page and "Cam kết của tôi" in page


def test_member_cannot_read_or_write_another_members(world):
    c = login(world.member_user)
    assert c.get(f"/cam-ket/{world.hung.id}/").status_code == 404
    assert c.post(f"/cam-ket/{world.hung.id}/", {"year": YEAR, "text": "x"}).status_code == 404
    assert not Commitment.objects.exists()


def test_secretary_writes_for_the_cell_not_outside(world):
    sec = login(world.secretary)  # secretary of A (cells A1, A2)
    r = sec.post(f"/cam-ket/{world.hung.id}/", {"year": YEAR, "text": "Gương mẫu nơi cư trú"})
    assert r.status_code == 302
    assert Commitment.objects.get(member=world.hung).text == "Gương mẫu nơi cư trú"
    assert sec.post(f"/cam-ket/{world.hoa.id}/", {"year": YEAR, "text": "x"}).status_code == 404  # B: not theirs
    assert Commitment.objects.count() == 1


def test_bad_input_refused_and_record_unchanged(world):
    services.commitment_save(actor=None, member=world.lan, year=YEAR, text="Cũ")
    c = login(world.member_user)
    r = c.post(f"/cam-ket/{world.lan.id}/", {"year": YEAR, "text": "Mới\u202e", "result": ""})
    assert r.status_code == 422 and "Nội dung đăng ký làm theo" in r.content.decode()
    r = c.post(f"/cam-ket/{world.lan.id}/", {"year": YEAR - 5, "text": "Mới"})
    assert r.status_code == 422
    assert Commitment.objects.get(member=world.lan).text == "Cũ"
    with pytest.raises(InvalidInput, match="Năm cam kết"):
        services.commitment_save(actor=None, member=world.lan, year=YEAR + 3, text="Mới")
    assert Commitment.objects.get(member=world.lan).text == "Cũ"


def test_office_lists_who_registered(world):
    services.commitment_save(actor=None, member=world.lan, year=YEAR, text="Học tập suốt đời", result="Đạt")
    services.commitment_save(actor=None, member=world.stranger, year=YEAR, text="Ngoài phạm vi")
    r = login(world.office).get(f"/cam-ket/?nam={YEAR}")
    html = r.content.decode()
    assert r.status_code == 200
    assert "1/3 đảng viên đã đăng ký, 1 đã tự đánh giá" in html
    assert "Học tập suốt đời" in html and "Ngoài phạm vi" not in html and "Nguyễn Văn Hùng" in html
    sec = login(world.secretary).get(f"/cam-ket/?to-chuc={world.a1.id}&nam={YEAR}").content.decode()
    assert "Nguyễn Văn Hùng" in sec and "Trần Thị Lan" not in sec
    assert login(world.secretary).get(f"/cam-ket/?to-chuc={world.b.id}").status_code == 404
