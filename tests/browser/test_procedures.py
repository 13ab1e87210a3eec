"""The admission file in a real browser, at 390 px (the secretary's phone) and 1366 px (the office):
open the file, each step typed dd/mm/yyyy, a vote below two thirds refused beside its field, the
ceremony's deadline, the probationary member; the holiday calendar seeded and the digest on home.
Readability checks of tests/browser/conftest.py on each page.

Debian's Chromium through Playwright against pytest-django's live server (see conftest.py).
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from dangbo.members.models import Member
from tests.browser.conftest import assert_readable
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, username):
    page.goto("/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name=f"Đăng xuất ({username})")).to_be_visible()


def _step(page, values: dict, *, select: dict | None = None):
    form = page.locator("form.form")
    for name, value in values.items():
        form.locator(f"[name={name}]").fill(value)
    for name, value in (select or {}).items():
        form.locator(f"select[name={name}]").select_option(value)
    form.get_by_role("button", name="Ghi bước này").click()


def test_admission_steps_on_phone_and_desktop(transactional_db, world, page_factory):
    today = date.today().strftime("%d/%m/%Y")
    phone = page_factory(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    log_in(phone, "secretary")
    phone.goto("/ket-nap/")
    form = phone.locator("form.form")
    form.locator("select[name=organization]").select_option(str(world.a2.id))
    form.locator("[name=full_name]").fill("Vũ Thị Mai")
    form.locator("select[name=sex]").select_option("F")
    form.locator("[name=birth_date]").fill("15/06/2000")
    assert_readable(phone)
    form.get_by_role("button", name="Mở hồ sơ").click()
    expect(phone.get_by_role("status")).to_have_text("Đã mở hồ sơ kết nạp của Vũ Thị Mai.")
    _step(phone, {"course_date": today, "course_number": "7/GCN"})
    _step(phone, {"application_date": today})
    _step(phone, {"background_date": today, "verified_date": today})
    _step(phone, {"introduced_date": today, "months_1": "24"},
          select={"kind_1": "member", "member_1": str(world.hung.id), "kind_2": "trade_union"})
    _step(phone, {"resolution_date": today, "official_count": "9", "votes_for": "5"})
    expect(phone.locator(".error")).to_contain_text("cần ít nhất 6")
    assert_readable(phone)
    _step(phone, {"resolution_date": today, "official_count": "9", "votes_for": "6"})
    expect(phone.get_by_role("status")).to_contain_text("Nghị quyết đề nghị kết nạp của chi bộ")
    url = phone.url

    office = page_factory(viewport={"width": 1366, "height": 900})
    log_in(office, "office")
    office.goto(url)
    _step(office, {"resolution_date": today, "member_count": "5", "votes_for": "4"})
    _step(office, {"decision_number": "12-QĐ/ĐU", "decision_date": today, "received_date": today})
    expect(office.get_by_text("Hạn tổ chức lễ kết nạp")).to_be_visible()
    assert_readable(office)
    office.goto("/")
    expect(office.locator("#viec-can-lam")).to_be_visible()
    expect(office.get_by_role("link", name="Tổ chức lễ kết nạp (hạn chót)")).to_be_visible()
    office.get_by_role("link", name="Tổ chức lễ kết nạp (hạn chót)").click()
    _step(office, {"ceremony_date": today})
    expect(office.get_by_text("Đã kết nạp")).to_be_visible()
    assert Member.objects.get(full_name="Vũ Thị Mai").state == "probationary"
    office.goto("/lich-nghi/")
    office.get_by_role("button", name="Đưa năm vào lịch").click()
    expect(office.get_by_role("status")).to_contain_text("vào lịch")
    assert_readable(office)
    phone.goto("/viec-can-lam/")
    assert_readable(phone)
    assert phone.problems == [] and office.problems == []
