"""The review queue in a real browser: log in → Nhập danh sách → the batch → Hợp nhất → Hoàn tác, then the
same page on a phone without horizontal overflow."""

import re

import pytest
from playwright.sync_api import expect

from dangbo.members.models import Member
from dangbo.registry.models import ReviewPair
from tests.browser.shell import menu
from tests.browser.test_journey import _overflow, log_in
from tests.registry.test_import import roll_files, run_import

pytestmark = pytest.mark.browser


def test_review_queue_merge_and_unmerge(transactional_db, world, page, tmp_path):
    batch_id = run_import(roll_files(tmp_path))["batch"]
    pair = ReviewPair.objects.get(batch_id=batch_id)
    members = Member.objects.count()

    log_in(page)
    menu(page, "Nhập danh sách").click()
    expect(page).to_have_url(re.compile(r"/nhap-danh-sach/$"))
    page.get_by_role("link", name=f"Lần nhập #{batch_id}").click()
    card = page.get_by_role("region", name="Cặp dv-tinh-a.xlsx:4 và dv-tinh-b.csv:3")
    expect(card.locator("table.compare tbody tr").first).to_contain_text("Bùi Văn Nam")
    expect(card.locator("table.compare")).to_contain_text("cùng năm")

    card.get_by_role("button", name="Hợp nhất").click()
    expect(page.get_by_role("status")).to_have_text("Đã hợp nhất dv-tinh-b.csv:3 vào «Bùi Văn Nam».")
    expect(page.get_by_text("Không có cặp nào chờ xem xét.")).to_be_visible()
    assert Member.objects.count() == members - 1

    page.get_by_role("combobox", name="Danh sách").select_option("merged")
    page.get_by_role("button", name="Xem").click()
    card = page.get_by_role("region", name="Cặp dv-tinh-a.xlsx:4 và dv-tinh-b.csv:3")
    expect(card).to_contain_text("Đã hợp nhất bởi office")
    card.get_by_role("button", name="Hoàn tác").click()
    expect(page.get_by_role("status")).to_have_text("Đã hoàn tác hợp nhất: khôi phục hai đảng viên.")
    assert Member.objects.count() == members
    pair.refresh_from_db()
    assert pair.status == "open"
    assert page.problems == []


def test_review_queue_fits_a_phone(transactional_db, world, page_factory, tmp_path):
    batch_id = run_import(roll_files(tmp_path))["batch"]
    page = page_factory(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
                        has_touch=True)
    log_in(page)
    for path in ("/nhap-danh-sach/", f"/nhap-danh-sach/{batch_id}/"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        o = _overflow(page)
        assert o["scrollWidth"] <= o["innerWidth"], f"{path} overflows horizontally: {o}"
    assert page.problems == []


def test_a_secretary_decides_the_pairs_given_to_the_cell_on_a_phone(transactional_db, world, page_factory, tmp_path):
    """Issue 15: office staff give a cell's pairs to its secretary (the batch page at 1366 px), the
    secretary opens «Cặp cần xem xét» on a phone (390 px, no sideways scroll) and merges one."""
    from tests.registry.test_import import write_csv
    from tests.web.test_registry_queue import ROWS

    batch_id = run_import([write_csv(tmp_path, "cu.csv", ROWS)])["batch"]
    wide = page_factory(viewport={"width": 1366, "height": 900})
    log_in(wide)
    wide.goto(f"/nhap-danh-sach/{batch_id}/")
    expect(wide.get_by_text("0 / 5")).to_be_visible()
    wide.locator("#giao li", has_text="Chi bộ A1").get_by_role("button", name="Giao cho bí thư").click()
    expect(wide.get_by_role("status")).to_contain_text("Đã giao 2 cặp cho bí thư Chi bộ A1")
    o = _overflow(wide)
    assert o["scrollWidth"] <= o["innerWidth"]
    wide.screenshot(path=str(tmp_path / "batch-1366.png"), full_page=True)

    phone = page_factory(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True,
                         has_touch=True)
    log_in(phone, "secretary")
    menu(phone, "Cặp cần xem xét").click()
    expect(phone.get_by_text("0 / 2")).to_be_visible()
    o = _overflow(phone)
    assert o["scrollWidth"] <= o["innerWidth"], o
    phone.screenshot(path=str(tmp_path / "secretary-390.png"), full_page=True)
    card = phone.get_by_role("region", name="Cặp cu.csv:10 và cu.csv:11")
    card.get_by_role("button", name="Hợp nhất").click()
    expect(phone.get_by_role("status")).to_contain_text("Đã hợp nhất")
    expect(phone.get_by_text("1 / 2")).to_be_visible()
    assert ReviewPair.objects.get(batch_id=batch_id, record_a__ref="cu.csv:10").status == "merged"
    assert wide.problems == [] and phone.problems == []
