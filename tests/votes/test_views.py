"""Open-vote pages over HTTP: control page, projector, delegate's phone page, permissions."""

import re

import pytest
from django.test import Client

from dangbo.accounts.services import account_create
from dangbo.votes import services
from dangbo.votes.models import OpenVote, VoteCast
from tests.conftest import PASSWORD


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def hung_user(world):
    return account_create(actor=None, username="hung", password=PASSWORD, role="member", member=world.hung)


def _token(html: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)


def test_staff_create_open_hands_close(world, congress):
    c = client_for(world.office)
    r = c.get(f"/dai-hoi/{congress.id}/")
    assert f"/dai-hoi/{congress.id}/bieu-quyet/" in r.content.decode()
    r = c.post(f"/dai-hoi/{congress.id}/bieu-quyet/", {"subject": "Bầu Bí thư", "kind": "secretary", "mode": "hands"})
    assert r.status_code == 422 and "phiếu kín" in r.content.decode()
    r = c.post(f"/dai-hoi/{congress.id}/bieu-quyet/", {"subject": "Thông qua chương trình", "kind": "agenda",
                                                       "mode": "hands"})
    v = OpenVote.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/dai-hoi/{congress.id}/bieu-quyet/{v.id}/"
    url = r["Location"]
    assert c.post(url, {"action": "open"}).status_code == 302
    r = c.post(url, {"action": "hands", "votes_for": "3", "votes_against": "1", "votes_abstain": "0"})
    assert r.status_code == 422 and "lớn hơn" in r.content.decode()
    assert c.post(url, {"action": "hands", "votes_for": "2", "votes_against": "1", "votes_abstain": "0"}).status_code == 302
    r = c.get(url, HTTP_HX_REQUEST="true")
    assert 'id="count-for">2<' in r.content.decode() and "<html" not in r.content.decode()
    assert c.post(url, {"action": "close"}).status_code == 302
    r = c.get(url + "trinh-chieu/")
    assert "THÔNG QUA" in r.content.decode() and "hx-trigger" not in r.content.decode()
    assert c.post(url, {"action": "bogus"}).status_code == 422


def test_delegate_votes_from_phone_once(world, congress, hung_user):
    v = services.vote_create(actor=None, congress=congress, subject="Thông qua Nghị quyết", kind="resolution",
                             mode="phones")
    phone = client_for(hung_user)
    r = phone.get("/bieu-quyet/")
    assert "Hiện không có biểu quyết" in r.content.decode()  # a draft is not shown
    services.vote_open(actor=None, vote=v)
    page1, page2 = phone.get("/bieu-quyet/").content.decode(), phone.get("/bieu-quyet/").content.decode()
    assert "Thông qua Nghị quyết" in page1 and "Tán thành" in page1
    t1, t2 = _token(page1), _token(page2)
    assert t1 != t2
    r = phone.post(f"/bieu-quyet/{v.id}/", {"choice": "for", "token": t1})
    assert r.status_code == 200 and "Đã ghi nhận" in r.content.decode()
    r = phone.post(f"/bieu-quyet/{v.id}/", {"choice": "for", "token": t1})  # the same POST retried
    assert r.status_code == 200 and "Đã ghi nhận" in r.content.decode()
    r = phone.post(f"/bieu-quyet/{v.id}/", {"choice": "against", "token": t2})  # the other tab
    assert r.status_code == 409 and "chỉ biểu quyết một lần" in r.content.decode()
    assert list(VoteCast.objects.values_list("choice", flat=True)) == ["for"]
    staff = client_for(world.office)
    r = staff.get(f"/dai-hoi/{congress.id}/bieu-quyet/{v.id}/", HTTP_HX_REQUEST="true")
    assert 'id="count-for">1<' in r.content.decode()
    r = staff.get(f"/dai-hoi/{congress.id}/bieu-quyet/{v.id}/trinh-chieu/")
    assert '<svg' in r.content.decode() and "/bieu-quyet/</b>" in r.content.decode()  # QR to the phone page
    services.vote_close(actor=None, vote=v)
    r = phone.get("/bieu-quyet/")
    assert "KHÔNG THÔNG QUA" in r.content.decode()  # 1 of 3


def test_not_checked_in_and_closed(world, congress):
    mai_user = account_create(actor=None, username="mai", password=PASSWORD, role="member", member=world.mai)
    v = services.vote_create(actor=None, congress=congress, subject="NQ", kind="resolution", mode="phones")
    v = services.vote_open(actor=None, vote=v)
    phone = client_for(mai_user)
    page = phone.get("/bieu-quyet/").content.decode()
    assert "chưa điểm danh" in page and 'name="token"' not in page
    r = phone.post(f"/bieu-quyet/{v.id}/", {"choice": "for", "token": "abc"})
    assert r.status_code == 422 and not VoteCast.objects.exists()


