"""«Việc cần làm» in a real browser (issue 14, third round): a list longer than a page shows the
number of items of each kind, the organisations with most, and one page with its pager — on the
office's desktop (1366 px) and a secretary's phone (390 px); readable, no sideways scroll."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from dangbo.members.services import member_create
from dangbo.procedures import due
from tests.browser.conftest import assert_readable
from tests.browser.test_procedures import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("who, width", [("office", 1366), ("secretary", 390)])
def test_a_long_list_by_kind_with_pages(transactional_db, world, page_factory, monkeypatch, who, width):
    monkeypatch.setattr(due, "PAGE", 5)
    for i in range(12):
        member_create(actor=None, organization=(world.a1, world.a2)[i % 2],
                      profile={"full_name": f"Nguyễn Thị Dự Bị {i:02d}", "sex": "F", "birth_date": date(1990, 1, 1)},
                      admission_date=date(2024, 1, 2) + timedelta(days=7 * i), today=date(2026, 12, 1))
    page = page_factory(viewport={"width": width, "height": 900})
    log_in(page, getattr(world, who).username)
    page.goto("/viec-can-lam/")
    n = 13 if who == "office" else 12  # the office also sees Lê Thị Hoà (cell B)
    expect(page.get_by_role("heading", name=f"Quá hạn xét công nhận đảng viên chính thức: {n} việc")).to_be_visible()
    expect(page.get_by_role("link", name="Trang sau »")).to_be_visible()
    assert_readable(page)
    page.screenshot(path=f"/tmp/s9d-due-{who}-{width}.png", full_page=True)
    page.get_by_role("link", name="Trang sau »").click()
    expect(page.get_by_text("Trang 2/3").first).to_be_visible()
    assert_readable(page)
    assert page.problems == []
