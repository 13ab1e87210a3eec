"""The site's shell through HTTP: logout back to the platform's login page, each role's menu and home
page, pages a role cannot use, the committee's name in the header, the rules page in words."""

import re
from datetime import date

import pytest
from django.test import Client

from dangbo.accounts import menu
from dangbo.appraisal.services import campaign_open
from dangbo.congress.services import congress_create, delegate_add, delegate_check_in
from dangbo.votes.services import vote_create, vote_open


def _client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _menu(html: str) -> list[str]:
    """The menu's labels; a long menu is written twice (folded for a phone, flat for a PC, CSS shows
    one), and both must say the same."""
    nav = re.search(r'<nav aria-label="Danh mục"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "the header has no menu"

    def labels(part):
        return [re.sub(r"<[^>]+>", "", label).strip() for label in re.findall(r"<a [^>]*>(.*?)</a>", part, re.S)]

    fold = re.search(r'<details class="menu-fold">(.*?)</details>', nav.group(1), re.S)
    if not fold:
        return labels(nav.group(1))
    flat = re.search(r'<span class="menu-flat">(.*?)</span>', nav.group(1), re.S)
    assert labels(fold.group(1)) == labels(flat.group(1)), "the folded and the flat menu differ"
    return labels(flat.group(1))


def _main_text(html: str) -> str:
    main = re.search(r"<main>(.*)</main>", html, re.S).group(1)
    main = re.sub(r"<(style|script)\b.*?</\1>", " ", main, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


# --------------------------------------------------------------------------------------------- logout

def test_logout_lands_on_the_platform_login_page_saying_so(world):
    c = _client(world.office)
    r = c.post("/dang-xuat/")
    assert r.status_code == 302 and r["Location"] == "/dang-nhap/"
    page = c.get(r["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "Bạn đã đăng xuất" in html
    assert "Đã thoát" not in html and "/quan-tri/" not in html and 'name="username"' in html
    assert c.get("/").status_code == 302  # really logged out


def test_logout_link_opened_by_get_asks_instead_of_failing(world):
    c = _client(world.secretary)
    r = c.get("/dang-xuat/")
    assert r.status_code == 200 and 'action="/dang-xuat/"' in r.content.decode()
    assert c.get("/").status_code == 200  # a GET logs nobody out
    anonymous = _client().get("/dang-xuat/")
    assert anonymous.status_code == 302 and anonymous["Location"] == "/dang-nhap/"


# ------------------------------------------------------------------------------------- menus and home

# the staff menus as configured (each app adds its entry there); what this test checks is who gets which
STAFF = [label for label, _name in menu.STAFF_MENU]
OFFICE_ONLY = [label for label, _name in menu.OFFICE_ONLY]


def test_each_role_sees_the_menu_it_can_use(world):
    office = _menu(_client(world.office).get("/").content.decode())
    assert office == STAFF + OFFICE_ONLY + ["Quy định"]
    assert {"Tổ chức", "Đảng viên", "Nhập danh sách", "Nhật ký"} <= set(office)
    secretary = _menu(_client(world.secretary).get("/").content.decode())
    assert secretary == STAFF + ["Cặp cần xem xét", "Quy định"]  # registry pairs given to their cell
    member = _menu(_client(world.member_user).get("/").content.decode())
    assert member == ["Hồ sơ của tôi", "Đánh giá của tôi", "Sinh hoạt của tôi", "Đảng phí của tôi", "Cam kết của tôi", "Quy định"]  # not a delegate: no votes page
    for page in ("/", "/quy-dinh/", f"/dang-vien/{world.lan.id}/"):
        assert _menu(_client(world.member_user).get(page).content.decode()) == member


def test_a_delegate_members_menu_has_the_votes_page(world):
    c = congress_create(actor=None, organization=world.root, kind="delegates", term="2025–2030",
                        name="Đại hội Thử nghiệm", start_date=date(2025, 7, 28))
    delegate_add(actor=None, congress=c, member=world.lan, obtained="appointed")
    html = _client(world.member_user).get("/").content.decode()
    assert _menu(html) == ["Hồ sơ của tôi", "Đánh giá của tôi", "Sinh hoạt của tôi", "Đảng phí của tôi", "Cam kết của tôi", "Biểu quyết", "Quy định"]
    assert "Đại hội Thử nghiệm" in _main_text(html)


def test_current_page_is_marked_in_the_menu(world):
    html = _client(world.office).get("/nhat-ky/").content.decode()
    assert re.search(r'<a href="/nhat-ky/" aria-current="page">Nhật ký</a>', html)
    assert html.count('aria-current="page"') == 2  # once in the phone's folded menu, once in the flat one
    assert "<summary>Danh mục: Nhật ký</summary>" in html


def test_members_home_says_what_is_theirs_to_do(world):
    c = _client(world.member_user)
    html = c.get("/").content.decode()
    assert "Chào đồng chí Trần Thị Lan" in html and "Hiện không có việc nào chờ đồng chí" in html
    assert f'href="/dang-vien/{world.lan.id}/"' in html and f'href="/danh-gia/dang-vien/{world.lan.id}/"' in html
    # a self-assessment is open and a vote from the phones is open where she is a present delegate
    campaign = campaign_open(actor=None, organization=world.root, year=2025, deadline=date(2026, 1, 15))
    review = campaign.reviews.get(member=world.lan)
    congress = congress_create(actor=None, organization=world.root, kind="delegates", term="2025–2030",
                               name="Đại hội Thử nghiệm", start_date=date(2025, 7, 28))
    delegate = delegate_add(actor=None, congress=congress, member=world.lan, obtained="appointed")
    delegate_check_in(actor=None, congress=congress, delegate=delegate)
    vote_open(actor=None, vote=vote_create(actor=None, congress=congress, subject="Thông qua nghị quyết",
                                          kind="resolution", mode="phones"))
    html = c.get("/").content.decode()
    text = _main_text(html)
    assert "Hiện không có việc nào" not in text
    assert f'href="/danh-gia/phieu/{review.id}/"' in html and "Tự đánh giá năm 2025" in text and "hạn 15/01/2026" in text
    assert 'href="/bieu-quyet/"' in html and "Biểu quyết: Thông qua nghị quyết" in text
    assert "thẻ số 001" in text and "đã điểm danh lúc" in text


@pytest.mark.parametrize("url", ["/to-chuc/", "/dai-hoi/", "/bau-cu/", "/dang-vien/them/", "/to-chuc/them/"])
def test_a_member_is_told_a_staff_page_is_not_theirs(world, url):
    r = _client(world.member_user).get(url)
    text = _main_text(r.content.decode())
    assert r.status_code == 403
    assert "dành cho cán bộ Văn phòng Đảng ủy và bí thư" in text
    assert "chưa được giao phạm vi" not in text and "<table" not in r.content.decode()


def test_a_members_list_link_opens_their_own_record(world):
    r = _client(world.member_user).get("/dang-vien/")
    assert r.status_code == 302 and r["Location"] == f"/dang-vien/{world.lan.id}/"


def test_staff_pages_still_open_for_staff(world):
    for user in (world.office, world.secretary):
        c = _client(user)
        for url in ("/to-chuc/", "/dang-vien/", "/dai-hoi/", "/bau-cu/"):
            assert c.get(url).status_code == 200, (user, url)


# ------------------------------------------------------------------------------------------- header

def test_header_names_the_committee_not_the_software(world):
    html = _client(world.office).get("/").content.decode()
    assert re.search(r'<a class="brand" [^>]*>Đảng bộ Thử nghiệm</a>', html)
    assert "<title>Tổng quan — Đảng bộ Thử nghiệm</title>" in html
    assert ">dangbo<" not in html and "dangbo</title>" not in html
    member = _client(world.member_user).get("/").content.decode()  # a member: the committee above her cell
    assert re.search(r'<a class="brand" [^>]*>Đảng bộ Thử nghiệm</a>', member)
    outsider = _client(world.outsider).get("/").content.decode()  # another tree: its own committee
    assert re.search(r'<a class="brand" [^>]*>Đảng bộ Khác</a>', outsider) and "Đảng bộ Thử nghiệm" not in outsider
    # two committees in force in this database: the login page names neither
    login = _client().get("/dang-nhap/").content.decode()
    assert "Đảng bộ Thử nghiệm" not in login and "Đảng bộ Khác" not in login and ">dangbo<" not in login


# ------------------------------------------------------------------------------------------- rules page

CODE_WORDS = re.compile(r"\b(reprimand|warning|dismissal|committee|grassroots\w*|floor|round|ceil|present|"
                        r"summoned|members|block|flag|True|False|None|mappingproxy|frozenset)\b|\(\d+, \d+\)|\w+_\w+|"
                        r"DANGBO_")


def test_rules_page_speaks_vietnamese(world):
    html = _client(world.member_user).get("/quy-dinh/").content.decode()
    text = _main_text(html)
    assert not CODE_WORDS.findall(text), CODE_WORDS.findall(text)
    assert "Khiển trách: 6 tháng" in text and "Đảng bộ: 300 đại biểu" in text and "Làm tròn xuống" in text
    assert "03/02, 19/05, 02/09, 07/11" in text and "Số đại biểu có mặt khi mở biểu quyết" in text
    assert "2025" in text and "2.025" not in text
    # rule ids only as a muted reference after the sentence
    assert '<span class="ref">(APR-4)</span>' in html
    without_refs = _main_text(re.sub(r'<span class="ref">.*?</span>', "", html))
    assert not re.search(r"\b(MEM|ORG|DOC|CON|APR)-\d", without_refs)
    # every setting of every rule module has its Vietnamese name
    from dangbo.web.rule_labels import LABELS
    from dangbo.web.views import RULE_SETS

    for _area, module, _cls in RULE_SETS:
        assert set(module.SETTING_INFO) <= set(LABELS), set(module.SETTING_INFO) - set(LABELS)


# ------------------------------------------------------------------------------------------- projector

def test_projector_base_is_the_hall_screen_only(world, rf):
    """web/projector_base.html (for the congress/election/vote projector pages): no menu, no logout,
    no messages, htmx loaded for polling, the committee's name in the title."""
    from django.template import RequestContext, Template

    request = rf.get("/")
    request.user = world.office
    page = Template('{% extends "web/projector_base.html" %}{% block title %}Kết quả{% endblock %}'
                    '{% block content %}<h1>Kết quả bầu cử</h1>{% endblock %}')
    html = page.render(RequestContext(request, {"refresh": 10}))
    assert "<h1>Kết quả bầu cử</h1>" in html and 'class="projector-screen"' in html
    assert "<title>Kết quả — Đảng bộ Thử nghiệm</title>" in html and 'http-equiv="refresh" content="10"' in html
    assert "htmx" in html
    assert "Đăng xuất" not in html and "<nav" not in html and "dang-xuat" not in html and "flash" not in html
