"""Web pages through HTTP: forms validate in Vietnamese, nothing half-saved, no CDN, throttled login."""

import re
from datetime import date

import pytest
from django.test import Client

from dangbo.members.models import Member, MemberEvent
from tests.conftest import PASSWORD


@pytest.fixture
def office(world):
    c = Client()
    c.force_login(world.office)
    return c


def test_pages_render_for_office(world, office):
    for url in ["/", "/to-chuc/", f"/to-chuc/{world.root.id}/", "/dang-vien/", f"/dang-vien/{world.hung.id}/",
                "/dang-vien/them/", f"/dang-vien/{world.hung.id}/sua/", "/nhat-ky/"]:
        r = office.get(url)
        assert r.status_code == 200, url
        assert 'lang="vi"' in r.content.decode()


def test_no_asset_from_the_internet(world, office):
    html = office.get("/dang-vien/").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "htmx" in html


def test_tree_page_shows_counts_and_history(world, office):
    html = office.get("/to-chuc/").content.decode()
    assert "Chi bộ A1" in html and "Chi bộ cơ sở B" in html
    detail = office.get(f"/to-chuc/{world.root.id}/").content.decode()
    assert "10-QĐ/TU" in detail and "Thành lập" in detail


def test_live_search_fragment(world, office):
    r = office.get("/dang-vien/", {"q": "tran thi lan"}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "Trần Thị Lan" in html and "<html" not in html


def test_create_member_form_errors_are_vietnamese(world, office):
    r = office.post("/dang-vien/them/", {"organization": world.b.id, "full_name": "Hà Văn Tú", "sex": "M",
                                          "admission_date": "31/02/2020", "national_id": "12"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "Trường «Ngày quyết định kết nạp» không hợp lệ" in html
    assert not Member.objects.filter(full_name="Hà Văn Tú").exists()
    r = office.post("/dang-vien/them/", {"organization": world.b.id, "full_name": "Hà Văn Tú", "sex": "M",
                                          "admission_date": "2020-02-03", "national_id": "12"})
    assert r.status_code == 422 and "12 chữ số" in r.content.decode()
    r = office.post("/dang-vien/them/", {"organization": world.b.id, "full_name": "hà văn tú", "sex": "M",
                                          "admission_date": "2020-02-03", "official_date": "2021-02-03"})
    assert r.status_code == 302
    assert Member.objects.get(full_name="Hà Văn Tú").state == "official"


def test_event_form_records_and_refuses(world, office):
    url = f"/dang-vien/{world.hung.id}/su-kien/"
    r = office.post(url, {"kind": "temp_transfer_out", "date": "2026-01-05", "to_org": world.b.id,
                          "end_date": "2026-02-05"})
    assert r.status_code == 422 and "tạm thời" in r.content.decode()
    assert not MemberEvent.objects.filter(member=world.hung, kind="temp_transfer_out").exists()
    r = office.post(url, {"kind": "temp_transfer_out", "date": "2026-01-05", "to_org": world.b.id,
                          "end_date": "2026-07-05"})
    assert r.status_code == 302
    page = office.get(f"/dang-vien/{world.hung.id}/").content.decode()
    assert "Sinh hoạt tạm thời: Chi bộ cơ sở B" in page
    assert "member.temp_transfer_out" in office.get("/nhat-ky/").content.decode()


def test_profile_never_shows_birth_date_or_id(world, office):
    html = office.get(f"/dang-vien/{world.hung.id}/").content.decode()
    assert "025075000123" not in html and "05/05/1975" not in html


def test_secretary_cannot_open_audit_log(world):
    c = Client()
    c.force_login(world.secretary)
    assert c.get("/nhat-ky/").status_code == 403


def test_login_throttling_locks_after_failures(world):
    c = Client()
    for _ in range(5):
        r = c.post("/dang-nhap/", {"username": "office", "password": "sai-mat-khau"})
    r = c.post("/dang-nhap/", {"username": "office", "password": PASSWORD})
    assert r.status_code in (403, 429) and "Tạm khóa" in r.content.decode()


def test_login_works(world):
    c = Client()
    r = c.post("/dang-nhap/", {"username": "office", "password": PASSWORD})
    assert r.status_code == 302 and c.get("/").status_code == 200


def test_member_home_is_own_record(world):
    c = Client()
    c.force_login(world.member_user)
    r = c.get("/")  # the member's home: what is theirs to do, and their own record (tests/web/test_shell.py)
    assert r.status_code == 200 and f'href="/dang-vien/{world.lan.id}/"' in r.content.decode()


def test_party_age_shown(world, office):
    html = office.get(f"/dang-vien/{world.hung.id}/").content.decode()
    years = date.today().year - 2000 - (1 if date.today() < date(date.today().year, 3, 2) else 0)
    assert f"{years} năm" in html


def test_export_is_scoped_logged_and_has_no_sensitive_fields(world):
    from dangbo.audit.models import AuditEvent

    c = Client()
    c.force_login(world.secretary)
    r = c.get("/dang-vien/xuat.csv")
    text = r.content.decode("utf-8-sig")
    assert r.status_code == 200 and "Nguyễn Văn Hùng" in text and "Trần Thị Lan" in text
    assert "Lê Thị Hoà" not in text and "Phạm Văn Hùng" not in text
    assert "025075000123" not in text and "05/05/1975" not in text and "1975-05-05" not in text
    ev = AuditEvent.objects.get(action="member.export")
    assert ev.actor == world.secretary and ev.after["rows"] == 2


def test_rule_settings_page_shows_confidence(world, office):
    html = office.get("/quy-dinh/").content.decode()
    assert "MEM-5" in html and "294-QĐ/TW" in html and "trung bình" in html
    assert "CON-7" in html or "CON-6" in html
    assert "APR-4" in html and "Làm tròn" in html


def test_host_page_lists_temporary_members_without_counting_them(world, office):
    from dangbo.members.services import member_event_record

    member_event_record(actor=None, member=world.hung, kind="temp_transfer_out", on=date(2026, 1, 5),
                        to_org=world.b, end_date=date(2026, 7, 5))
    html = office.get(f"/to-chuc/{world.b.id}/").content.decode()
    assert "sinh hoạt tạm thời tại đây" in html and "Nguyễn Văn Hùng" in html
    rows = {r["code"]: r for r in office.get("/api/orgs/").json()}
    assert rows["B"]["official"] == 0 and rows["A1"]["official"] == 1


def test_audit_filter_with_nul_is_answered(world, office):
    r = office.get("/nhat-ky/", {"action": "member\x00"})
    assert r.status_code == 200 and "Trùng số định danh" in r.content.decode()


def test_member_list_search_with_nul_is_answered(world, office):
    r = office.get("/dang-vien/", {"q": "hung\x00"})
    assert r.status_code == 200 and "Nguyễn Văn Hùng" in r.content.decode()


def test_empty_posts_to_member_forms_answer_the_blank_form(world, office):
    """Found by the scope walker: an empty POST leaves the form unbound (no cleaned data)."""
    for url in ("/dang-vien/them/", f"/dang-vien/{world.hung.id}/sua/", f"/dang-vien/{world.hung.id}/su-kien/"):
        r = office.post(url)
        assert r.status_code in (200, 422), url
    assert Member.objects.count() == 4
