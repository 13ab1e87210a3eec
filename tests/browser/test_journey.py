"""The whole journey in a real browser (issue text): log in → search a member without diacritics →
open the profile → record a temporary transfer → see it on the timeline and in the audit log.

Debian's Chromium through Playwright against pytest-django's live server; data is committed
(`transactional_db`) so the server thread sees the `world` fixture.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from dangbo.audit.models import AuditEvent
from dangbo.members.models import Member
from dangbo.members.rules import add_months
from tests.browser.shell import menu
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, username="office", password=PASSWORD):
    page.goto("/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    # wait for the page the login leads to (home, or the login form again): a goto issued while it is
    # still loading would abort it and show up as a failed request
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()


def search_and_open(page, query, full_name):
    box = page.get_by_role("searchbox", name="Tìm đảng viên")
    box.press_sequentially(query, delay=20)
    rows = page.locator("#rows")
    link = rows.get_by_role("link", name=full_name, exact=True)
    expect(link).to_be_visible()
    expect(rows.get_by_role("link")).to_have_count(1)  # the live search replaced the full list
    expect(page).to_have_url(re.compile(r"[?&]q=nguyen"))  # hx-push-url keeps the search bookmarkable
    link.click()


def test_journey_search_profile_temporary_transfer_audit(transactional_db, world, page):
    today = date.today()
    until = add_months(today, 6)

    log_in(page)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("button", name="Đăng xuất (office)")).to_be_visible()

    menu(page, "Đảng viên").click()
    expect(page).to_have_url(re.compile(r"/dang-vien/$"))
    expect(page.locator("#rows").get_by_role("link", name="Trần Thị Lan")).to_be_visible()
    search_and_open(page, "nguyen van hung", "Nguyễn Văn Hùng")

    expect(page).to_have_url(re.compile(rf"/dang-vien/{world.hung.id}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nguyễn Văn Hùng")
    expect(page.locator("h1 .badge.warn")).to_have_count(0)

    form = page.locator("form.form")
    form.locator("select[name=kind]").select_option("temp_transfer_out")
    expect(form.locator("select[name=kind] option:checked")).to_have_text("Chuyển sinh hoạt tạm thời")
    expect(form.locator("input[name=end_date]")).to_be_visible()  # the type's own fields came in (htmx)
    expect(form.locator("select[name=level]")).to_have_count(0)
    form.locator("input[name=date]").fill(today.strftime("%d/%m/%Y"))
    form.locator("select[name=to_org]").select_option(str(world.b.id))
    form.locator("input[name=end_date]").fill(until.strftime("%d/%m/%Y"))
    form.locator("input[name=decision_number]").fill("25-QĐ/ĐU")
    form.get_by_role("button", name="Ghi sự kiện").click()

    expect(page).to_have_url(re.compile(rf"/dang-vien/{world.hung.id}/$"))
    expect(page.get_by_role("status")).to_have_text("Đã ghi sự kiện «Chuyển sinh hoạt tạm thời».")
    entry = page.locator("#timeline li").filter(has_text="Chuyển sinh hoạt tạm thời")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(today.strftime("%d/%m/%Y"))
    expect(entry).to_contain_text("→ Chi bộ cơ sở B")
    expect(entry).to_contain_text(f"(đến {until:%d/%m/%Y})")
    expect(entry).to_contain_text("QĐ số 25-QĐ/ĐU")
    expect(page.locator("h1 .badge.warn")).to_have_text("Sinh hoạt tạm thời: Chi bộ cơ sở B")
    page.screenshot(path="/tmp/journey.png", full_page=True)

    hung = Member.objects.get(pk=world.hung.pk)
    assert hung.away and hung.temp_host_id == world.b.id

    menu(page, "Nhật ký").click()
    expect(page).to_have_url(re.compile(r"/nhat-ky/$"))
    row = page.locator("table.audit tbody tr").filter(has=page.locator('a[href="?action=member.temp_transfer_out"]'))
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("office")
    expect(row.locator("td").nth(3)).to_contain_text("Nguyễn Văn Hùng")
    assert AuditEvent.objects.filter(action="member.temp_transfer_out", actor_name="office").count() == 1

    assert page.problems == []


def _overflow(page) -> dict:
    return page.evaluate("""() => {
        const se = document.scrollingElement, w = window.innerWidth;
        const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 1)
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                             (e.className ? '.' + String(e.className).replace(/ /g, '.') : ''));
        return {scrollWidth: se.scrollWidth, innerWidth: w, wide};
    }""")


def test_phone_viewport_has_no_horizontal_overflow(transactional_db, world, page_factory):
    page = page_factory(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
                        has_touch=True)
    log_in(page)
    expect(page.get_by_role("button", name="Đăng xuất (office)")).to_be_visible()
    for path in ("/dang-vien/", f"/dang-vien/{world.hung.id}/", "/dang-vien/?kiem-tra=1", "/dang-vien/?q=van+hung",
                 f"/dang-vien/{world.hung.id}/?xem=day-du", f"/dang-vien/{world.hung.id}/sua/", "/dang-vien/them/",
                 f"/dang-vien/{world.hung.id}/?su-kien=temp_transfer_out", f"/to-chuc/{world.a1.id}/", "/nhat-ky/"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        o = _overflow(page)
        assert o["scrollWidth"] <= o["innerWidth"], f"{path} overflows horizontally: {o}"
    assert page.problems == []


def test_five_wrong_passwords_lock_the_login(transactional_db, world, page):
    limit = 5  # settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit):
        log_in(page, password=f"sai-{attempt}")
        expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    with page.expect_response(lambda r: r.request.method == "POST" and "/dang-nhap/" in r.url) as last:
        log_in(page, password="sai-cuoi")
    assert last.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạm khóa đăng nhập")
    # Locked out: even the right password is refused now.
    log_in(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạm khóa đăng nhập")
    expect(page.get_by_role("button", name=re.compile("Đăng xuất"))).to_have_count(0)
    assert page.problems == []


@pytest.mark.parametrize("who", ["office", "secretary"])
def test_member_pages_at_desktop_and_phone_width(transactional_db, world, page_factory, who):
    """The profile (two admission dates, masked ID), its reveal and the edit form at 1366 and 390 px:
    no sideways scroll, no code on screen; screenshots in /tmp/members-<who>-<width>-<n>.png."""
    paths = [f"/dang-vien/{world.hung.id}/", f"/dang-vien/{world.hung.id}/sua/", "/dang-vien/?kiem-tra=1",
             "/dang-vien/?q=hung", f"/to-chuc/{world.a1.id}/"]
    if who == "office":
        paths.append(f"/dang-vien/{world.hung.id}/?xem=day-du")
    for width, extra in ((1366, {}), (390, {"device_scale_factor": 2, "is_mobile": True, "has_touch": True})):
        page = page_factory(viewport={"width": width, "height": 900}, **extra)
        log_in(page, username=who)
        for n, path in enumerate(paths):
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            o = _overflow(page)
            assert o["scrollWidth"] <= o["innerWidth"], f"{who} {path} overflows at {width}px: {o}"
            text = page.locator("main").inner_text()
            assert not re.search(r"\b(reprimand|national_id|admission_date|ceremony_date|None)\b", text), path
            page.screenshot(path=f"/tmp/members-{who}-{width}-{n}.png", full_page=True)
        if who == "secretary":
            page.goto(f"/dang-vien/{world.hung.id}/sua/")
            assert "025075000123" not in page.content()
            expect(page.get_by_text("Đang lưu: •••••••••123. Để trống nếu không đổi.")).to_be_visible()
        assert page.problems == []