def test_permissions(world, congress, hung_user):
    v = services.vote_create(actor=None, congress=congress, subject="NQ", kind="resolution", mode="phones")
    services.vote_open(actor=None, vote=v)
    base = f"/dai-hoi/{congress.id}/bieu-quyet/"
    for user in (world.secretary, world.member_user, world.outsider, hung_user):
        c = client_for(user)
        for url in (base, f"{base}{v.id}/", f"{base}{v.id}/trinh-chieu/"):
            assert c.get(url).status_code in (403, 404), (user, url)
        assert c.post(f"{base}{v.id}/", {"action": "close"}).status_code in (403, 404)
    # staff cannot vote for a delegate; a member cannot vote in a congress where they are no delegate
    assert client_for(world.office).post(f"/bieu-quyet/{v.id}/", {"choice": "for", "token": "t"}).status_code == 404
    stranger = account_create(actor=None, username="s", password=PASSWORD, role="member", member=world.stranger)
    assert client_for(stranger).post(f"/bieu-quyet/{v.id}/", {"choice": "for", "token": "t"}).status_code == 404
    assert Client().get("/bieu-quyet/").status_code == 302
    assert not VoteCast.objects.exists()
    assert OpenVote.objects.get().status == "open"


def test_rule_settings_page_lists_vote_settings(world):
    html = client_for(world.office).get("/quy-dinh/").content.decode()
    assert "Biểu quyết thủ tục (các ban, chương trình, quy chế): cơ sở tính" in html and "CON-4" in html
    assert "Số đại biểu có mặt khi mở biểu quyết" in html and "nghị quyết luôn tính trên số thành viên" in html


def test_resolution_control_page_shows_member_base_and_takes_exclusions(world, congress):
    """CON-4: the control page says the resolution's base is the members (4 summoned − exclusions), lets
    the secretariat enter the exclusions, and the result is counted on it (2 of 3 present fails)."""
    c = client_for(world.office)
    v = services.vote_create(actor=None, congress=congress, subject="Thông qua Nghị quyết", kind="resolution")
    url = f"/dai-hoi/{congress.id}/bieu-quyet/{v.id}/"
    page = c.get(url).content.decode()
    assert "Cơ sở tính: <b>4</b> = 4 đại biểu chính thức được triệu tập − 0 loại trừ" in page
    assert "Điều lệ Đảng, Điều 9.5" in page and 'name="absent_without_alternate"' in page
    assert "Lúc này có 1 đại biểu chính thức chưa điểm danh" in page  # Mai: a suggestion, not saved
    r = c.post(url, {"action": "exclusions", "absent_without_alternate": "9", "convening_members_absent_whole": "0"})
    assert r.status_code == 422 and "lớn hơn số đại biểu chính thức được triệu tập" in r.content.decode()
    assert OpenVote.objects.get(pk=v.pk).exclusions == {}
    r = c.post(url, {"action": "exclusions", "absent_without_alternate": "1", "convening_members_absent_whole": ""})
    assert r.status_code == 302
    assert "Cơ sở tính: <b>3</b> = 4 đại biểu chính thức được triệu tập − 1 loại trừ" in c.get(url).content.decode()
    assert c.post(url, {"action": "open"}).status_code == 302
    c.post(url, {"action": "hands", "votes_for": "2", "votes_against": "1", "votes_abstain": "0"})
    page = c.get(url).content.decode()
    assert "cần ít nhất <b>2</b>" in page and 'name="absent_without_alternate"' not in page
    c.post(url, {"action": "close"})
    assert OpenVote.objects.get(pk=v.pk).passed is True


def test_resolution_without_exclusions_fails_on_those_present(world, congress):
    c = client_for(world.office)
    v = services.vote_create(actor=None, congress=congress, subject="Thông qua Nghị quyết", kind="resolution")
    url = f"/dai-hoi/{congress.id}/bieu-quyet/{v.id}/"
    c.post(url, {"action": "open"})
    c.post(url, {"action": "hands", "votes_for": "2", "votes_against": "1", "votes_abstain": "0"})
    c.post(url, {"action": "close"})
    v.refresh_from_db()
    assert (v.base, v.passed) == (4, False)
    assert "KHÔNG THÔNG QUA" in c.get(url + "trinh-chieu/").content.decode()


def test_procedural_page_says_present_base(world, congress):
    c = client_for(world.office)
    v = services.vote_create(actor=None, congress=congress, subject="Thông qua chương trình", kind="agenda")
    page = c.get(f"/dai-hoi/{congress.id}/bieu-quyet/{v.id}/").content.decode()
    assert "Cơ sở tính: <b>3</b> — số đại biểu có mặt khi mở biểu quyết" in page
    assert 'name="absent_without_alternate"' not in page


def test_forms_show_every_problem_beside_its_field(world, congress):
    """The vote pages read Django forms: all problems at once, each beside its field, typed values kept,
    nothing saved."""
    c = client_for(world.office)
    r = c.post(f"/dai-hoi/{congress.id}/bieu-quyet/", {"subject": "", "kind": "agenda", "mode": "loa"})
    body = r.content.decode()
    assert r.status_code == 422 and not OpenVote.objects.exists()
    assert "Trường «Nội dung biểu quyết» là bắt buộc." in body and "Trường «Hình thức»: lựa chọn không hợp lệ." in body
    v = services.vote_create(actor=None, congress=congress, subject="Thông qua chương trình", kind="agenda")
    services.vote_open(actor=None, vote=v)
    url = f"/dai-hoi/{congress.id}/bieu-quyet/{v.id}/"
    r = c.post(url, {"action": "hands", "votes_for": "ba", "votes_against": "-1", "votes_abstain": "0"})
    body = r.content.decode()
    assert r.status_code == 422
    assert "«Tán thành» phải là số nguyên không âm." in body and "«Không tán thành» phải là số nguyên không âm." in body
    assert 'value="ba"' in body
    v.refresh_from_db()
    assert (v.votes_for, v.votes_against) == (0, 0)
