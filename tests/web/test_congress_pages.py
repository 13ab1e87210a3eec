"""Congress pages: list, detail, check-in desk (by number and by name search), live quorum page."""

from datetime import date

import pytest
from django.test import Client

from dangbo.congress import selectors, services
from dangbo.congress.models import APPOINTED


@pytest.fixture
def cong(world):
    c = services.congress_create(actor=None, organization=world.root, kind="delegates", term="2025–2030",
                                 name="Đại hội đại biểu Đảng bộ Thử nghiệm lần thứ I", start_date=date(2025, 7, 28),
                                 end_date=date(2025, 7, 29))
    world.hung_d = services.delegate_add(actor=None, congress=c, member=world.hung, obtained=APPOINTED)
    world.lan_d = services.delegate_add(actor=None, congress=c, member=world.lan, obtained=APPOINTED)
    world.nam = world.add(world.b, "Đỗ Văn Nam")
    world.nam_d = services.delegate_add(actor=None, congress=c, member=world.nam, obtained=APPOINTED)
    return c


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_office_sees_list_detail_and_quorum(world, cong):
    c = login(world.office)
    r = c.get("/dai-hoi/")
    assert r.status_code == 200 and cong.name in r.content.decode()
    r = c.get(f"/dai-hoi/{cong.id}/")
    body = r.content.decode()
    assert r.status_code == 200 and "Nguyễn Văn Hùng" in body and "Chỉ định" in body
    assert "0</b>/3" in body and "Đại hội chưa đủ điều kiện" in body
    r = c.get(f"/dai-hoi/{cong.id}/tu-cach/")
    assert r.status_code == 200 and 'hx-trigger="every 3s"' in r.content.decode()
    r = c.get(f"/dai-hoi/{cong.id}/tu-cach/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "<html" not in r.content.decode() and "Còn thiếu" in r.content.decode()
    assert 'href="/dai-hoi/"' in c.get(f"/dai-hoi/{cong.id}/").content.decode()  # the nav link


def test_check_in_by_number_updates_quorum(world, cong):
    c = login(world.office)
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "1"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and "Đã điểm danh Nguyễn Văn Hùng" in body and "1</b>/3" in body
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "001"}, HTTP_HX_REQUEST="true")
    assert "không tính lại" in r.content.decode() and "1</b>/3" in r.content.decode()
    c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "3"})
    q = selectors.quorum(cong)
    assert (q.present, q.orgs_present, q.valid) == (2, 2, True)
    r = c.get(f"/dai-hoi/{cong.id}/tu-cach/", HTTP_HX_REQUEST="true")
    assert "Đại hội hợp lệ" in r.content.decode()
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/huy/", {"delegate": world.hung_d.id}, HTTP_HX_REQUEST="true")
    assert "Đã huỷ điểm danh" in r.content.decode() and selectors.quorum(cong).present == 1


def test_check_in_errors_name_the_field(world, cong):
    c = login(world.office)
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "99"})
    assert r.status_code == 422 and "Số thẻ đại biểu" in r.content.decode()
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/", {})
    assert r.status_code == 422 and "Số thẻ đại biểu" in r.content.decode()
    r = c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "99"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'role="alert"' in r.content.decode()


def test_name_search_on_desk(world, cong):
    c = login(world.office)
    r = c.get(f"/dai-hoi/{cong.id}/diem-danh/?q=hung", HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert "Nguyễn Văn Hùng" in body and "Trần Thị Lan" not in body
    r = c.get(f"/dai-hoi/{cong.id}/diem-danh/?q=nguyen van")
    assert "Nguyễn Văn Hùng" in r.content.decode()
    c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"delegate": world.lan_d.id, "q": "lan"})
    assert selectors.quorum(cong).present == 1


def test_other_subtree_and_members_are_refused(world, cong):
    for user in (world.secretary, world.outsider):  # secretary of A does not cover the committee
        c = login(user)
        for url in ("/", "diem-danh/", "tu-cach/"):
            assert c.get(f"/dai-hoi/{cong.id}/{url}".replace("//", "/")).status_code == 404
        assert c.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "1"}).status_code == 404
        assert cong.name not in c.get("/dai-hoi/").content.decode()
    m = login(world.member_user)
    assert m.get("/dai-hoi/").status_code == 403
    assert m.get(f"/dai-hoi/{cong.id}/").status_code == 404
    assert m.post(f"/dai-hoi/{cong.id}/diem-danh/", {"number": "1"}).status_code == 404
    assert selectors.quorum(cong).present == 0
    assert Client().get("/dai-hoi/").status_code == 302


def test_secretary_runs_own_congress(world):
    c = services.congress_create(actor=None, organization=world.a, kind="members", term="2025–2030",
                                 name="Đại hội Đảng bộ cơ sở A", start_date=date(2025, 5, 10))
    services.delegate_add(actor=None, congress=c, member=world.hung)
    s = login(world.secretary)
    assert c.name in s.get("/dai-hoi/").content.decode()
    r = s.post(f"/dai-hoi/{c.id}/diem-danh/", {"number": "1"})
    assert r.status_code == 302 and selectors.quorum(c).present == 1
