"""Statistics in a real browser (issue 14): a secretary on a phone opens «Thống kê» from the menu, picks
a day and an earlier day to compare, reads the charts and tables, and downloads the Excel workbook;
the same page at 1366 px for office staff. Readability checks from conftest (no sideways scroll,
contrast, no English or code)."""

import io
import os
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from dangbo.members.services import member_event_record
from tests.browser.conftest import assert_columns_visible, assert_readable
from tests.browser.shell import menu
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def SHOTS(tmp_path):  # noqa: N802 — screenshots kept where DANGBO_SHOTS says, to look at
    return Path(os.environ.get("DANGBO_SHOTS") or tmp_path)


def log_in(page, username):
    page.goto("/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name=f"Đăng xuất ({username})")).to_be_visible()


def test_secretary_downloads_the_excel_report_on_a_phone(transactional_db, world, page_factory, tmp_path):
    member_event_record(actor=None, member=world.lan, kind="death", on=date(2026, 3, 1))
    phone = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    log_in(phone, "secretary")
    menu(phone, "Thống kê").click()
    expect(phone).to_have_url(re.compile(rf"/thong-ke/{world.a.id}/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thống kê đảng viên — Đảng bộ cơ sở A")
    phone.locator("input[name=ngay]").fill("31/03/2026")
    phone.locator("input[name=so_sanh]").fill("01.01.2026")
    phone.get_by_role("button", name="Xem thống kê").click()
    expect(phone.get_by_role("heading", name="Biến động trong kỳ")).to_be_visible()
    expect(phone.locator("p.big-figure")).to_contain_text("1 đảng viên")
    expect(phone.locator("figure.chart svg").first).to_be_visible()
    assert_readable(phone)
    assert_columns_visible(phone)
    phone.screenshot(path=str(SHOTS(tmp_path) / "thong-ke-390-top.png"))
    phone.get_by_role("heading", name="Biến động trong kỳ").scroll_into_view_if_needed()
    phone.screenshot(path=str(SHOTS(tmp_path) / "thong-ke-390-changes.png"))
    phone.locator("figure.chart").first.scroll_into_view_if_needed()
    phone.screenshot(path=str(SHOTS(tmp_path) / "thong-ke-390-charts.png"))
    with phone.expect_download() as info:
        phone.get_by_role("link", name="Tải tệp Excel (.xlsx)").click()
    download = info.value
    assert download.suggested_filename == "thong-ke-A-20260331.xlsx"
    wb = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert wb["Tổng số"]["A1"].value == "Đảng bộ cơ sở A" and wb["Tổng số"]["B6"].value == 1
    moves = {r[0].value: r[1].value for r in wb["Biến động trong kỳ"].iter_rows(min_row=6)}
    assert moves["Từ trần"] == 1
    # a download aborts the navigation its link started: not a problem of the page
    assert [p for p in phone.problems if not re.match(r"failed: .*\.xlsx\?.* net::ERR_ABORTED", p)] == []

    desk = page_factory(viewport={"width": 1366, "height": 900})
    log_in(desk, "office")
    desk.goto(f"/thong-ke/{world.root.id}/")
    desk.get_by_role("link", name="Đảng bộ cơ sở A").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Thống kê đảng viên — Đảng bộ cơ sở A")
    assert_readable(desk)
    assert_columns_visible(desk)
    desk.screenshot(path=str(SHOTS(tmp_path) / "thong-ke-1366.png"))
    assert desk.problems == []
