"""Party fees in a real browser: a secretary records the month's collection on a 390 px phone (cash
for one member, online with the portal's reference for another), reads the receipt; then the member
opens her own fee page on her phone and the office the collection rates with the chart at 1366 px.

Debian's Chromium through Playwright against pytest-django's live server (see conftest.py).
"""

import pytest
from playwright.sync_api import expect

from dangbo.fees import rules
from dangbo.fees.models import Payment
from dangbo.fees.services import declaration_set
from tests.browser.conftest import assert_columns_visible, assert_readable
from tests.browser.shell import menu
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def log_in(page, username):
    page.goto("/dang-nhap/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name=f"Đăng xuất ({username})")).to_be_visible()


def test_secretary_records_the_month_on_a_phone(transactional_db, world, page_factory):
    for m, base in ((world.lan, 6_000_000), (world.hung, 8_500_000)):
        declaration_set(actor=None, member=m, category="insured", base=base, from_month="2025-01")

    sec = page_factory(**PHONE)
    log_in(sec, "secretary")
    menu(sec, "Đảng phí").click()
    sec.wait_for_url("**/dang-phi/")  # the menu's page first: measuring meanwhile finds no body
    expect(sec.get_by_role("heading", level=1)).to_contain_text("Đảng phí —")
    assert_readable(sec, english_ok=("secretary",))
    sec.get_by_role("link", name="Sổ thu đảng phí tháng", exact=False).first.click()
    sec.wait_for_url("**/dang-phi/so/**")  # the click's page first: a goto meanwhile aborts it
    sec.goto(sec.url.split("?")[0] + "?thang=03/2026")
    expect(sec.get_by_role("heading", level=1)).to_have_text("Sổ thu đảng phí tháng 03/2026")
    assert_readable(sec, english_ok=("secretary",))
    assert_columns_visible(sec)
    sec.get_by_label("Hình thức nộp của Trần Thị Lan").select_option("cash")
    sec.get_by_label("Hình thức nộp của Nguyễn Văn Hùng").select_option("online")
    sec.get_by_role("button", name="Ghi sổ tháng 03/2026").click()
    expect(sec.locator(".error")).to_contain_text("Nguyễn Văn Hùng: nộp trực tuyến cần mã giao dịch")
    assert Payment.objects.count() == 0  # all or nothing
    sec.get_by_label("Hình thức nộp của Trần Thị Lan").select_option("cash")
    sec.get_by_label("Hình thức nộp của Nguyễn Văn Hùng").select_option("online")
    sec.get_by_label("Mã giao dịch hoặc lý do của Nguyễn Văn Hùng").fill("DVCQG-202603-0042")
    sec.get_by_role("button", name="Ghi sổ tháng 03/2026").click()
    expect(sec.get_by_role("status")).to_have_text("Đã ghi đảng phí tháng 03/2026 của 2 đảng viên.")
    expect(sec.locator(f"#m{world.lan.id}")).to_contain_text("Tiền mặt tại chi bộ — biên lai số 1")
    expect(sec.locator(f"#m{world.hung.id}")).to_contain_text("DVCQG-202603-0042")
    assert_readable(sec, english_ok=("secretary",))
    sec.locator(f"#m{world.lan.id}").get_by_role("link", name="Tiền mặt tại chi bộ — biên lai số 1").click()
    expect(sec.get_by_role("heading", level=1)).to_have_text("Biên lai thu đảng phí số 1/2026")
    assert_readable(sec, english_ok=("secretary",))
    got = {p.member_id: (p.method, p.amount, p.month) for p in Payment.objects.all()}
    assert got == {world.lan.id: ("cash", 60_000, rules.month_index(2026, 3)),
                   world.hung.id: ("online", 85_000, rules.month_index(2026, 3))}
    assert sec.problems == []

    member = page_factory(**PHONE)
    log_in(member, "member")
    member.get_by_role("link", name="Đảng phí của tôi").click()
    member.wait_for_url("**/dang-phi/dang-vien/**")
    member.goto(member.url.split("?")[0] + "?nam=2026")
    expect(member.get_by_role("heading", level=1)).to_have_text("Đảng phí của tôi")
    expect(member.locator("table.list")).to_contain_text("03/2026")
    expect(member.locator("dl.profile")).to_contain_text("6.000.000 đ/tháng")
    assert_readable(member, english_ok=("member",))
    assert_columns_visible(member)
    assert member.problems == []

    office = page_factory(viewport={"width": 1366, "height": 900})
    log_in(office, "office")
    office.goto("/dang-phi/?thang=03/2026")
    expect(office.locator(".fee-bars")).to_be_visible()
    expect(office.locator("table.list")).to_contain_text("Đảng bộ cơ sở A")
    assert_readable(office, english_ok=("office",))
    assert office.problems == []


# every piece of text in the collection chart, with the size it is drawn at on the screen: an SVG
# text's font size times the drawing's scale (a viewBox shrunk to a phone shrinks its type), an HTML
# label's computed size
CHART_TEXT_JS = """() => [...document.querySelectorAll('.chart text, .chart .fee-bar-label, .chart .fee-bar-value')]
  .map(el => {
    const px = parseFloat(getComputedStyle(el).fontSize);
    const scale = el.ownerSVGElement ? el.ownerSVGElement.getScreenCTM().a : 1;
    const box = el.getBoundingClientRect();
    return {text: el.textContent.trim(), px: px * scale, right: box.right};
  })"""


def test_the_collection_chart_reads_on_a_phone(transactional_db, world, page_factory):
    """Item: the chart's labels at 390 px are ≥ 12 CSS px as drawn, inside the screen, and say the rate."""
    from datetime import date

    from dangbo.fees.services import payment_record
    declaration_set(actor=None, member=world.lan, category="insured", base=6_000_000, from_month="2025-01")
    payment_record(actor=None, member=world.lan, month="2026-03", method="cash", paid_on=date(2026, 3, 5))
    office = page_factory(**PHONE)
    log_in(office, "office")
    office.goto("/dang-phi/?thang=03/2026")
    expect(office.get_by_role("heading", name="Tỷ lệ đã nộp theo tổ chức")).to_be_visible()
    texts = office.evaluate(CHART_TEXT_JS)
    assert texts, "the chart has no labels"
    small = [t for t in texts if t["px"] < 12]
    assert not small, f"chart labels drawn under 12 px on a phone: {small}"
    assert all(t["right"] <= 390 for t in texts), texts
    names = " ".join(t["text"] for t in texts)
    assert "Đảng bộ cơ sở A" in names
    assert "%" in names
    assert_readable(office, english_ok=("office",))
    assert office.problems == []
