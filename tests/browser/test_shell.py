"""The site's shell in a real browser at 1366 and 390 px: logout lands on the platform's login page;
every table keeps every column on a phone and the page never scrolls sideways; buttons styled as
links (undo a check-in, remove a delegate) are readable; a member's home and menu; no English or code
on screen. Screenshots in /tmp/shell-<name>-<width>.png for a person to look at."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from dangbo.congress.services import congress_create, delegate_add, delegate_check_in
from tests.browser.conftest import assert_columns_visible, assert_readable
from tests.browser.test_journey import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

WIDTHS = (1366, 390)


def _page(page_factory, width):
    if width < 500:
        return page_factory(viewport={"width": width, "height": 844}, device_scale_factor=2, is_mobile=True,
                            has_touch=True)
    return page_factory(viewport={"width": width, "height": 900})


def _congress(world):
    """The committee's congress with delegates from two cells, one checked in (the desk then shows
    its undo button)."""
    c = congress_create(actor=None, organization=world.root, kind="delegates", term="2025–2030",
                        name="Đại hội đại biểu Đảng bộ Thử nghiệm lần thứ I", start_date=date(2025, 7, 28))
    first = delegate_add(actor=None, congress=c, member=world.hung, obtained="appointed")
    delegate_add(actor=None, congress=c, member=world.lan, obtained="appointed")
    delegate_check_in(actor=None, congress=c, delegate=first)
    return c


@pytest.mark.parametrize("width", WIDTHS)
def test_tables_keep_every_column_and_the_page_never_scrolls_sideways(transactional_db, world, page_factory, width):
    congress = _congress(world)
    page = _page(page_factory, width)
    log_in(page)
    pages = {"home": "/", "audit": "/nhat-ky/", "congress": f"/dai-hoi/{congress.id}/",
             "desk": f"/dai-hoi/{congress.id}/diem-danh/", "delegates": f"/dai-hoi/{congress.id}/dai-bieu/",
             "rules": "/quy-dinh/"}
    for name, path in pages.items():
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.locator("table.list tbody td").count() > 0, path
        assert_columns_visible(page)
        assert_readable(page, english_ok={"office"})  # the username beside «Đăng xuất»
        page.screenshot(path=f"/tmp/shell-{name}-{width}.png", full_page=True)
    # what went missing on phones: the official counts, who did it, the delegates' names
    page.goto("/")
    expect(page.locator("table.list tbody tr").first.locator("td").nth(1)).to_be_visible()
    page.goto("/nhat-ky/")
    expect(page.locator("table.audit tbody tr").first.locator("td").nth(1)).to_have_text(re.compile(r"\S"))
    page.goto(f"/dai-hoi/{congress.id}/diem-danh/")
    expect(page.get_by_text("Nguyễn Văn Hùng").first).to_be_visible()
    undo = page.get_by_role("button", name="Huỷ")
    expect(undo).to_be_visible()
    assert page.problems == []


@pytest.mark.parametrize("width", WIDTHS)
def test_logout_returns_to_the_platform_login_page(transactional_db, world, page_factory, width):
    page = _page(page_factory, width)
    log_in(page, username="secretary")
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất (secretary)").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/$"))
    expect(page.get_by_role("status")).to_have_text(re.compile("Bạn đã đăng xuất"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    assert "quan-tri" not in page.url
    assert_readable(page)
    # and logging in again works from there
    log_in(page, username="secretary", password=PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    assert page.problems == []


@pytest.mark.parametrize("width", WIDTHS)
def test_member_sees_their_own_menu_and_home(transactional_db, world, page_factory, width):
    page = _page(page_factory, width)
    log_in(page, username="member")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chào đồng chí Trần Thị Lan")
    nav = page.get_by_role("navigation", name="Danh mục")
    expect(nav.get_by_role("link")).to_have_text(["Hồ sơ của tôi", "Đánh giá của tôi", "Sinh hoạt của tôi", "Đảng phí của tôi", "Cam kết của tôi", "Quy định"])
    assert_readable(page, english_ok={"member"})
    page.screenshot(path=f"/tmp/shell-member-home-{width}.png", full_page=True)
    nav.get_by_role("link", name="Hồ sơ của tôi").click()
    expect(page).to_have_url(re.compile(rf"/dang-vien/{world.lan.id}/$"))
    expect(nav.get_by_role("link", name="Hồ sơ của tôi")).to_have_attribute("aria-current", "page")
    page.goto("/dai-hoi/")  # a staff page: said so, with the way back
    expect(page.get_by_role("heading", level=1)).to_have_text("Trang này không dành cho tài khoản của đồng chí")
    expect(page.get_by_role("link", name="Về trang chủ")).to_be_visible()
    assert_readable(page, english_ok={"member"})
    assert [p for p in page.problems if "403" not in p] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_staff_menu_folds_on_a_phone_and_lies_flat_on_a_pc(transactional_db, world, page_factory, width):
    """16 entries took five lines of a phone's screen before any content: on a phone they fold behind
    «Danh mục: <this page>», which opens into two columns of large tap targets; a PC shows them flat."""
    from dangbo.accounts.menu import OFFICE_ONLY, RULES, STAFF_MENU

    labels = [label for label, _ in STAFF_MENU + OFFICE_ONLY] + [RULES[0]]
    page = _page(page_factory, width)
    log_in(page)
    page.goto("/dang-vien/")
    nav = page.get_by_role("navigation", name="Danh mục")
    links = nav.get_by_role("link")
    if width > 500:
        expect(links).to_have_text(labels)
    else:
        expect(links).to_have_count(0)
        summary = nav.locator("summary")
        expect(summary).to_have_text("Danh mục: Đảng viên")
        header = page.locator("header.top").bounding_box()
        assert header["height"] <= 160, f"the folded header is {header['height']} px tall"
        summary.click()
        expect(links).to_have_text(labels)
        for box in (links.nth(i).bounding_box() for i in range(len(labels))):
            assert box["height"] >= 44 and box["x"] + box["width"] <= width, box
        assert_readable(page, english_ok={"office"})
        page.screenshot(path=f"/tmp/shell-menu-open-{width}.png")
    menu_entry = nav.get_by_role("link", name="Sinh hoạt", exact=True)
    menu_entry.click()
    expect(page).to_have_url(re.compile(r"/sinh-hoat/"))
    assert page.problems == []


def test_buttons_styled_as_links_are_readable(transactional_db, world, page_factory):
    """Undo a check-in, remove a delegate, undo a replacement: white on white before (issue 10 #6)."""
    from tests.browser.conftest import low_contrast

    congress = _congress(world)
    page = _page(page_factory, 1366)
    log_in(page)
    page.goto(f"/dai-hoi/{congress.id}/diem-danh/")
    expect(page.get_by_role("button", name="Huỷ")).to_be_visible()
    page.goto(f"/dai-hoi/{congress.id}/dai-bieu/")
    expect(page.get_by_role("button", name="Xoá Trần Thị Lan")).to_be_visible()
    assert low_contrast(page) == []
    page.goto(f"/dai-hoi/{congress.id}/diem-danh/")
    assert low_contrast(page) == []
