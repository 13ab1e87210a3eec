"""The documents register in a real browser, as the office on a phone (390 px) and at a desk
(1366 px): issue an outgoing number, register an incoming document with its file, find it again
without diacritics, open its file; every page readable (no sideways scroll, contrast, no English).
Set DANGBO_SHOTS=<folder> to keep a screenshot of each page."""

import os
import re

import pytest
from playwright.sync_api import expect

from dangbo.documents.models import Document
from tests.browser.conftest import assert_columns_visible, assert_readable
from tests.browser.shell import menu
from tests.browser.test_appraisal import log_in

pytestmark = pytest.mark.browser


def _shot(page, name, width):
    folder = os.environ.get("DANGBO_SHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"documents-{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [390, 1366])
def test_office_issues_a_number_and_registers_an_incoming_document(transactional_db, world, page_factory, tmp_path,
                                                                   settings, width):
    settings.VAR_DIR = tmp_path
    phone = width == 390
    page = page_factory(viewport={"width": width, "height": 844 if phone else 900}, is_mobile=phone, has_touch=phone)
    log_in(page, "office")
    if phone:
        page.goto("/van-ban/")
    else:
        menu(page, "Văn bản").click()
    expect(page.get_by_role("heading", name="Sổ văn bản")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("1 văn bản")  # 10-QĐ/TU, cited by the committee's founding
    assert_readable(page, english_ok=("office",))
    assert_columns_visible(page)
    _shot(page, "register", width)

    # 1. an outgoing number
    page.get_by_role("link", name="Cấp số văn bản đi").click()
    page.get_by_label("Loại văn bản").select_option("QĐ")
    page.get_by_label("Trích yếu").fill("Quyết định chuẩn y kết quả bầu cử Chi ủy Chi bộ A1")
    page.get_by_label("Người ký").fill("Nguyễn Văn Thành")
    page.get_by_role("checkbox", name=re.compile("Chi bộ A1$")).check()  # recipients: the tree, then others
    page.get_by_label("Nơi nhận khác").fill("Ban Tổ chức Tỉnh ủy\nLưu Văn phòng")
    assert_readable(page, english_ok=("office",))
    _shot(page, "issue", width)
    page.get_by_role("button", name="Cấp số").click()
    expect(page.get_by_role("heading")).to_have_text("Văn bản đi 01-QĐ/ĐU")
    expect(page.locator("ul.recipients li")).to_have_text(["Chi bộ A1", "Ban Tổ chức Tỉnh ủy", "Lưu Văn phòng"])
    assert_readable(page, english_ok=("office",))
    _shot(page, "issued", width)

    # 2. an incoming document with its file
    page.get_by_role("link", name="‹ Sổ văn bản").click()
    page.get_by_role("link", name="Vào sổ văn bản đến").click()
    page.get_by_label("Số, ký hiệu").fill("5-kh/tu")
    page.get_by_label("Ngày văn bản").fill("3/2/2026")
    page.get_by_label("Cơ quan gửi").fill("Tỉnh ủy")
    page.get_by_label("Trích yếu").fill("Kế hoạch tổ chức đại hội đảng bộ các cấp nhiệm kỳ 2025–2030")
    page.get_by_label("Tệp đính kèm").set_input_files({"name": "ke-hoach.pdf", "mimeType": "application/pdf",
                                                       "buffer": b"%PDF-1.4 ke hoach"})
    assert_readable(page, english_ok=("office",))
    _shot(page, "incoming", width)
    page.get_by_role("button", name="Vào sổ").click()
    expect(page.get_by_role("heading")).to_have_text("Văn bản đến 05-KH/TU")
    expect(page.locator("dl.doc")).to_contain_text("03/02/2026")
    expect(page.locator("dd.arrival-number")).to_have_text(re.compile(r"^1 \(năm \d{4}\)$"))  # its «số đến»
    href = page.get_by_role("link", name="ke-hoach.pdf").get_attribute("href")
    got = page.request.get(href)  # a click would download (Chromium reports the navigation as aborted)
    assert got.ok and got.body() == b"%PDF-1.4 ke hoach" and "attachment" in got.headers["content-disposition"]
    doc = Document.objects.get(number_symbol="05-KH/TU")
    assert doc.file_name == "ke-hoach.pdf" and doc.received_on is not None

    # 3. found again without diacritics, live
    page.get_by_role("link", name="‹ Sổ văn bản").click()
    page.get_by_role("searchbox", name="Tìm văn bản").fill("ke hoach dai hoi")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^1 văn bản tìm thấy"))
    expect(page.locator("table.docs")).to_contain_text("05-KH/TU")
    assert_readable(page, english_ok=("office",))
    assert_columns_visible(page)
    _shot(page, "search", width)
    page.get_by_role("searchbox", name="Tìm văn bản").fill("số đến 1")  # by its arrival number
    expect(page.get_by_role("status")).to_have_text("1 văn bản tìm thấy cho «số đến 1»")
    expect(page.locator("table.docs")).to_contain_text("05-KH/TU")
    expect(page.locator("table.docs span.arrival")).to_be_visible()
    assert_readable(page, english_ok=("office",))
    assert_columns_visible(page)
    _shot(page, "arrival", width)
    assert page.problems == []
